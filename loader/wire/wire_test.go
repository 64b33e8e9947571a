package wire

import (
	"os"
	"testing"
)

// TestMatchesHeader checks the Go mirror of bpf/eproc.h's record constants.
// (The loader's tests check the sizes against the generated types.)
func TestMatchesHeader(t *testing.T) {
	src, err := os.ReadFile("../../bpf/eproc.h")
	if err != nil {
		t.Fatal(err)
	}
	defs := CDefines(src)
	want := map[string]int{
		"EPROC_ABI": ABI, "EVF_OFFCPU": EvfOffCPU, "EVF_IP": EvfIP, "SIGF_STOPPED": SigfStopped, "SIGF_IP": SigfIP, "EV_SYSCALL": EvSyscall, "EV_ENTER": EvEnter, "EV_SIGNAL": EvSignal,
		"EV_EXIT": EvExit, "EV_FORK": EvFork, "EV_EXEC": EvExec, "EV_MARK": EvMark, "EV_KVM": EvKVM, "EV_DROPS": EvDrops, "EV_ARGVALS": EvArgVals,
		"EV_ATTRMEM": EvAttrMem, "ATTRMEM_IDX": AttrMemIdx, "EV_STACK": EvStack, "EV_MAP": EvMap, "STACK_SIGNAL": StackSignal, "MAPK_MMAP": MapMmap, "MAPK_UNMAP": MapUnmap, "MAPK_EXEC": MapExec, "MAPF_CUT": MapCut, "EPROC_PATH_DEPTH": PathDepth, "EPROC_STACK": StackMax,
		"KVM_ISA_VMX": KVMISAVMX, "KVM_ISA_SVM": KVMISASVM,
		"EXIT_THREAD": ExitThread, "EXIT_GROUP": ExitGroup, "EXIT_DETACHED": ExitDetached, "EXIT_SUPERSEDED": ExitSuperseded,
		"CAPF_FAULT": CapFault, "CAPF_TRUNC": CapTrunc, "CAPF_PART": CapPart, "CAPF_WANT": CapWant, "WANT_SHOWN": WantShown, "WANT_CROSS": WantCross, "EPROC_PAGE": Page,
		"CK_NONE": CKNone, "CK_STR": CKStr, "CK_MEM": CKMem, "CK_IOV": CKIov, "CK_STRV": CKStrv, "CK_PCOUNT": CKPCount, "CK_DENTS": CKDents, "CK_MSGHDR": CKMsghdr, "CK_MMSG": CKMmsg, "MSG_HDR": MsgHdr, "MSG_NAME": MsgName, "MSG_CONTROL": MsgControl, "MSG_IOV": MsgIov, "MSG_SHIFT": MsgShift, "EPROC_CMSG_MAX": CmsgMax, "EPROC_MMSG_MAX": MmsgMax, "ENTRY_IDX": EntryIdx, "CK_DEREF": CKDeref, "DEREF_IDX": DerefIdx, "MMSG_INLENS": MmsgInLens, "CK_FDINO": CKFdIno, "FDINO_IDX": FdInoIdx, "CK_DEREF_ITEMS": CKDerefItems, "DEREF_ITEM_IDX": DerefItemIdx, "EPROC_ITEMS_MAX": ItemsMax,
		"SZ_CONST": SzConst, "SZ_ARG": SzArg, "SZ_RET": SzRet, "SZ_ARGPTR": SzArgPtr, "SZ_STRSIZE": SzStrsize,
		"SZ_IOC": SzIoc, "SZ_ARG32": SzArg32, "PF_SELECT": PFSelect, "PF_ENTRY": PFEntry, "PF_DUMPR": PFDumpR, "PF_DUMPW": PFDumpW, "PF_WHOLE": PFWhole, "WHOLE_SEL": WholeSel, "CW_ENTRY": CWEntry, "EPROC_ENTRY_CAPS": EntryCaps, "EPROC_MAX_SUBPLANS": MaxSubplans,
		"CW_IN": CWIn, "CW_OK": CWOK, "CW_NETLINK": CWNetlink, "PF_NORETURN": PFNoReturn, "PF_EXEC": PFExec,
		"EPROC_NCAPS": NCaps, "EPROC_MAX_CAP": MaxCap, "EPROC_STRV_MAX": StrvMax, "EPROC_ARGV0_MAX": ExecArgv0Max, "EPROC_IOV_MAX": IovMax, "EPROC_DENTS_MAX": DentsMax,
		"EPROC_REC_SLOT": RecSlot,
	}
	for name, v := range want {
		got, ok := defs[name]
		if !ok {
			t.Errorf("%s: not found in eproc.h", name)
			continue
		}
		if got != v {
			t.Errorf("%s: eproc.h says %d, Go says %d", name, got, v)
		}
	}
}

