package main

// A thread other than the leader calls execve (Go's syscall.Exec from a
// goroutine does), against strace: -f -o, -qqq and -ff.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// threadExecC: the leader starts a thread, lets it go and then exits
// (argv[1] "exit") or pauses ("pause"); the thread, once the leader is
// gone or paused (a 0.1 s sleep), execs the program again with "done",
// which exits 0.
const threadExecC = `#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static char **args;

static void *thread(void *arg)
{
	char c;
	struct timespec ts = { .tv_nsec = 100000000 };
	char *argv[] = { args[0], "done", NULL };
	char *envp[] = { NULL };

	read(fds[0], &c, 1);
	syscall(SYS_nanosleep, &ts, NULL);
	syscall(SYS_execve, args[0], argv, envp);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc < 2 || !strcmp(argv[1], "done"))
		return 0;
	args = argv;
	if (pipe(fds) || pthread_create(&t, NULL, thread, NULL))
		return 1;
	close(fds[1]);
	if (!strcmp(argv[1], "exit"))
		syscall(SYS_exit, 42);
	syscall(SYS_pause);
	return 1;
}
`

// buildThreadExec compiles threadExecC in dir, or skips without a C
// compiler.
func buildThreadExec(t *testing.T, dir string) string {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	src, bin := filepath.Join(dir, "texec.c"), filepath.Join(dir, "texec")
	if err := os.WriteFile(src, []byte(threadExecC), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-O2", "-pthread", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	return bin
}

// TestTraceThreadExecve: eproc trace -f prints what strace -f prints when
// a thread other than the leader execs: the execve under the thread's id,
// "<pid changed to L ...>" (the leader had exited) or "<unfinished ...>"
// (the leader's pause ends first, "= ?"), "+++ superseded by execve in pid
// T +++" (not with -qqq), and the execve resumed under the leader's id.
func TestTraceThreadExecve(t *testing.T) {
	dir := t.TempDir()
	bin := buildThreadExec(t, dir)
	filter := "trace=execve,exit,pause,nanosleep"
	for _, mode := range []string{"exit", "pause"} {
		for _, q := range []string{"", "-qqq"} {
			t.Run(mode+q, func(t *testing.T) {
				opts := []string{"-f", "-e", filter}
				if q != "" {
					opts = append(opts, q)
				}
				s, e := traceBoth(t, dir, opts, bin, mode)
				s, e = normTraces(s, e)
				if !strings.Contains(s, "execve resumed>") || strings.Contains(s, "superseded") == (q != "") {
					t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
				}
				// Process by process: whether the thread's sleep starts
				// before the leader's exit is the scheduler's.
				comparePerPid(t, s, e)
			})
		}
	}
}

// TestTraceThreadExecveSeparate: with -ff, the thread's own file ends
// with its execve's "<pid changed to L ...>", and the leader's goes on
// with the leader's end, the superseded line and the execve resumed, as
// strace -ff's files do.
func TestTraceThreadExecveSeparate(t *testing.T) {
	dir := t.TempDir()
	bin := buildThreadExec(t, dir)
	eBin, sBin := traceTools(t)
	for _, mode := range []string{"exit", "pause"} {
		t.Run(mode, func(t *testing.T) {
			var files [2][]string
			for i, tr := range [][]string{{sBin}, {eBin, "trace"}} {
				sub := filepath.Join(dir, mode+strconv.Itoa(i))
				if err := os.Mkdir(sub, 0o755); err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(sub, "out")
				argv := append(tr, "-ff", "-e", "trace=execve,exit,pause,nanosleep", "-o", out, bin, mode)
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Dir = dir
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%v: %v\n%s", argv, err, b)
				}
				files[i] = threadFiles(t, sub)
			}
			if len(files[0]) != 2 || !strings.Contains(files[0][1], "<pid changed to") {
				t.Fatalf("strace -ff's files are not the oracle expected: %q", files[0])
			}
			if strings.Join(files[0], "\n--\n") != strings.Join(files[1], "\n--\n") {
				t.Errorf("eproc trace -ff's files:\n%s\nstrace's:\n%s", strings.Join(files[1], "\n--\n"), strings.Join(files[0], "\n--\n"))
			}
		})
	}
}

// threadFiles are the out.TID files in dir, in the order of their tids,
// with addresses and the tids (P1, P2...) normalized.
func threadFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "out.*"))
	sort.Slice(names, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Ext(names[i])[1:])
		b, _ := strconv.Atoi(filepath.Ext(names[j])[1:])
		return a < b
	})
	var texts []string
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, reAddr.ReplaceAllString(string(b), "ADDR"))
	}
	for i, n := range names {
		re := regexp.MustCompile(`\b` + filepath.Ext(n)[1:] + `\b`)
		for j := range texts {
			texts[j] = re.ReplaceAllString(texts[j], "P"+strconv.Itoa(i+1))
		}
	}
	return texts
}
