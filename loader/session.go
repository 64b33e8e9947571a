package loader

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// SessionConfig configures one traced tree.
type SessionConfig struct {
	StrSize  int // strace -s: bytes of data and strings captured; 0 means 32, below 0 means 0 (-s 0)
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
	// CPUTime: with Latency, a returned call's record says how long it
	// was off the CPU (wire.Call.OffCPU), for strace -c's system time.
	CPUTime bool
	// IP: records carry the user instruction pointer (strace -i):
	// wire.Call's EntryIP and ExitIP, wire.Signal's IP. Attaches sys_enter.
	IP bool
	// Unprivileged: the owner may not trace programs that gain privileges
	// (setuid, setgid, file capabilities): such an execve ends the
	// process's membership, as ptrace would refuse it.
	Unprivileged bool
	// Record: the session is a flight recorder of about this many bytes
	// (at least MinRecord): its records stay in the kernel, the newest
	// over the oldest, until Live or its end hands them to Run's handler
	// (record.go). 0: records go to the ring as they come.
	Record int
	// Results: which returned calls make records (strace -z, -Z): the
	// others cost no ring space. execve makes its record whatever it
	// returned. A call under way (its entry record) is told either way.
	Results Results
	// Stack: an EvStack record after each returned call, for its user
	// stack trace (strace -k); attaches stack_exit.
	Stack bool
	// DumpRead, DumpWrite: strace's -e read=SET and -e write=SET as masks
	// (bit k < 63: descriptor k; bit 63: any from 63 on the set holds): a
	// call on one captures its data whole (up to wire.MaxCap bytes) for
	// the hex dump, not only the -s bytes printed.
	DumpRead, DumpWrite uint64
	// Whole: the syscalls whose structures the session prints whole
	// (-v): those whose plans have PFWhole capture what that needs
	// (getdents' entries, execve's environment; strace.WholeStructs).
	Whole []uint32
	// OneThread: a process attached or spawned without inherit shows
	// one thread, the one named or started, not the threads it makes
	// (strace without -f follows no clone, threads included).
	OneThread bool
}

// Results is a filter of returned calls by their result.
type Results uint8

const (
	AllResults Results = iota
	OnlySuccessful
	OnlyFailed // -1 ERRNO: a return value from -4095 to -1
)

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
	ncgroups  atomic.Int64 // cgroups traced (cgroup.go): the session lives while any is
	closing   atomic.Bool
	once      sync.Once
	done      chan struct{}
	syncMu    sync.Mutex
	syncs     []func() // queued by Sync, run by Run
	syncEnded bool     // Run took its last: Sync refuses
	final     Stats

	// The flight recorder, if the session has one (record.go).
	rec                *recorder
	recording, liveReq atomic.Bool
	recorded           Recorded        // under e.mu
	echoes             map[uint32]bool // Run's: threads whose exit the replay handed over

	passes, woken, records, bytes, busy atomic.Uint64 // Run's account: see Reading
	spooledPasses                       atomic.Uint64
	maxPass, maxBacklog                 atomic.Int64          // ns; bytes
	spool                               atomic.Pointer[spool] // Run's, if Config.Spool
	dh                                  direct                // the pass's handler, with a spool
}

// NewSession creates a session with no processes yet.
func (e *Engine) NewSession(cfg SessionConfig) (*Session, error) {
	if err := e.defaults(&cfg); err != nil {
		return nil, err
	}
	var err error
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
	s := &Session{e: e, sid: uint32(sid), gen: e.gens[sid], cfg: cfg, done: make(chan struct{}), echoes: map[uint32]bool{}}
	if s.r, err = e.ringLocked(s.sid, size); err != nil {
		return nil, err
	}
	Phase("session: ring")
	if err := s.setup(); err != nil {
		e.keepLocked(s.sid)
		return nil, err
	}
	Phase("session: setup")
	if err := e.attachLocked(); err != nil {
		e.keepLocked(s.sid)
		return nil, err
	}
	Phase("session: attach")
	e.slots[sid] = s
	e.nlive++
	e.wantLocked()
	Phase("session: entry side")
	return s, nil
}

