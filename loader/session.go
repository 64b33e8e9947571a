package loader

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// SessionConfig configures one traced tree.
type SessionConfig struct {
	StrSize  int // strace -s: bytes of data and strings captured; 0 means 32
	RingSize int // ring buffer bytes; 0 means the engine's default
	// StartRingSize: the ring the session starts with, growing to
	// RingSize when busy; 0 means the engine's start size (when RingSize
	// is the engine's default too), else RingSize: no growing.
	StartRingSize int
	// IdleRingSize: when smaller than RingSize, the ring a quiet session
	// moves to (less than a quarter of it written in quietFor), growing
	// back to RingSize when busy; 0 means the engine's idle size (when
	// RingSize is the engine's default too), else no shrinking.
	IdleRingSize int
	Syscalls     []uint32 // syscall numbers whose records are wanted; nil means all
	Time         bool     // timestamp records (strace -t); costs a clock read per call
	Latency      bool     // entry times too (strace -T, -c); attaches sys_enter
	// Unprivileged: the owner may not trace programs that gain privileges
	// (setuid, setgid, file capabilities): such an execve ends the
	// process's membership, as ptrace would refuse it.
	Unprivileged bool
}

// Stats are a session's counters, summed over CPUs.
type Stats struct {
	Seen    uint64 // syscalls entered by the session's processes
	Dropped uint64 // syscall records lost to a full ring
	Lost    uint64 // other records (signals, exits, forks) lost to a full ring
}

// Session is one traced tree: its processes, its ring and its counters.
type Session struct {
	e   *Engine
	sid uint32
	gen uint32
	cfg SessionConfig
	r   *ring // its slot's, while the session lives; changed under e.mu (growth)

	scfg    eprocSessCfg // as put in the sessions map
	growing *growth      // another ring being put into the rings map (Run's)
	noGrow  bool         // changing rings failed once: do not try again

	// Run's account of how busy the session is, for shrinking: bytes
	// read since quietSince.
	quietSince time.Time
	quietBytes uint64

	attached  atomic.Int64 // processes user space attached (BPF counts the forked ones)
	closing   atomic.Bool
	once      sync.Once
	done      chan struct{}
	syncMu    sync.Mutex
	syncs     []func() // queued by Sync, run by Run
	syncEnded bool     // Run took its last: Sync refuses
	final     Stats

	passes, woken, records, bytes, busy atomic.Uint64 // Run's account: see Reading
	maxPass, maxBacklog                 atomic.Int64  // ns; bytes
}

// Reading is how a session's reader read its ring so far: the stages'
// rates of a session (records and bytes per pass, the share of its time
// the reader was busy) come from it.
type Reading struct {
	Passes  uint64        // drain passes
	Woken   uint64        // waits a producer ended (a quarter ring from one CPU, an exit), not the poll
	Records uint64        // records handed to the handler
	Bytes   uint64        // ring bytes consumed
	Busy    time.Duration // time in passes: reading the ring and handling the records
	// The longest pass, and the most bytes a pass found waiting in the
	// ring (when it nears the ring's size, records are about to drop).
	MaxPass    time.Duration
	MaxBacklog uint64
}

// Reading is the reader's account so far.
func (s *Session) Reading() Reading {
	return Reading{Passes: s.passes.Load(), Woken: s.woken.Load(), Records: s.records.Load(),
		Bytes: s.bytes.Load(), Busy: time.Duration(s.busy.Load()),
		MaxPass: time.Duration(s.maxPass.Load()), MaxBacklog: uint64(s.maxBacklog.Load())}
}

// Poll bounds: how long a reader sleeps between looks at a ring that did not
// wake it. Producers wake it only when a ring is a quarter full.
const (
	minPoll = 2 * time.Millisecond
	maxPoll = 100 * time.Millisecond
)

// quietFor is how long a session's ring must see little traffic (less than
// a quarter of its idle ring) before it moves to its idle ring. A variable
// for tests.
var quietFor = 5 * time.Second

