package procview

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// The debugger's hold on a process (FreeBSD's attach, ctl_debug.go): the
// view ptraces it. Linux takes every ptrace request only from the tracer
// thread, so each process under attach has a tracer: a goroutine locked to
// an OS thread for its whole life, which seizes the process
// (PTRACE_SEIZE, then PTRACE_INTERRUPT to stop it), runs the requests the
// view sends it over a channel (do), and takes the process's stops and
// its end with wait4(pid, __WALL). It never blocks in wait4 while the
// process runs (it could not take a request then): it polls with WNOHANG,
// every 1 ms after a resume, backing off to every 50 ms.
//
// Only the thread-group leader (the process's first thread, whose tid is
// its pid) is seized: its registers are those regs shows, and the other
// threads, if any, run on.

// debugTab is a view's processes under attach, by pid.
type debugTab struct {
	mu     sync.Mutex
	m      map[int]*tracer
	closed bool // the view closed: no more
}

// tracer is a process under attach and the thread that holds it.
type tracer struct {
	v     *View
	id    *ident
	owner int        // the controller: the writer of attach (its tgid)
	h     *ctlHandle // the open ctl file attach came through: its release ends control
	reqs  chan func()
	gone  chan struct{} // closed once the tracer has ended

	// Set on the tracer's thread only.
	done  bool
	every time.Duration // the poll's period

	mu      sync.Mutex
	stopped bool
	sig     unix.Signal   // the signal the process stopped for (a signal-delivery stop), or 0
	stopCh  chan struct{} // closed at its next stop
	why     error         // why the tracer ended: ESRCH (the process is gone) or errDetached
}

// errDetached is a tracer's end by detach: verbs then find no controller.
var errDetached = syscall.EBUSY

const (
	pollMin = time.Millisecond
	pollMax = 50 * time.Millisecond
)

// get is the tracer of the process id, if it is under attach.
func (d *debugTab) get(id *ident) *tracer {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := d.m[id.pid]
	if t == nil || t.id.start != id.start {
		return nil
	}
	return t
}

// add registers t: EBUSY if its process is under attach already.
func (d *debugTab) add(t *tracer) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return syscall.ESHUTDOWN
	}
	if d.m == nil {
		d.m = map[int]*tracer{}
	}
	if d.m[t.id.pid] != nil {
		return syscall.EBUSY
	}
	d.m[t.id.pid] = t
	return nil
}

func (d *debugTab) remove(t *tracer) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m[t.id.pid] == t {
		delete(d.m, t.id.pid)
	}
}

func (d *debugTab) all() []*tracer {
	d.mu.Lock()
	defer d.mu.Unlock()
	var ts []*tracer
	for _, t := range d.m {
		ts = append(ts, t)
	}
	return ts
}

// detachAll lets every process under attach go: the view closes.
func (v *View) detachAll() {
	v.dbg.mu.Lock()
	v.dbg.closed = true
	v.dbg.mu.Unlock()
	for _, t := range v.dbg.all() {
		t.do(t.detach)
		<-t.gone
	}
}

// endControl detaches the process h's writer controls: its controller
// closed the ctl file it attached through.
func (v *View) endControl(h *ctlHandle) {
	for _, t := range v.dbg.all() {
		if t.h == h {
			if err := t.do(t.detach); err == nil {
				v.log.Info("detached: its controller closed ctl", zap.Int("pid", t.id.pid), zap.Int("controller", t.owner))
			}
		}
	}
}

func newTracer(v *View, id *ident, owner int, h *ctlHandle) *tracer {
	return &tracer{v: v, id: id, owner: owner, h: h, reqs: make(chan func()),
		gone: make(chan struct{}), stopCh: make(chan struct{}), every: pollMin}
}

// start seizes the process on a thread of the tracer's own, and returns
// once it has (or could not).
func (t *tracer) start() error {
	ready := make(chan error, 1)
	go t.loop(ready)
	return <-ready
}

func (t *tracer) loop(ready chan<- error) {
	// Never unlocked: the thread ends with the goroutine, and the kernel
	// lets go of whatever it still traced.
	runtime.LockOSThread()
	if err := t.seize(); err != nil {
		ready <- err
		return
	}
	ready <- nil
	defer t.end()
	for !t.done {
		select {
		case fn := <-t.reqs:
			fn()
		case <-time.After(t.every):
			t.every = min(2*t.every, pollMax)
		}
		for !t.done && t.reap(unix.WNOHANG) {
		}
	}
}

// seize attaches and asks for a stop; ESRCH if the pid is no longer the
// process's, EBUSY if another tracer has it.
func (t *tracer) seize() error {
	pid := t.id.pid
	if err := unix.PtraceSeize(pid); err != nil {
		if err == syscall.EPERM && tracerPid(pid) != 0 {
			return syscall.EBUSY
		}
		return err
	}
	if e := t.id.check(); e != 0 {
		unix.PtraceDetach(pid)
		return e
	}
	if err := unix.PtraceInterrupt(pid); err != nil {
		unix.PtraceDetach(pid)
		return syscall.ESRCH
	}
	return nil
}

func (t *tracer) end() {
	t.v.dbg.remove(t)
	close(t.gone)
}

// finish ends the tracer (on its thread): why is what requests get then.
func (t *tracer) finish(why error) {
	t.done = true
	t.mu.Lock()
	t.why = why
	t.mu.Unlock()
}

func (t *tracer) goneErr() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.why
}

