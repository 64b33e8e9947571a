package procview

import (
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/loader/wire"
	"github.com/eproc/eproc/strace"
	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// queueLimit bounds the text a session's stream holds for its readers.
// Beyond it, the ring buffer fills and the BPF side drops and counts.
const queueLimit = 8 << 20

// stream is a traced session as the view serves it: the loader's session,
// the decoder that turns its records into strace text, and the queue its
// readers share.
type stream struct {
	v     *View
	sess  *loader.Session
	dec   *strace.Decoder // its sink is strace's text, written to q (and Options.ExtraSink's)
	q     *strace.Queue
	owner uint32 // uid that started it
	root  int    // the process the session was started on
	// cgroup: the cgroup v2 directory the session traces (stracecgroup),
	// or "": its members are then the root and its descendants.
	cgroup string
	stop   chan struct{} // closed when the daemon shuts down
	ended  chan struct{} // closed once the hang-up line is queued
	id     *ident        // the root process, which keeps an ended stream readable

	// readers are the processes that hold the stream open. Their own
	// calls are left out of it: a traced `cat strace` would otherwise
	// read the record of its last read forever.
	rmu          sync.Mutex
	rcount       map[uint32]int
	readers      atomic.Pointer[map[uint32]int]
	skipped      atomic.Uint64
	skippedCalls atomic.Uint64   // syscalls among the skipped records
	shown        map[uint32]bool // threads whose last call went out unfinished (run's goroutine only)
	shownBy      [64]uint32      // the threads in shown, by tid%64: most records' tids miss it without a lookup
	// The last record's process, looked up in which readers, and whether
	// it is one (run's goroutine only): a session's records come in runs
	// of one process, and the lookup was ~3% of the daemon's CPU.
	lastReaders *map[uint32]int
	lastTgid    uint32
	lastReader  bool

	// inherit: started or turned straceall (children join), not straceme.
	inherit atomic.Bool

	// What readers took: reads answered with text, and their bytes.
	reads, readBytes atomic.Uint64
	// How long the session's reader waited for room in a full queue
	// (meanwhile its ring fills): readers slower than the traced programs.
	queueWait time.Duration

	rec *recording // a recording session's (record.go); nil otherwise
}

func (st *stream) addReader(tgid int, delta int) {
	st.rmu.Lock()
	defer st.rmu.Unlock()
	if st.rcount == nil {
		st.rcount = map[uint32]int{}
	}
	st.rcount[uint32(tgid)] += delta
	if st.rcount[uint32(tgid)] <= 0 {
		delete(st.rcount, uint32(tgid))
	}
	m := make(map[uint32]int, len(st.rcount))
	for k, n := range st.rcount {
		m[k] = n
	}
	st.readers.Store(&m)
}

// streamSpec is how a stream's session is made: join puts its members
// in it (how says so in the log); cgroup is the cgroup it traces, if any;
// rec, for a recording session.
type streamSpec struct {
	join    func(*loader.Session) error
	how     zap.Field
	inherit bool // children join (straceall, recordall, a cgroup's)
	cgroup  string
	rec     *recording
}

// attachSpec is the spec of a session started on one process (and with
// inherit, its children from now on).
func attachSpec(id *ident, inherit bool, rec *recording) streamSpec {
	return streamSpec{join: func(sess *loader.Session) error { return sess.Attach(id.pid, inherit) },
		how: zap.Bool("inherit", inherit), inherit: inherit, rec: rec}
}

// newStream starts a session rooted at process id, as spec says.
func (v *View) newStream(id *ident, uid uint32, spec streamSpec) (*stream, error) {
	rec := spec.rec
	pid := id.pid
	cfg := loader.SessionConfig{Unprivileged: uid != 0, Time: v.extraSink != nil}
	if rec != nil {
		cfg.Record = v.opt.RecordSize
		cfg.Time = true // a dead record's lines say when
	}
	sess, err := v.eng.NewSession(cfg)
	if err != nil {
		return nil, err
	}
	st := &stream{
		v: v, sess: sess, owner: uid, root: pid, cgroup: spec.cgroup,
		q:     strace.NewQueue(queueLimit),
		stop:  v.stop,
		id:    id,
		ended: make(chan struct{}),
		rec:   rec,
	}
	st.inherit.Store(spec.inherit)
	topt := strace.Options{Prefix: strace.PrefixFile, Batch: 256 << 10}
	if rec != nil {
		topt = recordTextOptions() // a record is read after the fact: when did it happen
	}
	var sink strace.Sink = strace.NewText(topt, st)
	if v.extraSink != nil {
		if x := v.extraSink(SessionInfo{ID: sess.ID(), Pid: pid, UID: uid}); x != nil {
			sink = strace.Tee{sink, x}
		}
	}
	st.dec = strace.NewDecoder(sink)
	st.dec.ReadMem = strace.ReadProcessMem
	st.dec.OnError = func(err error) {
		v.log.Warn("bad record", zap.Uint32("session", sess.ID()), zap.Error(err))
	}
	if err := spec.join(sess); err != nil {
		sess.Close()
		go sess.Run(loader.HandlerFunc(func([]byte) {}))
		return nil, err
	}
	v.mu.Lock()
	v.streams[sess.ID()] = st
	v.tally.start(st)
	v.mu.Unlock()
	v.log.Info("session start", zap.Uint32("session", sess.ID()), zap.Int("pid", pid),
		spec.how, zap.Uint32("uid", uid), zap.Int("record", cfg.Record))
	go st.run()
	return st, nil
}

// daemonPid is this process: its own calls never enter a stream (each
// line it serves would make more lines: a stream that never ends).
var daemonPid = uint32(os.Getpid())

// Record feeds one ring record to the decoder, unless it is a reader's.
func (st *stream) Record(rec []byte) {
	typ, tid, tgid, ok := wire.Peek(rec)
	// A loss report (EV_DROPS) is the session's, whatever thread's record
	// it precedes: never left out.
	if ok && typ != wire.EvDrops {
		skip := tgid == daemonPid
		if m := st.readers.Load(); !skip && m != nil && len(*m) > 0 {
			if m != st.lastReaders || tgid != st.lastTgid {
				_, st.lastReader = (*m)[tgid]
				st.lastReaders, st.lastTgid = m, tgid
			}
			skip = st.lastReader
		}
		if skip {
			st.skip(rec, typ, tid)
			return
		}
		// Calls shown unfinished, by thread: if the thread turns
		// reader before the call returns, the line shown counts it.
		if typ == wire.EvExit && st.rec != nil {
			st.rec.noteExit(rec, st.root)
		}
		switch typ {
		case wire.EvEnter:
			if st.shown == nil {
				st.shown = map[uint32]bool{}
			}
			if !st.shown[tid] {
				st.shown[tid] = true
				st.shownBy[tid%64]++
			}
		case wire.EvSyscall, wire.EvExit:
			// A test first: most calls were never shown unfinished
			// (64 threads' calls while one thread sat in a call shown
			// unfinished: delete took ~5% of the daemon's perf samples,
			// a lookup ~2-3%; shownBy leaves most threads' records
			// without either).
			st.unshow(tid)
		}
	}
	st.dec.Record(rec)
}

// unshow forgets that thread tid's call went out unfinished; false: it
// had not.
func (st *stream) unshow(tid uint32) bool {
	if st.shownBy[tid%64] == 0 || !st.shown[tid] {
		return false
	}
	delete(st.shown, tid)
	st.shownBy[tid%64]--
	return true
}

// skip leaves a record out of the stream. A syscall left out is not
// counted as seen either, so that the hang-up line's count stays what the
// stream delivered plus what was dropped.
func (st *stream) skip(rec []byte, typ uint16, tid uint32) {
	st.skipped.Add(1)
	switch typ {
	case wire.EvSyscall:
		if st.unshow(tid) {
			return // its entry went out as an unfinished line
		}
		st.skippedCalls.Add(1)
	case wire.EvEnter:
		// Counted as seen only when the call never returns (exit,
		// exit_group); an entry seen blocked is counted at its exit.
		if nr, ok := wire.SyscallNr(rec); ok && (nr == uint32(unix.SYS_EXIT) || nr == uint32(unix.SYS_EXIT_GROUP)) {
			st.skippedCalls.Add(1)
		}
	}
}

// Roomy: the queue has room for the text of a quarter of the largest
// ring's records (loader.Roomy): the session's reader may decode them
// itself, no spool between.
func (st *stream) Roomy() bool { return st.q.Len() <= queueLimit/2 }

// Idle hands the decoded lines to the queue.
func (st *stream) Idle() { st.dec.Idle() }

// WriteLines puts the text sink's lines in the queue, waiting while the
// queue is full as long as someone may still read it: a reader is open, or
// the session's processes live on (a reader may come). Waiting stops the
// ring's drain, so the loss shows up in the kernel's drop counter.
func (st *stream) WriteLines(text []byte) {
	if st.rec != nil {
		st.rec.keepText(text)
	}
	for len(text) > 0 {
		changed := st.q.Changed()
		n, err := st.q.Put(text)
		if err != nil {
			return // hung up or discarded
		}
		text = text[n:]
		if len(text) == 0 {
			return
		}
		if st.q.Readers() == 0 && st.sess.Alive() <= 0 {
			return // nobody can ever read it
		}
		t0 := time.Now()
		select {
		case <-changed:
		case <-time.After(200 * time.Millisecond):
		case <-st.stop:
			return
		}
		st.queueWait += time.Since(t0)
	}
}

// Flush: the queue holds no text back.
func (st *stream) Flush() {}

// Final puts the last lines, the hang-up line's among them, in the queue,
// which then hangs up.
func (st *stream) Final(text []byte) {
	if st.rec != nil {
		st.rec.keepText(text)
	}
	st.q.PutFinal(text)
}

// run drains the session until its last process is gone, then queues the
// hang-up line. The stream stays readable while readers hold it open.
func (st *stream) run() {
	stats := st.sess.Run(st)
	if n := st.skippedCalls.Load(); n <= stats.Seen {
		stats.Seen -= n
	}
	st.dec.End(strace.Counts{Seen: stats.Seen, Dropped: stats.Dropped, Lost: stats.Lost})
	// Nothing decodes for it any more (Run took the last Sync): what is
	// left of it is its queue's text, freed once read to the end.
	st.dec = nil
	close(st.ended)
	rd := st.sess.Reading()
	st.v.log.Info("session end", zap.Uint32("session", st.sess.ID()), zap.Int("pid", st.root),
		zap.Uint64("syscalls", stats.Seen), zap.Uint64("dropped", stats.Dropped), zap.Uint64("lost", stats.Lost),
		zap.Uint64("records", rd.Records), zap.Uint64("ringBytes", rd.Bytes), zap.Uint64("passes", rd.Passes),
		zap.Uint64("woken", rd.Woken), zap.Duration("busy", rd.Busy),
		zap.Duration("maxPass", rd.MaxPass), zap.Uint64("maxBacklog", rd.MaxBacklog), zap.Int("maxSpooled", rd.MaxSpooled), zap.Uint64("spooledPasses", rd.Spooled),
		zap.Duration("handling", rd.Handling), zap.Duration("queueWait", st.queueWait),
		zap.Uint64("reads", st.reads.Load()), zap.Uint64("readBytes", st.readBytes.Load()),
		zap.Int("unread", st.q.Len()), zap.Int("readers", st.q.Readers()))
	v := st.v
	v.mu.Lock()
	if v.streams[st.sess.ID()] == st {
		delete(v.streams, st.sess.ID())
	}
	if st.rec != nil && (st.rec.exitSeen || st.id.check() != 0) {
		v.saveSessionDeadLocked(st)
	}
	v.tally.end(st) // from the live ones into the totals at once: a scrape counts it once
	// Until it is read to the end, the rest stays readable through its
	// root process's strace file, as long as that process lives
	// (straceoff, or the tree's children gone before it).
	if !st.q.Done() && st.id.check() == 0 {
		if old := v.ended[st.id.pid]; old != nil && old != st {
			old.q.Discard()
		}
		v.ended[st.id.pid] = st
	} else if st.q.Readers() == 0 {
		st.q.Discard()
	}
	v.sweepLocked()
	v.mu.Unlock()
	v.forgetDead()
}

// sweepLocked forgets ended streams that were read to the end or whose
// root process is gone.
func (v *View) sweepLocked() {
	for pid, st := range v.ended {
		if st.q.Done() || st.id.check() != 0 {
			if st.q.Readers() == 0 {
				st.q.Discard()
			}
			delete(v.ended, pid)
		}
	}
}

// mark inserts text as a line of the stream, after every record the
// session's processes produced before the write.
func (st *stream) mark(text []byte) bool {
	var wg sync.WaitGroup
	wg.Add(1)
	t := append([]byte(nil), text...)
	ok := st.sess.Sync(func() {
		st.dec.Mark(t)
		st.dec.Idle()
		wg.Done()
	})
	if !ok {
		return false
	}
	wg.Wait()
	return true
}

// streamOf returns the stream that traces process pid, or nil.
func (v *View) streamOf(pid int) *stream {
	if st := v.liveStream(pid); st != nil {
		return st
	}
	return nil
}

// readableStream is the stream a reader of pid's strace file gets: the
// live session tracing pid, or an ended one rooted at pid not yet read to
// the end.
func (v *View) readableStream(id *ident) *stream {
	if st := v.liveStream(id.pid); st != nil {
		return st
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.sweepLocked()
	if st := v.ended[id.pid]; st != nil && *st.id == *id {
		return st
	}
	for _, st := range v.streams {
		if *st.id == *id { // detached, ending
			return st
		}
	}
	return nil
}

func (v *View) liveStream(pid int) *stream {
	sess := v.eng.TracedBy(pid)
	if sess == nil {
		return nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.streams[sess.ID()]
}
