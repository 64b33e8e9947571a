package loader

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"
	"github.com/eproc/eproc/loader/wire"
	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// DefaultRingSize is the per-session ring buffer size: at ~100 bytes a
// record, about 40k syscalls, or 40 ms of a tracee making one call per
// microsecond.
const DefaultRingSize = 4 << 20

// Config configures an Engine.
type Config struct {
	// RingSize is the default ring size of new sessions, a power of two
	// multiple of the page size. 0 means DefaultRingSize.
	RingSize int
	// StartRingSize, when smaller than RingSize, is the ring new sessions
	// start with: a session's ring grows to RingSize when the reader finds
	// a quarter of it filled at once (grow.go). Idle sessions stay
	// small: 100 of them at 256 KiB take 25 MiB, at 4 MiB 400 MiB. 0 means
	// RingSize: no growing.
	StartRingSize int
	// IdleRingSize, when smaller than RingSize, is the ring a quiet
	// session moves to: less than a quarter of it written in 5 s. Sessions
	// can then start with RingSize, so that a busy start loses nothing,
	// while idle ones hold little kernel memory. (The daemon's RSS counts
	// only the chunks of a ring's data read lately: ring.go.) 0: no
	// shrinking.
	IdleRingSize int
	Log          *zap.Logger
	// Release, when set, takes the links of the perf-event tracepoints
	// (syscalls:sys_enter_*, kvm:kvm_exit) and their perf events when the
	// engine is closed, and must close them. Closing each waits for RCU
	// grace periods (23-80 ms each here, up to 9 of them), so a one-shot
	// eproc trace hands them to a process that closes them after it has
	// gone; their programs find no session meanwhile. Nil: the engine
	// closes them.
	Release func([]*os.File)
	// Spool, when positive, is how many bytes of records a session's
	// reader may hold ahead of its handler: the reader copies records out
	// of the ring and a goroutine of the session's hands them on
	// (spool.go), so that the ring drains at the speed of a copy, not of
	// the handler's decoding. 0: the reader calls the handler itself.
	Spool int
	// OneShot: the engine serves one session and is closed after it
	// (eproc trace). Its ring is freed when it ends, not kept for a next
	// session: keeping one costs a grace period (slots.go), which closing
	// the engine would wait for.
	OneShot bool
	// EntryTimes: the engine's first session wants entry times (strace's
	// -T, -c): sys_enter loads with the other programs, not when that
	// session starts (it is ~10k instructions to verify: the entry
	// captures are in it too, see bpf/eproc.c's entry_caps).
	EntryTimes bool
}

// Engine is the loaded set of programs and maps. One per daemon.
type Engine struct {
	log        *zap.Logger
	ringSize   int
	startRing  int
	idleRing   int
	release    func([]*os.File) // Config.Release
	oneShot    bool             // Config.OneShot
	entryTimes bool             // Config.EntryTimes
	spool      int              // Config.Spool
	events     []*os.File       // tracepoint links and perf events, for release
	objs       eprocObjects
	holder     *ebpf.Collection     // the maps behind objs' variables (load.go)
	lazy       *ebpf.CollectionSpec // lazyProgs' (load.go)

	// spare: a ring of ringSize made ahead, for the next session to grow
	// into: allocating 4 MiB takes a few ms, which is when a busy
	// session's small ring overflows. Untouched pages: no RSS.
	spareMu   sync.Mutex
	spare     *ring
	spareDone bool // engine closed: no more spares

	mu         sync.Mutex
	links      []link.Link
	enterLink  link.Link
	stackLinks []link.Link              // stack_exit and stack_signal, while a session wants stacks (-k)
	entryTPs   []string                 // tracepoints of the entry captures (SetPlans)
	entryNrs   [MaxSyscalls / 64]uint64 // their syscalls, a bit each (SetPlans)
	entryLinks []link.Link              // their links, unless sys_enter stands in for them (wantEntryLocked)
	slots      [MaxSessions]*Session
	rings      [MaxSessions]*ring // each slot's, in the rings map; kept between sessions (slots.go)
	gens       [MaxSessions]uint32
	nlive      int
	closed     bool
	bits       []byte      // tgid_bits, mapped
	nproc      []byte      // nproc, mapped (read only)
	idle       *time.Timer // idleGrace after a session ends: reap

	// The batch flusher (batch.go), while the programs are attached.
	flushQuit, flushDone chan struct{}

	// Grace periods (slots.go): started and completed, under mu.
	gpStarted, gpDone uint64
	gpMap, gpInner    *ebpf.Map
	gpKick, gpQuit    chan struct{}
	gpStopped         chan struct{}

	spawnMu sync.Mutex // one spawner entry at a time: it is keyed by our own pid

	epochMu   sync.Mutex // userEpoch: user space's changes to traced (tracedChanged)
	userEpoch uint64

	cgroups map[uint64]*cgroupRule // traced cgroups by id, under mu (cgroup.go)

	stop stopper // startsyscall and hang (stop.go)

	// KVM exit counting (kvm.go): always attached, unlike the rest.
	kvmLink     link.Link
	kvmExitLink link.Link
	kvmOff      map[string]uint32 // kvm_exit field offsets loaded
	kvmErr      error             // the first failure to attach, logged once

	// prepareExec: the kernel has the sched_prepare_exec tracepoint (6.10+),
	// where execve's arguments are kept; otherwise the syscalls' entry
	// tracepoints keep them, at a cost to every syscall of every process.
	prepareExec bool
}

