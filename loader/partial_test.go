package loader

import (
	"encoding/binary"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
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
	// 40-byte buffers, cut at -s 32: strace reads 33 bytes of them.
	for _, at := range []uintptr{end - 33, end - 32} {
		unix.Syscall(unix.SYS_WRITE, 0xdead, at, 40)
		iov := [2]uint64{uint64(at), 40}
		unix.Syscall(unix.SYS_WRITEV, 0xdead, uintptr(unsafe.Pointer(&iov[0])), 1)
		runtime.KeepAlive(&iov)
	}
	for i := range m {
		m[i] = '/'
	}
	unix.Syscall(unix.SYS_CHDIR, end-4095, 0, 0)
}

// TestPartialCapture: a capture that runs into a page that cannot be read
// keeps the bytes before it (CapPart, with CapFault), as strace prints an
// array's elements up to the first it cannot read; an int count's upper
// register bits are ignored (SzArg32); a string of strsize+1 bytes ending
// at such a page is there, cut (CapTrunc), not a fault; a buffer longer
// than strsize is read one byte further (PUT_PROBE, strace's printstr): 33
// readable bytes are a capture of 32, cut, and 32 a fault (its address).
func TestPartialCapture(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(partialPlans()); err != nil {
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
	page := uint64(os.Getpagesize())
	var groups, name, path *wire.Cap
	bufs := map[string]*wire.Cap{} // "write 33", "writev 32": the call, the bytes before the hole
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
			case c.Nr == unix.SYS_WRITE && c.Args[0] == 0xdead:
				bufs["write "+strconv.Itoa(int(page-c.Args[1]%page))] = keepCap(c.Cap(1, 0))
			case c.Nr == unix.SYS_WRITEV && c.Args[0] == 0xdead:
				if cp := c.Cap(1, 0); cp != nil && len(cp.Data) >= 8 {
					at := binary.LittleEndian.Uint64(cp.Data)
					bufs["writev "+strconv.Itoa(int(page-at%page))] = keepCap(c.Cap(1, 1))
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
	checkProbed(t, bufs)
	// A path (a fixed max) is read whole or not at all, as strace reads it:
	// 4095 bytes without a NUL before the hole are its address.
	switch {
	case path == nil:
		t.Error("chdir: no capture")
	case !path.Fault() || len(path.Data) != 0:
		t.Errorf("chdir: flags %#x, %d bytes; want a fault", path.Flags, len(path.Data))
	}
}

// partialPlans are TestPartialCapture's capture plans.
func partialPlans() map[uint32]wire.Plan {
	return map[uint32]wire.Plan{
		unix.SYS_EXECVE:     {Flags: wire.PFExec},
		unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn},
		unix.SYS_SETGROUPS: {Caps: [wire.NCaps]wire.CapSpec{
			{Kind: wire.CKMem, Arg: 1, SizeFrom: wire.SzArg32, SizeArg: 0, Elem: 4, Max: 1024, When: wire.CWIn}}},
		unix.SYS_DELETE_MODULE: {Caps: [wire.NCaps]wire.CapSpec{{Kind: wire.CKStr, Arg: 0, When: wire.CWIn}}},
		unix.SYS_CHDIR:         {Caps: [wire.NCaps]wire.CapSpec{{Kind: wire.CKStr, Arg: 0, Max: 4096, When: wire.CWIn}}},
		unix.SYS_WRITE: {Caps: [wire.NCaps]wire.CapSpec{
			{Kind: wire.CKMem, Arg: 1, SizeFrom: wire.SzArg, SizeArg: 2, Elem: 1, When: wire.CWIn}}},
		unix.SYS_WRITEV: {Caps: [wire.NCaps]wire.CapSpec{{Kind: wire.CKIov, Arg: 1, SizeArg: 2, When: wire.CWIn}}},
	}
}

// keepCap copies cp out of the record (nil: nil).
func keepCap(cp *wire.Cap) *wire.Cap {
	if cp == nil {
		return nil
	}
	return &wire.Cap{Flags: cp.Flags, Data: append([]byte(nil), cp.Data...)}
}

// checkProbed checks TestPartialCapture's buffers of 40 bytes cut at -s
// 32 ("write 33": write's, 33 bytes readable before the hole): strace
// reads 33 bytes of them, and prints one it cannot read as its address.
func checkProbed(t *testing.T, bufs map[string]*wire.Cap) {
	t.Helper()
	for _, call := range []string{"write", "writev"} {
		whole, short := bufs[call+" 33"], bufs[call+" 32"]
		switch {
		case whole == nil || short == nil:
			t.Errorf("%s: captures %v, %v; want both", call, whole, short)
		case whole.Fault() || !whole.Trunc() || len(whole.Data) != 32:
			t.Errorf("%s, 33 bytes readable: flags %#x, %d bytes; want 32, cut", call, whole.Flags, len(whole.Data))
		case !short.Fault():
			t.Errorf("%s, 32 bytes readable: flags %#x, %d bytes; want a fault", call, short.Flags, len(short.Data))
		}
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
// (read at its syscalls:sys_enter_* tracepoint, or by sys_enter while a
// session wants entry times), in an EV_ARGVALS record before the call's
// own, which has the value at exit; one with an offset reads a field of
// the struct the argument points to (the sockaddr's bytes 8..15, which the
// call then zeroes). Three ways: without entry times (perf's tracepoints),
// with (sys_enter from the start: eproc trace -T), and a session with
// entry times beside one without (the engine switches from perf's
// tracepoints to sys_enter: their links close in the background, and
// until they have, both capture), and one without after one with ended
// (the programs stay attached for idleGrace, sys_enter detached at the
// end of the first: perf's tracepoints must be attached again).
func TestEntryCapture(t *testing.T) {
	for _, mode := range []string{"perf", "sys_enter", "switch", "after"} {
		t.Run(mode, func(t *testing.T) {
			e := openEngine(t)
			if err := e.SetPlans(entryPlans()); err != nil {
				t.Fatal(err)
			}
			if mode == "switch" {
				sleeperSession(t, e, SessionConfig{RingSize: 1 << 16})
			}
			if mode == "after" {
				if order, _, _, _ := entryCapture(t, e, true); order != "ac" {
					t.Fatalf("first session (entry times): records %q", order)
				}
			}
			order, in, out, field := entryCapture(t, e, mode == "sys_enter" || mode == "switch")
			if ok, _ := regexp.MatchString("^a+c$", order); !ok || (mode != "switch" && order != "ac") {
				t.Errorf("records %q: want getsockname's values, then the call (\"ac\"; \"a+c\" while both capture)", order)
			}
			if in != 128 || out != 16 {
				t.Errorf("getsockname's length: %d at entry, %d at exit; want 128 and 16", in, out)
			}
			if field != 0x1122334455667788 {
				t.Errorf("getsockname's sockaddr bytes 8..15 at entry: %#x, want 0x1122334455667788", field)
			}
		})
	}
}

// TestEntryCapsWanted: the entry captures' tracepoints are attached only
// while some live session prints a call that has them (perf's probe on
// the sys_enter tracepoint costs every process's syscalls): not for a
// session that traces getpid alone; for one that traces everything beside
// it, whose getsockname then has its entry values; detached again, in
// the kernel too, once that one has ended and the first is still live.
func TestEntryCapsWanted(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(entryPlans()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		nrs  []uint32
		want bool
	}{{nil, true}, {[]uint32{unix.SYS_GETPID}, false}, {[]uint32{unix.SYS_GETPID, unix.SYS_GETSOCKNAME}, true}, {[]uint32{}, false}} {
		if got := e.entryCaps(&SessionConfig{Syscalls: c.nrs}); got != c.want {
			t.Errorf("syscalls %v: entry captures wanted %v, want %v", c.nrs, got, c.want)
		}
	}
	attached := func() (links, inKernel int) {
		e.mu.Lock()
		links = len(e.entryLinks)
		e.mu.Unlock()
		return links, tracepointLinks("sys_enter_getsockname")
	}
	sleeperSession(t, e, SessionConfig{RingSize: 1 << 16, Syscalls: []uint32{unix.SYS_GETPID}})
	if l, k := attached(); l != 0 || k != 0 {
		t.Fatalf("a session of getpid alone: %d entry links, %d in the kernel; want none", l, k)
	}
	order, in, out, field := entryCapture(t, e, false)
	if order != "ac" || in != 128 || out != 16 || field != 0x1122334455667788 {
		t.Errorf("beside it, a session of everything: records %q, getsockname's length %d at entry, %d at exit, sockaddr bytes 8..15 %#x; want \"ac\", 128, 16, 0x1122334455667788", order, in, out, field)
	}
	l, k := attached()
	for i := 0; i < 100 && k != 0; i++ { // closed in the background (grace periods)
		time.Sleep(50 * time.Millisecond)
		l, k = attached()
	}
	if l != 0 || k != 0 {
		t.Errorf("after it ended: %d entry links, %d in the kernel; want none", l, k)
	}
}

// sleeperSession starts a session of e with configuration cfg on a sleep
// 300, its records read and left, both ended when t ends.
func sleeperSession(t *testing.T, e *Engine, cfg SessionConfig) {
	s, err := e.NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sleeper := exec.Command("sleep", "300")
	if err := s.Spawn(sleeper, false); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleeper.Process.Kill(); sleeper.Wait() })
	go s.Run(HandlerFunc(func([]byte) {}))
	t.Cleanup(func() { s.Close() })
}

// tracepointLinks counts this process's BPF links on tracepoint name.
func tracepointLinks(name string) int {
	fds, _ := os.ReadDir("/proc/self/fdinfo")
	n := 0
	for _, fd := range fds {
		b, err := os.ReadFile("/proc/self/fdinfo/" + fd.Name())
		if err == nil && strings.Contains(string(b), "link_type:") && strings.Contains(string(b), "tp_name:\t"+name+"\n") {
			n++
		}
	}
	return n
}

// entryPlans are TestEntryCaptureHelper's: getsockname's length at exit,
// and at entry with its sockaddr's bytes 8..15 (entryCapture).
func entryPlans() map[uint32]wire.Plan {
	return map[uint32]wire.Plan{
		unix.SYS_EXECVE:     {Flags: wire.PFExec},
		unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn},
		unix.SYS_GETSOCKNAME: {Flags: wire.PFEntry, Name: "getsockname", Caps: [wire.NCaps]wire.CapSpec{
			{Kind: wire.CKMem, Arg: 2, SizeFrom: wire.SzConst, Elem: 4, Max: 4, When: wire.CWIn},
			{Kind: wire.CKMem, Arg: 2, SizeFrom: wire.SzConst, Elem: 4, Max: 4, When: wire.CWEntry},
			{Kind: wire.CKMem, Arg: 1, SizeFrom: wire.SzConst, Elem: 8, Max: 8, When: wire.CWEntry, Off: 8}}},
	}
}

