package strace

// The calls shown `<unfinished ...>` (Text.unfinished), by thread: a
// returned call looks for its thread among them, to print its `<...
// resumed>` line. A stream mostly has a few, for long (a thread blocked
// in pthread_join, a poll loop), and every call of every other thread
// would look them up in vain; unfinBits, a bit by thread (tid % 64) set
// for each of them, tells most of those calls that they need not.

// setUnfinished notes tid's call nr shown unfinished.
func (t *Text) setUnfinished(tid, nr uint32) {
	t.unfinished[tid] = nr
	t.unfinBits |= 1 << (tid % 64)
}

// dropUnfinished drops tid's unfinished call; with few left, the filter
// is made again from them (with more, a thread's bit stays set: a
// lookup in vain, as without the filter).
func (t *Text) dropUnfinished(tid uint32) {
	delete(t.unfinished, tid)
	if len(t.unfinished) <= 8 {
		t.unfinBits = 0
		for tid := range t.unfinished {
			t.unfinBits |= 1 << (tid % 64)
		}
	}
}

// maybeUnfinished says whether tid may have an unfinished call, or be
// the thread handed one (for resumed to tell).
func (t *Text) maybeUnfinished(tid uint32) bool {
	return len(t.unfinished) > 0 && (t.unfinBits&(1<<(tid%64)) != 0 || t.handed && t.handedTid == tid)
}

// unfinishedCall is the call tid was shown in unfinished, if any. Most
// streams have none: the map is not looked at then.
func (t *Text) unfinishedCall(tid uint32) (nr uint32, ok bool) {
	if len(t.unfinished) == 0 {
		return 0, false
	}
	nr, ok = t.unfinished[tid]
	return nr, ok
}

// resumed prints the `<... resumed>` line of c, if c's thread was shown
// in c unfinished, and says whether it did; else it forgets the thread's
// unfinished call (a resumption lost).
func (t *Text) resumed(c *Call, e *Sysent, s *sig, n int) bool {
	nr, ok := t.unfinished[c.Tid]
	if !ok {
		// forgetUnfinished, but for the delete of nothing.
		if t.handed && t.handedTid == c.Tid {
			t.handed = false
		}
		return false
	}
	t.forgetUnfinished(c.Tid)
	if nr != c.Nr {
		return false
	}
	p := &t.p
	t.leader(c.Tid, resumedAt(c), c.ExitIP)
	p.s("<... ")
	syscallName(p, e, c.Nr)
	p.s(" resumed>")
	if split := s.split(c, n); split < n {
		p.exitArgs(s, c, split, n)
	}
	return true
}

// forgetUnfinished drops tid's unfinished call. Most streams have none, and
// a delete from an empty map still hashes the key: skip it then.
func (t *Text) forgetUnfinished(tid uint32) {
	if len(t.unfinished) > 0 {
		t.dropUnfinished(tid)
		if t.handed && t.handedTid == tid {
			t.handed = false
		}
	}
}
