// Package metrics serves the view daemon's numbers to Prometheus
// (`eproc mount --metrics ADDR`): sessions, syscalls seen, dropped and lost,
// ring memory, readers, FUSE requests and errors, KVM exits and BPF program
// run statistics. Its Collector reads the counters the view and the engine
// keep anyway, at scrape time: nothing is counted on a record's way for
// it. docs/metrics.md lists the metrics.
package metrics

import (
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/procview"
	"github.com/eproc/eproc/strace"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
)

// sessionLabels label a live session's series: its number (its slot, as
// tracepids shows it), the process it was started on, and its mode.
var sessionLabels = []string{"session", "pid", "mode"}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

// The metrics (docs/metrics.md).
var (
	sessionsLive   = desc("eproc_sessions_live", "Sessions live (tracing, or ending).")
	sessionsTotal  = desc("eproc_sessions_total", "Sessions the view has started, ended ones included.")
	syscallsTotal  = desc("eproc_syscalls_total", "Syscalls made by traced processes, in every session, ended ones included.")
	droppedTotal   = desc("eproc_syscalls_dropped_total", "Syscall records lost to a full ring buffer, in every session.")
	lostTotal      = desc("eproc_records_lost_total", "Other records (signals, exits, forks, entries) lost to a full ring buffer, in every session.")
	skippedTotal   = desc("eproc_syscalls_skipped_total", "Syscalls of the streams' own readers: counted in eproc_syscalls_total, left out of the streams.")
	readers        = desc("eproc_readers", "Open strace files, of live sessions and of ended ones still being read.")
	ringBytes      = desc("eproc_ring_bytes", "Kernel memory of the ring buffers, by state: live (a live session's), kept (for the next session), spare (made ahead for growth).", "state")
	sessSyscalls   = desc("eproc_session_syscalls_total", "Syscalls made by the session's processes.", sessionLabels...)
	sessDropped    = desc("eproc_session_syscalls_dropped_total", "The session's syscall records lost to a full ring buffer.", sessionLabels...)
	sessLost       = desc("eproc_session_records_lost_total", "The session's other records lost to a full ring buffer.", sessionLabels...)
	sessSkipped    = desc("eproc_session_syscalls_skipped_total", "Syscalls of the session's readers, left out of its stream.", sessionLabels...)
	sessRingBytes  = desc("eproc_session_ring_bytes", "The session's ring buffer size now.", sessionLabels...)
	sessReaders    = desc("eproc_session_readers", "Open strace files reading the session.", sessionLabels...)
	sessProcs      = desc("eproc_session_processes", "The session's processes still running.", sessionLabels...)
	fuseRequests   = desc("eproc_fuse_requests_total", "FUSE requests the view answered, by operation.", "op")
	fuseErrors     = desc("eproc_fuse_errors_total", "FUSE requests the view answered with an error, by operation and errno.", "op", "errno")
	kvmExits       = desc("eproc_kvm_exits_total", "KVM exits of each live process that ran a guest, by ISA and reason (the kernel's names; vmstatus' counts).", "pid", "isa", "reason")
	kvmUncounted   = desc("eproc_kvm_exits_uncounted_total", "KVM exits that found the count maps full.")
	bpfStatsOn     = desc("eproc_bpf_stats_enabled", "1 when the sysctl kernel.bpf_stats_enabled is on.")
	bpfRuns        = desc("eproc_bpf_program_runs_total", "Runs of each BPF program, while the kernel keeps statistics.", "program")
	bpfRunSeconds  = desc("eproc_bpf_program_run_seconds_total", "Time spent in each BPF program, while the kernel keeps statistics.", "program")
	otlpExported   = desc("eproc_otlp_records_exported_total", "Records the OTLP exporter sent to the collector (eproc mount -otlp).")
	otlpDropped    = desc("eproc_otlp_records_dropped_total", "Records the OTLP exporter dropped: its queue full (the collector slow or down), or refused after retries.")
	allDescriptors = []*prometheus.Desc{otlpExported, otlpDropped, sessionsLive, sessionsTotal, syscallsTotal, droppedTotal, lostTotal, skippedTotal,
		readers, ringBytes, sessSyscalls, sessDropped, sessLost, sessSkipped, sessRingBytes, sessReaders, sessProcs,
		fuseRequests, fuseErrors, kvmExits, kvmUncounted, bpfStatsOn, bpfRuns, bpfRunSeconds}
)

// Collector reads a view's and its engine's numbers at each scrape.
type Collector struct {
	View   *procview.View
	Engine *loader.Engine
	// BPFStatsSysctl is the sysctl file read for eproc_bpf_stats_enabled;
	// empty means /proc/sys/kernel/bpf_stats_enabled.
	BPFStatsSysctl string
	// Export is the OTLP exporter's account, if the daemon exports.
	Export ExportCounts
}

// ExportCounts is an exporter's account: records sent and dropped.
type ExportCounts interface {
	Exported() uint64
	Dropped() uint64
}

// Describe sends every metric's description.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescriptors {
		ch <- d
	}
}