// Open loads the programs and creates the maps. Nothing is attached until
// the first session starts; idleGrace after the last one ends, nothing is.
func Open(cfg Config) (*Engine, error) {
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.RingSize == 0 {
		cfg.RingSize = DefaultRingSize
	}
	if err := checkRingSize(cfg.RingSize); err != nil {
		return nil, err
	}
	if err := rlimit.RemoveMemlock(); err != nil {
		return nil, fmt.Errorf("lift memlock limit: %w", err)
	}
	Phase("memlock")
	// A P per CPU while the engine opens (eproc trace runs on one): the
	// kernel's BTF is read beside the object and the maps, and programs
	// load on every CPU (loadPrograms); with fewer Ps a thread waits for
	// the runtime's monitor to take one back from a thread in the kernel's
	// verifier, up to 10 ms each time.
	if prev := runtime.GOMAXPROCS(0); prev < runtime.NumCPU() {
		runtime.GOMAXPROCS(runtime.NumCPU())
		defer runtime.GOMAXPROCS(prev)
	}
	// Fewer collections while it opens (the heap peaks at ~15 MB, the
	// kernel's BTF mostly): four of them took 5-10 ms of eproc trace's
	// start-up.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	types, typesReady := btf.NewCache(), make(chan struct{})
	go warmTypes(types, typesReady)
	spec, err := loadEproc()
	if err != nil {
		return nil, fmt.Errorf("load BPF spec: %w", err)
	}
	Phase("load spec")
	if err := mountTracefs(); err != nil {
		return nil, err
	}
	Phase("tracefs")
	if cfg.StartRingSize == 0 || cfg.StartRingSize > cfg.RingSize {
		cfg.StartRingSize = cfg.RingSize
	}
	if err := checkRingSize(cfg.StartRingSize); err != nil {
		return nil, err
	}
	if cfg.IdleRingSize, err = idleRingSize(cfg.IdleRingSize, cfg.RingSize); err != nil {
		return nil, err
	}
	e := &Engine{log: cfg.Log, ringSize: cfg.RingSize, startRing: cfg.StartRingSize, idleRing: cfg.IdleRingSize, release: cfg.Release, spool: max(cfg.Spool, 0), oneShot: cfg.OneShot, entryTimes: cfg.EntryTimes, prepareExec: hasTracepoint("sched", "sched_prepare_exec")}
	// No grace period has run, and none is needed for a ring no session
	// had: a kept ring waits for one past the count at its session's end.
	e.gpStarted, e.gpDone = 1, 1
	if err := e.prepare(spec); err != nil {
		return nil, err
	}
	if err := e.load(spec, types, typesReady); err != nil {
		return nil, err
	}
	// The spare ring now, not at the first session that may grow: a
	// session is then never without one, and the engine's descriptors are
	// the same before and after sessions (only rings kept for a second
	// come and go).
	e.makeSpare()
	Phase("slots, spare")
	e.mu.Lock()
	e.kvmRetryLocked()
	e.mu.Unlock()
	Phase("kvm attach")
	go e.watchKVM()
	return e, nil
}

