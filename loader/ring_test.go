package loader

import (
	"encoding/binary"
	"os/exec"
	"testing"
	"time"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// TestRingWrap: with the data pages mapped once, records that wrap around
// the end of a small ring are copied whole: every record read is intact
// (its header's length is the ring's, its type known), whatever its place.
func TestRingWrap(t *testing.T) {
	e := openEngine(t)
	// Captures of varying size (write's buffer, up to -s), so records end
	// anywhere in the ring.
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 4096, StrSize: 200})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo $i$i$i$i > /dev/null; i=$((i+1)); done")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var recs, bad int
	var repCalls, repOther uint64 // losses reported in the stream (EV_DROPS)
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			recs++
			typ := binary.LittleEndian.Uint16(rec)
			l := binary.LittleEndian.Uint16(rec[2:])
			// Every record has its thread but EV_DROPS, the session's
			// (no thread: tid and tgid 0).
			if int(l) != len(rec) || typ < wire.EvSyscall || typ > wire.EvDrops || (binary.LittleEndian.Uint32(rec[8:]) == 0) != (typ == wire.EvDrops) {
				bad++
				return
			}
			if typ == wire.EvDrops {
				if len(rec) != wire.DropsSize {
					bad++
					return
				}
				repCalls += binary.LittleEndian.Uint64(rec[wire.HdrSize:])
				repOther += binary.LittleEndian.Uint64(rec[wire.HdrSize+8:])
			}
			// The syscall number, at the end of the fixed part.
			if typ == wire.EvSyscall && (len(rec) < wire.SyscallSize || binary.LittleEndian.Uint32(rec[wire.SyscallSize-8:]) >= MaxSyscalls) {
				bad++
			}
		}))
	}()
	cmd.Wait()
	st := <-done
	t.Logf("%d records through a 4 KiB ring, stats %+v", recs, st)
	if bad != 0 {
		t.Fatalf("%d of %d records damaged", bad, recs)
	}
	if recs < 100 {
		t.Fatalf("only %d records", recs)
	}
	// Losses are reported in the stream, each before the next record its
	// CPU put in the ring: all but those after a CPU's last record.
	t.Logf("reported in the stream: %d calls, %d other records", repCalls, repOther)
	if repCalls > st.Dropped || repOther > st.Lost {
		t.Errorf("reported %d calls and %d other records lost, counted %d and %d", repCalls, repOther, st.Dropped, st.Lost)
	}
	if st.Dropped > 0 && repCalls == 0 {
		t.Errorf("%d calls dropped, none reported in the stream", st.Dropped)
	}
}

// TestRingGrows: a busy session's ring grows from its start size to its
// maximum, and every record is read exactly once across the switch, in
// order per thread: records + dropped account for every syscall seen, and
// each thread's syscall records come with strictly increasing entry times
// (a record read twice, or out of order, would break them).
func TestRingGrows(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{StartRingSize: 64 << 10, RingSize: 4 << 20, Time: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.RingSize() != 64<<10 {
		t.Fatalf("starts with %d bytes", s.RingSize())
	}
	// Two writers at once: records of two threads in both rings.
	dd := "dd if=/dev/zero of=/dev/null bs=1 count=100000 status=none"
	cmd := exec.Command("sh", "-c", dd+" & "+dd+"; wait")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	counts := map[uint16]int{}
	var calls callCounter // an entry record and its syscall record are one call
	last := map[uint32]uint64{}
	bad, disorder := 0, 0
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			typ := binary.LittleEndian.Uint16(rec)
			if int(binary.LittleEndian.Uint16(rec[2:])) != len(rec) {
				bad++
				return
			}
			counts[typ]++
			tid := binary.LittleEndian.Uint32(rec[4:])
			calls.Record(rec)
			if typ != wire.EvSyscall {
				return
			}
			ts := binary.LittleEndian.Uint64(rec[16:])
			if ts <= last[tid] {
				disorder++
			}
			last[tid] = ts
		}))
	}()
	cmd.Wait()
	st := <-done
	t.Logf("records %v, stats %+v, ring now %d bytes", counts, st, s.RingSize())
	if bad != 0 {
		t.Fatalf("%d damaged records", bad)
	}
	if disorder != 0 {
		t.Fatalf("%d syscall records duplicated or out of order in their thread", disorder)
	}
	if s.RingSize() != 4<<20 {
		t.Fatalf("ring did not grow: %d bytes", s.RingSize())
	}
	// A lost entry record (an announcement of a call under way) is not a
	// dropped call: the call's own record counts it.
	if calls.total()+st.Dropped != st.Seen {
		t.Fatalf("calls %d + dropped %d != seen %d: records lost or read twice", calls.total(), st.Dropped, st.Seen)
	}
	if n := e.Rings(); n != 1 {
		t.Fatalf("%d rings after the session, want the 1 kept", n)
	}
}

