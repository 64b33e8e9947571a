package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

var le = binary.LittleEndian

// ErrShort is returned for a record shorter than its header or its type
// says.
var ErrShort = errors.New("wire: truncated record")

// Header is the part common to all records (struct ev_hdr).
type Header struct {
	Type uint16
	Len  uint16
	Tid  uint32
	Tgid uint32
	CPU  uint32
	TS   uint64 // CLOCK_MONOTONIC ns (the call's entry, for syscalls)
}

// Peek reads a record's type, thread and process without checking the
// rest: ok false when b is too short to hold a header.
func Peek(b []byte) (typ uint16, tid, tgid uint32, ok bool) {
	if len(b) < HdrSize {
		return 0, 0, 0, false
	}
	return le.Uint16(b), le.Uint32(b[4:]), le.Uint32(b[8:]), true
}

// Type is a record's type; 0 (no type) when b is too short to hold a
// header.
func Type(b []byte) uint16 {
	if len(b) < HdrSize {
		return 0
	}
	return le.Uint16(b)
}

// SyscallNr is the syscall number of an EV_SYSCALL or EV_ENTER record;
// ok false for a record too short to be one.
func SyscallNr(b []byte) (nr uint32, ok bool) {
	if len(b) < SyscallSize {
		return 0, false
	}
	return le.Uint32(b[88:]), true
}

// ParseHeader reads b's header and checks its length against b.
func ParseHeader(b []byte, h *Header) error {
	if len(b) < HdrSize {
		return ErrShort
	}
	readHeader((*[HdrSize]byte)(b), h)
	if int(h.Len) > len(b) || int(h.Len) < HdrSize {
		return fmt.Errorf("%w: header says %d bytes, have %d", ErrShort, h.Len, len(b))
	}
	return nil
}

// readHeader reads a header, unchecked.
func readHeader(b *[HdrSize]byte, h *Header) {
	h.Type = le.Uint16(b[0:])
	h.Len = le.Uint16(b[2:])
	h.Tid = le.Uint32(b[4:])
	h.Tgid = le.Uint32(b[8:])
	h.CPU = le.Uint32(b[12:])
	h.TS = le.Uint64(b[16:])
}

// parseFixed reads the header and checks that the record holds its type's
// fixed part. (Small enough to be inlined: the error is made apart.)
func parseFixed(b []byte, h *Header, size int) error {
	if err := ParseHeader(b, h); err != nil {
		return err
	}
	if int(h.Len) < size {
		return errFixed(h, size)
	}
	return nil
}

func errFixed(h *Header, size int) error {
	return fmt.Errorf("%w: record of type %d has %d bytes, needs %d", ErrShort, h.Type, h.Len, size)
}

// Cap is a captured argument (struct ev_cap and its data): memory the BPF
// program copied out of the tracee. Data aliases the record.
type Cap struct {
	Arg   uint8
	Flags uint8
	Idx   uint16
	Data  []byte
	Want  Want // with CapWant
}

// Want is what a capture that read nothing wanted (struct cap_want).
type Want struct {
	Size uint32 // bytes (CKStr: at most Size-1 characters and the NUL)
	Kind uint32 // CKMem or CKStr, with WantShown for a string shown cut at -s
	Ptr  uint64
}

// WantSize is struct cap_want's.
const WantSize = 16

// Wants reports that nothing was read and Want says what was wanted.
func (c *Cap) Wants() bool { return c.Flags&CapWant != 0 }

// Fault reports that the memory could not be read.
func (c *Cap) Fault() bool { return c.Flags&CapFault != 0 }

// Part reports that the memory could be read only in part: Data holds the
// bytes before the first page that could not be (Fault is set too).
func (c *Cap) Part() bool { return c.Flags&CapPart != 0 }

// Trunc reports that there was more than was captured.
func (c *Cap) Trunc() bool { return c.Flags&CapTrunc != 0 }

