package main

// `eproc trace --otlp` against a real Collector (otlp_collector_test.go):
// the records arrive with what a query needs, and a Collector that goes
// away and comes back costs records (counted) but never the trace.

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

var otlpLine = regexp.MustCompile(`(?m)^eproc trace: otlp: exported (\d+) records, dropped (\d+)$`)

// otlpCounts reads the counts eproc trace told on standard error.
func otlpCounts(t *testing.T, stderr string) (exported, dropped int) {
	t.Helper()
	m := otlpLine.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no otlp line on standard error:\n%s", stderr)
	}
	exported, _ = strconv.Atoi(m[1])
	dropped, _ = strconv.Atoi(m[2])
	return exported, dropped
}

// TestOTLPCollector: eproc trace --otlp exports ls's calls to a Collector,
// one record per event: its strace line as the body, ls's pid, the
// syscall's name and result as attributes, the event's time, and eproc's
// resource. Every record it says it exported is in the Collector's file.
func TestOTLPCollector(t *testing.T) {
	eproc, _ := traceTools(t)
	dir := t.TempDir()
	addr := otlptest.FreePort(t)
	col := otlptest.Start(t, addr, filepath.Join(dir, "logs.json"))

	start := time.Now()
	cmd := exec.Command(eproc, "trace", "--otlp", addr, "-o", "/dev/null", "--", "ls", "/")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("eproc trace: %v\n%s", err, stderr.String())
	}
	end := time.Now()
	exported, dropped := otlpCounts(t, stderr.String())
	if dropped != 0 || exported == 0 {
		t.Errorf("exported %d, dropped %d: want all exported, none dropped", exported, dropped)
	}

	ex := col.WaitRecord(t, "ls's execve", func(r otlptest.Record) bool {
		return r.Attr("syscall") == "execve" && strings.Contains(r.Body, `["ls", "/"]`)
	})
	pid := ex.Attr("pid")
	t.Logf("execve's record: body %q, attributes %v, time %v", ex.Body, ex.Attrs.AsRaw(), ex.Time)
	if !strings.HasPrefix(ex.Body, `execve("`) || !strings.HasSuffix(ex.Body, " = 0") ||
		ex.Attr("ret") != "0" || ex.Attr("kind") != "syscall" || ex.Attr("errno") != "" ||
		pid == "" || ex.Attr("tid") != pid || ex.Attr("session") == "" {
		t.Errorf("execve record: body %q, attributes %v", ex.Body, ex.Attrs.AsRaw())
	}
	host, _ := os.Hostname()
	if got := ex.Resource.AsRaw(); got["service.name"] != "eproc" || got["host.name"] != host {
		t.Errorf("resource %v, want service.name eproc, host.name %q", got, host)
	}
	// The event's time: between the run's start and its end (a second's
	// leeway for the clocks' conversion).
	if ex.Time.Before(start.Add(-time.Second)) || ex.Time.After(end.Add(time.Second)) {
		t.Errorf("execve's timestamp %v is not within the run (%v to %v)", ex.Time, start, end)
	}
	col.WaitRecord(t, "ls's getdents64", func(r otlptest.Record) bool {
		return r.Attr("syscall") == "getdents64" && r.Attr("pid") == pid &&
			strings.HasPrefix(r.Body, "getdents64(") && r.Attr("ret") != ""
	})
	col.WaitRecord(t, "the session's end", func(r otlptest.Record) bool {
		return r.Attr("kind") == "end" && strings.HasPrefix(r.Body, "Traced ~")
	})
	recs := col.Records(t)
	if len(recs) != exported {
		t.Errorf("the collector has %d records, eproc says it exported %d", len(recs), exported)
	}
	for _, r := range recs {
		ret, _ := strconv.ParseInt(r.Attr("ret"), 10, 64)
		if e := r.Attr("errno"); e != "" && (ret >= 0 || !strings.Contains(r.Body, " "+e+" ")) {
			t.Errorf("record with errno %s: ret %d, body %q", e, ret, r.Body)
		}
	}
}

// restartScript is the workload of TestOTLPCollectorRestart: for each line
// X it reads, N checks that /nonexistent-eproc-X exists (one failing stat
// each: N lines of trace), then it creates DIR/X.done; "end" ends it.
const restartScript = `while read x n; do
	[ "$x" = end ] && exit 0
	i=0
	while [ $i -lt $n ]; do [ -e /nonexistent-eproc-$x ]; i=$((i+1)); done
	: > "$0/$x.done"
done`

