package loader

import "unsafe"

// The wire format of ring-buffer records, mirrored from bpf/eproc.h. The
// struct types are the ones bpf2go generated from the object's BTF, so their
// layout is the kernel side's by construction; the constants below are
// checked against the C header by TestWireMatchesHeader.

// ABI is EPROC_ABI: the version of the record format.
const ABI = 4

// Record types (enum ev_type).
const (
	EvSyscall = 1
	EvEnter   = 2
	EvSignal  = 3
	EvExit    = 4
	EvFork    = 5
	EvExec    = 6
	EvMark    = 7
	EvKVM     = 8
	EvDrops   = 9
)

// ISAs of KVM exits (ev_kvm.isa).
const (
	KVMISAVMX = 1
	KVMISASVM = 2
)

// Session flags.
const (
	sfTime    = 1
	sfLatency = 2
	sfUnpriv  = 4
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

// Capture flags.
const (
	CapFault = 1
	CapTrunc = 2
)

// Capture kinds, size sources, timing and plan flags.
const (
	CKNone   = 0
	CKStr    = 1
	CKMem    = 2
	CKIov    = 3
	CKStrv   = 4
	CKPCount = 5

	SzConst   = 0
	SzArg     = 1
	SzRet     = 2
	SzArgPtr  = 3
	SzStrsize = 4

	CWIn = 1
	CWOK = 2

	PFNoReturn = 1
	PFExec     = 2
)

// Tracee flags.
const (
	TFInherit  = 1
	TFSpawner  = 2
	TFWaitExec = 4
	TFSigPend  = 8
)

// Limits shared with the programs.
const (
	MaxSessions = 1024
	MaxSyscalls = 1024
	NCaps       = 6
	Scratch     = 16384
	MaxCap      = 8191
	StrvMax     = 32
	IovMax      = 8
)

// Exported names for the generated types.
type (
	Plan    = eprocPlan
	CapSpec = eprocCapspec
)

// Sizes of the fixed parts of records.
const (
	HdrSize     = int(unsafe.Sizeof(eprocEvHdr{}))
	SyscallSize = int(unsafe.Sizeof(eprocEvSyscall{}))
	CapSize     = int(unsafe.Sizeof(eprocEvCap{}))
	SignalSize  = int(unsafe.Sizeof(eprocEvSignal{}))
	ExitSize    = int(unsafe.Sizeof(eprocEvExit{}))
	ForkSize    = int(unsafe.Sizeof(eprocEvFork{}))
	ExecSize    = int(unsafe.Sizeof(eprocEvExec{}))
	KVMSize     = int(unsafe.Sizeof(eprocEvKvm{}))
	DropsSize   = int(unsafe.Sizeof(eprocEvDrops{}))
)
