package main

// --otlp, for eproc trace and eproc mount: the sessions' events are also
// exported as OTLP log records (package strace/otlp).

import (
	"context"
	"fmt"
	"github.com/eproc/eproc/cmd/eproc/internal/metrics"
	"net"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/procview"
	"github.com/eproc/eproc/strace"
	"github.com/eproc/eproc/strace/otlp"
)

// checkEndpoint checks that addr is HOST:PORT.
func checkEndpoint(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--otlp %q: %v", addr, err)
	}
	if n, err := strconv.Atoi(port); host == "" || err != nil || n <= 0 || n > 65535 {
		return fmt.Errorf("--otlp %q: want HOST:PORT", addr)
	}
	return nil
}

// setOTLP is --otlp HOST:PORT.
func (o *traceOpts) setOTLP(val string) error {
	if err := checkEndpoint(val); err != nil {
		return err
	}
	o.otlp = val
	return nil
}

// withOTLP is the session's sink: the text, and with --otlp beside it the
// exporter's sink, which at the session's end sends what is queued and
// says how many records went out and how many were dropped. An exporter
// that cannot be made is told of, and the trace goes on without it.
func (o *traceOpts) withOTLP(text strace.Sink, sess *loader.Session) strace.Sink {
	if o.otlp == "" {
		return text
	}
	var once sync.Once
	exp, err := otlp.New(otlp.Config{
		Endpoint: o.otlp,
		Format:   strace.Options{StrSize: o.strsize, Hex: o.hex},
		OnError: func(err error) {
			once.Do(func() { warnf("otlp: export: %v\n", err) })
		},
	})
	if err != nil {
		warnf("otlp: %v (not exporting)\n", err)
		return text
	}
	pid := 0
	if len(o.pids) > 0 {
		pid = o.pids[0]
	}
	return strace.Tee{text, traceOTLP{exp.Sink(otlp.Session{ID: sess.ID(), Pid: pid}), exp}}
}

// otlpGrace is how long the end waits for the exporter to send what is
// queued; what it could not send by then is counted dropped.
const otlpGrace = 10 * time.Second

// traceOTLP is eproc trace's exporter sink: its End finishes the export.
type traceOTLP struct {
	strace.Sink
	exp *otlp.Exporter
}

func (s traceOTLP) End(c strace.Counts) {
	s.Sink.End(c)
	ctx, cancel := context.WithTimeout(context.Background(), otlpGrace)
	defer cancel()
	s.exp.Shutdown(ctx)
	warnf("otlp: exported %d records, dropped %d\n", s.exp.Exported(), s.exp.Dropped())
}

// otlpMount is eproc mount's -otlp flag, and the exporter it starts: one
// for all the view's sessions.
type otlpMount struct {
	endpoint string
	exp      *otlp.Exporter
}

func (m *otlpMount) String() string { return m.endpoint }

func (m *otlpMount) Set(s string) error {
	if err := checkEndpoint(s); err != nil {
		return err
	}
	m.endpoint = s
	return nil
}

// sinks starts the exporter and returns the view's ExtraSink for it; nil
// without -otlp, or when the exporter cannot be made (logged). Failed
// exports are logged, at most one a minute: they are counted dropped, and
// the counts logged at the end.
func (m *otlpMount) sinks(log *zap.Logger) func(procview.SessionInfo) strace.Sink {
	if m.endpoint == "" {
		return nil
	}
	var last time.Time // the exporting goroutine's only
	exp, err := otlp.New(otlp.Config{
		Endpoint: m.endpoint,
		OnError: func(err error) {
			if time.Since(last) >= time.Minute {
				last = time.Now()
				log.Warn("otlp export", zap.String("endpoint", m.endpoint), zap.Error(err))
			}
		},
	})
	if err != nil {
		log.Error("otlp: not exporting", zap.String("endpoint", m.endpoint), zap.Error(err))
		return nil
	}
	m.exp = exp
	log.Info("otlp", zap.String("endpoint", m.endpoint))
	return func(s procview.SessionInfo) strace.Sink {
		return exp.Sink(otlp.Session{ID: s.ID, Pid: s.Pid})
	}
}

// stop exports what is queued, within otlpGrace, and logs the counts.
// counts is the exporter's account for metrics; nil without one.
func (m *otlpMount) counts() metrics.ExportCounts {
	if m.exp == nil {
		return nil
	}
	return m.exp
}

func (m *otlpMount) stop(log *zap.Logger) {
	if m.exp == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), otlpGrace)
	defer cancel()
	err := m.exp.Shutdown(ctx)
	log.Info("otlp done", zap.Uint64("exported", m.exp.Exported()), zap.Uint64("dropped", m.exp.Dropped()), zap.Error(err))
}