// TestOTLPCollectorRestart: the Collector is shut down while the traced
// workload runs, and later started again on the same port. The trace's
// text stays whole (every call of every phase, nothing dropped), the
// records eproc could not send are counted dropped, and records of calls
// made after the restart reach the new Collector.
func TestOTLPCollectorRestart(t *testing.T) {
	eproc, _ := traceTools(t)
	dir := t.TempDir()
	addr := otlptest.FreePort(t)
	col := otlptest.Start(t, addr, filepath.Join(dir, "logs1.json"))

	out := filepath.Join(dir, "trace.txt")
	cmd := exec.Command(eproc, "trace", "--otlp", addr, "-b", strconv.Itoa(64<<20), "-o", out,
		"--", "/bin/sh", "-c", restartScript, dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	phase := func(x string, n int) {
		t.Helper()
		fmt.Fprintf(stdin, "%s %d\n", x, n)
		waitFile(t, filepath.Join(dir, x+".done"))
	}
	made := func(x string) func(otlptest.Record) bool {
		return func(r otlptest.Record) bool {
			return strings.Contains(r.Body, `"/nonexistent-eproc-`+x+`"`) && r.Attr("errno") == "ENOENT"
		}
	}

	const many = 60000 // more than the exporter's queue holds
	phase("a", 10)
	col.WaitRecord(t, "a call before the shutdown", made("a"))
	col.Stop()
	phase("b", many)
	col = otlptest.Start(t, addr, filepath.Join(dir, "logs2.json"))
	// The exporter sends what it has queued first; calls made while its
	// queue is full are dropped. So: phases c1, c2, ... until one's calls
	// reach the new Collector.
	cs := 0
	for limit := time.After(2 * time.Minute); ; {
		cs++
		phase("c"+strconv.Itoa(cs), 10)
		if arrived(col.Records(t), "c") {
			break
		}
		select {
		case <-limit:
			t.Fatalf("no record of %d phases after the restart reached the collector", cs)
		case <-time.After(200 * time.Millisecond):
		}
	}
	fmt.Fprintf(stdin, "end\n")
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("eproc trace: %v\n%s", err, stderr.String())
	}

	exported, dropped := otlpCounts(t, stderr.String())
	t.Logf("exported %d, dropped %d; %d phases after the restart", exported, dropped, cs)
	if dropped == 0 || exported == 0 {
		t.Errorf("exported %d, dropped %d: want some of each", exported, dropped)
	}
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"a": 10, "b": many}
	for i := 1; i <= cs; i++ {
		want["c"+strconv.Itoa(i)] = 10
	}
	for x, n := range want {
		if got := bytes.Count(text, []byte(`"/nonexistent-eproc-`+x+`"`)); got != n {
			t.Errorf("the trace has %d calls of phase %s, want %d", got, x, n)
		}
	}
	if !regexp.MustCompile(`(?m)^Traced ~\d+ syscs, Dropped 0$`).Match(text) {
		t.Errorf("the trace does not end with a hang-up line with nothing dropped")
	}
}

// arrived reports whether a record of a call of phase prefix... (its
// stat failing with ENOENT) is among recs.
func arrived(recs []otlptest.Record, prefix string) bool {
	for _, r := range recs {
		if strings.Contains(r.Body, `"/nonexistent-eproc-`+prefix) && r.Attr("errno") == "ENOENT" {
			return true
		}
	}
	return false
}

// waitFile waits for path to exist: the workload made it. Two minutes
// without it fails the test.
func waitFile(t *testing.T, path string) {
	t.Helper()
	limit := time.After(2 * time.Minute)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		select {
		case <-limit:
			t.Fatalf("%s was never made", path)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestOTLPMount: eproc mount -otlp exports a session's events: a shell
// starts tracing itself through the view's ctl, runs ls, and stops; ls's
// calls, and the session's end, reach the Collector, as records of the
// shell's session. At SIGTERM the daemon logs its counts: nothing dropped.
func TestOTLPMount(t *testing.T) {
	eproc, _ := traceTools(t)
	addr := otlptest.FreePort(t)
	col := otlptest.Start(t, addr, filepath.Join(t.TempDir(), "logs.json"))
	dir := t.TempDir()
	maddr := otlptest.FreePort(t)
	d := exec.Command(eproc, "mount", "-q", "-trace-socket", "", "-otlp", addr, "-metrics", maddr, dir)
	var dlog bytes.Buffer
	d.Stderr = &dlog
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Process.Kill()
	waitFile(t, filepath.Join(dir, "self", "ctl"))

	script := `echo $$; echo straceall > "$0/$$/ctl"; ls / > /dev/null; echo straceoff > "$0/$$/ctl"`
	out, err := exec.Command("/bin/sh", "-c", script, dir).Output()
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	shell := strings.TrimSpace(string(out))
	ex := col.WaitRecord(t, "ls's execve", func(r otlptest.Record) bool {
		return r.Attr("syscall") == "execve" && r.Attr("session.pid") == shell && strings.Contains(r.Body, `["ls", "/"]`)
	})
	ls := ex.Attr("pid")
	col.WaitRecord(t, "ls's getdents64", func(r otlptest.Record) bool {
		return r.Attr("syscall") == "getdents64" && r.Attr("pid") == ls && r.Attr("session") == ex.Attr("session")
	})
	col.WaitRecord(t, "the session's end", func(r otlptest.Record) bool {
		return r.Attr("kind") == "end" && r.Attr("session.pid") == shell
	})
	// Its metrics count what it exported: at least the records seen.
	resp, err := http.Get("http://" + maddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`(?m)^eproc_otlp_records_exported_total (\d+)$`).FindSubmatch(body)
	if m == nil || string(m[1]) == "0" || !regexp.MustCompile(`(?m)^eproc_otlp_records_dropped_total 0$`).Match(body) {
		t.Errorf("metrics lack the exporter's counts:\n%s", grepLines(string(body), "eproc_otlp"))
	}
	d.Process.Signal(syscall.SIGTERM)
	if err := d.Wait(); err != nil {
		t.Fatalf("eproc mount: %v\n%s", err, dlog.String())
	}
	if !regexp.MustCompile(`otlp done.*"dropped": 0`).MatchString(dlog.String()) {
		t.Errorf("the daemon's log has no otlp counts with nothing dropped:\n%s", dlog.String())
	}
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