// Call is a syscall record (EV_SYSCALL or EV_ENTER). Parsing reuses Caps.
type Call struct {
	Header
	ExitTS uint64
	Ret    int64
	Args   [6]uint64
	Nr     uint32
	Flags  uint16
	// OffCPU: with Flags' EvfOffCPU, the ns the call spent off the CPU
	// (blocked or preempted) between TS and ExitTS; see CPUTime.
	OffCPU uint64
	// EntryIP, ExitIP: with Flags' EvfIP, the user instruction pointer at
	// the call's entry (at its exit when the entry was not seen) and at
	// its exit (a successful execve's is the new program's, rt_sigreturn's
	// where the handler's frame returned to).
	EntryIP, ExitIP uint64
	Caps            []Cap
	Wants           bool // some capture has CapWant
}

// Complete reports whether the call returned (an EV_SYSCALL).
func (c *Call) Complete() bool { return c.Type == EvSyscall }

// Cap returns the capture of argument arg, element idx, or nil.
func (c *Call) Cap(arg, idx int) *Cap {
	for i := range c.Caps {
		if int(c.Caps[i].Arg) == arg && int(c.Caps[i].Idx) == idx {
			return &c.Caps[i]
		}
	}
	return nil
}

// ParseCall parses an EV_SYSCALL or EV_ENTER record.
func ParseCall(b []byte, c *Call) error {
	// parseFixed, by hand: this is the hot one. A record whose header
	// says it holds the fixed part, within b, is read with no further
	// call or bounds check; any other gets parseFixed's checks (and
	// fails one of them).
	if n := len(b); n < SyscallSize || int(le.Uint16(b[2:])) < SyscallSize || int(le.Uint16(b[2:])) > n {
		if err := ParseHeader(b, &c.Header); err != nil {
			return err
		}
		return errFixed(&c.Header, SyscallSize)
	}
	b = b[:le.Uint16(b[2:])]
	f := (*[SyscallSize]byte)(b)
	readHeader((*[HdrSize]byte)(f[:HdrSize]), &c.Header)
	c.ExitTS = le.Uint64(f[24:])
	c.Ret = int64(le.Uint64(f[32:]))
	// One by one: an array literal is built on the stack and copied in
	// 16 bytes at a time, each copy waiting on two 8-byte stores.
	c.Args[0], c.Args[1], c.Args[2] = le.Uint64(f[40:]), le.Uint64(f[48:]), le.Uint64(f[56:])
	c.Args[3], c.Args[4], c.Args[5] = le.Uint64(f[64:]), le.Uint64(f[72:]), le.Uint64(f[80:])
	c.Nr = le.Uint32(f[88:])
	ncaps := int(le.Uint16(f[92:]))
	c.Flags = le.Uint16(f[94:])
	c.OffCPU, c.EntryIP, c.ExitIP = 0, 0, 0
	if c.Flags&EvfOffCPU != 0 {
		if len(b) < SyscallSize+8 {
			return fmt.Errorf("%w: no off-CPU time after the captures", ErrShort)
		}
		c.OffCPU = le.Uint64(b[len(b)-8:])
		b = b[:len(b)-8]
	}
	if c.Flags&EvfIP != 0 {
		if len(b) < SyscallSize+16 {
			return fmt.Errorf("%w: no instruction pointers after the captures", ErrShort)
		}
		c.EntryIP, c.ExitIP = le.Uint64(b[len(b)-16:]), le.Uint64(b[len(b)-8:])
		b = b[:len(b)-16]
	}
	var err error
	c.Caps, c.Wants, err = parseCaps(b[SyscallSize:], ncaps, c.Caps[:0])
	return err
}

// CPUTime is the CPU time the call took, its time from entry to exit less
// its time off the CPU: strace -c's system time. Without EvfOffCPU (no
// session asked, or the entry was not seen) it is the wall time.
func (c *Call) CPUTime() uint64 {
	if c.ExitTS <= c.TS {
		return 0
	}
	ns := c.ExitTS - c.TS
	if c.Flags&EvfOffCPU != 0 {
		ns -= min(ns, c.OffCPU)
	}
	return ns
}