// TestRingShrinks: a session starts with its full ring, so a busy start
// loses nothing; once quiet it moves to its idle ring, and grows back when
// busy again. Every record is read once and in order across both switches,
// and the daemon maps a ring's data only while records come.
func TestRingShrinks(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	defer func(q, u time.Duration) { quietFor, unmapAfter = q, u }(quietFor, unmapAfter)
	quietFor, unmapAfter = 700*time.Millisecond, 200*time.Millisecond
	s, err := e.NewSession(SessionConfig{RingSize: 4 << 20, IdleRingSize: 64 << 10, Time: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.RingSize(); n != 4<<20 {
		t.Fatalf("starts with %d bytes, want the full ring", n)
	}
	rd0 := s.r.rd
	if rd0.nmapped != 0 {
		t.Fatal("an empty ring's data is mapped")
	}
	// A busy start: 20k calls, ~2.4 MB of records, which the full ring
	// holds even if the reader does not run meanwhile (64 KiB would not);
	// a quiet second; and a busy end, into the idle ring, which grows.
	dd := "dd if=/dev/zero of=/dev/null bs=1 status=none count="
	cmd := exec.Command("sh", "-c", dd+"10000; sleep 1.5; "+dd+"50000")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var sizes []int // ring sizes, as records showed them and as Run left it, each change once
	var calls callCounter
	disorder := 0
	done := make(chan Stats)
	go func() {
		done <- s.Run(orderChecker(&calls, &disorder, func() {
			if n := s.RingSize(); len(sizes) == 0 || sizes[len(sizes)-1] != n {
				sizes = append(sizes, n)
			}
		}))
	}()
	// The drops of the busy start, read once the ring shrank in the quiet
	// second (before the second dd starts).
	droppedEarly := ^uint64(0)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if s.RingSize() == 64<<10 {
			droppedEarly = s.Stats().Dropped
			break
		}
	}
	cmd.Wait()
	st := <-done
	// The growth's map update waits for an RCU grace period, which under
	// load can outlast the second dd: its records may all be read from the
	// idle ring before the swap. Run completes a growth in flight before it
	// returns, so the ring it leaves is the grown one.
	if n := s.RingSize(); len(sizes) == 0 || sizes[len(sizes)-1] != n {
		sizes = append(sizes, n)
	}
	t.Logf("ring sizes %v, stats %+v, dropped before the shrink %d", sizes, st, droppedEarly)
	if disorder != 0 {
		t.Fatalf("%d syscall records duplicated or out of order in their thread", disorder)
	}
	if calls.total()+st.Dropped != st.Seen {
		t.Fatalf("calls %d + dropped %d != seen %d: records lost or read twice", calls.total(), st.Dropped, st.Seen)
	}
	if rd0.unmaps < 1 {
		t.Fatal("the full ring's data was not unmapped in the quiet second")
	}
	want := []int{4 << 20, 64 << 10, 4 << 20}
	if len(sizes) != len(want) || sizes[0] != want[0] || sizes[1] != want[1] || sizes[2] != want[2] {
		t.Fatalf("ring sizes %v, want %v (full, idle after the quiet second, full again)", sizes, want)
	}
	if droppedEarly != 0 {
		t.Fatalf("the busy start dropped %d records in a full ring (^0: the ring never shrank)", droppedEarly)
	}
}

// TestRingMapsByChunk: a session that made a few calls has one chunk of
// its ring's data mapped in the daemon, not the whole ring (every page of
// a mapping counts in RSS).
func TestRingMapsByChunk(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	rd := s.r.rd
	cmd := exec.Command("true")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	recs := 0
	done := make(chan Stats)
	go func() { done <- s.Run(HandlerFunc(func([]byte) { recs++ })) }()
	cmd.Wait()
	st := <-done
	t.Logf("%d records, stats %+v, %d of %d chunks mapped", recs, st, rd.nmapped, len(rd.mapped))
	if recs < 10 || st.Dropped != 0 {
		t.Fatalf("%d records, %d dropped", recs, st.Dropped)
	}
	if rd.nmapped != 1 || len(rd.mapped) != (4<<20)/mapChunk {
		t.Fatalf("%d of %d chunks mapped, want 1 of %d", rd.nmapped, len(rd.mapped), (4<<20)/mapChunk)
	}
}

// TestExitHeld: a process that ends while its session's ring is full (no
// reader ran) still has its exit record: kept aside by the exit program,
// handed over after the ring's records when the session ends.
func TestExitHeld(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo $i > /dev/null; i=$((i+1)); done; exit 7")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	cmd.Wait() // the ring filled long before: nobody read it
	var exits []int32
	last := -1
	n := 0
	st := s.Run(HandlerFunc(func(rec []byte) {
		if binary.LittleEndian.Uint16(rec) == wire.EvExit && len(rec) >= wire.ExitSize {
			exits = append(exits, int32(binary.LittleEndian.Uint32(rec[wire.HdrSize:])))
			last = n
		}
		n++
	}))
	t.Logf("%d records, exits %v, stats %+v", n, exits, st)
	if st.Dropped == 0 {
		t.Fatalf("nothing dropped through a 4 KiB ring nobody read: the test shows nothing")
	}
	if len(exits) != 1 || exits[0] != 7<<8 {
		t.Fatalf("exit records %v, want one with status 7<<8", exits)
	}
	if last != n-1 {
		t.Errorf("the exit record came at %d of %d: after the ring's records, it should be last", last, n)
	}
}

// orderChecker counts records in calls, and in disorder the syscall records
// not later than their thread's previous one (read twice, or out of order);
// each calls also every(), first.
func orderChecker(calls *callCounter, disorder *int, every func()) Handler {
	last := map[uint32]uint64{}
	return HandlerFunc(func(rec []byte) {
		calls.Record(rec)
		every()
		if binary.LittleEndian.Uint16(rec) != wire.EvSyscall {
			return
		}
		tid := binary.LittleEndian.Uint32(rec[4:])
		ts := binary.LittleEndian.Uint64(rec[16:])
		if ts <= last[tid] {
			*disorder++
		}
		last[tid] = ts
	})
}
