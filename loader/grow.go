package loader

import "time"

// quietFor is how long a session's ring must see little traffic (less than
// a quarter of its idle ring) before it moves to its idle ring. A variable
// for tests.
var quietFor = 5 * time.Second

// growth is another ring on its way into the rings map, in the session's
// slot (bigger when the session is busy, smaller when quiet): done gets the
// map update's result.
type growth struct {
	r    *ring
	done chan error
}

// drainAll hands over what the session's ring holds, and grows it: when a
// drain finds a quarter of a small ring filled, or unread as it reads, a
// ring of cfg.RingSize is put into the session's slot of the rings map,
// aside (the update returns after an RCU grace period, after which no
// program still writes to the old ring). It shrinks it the same way, to
// cfg.IdleRingSize, when the session is quiet (see quiet). Meanwhile both
// rings are read, the old one first; then the old one is drained a last
// time, the new one too, and the session goes on with the new one (grew),
// the old one closed. With last (the session is ending), it waits for an
// update in flight, and starts none.
//
// Order per thread: once a thread's program has used the new ring, none of
// its later ones uses the old one. So the new ring is read only up to where
// it was before the old one's drain, and only when that drain was complete
// (no record still being written stopped it): every record a thread wrote
// to the old ring before one that is read from the new ring has been read.
func (s *Session) drainAll(h Handler, last bool) (n int, grew bool) {
	g := s.growing
	if g == nil {
		grow := !last && !s.noGrow && s.r.size < s.cfg.RingSize
		if grow {
			// A quarter of the ring unread during the pass: grow now.
			s.r.rd.full, s.r.rd.fullAt = func() { s.startGrow(s.cfg.RingSize) }, uint64(s.r.size/4)
		}
		n, _, bytes := s.r.rd.drainTo(h.Record, noLimit)
		s.r.rd.full = nil
		if !last && !s.noGrow && s.growing == nil {
			if grow && bytes >= uint64(s.r.size/4) {
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
	if !s.recording.Load() { // a recording session has no reader to wake: 0 says so
		s.scfg.WakeEvery = s.wakeFor(g.r.size)
	}
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
