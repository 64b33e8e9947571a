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
	// mem reads the task's memory (Decoder.ReadMem), for what a
	// capture's own pointers point to (bpf's attr): nil, none can be.
	mem func(tid uint32, addr uint64, b []byte) int
}

// read returns up to n bytes of the task's memory at addr: those before
// the first page that cannot be read, none when not even the first can
// be, or when the decoder reads no memory.
func (c *Call) read(addr uint64, n int) []byte {
	if c.mem == nil || addr == 0 || n <= 0 {
		return nil
	}
	b := make([]byte, n)
	return b[:c.mem(c.Tid, addr, b)]
}