// setSyscallNrs sets the syscall numbers the programs look for (this
// architecture's) in the object's constants.
func setSyscallNrs(spec *ebpf.CollectionSpec) error {
	consts := map[string]uint32{
		"nr_rt_sigreturn": unix.SYS_RT_SIGRETURN,
		"nr_execve":       unix.SYS_EXECVE,
		"nr_execveat":     unix.SYS_EXECVEAT,
		"nr_clone":        unix.SYS_CLONE,
		"nr_clone3":       unix.SYS_CLONE3,
		"nr_bpf":          unix.SYS_BPF,
		"nr_recvmmsg":     unix.SYS_RECVMMSG,
		"nr_pselect6":     unix.SYS_PSELECT6,
		"nr_mmap":         unix.SYS_MMAP,
		"nr_munmap":       unix.SYS_MUNMAP,
	}
	for name, v := range archNrs {
		consts[name] = v
	}
	for name, v := range consts {
		vs, ok := spec.Variables[name]
		if !ok {
			return fmt.Errorf("BPF object has no %s", name)
		}
		if err := vs.Set(v); err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
	}
	return nil
}

// idleRingSize checks an idle ring size against the full one: 0 (no
// shrinking) when it is not smaller.
func idleRingSize(idle, full int) (int, error) {
	if idle >= full || idle == 0 {
		return 0, nil
	}
	return idle, checkRingSize(idle)
}

func checkRingSize(n int) error {
	if n < os.Getpagesize() || n&(n-1) != 0 {
		return fmt.Errorf("ring size %d: must be a power of two and at least a page (%d)", n, os.Getpagesize())
	}
	return nil
}

// SetPlans installs the capture plan of each syscall number, and its cases.
// Call it before the first session: entry captures' tracepoints are attached
// with the programs.
func (e *Engine) SetPlans(plans map[uint32]wire.Plan) error {
	ncases := 0 // cases go in plans after the syscalls' slots
	var (
		caseAt, nrs []uint32
		cases, pls  []eprocPlan
		subkeys     []eprocSubkey
		entryTPs    []string
		entryNrs    [MaxSyscalls / 64]uint64
	)
	for nr, p := range plans {
		if nr >= MaxSyscalls {
			continue
		}
		if ncases += len(p.Cases); ncases > wire.MaxSubplans {
			return fmt.Errorf("plans: %d cases, the kernel's map holds %d", ncases, wire.MaxSubplans)
		}
		at := uint32(MaxSyscalls + ncases - len(p.Cases))
		for sel, c := range p.Cases {
			caseAt = append(caseAt, at)
			cases = append(cases, bpfPlan(c))
			subkeys = append(subkeys, eprocSubkey{Nr: nr, Sel: sel})
			at++
		}
		nrs = append(nrs, nr)
		pls = append(pls, bpfPlan(p))
		if p.Flags&wire.PFEntry != 0 && p.Name != "" {
			entryTPs = append(entryTPs, "sys_enter_"+p.Name)
			entryNrs[nr/64] |= 1 << (nr % 64)
		}
	}
	// The cases first: a call never meets PFSelect without them. In
	// batches: one update a plan took 8 ms in all (~1,900 of them).
	if err := putAll(e.objs.Plans, caseAt, cases); err != nil {
		return fmt.Errorf("plans' cases: %w", err)
	}
	if err := putAll(e.objs.Subplans, subkeys, caseAt); err != nil {
		return fmt.Errorf("plans' cases: %w", err)
	}
	if err := putAll(e.objs.Plans, nrs, pls); err != nil {
		return fmt.Errorf("plans: %w", err)
	}
	e.mu.Lock()
	e.entryTPs = entryTPs
	e.entryNrs = entryNrs
	e.mu.Unlock()
	return nil
}

// putAll puts values[i] under keys[i] in m: in one batch, or one by one on
// a kernel without batches for m's kind.
func putAll[K, V any](m *ebpf.Map, keys []K, values []V) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := m.BatchUpdate(keys, values, nil)
	if !errors.Is(err, ebpf.ErrNotSupported) {
		return err
	}
	for i := range keys {
		if err := m.Put(keys[i], values[i]); err != nil {
			return fmt.Errorf("key %v: %w", keys[i], err)
		}
	}
	return nil
}

// Close detaches everything and frees the maps. Sessions still running end
// at once (their readers get what was already in the ring).
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	var live []*Session
	for _, s := range e.slots {
		if s != nil {
			live = append(live, s)
		}
	}
	e.mu.Unlock()
	for _, s := range live {
		s.Close()
	}
	Phase("close: sessions")
	e.stopSlots()
	Phase("close: slots")
	e.mu.Lock()
	e.detachLocked()
	e.detachKVMLocked()
	if len(e.events) > 0 {
		e.release(e.events)
		e.events = nil
	}
	e.mu.Unlock()
	Phase("close: detach")
	e.spareMu.Lock()
	e.spareDone = true
	if e.spare != nil {
		e.spare.close()
		e.spare = nil
	}
	e.spareMu.Unlock()
	unix.Munmap(e.bits)
	unix.Munmap(e.nproc)
	e.closeStops()
	Phase("close: spare")
	err := e.objs.Close()
	e.holder.Close()
	return err
}

