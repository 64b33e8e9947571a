// Package strace turns eproc's raw ring-buffer records into the text strace
// prints, keeps bounded queues of that text for readers, and ends a stream
// with Plan 9's hang-up line.
package strace

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/eproc/eproc/loader"
)

var le = binary.LittleEndian

// ErrShort is returned for a record shorter than its header says.
var ErrShort = errors.New("strace: truncated record")

// Cap is a captured argument: memory the BPF program copied out of the
// tracee. Data aliases the record.
type Cap struct {
	Arg   uint8
	Flags uint8
	Idx   uint16
	Data  []byte
}

// Fault reports that the memory could not be read.
func (c *Cap) Fault() bool { return c.Flags&loader.CapFault != 0 }

// Trunc reports that there was more than was captured.
func (c *Cap) Trunc() bool { return c.Flags&loader.CapTrunc != 0 }

// Header is the part common to all records.
type Header struct {
	Type uint16
	Len  uint16
	Tid  uint32
	Tgid uint32
	CPU  uint32
	TS   uint64
}

func parseHeader(b []byte, h *Header) error {
	if len(b) < loader.HdrSize {
		return ErrShort
	}
	h.Type = le.Uint16(b[0:])
	h.Len = le.Uint16(b[2:])
	h.Tid = le.Uint32(b[4:])
	h.Tgid = le.Uint32(b[8:])
	h.CPU = le.Uint32(b[12:])
	h.TS = le.Uint64(b[16:])
	if int(h.Len) > len(b) || int(h.Len) < loader.HdrSize {
		return fmt.Errorf("%w: header says %d bytes, have %d", ErrShort, h.Len, len(b))
	}
	return nil
}

// Call is a syscall record (EV_SYSCALL or EV_ENTER). Parsing reuses Caps.
type Call struct {
	Header
	ExitTS uint64
	Ret    int64
	Args   [6]uint64
	Nr     uint32
	Flags  uint16
	Caps   []Cap

	exec *execInfo // for a successful execve: what the kernel exec'd
}

// Complete reports whether the call returned (an EV_SYSCALL).
func (c *Call) Complete() bool { return c.Type == loader.EvSyscall }

// Cap returns the capture of argument arg, element idx, or nil.
func (c *Call) Cap(arg, idx int) *Cap {
	for i := range c.Caps {
		if int(c.Caps[i].Arg) == arg && int(c.Caps[i].Idx) == idx {
			return &c.Caps[i]
		}
	}
	return nil
}

func parseCall(b []byte, c *Call) error {
	if err := parseHeader(b, &c.Header); err != nil {
		return err
	}
	if int(c.Len) < loader.SyscallSize {
		return fmt.Errorf("%w: syscall record of %d bytes", ErrShort, c.Len)
	}
	b = b[:c.Len]
	c.ExitTS = le.Uint64(b[24:])
	c.Ret = int64(le.Uint64(b[32:]))
	for i := range c.Args {
		c.Args[i] = le.Uint64(b[40+8*i:])
	}
	c.Nr = le.Uint32(b[88:])
	ncaps := int(le.Uint16(b[92:]))
	c.Flags = le.Uint16(b[94:])
	var err error
	c.Caps, err = parseCaps(b[loader.SyscallSize:], ncaps, c.Caps[:0])
	return err
}

func parseCaps(b []byte, n int, caps []Cap) ([]Cap, error) {
	for i := 0; i < n; i++ {
		if len(b) < loader.CapSize {
			return caps, fmt.Errorf("%w: capture %d of %d", ErrShort, i, n)
		}
		l := int(le.Uint32(b[4:]))
		end := loader.CapSize + l
		if l > loader.MaxCap || end > len(b) {
			return caps, fmt.Errorf("%w: capture of %d bytes", ErrShort, l)
		}
		caps = append(caps, Cap{Arg: b[0], Flags: b[1], Idx: le.Uint16(b[2:]), Data: b[loader.CapSize:end]})
		pad := (l + 7) &^ 7
		if loader.CapSize+pad > len(b) {
			b = b[len(b):]
		} else {
			b = b[loader.CapSize+pad:]
		}
	}
	return caps, nil
}

// Signal is an EV_SIGNAL record.
type Signal struct {
	Header
	Sig  int32
	Info [48]byte
}

func parseSignal(b []byte, s *Signal) error {
	if err := parseHeader(b, &s.Header); err != nil {
		return err
	}
	if int(s.Len) < loader.SignalSize {
		return ErrShort
	}
	s.Sig = int32(le.Uint32(b[24:]))
	copy(s.Info[:], b[32:80])
	return nil
}

// Exit is an EV_EXIT record.
type Exit struct {
	Header
	Code      int32
	GroupDead bool
	Detached  bool // the process left the session (setuid execve)
	// Superseded: a leader ended by the execve of thread Code, which takes
	// over its id.
	Superseded bool
}

func parseExit(b []byte, e *Exit) error {
	if err := parseHeader(b, &e.Header); err != nil {
		return err
	}
	if int(e.Len) < loader.ExitSize {
		return ErrShort
	}
	e.Code = int32(le.Uint32(b[24:]))
	kind := le.Uint32(b[28:])
	e.GroupDead = kind == loader.ExitGroup
	e.Detached = kind == loader.ExitDetached
	e.Superseded = kind == loader.ExitSuperseded
	return nil
}

// Fork is an EV_FORK record.
type Fork struct {
	Header
	ChildTid  uint32
	ChildTgid uint32
	Thread    bool
}

func parseFork(b []byte, f *Fork) error {
	if err := parseHeader(b, &f.Header); err != nil {
		return err
	}
	if int(f.Len) < loader.ForkSize {
		return ErrShort
	}
	f.ChildTid = le.Uint32(b[24:])
	f.ChildTgid = le.Uint32(b[28:])
	f.Thread = le.Uint32(b[32:]) != 0
	return nil
}

// Exec is an EV_EXEC record: the filename (capture 0) and the argv area
// (capture 1, NUL-separated) as the kernel saw them.
type Exec struct {
	Header
	Argc, Envc int32
	OldTid     uint32
	Caps       []Cap
}

func parseExec(b []byte, e *Exec) error {
	if err := parseHeader(b, &e.Header); err != nil {
		return err
	}
	if int(e.Len) < loader.ExecSize {
		return ErrShort
	}
	b = b[:e.Len]
	e.Argc = int32(le.Uint32(b[24:]))
	e.Envc = int32(le.Uint32(b[28:]))
	e.OldTid = le.Uint32(b[32:])
	var err error
	e.Caps, err = parseCaps(b[loader.ExecSize:], int(le.Uint16(b[36:])), e.Caps[:0])
	return err
}

// Mark is an EV_MARK record: text for the stream.
func parseMark(b []byte, h *Header) ([]byte, error) {
	if err := parseHeader(b, h); err != nil {
		return nil, err
	}
	return b[loader.HdrSize:h.Len], nil
}
