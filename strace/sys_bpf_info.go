package strace

// bpf's BPF_PROG_LOAD instructions (print_ebpf_prog), read as the call
// entered through the attr's pointer, and BPF_OBJ_GET_INFO_BY_FD.

// bpfMaxInsns is BPF_MAXINSNS: strace prints no more instructions.
const bpfMaxInsns = 4096

// The parts of an instruction's opcode (xlat/ebpf_*.in, bpf_*.in).
var (
	ebpfClasses = indexed("BPF_", "LD", "LDX", "ST", "STX", "ALU", "JMP", "JMP32", "ALU64")
	ebpfSizes   = []flag{{0, "BPF_W"}, {8, "BPF_H"}, {0x10, "BPF_B"}, {0x18, "BPF_DW"}}
	ebpfModes   = []flag{{0, "BPF_IMM"}, {0x20, "BPF_ABS"}, {0x40, "BPF_IND"}, {0x60, "BPF_MEM"}, {0xc0, "BPF_XADD"}}
	bpfSrcs     = []flag{{0, "BPF_K"}, {8, "BPF_X"}}
	bpfOpsALU   = []flag{{0, "BPF_ADD"}, {0x10, "BPF_SUB"}, {0x20, "BPF_MUL"}, {0x30, "BPF_DIV"}, {0x40, "BPF_OR"},
		{0x50, "BPF_AND"}, {0x60, "BPF_LSH"}, {0x70, "BPF_RSH"}, {0x80, "BPF_NEG"}, {0x90, "BPF_MOD"},
		{0xa0, "BPF_XOR"}, {0xb0, "BPF_MOV"}, {0xc0, "BPF_ARSH"}, {0xd0, "BPF_END"}}
	bpfOpsJmp = []flag{{0, "BPF_JA"}, {0x10, "BPF_JEQ"}, {0x20, "BPF_JGT"}, {0x30, "BPF_JGE"}, {0x40, "BPF_JSET"},
		{0x50, "BPF_JNE"}, {0x60, "BPF_JSGT"}, {0x70, "BPF_JSGE"}, {0x80, "BPF_CALL"}, {0x90, "BPF_EXIT"},
		{0xa0, "BPF_JLT"}, {0xb0, "BPF_JLE"}, {0xc0, "BPF_JSLT"}, {0xd0, "BPF_JSLE"}}
)

// ebpfCode prints an eBPF opcode as print_bpf_filter_code(code, true):
// its class, then the parts the class has, joined by |.
func ebpfCode(p *printer, code uint64) {
	class := code & 7
	p.xlat(class, ebpfClasses, "/BPF_???")
	switch class {
	case 0, 1, 2, 3: // LD, LDX, ST, STX
		p.c('|')
		p.xlat(code&0x18, ebpfSizes, "/BPF_???")
		p.c('|')
		p.xlat(code&0xe0, ebpfModes, "/BPF_???")
	case 4, 7: // ALU, ALU64
		p.c('|')
		p.xlat(code&8, bpfSrcs, "/BPF_???")
		p.c('|')
		p.xlat(code&0xf0, bpfOpsALU, "/BPF_???")
	case 5: // JMP
		p.c('|')
		p.xlat(code&8, bpfSrcs, "/BPF_???")
		p.c('|')
		p.xlat(code&0xf0, bpfOpsJmp, "/BPF_???")
	case 6: // JMP32: classic BPF's RET, which eBPF decodes no further
		if rest := code &^ 7; rest != 0 {
			p.c('|')
			p.x(rest)
			unknownComment(p, "BPF_???")
		}
	}
}

// bpfInsns prints n instructions at addr: their address unless -v.
func bpfInsns(p *printer, c *Call, addr, n uint64) {
	if p.abbrev() {
		p.ptr(addr)
		return
	}
	count := 0
	bpfArray(p, c, 8, addr, 8, n, func(p *printer, b []byte) {
		if count++; count > bpfMaxInsns {
			p.s("...")
			return
		}
		p.s("{code=")
		ebpfCode(p, uint64(b[0]))
		p.s(", dst_reg=")
		p.xlat(uint64(b[1]&15), bpfRegs, "/BPF_REG_???")
		p.s(", src_reg=")
		p.xlat(uint64(b[1]>>4), bpfRegs, "/BPF_REG_???")
		p.s(", off=")
		p.d(int64(int16(le.Uint16(b[2:]))))
		p.s(", imm=")
		hexOrZero(p, uint64(le.Uint32(b[4:])))
		p.c('}')
	})
}

// bpfObjGetInfoByFd prints {info={bpf_fd, info_len, info}}. The info
// struct the kernel fills is printed as its address, -v or not: strace
// reads it at the call's exit, and nothing here does (sys_exit follows no
// pointer; the task's memory read when the record is decoded may be
// reused by then).
func bpfObjGetInfoByFd(p *printer, c *Call, a bpfAttr) {
	p.s("info={bpf_fd=")
	bpfFd(p, c, a.u32(0))
	p.s(", info_len=")
	bpfInOut(p, c, a, 4)
	p.s(", info=")
	p.ptr(a.u64(8))
	p.c('}')
}
