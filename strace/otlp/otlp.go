// Package otlp is the sink that exports a session's events to an
// OpenTelemetry Collector, as OTLP log records over gRPC: one record per
// event, its body the event's strace line, its attributes what a query
// needs (pid, tid, syscall, ret, errno, session, kind), its timestamp the
// event's.
//
// Export never holds up the tracer: a sink's Event formats the event and
// offers it to a bounded queue; when the queue is full (the collector is
// slow, or down and being retried) the event is dropped and counted. One
// goroutine takes the queue in batches and exports them; a batch the
// collector refused after the retries is counted dropped too, so that every
// event a sink was handed ends up counted once, as Exported or Dropped. One
// Exporter (one gRPC connection) serves any number of sessions' sinks.
package otlp

import (
	"context"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"

	"github.com/eproc/eproc/strace"
)

// Config configures an Exporter.
type Config struct {
	// Endpoint is the collector's OTLP/gRPC address, HOST:PORT; the
	// connection is not encrypted.
	Endpoint string
	// Queue is how many records may wait for the exporter; past that,
	// events are dropped. 0 means 16384.
	Queue int
	// Batch is how many records one export sends at most; 0 means 512.
	Batch int
	// Linger is how long a batch that is not full waits for more records
	// once the queue is empty; 0 means 200 ms.
	Linger time.Duration
	// Format: strace's options for the records' bodies (-s, -x); the pid
	// prefix, time and -c are not used.
	Format strace.Options
	// OnError, if set, is told of each export that failed (the batch is
	// counted dropped). It runs on the exporting goroutine.
	OnError func(error)
}

// Exporter takes the records of its sinks and exports them.
type Exporter struct {
	cfg      Config
	q        chan record
	provider *sdklog.LoggerProvider
	logger   log.Logger
	batch    *batcher
	monoOff  int64 // realtime - monotonic, ns

	// mu orders offers before Shutdown: once stopped is set, no record
	// enters the queue, so that every record queued is counted.
	mu      sync.RWMutex
	stopped bool
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	// ctx is the exports' context: cancelled when Shutdown runs out of
	// time, so that a retrying export gives up.
	ctx    context.Context
	cancel context.CancelFunc

	dropped, exported atomic.Uint64
}

// New starts an exporter to cfg.Endpoint. It does not wait for the
// collector: the connection is made, and remade, as exports need it.
func New(cfg Config) (*Exporter, error) {
	if cfg.Endpoint == "" {
		return nil, errors.New("otlp: no endpoint")
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 16384
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 512
	}
	if cfg.Linger <= 0 {
		cfg.Linger = 200 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(context.Background())
	exp, err := otlploggrpc.New(ctx,
		otlploggrpc.WithEndpoint(cfg.Endpoint),
		otlploggrpc.WithInsecure(),
		otlploggrpc.WithTimeout(10*time.Second),
		otlploggrpc.WithRetry(otlploggrpc.RetryConfig{
			Enabled: true, InitialInterval: 500 * time.Millisecond,
			MaxInterval: 5 * time.Second, MaxElapsedTime: 30 * time.Second,
		}),
		// gRPC's own reconnection backs off up to 2 minutes: a collector
		// back from a restart would wait that long to be used again.
		otlploggrpc.WithDialOption(grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: 500 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: 5 * time.Second},
			MinConnectTimeout: 5 * time.Second,
		})),
	)
	if err != nil {
		cancel()
		return nil, err
	}
	host, _ := os.Hostname()
	res := resource.NewSchemaless(
		attribute.String("service.name", "eproc"),
		attribute.String("host.name", host),
	)
	e := &Exporter{
		cfg:    cfg,
		q:      make(chan record, cfg.Queue),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
		ctx:    ctx,
		cancel: cancel,
	}
	e.batch = &batcher{exp: exp, max: cfg.Batch}
	e.provider = sdklog.NewLoggerProvider(
		sdklog.WithResource(res),
		sdklog.WithProcessor(e.batch),
		// The body is a whole strace line; -s bounds its strings.
		sdklog.WithAttributeValueLengthLimit(-1),
	)
	e.logger = e.provider.Logger("github.com/eproc/eproc/strace/otlp")
	e.monoOff = strace.MonoOffset()
	go e.run()
	return e, nil
}

