package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/procview"
	"github.com/eproc/eproc/strace"
	"go.uber.org/zap"
)

// mountOpts are `eproc mount`'s options.
type mountOpts struct {
	dir                   string
	debug, quiet          bool
	ring, ring0, ringIdle int
	spool                 int
	nice                  int
	metrics               string
	otlp                  otlpMount
	recordCgroup          string
	traceSocket           string           // eproc trace's sessions (handoff.go); "" none
	view                  procview.Options // the recorder's
}

// parseMount parses `eproc mount`'s command line.
func parseMount(args []string) (*mountOpts, error) {
	o := &mountOpts{}
	fl := flag.NewFlagSet("mount", flag.ContinueOnError)
	fl.BoolVar(&o.debug, "debug", false, "log every FUSE request")
	// A busy session's ring must hold what its programs make while its
	// reader cannot run: up to 15-20 ms seen (Go's monitor hands a P back
	// within 10 ms; a CPU hog delays the reader too), in which dd bs=1
	// writes ~6 MB of records (2.7M calls/s, 120 bytes each). Sessions
	// start with 4 MiB and the busy ones grow to 8.
	fl.IntVar(&o.ring, "b", 8<<20, "ring buffer bytes per session, at most")
	fl.IntVar(&o.ring0, "b0", 4<<20, "ring buffer bytes a session starts with; it grows to -b when busy (0: start at -b)")
	fl.IntVar(&o.ringIdle, "bidle", 256<<10, "ring buffer bytes a quiet session moves to, growing back to -b when busy (0: never)")
	// The reader copies records out of the ring and decodes them in a
	// goroutine of their own: a ring drains at the speed of a copy, and
	// decoding catches up from this much memory (held only while behind;
	// dd bs=1 through the view beside a load of 10 on 2 CPUs: 8.4 MB at
	// most).
	fl.IntVar(&o.spool, "spool", 16<<20, "bytes of records a session's reader may hold ahead of its decoder (0: decode as it reads the ring)")
	fl.BoolVar(&o.quiet, "q", false, "do not print the getting-started lines")
	fl.StringVar(&o.metrics, "metrics", "", "serve Prometheus metrics at http://ADDR/metrics (ADDR as 127.0.0.1:9464)")
	fl.Var(&o.otlp, "otlp", "also export every session's events as OTLP log records (gRPC, no TLS) to the collector at `HOST:PORT`")
	fl.IntVar(&o.nice, "nice", -5, "nice value of the daemon's threads: its readers must keep up with the traced programs (0: leave it)")
	fl.IntVar(&o.view.RecordSize, "record-size", procview.DefaultRecordSize, "bytes of the flight recorder of each process `record` is written to")
	fl.DurationVar(&o.view.DeadKeep, "dead-keep", procview.DefaultDeadKeep, "how long the record of a recorded process that is gone stays in dead/")
	fl.StringVar(&o.recordCgroup, "record-cgroup", "", "record every process of this cgroup v2 directory from the start (each that ends leaves its record in dead/)")
	fl.StringVar(&o.traceSocket, "trace-socket", defaultTraceSocket, "serve eproc trace's sessions on this unix socket, so that it need not load the programs itself (\"\": do not)")
	fl.IntVar(&o.view.DeadMax, "dead-max", procview.DefaultDeadMax, "how many records of recorded processes that are gone stay in dead/ (the last ones)")
	fl.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: eproc mount [-b BYTES] [-b0 BYTES] [-bidle BYTES] [-spool BYTES] [-nice N] [-metrics ADDR] [-otlp HOST:PORT] [-record-size BYTES] [-dead-keep DURATION] [-dead-max N] [-record-cgroup DIR] [-trace-socket PATH] [-q] [-debug] DIR")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return nil, errUsage
	}
	o.dir = fl.Arg(0)
	return o, nil
}

// runMount is `eproc mount DIR`: serve the proc view until SIGINT or
// SIGTERM, then end every session and unmount.
func runMount(args []string) int {
	o, err := parseMount(args)
	if err != nil {
		return 2
	}
	t0 := time.Now()
	log, err := daemonLogger()
	if err != nil {
		fmt.Fprintln(os.Stderr, "eproc mount:", err)
		return 1
	}
	defer log.Sync()
	mln, err := listenMetrics(o.metrics, log) // before anything is mounted
	if err != nil {
		return 1
	}
	eng, err := loader.Open(loader.Config{RingSize: o.ring, StartRingSize: o.ring0, IdleRingSize: o.ringIdle, Spool: o.spool, Log: log})
	if err != nil {
		log.Error("open engine", zap.Error(err))
		return 1
	}
	defer eng.Close()
	if err := eng.SetPlans(strace.Plans()); err != nil {
		log.Error("capture plans", zap.Error(err))
		return 1
	}
	// Before the view answers: a SIGTERM that comes as soon as it does
	// must unmount it, not kill the daemon and leave a stale mount.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer o.otlp.stop(log)
	vopt := o.view
	vopt.Log, vopt.Debug, vopt.ExtraSink = log, o.debug, o.otlp.sinks(log)
	v, err := procview.Mount(o.dir, eng, vopt)
	if err != nil {
		log.Error("mount", zap.Error(err))
		return 1
	}
	if o.nice != 0 {
		if err := boostPriority(o.nice); err != nil {
			log.Warn("priority", zap.Int("nice", o.nice), zap.Error(err))
		}
	}
	if o.recordCgroup != "" {
		if err := v.RecordCgroup(o.recordCgroup); err != nil {
			log.Error("record-cgroup", zap.String("dir", o.recordCgroup), zap.Error(err))
			v.Close()
			return 1
		}
	}
	if o.traceSocket != "" {
		ts, err := serveTraces(o.traceSocket, eng, log)
		if err != nil {
			log.Warn("trace socket: eproc trace loads its own programs", zap.String("path", o.traceSocket), zap.Error(err))
		} else {
			defer ts.Close() // before the engine closes
		}
	}
	ready(log, v.Dir(), t0)
	defer serveMetrics(mln, v, eng, o.otlp.counts(), log)()
	if !o.quiet {
		gettingStarted(v.Dir())
	}
	done := make(chan struct{})
	go func() { v.Wait(); close(done) }()
	select {
	case s := <-sigs:
		stopping(log, s)
		if err := v.Close(); err != nil {
			log.Error("unmount", zap.Error(err))
			return 1
		}
	case <-done:
		log.Info("unmounted from outside")
	}
	return 0
}
