// Package wire is the format of the records eproc's BPF programs put in a
// session's ring buffer, and of the capture plans user space gives them: the
// constants and offsets of bpf/eproc.h, and parsers from raw bytes to typed
// records. It is the one place that knows the layout: the loader (which
// writes plans and reads rings) and the decoder (which turns records into
// events) both import it, and nothing else reads a record's bytes.
//
// It imports nothing of eproc's, so a decoder or a test can use it without
// loading a BPF object. The loader's tests check its sizes against the
// types bpf2go generated from the object's BTF; TestMatchesHeader checks its
// constants against the C header.
package wire

import (
	"regexp"
	"strconv"
)

// ABI is EPROC_ABI: the version of the record format.
const ABI = 16

// Record types (enum ev_type).
const (
	EvSyscall = 1  // a syscall that returned: entry args, result, captures
	EvEnter   = 2  // a syscall that blocked or never returns: entry args, input captures
	EvSignal  = 3  // a signal delivered to a traced thread
	EvExit    = 4  // a traced thread exited
	EvFork    = 5  // a traced thread created a thread or process that joined the session
	EvExec    = 6  // a traced process replaced its image: filename and argv as the kernel saw them
	EvMark    = 7  // text written into the stream by user space
	EvKVM     = 8  // a vCPU of a traced process left its guest (kvm:kvm_exit)
	EvDrops   = 9  // records one CPU lost to a full ring since its last record
	EvArgVals = 10 // values a call was given (CWEntry), before its EvSyscall
	// EvAttrMem: what bpf's attr points to, read as the call entered,
	// before its EvSyscall: a Call whose captures are argument 1's,
	// element AttrMemIdx | the pointer's offset in the attr.
	EvAttrMem = 11
	EvStack   = 12 // -k: a returned call's user registers and stack top, after its EvSyscall
	EvMap     = 13 // -k: code a traced process mapped or unmapped, or the program it exec'd
)

// AttrMemIdx marks an EvAttrMem capture's element (ATTRMEM_IDX).
const AttrMemIdx = 0x4000

// EV_MAP kinds (ev_map.kind) and flags.
const (
	MapMmap  = 1 // Addr, Size, Off: a file's mapping with PROT_EXEC
	MapUnmap = 2 // Addr, Size: what munmap took away
	MapExec  = 3 // Addr: the new program's start_code; Size: the entry its thread starts at; Path: the program
	MapCut   = 1 // MAPF_CUT: the path is not whole

	PathDepth = 16 // EPROC_PATH_DEPTH: path components an EV_MAP walks up at most
)

// StackMax is EPROC_STACK: the user stack bytes an EvStack copies at most.
const StackMax = 12288

// Page is EPROC_PAGE: the smallest page, whose boundaries a partial read
// of the programs stops at.
const Page = 4096

// StackSignal is Stack.Nr's flag for a signal's stack (its low byte the
// signal), after the signal's record.
const StackSignal = 65536

// ISAs of KVM exits (ev_kvm.isa).
const (
	KVMISAVMX = 1
	KVMISASVM = 2
)

// Exit record kinds (ev_exit.group_dead).
const (
	ExitThread   = 0
	ExitGroup    = 1
	ExitDetached = 2
	// ExitSuperseded: a leader ended by another thread's execve; Code is
	// that thread's id, the leader's from now on.
	ExitSuperseded = 3
)

// EvfOffCPU (ev_syscall.flags): the record ends, after its captures, in
// the ns the call spent off the CPU (Call.OffCPU; sessions with CPUTime).
const EvfOffCPU = 1

// EvfIP (ev_syscall.flags): the record ends, after its captures and
// before its off-CPU time, in the user instruction pointer at the call's
// entry and at its exit (Call.EntryIP, ExitIP; sessions with IP).
const EvfIP = 2

// Capture flags (ev_cap.flags).
const (
	CapFault = 1 // the memory could not be read: print the address
	CapTrunc = 2 // there was more than was captured
	// CapPart, with CapFault: Data holds the bytes before the first page
	// that could not be read (strace prints an array's elements up to the
	// first it cannot read).
	CapPart = 4
	// CapWant, with CapFault: nothing was read, and the capture says
	// what was wanted (Cap.Want): a page the task never touched is not
	// mapped yet, and a BPF read cannot fault it in. The decoder reads it
	// from user space.
	CapWant = 8
	// WantShown: Want.Kind's flag for a string shown cut at -s.
	WantShown = 0x100
	// WantCross: Want.Kind's flag for a string whose first byte the
	// program could read: the read failed past the first page (Page),
	// which held no NUL.
	WantCross = 0x200
	// WantProbe: Want.Kind's flag for a buffer read one byte past what
	// the capture keeps (Size is that one more): strace prints one it
	// cannot read that far as its address.
	WantProbe = 0x400
)