// do runs fn on the tracer's thread and returns its error; once the
// tracer has ended, why it did.
func (t *tracer) do(fn func() error) error {
	res := make(chan error, 1)
	select {
	case t.reqs <- func() { res <- fn() }:
		return <-res
	case <-t.gone:
		return t.goneErr()
	}
}

func (t *tracer) isStopped() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stopped
}

// reap takes one change of the process's state from wait4 (flags:
// WNOHANG, or 0 to block): false when there was none, or the tracer ended.
func (t *tracer) reap(flags int) bool {
	var ws unix.WaitStatus
	n, err := unix.Wait4(t.id.pid, &ws, flags|unix.WALL, nil)
	switch {
	case err == syscall.EINTR:
		return true
	case err != nil: // ECHILD: it is gone
		t.finish(syscall.ESRCH)
		return false
	case n == 0:
		return false
	case ws.Exited() || ws.Signaled():
		t.finish(syscall.ESRCH)
		return false
	case ws.Stopped():
		sig := ws.StopSignal()
		if int(ws)>>16 == unix.PTRACE_EVENT_STOP || sig == unix.SIGTRAP {
			sig = 0 // a stop of ptrace's own (interrupt, group stop, step, breakpoint): nothing to deliver
		}
		t.v.log.Debug("stopped", zap.Int("pid", t.id.pid), zap.String("signal", unix.SignalName(ws.StopSignal())), zap.Int("event", int(ws)>>16))
		t.mu.Lock()
		if !t.stopped {
			t.stopped, t.sig = true, sig
			close(t.stopCh)
		}
		t.mu.Unlock()
	}
	return true
}

// resume continues the stopped process (on the tracer's thread): one
// instruction with step, else until its next stop, delivering sig (0:
// none). EBUSY when it is not stopped.
func (t *tracer) resume(step bool, sig unix.Signal) error {
	if !t.isStopped() {
		return syscall.EBUSY
	}
	var err error
	if step {
		err = unix.PtraceSingleStep(t.id.pid)
	} else {
		err = unix.PtraceCont(t.id.pid, int(sig))
	}
	if err != nil {
		return syscall.ESRCH // killed in its stop: wait4 tells next
	}
	t.mu.Lock()
	t.stopped, t.sig = false, 0
	t.stopCh = make(chan struct{})
	t.mu.Unlock()
	t.every = pollMin
	return nil
}

// detach lets the process go (on the tracer's thread): a running one is
// stopped first (ptrace detaches only a stopped tracee). It continues with
// the signal it was stopped for, if any, as if it had never been traced.
func (t *tracer) detach() error {
	pid := t.id.pid
	if !t.isStopped() {
		if err := unix.PtraceInterrupt(pid); err != nil {
			t.finish(syscall.ESRCH)
			return syscall.ESRCH
		}
		for !t.done && !t.isStopped() {
			t.reap(0)
		}
		if t.done {
			return nil // it ended meanwhile
		}
	}
	t.mu.Lock()
	sig := t.sig
	t.mu.Unlock()
	err := ptraceSig(unix.PTRACE_DETACH, pid, sig)
	t.finish(errDetached)
	if err != nil {
		return syscall.ESRCH
	}
	return nil
}

// waitStop returns once the process is stopped: ESRCH if it ends first,
// EBUSY once detached, EINTR when done closes.
func (t *tracer) waitStop(done <-chan struct{}) error {
	for {
		t.mu.Lock()
		stopped, ch := t.stopped, t.stopCh
		t.mu.Unlock()
		if stopped {
			return nil
		}
		select {
		case <-ch:
		case <-t.gone:
			return t.goneErr()
		case <-done:
			return syscall.EINTR
		}
	}
}

// regs reads the register set rs of the stopped process, on the tracer's
// thread: EBUSY when it is not stopped.
func (t *tracer) regs(rs *regSet) ([]byte, error) {
	buf := make([]byte, rs.size)
	err := t.do(func() error {
		if !t.isStopped() {
			return syscall.EBUSY
		}
		return rs.get(t.id.pid, buf)
	})
	return buf, err
}

// setRegs changes the named registers of the stopped process: it reads
// the set, changes them, and writes the set back.
func (t *tracer) setRegs(rs *regSet, vals map[*regField][]byte) error {
	return t.do(func() error {
		if !t.isStopped() {
			return syscall.EBUSY
		}
		buf := make([]byte, rs.size)
		if err := rs.get(t.id.pid, buf); err != nil {
			return err
		}
		for f, b := range vals {
			copy(buf[f.off:f.off+f.size], b)
		}
		if err := rs.set(t.id.pid, buf); err != nil {
			if errors.Is(err, syscall.EIO) || errors.Is(err, syscall.EINVAL) {
				return errBadCmd // a value the kernel refuses (a segment selector, reserved bits)
			}
			return err
		}
		return nil
	})
}

// ptraceSig is a ptrace request whose data is a signal.
func ptraceSig(req, pid int, sig unix.Signal) error {
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), 0, uintptr(sig), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// ptraceWord is a ptrace request whose data is a word (PTRACE_POKEUSER's
// value).
func ptraceWord(req, pid int, addr, data uintptr) error {
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), addr, data, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// ptraceBuf is a ptrace request whose data points to a buffer.
func ptraceBuf(req, pid int, addr uintptr, data unsafe.Pointer) error {
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), addr, uintptr(data), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// tracerPid is the TracerPid of /proc/PID/status: who ptraces it, 0 for
// no one.
func tracerPid(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "TracerPid:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}
