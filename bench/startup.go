package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
	"time"
)

// traceStartup times `eproc trace -o /dev/null -- true` and strace's same
// command line n times each, interleaved: the whole command, from exec to
// its exit. "eproc trace" loads the programs itself (--no-daemon): most of
// its time is loading and verifying them, and its end; "eproc trace,
// daemon" hands its session to an eproc mount started for it in work
// (its -trace-socket), whose programs are loaded already.
func traceStartup(eproc, work string, n int) map[string][]time.Duration {
	cmds := map[string][]string{"eproc trace": {eproc, "trace", "--no-daemon"}}
	env := map[string][]string{}
	if sock, stop := startupDaemon(eproc, work); sock != "" {
		defer stop()
		cmds["eproc trace, daemon"] = []string{eproc, "trace"}
		env["eproc trace, daemon"] = []string{"EPROC_TRACE_SOCKET=" + sock}
	}
	if p, err := exec.LookPath("strace"); err == nil {
		cmds["strace"] = []string{p}
	}
	out := map[string][]time.Duration{}
	for i := 0; i < n; i++ {
		for name, argv := range cmds {
			c := exec.Command(argv[0], append(argv[1:], "-o", "/dev/null", "--", "true")...)
			c.Env = append(os.Environ(), env[name]...)
			t0 := time.Now()
			if err := c.Run(); err != nil {
				fmt.Fprintf(os.Stderr, "bench: %s: %v\n", name, err)
				delete(cmds, name)
				continue
			}
			out[name] = append(out[name], time.Since(t0))
		}
	}
	return out
}

// startupDaemon starts eproc mount serving eproc trace's sessions at a
// socket in work, and returns the socket and what stops the daemon; no
// socket if it did not come up.
func startupDaemon(eproc, work string) (sock string, stop func()) {
	dir, sock := filepath.Join(work, "startup-view"), filepath.Join(work, "startup-trace.sock")
	os.MkdirAll(dir, 0o755)
	c := exec.Command(eproc, "mount", "-q", "-trace-socket", sock, dir)
	c.Stdout, c.Stderr = io.Discard, io.Discard
	if err := c.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "bench: eproc mount: %v\n", err)
		return "", nil
	}
	stop = func() {
		c.Process.Signal(syscall.SIGTERM)
		c.Wait()
		os.Remove(dir)
	}
	for t0 := time.Now(); time.Since(t0) < 10*time.Second; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "self")); err == nil {
			return sock, stop // the socket is served before the view answers
		}
	}
	fmt.Fprintln(os.Stderr, "bench: eproc mount did not come up in 10 s")
	stop()
	return "", nil
}

// printStartup prints each command's median start-up, eproc's first.
func printStartup(times map[string][]time.Duration) {
	for _, name := range []string{"eproc trace", "eproc trace, daemon", "strace"} {
		t := times[name]
		if len(t) == 0 {
			continue
		}
		sort.Slice(t, func(i, j int) bool { return t[i] < t[j] })
		fmt.Printf("start-up and end, %-19s -o /dev/null -- true: median %5.1f ms, min %5.1f ms, max %5.1f ms over %d runs\n",
			name, ms(t[len(t)/2]), ms(t[0]), ms(t[len(t)-1]), len(t))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
