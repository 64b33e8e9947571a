package procview

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// A caller in a user namespace of its own (unshare -U, a container) has its
// capabilities there only, and the kernel lets it ptrace a process only in
// that namespace or one below it (commoncap's ptrace_access_check: another
// namespace's process needs CAP_SYS_PTRACE over that namespace): the view,
// which runs in the initial namespace, holds it to the same.

// inOurUserNs reports whether process (or thread) pid is in this process's
// user namespace.
func inOurUserNs(pid int) bool {
	theirs, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/user", pid))
	if err != nil {
		return false
	}
	ours, err := os.Readlink("/proc/self/ns/user")
	return err == nil && theirs == ours
}

// userNsWithin reports whether process target's user namespace is process
// pid's, or one below it.
func userNsWithin(target, pid int) bool {
	var mine unix.Stat_t
	if err := unix.Stat(fmt.Sprintf("/proc/%d/ns/user", pid), &mine); err != nil {
		return false
	}
	fd, err := unix.Open(fmt.Sprintf("/proc/%d/ns/user", target), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	for depth := 0; depth < 64; depth++ {
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			break
		}
		if st.Dev == mine.Dev && st.Ino == mine.Ino {
			unix.Close(fd)
			return true
		}
		parent, err := unix.IoctlRetInt(fd, unix.NS_GET_PARENT)
		unix.Close(fd)
		if err != nil {
			return false // the initial namespace (EPERM): not below pid's
		}
		fd = parent
	}
	unix.Close(fd)
	return false
}
