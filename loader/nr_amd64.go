package loader

import "golang.org/x/sys/unix"

// forkNrs are the fork-family syscalls this architecture has besides clone.
var forkNrs = map[string]uint32{"nr_fork": unix.SYS_FORK, "nr_vfork": unix.SYS_VFORK}
