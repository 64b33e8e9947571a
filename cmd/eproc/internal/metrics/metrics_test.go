package metrics

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/loader/wire"
	"github.com/eproc/eproc/procview"
	"github.com/eproc/eproc/strace"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/zap/zaptest"
	"golang.org/x/sys/unix"
)

// These tests load the real BPF programs, mount a real view and trace real
// processes: they need root and /dev/fuse, and skip without them, except
// under CI=true.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		if _, err := os.Stat("/dev/fuse"); err == nil {
			return
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true: these tests need root and /dev/fuse")
	}
	t.Skip("needs root and /dev/fuse")
}

// setup mounts a view, as eproc mount does, and serves its metrics on a
// port of 127.0.0.1: the engine, the view's directory and the /metrics URL.
func setup(t *testing.T) (*loader.Engine, string, string) {
	needRoot(t)
	log := zaptest.NewLogger(t)
	eng, err := loader.Open(loader.Config{RingSize: 8 << 20, StartRingSize: 4 << 20, IdleRingSize: 256 << 10, Spool: 16 << 20, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if err := eng.SetPlans(strace.Plans()); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "eproc-metrics-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(dir) })
	v, err := procview.Mount(dir, eng, procview.Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := v.Close(); err != nil {
			t.Errorf("unmount: %v", err)
		}
	})
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := Serve(ln, v, eng, nil, log)
	t.Cleanup(func() { s.Close() })
	return eng, dir, "http://" + s.Addr().String() + "/metrics"
}

// tracee is a shell blocked on a fifo until released, then running script.
type tracee struct {
	cmd  *exec.Cmd
	fifo string
}

func startTracee(t *testing.T, script string) *tracee {
	t.Helper()
	fifo := filepath.Join(t.TempDir(), "go")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", `read _ < "$1"; `+script, "sh", fifo)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tr := &tracee{cmd: cmd, fifo: fifo}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return tr
}

func (tr *tracee) pid() int { return tr.cmd.Process.Pid }

func (tr *tracee) release(t *testing.T) {
	t.Helper()
	if err := os.WriteFile(tr.fifo, []byte("\n"), 0); err != nil {
		t.Fatal(err)
	}
}

func ctl(t *testing.T, dir string, pid int, cmd string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(pid), "ctl"), []byte(cmd+"\n"), 0); err != nil {
		t.Fatalf("echo %s > ctl: %v", cmd, err)
	}
}

var hangup = regexp.MustCompile(`(?m)^Traced ~(\d+) syscs, Dropped (\d+)$`)

// hangupCount is the N of a stream's "Traced ~N syscs" line.
func hangupCount(t *testing.T, stream string) uint64 {
	t.Helper()
	m := hangup.FindStringSubmatch(stream)
	if m == nil {
		t.Fatalf("no hang-up line in the stream:\n%s", stream)
	}
	n, _ := strconv.ParseUint(m[1], 10, 64)
	return n
}

// scrape reads the metrics as Prometheus would.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mf, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return mf
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	return 0
}

// find returns the value of the series of family name whose labels include
// want, and whether there is one.
func find(mf map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := mf[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		l := labels(m)
		for k, v := range want {
			if l[k] != v {
				continue next
			}
		}
		return value(m), true
	}
	return 0, false
}

func must(t *testing.T, mf map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	v, ok := find(mf, name, want)
	if !ok {
		t.Fatalf("no %s%v in the scrape", name, want)
	}
	return v
}

