package loader

import (
	"fmt"
	"time"

	"github.com/cilium/ebpf"
)

// Session slots and their rings.
//
// A session's ring goes into the rings map (a map of maps) under its slot,
// and putting a map into or out of a map of maps waits for an RCU grace
// period: 10-25 ms, which every session's start and end used to pay. So
// when a session ends its ring stays in the map, and the next session in
// the slot takes it, emptied. That is safe once no BPF program still
// running for the old session can write to it: the slot's configuration
// is cleared at once (no tracee has generation 0), and a grace period later
// no program that saw the old one is still running. A goroutine runs grace
// periods while rings wait for one, so a session seldom waits for one
// itself (when all the rings it may keep are waiting).
//
// Likewise detaching the programs takes ~150 ms (fentry trampolines): with
// nothing traced they stay attached for idleGrace more, so that sessions
// started back to back do not each attach and detach them. After idleGrace
// without a session ending, the kept rings are freed and, with no session
// live, every program is detached.

// idleGrace is how long programs stay attached and rings kept after the
// last session ends.
const idleGrace = time.Second

// maxKeptRings and maxKeptBytes bound the rings kept with no session. A
// session that would need a ring beyond them waits for a grace period to
// take a kept one (a new ring costs one too, to put in the map); past them
// (many sessions ended together), a ring is freed when its session ends.
// Each ring holds 3 fds.
const (
	maxKeptRings = 16
	maxKeptBytes = 32 << 20
)

// reaping marks a kept ring being freed: no session may take it.
const reaping = ^uint64(0)

// startSlots creates the map used to wait for grace periods and starts the
// goroutine that runs them.
func (e *Engine) startSlots() error {
	inner := &ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 4, MaxEntries: 1}
	var err error
	if e.gpInner, err = ebpf.NewMap(inner); err != nil {
		return fmt.Errorf("grace period map: %w", err)
	}
	e.gpMap, err = ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.ArrayOfMaps, KeySize: 4, ValueSize: 4, MaxEntries: 1, InnerMap: inner})
	if err != nil {
		e.gpInner.Close()
		return fmt.Errorf("grace period map: %w", err)
	}
	e.gpKick = make(chan struct{}, 1)
	e.gpQuit = make(chan struct{})
	e.gpStopped = make(chan struct{})
	go e.graces()
	return nil
}

// stopSlots stops the grace period goroutine and frees the kept rings. The
// engine is closed: sessions still live free their rings when they end.
func (e *Engine) stopSlots() {
	close(e.gpQuit)
	<-e.gpStopped
	e.mu.Lock()
	if e.idle != nil {
		e.idle.Stop()
	}
	for sid, r := range e.rings {
		if r != nil && e.slots[sid] == nil {
			r.close()
			e.rings[sid] = nil
		}
	}
	e.mu.Unlock()
	e.gpMap.Close()
	e.gpInner.Close()
}

// graces runs a grace period whenever rings wait for one.
func (e *Engine) graces() {
	defer close(e.gpStopped)
	for {
		select {
		case <-e.gpKick:
			e.grace()
		case <-e.gpQuit:
			return
		}
	}
}

// grace returns after an RCU grace period: every BPF program that was
// running when it was called has returned. Putting a map into a map of
// maps waits for one; this map exists for that.
func (e *Engine) grace() error {
	e.mu.Lock()
	e.gpStarted++
	n := e.gpStarted
	e.mu.Unlock()
	err := e.gpMap.Put(uint32(0), e.gpInner)
	e.mu.Lock()
	if err == nil && n > e.gpDone {
		e.gpDone = n
	}
	e.mu.Unlock()
	return err
}

// slotLocked picks a free slot for a session with a ring of size bytes: one
// whose kept ring fits, else one whose kept ring is replaced, else one
// without a ring (grow: another ring to keep). Slots whose ring waits for a
// grace period are left alone; waiting says there are some. -1: no slot.
func (e *Engine) slotLocked(size int) (sid int, grow, waiting bool) {
	other, empty := -1, -1
	for i, s := range e.slots {
		if s != nil {
			continue
		}
		switch r := e.rings[i]; {
		case r == nil:
			if empty < 0 {
				empty = i
			}
		case r.gp >= e.gpDone:
			waiting = true
		case r.size == size:
			return i, false, false
		case other < 0:
			other = i
		}
	}
	if other >= 0 {
		return other, false, waiting
	}
	return empty, empty >= 0, waiting
}

// roomLocked says whether a ring of size bytes more may be kept.
func (e *Engine) roomLocked(size int) bool {
	n, bytes := e.keptLocked()
	return n < maxKeptRings && bytes+size <= maxKeptBytes
}