// parseCaps reads n captures, each padded to 8 bytes.
func parseCaps(b []byte, n int, caps []Cap) (_ []Cap, wants bool, _ error) {
	for i := 0; i < n; i++ {
		if len(b) < CapSize {
			return caps, wants, fmt.Errorf("%w: capture %d of %d", ErrShort, i, n)
		}
		l := int(le.Uint32(b[4:]))
		end := CapSize + l
		if l > MaxCap || end > len(b) {
			return caps, wants, fmt.Errorf("%w: capture of %d bytes", ErrShort, l)
		}
		flags := b[1]
		if flags&CapWant != 0 && l < WantSize {
			return caps, wants, fmt.Errorf("%w: capture wants in %d bytes", ErrShort, l)
		}
		// Fill the slot in place: a Cap built apart and copied in is
		// written a byte at a time and read back 16 at a time, which
		// stalls the copy.
		caps = append(caps, Cap{})
		c := &caps[len(caps)-1]
		c.Arg, c.Flags, c.Idx = b[0], flags, le.Uint16(b[2:])
		if flags&CapWant != 0 {
			wants = true
			d := b[CapSize:end]
			c.Want = Want{Size: le.Uint32(d), Kind: le.Uint32(d[4:]), Ptr: le.Uint64(d[8:])}
		} else {
			c.Data = b[CapSize:end]
		}
		pad := (l + 7) &^ 7
		if CapSize+pad > len(b) {
			b = b[len(b):]
		} else {
			b = b[CapSize+pad:]
		}
	}
	return caps, wants, nil
}

// Signal is an EV_SIGNAL record.
type Signal struct {
	Header
	Sig int32
	// Stopped: the thread stopped (group stop) by Sig, outside any call;
	// Info is zero. strace: "--- stopped by SIGSTOP ---".
	Stopped bool
	Info    [48]byte // the siginfo's first bytes
	// IP: the user instruction pointer the signal found (sessions with
	// IP, the record made by the thread itself), else 0.
	IP uint64
}

// SigfStopped is ev_signal.flags' bit for Signal.Stopped.
const SigfStopped = 1

// SigfIP is ev_signal.flags' bit for a valid Signal.IP.
const SigfIP = 2

// ParseSignal parses an EV_SIGNAL record.
func ParseSignal(b []byte, s *Signal) error {
	if err := parseFixed(b, &s.Header, SignalSize); err != nil {
		return err
	}
	s.Sig = int32(le.Uint32(b[24:]))
	flags := le.Uint32(b[28:])
	s.Stopped = flags&SigfStopped != 0
	copy(s.Info[:], b[32:80])
	s.IP = 0
	if flags&SigfIP != 0 {
		s.IP = le.Uint64(b[80:])
	}
	return nil
}

// Exit is an EV_EXIT record.
type Exit struct {
	Header
	Code      int32 // wait status; ExitSuperseded: the exec'ing thread's id
	GroupDead bool
	Detached  bool // the process left the session (setuid execve)
	// Superseded: a leader ended by the execve of thread Code, which takes
	// over its id.
	Superseded bool
	// Start: the process's start time in clock ticks since boot, as
	// /proc/PID/stat's 22nd field says it (0 in a detach record).
	Start uint64
	// Who the process was (a group's end only): its command name, and
	// real, effective and saved uid and gid.
	Comm     string
	Uid, Gid [3]uint32
}

// ParseExit parses an EV_EXIT record.
func ParseExit(b []byte, e *Exit) error {
	if err := parseFixed(b, &e.Header, ExitSize); err != nil {
		return err
	}
	e.Code = int32(le.Uint32(b[24:]))
	e.Start = le.Uint64(b[32:])
	comm := b[40:56]
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	e.Comm = string(comm)
	for i := 0; i < 3; i++ {
		e.Uid[i] = le.Uint32(b[56+4*i:])
		e.Gid[i] = le.Uint32(b[68+4*i:])
	}
	kind := le.Uint32(b[28:])
	e.GroupDead = kind == ExitGroup
	e.Detached = kind == ExitDetached
	e.Superseded = kind == ExitSuperseded
	return nil
}

// Fork is an EV_FORK record. Its header names the parent.
type Fork struct {
	Header
	ChildTid  uint32
	ChildTgid uint32
	Thread    bool
	// The child's pid namespace: its depth (0: the initial one), its
	// inode (0: unknown) and the child's ids there.
	NsLevel, NsInum, NsTid, NsTgid uint32
	// NsPtid is the child's id in its namespace's parent (depth NsLevel-1;
	// 0: at depth 0, or unknown).
	NsPtid uint32
}