// entryCapture runs TestEntryCaptureHelper in a new session of e (with
// entry times: latency), and returns the order of its getsockname's
// records ("a" values, "c" the call), the length at entry and at exit,
// and the sockaddr's bytes 8..15 at entry.
func entryCapture(t *testing.T, e *Engine, latency bool) (order string, in, out int, field uint64) {
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20, Latency: latency})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestEntryCaptureHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EPROC_ENTRY_HELPER=1")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	in, out = -1, -1
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
	return order, in, out, field
}

// TestAttrMemHelper is the traced program of TestAttrMem: a BPF_OBJ_GET
// of a path that is not pinned, and a BPF_PROG_LOAD whose log buffer the
// verifier fills.
func TestAttrMemHelper(t *testing.T) {
	if os.Getenv("EPROC_ATTRMEM_HELPER") != "1" {
		t.Skip("the traced side of TestAttrMem")
	}
	path := []byte("/sys/fs/bpf/eproc-not-pinned\x00")
	var get [16]byte
	binary.LittleEndian.PutUint64(get[:], uint64(uintptr(unsafe.Pointer(&path[0]))))
	unix.Syscall(unix.SYS_BPF, 7, uintptr(unsafe.Pointer(&get[0])), 16)
	// r0 = 0; exit, loaded with a log: the log at entry is the caller's.
	insns := []byte{0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}
	license := []byte("GPL\x00")
	logBuf := make([]byte, 4096)
	var load [72]byte
	binary.LittleEndian.PutUint32(load[0:], 1) // BPF_PROG_TYPE_SOCKET_FILTER
	binary.LittleEndian.PutUint32(load[4:], 2)
	binary.LittleEndian.PutUint64(load[8:], uint64(uintptr(unsafe.Pointer(&insns[0]))))
	binary.LittleEndian.PutUint64(load[16:], uint64(uintptr(unsafe.Pointer(&license[0]))))
	binary.LittleEndian.PutUint32(load[24:], 1)
	binary.LittleEndian.PutUint32(load[28:], uint32(len(logBuf)))
	binary.LittleEndian.PutUint64(load[32:], uint64(uintptr(unsafe.Pointer(&logBuf[0]))))
	fd, _, errno := unix.Syscall(unix.SYS_BPF, 5, uintptr(unsafe.Pointer(&load[0])), 72)
	if errno != 0 {
		t.Fatalf("BPF_PROG_LOAD: %v", errno)
	}
	// Its info, which the call fills: read at the call's exit too.
	info := make([]byte, 232)
	info[52] = 7 // nr_map_ids as given: the kernel writes 0
	var get2 [16]byte
	binary.LittleEndian.PutUint32(get2[0:], uint32(fd))
	binary.LittleEndian.PutUint32(get2[4:], uint32(len(info)))
	binary.LittleEndian.PutUint64(get2[8:], uint64(uintptr(unsafe.Pointer(&info[0]))))
	unix.Syscall(unix.SYS_BPF, 15, uintptr(unsafe.Pointer(&get2[0])), 16)
	unix.Close(int(fd))
	runtime.KeepAlive(info)
	runtime.KeepAlive(path)
	runtime.KeepAlive(insns)
	runtime.KeepAlive(license)
	runtime.KeepAlive(logBuf)
}

