package main

import (
	"fmt"
	"net"
	"os"

	"github.com/eproc/eproc/cmd/eproc/internal/metrics"
	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/procview"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// daemonLogger is the view daemon's log: console lines, ISO 8601 times,
// nothing sampled away.
func daemonLogger() (*zap.Logger, error) {
	cfg := zap.NewProductionConfig()
	cfg.Encoding = "console"
	cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	cfg.Sampling = nil
	return cfg.Build()
}

// gettingStarted prints how to try the view at dir.
func gettingStarted(dir string) {
	fmt.Fprintf(os.Stderr, "\neproc serves the proc view at %s. In another shell, try:\n\n"+
		"    echo straceall > %s/$$/ctl; ls >/dev/null; echo straceoff > %s/$$/ctl\n"+
		"    cat %s/$$/strace\n\n", dir, dir, dir, dir)
}

// listenMetrics takes `--metrics ADDR`'s address (nil for none), and
// logs why it cannot.
func listenMetrics(addr string, log *zap.Logger) (net.Listener, error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := metrics.Listen(addr)
	if err != nil {
		log.Error("metrics", zap.Error(err))
	}
	return ln, err
}

// serveMetrics serves the view's metrics on ln (none when ln is nil) and
// logs the URL; the function it returns stops serving.
func serveMetrics(ln net.Listener, v *procview.View, eng *loader.Engine, exp metrics.ExportCounts, log *zap.Logger) func() {
	if ln == nil {
		return func() {}
	}
	ms := metrics.Serve(ln, v, eng, exp, log)
	log.Info("metrics", zap.String("url", "http://"+ms.Addr().String()+"/metrics"))
	return func() { ms.Close() }
}