// Capture kinds, size sources, timing and plan flags (struct capspec,
// struct plan).
const (
	CKNone   = 0
	CKStr    = 1
	CKMem    = 2
	CKIov    = 3
	CKStrv   = 4
	CKPCount = 5
	CKDents  = 6 // entries in getdents' returned bytes: a uint32; Elem is the header size
	// CKMsghdr: a struct msghdr and what it points to, as captures of
	// element indexes Msg* (SzRet: the iovecs' data bounded by the result).
	CKMsghdr = 7
	// CKMmsg: a struct mmsghdr vector of SizeArg's count (SzRet: the
	// result's, each message's data bounded by its msg_len); message j's
	// captures are CKMsghdr's at element indexes j<<MsgShift.
	CKMmsg = 8
	// CKDeref: what a pointer inside the struct at Arg points to
	// (CapSpec.PtrOff): a count of Elem-byte elements from a field
	// (CntOff, CntSize bytes) or SizeArg's argument (SzArg) or as many
	// as Max allows (SzStrsize) or 1 (SzConst), at most Max bytes (0:
	// strsize+1 elements); element
	// DerefIdx+PtrOff of the argument's captures.
	CKDeref = 9
	// CKFdIno: what the descriptors a call made are, read from the
	// task's file table at the call's exit (a process that ends at once
	// leaves no /proc/PID/fd to read): an FdIno each (FdInoSize bytes),
	// element FdInoIdx of Arg's captures. SzRet: the descriptor is the
	// result; else the two ints at Arg (pipe's, socketpair's).
	CKFdIno = 10
	// CKDerefItems: what each element of a CKDeref array points to (a
	// second level): the array as CKDeref's (PtrOff, CntOff, CntSize;
	// Elem: an element's bytes, at most 255), and in its element j (of
	// the first ItemsMax) the pointer at ItemPtr and its length, the
	// ItemLenSize-byte field at ItemLen: that many bytes, at most Max (0:
	// strsize+1), as element DerefItemIdx+j: empty where the pointer or
	// the length is 0; the walk ends at an element it cannot read.
	CKDerefItems = 11

	SzConst   = 0
	SzArg     = 1
	SzRet     = 2
	SzArgPtr  = 3
	SzStrsize = 4
	SzIoc     = 5 // _IOC_SIZE(args[SizeArg]): an ioctl request's size bits
	SzArg32   = 6 // uint32(args[SizeArg]) * Elem: an int count (the kernel ignores the upper bits)

	CWIn = 1 // an input: also in EV_ENTER records
	CWOK = 2 // an output: only when the call succeeded
	// CWEntry: read as the call enters (its syscalls:sys_enter_*
	// tracepoint) and sent in an EvArgVals record before the call's: the
	// value the call was given, which it may overwrite (strace's [in =>
	// out]). The decoder gives it to the call as element EntryIdx.
	// CKMem, SzConst, Elem <= 8 bytes; at most EntryCaps per plan, and
	// not in a case (Plan.Cases).
	CWEntry = 4
	// CWNetlink: Max is for a netlink socket's buffers: it holds when the
	// call's descriptor (args[0]) is an AF_NETLINK socket (or the
	// session's strsize, when larger), else strsize as for Max 0; a CKMem
	// CWOK capture on a netlink socket, at most the result's bytes (the
	// pages past what the call wrote may not be there). CKMem, CKIov,
	// CKMsghdr, CKMmsg. The kernel looks the socket up for these
	// captures only.
	CWNetlink = 8

	PFNoReturn = 1
	PFExec     = 2
	PFSelect   = 4 // Plan.Cases: see Plan
	PFEntry    = 8 // a CWEntry capture: Plan.Name's entry tracepoint is attached
	// PFDumpR, PFDumpW: a call strace's -e read= (write=) dumps the data
	// of: with args[0] a descriptor in the session's set
	// (SessionConfig.DumpRead, DumpWrite), its returned record captures
	// MaxCap-2 bytes where it would capture the -s size.
	PFDumpR = 16
	PFDumpW = 32
	// PFWhole: the plan has a case WholeSel (in Cases), which sessions
	// that print the call's structures whole (SessionConfig.Whole: -v)
	// take; never with PFSelect.
	PFWhole  = 64
	WholeSel = 0xffffffff
)

// CKMsghdr's captures, by element index (| j<<MsgShift for message j of
// a CKMmsg vector): the struct, its name, its control data and its iovecs
// (the array at MsgIov, element i's data at MsgIov+1+i).
const (
	MsgHdr     = 0
	MsgName    = 1
	MsgControl = 2
	MsgIov     = 3
	MsgShift   = 6
	CmsgMax    = 2048 // control bytes captured at most
	MmsgMax    = 32   // messages of a CKMmsg vector captured: as many as strace prints
)

// Entry captures (CWEntry).
const (
	EntryCaps = 2      // per plan
	EntryIdx  = 0x7fff // the element index, in a call's captures, of a value at entry (decoder)
	// DerefIdx: | a pointer's offset in its struct, the element of a
	// CKDeref capture.
	DerefIdx = 0x7000
	// DerefItemIdx: + j, what element j of a CKDerefItems array points to.
	DerefItemIdx = 0x7100
	// MmsgInLens: recvmmsg's vector's element holding each message's
	// msg_namelen as the call entered (uint32s; an EvAttrMem record's).
	MmsgInLens = 0x7ffe
	// FdInoIdx: a CKFdIno capture's element.
	FdInoIdx = 0x7ffd
)

