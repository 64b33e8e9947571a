package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"golang.org/x/sys/unix"
)

// syncBuffer is a process's output, read while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// poll calls cond every 100 ms until it holds, for up to a minute, then
// fails with what and the log.
func poll(t *testing.T, what string, log fmt.Stringer, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i == 600 {
			t.Fatalf("%s: not after a minute; log:\n%s", what, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var metricsURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+/metrics`)

// startMetricsDaemon runs `eproc mount -q --metrics 127.0.0.1:0 DIR` and
// returns the directory and the URL it logged, once the view answers.
func startMetricsDaemon(t *testing.T, eproc string) (dir, murl string) {
	t.Helper()
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Fatalf("/dev/fuse: %v", err)
	}
	dir, err := os.MkdirTemp("", "eproc-metrics-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(dir) })
	d := exec.Command(eproc, "mount", "-q", "-trace-socket", "", "--metrics", "127.0.0.1:0", dir)
	dlog := &syncBuffer{}
	d.Stdout, d.Stderr = dlog, dlog
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.Process.Signal(syscall.SIGTERM)
		if err := d.Wait(); err != nil {
			t.Errorf("eproc mount: %v; log:\n%s", err, dlog)
		}
	})
	poll(t, "the daemon's metrics URL", dlog, func() bool { murl = metricsURL.FindString(dlog.String()); return murl != "" })
	if _, err := os.Stat(filepath.Join(dir, "self")); err != nil {
		t.Fatalf("the view: %v; log:\n%s", err, dlog)
	}
	return dir, murl
}

// scrapeTotals reads eproc_syscalls_total and eproc_syscalls_skipped_total
// from the daemon itself.
func scrapeTotals(t *testing.T, murl string) (seen, skipped float64) {
	t.Helper()
	resp, err := http.Get(murl)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mf, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"eproc_syscalls_total", "eproc_syscalls_skipped_total"} {
		if f := mf[name]; f == nil || len(f.GetMetric()) != 1 {
			t.Fatalf("%s: %v", name, f)
		}
	}
	return mf["eproc_syscalls_total"].GetMetric()[0].GetCounter().GetValue(),
		mf["eproc_syscalls_skipped_total"].GetMetric()[0].GetCounter().GetValue()
}

// traceOne traces `ls /` through the view and returns its stream's
// hang-up count.
func traceOne(t *testing.T, dir string) uint64 {
	t.Helper()
	fifo := filepath.Join(t.TempDir(), "go")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sh := exec.Command("sh", "-c", `read _ < "$1"; ls / >/dev/null`, "sh", fifo)
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	defer sh.Wait()
	pdir := filepath.Join(dir, strconv.Itoa(sh.Process.Pid))
	if err := os.WriteFile(filepath.Join(pdir, "ctl"), []byte("straceall\n"), 0); err != nil {
		sh.Process.Kill()
		t.Fatal(err)
	}
	if err := os.WriteFile(fifo, []byte("\n"), 0); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(filepath.Join(pdir, "strace"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Traced ~(\d+) syscs, Dropped 0$`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("no hang-up line (or calls dropped):\n%s", out)
	}
	n, _ := strconv.ParseUint(m[1], 10, 64)
	return n
}

// freePort is a TCP port of 127.0.0.1 nobody listens on (now).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startPrometheus runs a Prometheus server of its own (not the Debian
// service's, on :9090) that scrapes target every second; its API's URL.
func startPrometheus(t *testing.T, target string) (api string, log fmt.Stringer) {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("prometheus is not installed (scripts/test-deps.sh installs it)")
		}
		t.Skip("prometheus is not installed (scripts/test-deps.sh installs it)")
	}
	tmp := t.TempDir()
	cfg := filepath.Join(tmp, "prometheus.yml")
	conf := fmt.Sprintf("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"+
		"scrape_configs:\n  - job_name: eproc\n    static_configs:\n      - targets: ['%s']\n", target)
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	p := exec.Command(bin, "--config.file="+cfg, "--web.listen-address="+addr, "--storage.tsdb.path="+filepath.Join(tmp, "data"))
	plog := &syncBuffer{}
	p.Stdout, p.Stderr = plog, plog
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Process.Signal(syscall.SIGTERM); p.Wait() })
	return "http://" + addr, plog
}

// promQuery runs an instant query; the value of its one series, and
// whether there is one.
func promQuery(api, q string) (float64, bool) {
	resp, err := http.Get(api + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	var r struct {
		Status string
		Data   struct {
			Result []struct {
				Value [2]any
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.Status != "success" || len(r.Data.Result) != 1 {
		return 0, false
	}
	s, _ := r.Data.Result[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// TestMetricsPrometheus: the daemon, `eproc mount --metrics`, traces a real
// process; a real Prometheus server scrapes it; its query API gives
// eproc_syscalls_total, which is what the daemon counted: the stream's
// hang-up count plus the readers' calls it left out.
func TestMetricsPrometheus(t *testing.T) {
	eproc, _ := traceTools(t)
	dir, murl := startMetricsDaemon(t, eproc)
	n := traceOne(t, dir)
	seen, skipped := scrapeTotals(t, murl)
	if seen <= 0 || seen-skipped != float64(n) {
		t.Fatalf("the daemon's eproc_syscalls_total %v - skipped %v, want the hang-up count %d", seen, skipped, n)
	}
	u, err := url.Parse(murl)
	if err != nil {
		t.Fatal(err)
	}
	api, plog := startPrometheus(t, u.Host)
	var got float64
	poll(t, "eproc_syscalls_total through Prometheus", plog, func() bool {
		var ok bool
		got, ok = promQuery(api, `eproc_syscalls_total{job="eproc"}`)
		return ok
	})
	// The session has ended: the total stays what the daemon counted.
	if got <= 0 || got != seen {
		t.Errorf("Prometheus: eproc_syscalls_total = %v, the daemon counted %v", got, seen)
	}
	if up, ok := promQuery(api, `up{job="eproc"}`); !ok || up != 1 {
		t.Errorf("Prometheus: up = %v (%v)", up, ok)
	}
	if s, ok := promQuery(api, `eproc_sessions_total{job="eproc"}`); !ok || s != 1 {
		t.Errorf("Prometheus: eproc_sessions_total = %v (%v), want 1", s, ok)
	}
	if s, ok := promQuery(api, `sum(eproc_fuse_requests_total{job="eproc",op="open"})`); !ok || s < 2 {
		t.Errorf("Prometheus: open requests = %v (%v), want at least ctl's and strace's", s, ok)
	}
}
