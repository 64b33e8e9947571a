package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// The captures prctl, seccomp, fcntl and keyctl take by option, operation
// or command (selector cases): none for the others.
func TestSelectorCaptures(t *testing.T) {
	plans := Plans()
	for _, tc := range []struct {
		name string
		sel  uint32
		want wire.CapSpec
	}{
		{"prctl", 40, wire.CapSpec{Kind: wire.CKMem, Arg: 1, Elem: 8, Max: 8, When: wire.CWOK}},
		{"prctl", 2, wire.CapSpec{Kind: wire.CKMem, Arg: 1, Elem: 4, Max: 4, When: wire.CWOK}},
		{"prctl", 15, wire.CapSpec{Kind: wire.CKMem, Arg: 1, Elem: 15, Max: 15, When: wire.CWIn}},
		{"prctl", 62, wire.CapSpec{Kind: wire.CKMem, Arg: 4, Elem: 8, Max: 8, When: wire.CWOK}},
		{"seccomp", 2, wire.CapSpec{Kind: wire.CKMem, Arg: 2, Elem: 4, Max: 4, When: wire.CWIn}},
		{"fcntl", 15, wire.CapSpec{Kind: wire.CKMem, Arg: 2, Elem: 8, Max: 8, When: wire.CWIn}},
		{"fcntl", 36, wire.CapSpec{Kind: wire.CKMem, Arg: 2, Elem: 32, Max: 32, When: wire.CWIn}},
		{"keyctl", 1, wire.CapSpec{Kind: wire.CKStr, Arg: 1, When: wire.CWIn}},
		{"seccomp", 3, wire.CapSpec{Kind: wire.CKMem, Arg: 2, Elem: 6, Max: 6, When: wire.CWOK}},
	} {
		nr, ok := Number(tc.name)
		if !ok {
			continue
		}
		pl := plans[nr]
		if pl.Flags&wire.PFSelect == 0 || pl.SelMask != 0xffffffff {
			t.Errorf("%s: no selector (%+v)", tc.name, pl)
			continue
		}
		if pl.Caps[0].Kind != wire.CKNone {
			t.Errorf("%s: captures %+v for every call", tc.name, pl.Caps[0])
		}
		if got := pl.Cases[tc.sel].Caps[0]; got != tc.want {
			t.Errorf("%s %d: captures %+v, want %+v", tc.name, tc.sel, got, tc.want)
		}
	}
}

// quotactl's and quotactl_fd's data is captured by command, the qcmd
// without its type byte: Q_QUOTAON's path, Q_GETINFO's struct at exit.
func TestQuotaSelectorCaptures(t *testing.T) {
	plans := Plans()
	for _, tc := range []struct {
		name string
		arg  uint8
	}{{"quotactl", 0}, {"quotactl_fd", 1}} {
		nr, ok := Number(tc.name)
		if !ok {
			continue
		}
		pl := plans[nr]
		if pl.Flags&wire.PFSelect == 0 || pl.SelArg != tc.arg || pl.SelShift != 8 || pl.SelMask != 0xffffff {
			t.Errorf("%s: selector %+v", tc.name, pl)
			continue
		}
		data := func(cmd uint64) wire.CapSpec { // the case's capture of argument 3
			for _, cp := range pl.Cases[uint32(cmd)].Caps {
				if cp.Kind != wire.CKNone && cp.Arg == 3 {
					return cp
				}
			}
			return wire.CapSpec{}
		}
		if got, want := data(qQuotaOn), (wire.CapSpec{Kind: wire.CKStr, Arg: 3, Max: 4096, When: wire.CWIn}); got != want {
			t.Errorf("%s Q_QUOTAON: captures %+v, want %+v", tc.name, got, want)
		}
		if got, want := data(qGetInfo), (wire.CapSpec{Kind: wire.CKMem, Arg: 3, Elem: dqinfoSize, Max: dqinfoSize, When: wire.CWOK}); got != want {
			t.Errorf("%s Q_GETINFO: captures %+v, want %+v", tc.name, got, want)
		}
	}
}

// ptrace's captures by request: SETSIGINFO's siginfo in, PEEKSIGINFO's
// arguments in and siginfos out (as many as returned).
func TestPtraceSelectorCaptures(t *testing.T) {
	nr, ok := Number("ptrace")
	if !ok {
		t.Skip("no ptrace")
	}
	pl := Plans()[nr]
	if pl.Flags&wire.PFSelect == 0 || pl.SelArg != 0 || pl.SelMask != 0xffffffff {
		t.Fatalf("ptrace: selector %+v", pl)
	}
	has := func(req uint32, want wire.CapSpec) {
		t.Helper()
		for _, cp := range pl.Cases[req].Caps {
			if cp == want {
				return
			}
		}
		t.Errorf("ptrace %#x: captures %+v, want %+v among them", req, pl.Cases[req].Caps, want)
	}
	has(ptSetsiginfo, wire.CapSpec{Kind: wire.CKMem, Arg: 3, Elem: 128, Max: 128, When: wire.CWIn})
	has(ptPeeksiginf, wire.CapSpec{Kind: wire.CKMem, Arg: 2, Elem: 16, Max: 16, When: wire.CWIn})
	has(ptPeeksiginf, wire.CapSpec{Kind: wire.CKMem, Arg: 3, SizeFrom: wire.SzRet, Elem: 128, Max: 4096, When: wire.CWOK})
	has(ptSetsigmask, wire.CapSpec{Kind: wire.CKMem, Arg: 3, SizeFrom: wire.SzArg, SizeArg: 2, Elem: 1, Max: 8, When: wire.CWIn})
}

// ptrace's entry capture: data's second word (a struct iovec's iov_len)
// as the call was given it; and GETREGSET's iovec with its buffer.
func TestPtraceEntryCapture(t *testing.T) {
	nr, ok := Number("ptrace")
	if !ok {
		t.Skip("no ptrace")
	}
	pl := Plans()[nr]
	want := wire.CapSpec{Kind: wire.CKMem, Arg: 3, Elem: 8, Max: 8, When: wire.CWEntry, Off: 8}
	found := false
	for _, cp := range pl.Caps {
		found = found || cp == want
	}
	if pl.Flags&wire.PFEntry == 0 || pl.Name != "ptrace" || !found {
		t.Errorf("ptrace's plan: %+v, want PFEntry and %+v", pl, want)
	}
	if got, want := pl.Cases[ptGetregset].Caps[0], (wire.CapSpec{Kind: wire.CKIov, Arg: 3, SizeArg: 2, Max: 512, When: wire.CWIn}); got != want {
		t.Errorf("GETREGSET: captures %+v, want %+v", got, want)
	}
}
