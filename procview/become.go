package procview

import (
	"runtime"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Pass-through operations run with the caller's file-system identity:
// for a caller with less than the daemon's privileges, the goroutine locks
// its OS thread and gives that thread the caller's fsuid, fsgid,
// supplementary groups and effective capabilities for the duration of the
// call. The kernel then applies /proc's own rules, at open time (f_cred:
// kallsyms, mem, maps, environ) and at read time (ptrace checks on
// current, as in /proc/PID/stat), so the view never shows a caller more
// than /proc would. Every change is per thread (raw syscalls, not Go's
// all-threads setuid); if restoring fails, the thread is never unlocked,
// and Go retires it when the goroutine ends.

var daemon struct {
	once   sync.Once
	groups []int
	caps   [2]unix.CapUserData
	err    error
}

func daemonCreds() error {
	daemon.once.Do(func() {
		daemon.groups, daemon.err = unix.Getgroups()
		if daemon.err != nil {
			return
		}
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		daemon.err = unix.Capget(&hdr, &daemon.caps[0])
	})
	return daemon.err
}

// full reports whether c has every capability the daemon has, as root:
// its calls need no change of identity.
func (c *caller) full() bool {
	if c.cr == nil {
		return false
	}
	if daemonCreds() != nil {
		return false
	}
	eff := uint64(daemon.caps[0].Effective) | uint64(daemon.caps[1].Effective)<<32
	return c.cr.uid[3] == 0 && c.cr.gid[3] == 0 && c.cr.capEff&eff == eff
}

// as runs fn with c's file-system identity (see above).
func (c *caller) as(fn func() error) error {
	if c.full() {
		return fn()
	}
	if c.cr == nil {
		return syscall.ESRCH
	}
	if err := daemonCreds(); err != nil {
		return err
	}
	runtime.LockOSThread()
	if err := c.become(); err != nil {
		if restore() == nil {
			runtime.UnlockOSThread()
		}
		return err
	}
	err := fn()
	if restore() == nil {
		runtime.UnlockOSThread()
	}
	return err
}

func setgroups(gs []int) error {
	g32 := make([]uint32, len(gs))
	for i, g := range gs {
		g32[i] = uint32(g)
	}
	var p uintptr
	if len(g32) > 0 {
		p = uintptr(unsafe.Pointer(&g32[0]))
	}
	_, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, uintptr(len(g32)), p, 0)
	if e != 0 {
		return e
	}
	return nil
}

func (c *caller) become() error {
	if err := setgroups(c.cr.groups); err != nil {
		return err
	}
	unix.Setfsgid(int(c.cr.gid[3]))
	unix.Setfsuid(int(c.cr.uid[3]))
	if g, _ := unix.SetfsgidRetGid(-1); g != int(c.cr.gid[3]) {
		return syscall.EPERM
	}
	if u, _ := unix.SetfsuidRetUid(-1); u != int(c.cr.uid[3]) {
		return syscall.EPERM
	}
	caps := daemon.caps
	caps[0].Effective &= uint32(c.cr.capEff)
	caps[1].Effective &= uint32(c.cr.capEff >> 32)
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	return unix.Capset(&hdr, &caps[0])
}

func restore() error {
	caps := daemon.caps
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	if err := unix.Capset(&hdr, &caps[0]); err != nil {
		return err
	}
	unix.Setfsuid(0)
	unix.Setfsgid(0)
	if u, _ := unix.SetfsuidRetUid(-1); u != 0 {
		return syscall.EPERM
	}
	if g, _ := unix.SetfsgidRetGid(-1); g != 0 {
		return syscall.EPERM
	}
	// setfsuid(0) does not give back the file-system capabilities that
	// setfsuid(caller) took: set them again.
	if err := unix.Capset(&hdr, &caps[0]); err != nil {
		return err
	}
	return setgroups(daemon.groups)
}
