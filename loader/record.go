package loader

import (
	"errors"
	"fmt"
	"math/bits"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// The flight recorder. A recording session (SessionConfig.Record) keeps
// its records in the kernel, in an array of slots used as a circular
// buffer (struct rec_slot): the newest overwrite the oldest, nobody reads
// them, and its ring stays empty (its sess_cfg says wake_every 0). When
// someone wants them (Live), or the session ends, Run hands the recorded
// records over, oldest first, then goes on from the ring as any session
// does.

// MinRecord is the smallest recorder: 16 slots.
const MinRecord = 16 * wire.RecSlot

// Recorded is what a recorder held when it was read.
type Recorded struct {
	Calls, Other         uint64 // records handed over: syscalls, the rest
	LostCalls, LostOther uint64 // overwritten by newer ones (or torn)
	Bytes                int    // the recorder's size
}

// Replayer is a Handler that wants to know, before a recorder's records
// come, what it held.
type Replayer interface {
	Replayed(r Recorded)
}

// A Mourner is a Handler told, while its session records, of the end of
// each of its processes (their exit record: the programs put those, and
// only those, in a recording session's ring), in time to keep what the
// recorder holds of it (RecordedOf) before newer records overwrite it.
type Mourner interface {
	Ended(exit []byte)
}

// notices is Run's handler while the session records.
type notices struct{ h Handler }

func (n notices) Record(rec []byte) {
	if m, ok := n.h.(Mourner); ok {
		m.Ended(rec)
	}
}
func (n notices) Idle() {}

// recorder is a recording session's array of slots.
type recorder struct {
	m      *ebpf.Map
	nslots uint32
}

// recordSlots is the slots of a recorder of about size bytes: a power of
// two, at least 16.
func recordSlots(size int) uint32 {
	n := uint32(max(size/wire.RecSlot, 16))
	return 1 << (31 - bits.LeadingZeros32(n))
}

// startRecorder gives the session its recorder and makes the programs write
// to it.
func (s *Session) startRecorder() error {
	e := s.e
	n := recordSlots(s.cfg.Record)
	m, err := ebpf.NewMap(&ebpf.MapSpec{
		Type: ebpf.Array, KeySize: 4, ValueSize: wire.RecSlot, MaxEntries: n,
		Flags: unix.BPF_F_INNER_MAP,
	})
	if err != nil {
		return fmt.Errorf("recorder: %w", err)
	}
	if err := e.objs.RecMetas.Put(s.sid, eprocRecMeta{Nslots: n}); err != nil {
		m.Close()
		return fmt.Errorf("recorder: %w", err)
	}
	if err := e.objs.Recorders.Put(s.sid, m); err != nil {
		m.Close()
		return fmt.Errorf("recorder: %w", err)
	}
	s.rec = &recorder{m: m, nslots: n}
	s.recording.Store(true)
	return nil
}

// Recording reports whether the session still keeps its records in its
// recorder.
func (s *Session) Recording() bool { return s.recording.Load() }

// RecordSize is the size of the session's recorder in bytes (0: none).
func (s *Session) RecordSize() int {
	if s.rec == nil {
		return 0
	}
	return int(s.rec.nslots) * wire.RecSlot
}

// Live asks the session's reader to hand over what the recorder holds and
// to go on live from the ring. It returns at once; Run does it.
func (s *Session) Live() {
	if s.recording.Load() {
		s.liveReq.Store(true)
		s.wake()
	}
}

// replay ends the recording: the programs write to the ring from now on,
// and the recorder's records go to h, oldest first.
func (s *Session) replay(h Handler) {
	if !s.recording.Swap(false) {
		return
	}
	e := s.e
	// The ends already told of, first: what the ring holds until the
	// change is only that.
	s.drainAll(notices{h}, true)
	cfg := s.scfg
	cfg.WakeEvery = s.wakeFor(s.RingSize())
	if err := e.objs.Sessions.Put(s.sid, cfg); err != nil {
		e.log.Error("recorder: go live", errField(err), sidField(s.sid))
	} else {
		s.scfg = cfg
	}
	// Programs that read wake_every 0 before the change have returned
	// after a grace period: nothing writes to the recorder any more. (A
	// process that ended meanwhile was told of in the ring too, among the
	// live records: echoes drops that second exit record.)
	if err := e.grace(); err != nil {
		e.log.Warn("recorder: grace period", errField(err), sidField(s.sid))
	}
	var meta eprocRecMeta
	if err := e.objs.RecMetas.Lookup(s.sid, &meta); err != nil {
		e.log.Error("recorder", errField(err), sidField(s.sid))
	}
	got := s.rec.read(meta, h, s.echoes)
	e.mu.Lock()
	s.recorded = got
	e.mu.Unlock()
	if err := e.objs.RecMetas.Put(s.sid, eprocRecMeta{}); err != nil {
		e.log.Warn("recorder: reset", errField(err), sidField(s.sid))
	}
	e.objs.Recorders.Delete(s.sid)
	s.rec.m.Close()
}

// RecordedOf returns the records the recorder holds now of process tgid,
// oldest first, and how many it has overwritten so far (of every process);
// nil once the session no longer records. For a Mourner's Ended.
func (s *Session) RecordedOf(tgid uint32) ([][]byte, Recorded) {
	var got Recorded
	if !s.recording.Load() {
		return nil, got
	}
	var meta eprocRecMeta
	if err := s.e.objs.RecMetas.Lookup(s.sid, &meta); err != nil {
		return nil, got
	}
	slots, err := s.rec.snapshot()
	if err != nil {
		return nil, got
	}
	start := uint64(0)
	if meta.Head > uint64(s.rec.nslots) {
		start = meta.Head - uint64(s.rec.nslots)
	}
	var mine [][]byte
	for _, rec := range reassemble(slots, s.rec.nslots, start, meta.Head) {
		if wire.Type(rec) == wire.EvSyscall {
			got.Calls++
		} else {
			got.Other++
		}
		if _, _, t, ok := wire.Peek(rec); ok && t == tgid {
			mine = append(mine, rec)
		}
	}
	got.LostCalls = meta.Calls - min(meta.Calls, got.Calls)
	got.LostOther = meta.Records - meta.Calls - min(meta.Records-meta.Calls, got.Other)
	got.Bytes = int(s.rec.nslots) * wire.RecSlot
	return mine, got
}

// Recorded is what the recorder held when it was read (zero before).
func (s *Session) Recorded() Recorded {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	return s.recorded
}

// read hands the records of the slots meta says were written to h, oldest
// first: a record whose slots were not all found with the sequence numbers
// their positions give was overwritten (or torn), and counted lost.
func (r *recorder) read(meta eprocRecMeta, h Handler, echoes map[uint32]bool) Recorded {
	var got Recorded
	got.Bytes = int(r.nslots) * wire.RecSlot
	start := uint64(0)
	if meta.Head > uint64(r.nslots) {
		start = meta.Head - uint64(r.nslots)
	}
	slots, err := r.snapshot()
	var recs [][]byte
	if err == nil {
		recs = reassemble(slots, r.nslots, start, meta.Head)
	}
	for _, rec := range recs {
		if wire.Type(rec) == wire.EvSyscall {
			got.Calls++
		} else {
			got.Other++
		}
	}
	if meta.Calls > got.Calls {
		got.LostCalls = meta.Calls - got.Calls
	}
	if meta.Records-meta.Calls > got.Other {
		got.LostOther = meta.Records - meta.Calls - got.Other
	}
	if rp, ok := h.(Replayer); ok {
		rp.Replayed(got)
	}
	for _, rec := range recs {
		h.Record(rec)
		if typ, tid, _, _ := wire.Peek(rec); typ == wire.EvExit {
			echoes[tid] = true
		}
	}
	if len(recs) > 0 {
		h.Idle()
	}
	return got
}

// echoes is Run's handler for the passes after a replay: the exit records
// of processes the replay already ended (their notice, sent while the
// session went live) are not handed over twice.
type echoes struct {
	h    Handler
	seen map[uint32]bool
}

func (e echoes) Record(rec []byte) {
	if typ, tid, _, _ := wire.Peek(rec); typ == wire.EvExit && e.seen[tid] {
		delete(e.seen, tid)
		return
	}
	e.h.Record(rec)
}
func (e echoes) Idle() { e.h.Idle() }

// snapshot copies the recorder's slots: in one batch where the kernel
// can, else one at a time.
func (r *recorder) snapshot() ([]byte, error) {
	slots := make([][wire.RecSlot]byte, r.nslots)
	buf := unsafe.Slice(&slots[0][0], len(slots)*wire.RecSlot)
	keys := make([]uint32, r.nslots)
	var cursor ebpf.MapBatchCursor
	n, err := r.m.BatchLookup(&cursor, keys, slots, nil)
	if n == int(r.nslots) && (err == nil || errors.Is(err, ebpf.ErrKeyNotExist)) {
		return buf, nil
	}
	for i := uint32(0); i < r.nslots; i++ {
		if err := r.m.Lookup(i, buf[int(i)*wire.RecSlot:int(i+1)*wire.RecSlot]); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// reassemble returns the whole records held in slots (nslots of them, a
// power of two) at positions start to head: each record's slots in order,
// each with the sequence number of its position.
func reassemble(slots []byte, nslots uint32, start, head uint64) [][]byte {
	var recs [][]byte
	var cur []byte
	want := uint16(0) // the part expected next; 0: a record's first slot
	for pos := start; pos < head; pos++ {
		i := int(pos & uint64(nslots-1))
		b := slots[i*wire.RecSlot : (i+1)*wire.RecSlot]
		sh, ok := wire.ParseRecSlot(b)
		if !ok || sh.Seq != pos+1 || sh.Part != want {
			// Overwritten, torn or in the middle of a lost record:
			// start again at the next first slot.
			cur, want = nil, 0
			if ok && sh.Seq == pos+1 && sh.Part == 0 {
				cur = append(cur, b[wire.RecSlotHdr:wire.RecSlotHdr+int(sh.Len)]...)
				want = 1
				if sh.Parts == 1 {
					recs = append(recs, cur)
					cur, want = nil, 0
				}
			}
			continue
		}
		cur = append(cur, b[wire.RecSlotHdr:wire.RecSlotHdr+int(sh.Len)]...)
		want++
		if want == sh.Parts {
			recs = append(recs, cur)
			cur, want = nil, 0
		}
	}
	return recs
}
