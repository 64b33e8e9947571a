package procview

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Plan 9's scheduling and stop verbs of ctl (devproc's CMpri, CMfixedpri,
// CMwired, CMwaitstop, CMstartstop, CMstartsyscall, CMhang, CMnohang),
// and those Linux cannot honour.
//
// Linux schedules threads, not processes: pri, fixedpri and wired act on
// every thread the process has when the command runs (a thread it creates
// later inherits from its creator, as a Plan 9 process's are one). The
// writer already may ptrace-attach the process (ctl opens only for such
// callers); what the kernel asks beyond that, CAP_SYS_NICE to raise a
// priority, is asked of the writer here, since the daemon acts as root.

// unsupported is a command or a file Linux cannot honour: EOPNOTSUPP, and
// why, for the one line the daemon logs.
type unsupported struct{ what, why string }

func (u *unsupported) Error() string { return u.what + ": " + u.why }
func (u *unsupported) Unwrap() error { return syscall.EOPNOTSUPP }

var (
	errCloseFd = &unsupported{"close", "Linux has no way to close another process's file descriptors (pidfd_getfd copies one, nothing closes one)"}
	errNoswap  = &unsupported{"noswap", "mlock applies only to the caller's own memory; Linux cannot pin another process's pages"}
	errPrivate = &unsupported{"private", "a process's dumpable flag (which guards mem and the like) is set only by the process itself (prctl PR_SET_DUMPABLE)"}
	errProfile = &unsupported{"profile", "Linux keeps no per-process profile of program counters (perf samples them; eproc does not)"}
	errTrace   = &unsupported{"trace", whyTrace} // Plan 9's, for the root's trace (roottab.go)
)

const capSysNice = 23

// mayNice reports whether the writer may raise a priority: it has
// CAP_SYS_NICE.
func (c *caller) mayNice() bool {
	if c.cr != nil {
		return c.cr.capEff&(1<<capSysNice) != 0
	}
	return c.uid == 0
}

// tasks lists the process's threads.
func tasks(id *ident) ([]int, error) {
	ents, err := os.ReadDir(id.path("task"))
	if err != nil {
		return nil, syscall.ESRCH
	}
	var tids []int
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, n)
		}
	}
	return tids, nil
}

// eachTask runs fn for every thread of the process, then checks the
// process is still the one the file was opened on.
func eachTask(id *ident, fn func(tid int) error) error {
	if e := id.check(); e != 0 {
		return e
	}
	tids, err := tasks(id)
	if err != nil {
		return err
	}
	for _, tid := range tids {
		if err := fn(tid); err != nil && err != syscall.ESRCH { // a thread that just exited
			return err
		}
	}
	if e := id.check(); e != 0 {
		return e
	}
	return nil
}

// setNice is pri N: Linux's nice value N (-20 to 19, setpriority) for
// every thread. Plan 9's pri is a priority, higher is more urgent; Linux's
// nice is the other way round, and the command takes Linux's number. A
// lower nice than a thread has needs CAP_SYS_NICE, or the process's
// RLIMIT_NICE, as setpriority would ask.
func setNice(id *ident, c *caller, arg string) error {
	n, err := strconv.Atoi(arg)
	if err != nil || n < -20 || n > 19 {
		return errBadCmd
	}
	lim, err := softLimit(id, unix.RLIMIT_NICE)
	if err != nil {
		return err
	}
	return eachTask(id, func(tid int) error {
		prio, err := unix.Getpriority(unix.PRIO_PROCESS, tid) // 20 - nice
		if err != nil {
			return err
		}
		if n < 20-prio && uint64(20-n) > lim && !c.mayNice() {
			return syscall.EACCES
		}
		return unix.Setpriority(unix.PRIO_PROCESS, tid, n)
	})
}

// setFixedPri is fixedpri N: Plan 9's fixed (never decaying) priority, on
// Linux SCHED_FIFO at priority N (1 to 99) for every thread. It needs
// CAP_SYS_NICE, or an RLIMIT_RTPRIO of N or more, as sched_setscheduler
// would ask.
func setFixedPri(id *ident, c *caller, arg string) error {
	n, err := strconv.Atoi(arg)
	if err != nil || n < 1 || n > 99 {
		return errBadCmd
	}
	if !c.mayNice() {
		lim, err := softLimit(id, unix.RLIMIT_RTPRIO)
		if err != nil {
			return err
		}
		if uint64(n) > lim {
			return syscall.EACCES
		}
	}
	return eachTask(id, func(tid int) error {
		return unix.SchedSetAttr(tid, &unix.SchedAttr{Policy: unix.SCHED_FIFO, Priority: uint32(n)}, 0)
	})
}

