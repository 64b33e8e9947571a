package loader

import (
	"sync"
	"time"
	"unsafe"
)

// A spool stands between a session's ring and its handler (Config.Spool):
// the session's reader copies each record into it, and a goroutine of its
// own hands them to the handler, in the same order, with the Idle calls
// and Sync functions where the reader met them.
//
// Why: without it the reader decodes each record before it reads the
// next, so the ring drains only as fast as the handler makes text. The
// view daemon's handler takes 200-450 ns a record of dd bs=1 (a record
// every ~450 ns), on a CPU shared with the FUSE reads, the reader's cat
// and anything else the machine runs: a run in which it got a little less
// CPU than dd for some tens of ms filled an 8 MiB ring and dropped 70,000
// records, though the daemon had, over the run, CPU to spare. Reading a
// record into the spool costs a third to a quarter of decoding it (dd's
// 1,000,000 records: the reader busy 50-100 ms, the handler 200-360 ms),
// so the ring drains several times faster than dd fills it, and the
// handler catches up from memory the daemon holds only while it is behind.
//
// A Roomy handler (procview's stream) gets the records from the reader
// itself while the reader keeps up, and through the spool only from the
// record at which the ring holds a quarter of its size until the spool is
// empty again (direct, below).
//
// The spool is bounded (Config.Spool bytes of records): when it is full
// the reader waits for the handler, and the ring fills and counts its
// drops as before. A session that records (the flight recorder) hands its
// records over directly: its handler asks the session for the recorder's
// state (RecordedOf), which must be the state of the record it handles.
type spool struct {
	h     Handler
	limit int

	mu      sync.Mutex
	cond    *sync.Cond // held work or freed room
	msgs    []spoolMsg
	held    int  // bytes of records in msgs and in hand
	closed  bool // no more messages
	pending int  // messages sent and not yet handled

	// The reader's chunk: records from sent on are the next message's.
	// A message is a piece of a chunk, so a pass that read a few records
	// does not take a chunk of its own: a busy session makes a message
	// every pass, and a chunk each took (cleared, then collected) was
	// ~12% of the view daemon's CPU on the threads workload.
	cur  []byte
	sent int
	free [][]byte // handled chunks, for reuse (under mu)

	done chan struct{}

	maxHeld  int           // the most bytes held at once
	handling time.Duration // time the handler spent on the messages
}

type spoolMsg struct {
	buf   []byte // entries: a spoolEnt header, then the record, padded to 8
	idle  bool   // then Idle
	syncs []func()
	// chunk: the reader is done with it, and buf (if any) is its last
	// piece; handled, it may be reused.
	chunk []byte
}

// spoolEnt heads a record in a message: its length, and whether it goes
// to the handler's Record or (a recorder's notice) its Mourner's Ended.
type spoolEnt struct {
	n     uint32
	ended uint32
}

const (
	spoolEntSize = int(unsafe.Sizeof(spoolEnt{}))
	// spoolChunk: the size of the buffers records are copied into; a
	// message is sent when one is full, or at the end of the reader's
	// pass.
	spoolChunk = 256 << 10
)

// spoolFree: buffers a spool keeps for reuse once handled; the rest go
// to the garbage collector, so a session that fell behind once does not
// keep what it held then, and an ended session keeps nothing.
const spoolFree = 2

func newSpool(h Handler, limit int) *spool {
	sp := &spool{h: h, limit: max(limit, 2*spoolChunk), done: make(chan struct{})}
	sp.cond = sync.NewCond(&sp.mu)
	go sp.run()
	return sp
}

func (sp *spool) newBuf() []byte {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if n := len(sp.free); n > 0 {
		b := sp.free[n-1]
		sp.free = sp.free[:n-1]
		return b
	}
	return make([]byte, 0, spoolChunk)
}

// Record copies rec into the spool (the reader's side of Handler).
func (sp *spool) Record(rec []byte) { sp.put(rec, 0) }

// Ended copies a recorder's notice (Mourner): handed to the handler's
// Ended, if it has one.
func (sp *spool) Ended(rec []byte) { sp.put(rec, 1) }

func (sp *spool) put(rec []byte, ended uint32) {
	need := spoolEntSize + (len(rec)+7)&^7
	if len(sp.cur)+need > cap(sp.cur) {
		if sp.cur != nil {
			sp.send(spoolMsg{chunk: sp.cur})
		}
		if sp.cur = sp.newBuf(); need > cap(sp.cur) {
			sp.cur = make([]byte, 0, need)
		}
	}
	off := len(sp.cur)
	sp.cur = sp.cur[:off+need]
	*(*spoolEnt)(unsafe.Pointer(&sp.cur[off])) = spoolEnt{n: uint32(len(rec)), ended: ended}
	copy(sp.cur[off+spoolEntSize:], rec)
	if len(sp.cur) >= spoolChunk {
		sp.send(spoolMsg{chunk: sp.cur})
	}
}

// Idle ends the reader's pass: what it read goes to the handler, then
// the handler's Idle.
func (sp *spool) Idle() { sp.send(spoolMsg{idle: true}) }

// syncs runs q in the handler's goroutine after the records before it.
func (sp *spool) syncs(q []func()) {
	if len(q) > 0 {
		sp.send(spoolMsg{syncs: q})
	}
}