// labelNames lists a family's label names (those of its first series).
func labelNames(f *dto.MetricFamily) string {
	var names []string
	if len(f.GetMetric()) > 0 {
		for k := range labels(f.GetMetric()[0]) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// TestMetricsScrape traces two real processes in a real view and scrapes
// /metrics with net/http: every metric eproc documents is there with its
// labels, the per-session series are the live session's and go when it
// ends, and the totals keep the sessions that ended and agree with the
// streams' hang-up lines.
func TestMetricsScrape(t *testing.T) {
	eng, dir, url := setup(t)
	// The kernel keeps BPF run statistics while this is open.
	stats, err := ebpf.EnableStats(uint32(unix.BPF_STATS_RUN_TIME))
	if err != nil {
		t.Fatalf("BPF_ENABLE_STATS: %v", err)
	}
	defer stats.Close()

	a := startTracee(t, `ls / >/dev/null; exit 0`)
	ctl(t, dir, a.pid(), "straceall")
	b := startTracee(t, `exit 0`)
	ctl(t, dir, b.pid(), "straceme")
	a.release(t)
	out, err := os.ReadFile(filepath.Join(dir, strconv.Itoa(a.pid()), "strace"))
	if err != nil {
		t.Fatal(err)
	}
	nA := hangupCount(t, string(out))
	if nA == 0 {
		t.Fatalf("the stream counted no calls:\n%s", out)
	}
	a.cmd.Wait()

	// Errors the view answers: a lookup of no process, a bad command.
	if _, err := os.Stat(filepath.Join(dir, "999999999")); !os.IsNotExist(err) {
		t.Fatalf("stat of no process: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(b.pid()), "ctl"), []byte("bogus\n"), 0); err == nil || !strings.Contains(err.Error(), syscall.EINVAL.Error()) {
		t.Fatalf("bad command: %v, want EINVAL", err)
	}
	// KVM exits, through the kernel's accounting.
	const nio = 5
	for i := 0; i < nio; i++ {
		if err := eng.InjectKVMExit(b.pid(), b.pid(), wire.KVMExit{Reason: 0x7b, ISA: wire.KVMISASVM}); err != nil {
			t.Fatal(err)
		}
	}

	mf := scrape(t, url)
	checkNames(t, mf)
	checkLive(t, mf, nA, b.pid(), nio)
	checkEnded(t, url, b, mf)
}

// checkLive: A's session ended with nA calls in its hang-up line; B's
// (straceme) is live, and made nio KVM exits.
func checkLive(t *testing.T, mf map[string]*dto.MetricFamily, nA uint64, pidB, nio int) {
	t.Helper()
	sessB := map[string]string{"pid": strconv.Itoa(pidB), "mode": "straceme"}
	for _, name := range sessionFamilies {
		if f := mf[name]; f == nil || len(f.GetMetric()) != 1 {
			t.Fatalf("%s: want one series (the live session's), got %v", name, f)
		}
		must(t, mf, name, sessB)
	}
	if got := must(t, mf, "eproc_sessions_live", nil); got != 1 {
		t.Errorf("eproc_sessions_live = %v, want 1", got)
	}
	if got := must(t, mf, "eproc_sessions_total", nil); got != 2 {
		t.Errorf("eproc_sessions_total = %v, want 2", got)
	}
	// The totals are A's (ended) and B's (live): what the streams deliver,
	// plus the readers' own calls they leave out.
	total := must(t, mf, "eproc_syscalls_total", nil) - must(t, mf, "eproc_syscalls_skipped_total", nil)
	liveB := must(t, mf, "eproc_session_syscalls_total", sessB) - must(t, mf, "eproc_session_syscalls_skipped_total", sessB)
	if total != float64(nA)+liveB {
		t.Errorf("eproc_syscalls_total - skipped = %v, want A's hang-up count %d + B's %v", total, nA, liveB)
	}
	if got := must(t, mf, "eproc_session_ring_bytes", sessB); got < 256<<10 {
		t.Errorf("eproc_session_ring_bytes = %v", got)
	}
	if got := must(t, mf, "eproc_ring_bytes", map[string]string{"state": "live"}); got < 256<<10 {
		t.Errorf("eproc_ring_bytes{state=live} = %v", got)
	}
	if got := must(t, mf, "eproc_fuse_errors_total", map[string]string{"op": "lookup", "errno": "ENOENT"}); got < 1 {
		t.Errorf("lookup ENOENT errors: %v", got)
	}
	if got := must(t, mf, "eproc_fuse_errors_total", map[string]string{"op": "write", "errno": "EINVAL"}); got < 1 {
		t.Errorf("write EINVAL errors: %v", got)
	}
	if got := must(t, mf, "eproc_fuse_requests_total", map[string]string{"op": "open"}); got < 3 {
		t.Errorf("open requests: %v (at least A's strace and two ctl writes)", got)
	}
	if got := must(t, mf, "eproc_kvm_exits_total", map[string]string{"pid": strconv.Itoa(pidB), "isa": "svm", "reason": "io"}); got != float64(nio) {
		t.Errorf("eproc_kvm_exits_total{reason=io} = %v, want %d", got, nio)
	}
	if got := must(t, mf, "eproc_bpf_program_runs_total", map[string]string{"program": "sys_exit"}); got < float64(nA) {
		t.Errorf("sys_exit runs = %v, want at least the %d traced calls", got, nA)
	}
}

// sessionFamilies are the per-session metrics.
var sessionFamilies = []string{"eproc_session_syscalls_total", "eproc_session_syscalls_dropped_total",
	"eproc_session_records_lost_total", "eproc_session_syscalls_skipped_total", "eproc_session_ring_bytes",
	"eproc_session_readers", "eproc_session_processes"}

// checkNames: every documented family, with its labels.
func checkNames(t *testing.T, mf map[string]*dto.MetricFamily) {
	t.Helper()
	want := map[string]string{
		"eproc_sessions_live": "", "eproc_sessions_total": "", "eproc_syscalls_total": "",
		"eproc_syscalls_dropped_total": "", "eproc_records_lost_total": "", "eproc_syscalls_skipped_total": "",
		"eproc_readers": "", "eproc_ring_bytes": "state",
		"eproc_fuse_requests_total": "op", "eproc_fuse_errors_total": "errno,op",
		"eproc_kvm_exits_total": "isa,pid,reason", "eproc_kvm_exits_uncounted_total": "",
		"eproc_bpf_stats_enabled": "", "eproc_bpf_program_runs_total": "program",
		"eproc_bpf_program_run_seconds_total": "program",
	}
	for _, name := range sessionFamilies {
		want[name] = "mode,pid,session"
	}
	for name, l := range want {
		f := mf[name]
		if f == nil {
			t.Errorf("no %s", name)
			continue
		}
		if got := labelNames(f); got != l {
			t.Errorf("%s: labels %q, want %q", name, got, l)
		}
	}
}

// checkEnded: once B's session ends, its series go, and the totals keep it.
func checkEnded(t *testing.T, url string, b *tracee, before map[string]*dto.MetricFamily) {
	t.Helper()
	b.release(t)
	b.cmd.Wait()
	var mf map[string]*dto.MetricFamily
	for i := 0; ; i++ {
		mf = scrape(t, url)
		if must(t, mf, "eproc_sessions_live", nil) == 0 {
			break
		}
		if i == 1000 {
			t.Fatal("B's session did not end")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, name := range sessionFamilies {
		if f := mf[name]; f != nil {
			t.Errorf("%s after the last session ended: %v", name, f)
		}
	}
	if got := must(t, mf, "eproc_sessions_total", nil); got != 2 {
		t.Errorf("eproc_sessions_total = %v, want 2", got)
	}
	for _, name := range []string{"eproc_syscalls_total", "eproc_syscalls_skipped_total", "eproc_syscalls_dropped_total", "eproc_records_lost_total"} {
		if now, was := must(t, mf, name, nil), must(t, before, name, nil); now < was {
			t.Errorf("%s went back from %v to %v", name, was, now)
		}
	}
	if _, ok := find(mf, "eproc_kvm_exits_total", map[string]string{"pid": strconv.Itoa(b.pid())}); ok {
		t.Error("KVM exits of an exited process are still there")
	}
}
