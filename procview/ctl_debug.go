package procview

import (
	"context"
	"strings"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"golang.org/x/sys/unix"
)

// FreeBSD's debugging verbs of ctl (procfs_ctl.c), on ptrace (ptrace.go):
//
//	attach   stop the process and make the writer its controller
//	wait     return once it is stopped
//	step     one instruction, with no signal, then wait
//	run      continue, with no signal, until its next stop (a signal, a trap)
//	SIGNAME  deliver the signal and continue (SIGUSR1, USR1 or usr1)
//	detach   let it go: it continues
//
// The process stops and goes as a whole, every thread (ptrace.go): step
// alone is one thread's, the first's (whose registers regs shows); run,
// SIGNAME and detach resume every thread, the signal delivered as
// tracer.resume says.
//
// The controller is the process (thread group) that wrote attach; only it
// may send the other verbs, through any of its open ctl files: anyone
// else gets EBUSY, as does the controller when the process is not under
// attach (wait, step, run, detach) or not stopped (step, run). Control
// ends with detach, with the process, or when the open ctl file attach
// came through is released (its last close: `exec 3>ctl; echo attach >&3`
// keeps it, `echo attach > ctl` alone detaches at once). A signal verb on
// a process no one controls signals it, as FreeBSD's does (psignal); on a
// running process under attach it signals it too, and the process stops
// for the signal, as any traced process does.
//
// wait and step block, and end with EINTR when the writer is interrupted
// (a step then goes on: an interrupted and retried write steps again).
//
// A process ptraced by someone else (gdb, strace) is EBUSY; one eproc
// traces with BPF (strace, record) may be attached: BPF does not ptrace.

// ctlKey carries, in a command's context, the open ctl file it came
// through (a *ctlHandle).
type ctlKey struct{}

// ctlHandle is an open ctl file: a cmdHandle whose release ends the
// control attach gave its writer.
type ctlHandle struct {
	*cmdHandle
}

var (
	_ fs.FileWriter   = (*ctlHandle)(nil)
	_ fs.FileReleaser = (*ctlHandle)(nil)
)

func (h *ctlHandle) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	return h.cmdHandle.Write(context.WithValue(ctx, ctlKey{}, h), data, off)
}

func (h *ctlHandle) Release(ctx context.Context) syscall.Errno {
	h.v.endControl(h)
	return 0
}

// openCtl opens ctl: write-only, each write a command of ctlTab.
func (f *ctlFile) openCtl(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	fh, fl, e := f.openCmd(ctx, flags, nil)
	if e != 0 {
		return nil, 0, e
	}
	h := &ctlHandle{fh.(*cmdHandle)}
	h.run = func(c *caller, data []byte) error { return runCtl(f.v, f.id, c, data) }
	return h, fl, 0
}

// The debugging verbs, as rows of ctlTab.
var debugCmds = []ctlCmd{
	{"attach", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.attach(id, c) }},
	{"wait", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.debugWait(id, c) }},
	{"step", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.debugResume(id, c, true) }},
	{"run", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.debugResume(id, c, false) }},
	{"detach", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.debugDetach(id, c) }},
}

// init adds the debugging verbs to ctlTab, and a verb for each signal:
// SIGUSR1, USR1 and usr1 (FreeBSD's name), but for the names ctl already
// has (kill, stop: Plan 9's).
func init() {
	ctlTab = append(ctlTab, debugCmds...)
	have := map[string]bool{}
	for _, r := range ctlTab {
		have[r.name] = true
	}
	for s := unix.Signal(1); s < 65; s++ {
		n := unix.SignalName(s)
		if n == "" {
			continue
		}
		short := strings.TrimPrefix(n, "SIG")
		for _, name := range []string{n, short, strings.ToLower(short)} {
			if !have[name] {
				have[name] = true
				ctlTab = append(ctlTab, ctlCmd{name, 1, func(v *View, id *ident, c *caller, _ []string) error { return v.debugSignal(id, c, s) }})
			}
		}
	}
}

// attach seizes the process and makes the writer its controller.
func (v *View) attach(id *ident, c *caller) error {
	var h *ctlHandle
	if c.ctx != nil {
		h, _ = c.ctx.Value(ctlKey{}).(*ctlHandle)
	}
	if h == nil {
		return errBadCmd
	}
	if err := v.mayStart(id); err != nil {
		return err
	}
	if id.pid == c.tgid() {
		return syscall.EPERM // as ptrace: a process cannot trace itself
	}
	if tracerPid(id.pid) != 0 {
		return syscall.EBUSY
	}
	t := newTracer(v, id, c.tgid(), h)
	if err := v.dbg.add(t); err != nil {
		return err
	}
	if err := t.start(); err != nil {
		v.dbg.remove(t)
		return err
	}
	return nil
}

// controlled is the process's tracer when the writer controls it: EBUSY
// when it is not under attach, or someone else controls it.
func (v *View) controlled(id *ident, c *caller) (*tracer, error) {
	t := v.dbg.get(id)
	if t == nil || t.owner != c.tgid() {
		return nil, syscall.EBUSY
	}
	return t, nil
}

// debugWait is wait: it returns once the process is stopped, ESRCH if it
// ends first, EINTR when the writer is interrupted.
func (v *View) debugWait(id *ident, c *caller) error {
	t, err := v.controlled(id, c)
	if err != nil {
		return err
	}
	return t.waitStop(doneOf(c.ctx))
}

// debugResume is step (then wait for its stop) and run.
func (v *View) debugResume(id *ident, c *caller, step bool) error {
	t, err := v.controlled(id, c)
	if err != nil {
		return err
	}
	if err := t.do(func() error { return t.resume(step, 0) }); err != nil {
		return err
	}
	if step {
		return t.waitStop(doneOf(c.ctx))
	}
	return nil
}

func (v *View) debugDetach(id *ident, c *caller) error {
	t, err := v.controlled(id, c)
	if err != nil {
		return err
	}
	return t.do(t.detach)
}

// debugSignal is a signal's verb: a stopped process under the writer's
// control continues with it; any other process is signalled.
func (v *View) debugSignal(id *ident, c *caller, s unix.Signal) error {
	t := v.dbg.get(id)
	if t == nil {
		return signalProc(id, s, false)
	}
	if t.owner != c.tgid() {
		return syscall.EBUSY
	}
	return t.do(func() error {
		if !t.isStopped() {
			return signalProc(id, s, false)
		}
		return t.resume(false, s)
	})
}

func doneOf(ctx context.Context) <-chan struct{} {
	if ctx == nil {
		return nil
	}
	return ctx.Done()
}
