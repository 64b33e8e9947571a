package loader

import "golang.org/x/sys/unix"

// archNrs are the BPF objects' syscall constants of the calls this
// architecture has and arm64 lacks: fork, vfork and select.
var archNrs = map[string]uint32{"nr_fork": unix.SYS_FORK, "nr_vfork": unix.SYS_VFORK, "nr_select": unix.SYS_SELECT}
