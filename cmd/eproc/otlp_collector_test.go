package main

// A real OpenTelemetry Collector, run in the test's process from the
// Collector's own Go modules: the OTLP receiver (gRPC, on a localhost
// port) and the file exporter (OTLP JSON, one export per line) in a logs
// pipeline. What eproc sends is read back from the file.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"
)

// collector is one running Collector.
type collector struct {
	col  *otelcol.Collector
	file string // where its file exporter writes
	ran  chan error
}

const collectorConfig = `
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: %s
exporters:
  file:
    path: %s
    flush_interval: 100ms
service:
  telemetry:
    metrics:
      level: none
    logs:
      level: error
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [file]
`

// freePort is a localhost address no one listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startCollector runs a Collector that receives OTLP on addr and writes
// what it receives to file; it is shut down at the end of the test, if
// not before. It returns once the Collector is running (its receiver
// listens).
func startCollector(t *testing.T, addr, file string) *collector {
	t.Helper()
	factories := func() (otelcol.Factories, error) {
		var f otelcol.Factories
		var err1, err2 error
		f.Receivers, err1 = otelcol.MakeFactoryMap[receiver.Factory](otlpreceiver.NewFactory())
		f.Exporters, err2 = otelcol.MakeFactoryMap[exporter.Factory](fileexporter.NewFactory())
		f.Telemetry = otelconftelemetry.NewFactory()
		return f, errors.Join(err1, err2)
	}
	col, err := otelcol.NewCollector(otelcol.CollectorSettings{
		BuildInfo: component.NewDefaultBuildInfo(),
		Factories: factories,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				URIs:              []string{"yaml:" + fmt.Sprintf(collectorConfig, addr, file)},
				ProviderFactories: []confmap.ProviderFactory{yamlprovider.NewFactory()},
			},
		},
		SkipSettingGRPCLogger: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{col: col, file: file, ran: make(chan error, 1)}
	go func() { c.ran <- col.Run(context.Background()) }()
	t.Cleanup(c.stop)
	for col.GetState() != otelcol.StateRunning {
		select {
		case err := <-c.ran:
			c.ran <- err
			t.Fatalf("collector: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	return c
}

// stop shuts the Collector down and waits until it has (again: nothing).
func (c *collector) stop() {
	if c.col.GetState() != otelcol.StateClosed {
		c.col.Shutdown()
	}
	err := <-c.ran
	c.ran <- err
}

// otlpRecord is one log record as the Collector wrote it.
type otlpRecord struct {
	resource pcommon.Map
	attrs    pcommon.Map
	body     string
	ts       time.Time
}

func (r otlpRecord) attr(key string) string {
	v, ok := r.attrs.Get(key)
	if !ok {
		return ""
	}
	return v.AsString()
}

// records reads the log records in the Collector's file so far (a line
// not yet written whole is left for later).
func (c *collector) records(t *testing.T) []otlpRecord {
	t.Helper()
	data, err := os.ReadFile(c.file)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []otlpRecord
	var um plog.JSONUnmarshaler
	// Whole lines only: the last may be being written.
	lines := bytes.Split(data, []byte("\n"))
	for _, line := range lines[:len(lines)-1] {
		logs, err := um.UnmarshalLogs(line)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(c.file), err)
		}
		for i := 0; i < logs.ResourceLogs().Len(); i++ {
			rl := logs.ResourceLogs().At(i)
			for j := 0; j < rl.ScopeLogs().Len(); j++ {
				lrs := rl.ScopeLogs().At(j).LogRecords()
				for k := 0; k < lrs.Len(); k++ {
					lr := lrs.At(k)
					out = append(out, otlpRecord{resource: rl.Resource().Attributes(), attrs: lr.Attributes(),
						body: lr.Body().AsString(), ts: lr.Timestamp().AsTime()})
				}
			}
		}
	}
	return out
}

// waitRecord waits until the Collector has written a record that match
// accepts, and returns it. Two minutes without one fails the test (a
// bound on a wait that should end in a second, not a timing assertion).
func (c *collector) waitRecord(t *testing.T, what string, match func(otlpRecord) bool) otlpRecord {
	t.Helper()
	limit := time.After(2 * time.Minute)
	for {
		for _, r := range c.records(t) {
			if match(r) {
				return r
			}
		}
		select {
		case <-limit:
			t.Fatalf("no record of %s reached the collector (%d records in all)", what, len(c.records(t)))
		case <-time.After(50 * time.Millisecond):
		}
	}
}