// NewSession creates a session with no processes yet.
func (e *Engine) NewSession(cfg SessionConfig) (*Session, error) {
	if cfg.StrSize <= 0 {
		cfg.StrSize = 32
	}
	if cfg.StrSize > wire.MaxCap-1 {
		cfg.StrSize = wire.MaxCap - 1
	}
	if cfg.RingSize == 0 {
		cfg.RingSize = e.ringSize
		if cfg.StartRingSize == 0 {
			cfg.StartRingSize = e.startRing
		}
		if cfg.IdleRingSize == 0 {
			cfg.IdleRingSize = e.idleRing
		}
	}
	if cfg.StartRingSize == 0 || cfg.StartRingSize > cfg.RingSize {
		cfg.StartRingSize = cfg.RingSize
	}
	if err := checkRingSize(cfg.RingSize); err != nil {
		return nil, err
	}
	if err := checkRingSize(cfg.StartRingSize); err != nil {
		return nil, err
	}
	var err error
	if cfg.IdleRingSize, err = idleRingSize(cfg.IdleRingSize, cfg.RingSize); err != nil {
		return nil, err
	}
	size := cfg.StartRingSize
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, errors.New("engine closed")
	}
	sid, grow, waiting := e.slotLocked(size)
	for waiting && (sid < 0 || grow && !e.roomLocked(size)) {
		// The rings it may keep all wait for a grace period (for the
		// sessions that ended with them): wait for one.
		e.mu.Unlock()
		err := e.grace()
		e.mu.Lock()
		if e.closed {
			return nil, errors.New("engine closed")
		}
		if err != nil {
			return nil, fmt.Errorf("wait for a free ring: %w", err)
		}
		sid, grow, waiting = e.slotLocked(size)
	}
	if sid < 0 {
		return nil, fmt.Errorf("all %d session slots in use: %w", MaxSessions, unix.EBUSY)
	}
	if e.gens[sid]++; e.gens[sid] == 0 {
		e.gens[sid]++ // 0 is no session's: the configuration of a slot between sessions
	}
	s := &Session{e: e, sid: uint32(sid), gen: e.gens[sid], cfg: cfg, done: make(chan struct{})}
	if s.r, err = e.ringLocked(s.sid, size); err != nil {
		return nil, err
	}
	if err := s.setup(); err != nil {
		e.keepLocked(s.sid)
		return nil, err
	}
	if err := e.attachLocked(); err != nil {
		e.keepLocked(s.sid)
		return nil, err
	}
	e.slots[sid] = s
	e.nlive++
	if err := e.wantEntryLocked(); err != nil {
		e.log.Warn("no entry times", errField(err))
	}
	return s, nil
}

func (s *Session) setup() error {
	e := s.e
	zero := make([]eprocSessStats, ncpu())
	if err := e.objs.Stats.Put(s.sid, zero); err != nil {
		return fmt.Errorf("reset stats: %w", err)
	}
	if err := e.objs.Nproc.Put(s.sid, int64(0)); err != nil {
		return fmt.Errorf("reset nproc: %w", err)
	}
	cfg := eprocSessCfg{Gen: s.gen, Strsize: uint32(s.cfg.StrSize), WakeEvery: wakeEvery(s.r.size)}
	if s.cfg.Time || s.cfg.Latency {
		cfg.Flags |= sfTime
	}
	if s.cfg.Latency {
		cfg.Flags |= sfLatency
	}
	if s.cfg.Unprivileged {
		cfg.Flags |= sfUnpriv
	}
	if s.cfg.Syscalls == nil {
		for i := range cfg.Filter {
			cfg.Filter[i] = ^uint64(0)
		}
	}
	for _, nr := range s.cfg.Syscalls {
		if nr < MaxSyscalls {
			cfg.Filter[nr/64] |= 1 << (nr % 64)
		}
	}
	if err := e.objs.Sessions.Put(s.sid, cfg); err != nil {
		return fmt.Errorf("session config: %w", err)
	}
	s.scfg = cfg
	return nil
}

// wakeEvery: wake the reader when, at ~128 bytes a record, about a quarter
// of a ring of size bytes has been written by one CPU.
func wakeEvery(size int) uint32 {
	return uint32(max(1, size/4/128))
}

// ID is the session's number, as shown in tracepids.
func (s *Session) ID() uint32 { return s.sid }

// Config is the session's configuration.
func (s *Session) Config() SessionConfig { return s.cfg }

// Done is closed once the session has ended and its ring is drained.
func (s *Session) Done() <-chan struct{} { return s.done }

