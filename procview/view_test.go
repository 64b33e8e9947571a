package procview

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The view as clients see it: the root mirrors /proc, and each process
// directory's files (strace, ctl, note, notepg, status, args ...) answer as
// documented, to the processes allowed to use them.

func TestRootMirrorsProc(t *testing.T) {
	_, m := mount(t)
	// cat reads its own stat through self: its parent is this shell.
	out, err := sh(t, `cut -d' ' -f4 "$M/self/stat"; cut -d' ' -f4 "$M/curproc/stat"; echo $$`, "M="+m)
	if err != nil {
		t.Fatal(err, out)
	}
	f := strings.Fields(out)
	if len(f) != 3 || f[0] != f[2] || f[1] != f[2] {
		t.Errorf("self and curproc should name the caller: %q", out)
	}
	// A thread other than the main one still sees its process.
	if py, err := exec.LookPath("python3"); err == nil {
		cmd := exec.Command(py, "-c", `import os, threading
r = []
t = threading.Thread(target=lambda: r.append(os.readlink(os.environ["M"] + "/self")))
t.start(); t.join()
print(r[0], os.getpid())`)
		cmd.Env = append(os.Environ(), "M="+m)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatal(err, string(out))
		}
		if f := strings.Fields(string(out)); len(f) != 2 || f[0] != f[1] {
			t.Errorf("self from a thread: %q", out)
		}
	}
	// Every entry of /proc is there.
	want, _ := os.ReadDir("/proc")
	got, err := os.ReadDir(m)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range got {
		have[e.Name()] = true
	}
	for _, e := range want {
		if _, err := strconv.Atoi(e.Name()); err == nil {
			continue // processes come and go
		}
		if !have[e.Name()] {
			t.Errorf("root lacks /proc's %s", e.Name())
		}
	}
	for _, n := range []string{"tracepids", "self", "curproc"} {
		if !have[n] {
			t.Errorf("root lacks %s", n)
		}
	}
	b, err := os.ReadFile(filepath.Join(m, "meminfo"))
	if err != nil || !bytes.HasPrefix(b, []byte("MemTotal:")) {
		t.Errorf("meminfo: %v %q", err, b)
	}
	b, err = os.ReadFile(filepath.Join(m, "sys/kernel/ostype"))
	if err != nil || string(b) != "Linux\n" {
		t.Errorf("sys/kernel/ostype: %v %q", err, b)
	}
	// A process directory: Linux's entries and Plan 9's.
	ents, err := os.ReadDir(filepath.Join(m, "1"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, e := range ents {
		names[e.Name()] = true
	}
	for _, n := range []string{"status", "maps", "fd", "ns", "cmdline", "strace", "ctl", "note", "notepg", "user", "args", "namespace", "file", "vmstatus"} {
		if !names[n] {
			t.Errorf("/1 lacks %s", n)
		}
	}
}

func TestPsPgrepLsofOverBindMount(t *testing.T) {
	_, m := mount(t)
	sleeper := exec.Command("sleep", "30")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer sleeper.Process.Kill()
	pid := strconv.Itoa(sleeper.Process.Pid)
	// Inside a mount namespace, the view replaces /proc.
	script := `set -e
mount --bind "$M" /proc
grep -q ' /proc fuse.eproc ' /proc/self/mounts
ps -eo pid,comm | awk '$1 == '"$P"' { print "ps:", $2 }'
pgrep -x sleep | grep -qx "$P" && echo pgrep: ok
timeout 30 top -b -n 1 | grep -q "^ *$P .*sleep" && echo top: ok
pstree -p -l | grep -q "sleep($P)" && echo pstree: ok
timeout 30 lsof -b -w -p "$P" 2>/dev/null | awk '$4 == "txt" { print "lsof:", $1 }'
`
	for _, tool := range []string{"ps", "pgrep", "top", "pstree", "lsof"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed", tool)
		}
	}
	cmd := exec.Command("unshare", "-m", "--propagation", "private", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "M="+m, "P="+pid)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"ps: sleep", "pgrep: ok", "top: ok", "pstree: ok", "lsof: sleep"} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestStraceallStream(t *testing.T) {
	_, m := mount(t)
	tr := startTracee(t, `ls / > /dev/null; cat /etc/hostname > /dev/null; exit 3`)
	pdir := filepath.Join(m, strconv.Itoa(tr.pid))
	if _, err := os.Stat(filepath.Join(pdir, "strace")); !errors.Is(err, os.ErrNotExist) {
		// The file is listed, but opening it fails for an untraced process.
	}
	if _, err := os.ReadFile(filepath.Join(pdir, "strace")); !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("strace of an untraced process: %v, want ENOENT", err)
	}
	if err := writeFile(filepath.Join(pdir, "ctl"), "straceall\n"); err != nil {
		t.Fatal(err)
	}
	status, _ := os.ReadFile(filepath.Join(pdir, "status"))
	if !bytes.Contains(status, []byte("\nStraceProcs:\t1\n")) || !bytes.HasPrefix(status, []byte("Name:\tsh\n")) {
		t.Errorf("status while traced:\n%s", status)
	}
	tp, _ := os.ReadFile(filepath.Join(m, "tracepids"))
	if !regexp.MustCompile(fmt.Sprintf(`(?m)^%d sh \d+$`, tr.pid)).Match(tp) {
		t.Errorf("tracepids lacks the tracee:\n%s", tp)
	}
	cat := exec.Command("cat", filepath.Join(pdir, "strace"))
	var out bytes.Buffer
	cat.Stdout = &out
	if err := cat.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the reader", func() bool {
		b, _ := os.ReadFile(filepath.Join(pdir, "status"))
		return bytes.Contains(b, []byte("\nStraceReaders:\t1\n"))
	})
	tr.release(t)
	if err := cat.Wait(); err != nil {
		t.Fatalf("cat: %v", err)
	}
	s := out.String()
	// ls's execve, whole, or split around the lines of others when the
	// child slept in it before the point of no return (a loaded machine):
	// its vforking parent resumes before the execve returns, as strace -f
	// shows it too.
	execLs := `execve\("/(usr/)?bin/ls", \["ls", "/"\], 0x[0-9a-f]+ /\* \d+ vars \*/`
	if !regexp.MustCompile(`(?m)^\d+ +` + execLs + `\) = 0$`).MatchString(s) {
		m := regexp.MustCompile(`(?m)^(\d+) +` + execLs + ` <unfinished \.\.\.>$`).FindStringSubmatch(s)
		if m == nil || !regexp.MustCompile(`(?m)^`+m[1]+` +<\.\.\. execve resumed>\) += 0$`).MatchString(s) {
			t.Errorf("stream lacks ls's execve, whole or unfinished and resumed")
		} else {
			t.Logf("ls's execve was split: %s", m[0])
		}
	}
	for _, re := range []string{
		`(?m)^\d+ +openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) += 3$`,
		`(?m)^\d+ +\+\+\+ exited with 0 \+\+\+$`,
		fmt.Sprintf(`(?m)^%d +exit_group\(3\) += \?$`, tr.pid),
		fmt.Sprintf(`(?m)^%d +\+\+\+ exited with 3 \+\+\+$`, tr.pid),
	} {
		if !regexp.MustCompile(re).MatchString(s) {
			t.Errorf("stream lacks %s", re)
		}
	}
	if t.Failed() {
		t.Logf("the stream:\n%s", s)
	}
	hm := hangup.FindStringSubmatch(s)
	if hm == nil {
		t.Fatalf("stream does not end with the hang-up line:\n%s", tail(s))
	}
	n, _ := strconv.Atoi(hm[1])
	lines := strings.Count(s, "\n")
	if hm[2] != "0" || n < lines/2 {
		t.Errorf("hang-up line %q for %d lines", hm[0], lines)
	}
	if tr.cmd.Wait(); tr.cmd.ProcessState.ExitCode() != 3 {
		t.Errorf("tracee exit %d", tr.cmd.ProcessState.ExitCode())
	}
}

