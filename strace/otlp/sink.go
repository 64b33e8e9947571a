package otlp

import (
	"context"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"

	"github.com/eproc/eproc/loader/wire"
	"github.com/eproc/eproc/strace"
)

// Session names the session a sink's records come from.
type Session struct {
	ID  uint32 // the loader's session id
	Pid int    // the process it was started on; 0: its first event's
}

// record is one event as the queue holds it: what the exporting goroutine
// needs to build its log record, nothing pointing into the event.
type record struct {
	kind     strace.Kind
	complete bool // a call that returned
	stopped  bool // a group stop (a signal record: "--- stopped by SIG ---")
	ended    bool // the session's end
	pid, tid uint32
	nr       uint32
	ret      int64
	ts       uint64 // CLOCK_MONOTONIC ns; 0: not timestamped
	observed time.Time
	session  uint32
	spid     uint32
	body     string
}

// sink is one session's sink: it formats each event and offers it to its
// exporter's queue.
type sink struct {
	e    *Exporter
	s    Session
	f    *strace.LineFormatter
	line []byte
}

// Sink returns a sink for one session's events. Its Event never blocks.
func (e *Exporter) Sink(s Session) strace.Sink {
	return &sink{e: e, s: s, f: strace.NewLineFormatter(e.cfg.Format)}
}

func (s *sink) Event(ev *strace.Event) {
	if s.e.full() {
		s.e.dropped.Add(1)
		return
	}
	r := record{kind: ev.Kind, observed: time.Now(), session: s.s.ID}
	if h := header(ev); h != nil {
		r.pid, r.tid, r.ts = h.Tgid, h.Tid, h.TS
		if s.s.Pid == 0 {
			s.s.Pid = int(h.Tgid)
		}
	}
	if c := ev.Call; ev.Kind == strace.KindCall {
		r.nr, r.ret, r.complete = c.Nr, c.Ret, c.Complete()
	}
	r.stopped = ev.Kind == strace.KindSignal && ev.Signal.Stopped
	r.spid = uint32(s.s.Pid)
	s.line = s.f.AppendLine(s.line[:0], ev)
	r.body = string(s.line)
	s.e.offer(&r)
}

// Idle: the exporter batches on its own.
func (s *sink) Idle() {}

// End sends the session's hang-up line as a record of its own.
func (s *sink) End(c strace.Counts) {
	r := record{ended: true, observed: time.Now(), session: s.s.ID, spid: uint32(s.s.Pid),
		body: strace.HangupLine(c.Seen, c.Dropped)}
	s.e.offer(&r)
}

// header is the record header of ev, nil for a mark.
func header(ev *strace.Event) *wire.Header {
	switch ev.Kind {
	case strace.KindCall:
		return &ev.Call.Header
	case strace.KindSignal:
		return &ev.Signal.Header
	case strace.KindExit:
		return &ev.Exit.Header
	case strace.KindFork:
		return &ev.Fork.Header
	case strace.KindExec:
		return &ev.Exec.Header
	case strace.KindKVM:
		return &ev.KVM.Header
	case strace.KindDrops:
		return &ev.Drops.Header
	}
	return nil
}

// kindNames are the records' "kind" attribute, by event kind.
var kindNames = [...]string{
	strace.KindCall:   "syscall",
	strace.KindSignal: "signal",
	strace.KindExit:   "exit",
	strace.KindFork:   "fork",
	strace.KindExec:   "exec",
	strace.KindKVM:    "kvm_exit",
	strace.KindDrops:  "dropped",
	strace.KindMark:   "mark",
}

func kindName(r *record) string {
	switch {
	case r.ended:
		return "end"
	case r.kind == strace.KindCall && !r.complete:
		return "syscall_entry" // shown unfinished: it blocked, or never returns
	case r.stopped:
		return "stop" // as the JSON's event
	case int(r.kind) < len(kindNames) && kindNames[r.kind] != "":
		return kindNames[r.kind]
	}
	return "kind_" + strconv.Itoa(int(r.kind))
}

// emit builds r's log record and emits it into the batch.
func (e *Exporter) emit(r *record) {
	var lr log.Record
	ts := r.observed
	if r.ts != 0 {
		ts = time.Unix(0, int64(r.ts)+e.monoOff)
	}
	lr.SetTimestamp(ts)
	lr.SetObservedTimestamp(r.observed)
	lr.SetSeverity(log.SeverityInfo)
	lr.SetBody(attribute.StringValue(r.body))
	kind := kindName(r)
	lr.SetEventName("eproc." + kind)
	attrs := make([]attribute.KeyValue, 0, 8)
	attrs = append(attrs, attribute.String("kind", kind), attribute.Int64("session", int64(r.session)))
	if r.spid != 0 {
		attrs = append(attrs, attribute.Int64("session.pid", int64(r.spid)))
	}
	if r.pid != 0 {
		attrs = append(attrs, attribute.Int64("pid", int64(r.pid)), attribute.Int64("tid", int64(r.tid)))
	}
	if r.kind == strace.KindCall && !r.ended {
		attrs = append(attrs, attribute.String("syscall", syscallName(r.nr)))
		if r.complete {
			attrs = append(attrs, attribute.Int64("ret", r.ret))
			if name := strace.ErrnoName(r.ret); name != "" {
				attrs = append(attrs, attribute.String("errno", name))
			}
		}
	}
	lr.AddAttributes(attrs...)
	e.logger.Emit(context.Background(), lr)
}

// syscallName is strace's name for syscall nr, or syscall_0x... for one it
// has none for.
func syscallName(nr uint32) string {
	if e := strace.Lookup(nr); e != nil {
		return e.Name
	}
	return "syscall_0x" + strconv.FormatUint(uint64(nr), 16)
}