// ParseFork parses an EV_FORK record.
func ParseFork(b []byte, f *Fork) error {
	if err := parseFixed(b, &f.Header, ForkSize); err != nil {
		return err
	}
	f.ChildTid = le.Uint32(b[24:])
	f.ChildTgid = le.Uint32(b[28:])
	f.Thread = le.Uint32(b[32:]) != 0
	f.NsLevel = le.Uint32(b[36:])
	f.NsInum = le.Uint32(b[40:])
	f.NsTid = le.Uint32(b[44:])
	f.NsTgid = le.Uint32(b[48:])
	f.NsPtid = le.Uint32(b[52:])
	return nil
}

// Exec is an EV_EXEC record: the filename (capture 0) and the argv area
// (capture 1, NUL-separated) as the kernel saw them, the environment's
// (capture 2, -v).
//
// The argv area is the new program's: when an interpreter runs it
// (binfmt_script's "#!", binfmt_misc), the kernel took argv[0] out and put
// the interpreter's path, its optional argument and the program's path
// in front. Such a record has capture 3, the argv[0] the execve was given
// (cut at ExecArgv0Max-1 bytes: then Trunc), and OrigArgc >= 0, the argc it
// was given: the call's argv is that argv[0], then the area's last
// OrigArgc-1 strings. (Without capture 3, OrigArgc is -1.)
type Exec struct {
	Header
	Argc, Envc int32
	OldTid     uint32 // the exec'ing thread's id before it took the leader's
	OrigArgc   int32  // with capture 3, an interpreted program's: its execve's argc; -1: not interpreted (or not known)
	Caps       []Cap
}

// ExecArgv0Max is EPROC_ARGV0_MAX: an interpreted program's argv[0] is kept
// up to one byte less.
const ExecArgv0Max = 256

// ParseExec parses an EV_EXEC record. Parsing reuses Caps.
func ParseExec(b []byte, e *Exec) error {
	if err := parseFixed(b, &e.Header, ExecSize); err != nil {
		return err
	}
	b = b[:e.Len]
	e.Argc = int32(le.Uint32(b[24:]))
	e.Envc = int32(le.Uint32(b[28:]))
	e.OldTid = le.Uint32(b[32:])
	e.OrigArgc = int32(le.Uint32(b[40:]))
	var err error
	e.Caps, _, err = parseCaps(b[ExecSize:], int(le.Uint16(b[36:])), e.Caps[:0])
	return err
}

// KVMExit is an EV_KVM record: the fields of kvm:kvm_exit.
type KVMExit struct {
	Header
	Reason uint32 // exit code (VMX: basic reason | flags)
	ISA    uint32 // KVMISAVMX or KVMISASVM
	VCPU   uint32
	RIP    uint64 // guest RIP
	Info1  uint64
	Info2  uint64
}

// ParseKVMExit parses an EV_KVM record.
func ParseKVMExit(b []byte, k *KVMExit) error {
	if err := parseFixed(b, &k.Header, KVMSize); err != nil {
		return err
	}
	k.Reason = le.Uint32(b[24:])
	k.ISA = le.Uint32(b[28:])
	k.VCPU = le.Uint32(b[32:])
	k.RIP = le.Uint64(b[40:])
	k.Info1 = le.Uint64(b[48:])
	k.Info2 = le.Uint64(b[56:])
	return nil
}

// Drops is an EV_DROPS record: records one CPU could not put in the
// session's full ring since the last one it did. It comes just before that
// CPU's next record, where the loss happened.
type Drops struct {
	Header
	Calls uint64 // syscall records: calls the stream lost
	Other uint64 // other records: announcements, signals, exits, forks
}

// ParseDrops parses an EV_DROPS record.
func ParseDrops(b []byte, d *Drops) error {
	if err := parseFixed(b, &d.Header, DropsSize); err != nil {
		return err
	}
	d.Calls = le.Uint64(b[HdrSize:])
	d.Other = le.Uint64(b[HdrSize+8:])
	return nil
}

