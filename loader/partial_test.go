package loader

import (
	"encoding/binary"
	"os"
	"os/exec"
	"testing"
	"unsafe"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// TestPartialCaptureHelper is the traced program of TestPartialCapture.
// It maps two pages, unmaps the second, and makes calls whose arguments run
// into the hole: setgroups with two group ids, the second past the page,
// and a count whose upper 32 bits are garbage; delete_module with a name
// of 33 bytes (no NUL) that ends at the page's end; chdir with a path of
// 4095 bytes that does.
func TestPartialCaptureHelper(t *testing.T) {
	if os.Getenv("EPROC_PARTIAL_HELPER") != "1" {
		t.Skip("the traced side of TestPartialCapture")
	}
	page := os.Getpagesize()
	m, err := unix.Mmap(-1, 0, 2*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	end := uintptr(unsafe.Pointer(&m[0])) + uintptr(page)
	if _, _, errno := unix.Syscall(unix.SYS_MUNMAP, end, uintptr(page), 0); errno != 0 {
		t.Fatal(errno)
	}
	m = m[:page]
	binary.LittleEndian.PutUint32(m[page-4:], 0xfffffffe)
	unix.Syscall(unix.SYS_SETGROUPS, 0xdead000000000002, end-4, 0)
	for i := 0; i < 33; i++ {
		m[page-33+i] = byte('a' + i%26)
	}
	unix.Syscall(unix.SYS_DELETE_MODULE, end-33, 0, 0)
	for i := range m {
		m[i] = '/'
	}
	unix.Syscall(unix.SYS_CHDIR, end-4095, 0, 0)
}

// TestPartialCapture: a capture that runs into a page that cannot be read
// keeps the bytes before it (CapPart, with CapFault), as strace prints an
// array's elements up to the first it cannot read; an int count's upper
// register bits are ignored (SzArg32); a string of strsize+1 bytes ending
// at such a page is there, cut (CapTrunc), not a fault.
func TestPartialCapture(t *testing.T) {
	e := openEngine(t)
	plans := map[uint32]wire.Plan{
		unix.SYS_EXECVE:     {Flags: wire.PFExec},
		unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn},
		unix.SYS_SETGROUPS: {Caps: [wire.NCaps]wire.CapSpec{
			{Kind: wire.CKMem, Arg: 1, SizeFrom: wire.SzArg32, SizeArg: 0, Elem: 4, Max: 1024, When: wire.CWIn}}},
		unix.SYS_DELETE_MODULE: {Caps: [wire.NCaps]wire.CapSpec{{Kind: wire.CKStr, Arg: 0, When: wire.CWIn}}},
		unix.SYS_CHDIR:         {Caps: [wire.NCaps]wire.CapSpec{{Kind: wire.CKStr, Arg: 0, Max: 4096, When: wire.CWIn}}},
	}
	if err := e.SetPlans(plans); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20, StrSize: 32})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPartialCaptureHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EPROC_PARTIAL_HELPER=1")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var groups, name, path *wire.Cap
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if binary.LittleEndian.Uint16(rec) != wire.EvSyscall || wire.ParseCall(rec, &c) != nil {
				return
			}
			switch {
			case c.Nr == unix.SYS_SETGROUPS && c.Args[0] == 0xdead000000000002:
				if cp := c.Cap(1, 0); cp != nil {
					groups = &wire.Cap{Flags: cp.Flags, Data: append([]byte(nil), cp.Data...)}
				}
			case c.Nr == unix.SYS_CHDIR && c.Ret == -int64(unix.EFAULT):
				if cp := c.Cap(0, 0); cp != nil {
					path = &wire.Cap{Flags: cp.Flags, Data: append([]byte(nil), cp.Data...)}
				}
			case c.Nr == unix.SYS_DELETE_MODULE:
				if cp := c.Cap(0, 0); cp != nil {
					name = &wire.Cap{Flags: cp.Flags, Data: append([]byte(nil), cp.Data...)}
				}
			}
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	<-done
	switch {
	case groups == nil:
		t.Error("setgroups: no capture")
	case !groups.Fault() || !groups.Part() || len(groups.Data) != 4 || binary.LittleEndian.Uint32(groups.Data) != 0xfffffffe:
		t.Errorf("setgroups: flags %#x, data % x; want fault and part, the first id (fe ff ff ff)", groups.Flags, groups.Data)
	}
	switch {
	case name == nil:
		t.Error("delete_module: no capture")
	case name.Fault() || !name.Trunc() || string(name.Data) != "abcdefghijklmnopqrstuvwxyzabcdef":
		t.Errorf("delete_module: flags %#x, data %q; want 32 characters, cut", name.Flags, name.Data)
	}
	// A path (a fixed max) is read whole or not at all, as strace reads it:
	// 4095 bytes without a NUL before the hole are its address.
	switch {
	case path == nil:
		t.Error("chdir: no capture")
	case !path.Fault() || len(path.Data) != 0:
		t.Errorf("chdir: flags %#x, %d bytes; want a fault", path.Flags, len(path.Data))
	}
}

