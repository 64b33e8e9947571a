//go:build arm64

package procview

import (
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// arm64's registers, by PTRACE_GETREGSET: NT_PRSTATUS is struct
// user_pt_regs (x0-x30, sp, pc, pstate: 34 words), NT_PRFPREG struct
// user_fpsimd_state (v0-v31, 128 bits each, then fpsr and fpcr).

var gpRegs = &regSet{size: 34 * 8, fields: gpFields(), get: regset(unix.PTRACE_GETREGSET, unix.NT_PRSTATUS), set: regset(unix.PTRACE_SETREGSET, unix.NT_PRSTATUS)}

var fpRegs = &regSet{size: 32*16 + 16, fields: fpFields(), get: regset(unix.PTRACE_GETREGSET, unix.NT_PRFPREG), set: regset(unix.PTRACE_SETREGSET, unix.NT_PRFPREG)}

func gpFields() []regField {
	var fs []regField
	for i := 0; i < 31; i++ {
		fs = append(fs, regField{"x" + strconv.Itoa(i), 8 * i, 8})
	}
	return append(fs, regField{"sp", 248, 8}, regField{"pc", 256, 8}, regField{"pstate", 264, 8})
}

func fpFields() []regField {
	var fs []regField
	for i := 0; i < 32; i++ {
		fs = append(fs, regField{"v" + strconv.Itoa(i), 16 * i, 16})
	}
	return append(fs, regField{"fpsr", 512, 4}, regField{"fpcr", 516, 4})
}

// regset is a PTRACE_GETREGSET or PTRACE_SETREGSET request for the note's
// set.
func regset(req int, note int) func(pid int, buf []byte) error {
	return func(pid int, buf []byte) error {
		iov := unix.Iovec{Base: &buf[0]}
		iov.SetLen(len(buf))
		return ptraceBuf(req, pid, uintptr(note), unsafe.Pointer(&iov))
	}
}

// dbRegs: none on arm64 (EOPNOTSUPP, whyDbregs).
var dbRegs *regSet

const (
	whyRegs   = ""
	whyDbregs = "dbregs is x86's debug registers (dr0-dr3, dr6, dr7, as FreeBSD's struct dbreg); arm64's breakpoint and watchpoint registers are address and control pairs Linux gives as the NT_ARM_HW_BREAK and NT_ARM_HW_WATCH register sets, which eproc does not serve"
)
