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
// an OS thread for its whole life, which seizes the process, runs the
// requests the view sends it over a channel (do), and takes its threads'
// stops and ends with wait4(tid, __WALL), thread by thread (never
// wait4(-1): the thread may be the real parent of other children). It
// never blocks in wait4 while the process runs (it could not take a
// request then): it polls with WNOHANG, every 1 ms after a resume, backing
// off to every 50 ms.
//
// Every thread is seized (PTRACE_SEIZE with PTRACE_O_TRACECLONE, so that
// threads made later are traced from their first instruction; /proc/PID/
// task is read again until no new thread appears) and interrupted
// (PTRACE_INTERRUPT). The process is stopped when every thread is, as
// FreeBSD stops a process as a whole: when one thread stops while it runs
// (a signal, a trap, a job-control stop), the tracer interrupts the others
// (all-stop, as gdb's). A thread made while the process runs is let go at
// its first stop (the new thread's PTRACE_EVENT_STOP, its maker's
// PTRACE_EVENT_CLONE); one made while it is stopped (by a step) stays
// stopped. A thread that ends is dropped; the process's end (its first
// thread's exit, reported once every thread is gone) ends the tracer.
//
// The first thread (the thread-group leader, whose tid is the pid) is the
// one regs, fpregs and dbregs show and the one step steps; run, a
// signal's verb and detach resume or let go every thread.

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
	done    bool
	every   time.Duration       // the poll's period
	th      map[int]*tracedTask // the threads traced, by tid
	halting bool                // the process is to stop: every thread that stops stays stopped
	stopTid int                 // the thread whose stop stopped the process (0: none, an interrupt)
	pass    unix.Signal         // a signal sent to the running process to deliver, not stop for

	mu      sync.Mutex
	stopped bool          // every thread is stopped
	stopCh  chan struct{} // closed at its next stop
	why     error         // why the tracer ended: ESRCH (the process is gone) or errDetached
}

// tracedTask is a thread under attach.
type tracedTask struct {
	stopped bool
	sig     unix.Signal // the signal it stopped for (a signal-delivery stop), or 0
	sigStop bool        // its stop is a signal-delivery stop: a signal may be injected at its resume
	trap    bool        // a PTRACE_INTERRUPT (or a new thread's first stop) is still to come
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
		gone: make(chan struct{}), stopCh: make(chan struct{}), every: pollMin,
		th: map[int]*tracedTask{}}
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
		t.reapAll()
	}
}

// seize attaches to every thread and asks each for a stop; ESRCH if the
// pid is no longer the process's, EBUSY if another tracer has it.
func (t *tracer) seize() error {
	pid := t.id.pid
	if err := seizeTask(pid); err != nil {
		if err == syscall.EPERM && tracerPid(pid) != 0 {
			return syscall.EBUSY
		}
		return err
	}
	t.th[pid] = &tracedTask{}
	t.halting = true
	if e := t.id.check(); e != 0 {
		unix.PtraceDetach(pid)
		return e
	}
	if err := unix.PtraceInterrupt(pid); err != nil {
		unix.PtraceDetach(pid)
		return syscall.ESRCH
	}
	t.th[pid].trap = true
	me := unix.Gettid()
	// Again until no new thread appears: a thread not yet seized may
	// make others meanwhile (those a seized thread makes are traced
	// already: PTRACE_O_TRACECLONE).
	for {
		tids, err := coreTaskIDs(pid)
		if err != nil {
			t.releaseAll()
			return syscall.ESRCH
		}
		more := false
		for _, tid := range tids {
			if t.th[tid] != nil {
				continue
			}
			if err := seizeTask(tid); err != nil {
				switch {
				case err == syscall.ESRCH:
					continue // ended
				case tracerPid(tid) == me:
					// Made by a seized thread: traced, its first stop to come.
					t.th[tid] = &tracedTask{trap: true}
					more = true
					continue
				case taskState(pid, tid) == 0:
					continue
				}
				t.releaseAll()
				return syscall.EBUSY // someone else ptraces it
			}
			t.th[tid] = &tracedTask{trap: true}
			unix.PtraceInterrupt(tid)
			more = true
		}
		if !more {
			return nil
		}
	}
}