// TestAttrMem: what bpf's attr points to, read as the call entered, comes
// in an EV_ATTRMEM record before the call's (the path; the instructions,
// the license, and the log as it was before the verifier wrote it).
func TestAttrMem(t *testing.T) {
	e := openEngine(t)
	plans := map[uint32]wire.Plan{
		unix.SYS_EXECVE:     {Flags: wire.PFExec},
		unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn},
		unix.SYS_BPF: {Flags: wire.PFEntry, Name: "bpf", Caps: [wire.NCaps]wire.CapSpec{
			{Kind: wire.CKMem, Arg: 1, SizeFrom: wire.SzConst, Elem: 8, Max: 8, When: wire.CWEntry}}},
	}
	if err := e.SetPlans(plans); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20, StrSize: 32})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAttrMemHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EPROC_ATTRMEM_HELPER=1")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	got := map[uint16]string{}
	var exitInfo []byte
	order := ""
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			switch binary.LittleEndian.Uint16(rec) {
			case wire.EvAttrMem:
				var c wire.Call
				if wire.ParseCall(rec, &c) != nil || c.Nr != unix.SYS_BPF {
					return
				}
				for _, cp := range c.Caps {
					if cp.Idx == wire.AttrMemIdx|0x2000|8 { // at exit
						exitInfo = append([]byte(nil), cp.Data...)
						continue
					}
					got[uint16(c.Args[0])<<8|cp.Idx&0xff] = string(cp.Data)
				}
				if c.ExitTS != 0 {
					order += "x"
				}
				order += "m" + strconv.FormatUint(c.Args[0], 10)
			case wire.EvSyscall:
				var c wire.Call
				if wire.ParseCall(rec, &c) == nil && c.Nr == unix.SYS_BPF {
					order += "c" + strconv.FormatUint(c.Args[0], 10)
				}
			}
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	<-done
	insns := "\xb7\x00\x00\x00\x00\x00\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00"
	for key, want := range map[uint16]string{7<<8 | 0: "/sys/fs/bpf/eproc-not-pinned\x00", 5<<8 | 8: insns,
		5<<8 | 16: "GPL\x00", 5<<8 | 32: "\x00"} {
		if got[key] != want {
			t.Errorf("command %d, pointer at %d: %q, want %q", key>>8, key&0xff, got[key], want)
		}
	}
	if !strings.HasSuffix(order, "m7c7m5c5m15xm15c15") {
		t.Errorf("records %q; want each call's memory, then the call, OBJ_GET_INFO_BY_FD's at exit too (\"m7c7m5c5m15xm15c15\")", order)
	}
	// The info at entry (nr_map_ids 7), and as the kernel wrote it (0,
	// and the program's type).
	if in := got[15<<8|8]; len(in) != 232 || in[52] != 7 {
		t.Errorf("info at entry: %d bytes, nr_map_ids %d; want 232, 7", len(in), in[52])
	}
	if len(exitInfo) != 232 || exitInfo[0] != 1 || exitInfo[52] != 0 {
		t.Errorf("info at exit: % x; want 232 bytes, type 1 (socket filter), nr_map_ids 0", exitInfo)
	}
}
