//go:build amd64

package procview

import (
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// amd64's registers: struct user_regs_struct (PTRACE_GETREGS, 27 words)
// and struct user_fpregs_struct (PTRACE_GETFPREGS, FXSAVE's 512 bytes).

// gpWord is the register at word i of user_regs_struct.
func gpWord(name string, i int) regField { return regField{name, 8 * i, 8} }

var gpRegs = &regSet{
	size: 27 * 8,
	fields: []regField{
		gpWord("rax", 10), gpWord("rbx", 5), gpWord("rcx", 11), gpWord("rdx", 12),
		gpWord("rsi", 13), gpWord("rdi", 14), gpWord("rbp", 4), gpWord("rsp", 19),
		gpWord("r8", 9), gpWord("r9", 8), gpWord("r10", 7), gpWord("r11", 6),
		gpWord("r12", 3), gpWord("r13", 2), gpWord("r14", 1), gpWord("r15", 0),
		gpWord("rip", 16), gpWord("eflags", 18),
		gpWord("cs", 17), gpWord("ss", 20), gpWord("ds", 23), gpWord("es", 24), gpWord("fs", 25), gpWord("gs", 26),
		gpWord("fs_base", 21), gpWord("gs_base", 22), gpWord("orig_rax", 15),
	},
	get: func(pid int, buf []byte) error {
		return ptraceBuf(unix.PTRACE_GETREGS, pid, 0, unsafe.Pointer(&buf[0]))
	},
	set: func(pid int, buf []byte) error {
		return ptraceBuf(unix.PTRACE_SETREGS, pid, 0, unsafe.Pointer(&buf[0]))
	},
}

var fpRegs = &regSet{
	size:   512,
	fields: fpFields(),
	get: func(pid int, buf []byte) error {
		return ptraceBuf(unix.PTRACE_GETFPREGS, pid, 0, unsafe.Pointer(&buf[0]))
	},
	set: func(pid int, buf []byte) error {
		return ptraceBuf(unix.PTRACE_SETFPREGS, pid, 0, unsafe.Pointer(&buf[0]))
	},
}

// fpFields is user_fpregs_struct: the x87 control, status and (abridged)
// tag words, the last opcode, instruction and data pointers, mxcsr, st0-7
// (80 bits in 16-byte slots from byte 32) and xmm0-15 (from byte 160).
func fpFields() []regField {
	fs := []regField{{"fcw", 0, 2}, {"fsw", 2, 2}, {"ftw", 4, 2}, {"fop", 6, 2},
		{"rip", 8, 8}, {"rdp", 16, 8}, {"mxcsr", 24, 4}}
	for i := 0; i < 8; i++ {
		fs = append(fs, regField{"st" + strconv.Itoa(i), 32 + 16*i, 10})
	}
	for i := 0; i < 16; i++ {
		fs = append(fs, regField{"xmm" + strconv.Itoa(i), 160 + 16*i, 16})
	}
	return fs
}