// send queues m with the records copied since the last message, waiting
// while the spool holds its limit (and the handler something to free).
// With m.chunk the reader leaves its chunk; the next record takes another.
func (sp *spool) send(m spoolMsg) {
	n := len(sp.cur) - sp.sent
	if n > 0 {
		m.buf = sp.cur[sp.sent:len(sp.cur):len(sp.cur)]
	}
	if m.chunk != nil {
		sp.cur, sp.sent = nil, 0
	} else {
		sp.sent = len(sp.cur)
	}
	sp.mu.Lock()
	for sp.held > 0 && sp.held+n > sp.limit {
		sp.cond.Wait()
	}
	sp.msgs = append(sp.msgs, m)
	sp.held += n
	sp.maxHeld = max(sp.maxHeld, sp.held)
	sp.pending++
	sp.mu.Unlock()
	sp.cond.Broadcast()
}

// quiesce waits until the handler has handled everything sent, so that
// the reader may call it directly.
func (sp *spool) quiesce() {
	if len(sp.cur) > sp.sent {
		sp.send(spoolMsg{})
	}
	sp.mu.Lock()
	for sp.pending > 0 {
		sp.cond.Wait()
	}
	sp.mu.Unlock()
}

// empty says whether the handler has handled everything sent (and the
// reader holds nothing unsent): the reader may call it directly.
func (sp *spool) empty() bool {
	if len(sp.cur) > sp.sent {
		return false
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.pending == 0
}

// quiesceIf is quiesce for a spool that may be nil (none).
func (sp *spool) quiesceIf() {
	if sp != nil {
		sp.quiesce()
	}
}

// close hands over the rest and waits for the handler to be done with it.
func (sp *spool) close() {
	sp.quiesce()
	sp.mu.Lock()
	sp.closed = true
	sp.free, sp.msgs, sp.cur = nil, nil, nil
	sp.mu.Unlock()
	sp.cond.Broadcast()
	<-sp.done
	sp.h = nil // the session keeps the spool's account, not its handler
}

// stats: the most bytes held at once, and the handler's time.
func (sp *spool) stats() (int, time.Duration) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.maxHeld, sp.handling
}

// run is the handler's goroutine.
func (sp *spool) run() {
	defer close(sp.done)
	mourner, _ := sp.h.(Mourner)
	for {
		sp.mu.Lock()
		for len(sp.msgs) == 0 && !sp.closed {
			sp.cond.Wait()
		}
		if len(sp.msgs) == 0 {
			sp.mu.Unlock()
			return
		}
		m := sp.msgs[0]
		sp.msgs[0] = spoolMsg{}
		sp.msgs = sp.msgs[1:]
		sp.mu.Unlock()

		t0 := time.Now()
		for b := m.buf; len(b) >= spoolEntSize; {
			e := *(*spoolEnt)(unsafe.Pointer(&b[0]))
			rec := b[spoolEntSize : spoolEntSize+int(e.n)]
			if e.ended == 0 {
				sp.h.Record(rec)
			} else if mourner != nil {
				mourner.Ended(rec)
			}
			b = b[spoolEntSize+(int(e.n)+7)&^7:]
		}
		if m.idle {
			sp.h.Idle()
		}
		runSyncs(m.syncs)
		d := time.Since(t0)

		sp.mu.Lock()
		sp.held -= len(m.buf)
		sp.pending--
		sp.handling += d
		if cap(m.chunk) == spoolChunk && len(sp.free) < spoolFree && !sp.closed {
			sp.free = append(sp.free, m.chunk[:0])
		}
		sp.mu.Unlock()
		sp.cond.Broadcast()
	}
}

// A Roomy handler says whether it can take records now without waiting
// for its own reader (procview's stream waits while its queue is full).
// Only such a handler is handed records by the reader itself, with a
// spool (direct).
type Roomy interface {
	Handler
	// Roomy: the handler has room for what a quarter of the session's
	// largest ring holds (a guess: if it has not, it waits, as it would
	// through a full spool).
	Roomy() bool
}

// direct is a pass's handler when the session has a spool: it hands the
// records to the handler itself while the reader keeps up, and through
// the spool once it falls behind. The spool costs a copy of every record
// and a hand-off to its goroutine each pass: on the threads workload
// through the view, the daemon's CPU was ~30% lower without one. What it
// is for is the catching up: after a stall, it drains the ring at the
// speed of a copy, several times that of decoding. So a pass starts
// direct when the ring holds less than a quarter, the spool holds nothing
// (order) and the handler has room, and goes on through the spool from
// the record at which the ring holds a quarter.
type direct struct {
	h       Handler
	sp      *spool
	s       *Session
	n       int
	spooled bool // from here on, through the spool
}

// directCheck: records between two looks at the ring's backlog.
const directCheck = 64

// mayHandle says whether a pass may start handing records to h itself.
func (s *Session) mayHandle(h Handler, sp *spool) bool {
	r, ok := h.(Roomy)
	return ok && !s.behindQuarter() && sp.empty() && r.Roomy()
}

func (d *direct) Record(rec []byte) {
	if !d.spooled {
		if d.n++; d.n%directCheck != 0 || !d.s.behindQuarter() {
			d.h.Record(rec)
			return
		}
		d.spooled = true
	}
	d.sp.Record(rec)
}

// Idle is the pass's end, which the pass hands on itself.
func (d *direct) Idle() {}

// behindQuarter: the ring holds a quarter of its size, or the session is
// moving to another ring.
func (s *Session) behindQuarter() bool {
	return s.growing != nil || s.r.rd.backlog() >= uint64(s.r.size/4)
}