// defaults fills in what cfg leaves to the engine (-s, the rings' sizes)
// and checks the sizes.
func (e *Engine) defaults(cfg *SessionConfig) error {
	switch {
	case cfg.StrSize == 0:
		cfg.StrSize = 32
	case cfg.StrSize < 0:
		cfg.StrSize = 0
	}
	if cfg.StrSize > wire.MaxCap-2 { // strings are captured one byte longer, and their NUL
		cfg.StrSize = wire.MaxCap - 2
	}
	if cfg.Record > 0 && cfg.StartRingSize == 0 {
		// Until it goes live, its ring holds only its processes' ends.
		cfg.StartRingSize = 64 << 10
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
		return err
	}
	if err := checkRingSize(cfg.StartRingSize); err != nil {
		return err
	}
	var err error
	cfg.IdleRingSize, err = idleRingSize(cfg.IdleRingSize, cfg.RingSize)
	return err
}

func (s *Session) setup() error {
	e := s.e
	if err := e.loadStackLocked(s.cfg.Stack); err != nil {
		return err
	}
	if err := e.loadEnterLocked(s.cfg.Latency || s.cfg.IP); err != nil {
		return err
	}
	zero := make([]eprocSessStats, ncpu())
	if err := e.objs.Stats.Put(s.sid, zero); err != nil {
		return fmt.Errorf("reset stats: %w", err)
	}
	if err := e.objs.Nproc.Put(s.sid, int64(0)); err != nil {
		return fmt.Errorf("reset nproc: %w", err)
	}
	cfg := eprocSessCfg{Gen: s.gen, Strsize: uint32(s.cfg.StrSize), WakeEvery: s.wakeFor(s.r.size),
		DumpRead: s.cfg.DumpRead, DumpWrite: s.cfg.DumpWrite}
	if s.cfg.Time || s.cfg.Latency {
		cfg.Flags |= sfTime
	}
	if s.cfg.Latency {
		cfg.Flags |= sfLatency
		if s.cfg.CPUTime {
			cfg.Flags |= sfCPUTime
		}
	}
	if s.cfg.Unprivileged {
		cfg.Flags |= sfUnpriv
	}
	if s.cfg.IP {
		cfg.Flags |= sfIP
	}
	if s.cfg.Stack {
		cfg.Flags |= sfStack
	}
	for _, nr := range s.cfg.Whole {
		if nr < MaxSyscalls {
			cfg.Whole[nr/64] |= 1 << (nr % 64)
		}
		if nr == unix.SYS_EXECVE || nr == unix.SYS_EXECVEAT {
			cfg.Flags |= sfWhole // EV_EXEC: the environment too
		}
	}
	switch s.cfg.Results {
	case OnlySuccessful:
		cfg.Flags |= sfOKOnly
	case OnlyFailed:
		cfg.Flags |= sfFailOnly
	}
	if s.cfg.Record > 0 {
		if err := s.startRecorder(); err != nil {
			return err
		}
		cfg.WakeEvery = 0 // the programs write to the recorder
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

// wakeFor is wakeEvery for this session: with stacks (-k), a call's
// records are up to ~12 KiB, not ~128 bytes.
func (s *Session) wakeFor(size int) uint32 {
	if s.cfg.Stack {
		return uint32(max(1, size/4/(wire.StackMax+wire.StackSize)))
	}
	return wakeEvery(size)
}

// ID is the session's number, as shown in tracepids.
func (s *Session) ID() uint32 { return s.sid }

// Config is the session's configuration.
func (s *Session) Config() SessionConfig { return s.cfg }

// Done is closed once the session has ended and its ring is drained.
func (s *Session) Done() <-chan struct{} { return s.done }

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

// RingSize is the size of the session's ring now.
func (s *Session) RingSize() int {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	return s.r.size
}

func (s *Session) release() {
	s.once.Do(func() {
		e := s.e
		s.untraceCgroups()
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
		e.wantLocked()
		e.mu.Unlock()
		close(s.done)
	})
}
