// Package otlptest runs a real OpenTelemetry Collector in a test's
// process, from the Collector's own Go modules: the OTLP receiver (gRPC, on
// a localhost port) and the file exporter (OTLP JSON, one export per line)
// in a logs pipeline. What eproc sends is read back from the file. Only
// tests import it.
package otlptest

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

// Collector is one running Collector.
type Collector struct {
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

// FreePort is a localhost address no one listens on now.
func FreePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Start runs a Collector that receives OTLP on addr and writes
// what it receives to file; it is shut down at the end of the test, if
// not before. It returns once the Collector is running (its receiver
// listens).
func Start(t testing.TB, addr, file string) *Collector {
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
	c := &Collector{col: col, file: file, ran: make(chan error, 1)}
	go func() { c.ran <- col.Run(context.Background()) }()
	t.Cleanup(c.Stop)
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

// Stop shuts the Collector down and waits until it has (again: nothing).
func (c *Collector) Stop() {
	if c.col.GetState() != otelcol.StateClosed {
		c.col.Shutdown()
	}
	err := <-c.ran
	c.ran <- err
}

// Record is one log record as the Collector wrote it.
type Record struct {
	Resource pcommon.Map
	Attrs    pcommon.Map
	Body     string
	Time     time.Time
}

// Attr is the record's attribute key as a string; "" when it has none.
func (r Record) Attr(key string) string {
	v, ok := r.Attrs.Get(key)
	if !ok {
		return ""
	}
	return v.AsString()
}

// Records reads the log records in the Collector's file so far (a line
// not yet written whole is left for later).
func (c *Collector) Records(t testing.TB) []Record {
	t.Helper()
	data, err := os.ReadFile(c.file)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []Record
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
					out = append(out, Record{Resource: rl.Resource().Attributes(), Attrs: lr.Attributes(),
						Body: lr.Body().AsString(), Time: lr.Timestamp().AsTime()})
				}
			}
		}
	}
	return out
}

// WaitRecord waits until the Collector has written a record that match
// accepts, and returns it. Two minutes without one fails the test (a
// bound on a wait that should end in a second, not a timing assertion).
func (c *Collector) WaitRecord(t testing.TB, what string, match func(Record) bool) Record {
	t.Helper()
	limit := time.After(2 * time.Minute)
	for {
		for _, r := range c.Records(t) {
			if match(r) {
				return r
			}
		}
		select {
		case <-limit:
			t.Fatalf("no record of %s reached the collector (%d records in all)", what, len(c.Records(t)))
		case <-time.After(50 * time.Millisecond):
		}
	}
}
