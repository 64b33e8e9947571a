package strace

import (
	"encoding/binary"

	"github.com/eproc/eproc/loader/wire"
)

var le = binary.LittleEndian

// ErrShort is returned for a record shorter than its header or its type
// says (package wire's error).
var ErrShort = wire.ErrShort

// Call is a syscall record as the decoder prints it: the record, and for a
// successful execve what the kernel exec'd (from the EV_EXEC record that
// came before it).
type Call struct {
	wire.Call
	exec *execInfo
	// resumes: restart_syscall's, 1 + the number of the call it resumes
	// (0: not known; sys_misc_restart.go).
	resumes uint32
}
