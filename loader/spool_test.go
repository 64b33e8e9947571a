package loader

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// logHandler writes down what it is handed, in order; a Mourner.
type logHandler struct {
	mu    sync.Mutex
	log   []string
	block chan struct{} // when set, Record waits for it before the first record
}

func (l *logHandler) add(s string) { l.mu.Lock(); l.log = append(l.log, s); l.mu.Unlock() }
func (l *logHandler) Record(rec []byte) {
	if l.block != nil {
		<-l.block
		l.block = nil
	}
	l.add(fmt.Sprintf("r%d/%d", binary.LittleEndian.Uint32(rec), len(rec)))
}
func (l *logHandler) Idle()            { l.add("idle") }
func (l *logHandler) Ended(rec []byte) { l.add(fmt.Sprintf("e%d", binary.LittleEndian.Uint32(rec))) }

func rec(i, n int) []byte {
	b := make([]byte, n)
	binary.LittleEndian.PutUint32(b, uint32(i))
	return b
}

// TestSpoolOrder: records of every size (one larger than a chunk), a
// recorder's notices, the passes' Idle and the Syncs' functions reach the
// handler in the order the reader met them, and close returns after the
// last.
func TestSpoolOrder(t *testing.T) {
	h := &logHandler{}
	sp := newSpool(h, 1<<20)
	var want []string
	for i := 0; i < 3000; i++ {
		n := 4 + i%61
		if i == 1234 {
			n = spoolChunk + 100
		}
		sp.Record(rec(i, n))
		want = append(want, fmt.Sprintf("r%d/%d", i, n))
		switch {
		case i%500 == 499:
			sp.Idle()
			sp.syncs([]func(){func() { h.add("sync") }})
			want = append(want, "idle", "sync")
		case i%700 == 0:
			sp.Ended(rec(i, 8))
			want = append(want, fmt.Sprintf("e%d", i))
		}
	}
	sp.close()
	if got := strings.Join(h.log, " "); got != strings.Join(want, " ") {
		t.Fatalf("the handler got records out of order or lost some:\n got %.300s\nwant %.300s", got, strings.Join(want, " "))
	}
	if held, _ := sp.stats(); held == 0 {
		t.Errorf("maxHeld 0 after 3000 records")
	}
}

// TestSpoolBounded: a handler that does not take its records holds the
// reader once the spool holds its limit: no more is copied (the ring then
// fills and counts its drops), and the reader goes on when the handler does.
func TestSpoolBounded(t *testing.T) {
	h := &logHandler{block: make(chan struct{})}
	const limit = 2 * spoolChunk
	sp := newSpool(h, limit)
	put := make(chan int, 1)
	go func() {
		n := 0
		for i := 0; i < 4*limit/1024; i++ {
			sp.Record(rec(i, 1024-spoolEntSize))
			n++
		}
		put <- n
	}()
	time.Sleep(200 * time.Millisecond)
	select {
	case n := <-put:
		t.Fatalf("the reader copied all %d records while the handler took none", n)
	default:
	}
	sp.mu.Lock()
	held := sp.held
	sp.mu.Unlock()
	if held > limit+spoolChunk {
		t.Errorf("the spool holds %d bytes, limit %d", held, limit)
	}
	close(h.block)
	select {
	case <-put:
	case <-time.After(10 * time.Second):
		t.Fatal("the reader did not go on once the handler took records")
	}
	sp.close()
	if len(h.log) != 4*limit/1024 {
		t.Errorf("handled %d records, want %d", len(h.log), 4*limit/1024)
	}
}

// TestSpoolQuiesce: after quiesce the handler has handled everything sent,
// so that the reader may call it directly.
func TestSpoolQuiesce(t *testing.T) {
	h := &logHandler{}
	sp := newSpool(h, 1<<20)
	for i := 0; i < 10; i++ {
		sp.Record(rec(i, 16))
	}
	sp.quiesce()
	h.mu.Lock()
	n := len(h.log)
	h.mu.Unlock()
	if n != 10 {
		t.Fatalf("after quiesce the handler had %d of 10 records", n)
	}
	h.Idle() // the reader's direct call
	sp.Record(rec(10, 16))
	sp.close()
	if got := strings.Join(h.log[9:], " "); got != "r9/16 idle r10/16" {
		t.Errorf("order around a direct call: %s", got)
	}
	var nilSpool *spool
	nilSpool.quiesceIf() // no spool: nothing to wait for
}

// slowRoomy is a Roomy handler that checks each thread's lseeks come in
// order (TestMigrateHelper's) and, every stallEvery thousand records the
// reader hands it itself (from the first), stalls until its session's ring
// holds 3/8 of its size, or the traced program has ended (exited): the
// reader then goes on through the spool. Through the spool it is slow too
// (2 ms every 1000 records). (The stall was 100 ms at most: beside two CPU
// hogs, the program filled 3/8 of the ring in none of its stalls, and no
// pass went through the spool.)
type slowRoomy struct {
	*lseekOrder
	s         *Session
	exited    <-chan struct{}
	n, stalls int
	direct    int // thousands of records the reader handed itself
}

// stallEvery: the reader's own thousands of records between stalls.
const stallEvery = 5

// spoolCalls says whether the spool's goroutine is the caller.
func spoolCalls() bool {
	b := make([]byte, 4096)
	return strings.Contains(string(b[:runtime.Stack(b, false)]), "(*spool).run")
}

// stall waits until the ring holds 3/8 of its size, or the program ended.
func (h *slowRoomy) stall() {
	for h.s.r.rd.backlog() < uint64(h.s.r.size)*3/8 {
		select {
		case <-h.exited:
			return
		case <-time.After(time.Millisecond):
		}
	}
	h.stalls++
}

func (h *slowRoomy) Roomy() bool { return true }
func (h *slowRoomy) Idle()       {}
func (h *slowRoomy) Record(rec []byte) {
	if h.n++; h.n%1000 == 0 {
		if spoolCalls() {
			// Slow through the spool too, so that it still holds
			// records when the next pass begins.
			time.Sleep(2 * time.Millisecond)
		} else if h.direct++; h.direct%stallEvery == 1 {
			h.stall()
		}
	}
	h.check(rec)
}

// TestDirectThenSpool: with a spool and a Roomy handler, the reader hands
// records to the handler itself, goes on through the spool from the record
// at which the ring holds a quarter of its size (the handler stalls), and
// back to handing them itself once the spool is empty: every thread's calls
// arrive in order, none lost, and passes of both kinds happened.
func TestDirectThenSpool(t *testing.T) {
	needBPF(t)
	e, err := Open(Config{Spool: 16 << 20})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer e.Close()
	s, cmd := spawnMigrate(t, e, 4<<20)
	exited := make(chan struct{})
	h := &slowRoomy{lseekOrder: newLseekOrder(), s: s, exited: exited}
	done := make(chan Stats)
	go func() { done <- s.Run(h) }()
	err = cmd.Wait()
	close(exited)
	if err != nil {
		t.Fatalf("helper: %v", err)
	}
	h.report(t, <-done)
	rd := s.Reading()
	t.Logf("passes %d, through the spool %d; spool held at most %d bytes; %d stalls to 3/8 of the ring", rd.Passes, rd.Spooled, rd.MaxSpooled, h.stalls)
	if rd.Spooled == 0 || rd.Spooled >= rd.Passes {
		t.Errorf("%d of %d passes through the spool, after %d stalls: want some, not all", rd.Spooled, rd.Passes, h.stalls)
	}
}
