package procview

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/strace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"
	"golang.org/x/sys/unix"
)

// Tests mount real views in temporary directories and use real clients:
// cat, echo (sh), ps, pgrep, lsof, and setpriv for a caller without
// privileges. They need root, BPF and /dev/fuse; they skip without them,
// but never when CI=true.

// helpers_test.go is their harness: mounting a view (mount, mountLogged,
// mountObserved), tracees (startTracee, traceAndRead), a daemon in its own
// process (eprocBin, startDaemon), the account of a stream (countStream)
// and the state a test must leave as it found it (takeBaseline).

func needRoot(t testing.TB) {
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

var (
	engOnce sync.Once
	eng     *loader.Engine
	engErr  error
)

func engine(t testing.TB) *loader.Engine {
	t.Helper()
	engOnce.Do(func() {
		eng, engErr = loader.Open(loader.Config{RingSize: 8 << 20, StartRingSize: 4 << 20, IdleRingSize: 256 << 10, Spool: 16 << 20, Log: zap.NewNop()}) // as eproc mount opens it
		if engErr == nil {
			engErr = eng.SetPlans(strace.Plans())
		}
	})
	if engErr != nil {
		t.Fatal(engErr)
	}
	return eng
}

// mountDir makes a directory every user can reach.
func mountDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "eproc-view-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.Remove(dir) })
	return dir
}

func mount(t testing.TB) (*View, string) {
	t.Helper()
	return mountLogged(t, zaptest.NewLogger(t))
}

