package strace

import "github.com/eproc/eproc/loader/wire"

// Classic BPF programs, as strace 6.1's bpf_filter.c prints them: struct
// sock_fprog {unsigned short len; struct sock_filter *filter;} as
// {len=N, filter=[BPF_STMT(code, k), BPF_JUMP(code, k, jt, jf), ...]},
// the filter's address without -v (abbrev). seccomp's filters
// (bpf_seccomp_filter.c) name a BPF_RET's k as an action, socket filters
// (bpf_sock_filter.c) a BPF_LD|BPF_ABS's k past one of the SKF_*_OFF
// offsets. The struct is captured as its argument's capture, the
// instructions its filter points to as element wire.DerefIdx+8
// (bpfFilterDeref).

const (
	sockFprogSize = 16 // struct sock_fprog
	bpfInsnSize   = 8  // struct sock_filter: u16 code, u8 jt, u8 jf, u32 k
	// bpfFilterCapMax is how much of a filter is captured: the
	// instructions a capture holds (1023; wire.MaxCap).
	bpfFilterCapMax = wire.MaxCap / bpfInsnSize * bpfInsnSize
)

// bpfFilterDeref captures the instructions of the struct sock_fprog an
// argument points to, as the call enters: len (u16 at 0) of them, at
// filter (at 8).
var bpfFilterDeref = capRule{kind: wire.CKDeref, elem: bpfInsnSize, max: bpfFilterCapMax, when: wire.CWIn,
	ptrOff: 8, cntOff: 0, cntSize: 2}

// The names of an instruction code's parts (xlat/bpf_*.in; bpf_size,
// bpf_src, bpf_op_alu and bpf_op_jmp are sys_bpf_info.go's ebpfSizes,
// bpfSrcs, bpfOpsALU and bpfOpsJmp).
var (
	bpfClasses = []flag{{0x0, "BPF_LD"}, {0x1, "BPF_LDX"}, {0x2, "BPF_ST"}, {0x3, "BPF_STX"}, {0x4, "BPF_ALU"},
		{0x5, "BPF_JMP"}, {0x6, "BPF_RET"}, {0x7, "BPF_MISC"}}
	bpfModes = []flag{{0x00, "BPF_IMM"}, {0x20, "BPF_ABS"}, {0x40, "BPF_IND"}, {0x60, "BPF_MEM"}, {0x80, "BPF_LEN"},
		{0xa0, "BPF_MSH"}, {0xc0, "BPF_XADD"}}
	bpfRvals   = []flag{{0x00, "BPF_K"}, {0x08, "BPF_X"}, {0x10, "BPF_A"}}
	bpfMiscops = []flag{{0x00, "BPF_TAX"}, {0x80, "BPF_TXA"}}
	skfAds     = []flag{{0, "SKF_AD_PROTOCOL"}, {4, "SKF_AD_PKTTYPE"}, {8, "SKF_AD_IFINDEX"}, {12, "SKF_AD_NLATTR"},
		{16, "SKF_AD_NLATTR_NEST"}, {20, "SKF_AD_MARK"}, {24, "SKF_AD_QUEUE"}, {28, "SKF_AD_HATYPE"},
		{32, "SKF_AD_RXHASH"}, {36, "SKF_AD_CPU"}, {40, "SKF_AD_ALU_XOR_X"}, {44, "SKF_AD_VLAN_TAG"},
		{48, "SKF_AD_VLAN_TAG_PRESENT"}, {52, "SKF_AD_PAY_OFFSET"}, {56, "SKF_AD_RANDOM"}, {60, "SKF_AD_VLAN_TPID"}}
)

// bpfCodePart is a part of an instruction's code: the bits of mask,
// named by tab.
type bpfCodePart struct {
	mask uint16
	tab  []flag
}

// bpfCodeLayout is what print_bpf_filter_code prints after a class's
// name: its parts, each after a |, then, with rest, the code's other bits
// (past the class and the parts) as |0x... /* BPF_??? */ when there are
// any (the other classes leave them out).
type bpfCodeLayout struct {
	parts []bpfCodePart
	rest  bool
}

var (
	bpfLoad  = bpfCodeLayout{parts: []bpfCodePart{{0x18, ebpfSizes}, {0xe0, bpfModes}}}
	bpfStore = bpfCodeLayout{rest: true}
)

// bpfCodeLayouts are the layouts by class (code & 7).
var bpfCodeLayouts = [8]bpfCodeLayout{
	0: bpfLoad,                                                    // BPF_LD
	1: bpfLoad,                                                    // BPF_LDX
	2: bpfStore,                                                   // BPF_ST
	3: bpfStore,                                                   // BPF_STX
	4: {parts: []bpfCodePart{{0x08, bpfSrcs}, {0xf0, bpfOpsALU}}}, // BPF_ALU
	5: {parts: []bpfCodePart{{0x08, bpfSrcs}, {0xf0, bpfOpsJmp}}}, // BPF_JMP
	6: {parts: []bpfCodePart{{0x18, bpfRvals}}, rest: true},       // BPF_RET
	7: {parts: []bpfCodePart{{0xf8, bpfMiscops}}, rest: true},     // BPF_MISC
}

