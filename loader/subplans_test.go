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

// The requests TestPlanCases' helper makes on /dev/null (each fails with
// ENOTTY; a capture taken whatever the result still copies the buffer).
const (
	reqOld     = 0x5401     // old style, no size bits (TCGETS): a 36-byte case
	reqSized20 = 0x80144506 // _IOR('E', 6, 20) (EVIOCGNAME(20))
	reqSized40 = 0x80284506 // the same request with 40 size bits: one case
	reqUnknown = 0x80084507 // no case: the base plan, nothing captured
	caseMask   = 0xc000ffff // direction, type, number: not the size
)

// TestPlanCasesHelper is the traced program of TestPlanCases: it runs only
// when that test starts it.
func TestPlanCasesHelper(t *testing.T) {
	if os.Getenv("EPROC_PLAN_CASES_HELPER") != "1" {
		t.Skip("the traced side of TestPlanCases")
	}
	f, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf [64]byte
	for i := range buf {
		buf[i] = byte(i + 1)
	}
	for _, req := range []uintptr{reqOld, reqSized20, reqSized40, reqUnknown} {
		unix.Syscall(unix.SYS_IOCTL, f.Fd(), req, uintptr(unsafe.Pointer(&buf[0])))
	}
}

// TestPlanCases: a syscall whose plan selects by an argument (ioctl's
// request, as strace's table gives it) gets its case's captures: a
// constant size for an old-style request, the request's own size bits
// for a case keyed without them, and nothing for a request without a case.
func TestPlanCases(t *testing.T) {
	e := openEngine(t)
	sized := wire.CapSpec{Kind: wire.CKMem, Arg: 2, SizeFrom: wire.SzIoc, SizeArg: 1, Elem: 1, Max: wire.MaxCap, When: wire.CWIn}
	old := wire.CapSpec{Kind: wire.CKMem, Arg: 2, SizeFrom: wire.SzConst, Elem: 36, Max: 36, When: wire.CWIn}
	plans := map[uint32]wire.Plan{
		unix.SYS_EXECVE:     {Flags: wire.PFExec},
		unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn},
		unix.SYS_IOCTL: {Flags: wire.PFSelect, SelArg: 1, SelMask: caseMask, Cases: map[uint32]wire.Plan{
			reqOld:                {Caps: [wire.NCaps]wire.CapSpec{old}},
			reqSized20 & caseMask: {Caps: [wire.NCaps]wire.CapSpec{sized}},
		}},
	}
	if err := e.SetPlans(plans); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPlanCasesHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EPROC_PLAN_CASES_HELPER=1")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	got := map[uint64][]byte{} // request -> the argument's capture (nil: none)
	seen := map[uint64]bool{}
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if binary.LittleEndian.Uint16(rec) != wire.EvSyscall || wire.ParseCall(rec, &c) != nil || c.Nr != unix.SYS_IOCTL {
				return
			}
			switch c.Args[1] {
			case reqOld, reqSized20, reqSized40, reqUnknown:
				seen[c.Args[1]] = true
				if cp := c.Cap(2, 0); cp != nil {
					got[c.Args[1]] = append([]byte(nil), cp.Data...)
				}
			}
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	<-done
	for req, want := range map[uint64]int{reqOld: 36, reqSized20: 20, reqSized40: 40, reqUnknown: -1} {
		if !seen[req] {
			t.Errorf("request %#x: no record", req)
			continue
		}
		b, ok := got[req]
		switch {
		case want < 0 && ok:
			t.Errorf("request %#x has no case: captured %d bytes, want none", req, len(b))
		case want >= 0 && len(b) != want:
			t.Errorf("request %#x: captured %d bytes, want %d", req, len(b), want)
		case want > 0 && (b[0] != 1 || b[want-1] != byte(want)):
			t.Errorf("request %#x: captured % x, want the bytes 1..%d", req, b, want)
		}
	}
}