// ringLocked readies slot sid's ring for a new session: the kept one,
// emptied, or a new one put in its place.
func (e *Engine) ringLocked(sid uint32, size int) (*ring, error) {
	if r := e.rings[sid]; r != nil && r.size == size {
		r.rd.reset()
		return r, nil
	}
	r, err := newRing(size)
	if err != nil {
		return nil, err
	}
	if err := e.objs.Rings.Put(sid, r.m); err != nil {
		r.close()
		return nil, fmt.Errorf("install ring: %w", err)
	}
	if old := e.rings[sid]; old != nil {
		old.close()
	}
	e.rings[sid] = r
	return r, nil
}

// keepLocked keeps the ring of slot sid, whose session has ended (or never
// started), for the next session there.
func (e *Engine) keepLocked(sid uint32) {
	r := e.rings[sid]
	if r == nil {
		return
	}
	if e.closed || e.oneShot {
		// Left in the rings map until the engine closes: no grace period
		// to wait for. Its session's configuration is cleared (gen 0):
		// no program writes to it.
		if !e.closed {
			e.objs.Sessions.Put(sid, eprocSessCfg{})
		}
		r.close()
		e.rings[sid] = nil
		return
	}
	n, bytes := e.keptLocked()
	if err := e.objs.Sessions.Put(sid, eprocSessCfg{}); err != nil || n > maxKeptRings || bytes > maxKeptBytes {
		e.objs.Rings.Delete(sid) // waits for a grace period: nothing writes to it after
		r.close()
		e.rings[sid] = nil
		return
	}
	r.gp = e.gpStarted
	select {
	case e.gpKick <- struct{}{}:
	default:
	}
	if e.idle == nil {
		e.idle = time.AfterFunc(idleGrace, e.reap)
	} else {
		e.idle.Reset(idleGrace)
	}
}

// primedRing is primeRing's outcome: the ring in slot 0, or nil.
type primedRing struct{ r *ring }

// primeRing puts a ring of the first session's size in slot 0 of the rings
// map, in the background: the grace period that costs (10-25 ms) passes
// while the programs load, not when the first session starts. The first
// session takes it as a kept ring. Nil when it cannot be made (the session
// then makes its own).
func (e *Engine) primeRing(rings *ebpf.Map) chan primedRing {
	c := make(chan primedRing, 1)
	go func() {
		r, err := newRing(e.startRing)
		if err == nil {
			if err = rings.Put(uint32(0), r.m); err != nil {
				r.close()
				r = nil
			}
		}
		if err != nil {
			e.log.Warn("ring for the first session", errField(err))
		}
		c <- primedRing{r}
	}()
	return c
}

// keptLocked is how many rings are kept with no session, and their bytes.
func (e *Engine) keptLocked() (n, bytes int) {
	for sid, r := range e.rings {
		if r != nil && e.slots[sid] == nil {
			n++
			bytes += r.size
		}
	}
	return n, bytes
}

// reap runs idleGrace after the last session ended: it frees the kept
// rings and, with no session live, detaches the programs.
func (e *Engine) reap() {
	e.mu.Lock()
	var drop []uint32
	for sid, r := range e.rings {
		if r != nil && e.slots[sid] == nil && !e.closed {
			r.gp = reaping
			drop = append(drop, uint32(sid))
		}
	}
	e.mu.Unlock()
	for _, sid := range drop {
		e.objs.Rings.Delete(sid) // a grace period each: not under e.mu
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, sid := range drop {
		if r := e.rings[sid]; r != nil && e.slots[sid] == nil {
			r.close()
			e.rings[sid] = nil
		}
	}
	if e.nlive == 0 && !e.closed {
		e.detachLocked()
	}
}

// Rings reports how many ring buffers exist: the live sessions' and those
// kept for the next (for leak tests).
func (e *Engine) Rings() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, r := range e.rings {
		if r != nil {
			n++
		}
	}
	return n
}

// takeRing returns a new ring of size bytes, not in the rings map: the
// spare when it fits (and then another spare is made, aside).
func (e *Engine) takeRing(size int) (*ring, error) {
	e.spareMu.Lock()
	r := e.spare
	if r != nil && r.size == size {
		e.spare = nil
	} else {
		r = nil
	}
	e.spareMu.Unlock()
	go e.makeSpare() // the next one (none when the spare is still there)
	if r == nil {
		return newRing(size)
	}
	return r, nil
}

// makeSpare makes the spare ring, when sessions can grow and there is none.
func (e *Engine) makeSpare() {
	if e.startRing >= e.ringSize && e.idleRing == 0 {
		return
	}
	e.spareMu.Lock()
	defer e.spareMu.Unlock()
	if e.spare != nil || e.spareDone {
		return
	}
	r, err := newRing(e.ringSize)
	if err != nil {
		e.log.Warn("spare ring", errField(err))
		return
	}
	e.spare = r
}
