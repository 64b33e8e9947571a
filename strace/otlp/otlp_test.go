package otlp_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/eproc/eproc/loader/wire"
	"github.com/eproc/eproc/strace"
	"github.com/eproc/eproc/strace/otlp"
	"github.com/eproc/eproc/strace/otlp/otlptest"
)

// monoNow is CLOCK_MONOTONIC now, the records' clock.
func monoNow() uint64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return uint64(ts.Nano())
}

func call(typ uint16, nr uint32, ret int64, ts uint64, args ...uint64) *strace.Event {
	c := &strace.Call{Call: wire.Call{Header: wire.Header{Type: typ, Tid: 101, Tgid: 100, TS: ts}, Nr: nr, Ret: ret}}
	copy(c.Args[:], args)
	return &strace.Event{Kind: strace.KindCall, Call: c}
}

// TestOTLPSink: a session's events, each a record at a real Collector:
// the strace line as its body, the event's time, and its attributes.
func TestOTLPSink(t *testing.T) {
	addr := otlptest.FreePort(t)
	col := otlptest.Start(t, addr, filepath.Join(t.TempDir(), "logs.json"))
	exp, err := otlp.New(otlp.Config{Endpoint: addr})
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	s := exp.Sink(otlp.Session{ID: 3})
	s.Event(call(wire.EvSyscall, unix.SYS_CLOSE, -int64(unix.EBADF), monoNow(), 99))
	s.Event(call(wire.EvEnter, unix.SYS_READ, 0, monoNow(), 0, 0x1000, 10))
	s.Event(&strace.Event{Kind: strace.KindFork, Fork: &wire.Fork{Header: wire.Header{Tid: 101, Tgid: 100, TS: monoNow()}, ChildTid: 102, ChildTgid: 102}})
	s.Event(&strace.Event{Kind: strace.KindMark, Mark: []byte("hello")})
	s.Event(&strace.Event{Kind: strace.KindSignal, Signal: &wire.Signal{Header: wire.Header{Tid: 101, Tgid: 100, TS: monoNow()}, Sig: int32(unix.SIGTSTP), Stopped: true}})
	s.End(strace.Counts{Seen: 2})
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Error(err)
	}
	after := time.Now()
	if exp.Exported() != 6 || exp.Dropped() != 0 {
		t.Errorf("exported %d, dropped %d: want 6, 0", exp.Exported(), exp.Dropped())
	}
	want := []struct {
		kind, body string
		attrs      map[string]any
	}{
		{"syscall", "close(99)" + strings.Repeat(" ", 31) + "= -1 EBADF (Bad file descriptor)",
			map[string]any{"pid": int64(100), "tid": int64(101), "syscall": "close", "ret": int64(-9), "errno": "EBADF", "session": int64(3), "session.pid": int64(100)}},
		{"syscall_entry", "read(0,  <unfinished ...>", map[string]any{"pid": int64(100), "syscall": "read"}},
		{"fork", "", map[string]any{"pid": int64(100), "tid": int64(101)}},
		{"mark", "hello", map[string]any{"session": int64(3)}},
		{"stop", "--- stopped by SIGTSTP ---", map[string]any{"pid": int64(100), "tid": int64(101)}},
		{"end", "Traced ~2 syscs, Dropped 0", map[string]any{"session": int64(3), "session.pid": int64(100)}},
	}
	for _, w := range want {
		r := col.WaitRecord(t, w.kind, func(r otlptest.Record) bool { return r.Attr("kind") == w.kind })
		if r.Body != w.body {
			t.Errorf("%s: body %q, want %q", w.kind, r.Body, w.body)
		}
		got := r.Attrs.AsRaw()
		for k, v := range w.attrs {
			if got[k] != v {
				t.Errorf("%s: attribute %s = %v, want %v (all: %v)", w.kind, k, got[k], v, got)
			}
		}
		if w.kind == "syscall_entry" || w.kind == "fork" {
			if _, ok := got["ret"]; ok {
				t.Errorf("%s has a ret: %v", w.kind, got)
			}
		}
		if w.kind == "mark" {
			if _, ok := got["pid"]; ok {
				t.Errorf("a mark has a pid: %v", got)
			}
		}
		// Made between before and after (a second's leeway for the
		// clocks' conversion).
		if r.Time.Before(before.Add(-time.Second)) || r.Time.After(after.Add(time.Second)) {
			t.Errorf("%s: time %v not within %v to %v", w.kind, r.Time, before, after)
		}
		if res := r.Resource.AsRaw(); res["service.name"] != "eproc" || res["host.name"] == "" {
			t.Errorf("%s: resource %v", w.kind, res)
		}
	}
}

// TestOTLPCollectorDown: with no Collector to take them, a sink's Event
// still returns at once, whatever the number of events: those the queue
// cannot hold are dropped, and so are those whose export failed. Every
// event is counted, as exported or dropped; none is exported.
func TestOTLPCollectorDown(t *testing.T) {
	exp, err := otlp.New(otlp.Config{Endpoint: otlptest.FreePort(t), Queue: 100, Batch: 10})
	if err != nil {
		t.Fatal(err)
	}
	s := exp.Sink(otlp.Session{ID: 1, Pid: 100})
	const n = 20000
	for i := 0; i < n; i++ {
		s.Event(call(wire.EvSyscall, unix.SYS_CLOSE, 0, monoNow(), uint64(i)))
	}
	if d := exp.Dropped(); d < n-100-10-1 { // the queue, a batch, one being emitted
		t.Errorf("dropped %d of %d while the collector is down, want all but the queue's and a batch's", d, n)
	}
	s.End(strace.Counts{Seen: n})
	// The export under way retries until Shutdown's context ends.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	exp.Shutdown(ctx)
	if exp.Exported() != 0 || exp.Dropped() != n+1 {
		t.Errorf("exported %d, dropped %d: want 0, %d", exp.Exported(), exp.Dropped(), n+1)
	}
	s.Event(call(wire.EvSyscall, unix.SYS_CLOSE, 0, monoNow(), 1))
	if exp.Dropped() != n+2 {
		t.Errorf("an event after Shutdown: dropped %d, want %d", exp.Dropped(), n+2)
	}
}
