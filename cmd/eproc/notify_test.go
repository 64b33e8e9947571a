package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// notifyListener listens where $NOTIFY_SOCKET will name (a path, or an
// abstract name with a leading '@') and returns the datagrams it receives.
func notifyListener(t *testing.T, name string) <-chan string {
	t.Helper()
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	msgs := make(chan string, 16)
	go func() {
		defer close(msgs)
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			msgs <- string(buf[:n])
		}
	}()
	return msgs
}

func recvWithin(t *testing.T, msgs <-chan string, d time.Duration) string {
	t.Helper()
	select {
	case m := <-msgs:
		return m
	case <-time.After(d):
		t.Fatalf("no datagram on the notify socket within %v", d)
		return ""
	}
}

// TestSdNotify sends to a socket named by a path and to an abstract one,
// and does nothing without $NOTIFY_SOCKET. No root needed.
func TestSdNotify(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	if err := sdNotify("READY=1"); err != nil {
		t.Errorf("without NOTIFY_SOCKET: %v", err)
	}
	path := filepath.Join(t.TempDir(), "notify")
	abstract := fmt.Sprintf("@eproc-notify-test-%d", os.Getpid())
	for _, name := range []string{path, abstract} {
		msgs := notifyListener(t, name)
		t.Setenv("NOTIFY_SOCKET", name)
		if err := sdNotify("READY=1"); err != nil {
			t.Fatalf("NOTIFY_SOCKET=%s: %v", name, err)
		}
		if m := recvWithin(t, msgs, 5*time.Second); m != "READY=1" {
			t.Errorf("NOTIFY_SOCKET=%s: got %q, want READY=1", name, m)
		}
	}
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "nobody-listens"))
	if err := sdNotify("READY=1"); err == nil {
		t.Errorf("sending to a socket nobody listens on: no error")
	}
}

// lockedBuffer is a daemon's standard error, written by os/exec's copier
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// mountDaemon is an `eproc mount` run by a test as systemd would run it:
// with $NOTIFY_SOCKET set.
type mountDaemon struct {
	cmd    *exec.Cmd
	msgs   <-chan string
	done   chan struct{}
	err    error // cmd.Wait's, once done is closed
	stderr lockedBuffer
}

// startMount runs argv (ending with eproc mount's arguments) with
// $NOTIFY_SOCKET set, and waits for its READY=1: the daemon must not say
// it is ready before the view answers, and must say it.
func startMount(t *testing.T, argv ...string) *mountDaemon {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "notify")
	d := &mountDaemon{msgs: notifyListener(t, sock), done: make(chan struct{})}
	d.cmd = exec.Command(argv[0], argv[1:]...)
	d.cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sock)
	d.cmd.Stderr = &d.stderr
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.err = d.cmd.Wait(); close(d.done) }()
	t.Cleanup(func() {
		select {
		case <-d.done:
		default:
			d.cmd.Process.Kill()
			<-d.done
		}
	})
	select {
	case m := <-d.msgs:
		if m != "READY=1" {
			t.Fatalf("first notification %q, want READY=1", m)
		}
	case <-d.done:
		t.Fatalf("%q exited before READY=1: %v\n%s", argv, d.err, d.stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("%q: no READY=1 within 60 s\n%s", argv, d.stderr.String())
	}
	return d
}

// stop sends SIGTERM and checks the daemon says STOPPING=1 and exits 0.
func (d *mountDaemon) stop(t *testing.T) {
	t.Helper()
	d.cmd.Process.Signal(syscall.SIGTERM)
	if m := recvWithin(t, d.msgs, 30*time.Second); m != "STOPPING=1" {
		t.Errorf("after SIGTERM: %q, want STOPPING=1", m)
	}
	select {
	case <-d.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("no exit within 30 s of SIGTERM\n%s", d.stderr.String())
	}
	if d.err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", d.err, d.stderr.String())
	}
}

// mountedFuse reports whether dir is a mount point of the view (fstype
// fuse.eproc) in /proc/self/mountinfo.
func mountedFuse(t *testing.T, dir string) bool {
	t.Helper()
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// id parent maj:min root mountpoint options ... - fstype source ...
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		fields := strings.Fields(pre)
		if !ok || len(fields) < 5 {
			continue
		}
		if fields[4] == dir && strings.HasPrefix(post, "fuse.eproc ") {
			return true
		}
	}
	return false
}

// needRoot skips without root, except under CI=true, and under -short
// (make test-short: unit tests only).
func needRoot(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the daemon (BPF, FUSE)")
	}
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("needs root for BPF and FUSE")
	}
}

// TestMountNotifiesReady runs the real `eproc mount` with $NOTIFY_SOCKET
// set, as eproc.service (Type=notify) does: READY=1 arrives, and when it
// does the view is mounted and answers; SIGTERM brings STOPPING=1, exit 0
// and the view unmounted.
func TestMountNotifiesReady(t *testing.T) {
	needRoot(t)
	dir := t.TempDir()
	d := startMount(t, builtEproc(t), "mount", "-q", "-trace-socket", "", dir)
	if !mountedFuse(t, dir) {
		t.Errorf("READY=1 came before %s was mounted", dir)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "1", "status")); err != nil || !bytes.Contains(b, []byte("\nPid:\t1\n")) {
		t.Errorf("the view does not answer at READY=1: %v, %.80q", err, b)
	}
	d.stop(t)
	if mountedFuse(t, dir) {
		t.Errorf("%s still mounted after SIGTERM", dir)
	}
}
