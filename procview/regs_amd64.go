//go:build amd64

package procview

import (
	"encoding/binary"
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

// dbRegs is FreeBSD's dbregs: the debug registers, named as FreeBSD's
// struct dbreg indexes them (dr[0]-dr[3] the addresses, dr[6] the status,
// dr[7] the control; dr[4] and dr[5] are reserved, and Linux has none).
// Linux has no request for the set: each is a word of struct user's
// u_debugreg, read with PTRACE_PEEKUSER and written with PTRACE_POKEUSER.
// The set's bytes here are u_debugreg[0..7], a word each.
var dbRegs = &regSet{
	size: 8 * 8,
	fields: []regField{
		gpWord("dr0", 0), gpWord("dr1", 1), gpWord("dr2", 2), gpWord("dr3", 3),
		gpWord("dr6", 6), gpWord("dr7", 7),
	},
	get: getDebugRegs,
	set: setDebugRegs,
}

// whyRegs and whyDbregs: amd64 has all three files.
const whyRegs, whyDbregs = "", ""

// debugRegOff is offsetof(struct user, u_debugreg) on amd64.
const debugRegOff = 848

// dbShown are the words of u_debugreg the file shows and writes.
var dbShown = []int{0, 1, 2, 3, 6, 7}

func getDebugRegs(pid int, buf []byte) error {
	for _, i := range dbShown {
		if err := ptraceBuf(unix.PTRACE_PEEKUSR, pid, uintptr(debugRegOff+8*i), unsafe.Pointer(&buf[8*i])); err != nil {
			return err
		}
	}
	return nil
}

// setDebugRegs writes the words of buf that differ from the process's:
// the addresses and dr6 first, dr7 last, so the breakpoints dr7 enables
// are checked against their new addresses; while dr7 changes it is 0 (every
// breakpoint off) until then, so an address is never checked against the
// old dr7's length. Linux checks each write (an address in the kernel's
// half, a length or kind dr7 cannot have: EINVAL); on a refusal every word
// already written gets its old value back, so nothing changes.
func setDebugRegs(pid int, buf []byte) error {
	old := make([]byte, len(buf))
	if err := getDebugRegs(pid, old); err != nil {
		return err
	}
	word := func(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[8*i:]) }
	var done []int // the words written, in order, for the undo
	poke := func(i int, val uint64) error {
		err := ptraceWord(unix.PTRACE_POKEUSR, pid, uintptr(debugRegOff+8*i), uintptr(val))
		if err == nil {
			done = append(done, i)
		}
		return err
	}
	undo := func() { // the last first: dr7 gets its old value after the addresses
		for j := len(done) - 1; j >= 0; j-- {
			ptraceWord(unix.PTRACE_POKEUSR, pid, uintptr(debugRegOff+8*done[j]), uintptr(word(old, done[j])))
		}
	}
	dr7 := word(buf, 7) != word(old, 7)
	if dr7 && word(old, 7) != 0 {
		if err := poke(7, 0); err != nil {
			return err
		}
	}
	for _, i := range dbShown[:len(dbShown)-1] {
		if word(buf, i) == word(old, i) {
			continue
		}
		if err := poke(i, word(buf, i)); err != nil {
			undo()
			return err
		}
	}
	if dr7 {
		if err := poke(7, word(buf, 7)); err != nil {
			undo()
			return err
		}
	}
	return nil
}
