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

// execveatC fails an execveat (ENOENT), then execs /bin/true with one.
const execveatC = `#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
	char *argv[] = { "/bin/true", 0 };
	char *envp[] = { 0 };
	syscall(SYS_execveat, AT_FDCWD, "/nonexistent", argv, envp, AT_EMPTY_PATH);
	syscall(SYS_execveat, AT_FDCWD, "/bin/true", argv, envp, 0);
	return 1;
}
`

// TestTraceExecveat: a successful execveat is execveat, with its own
// arguments and flags, as strace prints it (at its exit the registers say
// execve on x86: the kernel side takes the number its entry had), and
// -e trace=execveat selects it; a failed one before it, with
// AT_EMPTY_PATH.
func TestTraceExecveat(t *testing.T) {
	eproc, strace := traceTools(t)
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "ea.c"), filepath.Join(dir, "ea")
	if err := os.WriteFile(src, []byte(execveatC), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	envp := regexp.MustCompile(`\], 0x[0-9a-f]+ /\*`)
	for _, filter := range []string{"trace=execveat", "trace=execve,execveat"} {
		var outs [2]string
		for i, tr := range [][]string{{strace}, {eproc, "trace"}} {
			out := filepath.Join(dir, strconv.Itoa(i)+".out")
			runTracer(t, dir, out, append(tr, "-e", filter, "-o", out, bin)...)
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			text, _, _ := strings.Cut(string(b), "Traced ~") // eproc's hang-up line
			outs[i] = envp.ReplaceAllString(text, "], ENVP /*")
		}
		if !strings.Contains(outs[0], `execveat(AT_FDCWD, "/bin/true", ["/bin/true"], ENVP /* 0 vars */, 0) = 0`) ||
			!strings.Contains(outs[0], "AT_EMPTY_PATH) = -1 ENOENT") {
			t.Fatalf("strace's trace is not the oracle expected:\n%s", outs[0])
		}
		if outs[0] != outs[1] {
			t.Errorf("-e %s: eproc trace:\n%s\nstrace:\n%s", filter, outs[1], outs[0])
		}
	}
}