// TestEntryCaptureHelper is the traced program of TestEntryCapture: a
// getsockname told 128 bytes, which the kernel shortens to 16.
func TestEntryCaptureHelper(t *testing.T) {
	if os.Getenv("EPROC_ENTRY_HELPER") != "1" {
		t.Skip("the traced side of TestEntryCapture")
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sa [128]byte
	binary.LittleEndian.PutUint64(sa[8:], 0x1122334455667788) // sin_zero's place: the call zeroes it
	n := uint32(len(sa))
	unix.Syscall(unix.SYS_GETSOCKNAME, uintptr(fd), uintptr(unsafe.Pointer(&sa[0])), uintptr(unsafe.Pointer(&n)))
	if n != 16 {
		t.Fatalf("getsockname left %d", n)
	}
}

// TestEntryCapture: a CWEntry capture is the value the call was given
// (read at its syscalls:sys_enter_* tracepoint), in an EV_ARGVALS record
// before the call's own, which has the value at exit; one with an offset
// reads a field of the struct the argument points to (the sockaddr's
// bytes 8..15, which the call then zeroes).
func TestEntryCapture(t *testing.T) {
	e := openEngine(t)
	plans := map[uint32]wire.Plan{
		unix.SYS_EXECVE:     {Flags: wire.PFExec},
		unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn},
		unix.SYS_GETSOCKNAME: {Flags: wire.PFEntry, Name: "getsockname", Caps: [wire.NCaps]wire.CapSpec{
			{Kind: wire.CKMem, Arg: 2, SizeFrom: wire.SzConst, Elem: 4, Max: 4, When: wire.CWIn},
			{Kind: wire.CKMem, Arg: 2, SizeFrom: wire.SzConst, Elem: 4, Max: 4, When: wire.CWEntry},
			{Kind: wire.CKMem, Arg: 1, SizeFrom: wire.SzConst, Elem: 8, Max: 8, When: wire.CWEntry, Off: 8}}},
	}
	if err := e.SetPlans(plans); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestEntryCaptureHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EPROC_ENTRY_HELPER=1")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	in, out, order := -1, -1, ""
	var field uint64
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			switch binary.LittleEndian.Uint16(rec) {
			case wire.EvArgVals:
				var a wire.ArgVals
				if wire.ParseArgVals(rec, &a) == nil && a.Nr == unix.SYS_GETSOCKNAME && a.N == 2 && a.Arg[0] == 2 && a.Size[0] == 4 && a.Fault == 0 {
					in = int(binary.LittleEndian.Uint32(a.Data[0][:]))
					if a.Arg[1] == 1 && a.Size[1] == 8 {
						field = binary.LittleEndian.Uint64(a.Data[1][:])
					}
					order += "a"
				}
			case wire.EvSyscall:
				var c wire.Call
				if wire.ParseCall(rec, &c) != nil || c.Nr != unix.SYS_GETSOCKNAME {
					return
				}
				if cp := c.Cap(2, 0); cp != nil && len(cp.Data) == 4 {
					out = int(binary.LittleEndian.Uint32(cp.Data))
				}
				order += "c"
			}
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	<-done
	if in != 128 || out != 16 || order != "ac" {
		t.Errorf("getsockname's length: %d at entry, %d at exit, records %q; want 128 and 16, its values then the call (\"ac\")", in, out, order)
	}
	if field != 0x1122334455667788 {
		t.Errorf("getsockname's sockaddr bytes 8..15 at entry: %#x, want 0x1122334455667788", field)
	}
}