// Attach traces process pid (a thread-group id: all its threads) in this
// session; with inherit, every process it forks from now on joins too.
func (s *Session) Attach(pid int, inherit bool) error {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return fmt.Errorf("pid %d: %w", pid, err)
	}
	defer unix.Close(fd)
	flags := uint32(0)
	if inherit {
		flags |= TFInherit
	}
	t := eprocTracee{Sid: s.sid, Gen: s.gen, Flags: flags}
	s.e.markTraced(uint32(pid))
	for try := 0; ; try++ {
		err := s.e.objs.Traced.Update(uint32(pid), t, ebpf.UpdateNoExist)
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
	err := e.objs.Traced.Delete(pid)
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
	return s.e.objs.Traced.Update(uint32(pid), t, ebpf.UpdateExist)
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
	if err := s.e.objs.Traced.Delete(uint32(pid)); err != nil {
		return false
	}
	s.attached.Add(-1)
	if s.Alive() <= 0 {
		s.wake() // the session ends now, not at the reader's next poll
	}
	return true
}

// wake makes Run look at the session at once instead of at its next poll.
// Once the session is released its ring may serve another: leave it be.
func (s *Session) wake() {
	e := s.e
	e.mu.Lock()
	if e.slots[s.sid] == s {
		s.r.rd.wake()
	}
	e.mu.Unlock()
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
	}
	if err := e.objs.Traced.Update(self, eprocTracee{Sid: s.sid, Gen: s.gen, Flags: flags}, ebpf.UpdateNoExist); err != nil {
		return fmt.Errorf("mark spawner: %w", err)
	}
	err := cmd.Start()
	if derr := e.objs.Traced.Delete(self); derr != nil && err == nil {
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
	var n int64
	if err := s.e.objs.Nproc.Lookup(s.sid, &n); err != nil {
		return 0
	}
	return n + s.attached.Load()
}

// Stats sums the session's counters over all CPUs.
func (s *Session) Stats() Stats {
	select {
	case <-s.done:
		return s.final
	default:
	}
	return s.readStats()
}

func (s *Session) readStats() Stats {
	var per []eprocSessStats
	var st Stats
	if err := s.e.objs.Stats.Lookup(s.sid, &per); err != nil {
		return st
	}
	for _, p := range per {
		st.Seen += p.Seen
		st.Dropped += p.Dropped
		st.Lost += p.Lost
	}
	return st
}

// Close ends the session: its processes are no longer traced, and Run
// returns once it has handed over what the ring still holds.
func (s *Session) Close() {
	s.closing.Store(true)
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

// Handler receives a session's records.
type Handler interface {
	// Record is called for each record, in ring order; rec is only valid
	// during the call.
	Record(rec []byte)
	// Idle is called whenever the ring has been drained: a good moment to
	// hand text on to readers.
	Idle()
}

// Sync runs fn in the session's reader after it has handed over every
// record already in the ring, so that text inserted by fn lands after the
// calls made before Sync. It returns false when the session has ended.
func (s *Session) Sync(fn func()) bool {
	s.syncMu.Lock()
	if s.syncEnded {
		s.syncMu.Unlock()
		return false
	}
	s.syncs = append(s.syncs, fn)
	s.syncMu.Unlock()
	s.wake()
	return true
}

// takeSyncs takes the functions Sync queued so far; after the last take
// (final), Sync refuses, so that none is ever queued and never run.
func (s *Session) takeSyncs(final bool) []func() {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	q := s.syncs
	s.syncs = nil
	s.syncEnded = s.syncEnded || final
	return q
}

func runSyncs(q []func()) {
	for _, fn := range q {
		fn()
	}
}

// Run hands every record of the session to h, in ring order, until the
// session's last process has exited (or Close was called) and the ring is
// drained. It then frees the session and returns its final counters. Call
// it once.
func (s *Session) Run(h Handler) Stats {
	poll := minPoll
	ending := false
	for {
		// Functions queued before this pass run after it: every record
		// made before their Sync is in the ring by now.
		q := s.takeSyncs(false)
		c0 := s.r.rd.consumed()
		t0 := time.Now()
		storeMax(&s.maxBacklog, int64(s.r.rd.backlog()))
		n, grew := s.drainAll(h, ending)
		h.Idle()
		runSyncs(q)
		s.passes.Add(1)
		s.records.Add(uint64(n))
		if !grew {
			s.bytes.Add(s.r.rd.consumed() - c0)
		}
		now := time.Now()
		s.busy.Add(uint64(now.Sub(t0)))
		storeMax(&s.maxPass, int64(now.Sub(t0)))
		if s.growing == nil {
			s.r.rd.unmapIdle(now)
		}
		if err := s.mapErr(); err != nil {
			// Its records cannot be read: end the session rather than
			// spin on them (the processes are released; what the
			// ring held is reported as dropped by the counters).
			s.e.log.Error("ring", errField(err), sidField(s.sid))
			ending = true
		}
		if ending {
			break
		}
		if s.closing.Load() || s.Alive() <= 0 {
			ending = true // one more pass: everything is in the ring now
			continue
		}
		// Batches of 1/32 to 1/8 of the ring: a session that fills less
		// is read less often (down to every maxPoll), one that fills
		// more, more often. (A producer wakes the reader whenever one CPU
		// wrote a quarter of the ring, whatever the poll.)
		switch read := s.r.rd.consumed() - c0; {
		case grew:
			poll = minPoll
		case read < uint64(s.r.size/32):
			poll = min(2*poll, maxPoll)
		case read > uint64(s.r.size/8):
			poll = max(poll/2, minPoll)
		}
		if grew || s.behind() {
			// A Sync's wake may have gone to the old ring; or the ring
			// filled by an eighth while it was read.
			continue
		}
		if s.growing != nil {
			poll = minPoll // the switch waits for the next pass
		}
		woken, err := s.r.rd.wait(poll)
		if err != nil {
			s.e.log.Warn("ring wait", errField(err), sidField(s.sid))
			break
		}
		if woken {
			s.woken.Add(1)
		}
	}
	s.handHeldExits(h)
	s.release()
	runSyncs(s.takeSyncs(true)) // the ring is drained and its processes gone
	return s.final
}

// handHeldExits hands over, in time order, the exit records the exit
// program kept aside because the session's ring was full (held_exits),
// after everything the ring held: a process's end is told late rather
// than never.
func (s *Session) handHeldExits(h Handler) {
	var k eprocHeldKey
	var v eprocEvExit
	var keys []eprocHeldKey
	var recs []eprocEvExit
	it := s.e.objs.HeldExits.Iterate()
	for it.Next(&k, &v) {
		if k.Sid == s.sid && k.Gen == s.gen {
			keys = append(keys, k)
			recs = append(recs, v)
		}
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].H.Ts < recs[j].H.Ts })
	for i := range recs {
		h.Record(unsafe.Slice((*byte)(unsafe.Pointer(&recs[i])), unsafe.Sizeof(recs[i])))
	}
	for i := range keys {
		s.e.objs.HeldExits.Delete(&keys[i])
	}
	if len(recs) > 0 {
		h.Idle()
	}
}

