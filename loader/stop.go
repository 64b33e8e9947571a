package loader

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// Stops: Plan 9's startsyscall and hang, done by the programs (bpf/eproc.c,
// the stops map). A process is stopped with SIGSTOP, sent by a program from
// the process itself: at its next syscall entry (StopAtSyscall, once), or
// at every exec (HangAtExec, until cleared; a process it forks inherits
// it). The programs are attached only while some entry is in the map, and
// each first loads a count (stop_count): a process makes no call through
// them when nothing is armed, and one map lookup when something is.
//
// An entry is keyed by the process's tgid and bound to its start time
// (clock ticks, /proc/PID/stat's field 22), so a reused pid is never
// stopped. Entries go when the process exits (stop_exit); those armed for a
// process that was exiting already are swept here, by the watcher that
// detaches the programs once nothing is armed.

const (
	stopSyscall = 0
	stopExec    = 1
)

// stopWatchEvery is how often the watcher sweeps and looks at the counts
// while something is armed.
const stopWatchEvery = 200 * time.Millisecond

type stopper struct {
	mu       sync.Mutex
	count    []byte // stop_count, mapped: an int64 per kind
	enter    link.Link
	exec     link.Link
	fork     link.Link
	exit     link.Link
	watching bool
	closed   bool
}

// openStops maps stop_count.
func (e *Engine) openStops() error {
	m, err := unix.Mmap(e.objs.StopCount.FD(), 0, os.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return fmt.Errorf("map stop_count: %w", err)
	}
	e.stop.count = m
	return nil
}

// closeStops detaches the stop programs and unmaps the counts.
func (e *Engine) closeStops() {
	s := &e.stop
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	for _, l := range []*link.Link{&s.enter, &s.exec, &s.fork, &s.exit} {
		if *l != nil {
			(*l).Close()
			*l = nil
		}
	}
	if s.count != nil {
		unix.Munmap(s.count)
		s.count = nil
	}
}

func (s *stopper) armed(kind int) *int64 {
	return (*int64)(unsafe.Pointer(&s.count[kind*8]))
}

func stopKey(kind, tgid int) uint64 { return uint64(kind)<<32 | uint64(uint32(tgid)) }

// StopAtSyscall arms Plan 9's startsyscall for process tgid, which started
// at start (clock ticks since boot, /proc/PID/stat's field 22): at its next
// syscall entry, by any thread, a program takes the entry and sends the
// process SIGSTOP, which stops it (every thread) once the call returns (a
// call that sleeps is interrupted by the stop, and restarted when the
// process continues). Armed already: nothing changes. The caller then
// continues the process.
func (e *Engine) StopAtSyscall(tgid int, start uint64) error {
	return e.armStop(stopSyscall, tgid, start)
}

// StopPending reports whether StopAtSyscall's stop of tgid is still armed:
// no call of the process took it.
func (e *Engine) StopPending(tgid int) bool {
	var v uint64
	return e.objs.Stops.Lookup(stopKey(stopSyscall, tgid), &v) == nil
}

// HangAtExec sets (on) or clears Plan 9's hang for process tgid, which
// started at start: while set, each exec of the process ends with
// SIGSTOP sent to it, so it stops before the new image's first
// instruction; a process it forks from then on has it set too.
func (e *Engine) HangAtExec(tgid int, start uint64, on bool) error {
	if !on {
		e.disarmStop(stopExec, tgid)
		return nil
	}
	return e.armStop(stopExec, tgid, start)
}

// Hanging reports whether hang is set for process tgid.
func (e *Engine) Hanging(tgid int) bool {
	var v uint64
	return e.objs.Stops.Lookup(stopKey(stopExec, tgid), &v) == nil
}

// StopEntries reports how many entries the stops map holds, and whether
// any stop program is attached (for tests: none once the processes are
// gone).
func (e *Engine) StopEntries() (n int, attached bool) {
	var k, v uint64
	it := e.objs.Stops.Iterate()
	for it.Next(&k, &v) {
		n++
	}
	s := &e.stop
	s.mu.Lock()
	attached = s.enter != nil || s.exec != nil || s.fork != nil || s.exit != nil
	s.mu.Unlock()
	return n, attached
}

func (e *Engine) armStop(kind, tgid int, start uint64) error {
	s := &e.stop
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return unix.ESHUTDOWN
	}
	key := stopKey(kind, tgid)
	var cur uint64
	if e.objs.Stops.Lookup(key, &cur) == nil && cur == start {
		return nil
	}
	// The programs first: an entry is never in the map without them.
	if err := e.attachStopsLocked(kind); err != nil {
		return err
	}
	if !s.watching {
		s.watching = true
		go e.watchStops()
	}
	if e.objs.Stops.Delete(key) == nil { // a process gone had the pid
		atomic.AddInt64(s.armed(kind), -1)
	}
	atomic.AddInt64(s.armed(kind), 1) // before the entry: the count is never less
	if err := e.objs.Stops.Update(key, start, ebpf.UpdateNoExist); err != nil {
		atomic.AddInt64(s.armed(kind), -1)
		if errors.Is(err, unix.E2BIG) {
			return fmt.Errorf("stops map full: %w", unix.ENOSPC)
		}
		return fmt.Errorf("arm stop of %d: %w", tgid, err)
	}
	return nil
}