// seizeTask seizes a thread, with the threads it makes traced too.
func seizeTask(tid int) error {
	return ptraceWord(unix.PTRACE_SEIZE, tid, 0, unix.PTRACE_O_TRACECLONE)
}

// releaseAll lets go every thread seized, at a failed attach.
func (t *tracer) releaseAll() {
	for tid := range t.th {
		unix.PtraceDetach(tid) // fails for a running one: the thread's end lets it go
	}
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

// reapAll takes every change of the threads' states that wait4 has
// (WNOHANG), then sees whether the process is now stopped.
func (t *tracer) reapAll() {
	for again := true; again && !t.done; {
		again = false
		for tid := range t.th {
			for !t.done && t.th[tid] != nil && t.reap(tid) {
				again = true
			}
		}
	}
	if !t.done {
		t.update()
	}
}

// update marks the process stopped once every thread is (a zombie first
// thread, gone before the others, is not waited for).
func (t *tracer) update() {
	pid := t.id.pid
	running := 0
	for _, tt := range t.th {
		if !tt.stopped {
			running++
		}
	}
	all := len(t.th) > 0 && (running == 0 ||
		running == 1 && t.th[pid] != nil && !t.th[pid].stopped && taskState(pid, pid) == 'Z')
	t.mu.Lock()
	if all && !t.stopped {
		t.stopped = true
		close(t.stopCh)
	}
	t.mu.Unlock()
}

// reap takes one change of thread tid's state from wait4 (WNOHANG): false
// when there was none, or the tracer ended.
func (t *tracer) reap(tid int) bool {
	pid := t.id.pid
	var ws unix.WaitStatus
	n, err := unix.Wait4(tid, &ws, unix.WNOHANG|unix.WALL, nil)
	switch {
	case err == syscall.EINTR:
		return true
	case n == 0 && err == nil:
		return false
	case err != nil || ws.Exited() || ws.Signaled(): // ECHILD: it is gone
		delete(t.th, tid)
		if tid == pid || len(t.th) == 0 {
			t.finish(syscall.ESRCH)
			return false
		}
		return true
	case !ws.Stopped():
		return true
	}
	tt := t.th[tid]
	sig, event := ws.StopSignal(), int(ws)>>16
	t.v.log.Debug("stopped", zap.Int("pid", pid), zap.Int("tid", tid), zap.String("signal", unix.SignalName(sig)), zap.Int("event", event))
	if event == unix.PTRACE_EVENT_CLONE {
		if msg, err := unix.PtraceGetEventMsg(tid); err == nil && t.th[int(msg)] == nil {
			t.th[int(msg)] = &tracedTask{trap: true} // its first stop to come
		}
		if !t.halting {
			t.cont(tid, tt, 0)
			return true
		}
		tt.stopped, tt.sig, tt.sigStop = true, 0, false
		return true
	}
	if event == unix.PTRACE_EVENT_STOP && sig == unix.SIGTRAP && tt.trap {
		// The interrupt asked for (or a new thread's first stop).
		tt.trap = false
		if !t.halting {
			t.cont(tid, tt, 0)
			return true
		}
		tt.stopped, tt.sig, tt.sigStop = true, 0, false
		return true
	}
	tt.stopped, tt.sig, tt.sigStop = true, 0, event == 0
	if event == unix.PTRACE_EVENT_STOP {
		tt.trap = false // a job-control stop answers an interrupt too
	}
	if event == 0 && sig != unix.SIGTRAP {
		tt.sig = sig // a signal's delivery: the thread gets it at its resume
	}
	if event == 0 && sig == t.pass && !t.halting {
		// The signal a signal's verb sent the running process: delivered.
		t.pass = 0
		t.cont(tid, tt, sig)
		return true
	}
	if !t.halting {
		// A stop of its own (a signal, a trap, a job-control stop): the
		// whole process stops.
		t.halting, t.stopTid = true, tid
		t.interruptOthers()
	} else if t.stopTid == 0 && tt.sig != 0 {
		t.stopTid = tid
	}
	return true
}

// cont resumes a stopped thread with sig (0: none).
func (t *tracer) cont(tid int, tt *tracedTask, sig unix.Signal) error {
	if err := ptraceSig(unix.PTRACE_CONT, tid, sig); err != nil {
		return err // killed in its stop: wait4 tells next
	}
	tt.stopped, tt.sig, tt.sigStop = false, 0, false
	return nil
}

// interruptOthers asks every running thread for a stop.
func (t *tracer) interruptOthers() {
	for tid, tt := range t.th {
		if !tt.stopped && !tt.trap {
			if unix.PtraceInterrupt(tid) == nil {
				tt.trap = true
			}
		}
	}
}

// resume continues the stopped process (on the tracer's thread): with
// step, one instruction of its first thread (the others stay stopped);
// else every thread, until the next stop of one, each with the signal it
// stopped for but for the thread whose stop stopped the process, whose
// signal is discarded (FreeBSD's) or replaced by sig (0: none). sig goes
// to the thread that stopped the process if that stop is a signal's
// delivery, else to the first thread if its is, else to the process
// (kill: any of its threads may take it). EBUSY when it is not stopped.
func (t *tracer) resume(step bool, sig unix.Signal) error {
	if !t.isStopped() {
		return syscall.EBUSY
	}
	pid := t.id.pid
	if step {
		tt := t.th[pid]
		if tt == nil {
			return syscall.ESRCH
		}
		if err := unix.PtraceSingleStep(pid); err != nil {
			return syscall.ESRCH // killed in its stop: wait4 tells next
		}
		tt.stopped, tt.sig, tt.sigStop = false, 0, false
		if t.stopTid == pid {
			t.stopTid = 0
		}
	} else {
		to := 0
		if sig != 0 {
			switch {
			case t.stopTid != 0 && t.th[t.stopTid] != nil && t.th[t.stopTid].sigStop:
				to = t.stopTid
			case t.th[pid] != nil && t.th[pid].sigStop:
				to = pid
			default:
				if err := unix.Kill(pid, sig); err != nil {
					return syscall.ESRCH
				}
				t.pass = sig
			}
		}
		t.halting = false
		for tid, tt := range t.th {
			if !tt.stopped {
				continue
			}
			s := tt.sig
			switch tid {
			case to:
				s = sig
			case t.stopTid:
				s = 0
			}
			if err := t.cont(tid, tt, s); err != nil && tid == pid {
				return syscall.ESRCH
			}
		}
		t.stopTid = 0
	}
	t.mu.Lock()
	t.stopped = false
	t.stopCh = make(chan struct{})
	t.mu.Unlock()
	t.every = pollMin
	return nil
}

// detach lets the process go (on the tracer's thread): a running one is
// stopped first (ptrace detaches only a stopped tracee). Each thread
// continues with the signal it was stopped for, if any, as if it had
// never been traced.
func (t *tracer) detach() error {
	if !t.isStopped() {
		t.halting = true
		t.interruptOthers()
		for !t.done && !t.isStopped() {
			t.reapAll()
			if !t.done && !t.isStopped() {
				time.Sleep(pollMin)
			}
		}
		if t.done {
			return nil // it ended meanwhile
		}
	}
	pid := t.id.pid
	var err error
	for tid, tt := range t.th {
		if e := ptraceSig(unix.PTRACE_DETACH, tid, tt.sig); e != nil && tid == pid && tt.stopped {
			err = syscall.ESRCH
		}
	}
	t.finish(errDetached)
	return err
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

// held is every thread stopped under attach, with the signal each
// stopped for (on the tracer's thread, while the process is stopped).
func (t *tracer) held() map[int]unix.Signal {
	m := map[int]unix.Signal{}
	for tid, tt := range t.th {
		if tt.stopped {
			m[tid] = tt.sig
		}
	}
	return m
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
