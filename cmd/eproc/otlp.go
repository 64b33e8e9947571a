package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/strace"
	"github.com/eproc/eproc/strace/otlp"
)

// parseOTLP reads --otlp HOST:PORT or --otlp=HOST:PORT at args[*i].
func (o *traceOpts) parseOTLP(args []string, i *int) error {
	val, glued := strings.CutPrefix(args[*i], "--otlp=")
	if !glued {
		if *i+1 >= len(args) {
			return errors.New("option --otlp needs an argument")
		}
		*i++
		val = args[*i]
	}
	if val == "" {
		return errors.New("--otlp needs HOST:PORT")
	}
	o.otlp = val
	return nil
}

// withOTLP adds --otlp's exporter beside the text sink: nil exporter and
// the text alone without --otlp.
func (o *traceOpts) withOTLP(text strace.Sink, sess *loader.Session) (strace.Sink, *otlp.Exporter, error) {
	if o.otlp == "" {
		return text, nil, nil
	}
	exp, err := newOTLP(o.otlp, strace.Options{StrSize: o.strsize, Hex: o.hex}, "eproc trace")
	if err != nil {
		return nil, nil, err
	}
	pid := 0
	if len(o.pids) > 0 {
		pid = o.pids[0]
	}
	return strace.Tee{text, exp.Sink(otlp.Session{ID: sess.ID(), Pid: pid})}, exp, nil
}

// newOTLP starts an exporter to endpoint; its first failed export is told
// on standard error (the others only counted).
func newOTLP(endpoint string, format strace.Options, who string) (*otlp.Exporter, error) {
	var once sync.Once
	return otlp.New(otlp.Config{
		Endpoint: endpoint,
		Format:   format,
		OnError: func(err error) {
			once.Do(func() { fmt.Fprintf(os.Stderr, "%s: otlp: export: %v\n", who, err) })
		},
	})
}

// otlpGrace is how long the end of a trace waits for the exporter to send
// what is queued; what it could not send by then is counted dropped.
const otlpGrace = 10 * time.Second

// finishOTLP exports what is queued and says how many records went out
// and how many were dropped (full queue, or the collector refused them).
func finishOTLP(exp *otlp.Exporter) {
	if exp == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), otlpGrace)
	defer cancel()
	exp.Shutdown(ctx)
	fmt.Fprintf(os.Stderr, "eproc trace: otlp: exported %d records, dropped %d\n", exp.Exported(), exp.Dropped())
}
