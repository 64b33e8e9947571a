package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Classic BPF filters (sys_bpf_filter.go) as strace 6.1 prints them.

// insn is struct sock_filter's bytes.
func insn(code uint16, jt, jf uint8, k uint32) []byte {
	return le.AppendUint32(append(le.AppendUint16(nil, code), jt, jf), k)
}

// fprog is struct sock_fprog's bytes.
func fprog(n uint16, filter uint64) []byte {
	b := make([]byte, sockFprogSize)
	le.PutUint16(b, n)
	le.PutUint64(b[8:], filter)
	return b
}

// filterCap is argument i's filter instructions, as the CKDeref capture
// of its struct sock_fprog holds them.
func filterCap(i uint8, flags uint8, insns ...[]byte) wire.Cap {
	var d []byte
	for _, b := range insns {
		d = append(d, b...)
	}
	return wire.Cap{Arg: i, Idx: wire.DerefIdx + 8, Flags: flags, Data: d}
}

// same: a socket filter's instruction prints as a seccomp filter's.
var same [3]string

// bpfFilterOracle: instructions of every class, with bits no name covers,
// and the k values seccomp's and socket filters name, as strace 6.1 -v
// printed them under -X abbrev, raw and verbose (seccomp and setsockopt
// SO_ATTACH_FILTER of the same 23 instructions); a socket filter's where
// it differs.
var bpfFilterOracle = []struct {
	insn          []byte
	seccomp, sock [3]string
}{
	{insn(0x0, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_IMM, 0)`,
			`BPF_STMT(0|0|0, 0)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0 /* BPF_IMM */, 0)`},
		same,
	},
	{insn(0x69, 0, 0, 0x5),
		[3]string{`BPF_STMT(BPF_LDX|BPF_H|BPF_MEM, 0x5)`,
			`BPF_STMT(0x1|0x8|0x60, 0x5)`,
			`BPF_STMT(0x1 /* BPF_LDX */|0x8 /* BPF_H */|0x60 /* BPF_MEM */, 0x5)`},
		same,
	},
	{insn(0xf8, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_LD|BPF_DW|0xe0 /* BPF_??? */, 0)`,
			`BPF_STMT(0|0x18|0xe0, 0)`,
			`BPF_STMT(0 /* BPF_LD */|0x18 /* BPF_DW */|0xe0 /* BPF_??? */, 0)`},
		same,
	},
	{insn(0x2, 0, 0, 0x1),
		[3]string{`BPF_STMT(BPF_ST, 0x1)`,
			`BPF_STMT(0x2, 0x1)`,
			`BPF_STMT(0x2 /* BPF_ST */, 0x1)`},
		same,
	},
	{insn(0xb, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_STX|0x8 /* BPF_??? */, 0)`,
			`BPF_STMT(0x3|0x8 /* BPF_??? */, 0)`,
			`BPF_STMT(0x3 /* BPF_STX */|0x8 /* BPF_??? */, 0)`},
		same,
	},
	{insn(0xec, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_ALU|BPF_X|0xe0 /* BPF_??? */, 0)`,
			`BPF_STMT(0x4|0x8|0xe0, 0)`,
			`BPF_STMT(0x4 /* BPF_ALU */|0x8 /* BPF_X */|0xe0 /* BPF_??? */, 0)`},
		same,
	},
	{insn(0x85, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_JMP|BPF_K|BPF_CALL, 0)`,
			`BPF_STMT(0x5|0|0x80, 0)`,
			`BPF_STMT(0x5 /* BPF_JMP */|0 /* BPF_K */|0x80 /* BPF_CALL */, 0)`},
		same,
	},
	{insn(0x16, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_RET|BPF_A, SECCOMP_RET_KILL_THREAD)`,
			`BPF_STMT(0x6|0x10, 0)`,
			`BPF_STMT(0x6 /* BPF_RET */|0x10 /* BPF_A */, 0 /* SECCOMP_RET_KILL_THREAD */)`},
		[3]string{`BPF_STMT(BPF_RET|BPF_A, 0)`,
			`BPF_STMT(0x6|0x10, 0)`,
			`BPF_STMT(0x6 /* BPF_RET */|0x10 /* BPF_A */, 0)`},
	},
	{insn(0x3e, 0, 0, 0x7fff0001),
		[3]string{`BPF_STMT(BPF_RET|0x18 /* BPF_??? */|0x20 /* BPF_??? */, SECCOMP_RET_ALLOW|0x1)`,
			`BPF_STMT(0x6|0x18|0x20 /* BPF_??? */, 0x7fff0000|0x1)`,
			`BPF_STMT(0x6 /* BPF_RET */|0x18 /* BPF_??? */|0x20 /* BPF_??? */, 0x7fff0000 /* SECCOMP_RET_ALLOW */|0x1)`},
		[3]string{`BPF_STMT(BPF_RET|0x18 /* BPF_??? */|0x20 /* BPF_??? */, 0x7fff0001)`,
			`BPF_STMT(0x6|0x18|0x20 /* BPF_??? */, 0x7fff0001)`,
			`BPF_STMT(0x6 /* BPF_RET */|0x18 /* BPF_??? */|0x20 /* BPF_??? */, 0x7fff0001)`},
	},
	{insn(0x87, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_MISC|BPF_TXA, 0)`,
			`BPF_STMT(0x7|0x80, 0)`,
			`BPF_STMT(0x7 /* BPF_MISC */|0x80 /* BPF_TXA */, 0)`},
		same,
	},
	{insn(0x107, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_MISC|BPF_TAX|0x100 /* BPF_??? */, 0)`,
			`BPF_STMT(0x7|0|0x100 /* BPF_??? */, 0)`,
			`BPF_STMT(0x7 /* BPF_MISC */|0 /* BPF_TAX */|0x100 /* BPF_??? */, 0)`},
		same,
	},
	{insn(0xf, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_MISC|0x8 /* BPF_??? */, 0)`,
			`BPF_STMT(0x7|0x8, 0)`,
			`BPF_STMT(0x7 /* BPF_MISC */|0x8 /* BPF_??? */, 0)`},
		same,
	},
	{insn(0x100, 0, 0, 0x0),
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_IMM, 0)`,
			`BPF_STMT(0|0|0, 0)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0 /* BPF_IMM */, 0)`},
		same,
	},
	{insn(0x15, 1, 0, 0x11),
		[3]string{`BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x11, 0x1, 0)`,
			`BPF_JUMP(0x5|0|0x10, 0x11, 0x1, 0)`,
			`BPF_JUMP(0x5 /* BPF_JMP */|0 /* BPF_K */|0x10 /* BPF_JEQ */, 0x11, 0x1, 0)`},
		same,
	},
	{insn(0x20, 0, 0, 0xfffff004),
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0xfffff004)`,
			`BPF_STMT(0|0|0x20, 0xfffff004)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0x20 /* BPF_ABS */, 0xfffff004)`},
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_ABS, SKF_AD_OFF+SKF_AD_PKTTYPE)`,
			`BPF_STMT(0|0|0x20, 0xfffff000+0x4)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0x20 /* BPF_ABS */, 0xfffff000 /* SKF_AD_OFF */+0x4 /* SKF_AD_PKTTYPE */)`},
	},
	{insn(0x20, 0, 0, 0xfffff04c),
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0xfffff04c)`,
			`BPF_STMT(0|0|0x20, 0xfffff04c)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0x20 /* BPF_ABS */, 0xfffff04c)`},
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_ABS, SKF_AD_OFF+0x4c /* SKF_AD_??? */)`,
			`BPF_STMT(0|0|0x20, 0xfffff000+0x4c)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0x20 /* BPF_ABS */, 0xfffff000 /* SKF_AD_OFF */+0x4c /* SKF_AD_??? */)`},
	},
	{insn(0x20, 0, 0, 0xffffffff),
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0xffffffff)`,
			`BPF_STMT(0|0|0x20, 0xffffffff)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0x20 /* BPF_ABS */, 0xffffffff)`},
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_ABS, SKF_AD_OFF+0xfff /* SKF_AD_??? */)`,
			`BPF_STMT(0|0|0x20, 0xfffff000+0xfff)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0x20 /* BPF_ABS */, 0xfffff000 /* SKF_AD_OFF */+0xfff /* SKF_AD_??? */)`},
	},
	{insn(0x30, 0, 0, 0xfff00010),
		[3]string{`BPF_STMT(BPF_LD|BPF_B|BPF_ABS, 0xfff00010)`,
			`BPF_STMT(0|0x10|0x20, 0xfff00010)`,
			`BPF_STMT(0 /* BPF_LD */|0x10 /* BPF_B */|0x20 /* BPF_ABS */, 0xfff00010)`},
		[3]string{`BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_NET_OFF+16)`,
			`BPF_STMT(0|0x10|0x20, 0xfff00000+16)`,
			`BPF_STMT(0 /* BPF_LD */|0x10 /* BPF_B */|0x20 /* BPF_ABS */, 0xfff00000 /* SKF_NET_OFF */+16)`},
	},
	{insn(0x28, 0, 0, 0xffe00000),
		[3]string{`BPF_STMT(BPF_LD|BPF_H|BPF_ABS, 0xffe00000)`,
			`BPF_STMT(0|0x8|0x20, 0xffe00000)`,
			`BPF_STMT(0 /* BPF_LD */|0x8 /* BPF_H */|0x20 /* BPF_ABS */, 0xffe00000)`},
		[3]string{`BPF_STMT(BPF_LD|BPF_H|BPF_ABS, SKF_LL_OFF+0)`,
			`BPF_STMT(0|0x8|0x20, 0xffe00000+0)`,
			`BPF_STMT(0 /* BPF_LD */|0x8 /* BPF_H */|0x20 /* BPF_ABS */, 0xffe00000 /* SKF_LL_OFF */+0)`},
	},
	{insn(0x28, 0, 0, 0xffdfffff),
		[3]string{`BPF_STMT(BPF_LD|BPF_H|BPF_ABS, 0xffdfffff)`,
			`BPF_STMT(0|0x8|0x20, 0xffdfffff)`,
			`BPF_STMT(0 /* BPF_LD */|0x8 /* BPF_H */|0x20 /* BPF_ABS */, 0xffdfffff)`},
		same,
	},
	{insn(0x6, 0, 0, 0x80000000),
		[3]string{`BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_KILL_PROCESS)`,
			`BPF_STMT(0x6|0, 0x80000000)`,
			`BPF_STMT(0x6 /* BPF_RET */|0 /* BPF_K */, 0x80000000 /* SECCOMP_RET_KILL_PROCESS */)`},
		[3]string{`BPF_STMT(BPF_RET|BPF_K, 0x80000000)`,
			`BPF_STMT(0x6|0, 0x80000000)`,
			`BPF_STMT(0x6 /* BPF_RET */|0 /* BPF_K */, 0x80000000)`},
	},
	{insn(0x106, 0, 0, 0x60000),
		[3]string{`BPF_STMT(BPF_RET|BPF_K|0x100 /* BPF_??? */, 0x60000 /* SECCOMP_RET_??? */)`,
			`BPF_STMT(0x6|0|0x100 /* BPF_??? */, 0x60000)`,
			`BPF_STMT(0x6 /* BPF_RET */|0 /* BPF_K */|0x100 /* BPF_??? */, 0x60000 /* SECCOMP_RET_??? */)`},
		[3]string{`BPF_STMT(BPF_RET|BPF_K|0x100 /* BPF_??? */, 0x60000)`,
			`BPF_STMT(0x6|0|0x100 /* BPF_??? */, 0x60000)`,
			`BPF_STMT(0x6 /* BPF_RET */|0 /* BPF_K */|0x100 /* BPF_??? */, 0x60000)`},
	},
	{insn(0x20, 0, 0, 0xfffff000),
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0xfffff000)`,
			`BPF_STMT(0|0|0x20, 0xfffff000)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0x20 /* BPF_ABS */, 0xfffff000)`},
		[3]string{`BPF_STMT(BPF_LD|BPF_W|BPF_ABS, SKF_AD_OFF+SKF_AD_PROTOCOL)`,
			`BPF_STMT(0|0|0x20, 0xfffff000+0)`,
			`BPF_STMT(0 /* BPF_LD */|0 /* BPF_W */|0x20 /* BPF_ABS */, 0xfffff000 /* SKF_AD_OFF */+0 /* SKF_AD_PROTOCOL */)`},
	},
}

var constStyles = [3]ConstStyle{ConstAbbrev, ConstRaw, ConstVerbose}

func TestBPFFilterOracle(t *testing.T) {
	var insns [][]byte
	for _, r := range bpfFilterOracle {
		insns = append(insns, r.insn)
	}
	n := uint16(len(insns))
	for s, style := range constStyles {
		var sec, sock []string
		for _, r := range bpfFilterOracle {
			sec = append(sec, r.seccomp[s])
			if r.sock == same {
				sock = append(sock, r.seccomp[s])
			} else {
				sock = append(sock, r.sock[s])
			}
		}
		opt := Options{StrSize: 32, Abbrev: []uint32{}, ConstStyle: style}
		prefix := [3]string{"seccomp(SECCOMP_SET_MODE_FILTER, 0, ", "seccomp(0x1, 0, ", "seccomp(0x1 /* SECCOMP_SET_MODE_FILTER */, 0, "}[s]
		checkLine(t, decodeLineOpt(t, opt, "seccomp", -22, [6]uint64{1, 0, 0x1000}, wire.Cap{Arg: 2, Data: fprog(n, 0x2000)}, filterCap(2, 0, insns...)),
			prefix+"{len=23, filter=["+strings.Join(sec, ", ")+"]}) = -1 EINVAL (Invalid argument)")
		prefix = [3]string{"setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, ", "setsockopt(3, 0x1, 0x1a, ", "setsockopt(3, 0x1 /* SOL_SOCKET */, 0x1a /* SO_ATTACH_FILTER */, "}[s]
		checkLine(t, decodeLineOpt(t, opt, "setsockopt", -22, [6]uint64{3, 1, 26, 0x1000, 16}, wire.Cap{Arg: 3, Data: fprog(n, 0x2000)}, filterCap(3, 0, insns...)),
			prefix+"{len=23, filter=["+strings.Join(sock, ", ")+"]}, 16) = -1 EINVAL (Invalid argument)")
	}
}

// The filter array as strace's print_array prints it: up to an
// instruction that could not be read, NULL, [], its address when none
// could be read or it was not captured, "..." past what was captured
// (1023 instructions; strace prints BPF_MAXINSNS), its address without -v.
func TestBPFFilterArray(t *testing.T) {
	v := Options{StrSize: 32, Abbrev: []uint32{}}
	kill, allow := insn(6, 0, 0, 0), insn(6, 0, 0, 0x7fff0000)
	sec := func(opt Options, n uint16, filter uint64, caps ...wire.Cap) string {
		return decodeLineOpt(t, opt, "seccomp", -14, [6]uint64{1, 0, 0x1000}, append([]wire.Cap{{Arg: 2, Data: fprog(n, filter)}}, caps...)...)
	}
	const efault = ") = -1 EFAULT (Bad address)"
	checkLine(t, sec(v, 3, 0x1ff8, filterCap(2, wire.CapFault|wire.CapPart, kill)),
		"seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=3, filter=[BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_KILL_THREAD), ... /* 0x2000 */]}"+efault)
	checkLine(t, sec(v, 1, 0x2000, filterCap(2, wire.CapFault)), "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=1, filter=0x2000}"+efault)
	checkLine(t, sec(v, 1, 0x2000), "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=1, filter=0x2000}"+efault)
	checkLine(t, sec(v, 0, 0x2000, filterCap(2, 0)), "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=0, filter=[]}"+efault)
	checkLine(t, sec(v, 1, 0), "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=1, filter=NULL}"+efault)
	checkLine(t, sec(v, 4097, 0x2000, filterCap(2, wire.CapTrunc, allow, insn(0x15, 0, 1, 3))),
		"seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=4097, filter=[BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x3, 0, 0x1), ...]}"+efault)
	// More than -s instructions: all of them under -v.
	many := make([][]byte, 40)
	for k := range many {
		many[k] = insn(0x15, 0, 1, uint32(k))
	}
	got := sec(v, 40, 0x2000, filterCap(2, 0, many...))
	if n := strings.Count(got, "BPF_JUMP("); n != 40 || strings.Contains(got, "...") {
		t.Errorf("40 instructions printed as %d: %s", n, got)
	}
	// Without -v: the struct, and the filter's address; -e verbose=none:
	// the struct's address.
	checkLine(t, sec(Options{StrSize: 32}, 2, 0x2000, filterCap(2, 0, kill, kill)), "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=2, filter=0x2000}"+efault)
	checkLine(t, sec(Options{StrSize: 32, Abbrev: []uint32{}, Verbose: []uint32{}}, 2, 0x2000, filterCap(2, 0, kill, kill)),
		"seccomp(SECCOMP_SET_MODE_FILTER, 0, 0x1000"+efault)
	// prctl-seccomp-filter-v
	checkLine(t, decodeLineOpt(t, v, "prctl", 0, [6]uint64{22, 2, 0x1000}, wire.Cap{Arg: 2, Data: fprog(2, 0x2000)},
		filterCap(2, 0, insn(0x15, 0, 1, 0xe7), insn(6, 0, 0, 0x50010))),
		"prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=2, filter=[BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0xe7, 0, 0x1), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ERRNO|0x10)]}) = 0")
	checkLine(t, decodeLine(t, "prctl", -14, [6]uint64{22, 2, 0x1ff8}, wire.Cap{Arg: 2, Flags: wire.CapFault}),
		"prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, 0x1ff8) = -1 EFAULT (Bad address)")
}

// setsockopt's filters only at SOL_SOCKET and of struct sock_fprog's
// size; getsockopt SO_GET_FILTER's instructions, as many as it returned.
func TestSockoptFilters(t *testing.T) {
	v := Options{StrSize: 32, Abbrev: []uint32{}}
	ld := insn(0x30, 0, 0, 0xffe00004)
	const ldText = "BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_LL_OFF+4)"
	checkLine(t, decodeLineOpt(t, v, "setsockopt", -22, [6]uint64{3, 1, 26, 0x1000, 12}, wire.Cap{Arg: 3, Data: fprog(1, 0x2000)[:12]}),
		"setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, 0x1000, 12) = -1 EINVAL (Invalid argument)")
	checkLine(t, decodeLineOpt(t, v, "setsockopt", -22, [6]uint64{3, 1, 51, 0x1000, 16}, wire.Cap{Arg: 3, Data: fprog(1, 0x2000)}, filterCap(3, 0, ld)),
		"setsockopt(3, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, {len=1, filter=["+ldText+"]}, 16) = -1 EINVAL (Invalid argument)")
	// Another level's option 26 captures a "filter" too, printed by none.
	checkLine(t, decodeLineOpt(t, v, "setsockopt", 0, [6]uint64{3, 41, 26, 0x1000, 4}, wire.Cap{Arg: 3, Data: []byte{1, 0, 0, 0}}, filterCap(3, 0, ld)),
		"setsockopt(3, SOL_IPV6, IPV6_V6ONLY, [1], 4) = 0")
	in := func(n uint32) wire.Cap { return wire.Cap{Arg: 4, Idx: wire.EntryIdx, Data: le.AppendUint32(nil, n)} }
	out := func(n uint32) wire.Cap { return wire.Cap{Arg: 4, Data: le.AppendUint32(nil, n)} }
	get := func(opt Options, ret int64, level, rlen uint32, val wire.Cap) string {
		return decodeLineOpt(t, opt, "getsockopt", ret, [6]uint64{3, uint64(level), 26, 0x1000, 0x2000}, val, in(11), out(rlen))
	}
	vals := wire.Cap{Arg: 3, Data: append(append([]byte(nil), ld...), insn(6, 0, 0, 0xffffffff)...)}
	checkLine(t, get(v, 0, 1, 2, vals), "getsockopt(3, SOL_SOCKET, SO_GET_FILTER, ["+ldText+", BPF_STMT(BPF_RET|BPF_K, 0xffffffff)], [11 => 2]) = 0")
	checkLine(t, get(Options{StrSize: 32}, 0, 1, 2, vals), "getsockopt(3, SOL_SOCKET, SO_GET_FILTER, 0x1000, [11 => 2]) = 0")
	checkLine(t, get(v, 0, 1, 0x10000, vals), "getsockopt(3, SOL_SOCKET, SO_GET_FILTER, 0x1000, [11 => 65536]) = 0")
	checkLine(t, get(v, 0, 1, 2, wire.Cap{Arg: 3, Flags: wire.CapFault}), "getsockopt(3, SOL_SOCKET, SO_GET_FILTER, 0x1000, [11 => 2]) = 0")
	checkLine(t, get(v, -22, 1, 11, wire.Cap{Arg: 3}), "getsockopt(3, SOL_SOCKET, SO_GET_FILTER, 0x1000, [11]) = -1 EINVAL (Invalid argument)")
	// A length of 0 given: the address (the kernel returns the count).
	checkLine(t, decodeLineOpt(t, v, "getsockopt", 0, [6]uint64{3, 1, 26, 0x1000, 0x2000}, wire.Cap{Arg: 3, Flags: wire.CapFault}, in(0), out(10)),
		"getsockopt(3, SOL_SOCKET, SO_GET_FILTER, 0x1000, [0 => 10]) = 0")
	// SOL_IPV6's option 26 reads 8 bytes per byte of its length: the 4
	// before a page that could not be read are its int.
	checkLine(t, get(v, 0, 41, 4, wire.Cap{Arg: 3, Flags: wire.CapFault | wire.CapPart, Data: []byte{1, 0, 0, 0}}),
		"getsockopt(3, SOL_IPV6, IPV6_V6ONLY, [1], [11 => 4]) = 0")
	checkLine(t, get(v, 0, 41, 5, wire.Cap{Arg: 3, Flags: wire.CapFault | wire.CapPart, Data: []byte{1, 0, 0, 0, 2}}),
		`getsockopt(3, SOL_IPV6, IPV6_V6ONLY, "\1\0\0\0\2", [11 => 5]) = 0`)
}

// The captures of the filters: the struct sock_fprog and, by its
// pointer and count, the instructions (a selector case's further rule),
// or SO_GET_FILTER's instructions; none of them for the other options.
func TestFilterCaptures(t *testing.T) {
	plans := Plans()
	deref := func(arg uint8) wire.CapSpec {
		return wire.CapSpec{Kind: wire.CKDeref, Arg: arg, Elem: 8, Max: 8184, When: wire.CWIn, PtrOff: 8, CntSize: 2}
	}
	fprogSpec := func(arg uint8) wire.CapSpec {
		return wire.CapSpec{Kind: wire.CKMem, Arg: arg, Elem: 16, Max: 16, When: wire.CWIn}
	}
	sockopt := wire.CapSpec{Kind: wire.CKMem, Arg: 3, SizeFrom: wire.SzArg, SizeArg: 4, Elem: 1, Max: setsockoptCapMax, When: wire.CWIn}
	for _, tc := range []struct {
		name string
		sel  uint32
		want []wire.CapSpec
	}{
		{"seccomp", 1, []wire.CapSpec{fprogSpec(2), deref(2)}},
		{"prctl", 22, []wire.CapSpec{fprogSpec(2), deref(2)}},
		{"setsockopt", 26, []wire.CapSpec{sockopt, deref(3)}},
		{"setsockopt", 51, []wire.CapSpec{sockopt, deref(3)}},
		{"getsockopt", 26, []wire.CapSpec{{Kind: wire.CKMem, Arg: 3, SizeFrom: wire.SzArgPtr, SizeArg: 4, Elem: 8, Max: 8184, When: wire.CWOK}}},
	} {
		nr, ok := Number(tc.name)
		if !ok {
			continue
		}
		pl := plans[nr]
		c, ok := pl.Cases[tc.sel]
		if pl.Flags&wire.PFSelect == 0 || pl.SelArg != map[string]uint8{"setsockopt": 2, "getsockopt": 2}[tc.name] || !ok {
			t.Errorf("%s %d: no case (%+v)", tc.name, tc.sel, pl)
			continue
		}
		for _, w := range tc.want {
			found := false
			for _, cs := range c.Caps {
				found = found || cs == w
			}
			if !found {
				t.Errorf("%s %d: no capture %+v in %+v", tc.name, tc.sel, w, c.Caps)
			}
		}
		for _, cs := range pl.Caps {
			if cs.Kind == wire.CKDeref || cs.Elem == 8 && cs.Arg == 3 {
				t.Errorf("%s: %+v for every call", tc.name, cs)
			}
		}
	}
}

// A selector's further rules: after the case's rule of the argument, or
// its kind's when the case has none (a case of its own).
func TestSelectorMore(t *testing.T) {
	sl := selector{cases: func() map[uint32]map[int]capRule { return map[uint32]map[int]capRule{1: {0: capIn(4)}} },
		more: func() map[uint32]map[int][]capRule {
			return map[uint32]map[int][]capRule{1: {0: {bpfFilterDeref}}, 2: {1: {bpfFilterDeref}}}
		}}
	cases := sl.plans()
	if len(cases) != 2 {
		t.Fatalf("cases %+v", cases)
	}
	caps, n := capSpecs([]kind{kRaw, kRaw}, cases[1].over, cases[1].more)
	if n != 2 || caps[0] != capSpec(capIn(4), 0) || caps[1] != capSpec(bpfFilterDeref, 0) {
		t.Errorf("case 1: %d %+v", n, caps)
	}
	caps, n = capSpecs([]kind{kRaw, kRaw}, cases[2].over, cases[2].more)
	if n != 1 || caps[0] != capSpec(bpfFilterDeref, 1) {
		t.Errorf("case 2: %d %+v", n, caps)
	}
}

// Printing filters allocates nothing once the output buffer has grown.
func TestBPFFilterAllocs(t *testing.T) {
	var insns [][]byte
	for _, r := range bpfFilterOracle {
		insns = append(insns, r.insn)
	}
	var recs [][]byte
	for _, name := range []string{"seccomp", "setsockopt"} {
		if nr, ok := Number(name); ok {
			recs = append(recs, benchRecord(nr, 100, 0, [6]uint64{1, 1, 26, 0x1000, 16},
				wire.Cap{Arg: 2, Data: fprog(23, 0x2000)}, filterCap(2, 0, insns...),
				wire.Cap{Arg: 3, Data: fprog(23, 0x2000)}, filterCap(3, 0, insns...)))
		}
	}
	d, txt := newText(Options{StrSize: 32, Abbrev: []uint32{}, ConstStyle: ConstVerbose})
	var out []byte
	round := func() {
		for _, r := range recs {
			d.Feed(r)
		}
		out = txt.TakeInto(out[:0])
	}
	for i := 0; i < 100; i++ {
		round()
	}
	if !strings.Contains(string(out), "BPF_JUMP(") {
		t.Fatalf("no filter printed: %s", out)
	}
	if n := testing.AllocsPerRun(100, round); n != 0 {
		t.Errorf("%v allocations per round", n)
	}
}
