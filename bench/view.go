package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// viewDaemon is the view daemon the view modes use.
type viewDaemon struct {
	dir string // where it is mounted
	pid int    // 0: no view daemon
	// maxIdleLinks is the most BPF links it held during an untraced run:
	// 0 says nothing of eproc's was attached.
	maxIdleLinks int
}

// startView starts bin's view daemon, mounted at mnt or under dir.
func startView(cfg *config, bin, mnt, dir string) (viewDaemon, func(), error) {
	view := mnt
	if view == "" {
		view = filepath.Join(dir, "view")
	}
	os.MkdirAll(view, 0o755)
	// No trace socket: eproc-trace measures eproc trace loading its own.
	args := []string{"mount", "-q", "-trace-socket", ""}
	if cfg.viewRing > 0 {
		args = append(args, "-b", strconv.Itoa(cfg.viewRing))
	}
	c := exec.Command(bin, append(args, view)...)
	c.Stdout, c.Stderr = io.Discard, io.Discard
	if err := c.Start(); err != nil {
		return viewDaemon{}, nil, err
	}
	stop := func() {
		c.Process.Signal(syscall.SIGTERM)
		c.Wait()
	}
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(filepath.Join(view, "self")); err == nil {
			return viewDaemon{dir: view, pid: c.Process.Pid}, stop, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return viewDaemon{}, nil, errors.New("view did not come up")
}

// runView runs the workload under straceall, with a reader draining the
// session's strace file the whole time.
func runView(v *viewDaemon, argv []string) (result, error) {
	argv = append([]string{argv[0], "exec-timed", "--ctl", v.dir}, argv[3:]...)
	c := exec.Command(argv[0], argv[1:]...)
	stdin, _ := c.StdinPipe()
	stdout, _ := c.StdoutPipe()
	var errb strings.Builder
	c.Stderr = &errb
	if err := c.Start(); err != nil {
		return result{}, err
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "READY" {
		c.Wait()
		return result{}, fmt.Errorf("timer did not start: %q %s", line, tail(errb.String()))
	}
	f, err := os.Open(filepath.Join(v.dir, strconv.Itoa(c.Process.Pid), "strace"))
	if err != nil {
		stdin.Close()
		c.Wait()
		return result{}, err
	}
	last := make(chan string)
	go func() {
		// Drain, keeping only the end: the hang-up line.
		buf := make([]byte, 256<<10)
		var end []byte
		for {
			n, err := f.Read(buf)
			if n > 0 {
				end = append(end[:0], buf[max(0, n-200):n]...)
			}
			if err != nil {
				break
			}
		}
		f.Close()
		last <- string(end)
	}()
	cpu0 := procCPU(v.pid)
	stdin.Write([]byte{1})
	stdin.Close()
	werr := c.Wait()
	end := <-last
	cpu := procCPU(v.pid) - cpu0
	if werr != nil {
		return result{}, fmt.Errorf("%v: %s", werr, tail(errb.String()))
	}
	res, err := parseTimed(errb.String()+"\n"+end, dropsRe)
	res.cpu = cpu
	return res, err
}

// idleSessions starts n sleeping processes, each traced in a session of
// its own, and returns a function that ends them.
func idleSessions(view string, n int) (func(), error) {
	var procs []*exec.Cmd
	stop := func() {
		for _, p := range procs {
			p.Process.Kill()
			p.Wait()
		}
	}
	for i := 0; i < n; i++ {
		p := exec.Command("sleep", "600")
		if err := p.Start(); err != nil {
			stop()
			return nil, err
		}
		procs = append(procs, p)
		if err := os.WriteFile(filepath.Join(view, strconv.Itoa(p.Process.Pid), "ctl"), []byte("straceme"), 0); err != nil {
			stop()
			return nil, err
		}
	}
	return stop, nil
}

// mountReady starts `eproc mount` n times on fresh directories and returns
// how long each took from exec to the first answered lookup of `self`.
func mountReady(eproc, work string, n int) []time.Duration {
	var out []time.Duration
	for i := 0; i < n; i++ {
		dir := filepath.Join(work, fmt.Sprintf("ready%d", i))
		os.MkdirAll(dir, 0o755)
		c := exec.Command(eproc, "mount", "-q", dir)
		c.Stdout, c.Stderr = io.Discard, io.Discard
		t0 := time.Now()
		if err := c.Start(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: eproc mount: %v\n", err)
			return out
		}
		ok := false
		for time.Since(t0) < 10*time.Second {
			if _, err := os.Stat(filepath.Join(dir, "self")); err == nil {
				out = append(out, time.Since(t0))
				ok = true
				break
			}
			time.Sleep(time.Millisecond)
		}
		c.Process.Signal(syscall.SIGTERM)
		c.Wait()
		os.Remove(dir)
		if !ok {
			fmt.Fprintln(os.Stderr, "bench: eproc mount did not come up in 10 s")
			return out
		}
	}
	return out
}

// printReady prints the median, least and most of the start-up times.
func printReady(ready []time.Duration) {
	sort.Slice(ready, func(i, j int) bool { return ready[i] < ready[j] })
	fmt.Printf("eproc mount ready (exec to first answered lookup of self): median %d ms, min %d ms, max %d ms over %d start-ups\n",
		ready[len(ready)/2].Milliseconds(), ready[0].Milliseconds(), ready[len(ready)-1].Milliseconds(), len(ready))
}

// daemonMemory measures the view daemon with n sessions, each tracing a
// shell that makes a few calls (a read, an exec of sleep) as the session
// starts, then sleeps: right after (every ring in use), once the rings
// went unused (their data unmapped from the daemon) and once quiet (rings
// shrunk to the idle size). No reader.
func daemonMemory(view string, pid, n int) {
	show := func(what string, m map[string]int64) {
		mib := func(k string) string { return fmt.Sprintf("%.1f", float64(m[k])/1024) }
		rings, bytes := ringMaps(pid)
		fmt.Printf("daemon %-28s VmRSS %6s MiB = RssAnon %5s + RssFile %6s; Pss %6s MiB; rings: %d, %d MiB of kernel memory\n",
			what+":", mib("status.VmRSS"), mib("status.RssAnon"), mib("status.RssFile"),
			mib("smaps_rollup.Pss"), rings, bytes>>20)
	}
	runtime.GC()
	time.Sleep(200 * time.Millisecond)
	show("0 sessions", memStatus(pid))
	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			p.Process.Kill()
			p.Wait()
		}
	}()
	var stdins []io.WriteCloser
	for i := 0; i < n; i++ {
		p := exec.Command("sh", "-c", "read x; exec sleep 600")
		in, _ := p.StdinPipe()
		if err := p.Start(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %d sessions: %v\n", n, err)
			return
		}
		procs = append(procs, p)
		stdins = append(stdins, in)
		if err := os.WriteFile(filepath.Join(view, strconv.Itoa(p.Process.Pid), "ctl"), []byte("straceme"), 0); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %d sessions: %v\n", n, err)
			return
		}
	}
	t0 := time.Now()
	for _, in := range stdins {
		in.Write([]byte("go\n"))
	}
	time.Sleep(500 * time.Millisecond)
	show(fmt.Sprintf("%d sessions, just busy", n), memStatus(pid))
	time.Sleep(time.Until(t0.Add(3 * time.Second)))
	show(fmt.Sprintf("%d sessions, 3 s later", n), memStatus(pid))
	time.Sleep(time.Until(t0.Add(8 * time.Second)))
	show(fmt.Sprintf("%d sessions, 8 s later", n), memStatus(pid))
}