// mapErr is a failure to map a ring's data pages, if any.
func (s *Session) mapErr() error {
	if err := s.r.rd.mapErr; err != nil {
		return err
	}
	if s.growing != nil {
		return s.growing.r.rd.mapErr
	}
	return nil
}

// growth is another ring on its way into the rings map, in the session's
// slot (bigger when the session is busy, smaller when quiet): done gets the
// map update's result.
type growth struct {
	r    *ring
	done chan error
}

// drainAll hands over what the session's ring holds, and grows it: when a
// drain finds a quarter of a small ring filled, a ring of cfg.RingSize is
// put into the session's slot of the rings map, aside (the update returns
// after an RCU grace period, after which no program still writes to the old
// ring). It shrinks it the same way, to cfg.IdleRingSize, when the session
// is quiet (see quiet). Meanwhile both rings are read, the old one first; then the old one
// is drained a last time, the new one too, and the session goes on with the
// new one (grew), the old one closed. With last (the session is ending),
// it waits for an update in flight, and starts none.
//
// Order per thread: once a thread's program has used the new ring, none of
// its later ones uses the old one. So the new ring is read only up to where
// it was before the old one's drain, and only when that drain was complete
// (no record still being written stopped it): every record a thread wrote
// to the old ring before one that is read from the new ring has been read.
func (s *Session) drainAll(h Handler, last bool) (n int, grew bool) {
	g := s.growing
	if g == nil {
		n, _, bytes := s.r.rd.drainTo(h.Record, noLimit)
		if !last && !s.noGrow {
			if s.r.size < s.cfg.RingSize && bytes >= uint64(s.r.size/4) {
				s.startGrow(s.cfg.RingSize)
			} else if s.quiet(bytes) {
				s.startGrow(s.cfg.IdleRingSize)
			}
		}
		return n, false
	}
	limit := g.r.rd.prodNow()
	n, complete, _ := s.r.rd.drainTo(h.Record, noLimit)
	if complete {
		m, _, _ := g.r.rd.drainTo(h.Record, limit)
		n += m
	}
	var err error
	if last {
		err = <-g.done
	} else {
		select {
		case err = <-g.done:
		default:
			return n, false
		}
	}
	s.growing = nil
	s.r.rd.unwatch(g.r.m)
	if err != nil {
		// The old ring stays in the map; the new one was never written.
		s.e.log.Warn("ring grow", errField(err), sidField(s.sid))
		s.noGrow = true
		g.r.close()
		return n, false
	}
	// No program writes to the old ring any more, and every record reserved
	// in it is committed: read it all, then the new one.
	n += s.r.rd.drain(h.Record)
	n += g.r.rd.drain(h.Record)
	s.swapRing(g.r)
	s.quietSince, s.quietBytes = time.Now(), 0
	s.scfg.WakeEvery = wakeEvery(g.r.size)
	if err := s.e.objs.Sessions.Put(s.sid, s.scfg); err != nil {
		s.e.log.Warn("ring grow: wake threshold", errField(err), sidField(s.sid))
	}
	return n, true
}