// bpfCode prints an instruction's code as strace's print_bpf_filter_code
// (classic BPF): BPF_LD|BPF_W|BPF_ABS.
func bpfCode(p *printer, code uint16) {
	class := code & 7
	p.xlat(uint64(class), bpfClasses, "/BPF_???")
	l := &bpfCodeLayouts[class]
	rest := code &^ 7
	for _, pt := range l.parts {
		p.c('|')
		p.xlat(uint64(code&pt.mask), pt.tab, "/BPF_???")
		rest &^= pt.mask
	}
	if l.rest && rest != 0 {
		p.c('|')
		p.x(uint64(rest))
		p.comment("BPF_???") // whatever -X says: tprints_comment
	}
}

// bpfKFunc prints a statement's k as a kind of filter names it; false
// when it does not (printed as hex).
type bpfKFunc func(p *printer, code uint16, k uint32) bool

// seccompK is print_seccomp_filter_k: a BPF_RET's action, and its data.
func seccompK(p *printer, code uint16, k uint32) bool {
	if code&7 != 6 { // BPF_RET
		return false
	}
	action := k & 0xffff0000 // SECCOMP_RET_ACTION_FULL
	xlatOrUnknown(p, uint64(action), seccompRetActions, "SECCOMP_RET_???")
	if data := k &^ action; data != 0 {
		p.c('|')
		p.x(uint64(data))
	}
	return true
}

// skfOffsets are the offsets a socket filter's absolute loads count from
// (xlat/skf_off.in), highest first; past SKF_AD_OFF, an ancillary datum.
var skfOffsets = []struct {
	off  uint32
	name string
	ad   bool
}{{0xfffff000, "SKF_AD_OFF", true}, {0xfff00000, "SKF_NET_OFF", false}, {0xffe00000, "SKF_LL_OFF", false}}

// sockK is print_sock_filter_k: a BPF_LD|BPF_ABS's k as OFFSET+N.
func sockK(p *printer, code uint16, k uint32) bool {
	if code&7 != 0 || code&0xe0 != 0x20 { // BPF_LD, BPF_ABS
		return false
	}
	for _, o := range skfOffsets {
		if k < o.off {
			continue
		}
		p.constVal(uint64(o.off), 'x', o.name)
		p.c('+')
		if o.ad {
			xlatOrUnknown(p, uint64(k-o.off), skfAds, "SKF_AD_???")
		} else {
			p.u(uint64(k - o.off))
		}
		return true
	}
	return false
}

// bpfInsn prints one instruction: BPF_JUMP(code, k, jt, jf) when it has
// a jump offset, else BPF_STMT(code, k), k named by kf.
func bpfInsn(p *printer, b []byte, kf bpfKFunc) {
	code, jt, jf, k := le.Uint16(b), b[2], b[3], le.Uint32(b[4:])
	if jt != 0 || jf != 0 {
		p.s("BPF_JUMP(")
		bpfCode(p, code)
		for _, v := range [3]uint64{uint64(k), uint64(jt), uint64(jf)} {
			p.s(", ")
			hexOrZero(p, v)
		}
		p.c(')')
		return
	}
	p.s("BPF_STMT(")
	bpfCode(p, code)
	p.s(", ")
	if kf == nil || !kf(p, code, k) {
		hexOrZero(p, uint64(k))
	}
	p.c(')')
}

// bpfProg prints n instructions at addr, captured as cp, as strace's
// print_bpf_fprog: their address unless -v, else an array of at most
// BPF_MAXINSNS of them.
func bpfProg(p *printer, addr uint64, cp *wire.Cap, n uint64, kf bpfKFunc) {
	if p.abbrev() {
		p.ptr(addr)
		return
	}
	printArrayAt(p, addr, cp, bpfInsnSize, n, func(p *printer, k uint64, b []byte) bool {
		if k >= bpfMaxInsns {
			p.s("...")
			return false
		}
		bpfInsn(p, b, kf)
		return true
	})
}

// sockFprog prints the struct sock_fprog argument i points to, as
// strace's decode_bpf_fprog: {len=N, filter=...}, or its address when it
// could not be read; its instructions are the argument's bpfFilterDeref
// capture.
func sockFprog(p *printer, c *Call, i int, kf bpfKFunc) {
	cp := captured(p, c, i, sockFprogSize)
	if cp == nil {
		return
	}
	n := le.Uint16(cp.Data)
	p.s("{len=")
	p.u(uint64(n))
	p.s(", filter=")
	bpfProg(p, le.Uint64(cp.Data[8:]), c.Cap(i, wire.DerefIdx+8), uint64(n), kf)
	p.c('}')
}