// TestParseShort: every parser refuses a record shorter than its type's
// fixed part, or than its header says, and reads nothing past b.
func TestParseShort(t *testing.T) {
	parsers := map[uint16]struct {
		size  int
		parse func([]byte) error
	}{
		EvSyscall: {SyscallSize, func(b []byte) error { var c Call; return ParseCall(b, &c) }},
		EvSignal:  {SignalSize, func(b []byte) error { var s Signal; return ParseSignal(b, &s) }},
		EvExit:    {ExitSize, func(b []byte) error { var e Exit; return ParseExit(b, &e) }},
		EvFork:    {ForkSize, func(b []byte) error { var f Fork; return ParseFork(b, &f) }},
		EvExec:    {ExecSize, func(b []byte) error { var e Exec; return ParseExec(b, &e) }},
		EvKVM:     {KVMSize, func(b []byte) error { var k KVMExit; return ParseKVMExit(b, &k) }},
		EvDrops:   {DropsSize, func(b []byte) error { var d Drops; return ParseDrops(b, &d) }},
		EvArgVals: {ArgValsSize, func(b []byte) error { var a ArgVals; return ParseArgVals(b, &a) }},
	}
	for typ, p := range parsers {
		full := make([]byte, p.size)
		le.PutUint16(full, typ)
		le.PutUint16(full[2:], uint16(p.size))
		if err := p.parse(full); err != nil {
			t.Errorf("type %d: a record of its fixed size: %v", typ, err)
		}
		for n := 0; n < p.size; n++ {
			b := append([]byte(nil), full[:n]...)
			if n >= 4 {
				le.PutUint16(b[2:], uint16(n))
			}
			if err := p.parse(b); err == nil {
				t.Errorf("type %d: a record of %d bytes parsed", typ, n)
			}
		}
	}
}

// TestCaps: captures are read at their 8-byte alignment, flags and all, and
// one that runs past the record is refused.
func TestCaps(t *testing.T) {
	b := make([]byte, SyscallSize)
	le.PutUint16(b, EvSyscall)
	le.PutUint32(b[88:], 59)
	le.PutUint16(b[92:], 2)
	addCap := func(arg uint8, flags uint8, data string) {
		h := make([]byte, CapSize)
		h[0], h[1] = arg, flags
		le.PutUint32(h[4:], uint32(len(data)))
		b = append(append(b, h...), data...)
		for len(b)%8 != 0 {
			b = append(b, 0)
		}
	}
	addCap(0, 0, "/etc/passwd")
	addCap(1, CapTrunc|CapFault, "ab")
	le.PutUint16(b[2:], uint16(len(b)))
	var c Call
	if err := ParseCall(b, &c); err != nil {
		t.Fatal(err)
	}
	if c.Nr != 59 || len(c.Caps) != 2 || string(c.Cap(0, 0).Data) != "/etc/passwd" || c.Cap(0, 0).Trunc() {
		t.Fatalf("parsed %+v", c)
	}
	if k := c.Cap(1, 0); k == nil || string(k.Data) != "ab" || !k.Trunc() || !k.Fault() {
		t.Fatalf("second capture %+v", k)
	}
	le.PutUint32(b[SyscallSize+4:], 4000) // the first capture says it is longer than the record
	if err := ParseCall(b, &c); err == nil {
		t.Fatal("a capture past the record's end parsed")
	}
}

