package procview

import (
	"strings"

	"github.com/eproc/eproc/loader"
)

// The view's numbers, for metrics: read when asked (a scrape), from the
// counters the view and the engine keep anyway; nothing is counted on the
// way of a record for them.

// SessionStats are a live session's numbers.
type SessionStats struct {
	ID   uint32
	Pid  int    // the process it was started on
	Mode string // "straceall" (children join) or "straceme"; "recordall" or "record" for a recorder's
	loader.Stats
	// Skipped: calls of the stream's own readers, counted in Seen but
	// left out of the stream (and of its hang-up line's count).
	Skipped   uint64
	RingBytes int   // its ring's size now
	Readers   int   // open strace files reading it
	Procs     int64 // its processes still running
}

// Totals add up sessions' counters.
type Totals struct {
	Sessions uint64 // how many
	loader.Stats
	Skipped uint64
}

func (t *Totals) add(s SessionStats) {
	t.Sessions++
	t.Seen += s.Seen
	t.Dropped += s.Dropped
	t.Lost += s.Lost
	t.Skipped += s.Skipped
}

// Stats are the view's numbers.
type Stats struct {
	Live []SessionStats // the sessions not yet ended, by start
	// Ended adds up the sessions that ended: Ended plus Live is every
	// session the view ran.
	Ended Totals
	// Readers: open strace files, of live sessions and of ended ones
	// still being read.
	Readers  int
	FuseOps  []FuseOpCount  // requests answered, by operation
	FuseErrs []FuseErrCount // requests answered with an error
}

// sessionTally is the sessions the view runs, each in live from its start
// (newStream) until its stream has ended (run), then added to ended, in
// one step under the view's lock: a snapshot counts every session once.
type sessionTally struct {
	live  []*stream
	ended Totals
}

func (t *sessionTally) start(st *stream) { t.live = append(t.live, st) }

func (t *sessionTally) end(st *stream) {
	for i, s := range t.live {
		if s == st {
			t.live = append(t.live[:i], t.live[i+1:]...)
			t.ended.add(st.counts()) // the session's final ones: no lock taken
			return
		}
	}
}

// counts reads a stream's counters (its session's final ones once ended).
func (st *stream) counts() SessionStats {
	mode := "straceme"
	if st.inherit.Load() {
		mode = "straceall"
	}
	if st.rec != nil {
		mode = strings.Replace(mode, "strace", "record", 1) // record, recordall
	}
	return SessionStats{ID: st.sess.ID(), Pid: st.root, Mode: mode, Stats: st.sess.Stats(), Skipped: st.skippedCalls.Load()}
}

// stats reads a stream's numbers.
func (st *stream) stats() SessionStats {
	s := st.counts()
	s.RingBytes = st.sess.RingSize()
	s.Readers = st.q.Readers()
	s.Procs = st.sess.Alive()
	return s
}

// Stats reads the view's numbers. Counters never go back: a session's
// counters are read after it was found live, so the ended total that
// takes it over later holds at least as much.
func (v *View) Stats() Stats {
	v.mu.Lock()
	live := append([]*stream(nil), v.tally.live...)
	out := Stats{Ended: v.tally.ended}
	for _, st := range v.ended {
		out.Readers += st.q.Readers()
	}
	v.mu.Unlock()
	for _, st := range live {
		s := st.stats()
		out.Live = append(out.Live, s)
		out.Readers += s.Readers
	}
	out.FuseOps, out.FuseErrs = v.fuseOps.snapshot()
	return out
}
