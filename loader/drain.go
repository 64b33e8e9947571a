package loader

import (
	"sort"
	"sync/atomic"
	"time"
	"unsafe"
)

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
	// With a spool (Config.Spool): the most bytes of records it held at
	// once (how far the handler fell behind the ring's reader), and the
	// time the handler took (Busy is then the reader's alone).
	MaxSpooled int
	Handling   time.Duration
	// Passes that handed records through the spool (from some record
	// on: the reader hands them to the handler itself while it keeps up,
	// a Roomy handler's).
	Spooled uint64
}

// Reading is the reader's account so far.
func (s *Session) Reading() Reading {
	r := Reading{Passes: s.passes.Load(), Woken: s.woken.Load(), Records: s.records.Load(),
		Bytes: s.bytes.Load(), Busy: time.Duration(s.busy.Load()),
		MaxPass: time.Duration(s.maxPass.Load()), MaxBacklog: uint64(s.maxBacklog.Load())}
	if sp := s.spool.Load(); sp != nil {
		r.MaxSpooled, r.Handling = sp.stats()
		r.Spooled = s.spooledPasses.Load()
	}
	return r
}

// Poll bounds: how long a reader sleeps between looks at a ring that did not
// wake it. Producers wake it only when a ring is a quarter full.
const (
	minPoll = 2 * time.Millisecond
	maxPoll = 100 * time.Millisecond
)

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
	var sp *spool
	if s.e.spool > 0 {
		sp = newSpool(h, s.e.spool)
		s.spool.Store(sp)
	}
	poll := minPoll
	ending := false
	for {
		read, grew := s.pass(h, sp, ending)
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
			s.e.flushSession(s.sid, s.gen)
			ending = true // one more pass: everything is in the ring now
			continue
		}
		// Batches of 1/32 to 1/8 of the ring: a session that fills less
		// is read less often (down to every maxPoll), one that fills
		// more, more often. (A producer wakes the reader whenever one CPU
		// wrote a quarter of the ring, whatever the poll.)
		switch {
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
	sp.quiesceIf() // from here on the reader calls h itself
	s.replay(h)    // a recorder nobody asked for: its records now
	s.handHeldExits(h)
	s.release()
	runSyncs(s.takeSyncs(true)) // the ring is drained and its processes gone
	if sp != nil {
		sp.close() // keeps its account, drops its buffers
	}
	return s.final
}

// pass reads what the ring holds, hands it to h (through sp, if any) and
// then the functions Sync queued before it. It returns the bytes it
// consumed and whether the session moved to another ring.
func (s *Session) pass(h Handler, sp *spool, ending bool) (read uint64, grew bool) {
	// Functions queued before this pass run after it: every record
	// made before their Sync is in the ring by now.
	q := s.takeSyncs(false)
	if len(q) > 0 {
		s.e.flushSession(s.sid, s.gen) // the CPUs' batches too
	}
	if s.liveReq.Load() {
		sp.quiesceIf()
		s.replay(h) // the recorded records, before the ring's
	}
	c0 := s.r.rd.consumed()
	t0 := time.Now()
	storeMax(&s.maxBacklog, int64(s.r.rd.backlog()))
	ph, dh := s.handlerNow(h, sp)
	n, grew := s.drainAll(ph, ending)
	if dh != nil && dh.spooled {
		s.spooledPasses.Add(1)
		sp.Idle()
		sp.syncs(q)
	} else {
		h.Idle()
		runSyncs(q)
	}
	s.passes.Add(1)
	s.records.Add(uint64(n))
	read = s.r.rd.consumed() - c0
	if !grew {
		s.bytes.Add(read)
	}
	now := time.Now()
	s.busy.Add(uint64(now.Sub(t0)))
	storeMax(&s.maxPass, int64(now.Sub(t0)))
	if s.growing == nil {
		s.r.rd.unmapIdle(now)
	}
	return read, grew
}

// handlerNow is the handler of this pass's records: h; or with a spool,
// dh, which hands them to h itself or through the spool (dh.spooled when
// any went through it); or while the session records, its notices of
// processes' ends (record.go), handed to h directly (after what the spool
// held).
func (s *Session) handlerNow(h Handler, sp *spool) (ph Handler, dh *direct) {
	if s.recording.Load() {
		sp.quiesceIf()
		return notices{h}, nil
	}
	if sp != nil {
		dh = &s.dh
		*dh = direct{h: h, sp: sp, s: s, spooled: !s.mayHandle(h, sp)}
		h = dh
	}
	if len(s.echoes) > 0 {
		return echoes{h, s.echoes}, dh
	}
	return h, dh
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

// behind reports whether an eighth of the session's ring or more waits to
// be read: then Run reads again at once, instead of after its poll.
func (s *Session) behind() bool {
	if s.r.rd.backlog() >= uint64(s.r.size/8) {
		return true
	}
	g := s.growing
	return g != nil && g.r.rd.backlog() >= uint64(g.r.size/8)
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