// attachLocked attaches the programs for a first session. The entry side
// (sys_enter, the entry captures' tracepoints) is wantEntryLocked's,
// once the session is in its slot.
func (e *Engine) attachLocked() error {
	if len(e.links) > 0 {
		return nil
	}
	// Process events first, so that no child forked meanwhile is missed;
	// sched_migrate_task before sched_switch, which leaves batches to it;
	// sys_exit last.
	progs := []*ebpf.Program{
		e.objs.SchedProcessFork, e.objs.SchedProcessExit, e.objs.SchedProcessExec,
		e.objs.SignalDeliver, e.objs.SignalGenerate, e.objs.SchedMigrateTask, e.objs.SchedSwitch,
	}
	for _, p := range progs {
		l, err := link.AttachTracing(link.TracingOptions{Program: p})
		if err != nil {
			e.detachLocked()
			return fmt.Errorf("attach %v: %w", p, err)
		}
		e.links = append(e.links, l)
	}
	if e.prepareExec {
		l, err := link.AttachTracing(link.TracingOptions{Program: e.objs.SchedPrepareExec})
		if err != nil {
			e.detachLocked()
			return fmt.Errorf("attach sched_prepare_exec: %w", err)
		}
		e.links = append(e.links, l)
	}
	for name, p := range map[string]*ebpf.Program{"sys_enter_execve": e.objs.ExecveEnter, "sys_enter_execveat": e.objs.ExecveatEnter} {
		if e.prepareExec {
			break
		}
		l, err := link.Tracepoint("syscalls", name, p, nil)
		if err != nil {
			e.detachLocked()
			return fmt.Errorf("attach syscalls:%s: %w", name, err)
		}
		e.links = append(e.links, l)
	}
	l, err := link.AttachTracing(link.TracingOptions{Program: e.objs.SysExit})
	if err != nil {
		e.detachLocked()
		return fmt.Errorf("attach sys_exit: %w", err)
	}
	e.links = append(e.links, l)
	e.startFlusher()
	return nil
}

// closeLinkLocked detaches l. With Config.Release, a tracepoint's link and
// its perf event are kept open for it instead (Close hands them over):
// closing either waits for grace periods (23-80 ms each here).
func (e *Engine) closeLinkLocked(l link.Link) {
	pe, ok := l.(link.PerfEvent)
	lf, ok2 := l.(interface{ FD() int })
	if ok && ok2 && e.release != nil {
		if f, err := pe.PerfEvent(); err == nil {
			if fd, err := unix.FcntlInt(uintptr(lf.FD()), unix.F_DUPFD_CLOEXEC, 0); err == nil {
				// Both outlive l.Close, which then releases nothing.
				e.events = append(e.events, os.NewFile(uintptr(fd), "bpf-link"), f)
			} else {
				f.Close()
			}
		}
	}
	l.Close()
}

func (e *Engine) detachLocked() {
	for _, l := range e.links {
		e.closeLinkLocked(l)
	}
	e.links = nil
	for _, l := range e.entryLinks {
		e.closeLinkLocked(l)
	}
	e.entryLinks = nil
	e.stopFlusher()
	if e.enterLink != nil {
		e.enterLink.Close()
		e.enterLink = nil
	}
	for _, l := range e.stackLinks {
		l.Close()
	}
	e.stackLinks = nil
	// No session is live and no program sets bits: start afresh, so that
	// bits of processes gone do not pile up.
	clear(e.bits)
}

// markTraced sets tgid's bit in tgid_bits (see bpf/eproc.c), before its
// entry goes into the traced map.
func (e *Engine) markTraced(tgid uint32) {
	w := int(tgid>>6) * 8
	if w+8 > len(e.bits) {
		return // past PID_MAX_LIMIT: the programs let it through to the hash
	}
	atomic.OrUint64((*uint64)(unsafe.Pointer(&e.bits[w])), 1<<(tgid&63))
}

// wantLocked attaches the programs the live sessions want beside the
// others (sys_enter, stack_exit), and detaches those none wants.
func (e *Engine) wantLocked() {
	if err := e.wantEntryLocked(); err != nil {
		e.log.Warn("no entry times", errField(err))
	}
	if err := e.wantStackLocked(); err != nil {
		e.log.Warn("no stacks", errField(err))
	}
}