// ArgVals is an EV_ARGVALS record: values call Nr of thread Tid was given
// (its plan's CWEntry captures), read as it entered; the call's own record
// follows.
type ArgVals struct {
	Header
	Nr    uint32
	N     int   // values
	Fault uint8 // bit k: value k could not be read
	Arg   [EntryCaps]uint8
	Size  [EntryCaps]uint8
	Data  [EntryCaps][8]byte
}

// ParseArgVals parses an EV_ARGVALS record.
func ParseArgVals(b []byte, a *ArgVals) error {
	if err := parseFixed(b, &a.Header, ArgValsSize); err != nil {
		return err
	}
	a.Nr = le.Uint32(b[HdrSize:])
	a.N = min(int(b[HdrSize+4]), EntryCaps)
	a.Fault = b[HdrSize+5]
	for k := range EntryCaps {
		a.Arg[k], a.Size[k] = b[HdrSize+6+k]&0xf, min(b[HdrSize+6+k]>>4, 8)
		copy(a.Data[k][:], b[HdrSize+8+8*k:])
	}
	return nil
}

// Stack is an EV_STACK record (strace -k): call Nr of thread Tid returned
// with these user registers, and Mem is the top of its stack, from SP on
// (aliasing the record's bytes). Its EvSyscall came before it.
type Stack struct {
	Header
	Nr         uint32
	IP, SP, FP uint64
	Mem        []byte
}

// ParseStack parses an EV_STACK record.
func ParseStack(b []byte, s *Stack) error {
	if err := parseFixed(b, &s.Header, StackSize); err != nil {
		return err
	}
	s.Nr = le.Uint32(b[HdrSize:])
	n := int(le.Uint32(b[HdrSize+4:]))
	s.IP = le.Uint64(b[HdrSize+8:])
	s.SP = le.Uint64(b[HdrSize+16:])
	s.FP = le.Uint64(b[HdrSize+24:])
	if n > int(s.Len)-StackSize {
		return errFixed(&s.Header, StackSize+n)
	}
	s.Mem = b[StackSize : StackSize+n]
	return nil
}

// Map is an EV_MAP record (strace -k): code process Tgid mapped
// (MapMmap), unmapped (MapUnmap), or the program it exec'd (MapExec); see
// the Map* constants for what Addr, Len and Off are.
type Map struct {
	Header
	Kind       uint16
	Flags      uint16
	Addr, Size uint64 // ev_map's addr and len
	Off        uint64
	Path       string // the file's path, "" for MapUnmap
}

// ParseMap parses an EV_MAP record. Its path comes as the components
// from the file up, each NUL-terminated; Path is them joined from the root.
func ParseMap(b []byte, m *Map) error {
	if err := parseFixed(b, &m.Header, MapSize); err != nil {
		return err
	}
	m.Kind = le.Uint16(b[HdrSize:])
	m.Flags = le.Uint16(b[HdrSize+2:])
	n := int(le.Uint32(b[HdrSize+4:]))
	m.Addr = le.Uint64(b[HdrSize+8:])
	m.Size = le.Uint64(b[HdrSize+16:])
	m.Off = le.Uint64(b[HdrSize+24:])
	if n > int(m.Header.Len)-MapSize {
		return errFixed(&m.Header, MapSize+n)
	}
	m.Path = ""
	if n > 0 {
		var parts []string
		for p := b[MapSize : MapSize+n]; len(p) > 0; {
			i := bytes.IndexByte(p, 0)
			if i < 0 {
				i = len(p)
			}
			parts = append(parts, string(p[:i]))
			p = p[min(i+1, len(p)):]
		}
		var sb strings.Builder
		for i := len(parts) - 1; i >= 0; i-- {
			sb.WriteByte('/')
			sb.WriteString(parts[i])
		}
		m.Path = sb.String()
	}
	return nil
}

// ParseMark parses an EV_MARK record: its text, aliasing b.
func ParseMark(b []byte, h *Header) ([]byte, error) {
	if err := ParseHeader(b, h); err != nil {
		return nil, err
	}
	return b[HdrSize:h.Len], nil
}
