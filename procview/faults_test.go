package procview

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

// Reliability, faults: a tracee or the daemon killed mid-stream, and the
// mount a killed daemon leaves behind. Like every reliability test
// (issue 6), each is bounded in time.

// TestTraceeKilledMidStream: a busy tracee killed with SIGKILL; its stream
// ends with the kill and the hang-up line.
func TestTraceeKilledMidStream(t *testing.T) {
	_, m := mount(t)
	base := takeBaseline(t)
	tr := startTracee(t, `exec dd if=/dev/zero of=/dev/null bs=1 count=100000000`)
	s := traceAndRead(t, m, tr, "straceme", func(f *os.File) (string, error) {
		go func() {
			time.Sleep(300 * time.Millisecond)
			tr.cmd.Process.Kill()
		}()
		return readAll(f, 1<<17, 0, nil)
	})
	// Calls lost after the CPU's last record are told of just before
	// the hang-up line; the kill itself is never lost (held_exits).
	want := fmt.Sprintf(`(?m)^%d +\+\+\+ killed by SIGKILL \+\+\+\n(?:--- dropped (?:\d+ calls)?(?: and )?(?:\d+ other records)? ---\n)?Traced ~\d+ syscs, Dropped \d+\n\z`, tr.pid)
	if !regexp.MustCompile(want).MatchString(s) {
		t.Errorf("stream does not end with the kill and the hang-up line:\n%s", tail(s))
	}
	c := countStream(s)
	if err := c.accounts(); err != nil {
		t.Error(err)
	}
	base.back(t, m)
}

// TestDaemonKilled: `eproc mount` killed with SIGKILL while it traces a
// busy process. Its BPF programs, maps and links go with it, the process
// runs on to a normal end, and a new mount recovers the directory.
func TestDaemonKilled(t *testing.T) {
	needRoot(t)
	d, dir, dlog := startDaemon(t)
	defer d.Process.Kill()
	// A busy tracee: 300000 single-byte copies, and a file that tells
	// how many.
	out := filepath.Join(t.TempDir(), "out")
	tr := startTracee(t, `exec dd if=/dev/zero of=`+out+` bs=1 count=300000 status=none`)
	if err := writeFile(filepath.Join(dir, strconv.Itoa(tr.pid), "ctl"), "straceme"); err != nil {
		t.Fatal(err)
	}
	rd := exec.Command("cat", filepath.Join(dir, strconv.Itoa(tr.pid), "strace"))
	rd.Stdout = io.Discard
	if err := rd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { rd.Process.Kill(); rd.Wait() }()
	tr.release(t)
	waitFor(t, "the tracee to be busy", func() bool {
		st, err := os.Stat(out)
		return err == nil && st.Size() > 1000
	})
	mine := daemonBPF(t, d, dlog)
	d.Process.Signal(syscall.SIGKILL)
	waitDaemon(t, d)
	// The tracee runs on, and ends normally.
	select {
	case <-exited(tr):
		if !tr.cmd.ProcessState.Success() {
			t.Errorf("tracee: %v", tr.cmd.ProcessState)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("tracee did not end after the daemon died")
	}
	if st, err := os.Stat(out); err != nil || st.Size() != 300000 {
		t.Errorf("tracee copied %v bytes, want 300000 (%v)", st, err)
	}
	// Every program, map and link the daemon held is gone (freed in the
	// background once the last reference went).
	bpfGone(t, mine)
	// The reader of the dead mount is not stuck for ever.
	rdone := make(chan error, 1)
	go func() { rdone <- rd.Wait() }()
	select {
	case <-rdone:
	case <-time.After(10 * time.Second):
		t.Errorf("reader of the dead daemon's stream still blocked")
	}
	// A new mount recovers the stale one.
	v, err := Mount(dir, engine(t), Options{Log: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if _, err := os.Stat(filepath.Join(dir, "self")); err != nil {
		t.Errorf("recovered mount: %v", err)
	}
}

// daemonBPF is the BPF objects the daemon d holds: at least 5 programs.
func daemonBPF(t *testing.T, d *exec.Cmd, dlog *bytes.Buffer) map[string]bool {
	mine := bpfObjects(d.Process.Pid)
	progs := 0
	for k := range mine {
		if strings.HasPrefix(k, "prog_id") {
			progs++
		}
	}
	if progs < 5 {
		t.Fatalf("the daemon holds %d BPF programs: %v\n%s", progs, mine, dlog.String())
	}
	return mine
}

// bpfGone waits up to 10 s for none of the objects in mine to be loaded.
func bpfGone(t *testing.T, mine map[string]bool) {
	var left []string
	for i := 0; i < 200; i++ {
		live := bpfLive()
		left = left[:0]
		for k := range mine {
			if live[k] {
				left = append(left, k)
			}
		}
		if len(left) == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(left) > 0 {
		t.Errorf("still loaded after the daemon died: %v", left)
	}
}

func TestStaleMountRecovered(t *testing.T) {
	needRoot(t)
	dir := mountDir(t)
	// A daemon killed with SIGKILL leaves its mount behind.
	bin := filepath.Join(t.TempDir(), "eproc")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(gobin, "build", "-o", bin, "github.com/eproc/eproc/cmd/eproc").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	d := exec.Command(bin, "mount", "-q", "-trace-socket", "", dir)
	var log0 lockedBuffer
	d.Stderr = &log0
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	// Killed only once it serves: while it starts, go-fuse's WaitMount
	// opens a file in the new mount (its poll hack), and a daemon killed
	// with that file open hangs in its own flush (the kernel waits for the
	// server that is dying), a D state only aborting the connection ends.
	waitFor(t, "the daemon to serve", func() bool { return strings.Contains(log0.String(), "serving") })
	d.Process.Signal(syscall.SIGKILL)
	waitDaemon(t, d)
	var st syscall.Stat_t
	if err := syscall.Stat(dir, &st); !errors.Is(err, syscall.ENOTCONN) {
		t.Fatalf("stat of the dead mount: %v, want ENOTCONN", err)
	}
	v, err := Mount(dir, engine(t), Options{Log: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "self")); err != nil {
		t.Error(err)
	}
	// Mounting on a live view is refused.
	if _, err := Mount(dir, engine(t), Options{}); err == nil {
		t.Error("a second view mounted over a live one")
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if isEprocMount(dir) {
		t.Error("still mounted after Close")
	}
	// SIGTERM ends the daemon cleanly: unmounted, exit status 0.
	d = exec.Command(bin, "mount", "-q", "-trace-socket", "", dir)
	var derr bytes.Buffer
	d.Stderr = &derr
	d.Start()
	waitFor(t, "the daemon's mount", func() bool { return isEprocMount(dir) })
	time.Sleep(100 * time.Millisecond) // its signal handler is set up after the mount
	d.Process.Signal(syscall.SIGTERM)
	if err := waitDaemon(t, d); err != nil {
		t.Errorf("daemon after SIGTERM: %v\n%s", err, derr.String())
	}
	if isEprocMount(dir) {
		t.Error("still mounted after SIGTERM")
	}
}