// setWired is wired N: every thread runs on CPU N only
// (sched_setaffinity); a negative N unwires, letting them run on any CPU
// (as Plan 9's wired -1). A CPU the process's cpuset does not allow, or
// that does not exist, is the kernel's EINVAL.
func setWired(id *ident, arg string) error {
	n, err := strconv.Atoi(arg)
	if err != nil || n >= 1024 {
		return errBadCmd
	}
	var set unix.CPUSet
	if n < 0 {
		for i := 0; i < 1024; i++ {
			set.Set(i)
		}
	} else {
		set.Set(n)
	}
	return eachTask(id, func(tid int) error { return unix.SchedSetaffinity(tid, &set) })
}

// procStateOf is the state letter of /proc/PID/stat (R, S, T, t, Z ...).
func procStateOf(id *ident) (byte, error) {
	b, err := os.ReadFile(id.path("stat"))
	if err != nil {
		return 0, syscall.ESRCH
	}
	var i int
	for i = len(b) - 1; i >= 0 && b[i] != ')'; i-- {
	}
	if i < 0 || i+2 >= len(b) {
		return 0, fmt.Errorf("stat of %d: %w", id.pid, syscall.ESRCH)
	}
	return b[i+2], nil
}

// waitStop is waitstop: it returns once the process is stopped (by a
// signal, T, or by a tracer, t), ESRCH if it ends first, EINTR when the
// writer is interrupted. Linux tells no one else of a stop (waitid is the
// parent's), so it polls the process's state.
func waitStop(ctx context.Context, id *ident) error {
	return waitUntil(ctx, id, func(s byte) bool { return s == 'T' || s == 't' })
}

// waitUntil polls the process's state every 10 ms until done says so;
// ESRCH once it ends, EINTR when ctx does.
func waitUntil(ctx context.Context, id *ident, stopped func(state byte) bool) error {
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s, err := procStateOf(id)
		if err != nil {
			return err
		}
		if e := id.check(); e != 0 {
			return e
		}
		switch {
		case stopped(s):
			return nil
		case s == 'Z' || s == 'X':
			return syscall.ESRCH
		}
		select {
		case <-done:
			return syscall.EINTR
		case <-tick.C:
		}
	}
}

// startStop is startstop: the process continues (SIGCONT), and the
// command returns when it has stopped again.
func startStop(ctx context.Context, id *ident) error {
	if err := signalProc(id, unix.SIGCONT, false); err != nil {
		return err
	}
	return waitStop(ctx, id)
}

// startSyscall is startsyscall: the process stops at its next system
// call. A BPF program at syscall entry (loader's StopAtSyscall) sends it
// SIGSTOP from that call, which stops every thread on the way back to user
// space: after the call returns (a call that sleeps is interrupted by the
// stop, and restarted when the process continues; a process stopped in
// such a call meets the stop at once, in the restart). A process stopped
// (by a signal) is continued (SIGCONT) once the stop is armed; a running
// one is not sent SIGCONT: it may have met the stop already, and a
// SIGCONT after the programs' SIGSTOP discards it (the kernel flushes
// pending stop signals when SIGCONT is sent) or continues the process it
// stopped, which would run on with its stop taken. The command returns
// once the stop was taken and the process is stopped; ESRCH if it ends
// first; EINTR when the writer is interrupted (the stop stays armed, as
// Plan 9's procctl does). The daemon itself is refused (EPERM): stopped,
// it would serve no one.
func (v *View) startSyscall(ctx context.Context, id *ident) error {
	if uint32(id.pid) == daemonPid {
		return syscall.EPERM
	}
	if e := id.check(); e != 0 {
		return e
	}
	// Stopped now, it makes no call until continued: armed before the
	// SIGCONT, the stop is its next call's.
	state, err := procStateOf(id)
	if err != nil {
		return err
	}
	if err := v.eng.StopAtSyscall(id.pid, id.start); err != nil {
		return err
	}
	if state == 'T' {
		if err := signalProc(id, unix.SIGCONT, false); err != nil {
			return err
		}
	}
	return waitUntil(ctx, id, func(s byte) bool { return (s == 'T' || s == 't') && !v.eng.StopPending(id.pid) })
}

// hang is hang (on) and nohang: while set, the process stops at each of
// its exec calls, before the new image's first instruction (a BPF program
// at sched_process_exec sends it SIGSTOP, delivered as execve returns);
// a process it forks from then on has it set too, as Plan 9's hang bit is
// inherited. nohang clears it (for this process only). The daemon itself
// is refused (EPERM).
func (v *View) hang(id *ident, on bool) error {
	if uint32(id.pid) == daemonPid {
		return syscall.EPERM
	}
	if e := id.check(); e != 0 {
		return e
	}
	if err := v.eng.HangAtExec(id.pid, id.start, on); err != nil {
		return err
	}
	if e := id.check(); e != 0 {
		return e // gone meanwhile: loader sweeps its entry
	}
	return nil
}
