package strace

// ptrace's PEEKTEXT, PEEKDATA and PEEKUSER (the word the call stores at
// data) and GETEVENTMSG (the unsigned long it stores there): printed at
// exit, as strace 6.1's decode_ptrace_exiting does with printnum_ptr
// ([NULL], [0x...]) and printnum_ulong ([N]); and PEEKUSER's and
// POKEUSER's addr, an offset in struct user, named as strace's
// print_user_offset_addr names it (x86_64's userent.h: 8*RAX,
// offsetof(struct user, u_debugreg)+48, ...).

// The requests decoded here.
const (
	ptPeektext    = 1
	ptPeekdata    = 2
	ptPeekuser    = 3
	ptPokeuser    = 6
	ptGeteventmsg = 0x4201
)

// ptracePeekReq says whether req stores a word at data.
func ptracePeekReq(req uint64) bool {
	switch req {
	case ptPeektext, ptPeekdata, ptPeekuser, ptGeteventmsg:
		return true
	}
	return false
}

// userOffset is a name of an offset in struct user.
type userOffset struct {
	off  uint64
	name string
}

// userOffsets: x86_64's struct user, as strace's linux/x86_64/userent.h
// and linux/i386/userent0.h list it (the registers of sys/reg.h up to SS,
// EFLAGS as "8*EFL", then the other fields and its size). Elsewhere none:
// addr is printed as an address.
var userOffsets = func() []userOffset {
	if !ptraceArchRegs {
		return nil
	}
	var t []userOffset
	for k, r := range []string{"R15", "R14", "R13", "R12", "RBP", "RBX", "R11", "R10", "R9", "R8", "RAX", "RCX",
		"RDX", "RSI", "RDI", "ORIG_RAX", "RIP", "CS", "EFL", "RSP", "SS"} {
		t = append(t, userOffset{uint64(8 * k), "8*" + r})
	}
	for _, f := range []userOffset{{216, "u_fpvalid"}, {224, "i387"}, {736, "u_tsize"}, {744, "u_dsize"},
		{752, "u_ssize"}, {760, "start_code"}, {768, "start_stack"}, {776, "signal"}, {784, "reserved"},
		{792, "u_ar0"}, {800, "u_fpstate"}, {808, "magic"}, {816, "u_comm"}, {848, "u_debugreg"}} {
		t = append(t, userOffset{f.off, "offsetof(struct user, " + f.name + ")"})
	}
	return append(t, userOffset{912, "sizeof(struct user)"})
}()

// ptraceUserOffset prints addr as print_user_offset_addr: the name of the
// last offset not above it, +N past it (none past sizeof(struct user));
// under -X raw the address, under -X verbose the address and the name in
// a comment.
func ptraceUserOffset(p *printer, addr uint64) {
	var base uint64
	name := ""
	for _, u := range userOffsets {
		if u.off > addr {
			break
		}
		base, name = u.off, u.name
	}
	if n := len(userOffsets); name != "" && addr > base && base == userOffsets[n-1].off {
		name = ""
	}
	if name == "" || p.style != ConstAbbrev {
		p.ptr(addr)
	}
	if name == "" || p.style == ConstRaw {
		return
	}
	if p.style == ConstVerbose {
		p.s(" /* ")
	}
	p.s(name)
	if addr != base {
		p.c('+')
		p.un(addr - base)
	}
	if p.style == ConstVerbose {
		p.s(" */")
	}
}

// ptracePeekOut prints the word a PEEK* or GETEVENTMSG stored at data:
// [0x...] (a PEEK's, as an address: [NULL] for 0) or [N] (GETEVENTMSG's);
// the address when the call failed or it was not read.
func ptracePeekOut(p *printer, c *Call, req uint64) {
	data := c.Args[3]
	if data == 0 {
		p.s("NULL")
		return
	}
	b := capturedOut(c, 3, 8)
	if b == nil || !p.verbose() {
		p.ptr(data)
		return
	}
	p.c('[')
	if req == ptGeteventmsg {
		p.un(le.Uint64(b))
	} else {
		p.ptr(le.Uint64(b))
	}
	p.c(']')
}