// Dropped is how many events were not exported: refused by a full queue,
// offered after Shutdown, in a batch whose export failed, or left queued
// when Shutdown ran out of time.
func (e *Exporter) Dropped() uint64 { return e.dropped.Load() }

// Exported is how many events the collector accepted.
func (e *Exporter) Exported() uint64 { return e.exported.Load() }

// offer queues r for export, or drops it when the queue is full. It never
// blocks.
func (e *Exporter) offer(r *record) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.stopped {
		e.dropped.Add(1)
		return
	}
	select {
	case e.q <- *r:
	default:
		e.dropped.Add(1)
	}
}

// full reports whether an offer now would be dropped (so that a sink need
// not format what would be).
func (e *Exporter) full() bool {
	return len(e.q) == cap(e.q)
}

// Shutdown stops taking records, exports those queued, and closes the
// connection. When ctx ends first, the export under way is abandoned and
// what was left is counted dropped. Sinks may still be handed events
// afterwards: they are dropped.
func (e *Exporter) Shutdown(ctx context.Context) error {
	e.once.Do(func() {
		e.mu.Lock()
		e.stopped = true
		e.mu.Unlock()
		close(e.stop)
	})
	var err error
	select {
	case <-e.done:
	case <-ctx.Done():
		err = ctx.Err()
		e.cancel()
		<-e.done
	}
	e.cancel()
	// The exporter's own shutdown does not wait for the collector.
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return errors.Join(err, e.provider.Shutdown(sctx))
}

// run is the exporting goroutine: it emits the queued records into the
// batch and exports it when full, or when the queue has been empty for
// Linger.
func (e *Exporter) run() {
	defer close(e.done)
	linger := time.NewTimer(time.Hour)
	linger.Stop()
	armed := false
	for {
		select {
		case r := <-e.q:
			e.emit(&r)
			if e.batch.full() {
				e.flush()
			} else if !armed {
				linger.Reset(e.cfg.Linger)
				armed = true
			}
		case <-linger.C:
			armed = false
			e.flush()
		case <-e.stop:
			e.drain()
			return
		}
	}
}

// drain exports what is left in the queue, unless the exports' context
// was cancelled: then it is counted dropped.
func (e *Exporter) drain() {
	for {
		select {
		case r := <-e.q:
			if e.ctx.Err() != nil {
				e.dropped.Add(1)
				continue
			}
			e.emit(&r)
			if e.batch.full() {
				e.flush()
			}
		default:
			e.flush()
			return
		}
	}
}

// flush exports the batch and counts its records.
func (e *Exporter) flush() {
	n, err := e.batch.export(e.ctx)
	if err != nil {
		e.dropped.Add(uint64(n))
		if e.cfg.OnError != nil {
			e.cfg.OnError(err)
		}
		return
	}
	e.exported.Add(uint64(n))
}

// batcher is the log SDK's processor: the records the logger emits wait in
// it until the exporting goroutine exports them. Only that goroutine uses
// it.
type batcher struct {
	exp  sdklog.Exporter
	max  int
	recs []sdklog.Record
}

func (b *batcher) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }

func (b *batcher) OnEmit(_ context.Context, r *sdklog.Record) error {
	b.recs = append(b.recs, r.Clone())
	return nil
}

func (b *batcher) full() bool { return len(b.recs) >= b.max }

// export sends the batch and empties it: how many records it held.
func (b *batcher) export(ctx context.Context) (int, error) {
	n := len(b.recs)
	if n == 0 {
		return 0, nil
	}
	err := b.exp.Export(ctx, b.recs)
	clear(b.recs)
	b.recs = b.recs[:0]
	return n, err
}

func (b *batcher) Shutdown(ctx context.Context) error   { return b.exp.Shutdown(ctx) }
func (b *batcher) ForceFlush(ctx context.Context) error { return b.exp.ForceFlush(ctx) }
