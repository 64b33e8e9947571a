package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// The run's eproc mount (-daemon): eproc trace hands its sessions to a
// running daemon when there is one (cmd/eproc/handoff.go), as it does on a
// machine where eproc mount runs. The wrapper lets it only inside a user
// namespace (elsewhere it sets EPROC_NO_DAEMON=1, so that eproc trace's
// own loading, what most users run, stays the one judged), where eproc
// trace cannot load BPF programs itself:
// tests/init.sh's test_pidns runs strace a second time under
// `unshare -Urpf`, and without a daemon every --pidns-translation test
// fails there. The daemon serves at DIR/trace.sock, its view is mounted at
// DIR/view, its log is logs/eproc-mount.log; it is stopped at the run's end.

// daemon is the run's eproc mount.
type daemon struct {
	cmd  *exec.Cmd
	sock string
	done chan error
}

// startDaemon starts bin/eproc mount and waits until its trace socket
// answers.
func startDaemon(dir, bin, logs string) (*daemon, error) {
	view := filepath.Join(dir, "view")
	if err := os.MkdirAll(view, 0o755); err != nil {
		return nil, err
	}
	syscall.Unmount(view, syscall.MNT_DETACH) // a killed run's
	lf, err := os.Create(filepath.Join(logs, "eproc-mount.log"))
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	d := &daemon{sock: filepath.Join(dir, "trace.sock"), done: make(chan error, 1)}
	d.cmd = exec.Command(filepath.Join(bin, "eproc"), "mount", "-q", "-trace-socket", d.sock, view)
	d.cmd.Stdout, d.cmd.Stderr = lf, lf
	if err := d.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { d.done <- d.cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.Dial("unixpacket", d.sock)
		if err == nil {
			c.Close()
			return d, nil
		}
		select {
		case err := <-d.done:
			return nil, fmt.Errorf("eproc mount exited: %v (see %s)", err, lf.Name())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			d.stop()
			return nil, fmt.Errorf("eproc mount: no trace socket at %s within 60 s (see %s)", d.sock, lf.Name())
		}
	}
}

// stop ends the daemon as a user would (SIGTERM: it ends its sessions and
// unmounts its view), and kills it if it has not exited in 30 s.
func (d *daemon) stop() {
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-d.done:
		if err != nil {
			logf("eproc mount: %v", err)
		}
	case <-time.After(30 * time.Second):
		logf("eproc mount did not exit within 30 s of SIGTERM: killed")
		d.cmd.Process.Kill()
		<-d.done
	}
}