// Collect reads the numbers. A number that cannot be read is reported as
// an invalid metric, which fails the scrape with the error: never left
// out silently.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	st := c.View.Stats()
	c.collectSessions(ch, st)
	for _, o := range st.FuseOps {
		ch <- counter(fuseRequests, o.Count, o.Op)
	}
	for _, e := range st.FuseErrs {
		ch <- counter(fuseErrors, e.Count, e.Op, e.Errno)
	}
	c.collectKVM(ch)
	c.collectBPF(ch)
	if c.Export != nil {
		ch <- counter(otlpExported, c.Export.Exported())
		ch <- counter(otlpDropped, c.Export.Dropped())
	}
}

func counter(d *prometheus.Desc, v uint64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
}

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

// collectSessions: the totals (ended sessions plus live ones), then each
// live session's series, which go when it ends.
func (c *Collector) collectSessions(ch chan<- prometheus.Metric, st procview.Stats) {
	tot := st.Ended
	for _, s := range st.Live {
		tot.Sessions++
		tot.Seen += s.Seen
		tot.Dropped += s.Dropped
		tot.Lost += s.Lost
		tot.Skipped += s.Skipped
		l := []string{strconv.FormatUint(uint64(s.ID), 10), strconv.Itoa(s.Pid), s.Mode}
		ch <- counter(sessSyscalls, s.Seen, l...)
		ch <- counter(sessDropped, s.Dropped, l...)
		ch <- counter(sessLost, s.Lost, l...)
		ch <- counter(sessSkipped, s.Skipped, l...)
		ch <- gauge(sessRingBytes, float64(s.RingBytes), l...)
		ch <- gauge(sessReaders, float64(s.Readers), l...)
		ch <- gauge(sessProcs, float64(s.Procs), l...)
	}
	ch <- gauge(sessionsLive, float64(len(st.Live)))
	ch <- counter(sessionsTotal, tot.Sessions)
	ch <- counter(syscallsTotal, tot.Seen)
	ch <- counter(droppedTotal, tot.Dropped)
	ch <- counter(lostTotal, tot.Lost)
	ch <- counter(skippedTotal, tot.Skipped)
	ch <- gauge(readers, float64(st.Readers))
	live, kept, spare := c.Engine.RingBytes()
	ch <- gauge(ringBytes, float64(live), "live")
	ch <- gauge(ringBytes, float64(kept), "kept")
	ch <- gauge(ringBytes, float64(spare), "spare")
}

// collectKVM: the exits vmstatus counts, for every process at once.
func (c *Collector) collectKVM(ch chan<- prometheus.Metric) {
	counts, err := c.Engine.AllKVMCounts()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(kvmExits, err)
		return
	}
	for pid, byReason := range counts {
		// Two codes may share a name (as vmstatus adds them up).
		byName := map[[2]string]uint64{}
		for r, n := range byReason {
			byName[[2]string{strace.KVMISAName(r.ISA), strace.KVMExitName(r.ISA, r.Reason)}] += n
		}
		p := strconv.Itoa(pid)
		for k, n := range byName {
			ch <- counter(kvmExits, n, p, k[0], k[1])
		}
	}
	ch <- counter(kvmUncounted, c.Engine.KVMUncounted())
}

// collectBPF: the programs' run statistics, where the kernel keeps them:
// while the sysctl is on, and after (what was counted stays counted).
func (c *Collector) collectBPF(ch chan<- prometheus.Metric) {
	path := c.BPFStatsSysctl
	if path == "" {
		path = "/proc/sys/kernel/bpf_stats_enabled"
	}
	on := 0.0
	if b, err := os.ReadFile(path); err == nil && strings.TrimSpace(string(b)) != "0" {
		on = 1
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		ch <- prometheus.NewInvalidMetric(bpfStatsOn, err)
	}
	ch <- gauge(bpfStatsOn, on)
	progs, err := c.Engine.ProgramStats()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(bpfRuns, err)
	}
	for _, p := range progs {
		if on == 0 && p.RunCount == 0 && p.RunTime == 0 {
			continue // statistics off, and never kept
		}
		ch <- counter(bpfRuns, p.RunCount, p.Name)
		ch <- prometheus.MustNewConstMetric(bpfRunSeconds, prometheus.CounterValue, p.RunTime.Seconds(), p.Name)
	}
}

// Server serves /metrics.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Listen takes the address first, so that a daemon finds it taken before
// it mounts anything.
func Listen(addr string) (net.Listener, error) {
	return net.Listen("tcp", addr)
}

// Serve serves the view's metrics (and exp's, when not nil), with the Go runtime's and the
// process's, at http://ADDR/metrics, on ln, until Close.
func Serve(ln net.Listener, v *procview.View, eng *loader.Engine, exp ExportCounts, log *zap.Logger) *Server {
	reg := prometheus.NewRegistry()
	reg.MustRegister(&Collector{View: v, Engine: eng, Export: exp},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: zap.NewStdLog(log)}))
	s := &Server{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, ln: ln}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", zap.Error(err))
		}
	}()
	return s
}

// Addr is the address served.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close stops serving.
func (s *Server) Close() error { return s.srv.Close() }
