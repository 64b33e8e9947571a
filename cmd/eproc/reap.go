package main

import (
	"os"
	"os/signal"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// reapOthers reaps, as they exit, eproc's children other than the command
// (pid): a child the command made with CLONE_PARENT, or one eproc
// inherited (`(sleep 1 & exec eproc trace true)`). Unreaped, such a child
// stays a zombie that kill(pid, 0) still finds, and a program waiting for
// it to go waits forever (strace's clone_parent test did, until its time
// limit). strace reaps them, saying "Exit of unknown pid N ignored" unless
// -e quiet=exit; so does eproc (say). The command is left to its own
// Wait: each exited child is looked at first without being reaped
// (WNOWAIT), and only another's is.
func reapOthers(pid int, say bool) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGCHLD)
	ch <- syscall.SIGCHLD // those that exited before the Notify
	go func() {
		for range ch {
			reapExited(pid, say)
		}
	}()
}

// reapExited reaps the exited children but pid.
func reapExited(pid int, say bool) {
	for {
		var info unix.Siginfo
		if err := unix.Waitid(unix.P_ALL, 0, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil); err != nil {
			return
		}
		child := siginfoPid(&info)
		if child == 0 || child == pid {
			return
		}
		if n, err := unix.Wait4(child, nil, unix.WNOHANG, nil); err != nil || n != child {
			return
		}
		if say {
			warnf("Exit of unknown pid %d ignored\n", child)
		}
	}
}

// siginfoPid is si_pid of a SIGCHLD's siginfo (after si_signo, si_errno,
// si_code and the union's alignment: byte 16 on Linux's 64-bit ABIs).
func siginfoPid(info *unix.Siginfo) int {
	return int(*(*int32)(unsafe.Add(unsafe.Pointer(info), 16)))
}
