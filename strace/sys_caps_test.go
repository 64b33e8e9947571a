package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// capget and capset: the expected lines are strace 6.1's for the same
// calls (its tests caps.c and caps-abbrev.c, and a program of the same
// calls with other versions, pids, bits and pages).

func capHdr(version, pid uint32) []byte {
	return append(le.AppendUint32(nil, version), le.AppendUint32(nil, pid)...)
}

func capWords(ws ...uint32) []byte {
	var b []byte
	for _, w := range ws {
		b = le.AppendUint32(b, w)
	}
	return b
}

// capCase is a call and strace's line for it, under -X raw and
// -X verbose too when given.
type capCase struct {
	name      string
	ret       int64
	args      [6]uint64
	caps      []wire.Cap
	want      string
	raw, verb string
}

func checkCapCases(t *testing.T, cases []capCase) {
	t.Helper()
	for _, tc := range cases {
		checkLine(t, decodeLine(t, tc.name, tc.ret, tc.args, tc.caps...), tc.want)
		if tc.raw != "" {
			checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstRaw}, tc.name, tc.ret, tc.args, tc.caps...), tc.raw)
		}
		if tc.verb != "" {
			checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, tc.name, tc.ret, tc.args, tc.caps...), tc.verb)
		}
	}
}

const (
	capH, capD                           = 0x7000, 0x8000
	capEFAULT, capEINVAL, capEPERM int64 = -14, -22, -1
	capFull0                             = "1<<CAP_CHOWN|1<<CAP_DAC_OVERRIDE|1<<CAP_DAC_READ_SEARCH|1<<CAP_FOWNER|1<<CAP_FSETID|1<<CAP_KILL|1<<CAP_SETGID|1<<CAP_SETUID|1<<CAP_SETPCAP|1<<CAP_LINUX_IMMUTABLE|1<<CAP_NET_BIND_SERVICE|1<<CAP_NET_BROADCAST|1<<CAP_NET_ADMIN|1<<CAP_NET_RAW|1<<CAP_IPC_LOCK|1<<CAP_IPC_OWNER|1<<CAP_SYS_MODULE|1<<CAP_SYS_RAWIO|1<<CAP_SYS_CHROOT|1<<CAP_SYS_PTRACE|1<<CAP_SYS_PACCT|1<<CAP_SYS_ADMIN|1<<CAP_SYS_BOOT|1<<CAP_SYS_NICE|1<<CAP_SYS_TIME|1<<CAP_SYS_TTY_CONFIG|1<<CAP_MKNOD|1<<CAP_LEASE|1<<CAP_AUDIT_WRITE|1<<CAP_AUDIT_CONTROL|1<<CAP_SETFCAP"
	capFull1                             = "1<<CAP_MAC_OVERRIDE|1<<CAP_MAC_ADMIN|1<<CAP_SYSLOG|1<<CAP_WAKE_ALARM|1<<CAP_BLOCK_SUSPEND|1<<CAP_AUDIT_READ|1<<CAP_PERFMON|1<<CAP_BPF|1<<CAP_CHECKPOINT_RESTORE"
)

var capV3 = capHdr(capVersion3, 0)

// capAt is the header's captures as the call entered and left.
func capAt(h []byte) []wire.Cap {
	return []wire.Cap{{Arg: 0, Data: h}, {Arg: 0, Idx: wire.EntryIdx, Data: h}}
}

func capsFault(arg uint8) wire.Cap { return wire.Cap{Arg: arg, Flags: wire.CapFault} }

