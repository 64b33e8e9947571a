package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eproc/eproc/strace/otlp/otlptest"
)

// TestFleetRates measures what one node's daemon sustains, for
// docs/fleet.md: a daemon with -otlp to a Collector and -metrics, a
// workload traced by straceall with a cat reading its stream, and the
// numbers the daemon's own metrics and /proc give: calls per second
// traced, text bytes per second read, OTLP records exported and dropped,
// the daemon's CPU and memory. A benchmark, not a test: it runs only with
// EPROC_FLEET_BENCH=1 (make bench), and asserts nothing of speed.
func TestFleetRates(t *testing.T) {
	if os.Getenv("EPROC_FLEET_BENCH") != "1" {
		t.Skip("a benchmark: EPROC_FLEET_BENCH=1 (make bench)")
	}
	eproc, _ := traceTools(t)
	addr := otlptest.FreePort(t)
	otlptest.Start(t, addr, filepath.Join(t.TempDir(), "logs.json"))
	maddr := otlptest.FreePort(t)
	dir := t.TempDir()
	d := exec.Command(eproc, "mount", "-q", "-trace-socket", "", "-otlp", addr, "-metrics", maddr, dir)
	var dlog syncBuffer
	d.Stderr = &dlog
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { d.Process.Signal(syscall.SIGTERM); d.Wait() }()
	poll(t, "the view", &dlog, func() bool { _, err := os.Stat(filepath.Join(dir, "self", "ctl")); return err == nil })
	t.Logf("CPU: %s", cpuModel())
	for _, w := range []struct{ name, script string }{
		{"dd bs=1, 200,000 calls", "dd if=/dev/zero of=/dev/null bs=1 count=100000 2>/dev/null"},
		{"a shell loop, 2,000 processes", "i=0; while [ $i -lt 2000 ]; do /bin/true; i=$((i+1)); done"},
		{"ls -R /usr/share, 3 times", "for i in 1 2 3; do ls -R /usr/share > /dev/null; done"},
	} {
		fleetRun(t, eproc, dir, "http://"+maddr+"/metrics", d.Process.Pid, w.name, w.script)
	}
}

// fleetRun traces one workload through the daemon and logs its rates.
func fleetRun(t *testing.T, eproc, dir, murl string, daemon int, name, script string) {
	m0, cpu0 := scrapeAll(t, murl), procCPU(daemon)
	t0 := time.Now()
	// The shell starts its session, then waits for its reader before it
	// runs the workload.
	sh := exec.Command("/bin/sh", "-c", `echo straceall > "$0/$$/ctl"; read go; `+script, dir)
	in, _ := sh.StdinPipe()
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	pid := sh.Process.Pid
	poll(t, "the session", new(syncBuffer), func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, strconv.Itoa(pid), "status"))
		return bytes.Contains(b, []byte("StraceSession"))
	})
	f, err := os.Open(filepath.Join(dir, strconv.Itoa(pid), "strace"))
	if err != nil {
		t.Fatal(err)
	}
	read := make(chan int64)
	go func() { n, _ := io.Copy(io.Discard, f); read <- n }()
	in.Write([]byte("go\n"))
	in.Close()
	sh.Wait()
	text := <-read
	f.Close()
	el := time.Since(t0).Seconds()
	m1, cpu1 := scrapeAll(t, murl), procCPU(daemon)
	delta := func(k string) float64 { return m1[k] - m0[k] }
	time.Sleep(2 * time.Second) // the exporter's queue drains
	m2 := scrapeAll(t, murl)
	t.Logf("%-32s %6.2f s  calls/s %9.0f  text B/s %10.0f  dropped %4.0f  OTLP records/s %8.0f exported, %8.0f dropped  daemon CPU %5.1f%%  RSS %5.1f MiB  rings %5.1f MiB",
		name, el, delta("eproc_syscalls_total")/el, float64(text)/el, delta("eproc_syscalls_dropped_total"),
		(m2["eproc_otlp_records_exported_total"]-m0["eproc_otlp_records_exported_total"])/el,
		(m2["eproc_otlp_records_dropped_total"]-m0["eproc_otlp_records_dropped_total"])/el,
		100*(cpu1-cpu0)/el, m1["process_resident_memory_bytes"]/(1<<20), m1["eproc_ring_bytes"]/(1<<20))
}

// scrapeAll reads the metrics without labels, and sums eproc_ring_bytes.
func scrapeAll(t *testing.T, murl string) map[string]float64 {
	resp, err := http.Get(murl)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := map[string]float64{}
	re := regexp.MustCompile(`(?m)^([a-z_]+)(\{[^}]*\})? (\S+)$`)
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			continue
		}
		if m[2] == "" || m[1] == "eproc_ring_bytes" {
			out[m[1]] += v
		}
	}
	return out
}

// procCPU is a process's user and system time, in seconds.
func procCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	u, _ := strconv.ParseFloat(f[11], 64)
	s, _ := strconv.ParseFloat(f[12], 64)
	return (u + s) / 100
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
