package strace

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// FuzzDecoderRecords feeds arbitrary bytes to the decoder as a stream of
// ring records (each record's length from its header, as the ring frames
// them): it never panics, counts what it cannot parse, and still ends the
// stream with the hang-up line. `make test` runs the seeds; `make fuzz`
// runs it for a bounded time.
func FuzzDecoderRecords(f *testing.F) {
	var seq []byte
	for _, r := range [][]byte{
		benchRecord(unix.SYS_READ, 100, 6, [6]uint64{3, 0x7ffc0000, 832}, wire.Cap{Arg: 1, Data: []byte("hello\n")}),
		benchRecord(unix.SYS_OPENAT, 100, 3, [6]uint64{uint64(0xffffffffffffff9c), 0x7f000000, unix.O_RDONLY}, wire.Cap{Arg: 1, Data: []byte("/etc/passwd")}),
		benchRecord(unix.SYS_EXECVE, 101, 0, [6]uint64{0x1000, 0x2000, 0x3000}, wire.Cap{Arg: 0, Data: []byte("/bin/true")}, wire.Cap{Arg: 1, Idx: 1, Data: []byte("true")}),
		benchRecord(unix.SYS_CLOSE, 100, -9, [6]uint64{3}),
		benchRecord(unix.SYS_EXIT_GROUP, 100, 0, [6]uint64{0}),
		benchRecord(9999, 100, 0, [6]uint64{1, 2, 3, 4, 5, 6}),
	} {
		f.Add(r, uint8(0))
		seq = append(seq, r...)
	}
	f.Add(seq, uint8(1))
	enter := benchRecord(unix.SYS_READ, 7, 0, [6]uint64{0, 0x1000, 10})
	binary.LittleEndian.PutUint16(enter, wire.EvEnter)
	f.Add(append(enter, benchRecord(unix.SYS_WRITE, 8, 1, [6]uint64{1, 0x2000, 1}, wire.Cap{Arg: 1, Data: []byte("x")})...), uint8(2))
	f.Add([]byte{}, uint8(3))
	f.Add([]byte{1, 0, 4, 0}, uint8(0))
	f.Add(bytes.Repeat([]byte{0xff}, 200), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		d, txt := newText(Options{
			Prefix:  PidPrefix(mode % 3),
			Time:    TimeMode(mode / 3 % 4),
			Latency: mode&0x10 != 0,
			StrSize: int(mode>>5) * 7,
		})
		for len(data) >= 4 {
			n := int(binary.LittleEndian.Uint16(data[2:]))
			if n < 4 || n > len(data) {
				n = len(data)
			}
			d.Feed(data[:n])
			data = data[n:]
		}
		if len(data) > 0 {
			if err := d.Feed(data); err == nil {
				t.Fatalf("a %d-byte record was accepted", len(data))
			}
		}
		d.End(Counts{Seen: 3, Dropped: 1})
		out := txt.TakeInto(nil)
		if !bytes.HasSuffix(out, []byte("Traced ~3 syscs, Dropped 1\n")) {
			t.Fatalf("output does not end with the hang-up line:\n%q", out)
		}
	})
}
