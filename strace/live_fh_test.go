package strace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Live tests of syscalls strace 6.1 does not know (so the oracle
// workloads cannot compare them): a C program traced by `eproc trace`,
// its lines (normalized as the oracle's: addresses 0xADDR, the result's
// padding) compared with what strace 7.2 printed for the same program.
// A program that finds the kernel without its calls exits 77: skipped.

// fhLiveCheck checks the lines fhLive returns against want, strace
// 7.2's, normalized the same way.
func fhLiveCheck(t *testing.T, name, src, filter string, want []string, opts ...string) {
	t.Helper()
	got := fhLive(t, name, src, filter, opts...)
	for i := range want {
		want[i] = normalize(want[i], nil)
	}
	checkLines(t, got, want)
}

// fhLive traces src, compiled as name, with -e trace=filter (and opts) and
// returns its call lines normalized, the "+++" and "Traced" lines left
// out.
func fhLive(t *testing.T, name, src, filter string, opts ...string) []string {
	t.Helper()
	needRoot(t)
	bin := buildEproc(t)
	dir := t.TempDir()
	prog := ccWorkload(name, src)(t, dir)
	out := filepath.Join(t.TempDir(), "eproc.out")
	argv := append(append([]string{bin, "trace", "-e", "trace=" + filter, "-o", out}, opts...), "--")
	code, _, stderr := runTracer(t, dir, append(argv, prog...)...)
	if code == 77 {
		t.Skipf("%s: the kernel has not the calls", name)
	}
	if code != 0 {
		t.Fatalf("eproc trace exited with %d; stderr:\n%s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if strings.HasPrefix(l, "+++ ") || strings.HasPrefix(l, "Traced ") {
			continue
		}
		lines = append(lines, normalize(l, nil))
	}
	return lines
}
