package loader

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// Attach traces process pid (a thread-group id: all its threads) in this
// session; with inherit, every process it forks from now on joins too.
func (s *Session) Attach(pid int, inherit bool) error {
	return s.attach(pid, inherit, false)
}

// AttachAtExec traces process pid from its next execve on (that call's
// line included), as Spawn traces the command it starts: for a process
// that readies itself before it runs the program to trace.
func (s *Session) AttachAtExec(pid int, inherit bool) error {
	return s.attach(pid, inherit, true)
}

func (s *Session) attach(pid int, inherit, atExec bool) error {
	// A thread's id names its process (strace -p TID): its entry is the
	// process's, and without inherit (OneThread) that thread alone shows.
	tid := pid
	pid = tgidOf(pid)
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return fmt.Errorf("pid %d: %w", tid, err)
	}
	defer unix.Close(fd)
	flags := uint32(0)
	if inherit {
		flags |= TFInherit
	}
	if atExec {
		flags |= TFWaitExec
	}
	if !inherit && s.cfg.OneThread {
		flags |= TFOneThread
	}
	t := eprocTracee{Sid: s.sid, Gen: s.gen, Flags: flags, Tid: uint32(tid)}
	s.e.markTraced(uint32(pid))
	for try := 0; ; try++ {
		err := s.e.tracedUpdate(uint32(pid), t, ebpf.UpdateNoExist)
		if err == nil {
			break
		}
		if !errors.Is(err, ebpf.ErrKeyExist) {
			return fmt.Errorf("trace pid %d: %w", pid, err)
		}
		if try > 0 || !s.e.dropStale(uint32(pid)) {
			return fmt.Errorf("pid %d is already traced: %w", pid, unix.EBUSY)
		}
	}
	s.attached.Add(1)
	// It may have exited before the entry went in, and then no exit will
	// ever remove it: a pidfd that polls readable says so.
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	if n, _ := unix.Poll(pfd, 0); n > 0 {
		s.remove(pid)
		return fmt.Errorf("pid %d: %w", pid, unix.ESRCH)
	}
	return nil
}

// dropStale deletes pid's entry when it belongs to no live session (an
// ended session's, left by a fork that raced with its Close) and says
// whether it did.
func (e *Engine) dropStale(pid uint32) bool {
	var t eprocTracee
	if err := e.objs.Traced.Lookup(pid, &t); err != nil {
		return errors.Is(err, ebpf.ErrKeyNotExist) // gone meanwhile: try again
	}
	e.mu.Lock()
	live := t.Sid < MaxSessions && e.slots[t.Sid] != nil && e.slots[t.Sid].gen == t.Gen
	e.mu.Unlock()
	if live {
		return false
	}
	err := e.tracedDelete(pid)
	return err == nil || errors.Is(err, ebpf.ErrKeyNotExist)
}

// SetInherit changes whether pid's future children join the session.
func (s *Session) SetInherit(pid int, inherit bool) error {
	var t eprocTracee
	if err := s.e.objs.Traced.Lookup(uint32(pid), &t); err != nil || t.Sid != s.sid || t.Gen != s.gen {
		return fmt.Errorf("pid %d is not in session %d: %w", pid, s.sid, unix.ESRCH)
	}
	if inherit {
		t.Flags |= TFInherit
	} else {
		t.Flags &^= TFInherit
	}
	return s.e.tracedUpdate(uint32(pid), t, ebpf.UpdateExist)
}

// Detach stops tracing pid. When it was the session's last process, the
// session ends.
func (s *Session) Detach(pid int) error {
	if !s.remove(pid) {
		return fmt.Errorf("pid %d is not in session %d: %w", pid, s.sid, unix.ESRCH)
	}
	return nil
}

