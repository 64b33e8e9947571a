package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// threadsC: main starts a thread that calls getppid and write, joins it,
// and calls getpid; with an argument, both loop until killed. The thread
// writes to standard error, a pipe under runTracer: /dev/null would not
// read the literal, whose page eproc then cannot read either when the
// process has ended by the time its record is decoded (refetch.go).
const threadsC = `#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
static int forever;
static void *f(void *a) {
	do { syscall(SYS_getppid); write(2, "t\n", 2); if (forever) usleep(20000); } while (forever);
	return 0;
}
int main(int argc, char **argv) {
	pthread_t t;
	forever = argc > 1;
	pthread_create(&t, 0, f, 0);
	if (forever) {
		for (;;) { syscall(SYS_getpid); usleep(20000); }
	}
	pthread_join(t, 0);
	syscall(SYS_getpid);
	return 0;
}
`

func buildThreads(t *testing.T, dir string) string {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	src, bin := filepath.Join(dir, "threads.c"), filepath.Join(dir, "threads")
	if err := os.WriteFile(src, []byte(threadsC), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-O2", "-pthread", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	return bin
}

// TestTraceOneThread: without -f, strace follows no clone, threads
// included: the command's other threads' calls and ends are not in the
// trace, and eproc's lines are strace's; with -f both show every thread.
func TestTraceOneThread(t *testing.T) {
	dir := t.TempDir()
	bin := buildThreads(t, dir)
	filter := []string{"-qq", "-e", "trace=getpid,getppid,write,exit,exit_group"}
	s, e := traceBoth(t, dir, filter, bin)
	if strings.Contains(s, "getppid") || !strings.Contains(s, "getpid()") {
		t.Fatalf("strace without -f: not the oracle the test expects:\n%s", s)
	}
	rawE := e
	// No pid prefixes to name the pids by: getpid's result is the
	// command's, getppid's the tracer's.
	rePid := regexp.MustCompile(`(getp?pid\(\) += )\d+`)
	s, e = rePid.ReplaceAllString(s, "${1}PID"), rePid.ReplaceAllString(e, "${1}PID")
	if s != e {
		t.Errorf("without -f: eproc\n%s\nstrace\n%s\n(raw eproc:\n%s)", e, s, rawE)
	}
	s, e = traceBoth(t, dir, append([]string{"-f"}, filter...), bin)
	if !strings.Contains(e, "getppid()") {
		t.Errorf("-f: no thread's call in eproc's trace:\n%s", e)
	}
	s, e = normTraces(s, e)
	comparePerPid(t, rePid.ReplaceAllString(s, "${1}PID"), rePid.ReplaceAllString(e, "${1}PID"))
}

// TestTraceOneThreadAttach: -p TID without -f traces that thread alone,
// a process's other thread included (strace -p TID); -p PID the first
// thread alone.
func TestTraceOneThreadAttach(t *testing.T) {
	eproc, _ := traceTools(t)
	dir := t.TempDir()
	bin := buildThreads(t, dir)
	prog := exec.Command(bin, "forever")
	if err := prog.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { prog.Process.Kill(); prog.Wait() }()
	pid := prog.Process.Pid
	var tid int
	for range 100 {
		ents, _ := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
		for _, e := range ents {
			if n, _ := strconv.Atoi(e.Name()); n != pid && n > 0 {
				tid = n
			}
		}
		if tid != 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if tid == 0 {
		t.Fatal("the program's thread did not start")
	}
	for _, c := range []struct {
		id         int
		want, none string
	}{{pid, "getpid()", "getppid()"}, {tid, "getppid()", "getpid()"}} {
		out := filepath.Join(dir, "attach.out")
		tr := exec.Command(eproc, "trace", "-e", "trace=getpid,getppid", "-o", out, "-p", strconv.Itoa(c.id))
		stderr, err := tr.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Start(); err != nil {
			t.Fatal(err)
		}
		// Traced from "Process N attached" on (the programs' loading
		// takes its time on a busy machine): then 300 ms of calls.
		if l, err := bufio.NewReader(stderr).ReadString('\n'); err != nil || !strings.Contains(l, "attached") {
			t.Fatalf("-p %d: %q, %v", c.id, l, err)
		}
		time.Sleep(300 * time.Millisecond)
		tr.Process.Signal(syscall.SIGINT)
		io.Copy(io.Discard, stderr)
		tr.Wait()
		b, _ := os.ReadFile(out)
		if text := string(b); !strings.Contains(text, c.want) || strings.Contains(text, c.none) || strings.Contains(text, "[pid") {
			t.Errorf("-p %d (thread %d of %d): want %s lines only, no prefix:\n%s", c.id, tid, pid, c.want, text)
		}
	}
}

// TestTraceThreadExecFiltered: a thread's execve that supersedes its
// leader paused in pause (threadExecC), with and without the leader's call
// in -e trace=: strace's lines,
// "<pid changed to L ...>" when the leader's call is not shown (nothing
// came between), "<unfinished ...>" and the leader's "<... pause resumed>"
// when it is.
func TestTraceThreadExecFiltered(t *testing.T) {
	dir := t.TempDir()
	bin := buildThreadExec(t, dir)
	for _, filter := range []string{"trace=execve", "trace=execve,pause"} {
		s, e := traceBoth(t, dir, []string{"-f", "-qq", "-e", filter}, bin, "pause")
		want := "<pid changed to"
		if filter != "trace=execve" {
			want = "<unfinished ...>"
		}
		if !strings.Contains(s, want) {
			t.Fatalf("%s: strace's trace is not the oracle the test expects:\n%s", filter, s)
		}
		rawE := e
		s, e = normTraces(s, e)
		if s != e {
			t.Errorf("%s: eproc\n%s\nstrace\n%s\n(raw eproc:\n%s)", filter, e, s, rawE)
		}
	}
}
