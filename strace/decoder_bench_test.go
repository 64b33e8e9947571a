package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// benchRecord builds a syscall record byte for byte as bpf/eproc.h lays it
// out: header, args, then captures padded to 8.
func benchRecord(nr uint32, tid uint32, ret int64, args [6]uint64, caps ...wire.Cap) []byte {
	n := wire.SyscallSize
	for _, c := range caps {
		n += wire.CapSize + (len(c.Data)+7)&^7
	}
	b := make([]byte, n)
	binary.LittleEndian.PutUint16(b[0:], wire.EvSyscall)
	binary.LittleEndian.PutUint16(b[2:], uint16(n))
	binary.LittleEndian.PutUint32(b[4:], tid)
	binary.LittleEndian.PutUint32(b[8:], tid)
	binary.LittleEndian.PutUint64(b[32:], uint64(ret))
	for i, a := range args {
		binary.LittleEndian.PutUint64(b[40+8*i:], a)
	}
	binary.LittleEndian.PutUint32(b[88:], nr)
	binary.LittleEndian.PutUint16(b[92:], uint16(len(caps)))
	off := wire.SyscallSize
	for _, c := range caps {
		b[off] = c.Arg
		b[off+1] = c.Flags
		binary.LittleEndian.PutUint16(b[off+2:], c.Idx)
		binary.LittleEndian.PutUint32(b[off+4:], uint32(len(c.Data)))
		copy(b[off+wire.CapSize:], c.Data)
		off += wire.CapSize + (len(c.Data)+7)&^7
	}
	return b
}

// BenchmarkDecode decodes a mix like a traced build's: reads and writes
// with data, opens with paths, closes. Reports events/s; allocs/op must be 0.
func BenchmarkDecode(b *testing.B) {
	recs := [][]byte{
		benchRecord(unix.SYS_READ, 100, 832, [6]uint64{3, 0x7ffc0000, 832}, wire.Cap{Arg: 1, Data: []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00\x10t\x02\x00\x00\x00\x00\x00")}),
		benchRecord(unix.SYS_WRITE, 100, 6, [6]uint64{1, 0x55550000, 6}, wire.Cap{Arg: 1, Data: []byte("hello\n")}),
		benchRecord(unix.SYS_OPENAT, 100, 3, [6]uint64{uint64(0xffffffffffffff9c), 0x7f000000, unix.O_RDONLY | unix.O_CLOEXEC}, wire.Cap{Arg: 1, Data: []byte("/lib/x86_64-linux-gnu/libc.so.6")}),
		benchRecord(unix.SYS_CLOSE, 100, 0, [6]uint64{3}),
		benchRecord(unix.SYS_OPENAT, 100, -2, [6]uint64{uint64(0xffffffffffffff9c), 0x7f000000, unix.O_RDONLY}, wire.Cap{Arg: 1, Data: []byte("/etc/ld.so.preload")}),
	}
	d, txt := newText(Options{Prefix: PrefixFile})
	var out []byte
	for i := 0; i < 1000; i++ { // grow the buffers to their working size
		d.Feed(recs[i%len(recs)])
		out = txt.TakeInto(out[:0])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := d.Feed(recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
		if txt.Pending() > 32<<10 {
			out = txt.TakeInto(out[:0])
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// ddRecords are what a traced `dd if=/dev/zero of=/dev/null bs=1` sends:
// one-byte reads and writes, one record per syscall, all from one thread.
func ddRecords() [][]byte {
	return [][]byte{
		benchRecord(unix.SYS_READ, 12345, 1, [6]uint64{0, 0x7ffc0000, 1}, wire.Cap{Arg: 1, Data: []byte{0}}),
		benchRecord(unix.SYS_WRITE, 12345, 1, [6]uint64{1, 0x7ffc0000, 1}, wire.Cap{Arg: 1, Data: []byte{0}}),
	}
}

// BenchmarkDecodeDD decodes the dd records alternately. The daemon must
// keep up with dd's rate (a record every ~450 ns on a Xeon), so this is
// the decoder's per-record budget at its tightest. allocs/op must be 0.
func BenchmarkDecodeDD(b *testing.B) {
	recs := ddRecords()
	d, txt := newText(Options{Prefix: PrefixFile})
	var out []byte
	for i := 0; i < 1<<14; i++ { // grow the buffers to their working size
		d.Feed(recs[i&1])
	}
	out = txt.TakeInto(out[:0])
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := d.Feed(recs[i&1]); err != nil {
			b.Fatal(err)
		}
		if txt.Pending() > 256<<10 {
			out = txt.TakeInto(out[:0])
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// threadsRecords are what a traced bench "threads" workload sends: 64
// threads each making 1-byte writes and sched_yield, so that the thread
// changes every other record (sched_yield hands the CPU to the next one).
func threadsRecords() [][]byte {
	var recs [][]byte
	for i := range uint32(64) {
		tid := 41000 + i
		recs = append(recs,
			benchRecord(unix.SYS_WRITE, tid, 1, [6]uint64{3, 0x55550000, 1}, wire.Cap{Arg: 1, Data: []byte("x")}),
			benchRecord(unix.SYS_SCHED_YIELD, tid, 0, [6]uint64{}))
	}
	return recs
}

// BenchmarkDecodeThreads decodes the threads records in turn, with strace
// -f -o FILE's prefix, while the main thread waits in pthread_join (its
// futex shown unfinished, as in the workload's trace). allocs/op must be 0.
func BenchmarkDecodeThreads(b *testing.B) {
	recs := threadsRecords()
	d, txt := newText(Options{Prefix: PrefixFile})
	// futex(addr, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, ...), as glibc's pthread_join
	join := benchRecord(unix.SYS_FUTEX, 40999, 0, [6]uint64{0x7f0000001000, 9 | 256, 41000, 0, 0, 0xffffffff})
	binary.LittleEndian.PutUint16(join[0:], wire.EvEnter)
	d.Feed(join)
	var out []byte
	for i := 0; i < 1<<14; i++ { // grow the buffers to their working size
		d.Feed(recs[i%len(recs)])
	}
	out = txt.TakeInto(out[:0])
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := d.Feed(recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
		if txt.Pending() > 64<<10 {
			out = txt.TakeInto(out[:0])
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