// TestOffCPU: a record with EvfOffCPU ends in its time off the CPU, after
// its captures, which parse as without it; CPUTime is the wall time less
// it (never below 0), and the wall time without the flag. A flagged
// record with no room for it is refused.
func TestOffCPU(t *testing.T) {
	b := make([]byte, SyscallSize)
	le.PutUint16(b, EvSyscall)
	le.PutUint64(b[16:], 1000) // entry
	le.PutUint64(b[24:], 5000)
	le.PutUint32(b[88:], 0)
	le.PutUint16(b[92:], 1)
	le.PutUint16(b[94:], EvfOffCPU)
	h := make([]byte, CapSize)
	le.PutUint32(h[4:], 3)
	b = append(append(b, h...), "abc\x00\x00\x00\x00\x00"...)
	b = le.AppendUint64(b, 2500)
	le.PutUint16(b[2:], uint16(len(b)))
	var c Call
	if err := ParseCall(b, &c); err != nil {
		t.Fatal(err)
	}
	if c.OffCPU != 2500 || c.CPUTime() != 1500 || len(c.Caps) != 1 || string(c.Caps[0].Data) != "abc" {
		t.Fatalf("parsed off-CPU %d, CPU %d, caps %+v", c.OffCPU, c.CPUTime(), c.Caps)
	}
	le.PutUint64(b[len(b)-8:], 9000) // more than the wall time: the clocks' skew
	if ParseCall(b, &c); c.CPUTime() != 0 {
		t.Errorf("off-CPU past the wall time: CPU %d, want 0", c.CPUTime())
	}
	le.PutUint16(b[94:], 0)
	le.PutUint16(b[2:], uint16(len(b)-8))
	if err := ParseCall(b, &c); err != nil || c.OffCPU != 0 || c.CPUTime() != 4000 {
		t.Errorf("without the flag: %v, off-CPU %d, CPU %d, want the wall time 4000", err, c.OffCPU, c.CPUTime())
	}
	short := make([]byte, SyscallSize)
	le.PutUint16(short, EvSyscall)
	le.PutUint16(short[2:], SyscallSize)
	le.PutUint16(short[94:], EvfOffCPU)
	if err := ParseCall(short, &c); err == nil {
		t.Error("a flagged record with no off-CPU time parsed")
	}
}

// TestIPTrailer: EvfIP's two instruction pointers come before the off-CPU
// time when both are there; a signal's IP is read with SigfIP only.
func TestIPTrailer(t *testing.T) {
	b := make([]byte, SyscallSize)
	le.PutUint16(b, EvSyscall)
	le.PutUint16(b[94:], EvfIP|EvfOffCPU)
	b = le.AppendUint64(b, 0x7f0000001000)
	b = le.AppendUint64(b, 0x7f0000002000)
	b = le.AppendUint64(b, 77)
	le.PutUint16(b[2:], uint16(len(b)))
	var c Call
	if err := ParseCall(b, &c); err != nil || c.EntryIP != 0x7f0000001000 || c.ExitIP != 0x7f0000002000 || c.OffCPU != 77 || len(c.Caps) != 0 {
		t.Fatalf("%v: entry %#x exit %#x off-CPU %d caps %d", err, c.EntryIP, c.ExitIP, c.OffCPU, len(c.Caps))
	}
	le.PutUint16(b[2:], SyscallSize+8) // room for the off-CPU time, not the IPs
	if err := ParseCall(b[:SyscallSize+8], &c); err == nil {
		t.Error("a record with no room for its IPs parsed")
	}
	s := make([]byte, SignalSize)
	le.PutUint16(s, EvSignal)
	le.PutUint16(s[2:], SignalSize)
	le.PutUint64(s[80:], 0x401000)
	var sig Signal
	if err := ParseSignal(s, &sig); err != nil || sig.IP != 0 {
		t.Errorf("without SigfIP: %v, IP %#x", err, sig.IP)
	}
	le.PutUint32(s[28:], SigfIP)
	if err := ParseSignal(s, &sig); err != nil || sig.IP != 0x401000 || sig.Stopped {
		t.Errorf("with SigfIP: %v, IP %#x, stopped %v", err, sig.IP, sig.Stopped)
	}
}
