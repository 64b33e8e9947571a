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
	"go.uber.org/zap/zapcore"
)

// runMount is `eproc mount DIR`: serve the proc view until SIGINT or
// SIGTERM, then end every session and unmount.
func runMount(args []string) int {
	fl := flag.NewFlagSet("mount", flag.ContinueOnError)
	debug := fl.Bool("debug", false, "log every FUSE request")
	// A busy session's ring must hold what its programs make while its
	// reader cannot run: up to 15-20 ms seen (Go's monitor hands a P back
	// within 10 ms; a CPU hog delays the reader too), in which dd bs=1
	// writes ~6 MB of records (2.7M calls/s, 120 bytes each). Sessions
	// start with 4 MiB and the busy ones grow to 8.
	ring := fl.Int("b", 8<<20, "ring buffer bytes per session, at most")
	ring0 := fl.Int("b0", 4<<20, "ring buffer bytes a session starts with; it grows to -b when busy (0: start at -b)")
	ringIdle := fl.Int("bidle", 256<<10, "ring buffer bytes a quiet session moves to, growing back to -b when busy (0: never)")
	quiet := fl.Bool("q", false, "do not print the getting-started lines")
	var om otlpMount
	fl.Var(&om, "otlp", "also export every session's events as OTLP log records (gRPC, no TLS) to the collector at `HOST:PORT`")
	nice := fl.Int("nice", -5, "nice value of the daemon's threads: its readers must keep up with the traced programs (0: leave it)")
	fl.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: eproc mount [-b BYTES] [-b0 BYTES] [-bidle BYTES] [-nice N] [-q] [-debug] [-otlp HOST:PORT] DIR")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return 2
	}
	dir := fl.Arg(0)
	t0 := time.Now()
	log, err := mountLogger()
	if err != nil {
		fmt.Fprintln(os.Stderr, "eproc mount:", err)
		return 1
	}
	defer log.Sync()
	eng, err := loader.Open(loader.Config{RingSize: *ring, StartRingSize: *ring0, IdleRingSize: *ringIdle, Log: log})
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
	defer om.stop(log)
	v, err := procview.Mount(dir, eng, procview.Options{Log: log, Debug: *debug, ExtraSink: om.sinks(log)})
	if err != nil {
		log.Error("mount", zap.Error(err))
		return 1
	}
	if *nice != 0 {
		if err := boostPriority(*nice); err != nil {
			log.Warn("priority", zap.Int("nice", *nice), zap.Error(err))
		}
	}
	log.Info("serving", zap.String("dir", v.Dir()), zap.Duration("ready", time.Since(t0)))
	if !*quiet {
		fmt.Fprintf(os.Stderr, "\neproc serves the proc view at %s. In another shell, try:\n\n"+
			"    echo straceall > %s/$$/ctl; ls >/dev/null; echo straceoff > %s/$$/ctl\n"+
			"    cat %s/$$/strace\n\n", v.Dir(), v.Dir(), v.Dir(), v.Dir())
	}
	done := make(chan struct{})
	go func() { v.Wait(); close(done) }()
	select {
	case s := <-sigs:
		log.Info("shutting down", zap.String("signal", s.String()))
		if err := v.Close(); err != nil {
			log.Error("unmount", zap.Error(err))
			return 1
		}
	case <-done:
		log.Info("unmounted from outside")
	}
	return 0
}

// mountLogger is the daemon's log: zap's production logger, in console
// encoding with ISO 8601 times, every line kept.
func mountLogger() (*zap.Logger, error) {
	cfg := zap.NewProductionConfig()
	cfg.Encoding = "console"
	cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	cfg.Sampling = nil
	return cfg.Build()
}