// remove deletes pid's entry if it belongs to this session. Whoever deletes
// the entry (this, or the exit program) accounts for the process.
func (s *Session) remove(pid int) bool {
	var t eprocTracee
	if err := s.e.objs.Traced.Lookup(uint32(pid), &t); err != nil || t.Sid != s.sid || t.Gen != s.gen {
		return false
	}
	if err := s.e.tracedDelete(uint32(pid)); err != nil {
		return false
	}
	s.attached.Add(-1)
	if s.Alive() <= 0 {
		s.wake() // the session ends now, not at the reader's next poll
	}
	return true
}

// Spawn starts cmd traced from its own execve on; with inherit, its
// descendants too. The child joins the session inside the kernel when it is
// forked, so not one of its calls after execve is missed.
func (s *Session) Spawn(cmd *exec.Cmd, inherit bool) error {
	e := s.e
	e.spawnMu.Lock()
	defer e.spawnMu.Unlock()
	self := uint32(os.Getpid())
	flags := uint32(TFSpawner)
	if inherit {
		flags |= TFInherit
	} else if s.cfg.OneThread {
		flags |= TFOneThread // the child's tid set at its fork
	}
	if err := e.tracedUpdate(self, eprocTracee{Sid: s.sid, Gen: s.gen, Flags: flags}, ebpf.UpdateNoExist); err != nil {
		return fmt.Errorf("mark spawner: %w", err)
	}
	err := cmd.Start()
	if derr := e.tracedDelete(self); derr != nil && err == nil {
		err = fmt.Errorf("unmark spawner: %w", derr)
	}
	return err
}

// Alive is the number of the session's processes still running.
func (s *Session) Alive() int64 {
	select {
	case <-s.done:
		return 0 // its slot may serve another session now
	default:
	}
	// nproc, mapped: the reader asks every pass (a bpf() lookup was ~2.6%
	// of eproc trace's CPU on the threads workload).
	var n int64
	if w := int(s.sid) * 8; w+8 <= len(s.e.nproc) {
		n = atomic.LoadInt64((*int64)(unsafe.Pointer(&s.e.nproc[w])))
	}
	return n + s.attached.Load() + s.ncgroups.Load()
}

// Close ends the session: its processes are no longer traced, and Run
// returns once it has handed over what the ring still holds.
func (s *Session) Close() {
	s.closing.Store(true)
	s.untraceCgroups() // first: no process joins after the sweep below
	var k uint32
	var v eprocTracee
	var mine []uint32
	it := s.e.objs.Traced.Iterate()
	for it.Next(&k, &v) {
		if v.Sid == s.sid && v.Gen == s.gen && v.Flags&TFSpawner == 0 {
			mine = append(mine, k)
		}
	}
	for _, pid := range mine {
		s.remove(int(pid))
	}
	s.wake()
}

// tracedUpdate and tracedDelete change pid's entry in traced, then tell
// the programs so: sys_exit keeps a copy of the last entry it used on each
// CPU (bpf/eproc.c: tcaches), good while traced_epochs is unchanged. User
// space's count is traced_epochs[1], written by one engine under epochMu.
func (e *Engine) tracedUpdate(pid uint32, t eprocTracee, flags ebpf.MapUpdateFlags) error {
	if err := e.objs.Traced.Update(pid, t, flags); err != nil {
		return err
	}
	return e.tracedChanged()
}

func (e *Engine) tracedDelete(pid uint32) error {
	if err := e.objs.Traced.Delete(pid); err != nil {
		return err
	}
	return e.tracedChanged()
}

func (e *Engine) tracedChanged() error {
	e.epochMu.Lock()
	defer e.epochMu.Unlock()
	e.userEpoch++
	if err := e.objs.TracedEpochs.Put(uint32(1), e.userEpoch); err != nil {
		return fmt.Errorf("traced_epochs: %w", err)
	}
	return nil
}

// tgidOf is the process of thread tid (itself for a process's first
// thread, or when /proc cannot tell).
func tgidOf(tid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		return tid
	}
	_, rest, ok := strings.Cut(string(b), "\nTgid:")
	if !ok {
		return tid
	}
	line, _, _ := strings.Cut(rest, "\n")
	if n, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && n > 0 {
		return n
	}
	return tid
}