func TestCapget(t *testing.T) {
	checkCapCases(t, []capCase{
		{"capget", capEFAULT, [6]uint64{0, 0}, nil, `capget(NULL, NULL) = -1 EFAULT (Bad address)`, "", ""},
		{"capget", capEFAULT, [6]uint64{capH, capD}, []wire.Cap{capsFault(0), {Arg: 0, Idx: wire.EntryIdx, Flags: wire.CapFault}},
			`capget(0x7000, 0x8000) = -1 EFAULT (Bad address)`, "", ""},
		{"capget", capEFAULT, [6]uint64{capH, capD}, capAt(capV3),
			`capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, 0x8000) = -1 EFAULT (Bad address)`, "", ""},
		{"capget", 0, [6]uint64{capH, capD}, append(capAt(capV3), wire.Cap{Arg: 1, Data: capWords(0xfeffffff, 0xfeffffff, 0, 0x1ff, 0x1ff, 0)}),
			`capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=` + capFull0 + `|` + capFull1 + `, permitted=` + capFull0 + `|` + capFull1 + `, inheritable=0}) = 0`,
			`capget({version=0x20080522, pid=0}, {effective=0xfeffffff|0x1ff, permitted=0xfeffffff|0x1ff, inheritable=0}) = 0`,
			`capget({version=0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, pid=0}, {effective=0xfeffffff /* ` + capFull0 + ` */|0x1ff /* ` + capFull1 + ` */, permitted=0xfeffffff /* ` + capFull0 + ` */|0x1ff /* ` + capFull1 + ` */, inheritable=0}) = 0`},
		// Version 1: one element, the second's words not shown.
		{"capget", 0, [6]uint64{capH, capD}, append(capAt(capHdr(capVersion1, 0)), wire.Cap{Arg: 1, Data: capWords(0xfeffffff, 0xfeffffff, 0, 0x1ff, 0x1ff, 0)}),
			`capget({version=_LINUX_CAPABILITY_VERSION_1, pid=0}, {effective=` + capFull0 + `, permitted=` + capFull0 + `, inheritable=0}) = 0`, "", ""},
		// A version the kernel does not know: it writes its own back.
		{"capget", 0, [6]uint64{capH, 0}, []wire.Cap{{Arg: 0, Data: capV3}, {Arg: 0, Idx: wire.EntryIdx, Data: capHdr(0, 0)}},
			`capget({version=0 /* _LINUX_CAPABILITY_VERSION_??? */, pid=0}, NULL) = 0`, "", ""},
		{"capget", capEINVAL, [6]uint64{capH, capD}, []wire.Cap{{Arg: 0, Data: capV3}, {Arg: 0, Idx: wire.EntryIdx, Data: capHdr(0, 0)}},
			`capget({version=0 /* _LINUX_CAPABILITY_VERSION_??? */, pid=0}, 0x8000) = -1 EINVAL (Invalid argument)`, "", ""},
		{"capget", 0, [6]uint64{capH, 0}, capAt(capV3), `capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, NULL) = 0`, "", ""},
		// A header whose page ends 4 bytes into it.
		{"capget", capEINVAL, [6]uint64{capH, capD}, []wire.Cap{{Arg: 0, Flags: wire.CapFault | wire.CapPart, Data: capWords(capVersion3)},
			{Arg: 0, Idx: wire.EntryIdx, Flags: wire.CapFault}}, `capget(0x7000, 0x8000) = -1 EINVAL (Invalid argument)`, "", ""},
	})
}