func mountLogged(t testing.TB, log *zap.Logger) (*View, string) {
	t.Helper()
	needRoot(t)
	dir := mountDir(t)
	v, err := Mount(dir, engine(t), Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	views.Store(dir, v)
	t.Cleanup(func() {
		views.Delete(dir)
		if err := v.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return v, dir
}

func sh(t testing.TB, script string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// waitFor polls cond for up to 10 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// tracee is a shell that waits on a fifo before it runs its script, so the
// test can start tracing it first.
type tracee struct {
	cmd  *exec.Cmd
	fifo string
	pid  int
}

func startTracee(t *testing.T, script string) *tracee {
	t.Helper()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "go")
	if err := syscall.Mkfifo(fifo, 0o666); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", `read x < "$GO"; `+script)
	cmd.Env = append(os.Environ(), "GO="+fifo)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// Wait until the shell is blocked opening its fifo: tracing must not
	// start while it is still starting up (a loaded machine makes that
	// slow), or the stream holds the shell's start-up calls.
	wchan := fmt.Sprintf("/proc/%d/wchan", cmd.Process.Pid)
	waitFor(t, "the tracee to wait on its fifo", func() bool {
		b, _ := os.ReadFile(wchan)
		return string(b) == "wait_for_partner" // fifo_open's wait for a writer
	})
	return &tracee{cmd: cmd, fifo: fifo, pid: cmd.Process.Pid}
}

func (tr *tracee) release(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile(tr.fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("go\n")
	f.Close()
}

func writeFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

var hangup = regexp.MustCompile(`(?m)^Traced ~(\d+) syscs, Dropped (\d+)\n\z`)

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader.
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

// waitDaemon waits for the daemon to exit; after 20 s it asks for its
// goroutines (SIGQUIT) and fails.
func waitDaemon(t *testing.T, d *exec.Cmd) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- d.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		d.Process.Signal(syscall.SIGQUIT)
		err := <-done
		t.Fatalf("daemon hung; it ended with %v", err)
		return err
	}
}

// mountObserved mounts a view whose log the test can inspect.
func mountObserved(t *testing.T) (*View, string, *observer.ObservedLogs) {
	t.Helper()
	needRoot(t)
	dir := mountDir(t)
	core, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(zapcore.NewTee(core, zaptest.NewLogger(t).Core()))
	v, err := Mount(dir, engine(t), Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	views.Store(dir, v)
	t.Cleanup(func() {
		views.Delete(dir)
		if err := v.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return v, dir, logs
}

// keep saves a stream in $EPROC_KEEP/TestName when set.
func keep(t *testing.T, s string) {
	if d := os.Getenv("EPROC_KEEP"); d != "" {
		os.WriteFile(filepath.Join(d, strings.ReplaceAll(t.Name(), "/", "_")), []byte(s), 0o644)
	}
}

// fdList is the daemon's (this process's) open files, but for go-fuse's
// splice pipes and the /dev/null it drains them to: a pool it fills on
// first use and bounds.
func fdList() map[string]string {
	m := map[string]string{}
	ents, _ := os.ReadDir("/proc/self/fd")
	for _, e := range ents {
		l, _ := os.Readlink("/proc/self/fd/" + e.Name())
		if strings.HasPrefix(l, "pipe:") || l == "/dev/null" {
			continue
		}
		m[e.Name()] = l
	}
	return m
}

func openFds() int { return len(fdList()) }

// heapAfterGC is the live heap in bytes.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// heapTop is where the live heap's largest sampled allocations were made
// (runtime.MemProfile as of the last collection; it samples one
// allocation every 512 KiB or so, so small ones may not show): what a
// failed heap check logs, so that a failure in CI says what stayed.
func heapTop(n int) string {
	k, _ := runtime.MemProfile(nil, true)
	recs := make([]runtime.MemProfileRecord, k+64)
	k, ok := runtime.MemProfile(recs, true)
	if !ok {
		return "(the profile grew meanwhile)"
	}
	recs = recs[:k]
	sort.Slice(recs, func(i, j int) bool { return recs[i].InUseBytes() > recs[j].InUseBytes() })
	var b strings.Builder
	for _, r := range recs[:min(n, len(recs))] {
		fmt.Fprintf(&b, "  %d bytes (%d objects):", r.InUseBytes(), r.InUseObjects())
		frames := runtime.CallersFrames(r.Stack())
		for shown := 0; shown < 8; {
			f, more := frames.Next()
			if shown > 0 || !strings.HasPrefix(f.Function, "runtime.") { // the allocator's own frames
				fmt.Fprintf(&b, " %s", strings.TrimPrefix(f.Function, "github.com/eproc/eproc/"))
				shown++
			}
			if !more {
				break
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// heapSlack: once every session has ended and its stream was read to the
// end or discarded, the view holds nothing of it: not its queue (a busy
// stream's holds up to queueLimit, 8 MiB, and the dd tests put 30 MB and
// more through theirs), not its decoder (64 KiB of text buffer and more).
// readAll reads a strace file to its end with reads of size bytes,
// sleeping pause between them, after start is closed.
func readAll(f *os.File, size int, pause time.Duration, start <-chan struct{}) (string, error) {
	if start != nil {
		<-start
	}
	var b bytes.Buffer
	buf := make([]byte, size)
	for {
		n, err := f.Read(buf)
		b.Write(buf[:n])
		if err == io.EOF || (err == nil && n == 0) {
			return b.String(), nil
		}
		if err != nil {
			return b.String(), err
		}
		if pause > 0 {
			time.Sleep(pause)
		}
	}
}

// streamCount classifies a stream's lines: calls (a complete line or an
// unfinished one; a resumed line is the same call), and the hang-up line's
// counts.
type streamCount struct {
	calls, seen, dropped uint64
	// unresolved: calls shown <unfinished ...> and never resumed while
	// their thread went on. Each is a call whose completion was dropped
	// (then it is in dropped too) unless it was the thread's last, ended
	// in it (then only here).
	unresolved uint64
	hangup     bool
	// Losses the stream told of where they happened (`--- dropped N
	// calls ---` lines), calls and other records.
	droppedLines, lostLines uint64
	execs                   int // successful execve
	byName                  map[string]int
}

var (
	droppedLine = regexp.MustCompile(`^--- dropped (?:(\d+) calls)?(?: and )?(?:(\d+) other records)? ---$`)
	linePrefix  = regexp.MustCompile(`^\d+ +`)
	linePid     = regexp.MustCompile(`^(\d+) +`)
	callName    = regexp.MustCompile(`^([a-z_0-9]+)\(`)
)

func countStream(s string) streamCount {
	c := streamCount{byName: map[string]int{}}
	open := map[string]bool{} // threads with a call shown unfinished, not resumed yet
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		pid := ""
		if m := linePid.FindStringSubmatch(l); m != nil {
			pid = m[1]
		}
		if r := linePrefix.ReplaceAllString(l, ""); open[pid] && !strings.HasPrefix(r, "<... ") &&
			!strings.HasPrefix(r, "+++ ") && !strings.HasPrefix(r, "--- ") {
			// The thread went on: its open call's completion never came.
			c.unresolved++
			delete(open, pid)
		}
		if strings.HasSuffix(l, "<unfinished ...>") {
			open[pid] = true
		} else if strings.Contains(l, "<... ") {
			delete(open, pid)
		}
		if m := droppedLine.FindStringSubmatch(l); m != nil {
			n, _ := strconv.ParseUint(m[1], 10, 64)
			o, _ := strconv.ParseUint(m[2], 10, 64)
			c.droppedLines += n
			c.lostLines += o
			continue
		}
		if m := hangup.FindStringSubmatch(l + "\n"); m != nil {
			c.hangup = true
			c.seen, _ = strconv.ParseUint(m[1], 10, 64)
			c.dropped, _ = strconv.ParseUint(m[2], 10, 64)
			continue
		}
		r := linePrefix.ReplaceAllString(l, "")
		if strings.HasPrefix(r, "+++ ") || strings.HasPrefix(r, "--- ") || strings.HasPrefix(r, "<... ") || r == "" {
			continue
		}
		m := callName.FindStringSubmatch(r)
		if m == nil {
			continue // a mark
		}
		c.calls++
		c.byName[m[1]]++
		if m[1] == "execve" && strings.HasSuffix(r, " = 0") {
			c.execs++
		}
	}
	return c
}

// accounts checks the stream's account of calls against the hang-up
// line's: every call seen was delivered or dropped. A call shown
// unfinished whose completion was dropped is in both, so with drops the
// delivered calls may exceed seen - dropped by the unresolved ones (as many
// as were dropped, at most).
//
// And the stream told of every loss: its dropped lines add up to the
// hang-up line's Dropped (the decoder reports the rest before hanging up).
func (c streamCount) accounts() error {
	if c.calls+c.dropped < c.seen || c.calls+c.dropped > c.seen+min(c.unresolved, c.dropped) {
		return fmt.Errorf("delivered %d + dropped %d != seen %d (%d calls shown unfinished and never resumed)", c.calls, c.dropped, c.seen, c.unresolved)
	}
	if c.hangup && c.droppedLines != c.dropped {
		return fmt.Errorf("the stream's dropped lines tell of %d calls, the hang-up line of %d", c.droppedLines, c.dropped)
	}
	return nil
}

// straceTotal is how many syscalls a command makes, by strace -f -c (plus
// exit_group, which strace -c leaves out since it never returns).
func straceTotal(t *testing.T, args ...string) uint64 {
	t.Helper()
	out := filepath.Join(t.TempDir(), "c")
	if b, err := exec.Command("strace", append([]string{"-f", "-c", "-o", out, "--"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("strace: %v\n%s", err, b)
	}
	b, _ := os.ReadFile(out)
	m := regexp.MustCompile(`(?m)^100\.00\s+\S+\s+\S+\s+(\d+)\s+(?:\d+\s+)?total$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no total in strace -c output:\n%s", b)
	}
	n, _ := strconv.ParseUint(string(m[1]), 10, 64)
	return n + 1
}

// traceAndRead starts tracing tr with ctl command cmd, opens its strace
// file, releases it and reads the stream with read (called with the open
// file), returning the text once the tracee has exited.
func traceAndRead(t *testing.T, m string, tr *tracee, cmd string, read func(f *os.File) (string, error)) string {
	t.Helper()
	pdir := filepath.Join(m, strconv.Itoa(tr.pid))
	if err := writeFile(filepath.Join(pdir, "ctl"), cmd); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(pdir, "strace"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type res struct {
		s   string
		err error
	}
	done := make(chan res, 1)
	go func() { s, err := read(f); done <- res{s, err} }()
	tr.release(t)
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("read: %v", r.err)
		}
		select {
		case <-exited(tr):
		case <-time.After(30 * time.Second):
			t.Fatal("tracee did not exit")
		}
		return r.s
	case <-time.After(90 * time.Second):
		t.Fatal("stream did not end")
	}
	return ""
}

// exited returns a channel closed once tr has exited and been waited for
// (its pidfd released).
var waiters sync.Map

func exited(tr *tracee) <-chan struct{} {
	ch := make(chan struct{})
	if old, loaded := waiters.LoadOrStore(tr, ch); loaded {
		return old.(chan struct{})
	}
	go func() { tr.cmd.Wait(); close(ch) }()
	return ch
}

func buildC(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	c := filepath.Join(dir, "p.c")
	bin := filepath.Join(dir, "p")
	os.WriteFile(c, []byte(src), 0o644)
	if out, err := exec.Command("cc", "-O1", "-pthread", "-o", bin, c).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	return bin
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// eprocBin builds cmd/eproc once per test binary.
func eprocBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "eproc-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "eproc")
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if out, err := exec.Command(gobin, "build", "-o", binPath, "github.com/eproc/eproc/cmd/eproc").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// startDaemon runs `eproc mount -q` (the real daemon, a process of its
// own) on a new directory, and returns once the view answers there: the
// daemon, the directory and the daemon's log. The caller ends it.
func startDaemon(t *testing.T) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	bin := eprocBin(t)
	dir := mountDir(t)
	d := exec.Command(bin, "mount", "-q", "-trace-socket", "", dir)
	dlog := new(bytes.Buffer)
	d.Stderr = dlog
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the daemon's mount", func() bool { return isEprocMount(dir) })
	return d, dir, dlog
}

// bpfObjects lists the ids of the BPF programs, maps and links a process
// holds, from its fdinfo.
func bpfObjects(pid int) map[string]bool {
	ids := map[string]bool{}
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fdinfo", pid))
	for _, fd := range fds {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/fdinfo/%s", pid, fd.Name()))
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			switch k {
			case "prog_id", "map_id", "link_id":
				ids[k+" "+strings.TrimSpace(v)] = true
			}
		}
	}
	return ids
}

// bpfLive lists the ids of every BPF program, map and link on the system.
func bpfLive() map[string]bool {
	live := map[string]bool{}
	for _, kind := range []struct {
		name string
		cmd  uintptr
	}{{"prog_id", 11}, {"map_id", 12}, {"link_id", 31}} { // BPF_{PROG,MAP,LINK}_GET_NEXT_ID
		var id uint32
		for {
			attr := [3]uint32{id}
			_, _, e := syscall.Syscall(unix.SYS_BPF, kind.cmd, uintptr(unsafe.Pointer(&attr)), 12)
			if e != 0 {
				break
			}
			id = attr[1]
			live[fmt.Sprintf("%s %d", kind.name, id)] = true
		}
	}
	return live
}

// TestCountStreamUnresolved: the tests' account of a stream. A call shown
// unfinished whose completion was dropped (its thread went on) is both
// delivered and dropped; one its thread ended in is delivered only; and a
// stream that claims more than that is caught.
func TestCountStreamUnresolved(t *testing.T) {
	stream := func(hangup string) string {
		return "11  futex(0x1, FUTEX_WAIT, 0, NULL <unfinished ...>\n" +
			"12  read(0,  <unfinished ...>\n" +
			"12  --- SIGCHLD {si_signo=SIGCHLD} ---\n" +
			"12  <... read resumed>\"\", 1) = 0\n" +
			"11  getppid()                         = 1\n" +
			"13  nanosleep({tv_sec=1, tv_nsec=0},  <unfinished ...>\n" +
			"13  +++ killed by SIGKILL +++\n" +
			hangup
	}
	// futex (its completion dropped), read, getppid, nanosleep (ended in).
	c := countStream(stream("--- dropped 1 calls ---\nTraced ~4 syscs, Dropped 1\n"))
	if c.calls != 4 || c.unresolved != 1 || c.seen != 4 || c.dropped != 1 {
		t.Fatalf("count %+v, want 4 calls, 1 unresolved, 4 seen, 1 dropped", c)
	}
	if err := c.accounts(); err != nil {
		t.Fatal(err)
	}
	if err := countStream(stream("Traced ~3 syscs, Dropped 0\n")).accounts(); err == nil {
		t.Fatal("4 calls delivered of 3 seen, none dropped: accepted")
	}
	if err := countStream(stream("--- dropped 1 calls ---\nTraced ~6 syscs, Dropped 1\n")).accounts(); err == nil {
		t.Fatal("4 calls + 1 dropped of 6 seen: accepted")
	}
	if err := countStream(stream("Traced ~4 syscs, Dropped 1\n")).accounts(); err == nil {
		t.Fatal("1 dropped, no dropped line: accepted")
	}
	if c := countStream("--- dropped 2 calls and 3 other records ---\n--- dropped 4 other records ---\n"); c.droppedLines != 2 || c.lostLines != 7 {
		t.Fatalf("dropped lines counted as %d calls, %d other records; want 2, 7", c.droppedLines, c.lostLines)
	}
}

// startReaders opens pdir's strace file n times and reads each open file to
// its end in a goroutine of its own, reader i with a bufsize(i)-byte buffer:
// done is closed once all have, their texts then in outs.
func startReaders(t *testing.T, pdir string, n int, bufsize func(i int) int) (outs []string, done <-chan struct{}) {
	t.Helper()
	outs = make([]string, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		f, err := os.Open(filepath.Join(pdir, "strace"))
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(i int, f *os.File) {
			defer wg.Done()
			defer f.Close()
			outs[i], _ = readAll(f, bufsize(i), 0, nil)
		}(i, f)
	}
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	return outs, ch
}
