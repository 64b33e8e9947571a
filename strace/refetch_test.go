package strace

import (
	"encoding/binary"
	"strings"
	"testing"
	"unsafe"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// wantCap is a capture the BPF read could not take: what it wanted.
func wantCap(arg uint8, flags uint8, size, kind uint32, ptr uint64) wire.Cap {
	b := make([]byte, wire.WantSize)
	binary.LittleEndian.PutUint32(b, size)
	binary.LittleEndian.PutUint32(b[4:], kind)
	binary.LittleEndian.PutUint64(b[8:], ptr)
	return wire.Cap{Arg: arg, Flags: wire.CapFault | wire.CapWant | flags, Data: b}
}

// fakeMem is one task's readable memory: bytes at base; none elsewhere.
type fakeMem struct {
	tid   uint32
	base  uint64
	bytes []byte
	reads int
}

func (m *fakeMem) read(tid uint32, addr uint64, b []byte) int {
	m.reads++
	if tid != m.tid || addr < m.base || addr >= m.base+uint64(len(m.bytes)) {
		return 0
	}
	return copy(b, m.bytes[addr-m.base:])
}

// A capture the BPF read could not take is read from user space, as the
// BPF read would have made it (strace's output for the same memory).
func TestRefetch(t *testing.T) {
	const base = 0x555500001000
	mem := &fakeMem{tid: 100, base: base, bytes: []byte("hello\x00/etc/hostname\x00" + strings.Repeat("a", 40) + "\x00" + strings.Repeat("b", 33))}
	path, long := uint64(base+6), uint64(base+20)
	mk := func(name string, ret int64, args [6]uint64, caps ...wire.Cap) []byte {
		nr, ok := Number(name)
		if !ok {
			t.Skipf("no %s here", name)
		}
		return benchRecord(nr, 100, ret, args, caps...)
	}
	for _, tc := range []struct {
		rec  []byte
		mem  bool
		want string
	}{
		{mk("write", 5, [6]uint64{3, base, 5}, wantCap(1, 0, 5, wire.CKMem, base)), true, `write(3, "hello", 5) = 5`},
		{mk("write", 5, [6]uint64{3, base, 5}, wantCap(1, 0, 5, wire.CKMem, base)), false, `write(3, 0x555500001000, 5) = 5`},
		// Readable in part: strace reads the 5 bytes at once, and prints
		// the address when it cannot.
		{mk("write", 5, [6]uint64{3, base + 91, 5}, wantCap(1, 0, 5, wire.CKMem, base+91)), true, `write(3, 0x55550000105b, 5) = 5`},
		{mk("write", -9, [6]uint64{3, 0x1000, 5}, wantCap(1, 0, 5, wire.CKMem, 0x1000)), true, `write(3, 0x1000, 5) = -1 EBADF (Bad file descriptor)`},
		{mk("openat", -2, [6]uint64{atCwd, path, 0}, wantCap(1, 0, 4096, wire.CKStr, path)), true, `openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = -1 ENOENT (No such file or directory)`},
		// A path without a NUL before the memory ends: its address, as
		// strace prints it (umovestr3, printpath-umovestr).
		{mk("chdir", -14, [6]uint64{base + 61}, wantCap(0, 0, 4096, wire.CKStr, base+61)), true, `chdir(0x55550000103d) = -1 EFAULT (Bad address)`},
		// A -s string that ends where the memory does, 33 bytes on: the
		// 32 shown, cut (put_str's rule).
		{mk("delete_module", -1, [6]uint64{base + 61, 0}, wantCap(0, 0, 34, wire.CKStr|wire.WantShown, base+61)), true, `delete_module("` + strings.Repeat("b", 32) + `"..., 0) = -1 EPERM (Operation not permitted)`},
		// A -s string, strsize+2 wanted: cut at 32 characters.
		{mk("write", -9, [6]uint64{99, long, 40}, wantCap(1, 0, 34, wire.CKMem, long)), true, `write(99, "` + strings.Repeat("a", 32) + `"..., 40) = -1 EBADF (Bad file descriptor)`},
		// Cut at -s and probed (WantProbe: 33 bytes wanted, 32 kept): the
		// 33rd is read only to know it can be, as strace reads it.
		{mk("write", -9, [6]uint64{99, long, 40}, wantCap(1, wire.CapTrunc, 33, wire.CKMem|wire.WantProbe, long)), true, `write(99, "` + strings.Repeat("a", 32) + `"..., 40) = -1 EBADF (Bad file descriptor)`},
		// 32 readable bytes before the memory ends: strace's read of 33
		// fails, and it prints the address (its printstr test).
		{mk("write", -9, [6]uint64{99, base + 62, 40}, wantCap(1, wire.CapTrunc, 33, wire.CKMem|wire.WantProbe, base+62)), true, `write(99, 0x55550000103e, 40) = -1 EBADF (Bad file descriptor)`},
	} {
		read := mem.read
		if !tc.mem {
			read = nil
		}
		checkLine(t, refetchLine(t, tc.rec, read), tc.want)
	}
	if mem.reads == 0 {
		t.Error("ReadMem was never called")
	}
}

// A string the program read the first page of, without its NUL (its read
// failed past it: WantCross): a NUL found there now was written since the
// call, and the string stays a fault, its address printed as strace printed
// it at the exit (strace's utimensat test ends a path before a guard page
// for one call, then mends it); one whose NUL is past the first page is
// read (a string running into a page the task had not touched yet).
func TestRefetchCross(t *testing.T) {
	const page = 0x555500002000
	mem := &fakeMem{tid: 100, base: page - 8, bytes: []byte("/tmp/eproc-cross\x00")}
	chdir := func(ptr uint64, ret int64, kind uint32) []byte {
		nr, ok := Number("chdir")
		if !ok {
			t.Skip("no chdir here")
		}
		return benchRecord(nr, 100, ret, [6]uint64{ptr}, wantCap(0, 0, 4096, kind, ptr))
	}
	for _, tc := range []struct {
		rec  []byte
		want string
	}{
		{chdir(page-8, -2, wire.CKStr|wire.WantCross), `chdir("/tmp/eproc-cross") = -1 ENOENT (No such file or directory)`},
		{chdir(page+1, -14, wire.CKStr|wire.WantCross), `chdir(0x555500002001) = -1 EFAULT (Bad address)`},
		{chdir(page+1, -2, wire.CKStr), `chdir("c-cross") = -1 ENOENT (No such file or directory)`},
	} {
		checkLine(t, refetchLine(t, tc.rec, mem.read), tc.want)
	}
}

// refetchLine decodes rec with -s 32, reading memory through read (none
// when nil), and returns its line with one space before the result.
func refetchLine(t *testing.T, rec []byte, read func(uint32, uint64, []byte) int) string {
	t.Helper()
	d, txt := newText(Options{StrSize: 32})
	d.ReadMem = read
	if err := d.Feed(rec); err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSuffix(string(txt.TakeInto(nil)), "\n")
	if i := strings.Index(got, ") "); i >= 0 {
		got = got[:i+2] + strings.TrimLeft(got[i+2:], " ")
	}
	return got
}

// ReadProcessMem reads this process's memory as another's would be read.
func TestReadProcessMem(t *testing.T) {
	src := []byte("eproc reads this")
	b := make([]byte, len(src))
	addr := uint64(uintptrOf(src))
	if n := ReadProcessMem(uint32(unix.Gettid()), addr, b); n != len(src) || string(b) != string(src) {
		t.Errorf("read %d bytes %q, want %q", n, b[:max(n, 0)], src)
	}
	if n := ReadProcessMem(uint32(unix.Gettid()), 0x1000, b); n != 0 {
		t.Errorf("read %d bytes at 0x1000", n)
	}
}

func uintptrOf(b []byte) uintptr { return uintptr(unsafe.Pointer(&b[0])) }

// TestRefetchEndedThread: a thread that made the call and ended before its
// record was decoded has no memory of its own to read any more: its
// process's is the same, and is read instead.
func TestRefetchEndedThread(t *testing.T) {
	nr, ok := Number("write")
	if !ok {
		t.Skip("no write here")
	}
	const at = 0x555500001004
	mem := &fakeMem{tid: 100, base: at, bytes: []byte("t\n")} // the process's; thread 101 is gone
	rec := benchRecord(nr, 101, 2, [6]uint64{1, at, 2}, wantCap(1, 0, 2, wire.CKMem, at))
	binary.LittleEndian.PutUint32(rec[8:], 100) // thread 101 of process 100
	checkLine(t, refetchLine(t, rec, mem.read), `write(1, "t\n", 2) = 2`)
}