// swapRing makes r, now in the rings map, the session's and its slot's ring,
// and closes the old one.
func (s *Session) swapRing(r *ring) {
	e := s.e
	e.mu.Lock()
	old := s.r
	s.r = r
	if e.rings[s.sid] == old {
		e.rings[s.sid] = r
	} else {
		e.log.Error("ring grow: slot's ring is not the session's", sidField(s.sid))
	}
	old.close()
	e.mu.Unlock()
}

// quiet counts bytes read from a ring larger than the session's idle one
// and says whether less than a quarter of the idle ring was written in the
// last quietFor: then the session moves to its idle ring. (A session busy
// again grows back once a drain finds a quarter of that filled.)
func (s *Session) quiet(bytes uint64) bool {
	idle := s.cfg.IdleRingSize
	if idle == 0 || s.r.size <= idle {
		return false
	}
	now := time.Now()
	s.quietBytes += bytes
	if s.quietSince.IsZero() || s.quietBytes >= uint64(idle/4) {
		s.quietSince, s.quietBytes = now, 0
		return false
	}
	if now.Sub(s.quietSince) < quietFor {
		return false
	}
	s.quietSince, s.quietBytes = now, 0
	return true
}

// startGrow puts a ring of size bytes into the rings map, aside.
func (s *Session) startGrow(size int) {
	r, err := s.e.takeRing(size)
	if err != nil {
		s.e.log.Warn("ring grow", errField(err), sidField(s.sid))
		s.noGrow = true
		return
	}
	old := s.r
	if err := old.rd.watch(r.m); err != nil {
		s.e.log.Warn("ring grow", errField(err), sidField(s.sid))
		s.noGrow = true
		r.close()
		return
	}
	g := &growth{r: r, done: make(chan error, 1)}
	s.growing = g
	go func() {
		err := s.e.objs.Rings.Put(s.sid, r.m)
		old.rd.wake() // Run swaps rings once it has the result; old is Run's until then
		g.done <- err
	}()
}

// behind reports whether an eighth of the session's ring or more waits to
// be read: then Run reads again at once, instead of after its poll.
func (s *Session) behind() bool {
	if s.r.rd.backlog() >= uint64(s.r.size/8) {
		return true
	}
	g := s.growing
	return g != nil && g.r.rd.backlog() >= uint64(g.r.size/8)
}

// RingSize is the size of the session's ring now.
func (s *Session) RingSize() int {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	return s.r.size
}

func (s *Session) release() {
	s.once.Do(func() {
		e := s.e
		if g := s.growing; g != nil {
			// Wait for the update in flight: whichever ring is not in
			// the map is closed, the other kept for the slot.
			s.growing = nil
			if err := <-g.done; err != nil {
				s.r.rd.unwatch(g.r.m)
				g.r.close()
			} else {
				s.swapRing(g.r)
			}
		}
		s.final = s.readStats()
		e.mu.Lock()
		if e.slots[s.sid] == s {
			e.slots[s.sid] = nil
			e.nlive--
			e.keepLocked(s.sid)
		}
		e.wantEntryLocked()
		e.mu.Unlock()
		close(s.done)
	})
}

// HandlerFunc adapts a function to Handler, with nothing to do when idle.
type HandlerFunc func(rec []byte)

func (f HandlerFunc) Record(rec []byte) { f(rec) }
func (f HandlerFunc) Idle()             {}

func storeMax(v *atomic.Int64, x int64) {
	if x > v.Load() {
		v.Store(x)
	}
}