func TestMarksAndConcurrentReaders(t *testing.T) {
	_, m := mount(t)
	tr := startTracee(t, `exit 0`)
	pdir := filepath.Join(m, strconv.Itoa(tr.pid))
	if err := writeFile(filepath.Join(pdir, "ctl"), "straceme"); err != nil {
		t.Fatal(err)
	}
	// Four readers share the queue; 2000 marks go in; each must come out
	// exactly once, in order per reader.
	const nread, nmark = 4, 2000
	var wg sync.WaitGroup
	outs := make([]string, nread)
	for i := 0; i < nread; i++ {
		f, err := os.Open(filepath.Join(pdir, "strace"))
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(i int, f *os.File) {
			defer wg.Done()
			defer f.Close()
			var b bytes.Buffer
			buf := make([]byte, 512)
			for {
				n, err := f.Read(buf)
				b.Write(buf[:n])
				if err != nil || n == 0 {
					break
				}
			}
			outs[i] = b.String()
		}(i, f)
	}
	w, err := os.OpenFile(filepath.Join(pdir, "strace"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < nmark; i++ {
		if _, err := fmt.Fprintf(w, "mark %d\n", i); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	tr.release(t)
	wg.Wait()
	seen := map[string]int{}
	hangups := 0
	for i, s := range outs {
		last := -1
		for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
			if strings.HasPrefix(l, "mark ") {
				n, _ := strconv.Atoi(l[5:])
				if n <= last {
					t.Errorf("reader %d: %q after mark %d", i, l, last)
				}
				last = n
				seen[l]++
			}
			if hangup.MatchString(l + "\n") {
				hangups++
			}
		}
	}
	for i := 0; i < nmark; i++ {
		if k := fmt.Sprintf("mark %d", i); seen[k] != 1 {
			t.Errorf("%s seen %d times", k, seen[k])
			break
		}
	}
	if hangups != 1 {
		t.Errorf("hang-up line read %d times, want once", hangups)
	}
}

func TestBlockedReaderKilled(t *testing.T) {
	_, m := mount(t)
	tr := startTracee(t, `exit 0`)
	pdir := filepath.Join(m, strconv.Itoa(tr.pid))
	if err := writeFile(filepath.Join(pdir, "ctl"), "straceme"); err != nil {
		t.Fatal(err)
	}
	readers := func() string {
		b, _ := os.ReadFile(filepath.Join(pdir, "status"))
		m := regexp.MustCompile(`StraceReaders:\t(\d+)`).FindSubmatch(b)
		if m == nil {
			return "?"
		}
		return string(m[1])
	}
	// Drain what is there, then block.
	cat := exec.Command("cat", filepath.Join(pdir, "strace"))
	if err := cat.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the reader to block", func() bool { return readers() == "1" })
	time.Sleep(100 * time.Millisecond)
	cat.Process.Kill()
	if err := cat.Wait(); err == nil {
		t.Fatal("cat ended normally")
	}
	waitFor(t, "the handle to be released", func() bool { return readers() == "0" })
	// Another reader still gets the stream to its end.
	cat2 := exec.Command("cat", filepath.Join(pdir, "strace"))
	var out bytes.Buffer
	cat2.Stdout = &out
	cat2.Start()
	waitFor(t, "the second reader", func() bool { return readers() == "1" })
	tr.release(t)
	if err := cat2.Wait(); err != nil {
		t.Fatal(err)
	}
	if !hangup.Match(out.Bytes()) {
		t.Errorf("second reader got:\n%s", tail(out.String()))
	}
}

func TestIdentityESRCH(t *testing.T) {
	_, m := mount(t)
	sleeper := exec.Command("sleep", "30")
	sleeper.Start()
	pdir := filepath.Join(m, strconv.Itoa(sleeper.Process.Pid))
	f, err := os.Open(filepath.Join(pdir, "status"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := os.Open(filepath.Join(pdir, "cmdline"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	ctl, err := os.OpenFile(filepath.Join(pdir, "ctl"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer ctl.Close()
	sleeper.Process.Kill()
	sleeper.Wait()
	if _, err := f.Read(make([]byte, 100)); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("read of a dead process's status (Plan 9 file): %v, want ESRCH", err)
	}
	if _, err := g.Read(make([]byte, 100)); err == nil {
		t.Errorf("read of a dead process's cmdline succeeded")
	}
	if _, err := ctl.WriteString("stop"); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("ctl of a dead process: %v, want ESRCH", err)
	}
	if _, err := os.Stat(pdir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("dead process's directory: %v", err)
	}
}

// TestPidReuse binds a directory to a process, lets its pid be reused by
// another, and checks that the old handle answers ESRCH.
func TestPidReuse(t *testing.T) {
	_, m := mount(t)
	first := exec.Command("sleep", "30")
	first.Start()
	pid := first.Process.Pid
	pdir := filepath.Join(m, strconv.Itoa(pid))
	d, err := os.Open(pdir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	first.Process.Kill()
	first.Wait()
	// Start times count clock ticks: a pid reused within the same tick
	// (possible only by writing ns_last_pid, as here) would look the same.
	time.Sleep(30 * time.Millisecond)
	// Cycle pids until one lands on pid again (ns_last_pid as root).
	if err := os.WriteFile("/proc/sys/kernel/ns_last_pid", []byte(strconv.Itoa(pid-1)), 0); err != nil {
		t.Fatal(err)
	}
	second := exec.Command("sleep", "30")
	second.Start()
	defer func() { second.Process.Kill(); second.Wait() }()
	if second.Process.Pid != pid {
		t.Skipf("pid %d was not reused (got %d)", pid, second.Process.Pid)
	}
	// The old directory handle is bound to the dead process.
	if _, err := d.Readdirnames(-1); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("readdir through the old handle: %v, want ESRCH", err)
	}
	// A fresh lookup finds the new process.
	b, err := os.ReadFile(filepath.Join(pdir, "cmdline"))
	if err != nil || !bytes.HasPrefix(b, []byte("sleep\x0030")) {
		t.Errorf("new process: %q %v", b, err)
	}
}

func TestCtlAndNote(t *testing.T) {
	_, m := mount(t)
	// A sleeper that dies of SIGHUP even when the test runs with SIGHUP
	// ignored (nohup), which its children inherit.
	sleeper := exec.Command("python3", "-c", "import signal, time; signal.signal(signal.SIGHUP, signal.SIG_DFL); print('ready', flush=True); time.sleep(30)")
	ready, _ := sleeper.StdoutPipe()
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer sleeper.Process.Kill()
	if _, err := bufio.NewReader(ready).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	pdir := filepath.Join(m, strconv.Itoa(sleeper.Process.Pid))
	for _, bad := range []string{"bogus", "straceme extra", "\n", "\x00\x01", strings.Repeat("x", 300), "kill\nkill", "stop 1"} {
		err := writeFile(filepath.Join(pdir, "ctl"), bad)
		if !errors.Is(err, syscall.EINVAL) {
			t.Errorf("ctl %q: %v, want EINVAL", bad, err)
		}
	}
	if v := engine(t).TracedBy(sleeper.Process.Pid); v != nil {
		t.Errorf("a bad command started a session")
	}
	if _, err := os.ReadFile(filepath.Join(pdir, "ctl")); !errors.Is(err, syscall.EACCES) {
		t.Errorf("reading ctl: %v, want EACCES", err)
	}
	state := func() string {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", sleeper.Process.Pid))
		i := bytes.LastIndexByte(b, ')')
		return string(b[i+2 : i+3])
	}
	if err := writeFile(filepath.Join(pdir, "ctl"), "stop\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "stopped", func() bool { return state() == "T" })
	if err := writeFile(filepath.Join(pdir, "ctl"), "start"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "running", func() bool { return state() == "S" })
	for _, bad := range []string{"NOSUCH", "0", "65", "hup hup"} {
		if err := writeFile(filepath.Join(pdir, "note"), bad); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("note %q: %v, want EINVAL", bad, err)
		}
	}
	if err := writeFile(filepath.Join(pdir, "note"), "hup"); err != nil {
		t.Fatal(err)
	}
	sleeper.Wait()
	if ws := sleeper.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGHUP {
		t.Errorf("note hup: %v", sleeper.ProcessState)
	}
	// notepg signals the process group.
	grp := exec.Command("sh", "-c", "sleep 30 & sleep 30 & wait")
	grp.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	grp.Start()
	defer grp.Process.Kill()
	time.Sleep(100 * time.Millisecond)
	if err := writeFile(filepath.Join(m, strconv.Itoa(grp.Process.Pid), "notepg"), "SIGTERM"); err != nil {
		t.Fatal(err)
	}
	grp.Wait()
	waitFor(t, "the process group to go", func() bool {
		out, _ := exec.Command("pgrep", "-g", strconv.Itoa(grp.Process.Pid)).Output()
		return len(out) == 0
	})
	// kill.
	k := exec.Command("sleep", "30")
	k.Start()
	if err := writeFile(filepath.Join(m, strconv.Itoa(k.Process.Pid), "ctl"), "kill"); err != nil {
		t.Fatal(err)
	}
	k.Wait()
	if ws := k.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("kill: %v", k.ProcessState)
	}
}

func TestPlan9Files(t *testing.T) {
	_, m := mount(t)
	c := exec.Command("bash", "-c", "exec -a 'my sleep' sleep 30", "x")
	c.Start()
	defer c.Process.Kill()
	time.Sleep(100 * time.Millisecond)
	pdir := filepath.Join(m, strconv.Itoa(c.Process.Pid))
	b, _ := os.ReadFile(filepath.Join(pdir, "args"))
	if string(b) != "'my sleep' 30\n" {
		t.Errorf("args = %q", b)
	}
	b, _ = os.ReadFile(filepath.Join(pdir, "user"))
	if string(b) != "root\n" {
		t.Errorf("user = %q", b)
	}
	l, err := os.Readlink(filepath.Join(pdir, "file"))
	real, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", c.Process.Pid))
	if err != nil || l != real {
		t.Errorf("file -> %q (%v), want %q", l, err, real)
	}
	b, _ = os.ReadFile(filepath.Join(pdir, "namespace"))
	if !regexp.MustCompile(`(?m)^mount (-r )?'?#\w+'? / `).Match(b) {
		t.Errorf("namespace:\n%s", b)
	}
	b, _ = os.ReadFile(filepath.Join(pdir, "status"))
	if !bytes.HasPrefix(b, []byte("Name:\tsleep\n")) || bytes.Contains(b, []byte("Strace")) {
		t.Errorf("status of an untraced process:\n%s", b)
	}
}

// As a stranger (nobody) and as the owner, with setpriv.
func TestAccess(t *testing.T) {
	_, m := mount(t)
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Fatal("setpriv is not installed")
	}
	// A root process: a stranger may read what /proc lets anyone read,
	// and nothing else.
	sleeper := exec.Command("sleep", "30")
	sleeper.Start()
	defer sleeper.Process.Kill()
	P := strconv.Itoa(sleeper.Process.Pid)
	nobody := func(script string) string {
		cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "sh", "-c", script)
		cmd.Env = append(os.Environ(), "M="+m, "P="+P)
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	out := nobody(`
try() { if "$@" >/dev/null 2>&1; then echo "$*: ok"; else echo "$*: refused"; fi; }
try cat $M/$P/status
try cat $M/$P/cmdline
try cat $M/$P/stat
try cat $M/$P/strace
try sh -c "echo straceme > $M/$P/ctl"
try sh -c "echo kill > $M/$P/ctl"
try sh -c "echo hup > $M/$P/note"
try cat $M/$P/environ
try cat $M/$P/mem
try cat $M/$P/maps
try ls $M/$P/fd
try readlink $M/$P/cwd
try readlink $M/$P/file
try sh -c "echo 100 > $M/$P/oom_score_adj"
try sh -c "echo straceme > $M/$$/ctl"
try cat $M/$$/environ
try sh -c "echo straceoff > $M/$$/ctl"
try cat $M/$$/strace
`)
	want := map[string]string{
		"cat M/P/status": "ok", "cat M/P/cmdline": "ok", "cat M/P/stat": "ok",
		"cat M/P/strace": "refused", "sh -c echo straceme > M/P/ctl": "refused",
		"sh -c echo kill > M/P/ctl": "refused", "sh -c echo hup > M/P/note": "refused",
		"cat M/P/environ": "refused", "cat M/P/mem": "refused", "cat M/P/maps": "refused",
		"ls M/P/fd": "refused", "readlink M/P/cwd": "refused", "readlink M/P/file": "refused",
		"sh -c echo 100 > M/P/oom_score_adj": "refused",
		"sh -c echo straceme > M/$$/ctl":     "ok", "cat M/$$/strace": "ok", "cat M/$$/environ": "ok",
		"sh -c echo straceoff > M/$$/ctl": "ok",
	}
	got := tryResults(out, m, P)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("nobody: %s: %q, want %q", k, got[k], w)
		}
	}
	if sleeper.ProcessState != nil {
		t.Errorf("the stranger killed root's process")
	}
	if engine(t).TracedBy(sleeper.Process.Pid) != nil {
		t.Errorf("the stranger traced root's process")
	}
	// A stranger's view of /proc/PID/stat hides what /proc hides.
	viewStat := nobody(`cat $M/$P/stat`)
	realStat := nobody(`cat /proc/$P/stat`)
	if f1, f2 := strings.Fields(viewStat), strings.Fields(realStat); len(f1) < 30 || len(f2) < 30 || f1[25] != f2[25] || f1[26] != f2[26] {
		t.Errorf("stat differs from /proc's for a stranger:\nview %s\nproc %s", viewStat, realStat)
	}
	// kallsyms shows no addresses to a stranger.
	ks := nobody(`head -1 $M/kallsyms`)
	if !strings.HasPrefix(ks, "0000000000000000 ") {
		t.Errorf("kallsyms for a stranger: %q", ks)
	}
}

// tryResults reads the lines "command: ok" or "command: refused" of
// TestAccess's script, keyed by command with the mount m written M, the
// process P written P and any other pid (the shell's own) written $$.
func tryResults(out, m, P string) map[string]string {
	got := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		if !ok {
			continue
		}
		k = strings.ReplaceAll(k, m, "M")
		k = strings.ReplaceAll(k, "/"+P+"/", "/P/")
		k = regexp.MustCompile(`M/\d+/`).ReplaceAllString(k, "M/$$$$/")
		got[k] = v
	}
	return got
}
