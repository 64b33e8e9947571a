package main

// eproc trace --cgroup DIR, run as a user runs it, on a cgroup made for the
// test under the cgroup2 mount (mounted at /sys/fs/cgroup/unified when
// there is none).

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// cgroup2Root is where cgroup2 is mounted, mounting it at
// /sys/fs/cgroup/unified when it is nowhere.
func cgroup2Root(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("/proc/mounts")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[2] == "cgroup2" {
			return f[1]
		}
	}
	dir := "/sys/fs/cgroup/unified"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("none", dir, "cgroup2", 0, ""); err != nil {
		t.Fatalf("mount cgroup2 at %s: %v", dir, err)
	}
	return dir
}

// testCgroup makes a cgroup for the test; it is removed at the end, once
// the processes left in it are killed.
func testCgroup(t *testing.T) (root, cg string) {
	root = cgroup2Root(t)
	cg = filepath.Join(root, fmt.Sprintf("eproc-test-%d", os.Getpid()))
	if err := os.Mkdir(cg, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if b, err := os.ReadFile(filepath.Join(cg, "cgroup.procs")); err == nil {
			for _, w := range strings.Fields(string(b)) {
				if pid, err := strconv.Atoi(w); err == nil {
					syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
		for i := 0; i < 100 && os.Remove(cg) != nil; i++ {
			syscall.Select(0, nil, nil, nil, &syscall.Timeval{Usec: 10000}) // the killed are reaped
		}
	})
	return root, cg
}

// gate is a FIFO a workload waits on (its open blocks) until the test opens
// it for writing.
func gate(t *testing.T, dir, name string) string {
	p := filepath.Join(dir, name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func openGate(t *testing.T, fifo string) {
	f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func startSh(t *testing.T, script string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("/bin/sh", append([]string{"-c", script, "sh"}, args...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func waitOK(t *testing.T, cmd *exec.Cmd, what string) {
	t.Helper()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

var hangup = regexp.MustCompile(`(?m)^Traced ~\d+ syscs, Dropped 0$`)

var markerLine = regexp.MustCompile(`^(\d+) +openat\(AT_FDCWD, "[^"]*/(marker-[a-z]+)"`)

// TestTraceCgroup: the processes of the cgroup are traced, with their own
// pids, whether they were in it before the trace started, were forked into
// it or moved into it after; so is a child a member forks, even once it
// has moved out of the cgroup; a process outside, running meanwhile, is not.
func TestTraceCgroup(t *testing.T) {
	eproc, _ := traceTools(t)
	root, cg := testCgroup(t)
	dir, err := os.MkdirTemp("", "ecg")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	procs := filepath.Join(cg, "cgroup.procs")
	// Each workload waits at its gate, then opens its marker (cat).
	pre := startSh(t, `echo $$ > "$1" && exec sh -c 'read x < "$1"; exec cat "$2"' sh "$2" "$3"`,
		procs, gate(t, dir, "go-pre"), filepath.Join(dir, "marker-pre"))
	moved := startSh(t, `read x < "$1"; exec cat "$2"`, gate(t, dir, "go-moved"), filepath.Join(dir, "marker-moved"))
	outside := startSh(t, `read x < "$1"; exec cat "$2"`, gate(t, dir, "go-out"), filepath.Join(dir, "marker-outside"))
	for _, m := range []string{"pre", "moved", "outside", "new", "child", "away"} {
		os.WriteFile(filepath.Join(dir, "marker-"+m), nil, 0o600)
	}

	out := filepath.Join(dir, "trace.out")
	tr, errs := startCgroupTrace(t, eproc, out, cg)

	openGate(t, filepath.Join(dir, "go-pre"))
	if err := os.WriteFile(procs, []byte(strconv.Itoa(moved.Process.Pid)), 0); err != nil {
		t.Fatal(err)
	}
	openGate(t, filepath.Join(dir, "go-moved"))
	openGate(t, filepath.Join(dir, "go-out"))
	// Forked into the cgroup: it moves itself in before its execve, and
	// forks two children: one stays, one moves out to the root cgroup.
	pidfile := filepath.Join(dir, "children")
	newer := startSh(t, `echo $$ > "$1" || exit 1
cat "$2" & c=$!
sh -c 'echo $$ > "$1" && exec cat "$2"' sh "$3" "$4" & a=$!
echo $c $a > "$5"; wait; exec cat "$6"`,
		procs, filepath.Join(dir, "marker-child"), filepath.Join(root, "cgroup.procs"), filepath.Join(dir, "marker-away"),
		pidfile, filepath.Join(dir, "marker-new"))
	for _, c := range []struct {
		cmd  *exec.Cmd
		name string
	}{{pre, "pre"}, {moved, "moved"}, {outside, "outside"}, {newer, "new"}} {
		waitOK(t, c.cmd, c.name)
	}
	tr.Process.Signal(syscall.SIGINT)
	rest, _ := io.ReadAll(errs)
	err = tr.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT {
		t.Errorf("eproc trace: %v, want death by SIGINT", err)
	}
	if want := "eproc trace: cgroup " + cg + " detached\n"; string(rest) != want {
		t.Errorf("eproc trace's stderr then %q, want %q", rest, want)
	}

	var child, away int
	if b, err := os.ReadFile(pidfile); err != nil {
		t.Fatal(err)
	} else if _, err := fmt.Sscan(string(b), &child, &away); err != nil {
		t.Fatalf("children %q: %v", b, err)
	}
	want := map[string]int{"marker-pre": pre.Process.Pid, "marker-moved": moved.Process.Pid,
		"marker-new": newer.Process.Pid, "marker-child": child, "marker-away": away}
	checkMarkers(t, out, want, outside.Process.Pid)
}

// startCgroupTrace starts eproc trace --cgroup cg and returns once it has
// said the cgroup is attached; the rest of its standard error is left to
// read.
func startCgroupTrace(t *testing.T, eproc, out, cg string) (*exec.Cmd, *bufio.Reader) {
	tr := exec.Command(eproc, "trace", "-o", out, "--cgroup", cg)
	stderr, err := tr.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Process.Kill() })
	errs := bufio.NewReader(stderr)
	line, err := errs.ReadString('\n')
	if want := "eproc trace: cgroup " + cg + " attached\n"; line != want {
		t.Fatalf("eproc trace's first line %q (%v), want %q", line, err, want)
	}
	return tr, errs
}

// checkMarkers checks that each marker file was opened in the trace once,
// by the process want says, and that marker-outside was not.
func checkMarkers(t *testing.T, out string, want map[string]int, outside int) {
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]int{}
	for _, l := range strings.Split(string(text), "\n") {
		if m := markerLine.FindStringSubmatch(l); m != nil {
			pid, _ := strconv.Atoi(m[1])
			got[m[2]] = append(got[m[2]], pid)
		}
	}
	for m, pid := range want {
		if len(got[m]) != 1 || got[m][0] != pid {
			t.Errorf("%s opened by %v in the trace, want by %d alone", m, got[m], pid)
		}
	}
	if got["marker-outside"] != nil || bytes.Contains(text, []byte("marker-outside")) {
		t.Errorf("the process outside the cgroup (%d) is in the trace: %v", outside, got["marker-outside"])
	}
	if !hangup.Match(text) {
		t.Errorf("no hang-up line at the end:\n%s", tail(text, 400))
	}
	if t.Failed() {
		t.Logf("trace:\n%s", tail(text, 4000))
	}
}

// TestTraceCgroupNotCgroup2: a directory that is not a cgroup v2 one is
// refused: exit 1, with the reason.
func TestTraceCgroupNotCgroup2(t *testing.T) {
	eproc, _ := traceTools(t)
	dir := t.TempDir()
	cmd := exec.Command(eproc, "trace", "--cgroup", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("eproc trace --cgroup %s: %v, want exit 1", dir, err)
	}
	if want := "eproc trace: cgroup " + dir + ": not a cgroup v2 directory\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