func (e *Engine) disarmStop(kind, tgid int) {
	s := &e.stop
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if e.objs.Stops.Delete(stopKey(kind, tgid)) == nil {
		atomic.AddInt64(s.armed(kind), -1)
	}
}

// stopProgs are the stops' programs: lazyProgs in a one-shot engine.
var stopProgs = []string{"stop_enter", "stop_exec", "stop_fork", "stop_exit"}

// loadStopsLocked loads the stops' programs a one-shot engine left out.
func (e *Engine) loadStopsLocked() error {
	return e.loadLazyInto(lazyProg{"stop_enter", &e.objs.StopEnter}, lazyProg{"stop_exec", &e.objs.StopExec},
		lazyProg{"stop_fork", &e.objs.StopFork}, lazyProg{"stop_exit", &e.objs.StopExit})
}

func attachStop(p *ebpf.Program, l *link.Link) error {
	if *l != nil {
		return nil
	}
	nl, err := link.AttachTracing(link.TracingOptions{Program: p})
	if err != nil {
		return fmt.Errorf("attach %v: %w", p, err)
	}
	*l = nl
	return nil
}

// attachStopsLocked attaches what an entry of kind needs: stop_exit for
// every kind, stop_enter for startsyscall, stop_fork and stop_exec for
// hang (fork first: a child forked meanwhile inherits).
func (e *Engine) attachStopsLocked(kind int) error {
	s := &e.stop
	if err := e.loadStopsLocked(); err != nil {
		return err
	}
	if err := attachStop(e.objs.StopExit, &s.exit); err != nil {
		return err
	}
	if kind == stopSyscall {
		return attachStop(e.objs.StopEnter, &s.enter)
	}
	if err := attachStop(e.objs.StopFork, &s.fork); err != nil {
		return err
	}
	return attachStop(e.objs.StopExec, &s.exec)
}

// watchStops runs while a stop program is attached: it sweeps entries of
// processes gone, and detaches the programs of a kind nothing is armed
// for.
func (e *Engine) watchStops() {
	s := &e.stop
	for {
		time.Sleep(stopWatchEvery)
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return
		}
		e.sweepStopsLocked()
		e.detachStopsLocked()
		if s.enter == nil && s.exec == nil && s.fork == nil && s.exit == nil {
			s.watching = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
	}
}

// sweepStopsLocked removes the entries of processes gone (or whose pid
// another process has now): armed after the process's exit was told.
func (e *Engine) sweepStopsLocked() {
	s := &e.stop
	var k, v uint64
	var stale []uint64
	it := e.objs.Stops.Iterate()
	for it.Next(&k, &v) {
		if st, err := ProcStart(int(uint32(k))); err != nil || st != v {
			stale = append(stale, k)
		}
	}
	for _, k := range stale {
		if e.objs.Stops.Delete(k) == nil {
			atomic.AddInt64(s.armed(int(k>>32)&1), -1)
		}
	}
}

// detachStopsLocked detaches the programs of a kind whose count is 0.
// Detaching waits for the runs under way: stop_fork may have armed a
// child meanwhile, and what it needs goes back.
func (e *Engine) detachStopsLocked() {
	s := &e.stop
	closeLink := func(l *link.Link) {
		if *l != nil {
			(*l).Close()
			*l = nil
		}
	}
	sys, exec := atomic.LoadInt64(s.armed(stopSyscall)), atomic.LoadInt64(s.armed(stopExec))
	if sys <= 0 {
		closeLink(&s.enter)
	}
	if exec <= 0 {
		closeLink(&s.exec)
		closeLink(&s.fork)
	}
	if sys <= 0 && exec <= 0 {
		closeLink(&s.exit)
	}
	if exec <= 0 && atomic.LoadInt64(s.armed(stopExec)) > 0 {
		if err := e.attachStopsLocked(stopExec); err != nil {
			e.log.Error("reattach the hang programs", zap.Error(err))
		}
	}
}

// ProcStart reads the start time of process pid (field 22 of its stat,
// in clock ticks since boot): with the pid, what names one process for
// its whole life.
func ProcStart(pid int) (uint64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, unix.ESRCH
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return 0, unix.ESRCH
	}
	return strconv.ParseUint(f[19], 10, 64)
}