func TestCapset(t *testing.T) {
	checkCapCases(t, []capCase{
		{"capset", capEFAULT, [6]uint64{0, 0}, nil, `capset(NULL, NULL) = -1 EFAULT (Bad address)`, "", ""},
		{"capset", capEFAULT, [6]uint64{capH, capD}, []wire.Cap{capsFault(0), capsFault(1)}, `capset(0x7000, 0x8000) = -1 EFAULT (Bad address)`, "", ""},
		// The entry's header is printed, not the one the kernel rewrote;
		// one element wanted, 8 bytes readable.
		{"capset", capEINVAL, [6]uint64{capH, capD}, []wire.Cap{{Arg: 0, Data: capV3}, {Arg: 0, Idx: wire.EntryIdx, Data: capHdr(0xbadc0ded, 2718281828)},
			{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: capWords(0, 8)}},
			`capset({version=0xbadc0ded /* _LINUX_CAPABILITY_VERSION_??? */, pid=-1576685468}, 0x8000) = -1 EINVAL (Invalid argument)`,
			`capset({version=0xbadc0ded, pid=-1576685468}, 0x8000) = -1 EINVAL (Invalid argument)`, ""},
		// Version 2 wants two elements: 20 bytes are not enough.
		{"capset", capEFAULT, [6]uint64{capH, capD}, append(capAt(capHdr(capVersion2, 0)), wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: capWords(4, 0, 8, 16, 0)}),
			`capset({version=_LINUX_CAPABILITY_VERSION_2, pid=0}, 0x8000) = -1 EFAULT (Bad address)`, "", ""},
		{"capset", capEPERM, [6]uint64{capH, capD}, append(capAt(capV3), wire.Cap{Arg: 1, Data: capWords(2, 4, 0, 8, 16, 0)}),
			`capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_DAC_OVERRIDE|1<<CAP_WAKE_ALARM, permitted=1<<CAP_DAC_READ_SEARCH|1<<CAP_BLOCK_SUSPEND, inheritable=0}) = -1 EPERM (Operation not permitted)`,
			`capset({version=0x20080522, pid=0}, {effective=0x2|0x8, permitted=0x4|0x10, inheritable=0}) = -1 EPERM (Operation not permitted)`,
			`capset({version=0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, pid=0}, {effective=0x2 /* 1<<CAP_DAC_OVERRIDE */|0x8 /* 1<<CAP_WAKE_ALARM */, permitted=0x4 /* 1<<CAP_DAC_READ_SEARCH */|0x10 /* 1<<CAP_BLOCK_SUSPEND */, inheritable=0}) = -1 EPERM (Operation not permitted)`},
		{"capset", capEPERM, [6]uint64{capH, capD}, append(capAt(capV3), wire.Cap{Arg: 1, Data: capWords(0, 0, 0, 8, 16, 0)}),
			`capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_WAKE_ALARM, permitted=1<<CAP_BLOCK_SUSPEND, inheritable=0}) = -1 EPERM (Operation not permitted)`, "", ""},
		// Version 1 at a page's end: its one element is enough.
		{"capset", capEPERM, [6]uint64{capH, capD}, append(capAt(capHdr(capVersion1, 0)), wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: capWords(0x80000001, 0, 4)}),
			`capset({version=_LINUX_CAPABILITY_VERSION_1, pid=0}, {effective=1<<CAP_CHOWN|1<<CAP_SETFCAP, permitted=0, inheritable=1<<CAP_DAC_READ_SEARCH}) = -1 EPERM (Operation not permitted)`, "", ""},
		{"capset", capEFAULT, [6]uint64{capH, capD}, append(capAt(capV3), wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: capWords(0x80000001, 0, 4)}),
			`capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, 0x8000) = -1 EFAULT (Bad address)`, "", ""},
		// Bits of the second word no name has.
		{"capset", 0, [6]uint64{capH, capD}, append(capAt(capV3), wire.Cap{Arg: 1, Data: capWords(0, 0, 0, 0x200, 1, 0xfffffe00)}),
			`capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0x200 /* CAP_??? */, permitted=1<<CAP_MAC_OVERRIDE, inheritable=0xfffffe00 /* CAP_??? */}) = 0`,
			`capset({version=0x20080522, pid=0}, {effective=0x200, permitted=0x1, inheritable=0xfffffe00}) = 0`, ""},
		{"capset", capEFAULT, [6]uint64{capH, 0}, capAt(capV3), `capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, NULL) = -1 EFAULT (Bad address)`, "", ""},
		{"capset", capEFAULT, [6]uint64{0, capD}, []wire.Cap{{Arg: 1, Data: capWords(0, 0, 0, 0, 0, 0)}}, `capset(NULL, 0x8000) = -1 EFAULT (Bad address)`, "", ""},
		// No entry record: the header as the call left it.
		{"capset", capEPERM, [6]uint64{capH, capD}, []wire.Cap{{Arg: 0, Data: capHdr(capVersion1, 1)}, {Arg: 1, Data: capWords(2, 4, 0)}},
			`capset({version=_LINUX_CAPABILITY_VERSION_1, pid=1}, {effective=1<<CAP_DAC_OVERRIDE, permitted=1<<CAP_DAC_READ_SEARCH, inheritable=0}) = -1 EPERM (Operation not permitted)`, "", ""},
	})
}

// -e verbose=!capget,capset (strace's caps-abbrev): both addresses.
func TestCapsNotVerbose(t *testing.T) {
	nv := Options{StrSize: 32, Verbose: []uint32{}}
	h := capHdr(capVersion3, 0)
	caps := []wire.Cap{{Arg: 0, Data: h}, {Arg: 0, Idx: wire.EntryIdx, Data: h}, {Arg: 1, Data: capWords(2, 4, 0, 8, 16, 0)}}
	checkLine(t, decodeLineOpt(t, nv, "capget", 0, [6]uint64{0x7000, 0x8000}, caps...), `capget(0x7000, 0x8000) = 0`)
	checkLine(t, decodeLineOpt(t, nv, "capset", -1, [6]uint64{0x7000, 0x8000}, caps...), `capset(0x7000, 0x8000) = -1 EPERM (Operation not permitted)`)
	checkLine(t, decodeLineOpt(t, nv, "capset", -14, [6]uint64{0, 0}), `capset(NULL, NULL) = -1 EFAULT (Bad address)`)
}
