package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// stackC writes from two functions deep, sends itself a signal it
// catches and one it ignores (each line has the stack it interrupted),
// then loads libhello.so with dlopen and calls it: its write has the
// library's code (mapped by that dlopen) in its stack.
const stackC = `#include <dlfcn.h>
#include <signal.h>
#include <unistd.h>
static void on_usr1(int sig) { (void)sig; }
__attribute__((noinline)) void inner(const char *s, int n) { write(1, s, n); }
__attribute__((noinline)) void outer(const char *s, int n) { inner(s, n); asm volatile(""); }
int main(int argc, char **argv) {
	outer("one\n", 4);
	signal(SIGUSR1, on_usr1);
	kill(getpid(), SIGUSR1); /* caught: delivered */
	kill(getpid(), SIGURG);  /* ignored: told at kill's return */
	void *h = dlopen(argv[1], RTLD_NOW);
	void (*hello)(void) = h ? (void (*)(void))dlsym(h, "hello") : 0;
	if (hello)
		hello();
	return 0;
}
`

const helloC = `#include <unistd.h>
__attribute__((noinline)) void hello(void) { write(1, "two\n", 4); asm volatile(""); }
`

// TestTraceStack: eproc trace -k prints the frames strace -k prints, with
// the same files, function names and offsets, for a program built with
// and without frame pointers (the unwinder follows .eh_frame either way,
// Debian's libc having none), statically linked (no interpreter), and
// for the calls a dlopen'd library's mappings come into.
func TestTraceStack(t *testing.T) {
	eproc, strace := traceTools(t)
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	dir := t.TempDir()
	src, lib := filepath.Join(dir, "stack.c"), filepath.Join(dir, "libhello.so")
	if err := os.WriteFile(src, []byte(stackC), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lib+".c", []byte(helloC), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-O2", "-shared", "-fPIC", "-o", lib, lib+".c").CombinedOutput(); err != nil {
		t.Fatalf("cc -shared: %v\n%s", err, out)
	}
	builds := map[string][]string{
		"omit-fp": {"-O2", "-fomit-frame-pointer"},
		"fp":      {"-O0", "-fno-omit-frame-pointer"},
		"static":  {"-O2", "-static"},
	}
	for name, flags := range builds {
		bin := filepath.Join(dir, name)
		if out, err := exec.Command(cc, append(append(flags, "-o", bin, src), "-ldl")...).CombinedOutput(); err != nil {
			if name == "static" {
				t.Logf("cc -static: %v (no static libc?)", err)
				continue
			}
			t.Fatalf("cc %s: %v\n%s", name, err, out)
		}
		var outs [2]string
		for i, tr := range [][]string{{strace}, {eproc, "trace"}} {
			out := filepath.Join(dir, name+strconv.Itoa(i)+".out")
			runTracer(t, dir, out, append(tr, "-k", "-e", "trace=write,openat", "-o", out, bin, lib)...)
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			outs[i] = stackLines(string(b))
		}
		if !strings.Contains(outs[0], "libhello.so(hello+0x") || !strings.Contains(outs[0], "(main+0x") ||
			!strings.Contains(outs[0], "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=PID, si_uid=0} ---\n > ") ||
			!strings.Contains(outs[0], "--- SIGURG {si_signo=SIGURG, si_code=SI_USER, si_pid=PID, si_uid=0} ---\n > ") ||
			name != "static" && !strings.Contains(outs[0], "(outer+0x") {
			t.Fatalf("%s: strace's trace is not the oracle expected:\n%s", name, outs[0])
		}
		if name == "static" {
			// strace's libunwind finds a file's CFI through its
			// .eh_frame_hdr, which a static program of Debian's gcc
			// lacks: it stops after the first frame, or guesses the
			// next from the stack, where eproc, reading .eh_frame
			// itself, goes on. The frames both find agree, in order.
			sb, eb := strings.Split(outs[0], "\n"), strings.Split(outs[1], "\n")
			j := 0
			for _, l := range sb {
				for j < len(eb) && eb[j] != l && strings.HasPrefix(eb[j], " > ") {
					j++
				}
				if j == len(eb) || eb[j] != l {
					t.Fatalf("%s: strace's line %q is not in eproc's trace in its place:\n%s\nstrace -k:\n%s", name, l, outs[1], outs[0])
				}
				j++
			}
			continue
		}
		if outs[0] != outs[1] {
			t.Errorf("%s: eproc trace -k:\n%s\nstrace -k:\n%s", name, outs[1], outs[0])
		}
	}
}

var sigPid = regexp.MustCompile(`si_pid=\d+`)

// stackLines keeps of a trace its stack lines, whole, and the name of
// each call they follow: what -k adds. (The calls' arguments are other
// tests' business: a literal in a page nothing touched prints as its
// address once the program has exited, see README.)
func stackLines(text string) string {
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(l, " > "):
			b.WriteString(l)
		case strings.HasPrefix(l, "Traced ~"), l == "":
			continue
		case strings.HasPrefix(l, "--- SIG"):
			b.WriteString(sigPid.ReplaceAllString(l, "si_pid=PID"))
		default:
			name, _, _ := strings.Cut(l, "(")
			b.WriteString(name)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
