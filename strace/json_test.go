package strace

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// jsonLines is a LineWriter that keeps what it is given.
type jsonLines struct {
	bytes.Buffer
	final bool
}

func (j *jsonLines) WriteLines(b []byte) { j.Write(b) }
func (j *jsonLines) Flush()              {}
func (j *jsonLines) Final(b []byte)      { j.Write(b); j.final = true }

func exitRecord(tid uint32, code int32, kind uint32) []byte {
	b := make([]byte, wire.ExitSize)
	binary.LittleEndian.PutUint16(b[0:], wire.EvExit)
	binary.LittleEndian.PutUint16(b[2:], wire.ExitSize)
	binary.LittleEndian.PutUint32(b[4:], tid)
	binary.LittleEndian.PutUint32(b[8:], tid)
	binary.LittleEndian.PutUint32(b[24:], uint32(code))
	binary.LittleEndian.PutUint32(b[28:], kind)
	return b
}

func enterRecord(nr, tid uint32, args [6]uint64) []byte {
	b := benchRecord(nr, tid, 0, args)
	binary.LittleEndian.PutUint16(b, wire.EvEnter)
	return b
}

// The JSON sink's objects for calls that return, fail, block and resume,
// never return, or are cut short by their thread's death; for losses and
// the end.
func TestJSONEvents(t *testing.T) {
	sysPause := needPause(t)
	var out jsonLines
	j := NewJSON(32, &out)
	j.proc = t.TempDir() // threads 100-103 are not this machine's
	if err := os.MkdirAll(j.proc+"/101", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(j.proc+"/101/comm", []byte("reader\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := NewDecoder(j)
	for _, r := range [][]byte{
		benchRecord(unix.SYS_OPENAT, 100, -2, [6]uint64{atCwd, 0x7f00, unix.O_RDONLY | unix.O_CLOEXEC}, wire.Cap{Arg: 1, Data: []byte("/etc/x")}),
		enterRecord(unix.SYS_READ, 101, [6]uint64{0, 0x1000, 10}),
		benchRecord(unix.SYS_WRITE, 100, 3, [6]uint64{1, 0x2000, 3}, wire.Cap{Arg: 1, Data: []byte("a\x01\n")}),
		enterRecord(unix.SYS_READ, 101, [6]uint64{0, 0x1000, 10}), // announced again: one object
		benchRecord(unix.SYS_READ, 101, 2, [6]uint64{0, 0x1000, 10}, wire.Cap{Arg: 1, Data: []byte("hi")}),
		enterRecord(unix.SYS_NANOSLEEP, 102, [6]uint64{0x3000, 0}),
		benchRecord(sysPause, 103, -512, [6]uint64{}),
		dropsRecord(100, 4, 1),
		exitRecord(102, 9, wire.ExitThread), // killed in nanosleep
		enterRecord(unix.SYS_EXIT_GROUP, 100, [6]uint64{3}),
		exitRecord(100, 3<<8, wire.ExitGroup),
	} {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	d.End(Counts{Seen: 9, Dropped: 4, Lost: 1})
	if !out.final {
		t.Error("End did not call Final")
	}
	want := []string{
		`"syscall":"openat","args":["AT_FDCWD","/etc/x",["O_RDONLY","O_CLOEXEC"]],"ret":-1,"errno":"ENOENT"`,
		`"syscall":"write","args":[1,"a\u0001\n",3],"ret":3`,
		`"tid":101,"comm":"reader","syscall":"read","args":[0,"hi",10],"ret":2`,
		`"syscall":"pause","args":[],"ret":null,"errno":"ERESTARTSYS"`,
		`{"event":"dropped","syscalls":4,"other":1}`,
		`"tid":102,"comm":"","syscall":"nanosleep","args":["0x3000",null],"ret":null,"unfinished":true}`,
		`"tid":102,"comm":"","killed_by":"SIGKILL","core_dumped":false,"group":false}`,
		`"syscall":"exit_group","args":[3],"ret":null}`,
		`"tid":100,"comm":"","code":3,"group":true}`,
		`{"event":"end","syscalls":9,"dropped":4,"lost":1}`,
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d objects, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("not JSON: %s", l)
		}
		if !strings.Contains(l, want[i]) {
			t.Errorf("object %d:\n got %s\nwant ...%s...", i, l, want[i])
		}
	}
	if j.Calls != 6 || j.Fallbacks != 0 {
		t.Errorf("Calls %d Fallbacks %d, want 6 and 0", j.Calls, j.Fallbacks)
	}
}

// Whatever records come, the JSON sink writes valid JSON objects, one per
// line, the end last.
func FuzzJSONRecords(f *testing.F) {
	f.Add(benchRecord(unix.SYS_WRITE, 100, 3, [6]uint64{1, 0x2000, 3}, wire.Cap{Arg: 1, Data: []byte("\xff\xfe\n")}))
	f.Add(append(enterRecord(unix.SYS_READ, 7, [6]uint64{}), exitRecord(7, 11|0x80, wire.ExitGroup)...))
	f.Add(benchRecord(9999, 100, 0, [6]uint64{1, 2, 3, 4, 5, 6}))
	f.Fuzz(func(t *testing.T, data []byte) {
		var out jsonLines
		j := NewJSON(16, &out)
		j.proc = "/nonexistent"
		d := NewDecoder(j)
		for len(data) >= 4 {
			n := int(binary.LittleEndian.Uint16(data[2:]))
			if n < 4 || n > len(data) {
				n = len(data)
			}
			d.Feed(data[:n])
			data = data[n:]
		}
		d.End(Counts{Seen: 3, Dropped: 1})
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		for _, l := range lines {
			if !json.Valid([]byte(l)) {
				t.Fatalf("not JSON: %q", l)
			}
		}
		if !strings.HasPrefix(lines[len(lines)-1], `{"event":"end"`) {
			t.Fatalf("the last object is not the end: %q", lines[len(lines)-1])
		}
	})
}

// BenchmarkDecodeJSON is BenchmarkDecode's mix through the JSON sink: the
// arguments printed by the text's table, then read back as values.
func BenchmarkDecodeJSON(b *testing.B) {
	recs := [][]byte{
		benchRecord(unix.SYS_READ, 100, 832, [6]uint64{3, 0x7ffc0000, 832}, wire.Cap{Arg: 1, Data: []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00\x10t\x02\x00\x00\x00\x00\x00")}),
		benchRecord(unix.SYS_WRITE, 100, 6, [6]uint64{1, 0x55550000, 6}, wire.Cap{Arg: 1, Data: []byte("hello\n")}),
		benchRecord(unix.SYS_OPENAT, 100, 3, [6]uint64{atCwd, 0x7f000000, unix.O_RDONLY | unix.O_CLOEXEC}, wire.Cap{Arg: 1, Data: []byte("/lib/x86_64-linux-gnu/libc.so.6")}),
		benchRecord(unix.SYS_CLOSE, 100, 0, [6]uint64{3}),
		benchRecord(unix.SYS_OPENAT, 100, -2, [6]uint64{atCwd, 0x7f000000, unix.O_RDONLY}, wire.Cap{Arg: 1, Data: []byte("/etc/ld.so.preload")}),
	}
	var out jsonLines
	j := NewJSON(32, &out)
	j.proc = "/nonexistent"
	d := NewDecoder(j)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := d.Feed(recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
		if out.Len() > 1<<20 {
			out.Reset()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// TestJSONClock: jsonClock writes what time.Time's AppendFormat writes
// with RFC 3339's 9-digit layout in UTC, across second boundaries, in
// and out of order, before 1970 too.
func TestJSONClock(t *testing.T) {
	var c jsonClock
	base := int64(1796000000123456789)
	for _, ns := range []int64{base, base + 1, base + 876543210, base + 876543211, base - 123456789, base - 123456790,
		base + 3600e9, 0, 999999999, 1e9, -1, -1e9, -1e9 - 1, base, 253402300799999999999 / 1000} {
		want := time.Unix(0, ns).UTC().AppendFormat(nil, "2006-01-02T15:04:05.000000000Z07:00")
		if got := c.append(nil, ns); string(got) != string(want) {
			t.Errorf("%d: %s, want %s", ns, got, want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		ns := base + r.Int64N(5e9) - 25e8
		want := time.Unix(0, ns).UTC().AppendFormat(nil, "2006-01-02T15:04:05.000000000Z07:00")
		if got := c.append(nil, ns); string(got) != string(want) {
			t.Fatalf("%d: %s, want %s", ns, got, want)
		}
	}
}