// FdInoSize is struct fd_ino's size: the inode's number (uint64), its
// i_mode (uint32), 4 bytes of padding, and for a socket its dentry's
// name (its protocol, system.sockprotoname), NUL-padded, 16 bytes.
const FdInoSize = 32

// Limits of records and plans.
const (
	NCaps       = 6    // capture specs per syscall
	MaxSubplans = 4096 // Plan.Cases of all syscalls
	MaxCap      = 8191 // one capture never exceeds this
	StrvMax     = 64   // argv elements captured
	IovMax      = 32   // iovec elements captured: as many as strace prints
	ItemsMax    = 32   // CKDerefItems elements followed: as many as strace prints

	DentsMax = 16384 // directory entries CKDents counts; more: CapTrunc
)

// The flight recorder's slots (struct rec_slot): a recording session's
// records in an array used as a circular buffer, each record in as many
// consecutive slots as it needs.
const (
	RecSlot    = 256          // bytes of a slot
	RecSlotHdr = 16           // seq u64, len u16, part u16, parts u16, pad
	RecData    = RecSlot - 16 // record bytes a slot holds
)

// RecSlotHeader is a slot's header: Seq is its position + 1 once written
// (0 while being written); the record's Part-th of Parts slots, holding
// Len of its bytes.
type RecSlotHeader struct {
	Seq              uint64
	Len, Part, Parts uint16
}

// ParseRecSlot parses a slot's header.
func ParseRecSlot(b []byte) (h RecSlotHeader, ok bool) {
	if len(b) < RecSlot {
		return h, false
	}
	h.Seq = le.Uint64(b)
	h.Len, h.Part, h.Parts = le.Uint16(b[8:]), le.Uint16(b[10:]), le.Uint16(b[12:])
	return h, h.Len <= RecData && h.Part < h.Parts
}

// Sizes of the fixed parts of records: a record of each type is at least
// this long, its captures (if any) follow.
const (
	HdrSize     = 24
	SyscallSize = 96
	CapSize     = 8
	SignalSize  = 88
	ExitSize    = 80
	ForkSize    = 56
	ExecSize    = 48
	KVMSize     = 64
	DropsSize   = 40
	ArgValsSize = 48
	StackSize   = 56
	MapSize     = 56
)

// CapSpec is struct capspec: how to capture one argument.
type CapSpec struct {
	Kind     uint8 // CK*
	Arg      uint8
	SizeFrom uint8 // Sz*
	SizeArg  uint8
	Elem     uint16
	Max      uint16
	When     uint8 // CW*
	// Off: with CWEntry, the bytes past the argument's address to read
	// at (a multiple of 8, below 128): a field of the struct it points to.
	Off uint8
	// CKDeref: the pointer's offset in the struct, and its count's
	// offset and width in bytes (0: from SizeArg or 1). CKMem: PtrOff is
	// the capture's element index.
	PtrOff, CntOff, CntSize uint8
	// CKDerefItems: in an element of the array, the pointer's offset, and
	// its length's offset and width (1-8 bytes).
	ItemPtr, ItemLen, ItemLenSize uint8
}

// Plan is struct plan: what a syscall's records capture.
type Plan struct {
	Caps  [NCaps]CapSpec
	Flags uint32 // PF*
	// With PFSelect, a call's (args[SelArg] >> SelShift) & SelMask picks
	// its plan from Cases (ioctl's request, fcntl's command...); a value
	// that is not there keeps this plan's Caps. The kernel's plans map
	// holds the cases after the syscalls' slots, and its subplans map
	// their indexes (at most MaxSubplans in all); a case's own Sel*
	// fields and Cases are not used.
	SelArg, SelShift uint8
	SelMask          uint32
	Cases            map[uint32]Plan
	// Name is the syscall's name, for PFEntry: its syscalls:sys_enter_NAME
	// tracepoint takes the CWEntry captures.
	Name string
}

// CDefines reads the enum members (NAME = N,) and #defines (#define NAME N)
// of a C header: the tests check the Go mirrors of bpf/eproc.h with it.
func CDefines(src []byte) map[string]int {
	defs := map[string]int{}
	for _, re := range []*regexp.Regexp{enumRe, defineRe} {
		for _, m := range re.FindAllSubmatch(src, -1) {
			v, _ := strconv.Atoi(string(m[2]))
			defs[string(m[1])] = v
		}
	}
	return defs
}

var (
	enumRe   = regexp.MustCompile(`(?m)^\s*([A-Z][A-Z0-9_]+)\s*=\s*(\d+)\s*,`)
	defineRe = regexp.MustCompile(`(?m)^#define\s+([A-Z][A-Z0-9_]+)\s+(\d+)`)
)
