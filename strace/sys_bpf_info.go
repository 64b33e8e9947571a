package strace

import (
	"os"
	"strconv"
	"time"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// bpf's BPF_PROG_LOAD instructions (print_ebpf_prog), read as the call
// entered through the attr's pointer, and BPF_OBJ_GET_INFO_BY_FD's info
// structs, read at its exit.

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

// bpfObjGetInfoByFd prints {info={bpf_fd, info_len, info}}: under -v,
// for a map's or a program's descriptor, the info struct as the call
// left it (sys_exit reads it (bpf_info_exit) at the call's exit), with the counts
// the caller gave where they changed ("0 => 86", from attr_mem at entry);
// else, or when it was not read at exit, its address.
func bpfObjGetInfoByFd(p *printer, c *Call, a bpfAttr) {
	p.s("info={bpf_fd=")
	fd := int32(a.u32(0))
	bpfFd(p, c, a.u32(0))
	p.s(", info_len=")
	bpfInOut(p, c, a, 4)
	p.s(", info=")
	addr, size := a.u64(8), int(a.u32(4))
	var pr func(p *printer, c *Call, out, in bpfAttr, d []byte)
	if !p.abbrev() {
		switch bpfFdLink(p, c, fd) {
		case "anon_inode:bpf-map":
			pr = bpfMapInfo
		case "anon_inode:bpf-prog":
			pr = bpfProgInfo
		}
	}
	out := c.Cap(1, wire.AttrMemIdx|bpfAttrMemExit|8)
	if pr == nil || out == nil || out.Fault() || size == 0 || size > bpfPage || len(out.Data) < size {
		p.ptr(addr)
		p.c('}')
		return
	}
	var in []byte
	if cp := c.Cap(1, wire.AttrMemIdx|8); cp != nil && !cp.Fault() {
		in = cp.Data
	}
	d := out.Data[:size]
	pr(p, c, bpfInfo(d, bpfProgInfoSize), bpfInfo(in, bpfProgInfoSize), d)
	p.c('}')
}

// bpfAttrMemExit | 8 tags the info struct read at the call's exit
// (ATTRMEM_EXIT).
const bpfAttrMemExit = 0x2000

// bpfFdLink is what fd of the call's process refers to (getfdpath): the
// -y table's, else /proc's now.
func bpfFdLink(p *printer, c *Call, fd int32) string {
	if fd < 0 {
		return ""
	}
	if p.fds != nil {
		return p.fds.lookup(c.Tgid, fd, true).link
	}
	l, _ := os.Readlink("/proc/" + strconv.FormatUint(uint64(c.Tgid), 10) + "/fd/" + strconv.Itoa(int(fd)))
	return l
}

// bpfInfo is an info struct: zero-filled past the bytes there are.
func bpfInfo(d []byte, known int) bpfAttr {
	a := bpfAttr{b: make([]byte, known), n: min(len(d), known)}
	copy(a.b, d)
	return a
}

const bpfMapInfoSize = 88 // struct bpf_map_info, what strace knows of

func bpfMapInfo(p *printer, _ *Call, a, _ bpfAttr, d []byte) {
	p.s("{type=")
	p.xlat(a.u32(0), bpfMapTypes, "/BPF_MAP_TYPE_???")
	bpfField(p, a, "id", 4, false)
	bpfField(p, a, "key_size", 8, false)
	bpfField(p, a, "value_size", 12, false)
	bpfField(p, a, "max_entries", 16, false)
	p.s(", map_flags=")
	flagsOrUnknown(p, a.u32(20), bpfMapFlags, "", "BPF_F_???")
	defer p.c('}')
	if !a.has(24) {
		return
	}
	p.s(", name=")
	bpfCString(p, a.b[24:40])
	if !a.has(40) {
		return
	}
	p.s(", ifindex=")
	ifindex(p, uint32(a.u32(40)))
	bpfField(p, a, "btf_vmlinux_value_type_id", 44, false)
	p.s(", netns_dev=")
	makedev(p, a.u64(48))
	p.s(", netns_ino=")
	p.u(a.u64(56))
	if !a.has(64) {
		return
	}
	bpfField(p, a, "btf_id", 64, false)
	bpfField(p, a, "btf_key_type_id", 68, false)
	bpfField(p, a, "btf_value_type_id", 72, false)
	bpfExtra(p, d, bpfMapInfoSize)
}

const bpfProgInfoSize = 220 // struct bpf_prog_info up to verified_insns

// bpfChanged prints ", name=" and a field the kernel fills: "in => out"
// when the caller gave another value; wide: a 64-bit address.
func bpfChanged(p *printer, out, in bpfAttr, name string, off int, wide bool) {
	p.s(", ")
	p.s(name)
	p.c('=')
	v, w := out.u32(off), in.u32(off)
	if wide {
		v, w = out.u64(off), in.u64(off)
	}
	if v != w {
		if wide {
			p.ptr(w)
		} else {
			p.u(w)
		}
		p.s(" => ")
	}
	if wide {
		p.ptr(v)
	} else {
		p.u(v)
	}
}

// bpfBootTime prints a boot-time timestamp's wall-clock second as a
// comment (print_boottime): approximate, as strace's.
func bpfBootTime(p *printer, ns uint64) {
	if p.style == ConstRaw {
		return
	}
	var boot, real unix.Timespec
	if unix.ClockGettime(unix.CLOCK_BOOTTIME, &boot) != nil || unix.ClockGettime(unix.CLOCK_REALTIME, &real) != nil {
		return
	}
	at := int64(ns) + real.Nano() - boot.Nano()
	p.comment(time.Unix(at/1e9, 0).Format("2006-01-02T15:04:05-0700"))
}

// bpfProgInfo prints a program's info (print_bpf_prog_info); what its
// pointers point to is not read: their addresses.
func bpfProgInfo(p *printer, c *Call, a, in bpfAttr, d []byte) {
	p.s("{type=")
	p.xlat(a.u32(0), bpfProgTypes, "/BPF_PROG_TYPE_???")
	bpfField(p, a, "id", 4, false)
	p.s(", tag=")
	p.quoteHex(a.b[8:16], false)
	bpfChanged(p, a, in, "jited_prog_len", 16, false)
	p.s(", jited_prog_insns=")
	p.ptr(a.u64(24))
	bpfChanged(p, a, in, "xlated_prog_len", 20, false)
	p.s(", xlated_prog_insns=")
	if n := min(a.u32(20), in.u32(20)) / 8; a.u64(32) != 0 && n == 0 && !p.abbrev() {
		p.s("[]") // print_ebpf_prog of no instructions: nothing to read
	} else {
		p.ptr(a.u64(32))
	}
	defer p.c('}')
	if !a.has(40) {
		return
	}
	p.s(", load_time=")
	p.u(a.u64(40))
	bpfBootTime(p, a.u64(40))
	p.s(", created_by_uid=")
	p.u(a.u32(48))
	bpfChanged(p, a, in, "nr_map_ids", 52, false)
	p.s(", map_ids=")
	bpfArray(p, c, bpfAttrMemExit|56, a.u64(56), 4, min(a.u32(52), in.u32(52)), func(p *printer, b []byte) {
		p.u(uint64(le.Uint32(b)))
	})
	p.s(", name=")
	bpfCString(p, a.b[64:80])
	if !a.has(80) {
		return
	}
	p.s(", ifindex=")
	ifindex(p, uint32(a.u32(80)))
	p.s(", gpl_compatible=")
	p.u(a.u32(84) & 1)
	p.s(", netns_dev=")
	makedev(p, a.u64(88))
	p.s(", netns_ino=")
	p.u(a.u64(96))
	if !a.has(104) {
		return
	}
	bpfChanged(p, a, in, "nr_jited_ksyms", 104, false)
	bpfChanged(p, a, in, "nr_jited_func_lens", 108, false)
	bpfChanged(p, a, in, "jited_ksyms", 112, true)
	bpfChanged(p, a, in, "jited_func_lens", 120, true)
	if a.has(128) {
		bpfProgInfoLines(p, a, in, d)
	}
}

// bpfProgInfoLines prints a program's info from btf_id on, before its
// closing brace.
func bpfProgInfoLines(p *printer, a, in bpfAttr, d []byte) {
	bpfField(p, a, "btf_id", 128, false)
	bpfChanged(p, a, in, "func_info_rec_size", 132, false)
	bpfField(p, a, "func_info", 136, true)
	bpfChanged(p, a, in, "nr_func_info", 144, false)
	bpfChanged(p, a, in, "nr_line_info", 148, false)
	bpfField(p, a, "line_info", 152, true)
	bpfField(p, a, "jited_line_info", 160, true)
	bpfChanged(p, a, in, "nr_jited_line_info", 168, false)
	bpfChanged(p, a, in, "line_info_rec_size", 172, false)
	bpfChanged(p, a, in, "jited_line_info_rec_size", 176, false)
	bpfChanged(p, a, in, "nr_prog_tags", 180, false)
	bpfField(p, a, "prog_tags", 184, true)
	if !a.has(192) {
		return
	}
	p.s(", run_time_ns=")
	p.u(a.u64(192))
	p.s(", run_cnt=")
	p.u(a.u64(200))
	if !a.has(208) {
		return
	}
	p.s(", recursion_misses=")
	p.u(a.u64(208))
	if !a.has(216) {
		return
	}
	bpfField(p, a, "verified_insns", 216, false)
	bpfExtra(p, d, bpfProgInfoSize)
}