// loadStackLocked loads stack_exit and stack_signal (lazyProgs) for a
// session that wants stacks, before it goes live: one the programs cannot
// serve fails.
func (e *Engine) loadStackLocked(want bool) error {
	if !want || e.objs.StackSignal != nil {
		return nil
	}
	return e.loadLazyInto(lazyProg{"stack_exit", &e.objs.StackExit}, lazyProg{"stack_signal", &e.objs.StackSignal})
}

// wantedLocked says whether some live session's configuration wants what
// f asks for.
func (e *Engine) wantedLocked(f func(*SessionConfig) bool) bool {
	for _, s := range e.slots {
		if s != nil && f(&s.cfg) {
			return true
		}
	}
	return false
}

// wantStackLocked attaches stack_exit and stack_signal while some
// session wants stacks (strace -k). Attached after sys_exit and
// signal_deliver (attachLocked runs first), each runs after its
// tracepoint's other program, so its record follows the call's or the
// signal's.
func (e *Engine) wantStackLocked() error {
	need := e.wantedLocked(func(c *SessionConfig) bool { return c.Stack })
	switch {
	case need && e.stackLinks == nil:
		if err := e.loadStackLocked(true); err != nil {
			return err
		}
		for _, p := range []*ebpf.Program{e.objs.StackExit, e.objs.StackSignal} {
			l, err := link.AttachTracing(link.TracingOptions{Program: p})
			if err != nil {
				for _, l := range e.stackLinks {
					l.Close()
				}
				e.stackLinks = nil
				return fmt.Errorf("attach %v: %w", p, err)
			}
			e.stackLinks = append(e.stackLinks, l)
		}
	case !need && e.stackLinks != nil:
		for _, l := range e.stackLinks {
			l.Close()
		}
		e.stackLinks = nil
	}
	return nil
}

// mountTracefs makes sure tracefs is mounted: syscall tracepoints are
// found through it.
func mountTracefs() error {
	for _, dir := range tracefsDirs {
		if _, err := os.Stat(dir + "/events/syscalls"); err == nil {
			return nil
		}
	}
	if err := unix.Mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, ""); err != nil {
		return fmt.Errorf("mount tracefs at /sys/kernel/tracing: %w", err)
	}
	return nil
}

// Attached reports whether the programs are attached: while a session is
// live, and for idleGrace after the last one ended.
func (e *Engine) Attached() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.links) > 0
}

// Sessions returns the live sessions.
func (e *Engine) Sessions() []*Session {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []*Session
	for _, s := range e.slots {
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// TracedBy returns the session tracing process tgid, if any.
func (e *Engine) TracedBy(tgid int) *Session {
	var t eprocTracee
	if err := e.objs.Traced.Lookup(uint32(tgid), &t); err != nil {
		return nil
	}
	if t.Flags&(TFSpawner|TFWaitExec) != 0 || t.Sid >= MaxSessions {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.slots[t.Sid]
	if s == nil || s.gen != t.Gen {
		return nil
	}
	return s
}

// TracedPids lists every traced process with its session id.
func (e *Engine) TracedPids() map[int]uint32 {
	out := map[int]uint32{}
	var k uint32
	var v eprocTracee
	var all []eprocTracee
	var pids []uint32
	it := e.objs.Traced.Iterate()
	for it.Next(&k, &v) {
		if v.Flags&(TFSpawner|TFWaitExec) == 0 && v.Sid < MaxSessions {
			all = append(all, v)
			pids = append(pids, k)
		}
	}
	// Entries an ended session left (a fork that raced with its Close)
	// trace nothing.
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, v := range all {
		if s := e.slots[v.Sid]; s != nil && s.gen == v.Gen {
			out[int(pids[i])] = v.Sid
		}
	}
	return out
}

// MapEntries reports how many entries the traced map holds (for leak tests).
func (e *Engine) MapEntries() int {
	n := 0
	var k uint32
	var v eprocTracee
	it := e.objs.Traced.Iterate()
	for it.Next(&k, &v) {
		n++
	}
	return n
}

func ncpu() int {
	n, err := ebpf.PossibleCPU()
	if err != nil {
		return runtime.NumCPU()
	}
	return n
}

func errField(err error) zap.Field  { return zap.Error(err) }
func sidField(sid uint32) zap.Field { return zap.Uint32("session", sid) }
