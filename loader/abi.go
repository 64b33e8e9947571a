package loader

import (
	"unsafe"

	"github.com/eproc/eproc/loader/wire"
)

// The programs' map ABI beyond the records (those are package wire's):
// session and tracee flags and the maps' limits, mirrored from bpf/eproc.h
// and checked against it by TestABIMatchesHeader.

// Session flags (sess_cfg.flags).
const (
	sfTime     = 1
	sfLatency  = 2
	sfUnpriv   = 4
	sfOKOnly   = 8
	sfFailOnly = 16
	sfStack    = 32
	sfWhole    = 64
	sfCPUTime  = 128
	sfIP       = 256
)

// Tracee flags (tracee.flags).
const (
	TFInherit  = 1
	TFSpawner  = 2
	TFWaitExec = 4
	TFSigPend  = 8
	// TFOneThread: only the thread tracee.tid is shown (strace without
	// -f); the programs set tid on the child of a spawner.
	TFOneThread = 16
)

// Limits of the maps and the programs' scratch space.
const (
	MaxSessions = 1024
	MaxCgroups  = 256 // traced cgroups, all sessions
	// CgroupLevels: a traced cgroup is less deep than this below the root.
	CgroupLevels = 32
	MaxSyscalls  = 1024
	Scratch      = 16384
)

// recordSizes are the sizes of the records' fixed parts as bpf2go generated
// them from the object's BTF, beside package wire's: TestABIMatchesHeader
// checks that they agree.
var recordSizes = [][2]int{
	{int(unsafe.Sizeof(eprocEvHdr{})), wire.HdrSize},
	{int(unsafe.Sizeof(eprocEvSyscall{})), wire.SyscallSize},
	{int(unsafe.Sizeof(eprocEvCap{})), wire.CapSize},
	{int(unsafe.Sizeof(eprocEvSignal{})), wire.SignalSize},
	{int(unsafe.Sizeof(eprocEvExit{})), wire.ExitSize},
	{int(unsafe.Sizeof(eprocEvFork{})), wire.ForkSize},
	{int(unsafe.Sizeof(eprocEvExec{})), wire.ExecSize},
	{int(unsafe.Sizeof(eprocEvKvm{})), wire.KVMSize},
	{int(unsafe.Sizeof(eprocEvDrops{})), wire.DropsSize},
	{int(unsafe.Sizeof(eprocEvArgvals{})), wire.ArgValsSize},
	{int(unsafe.Sizeof(eprocEvStack{})), wire.StackSize},
	{int(unsafe.Sizeof(eprocEvMap{})), wire.MapSize},
}

// bpfPlan is a wire.Plan as the plans map holds it.
func bpfPlan(p wire.Plan) eprocPlan {
	var out eprocPlan
	n, k := 0, 0
	for _, c := range p.Caps {
		if c.Kind == wire.CKNone {
			break
		}
		if c.When&wire.CWEntry != 0 {
			// The kernel's plan keeps entry captures apart (struct plan).
			if k < wire.EntryCaps {
				out.EntryArg[k], out.EntrySize[k] = c.Arg|(c.Off/8)<<4, uint8(min(c.Elem, 8))
				k++
			}
			continue
		}
		out.Caps[n] = eprocCapspec{Kind: c.Kind, Arg: c.Arg, SizeFrom: c.SizeFrom, SizeArg: c.SizeArg,
			Elem: c.Elem, Max: c.Max, When: c.When, PtrOff: c.PtrOff, CntOff: c.CntOff, CntSize: c.CntSize,
			ItemPtr: c.ItemPtr, ItemLen: c.ItemLen, ItemLenSize: c.ItemLenSize}
		n++
	}
	out.Flags = p.Flags
	out.SelArg, out.SelShift, out.SelMask = p.SelArg, p.SelShift, p.SelMask
	return out
}
