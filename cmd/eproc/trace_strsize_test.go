package main

import (
	"strings"
	"testing"
)

// TestTraceStrSizeZero: -s 0 is strace's -s 0 (no byte of any string or
// buffer, arrays cut before their first element: `""...`, `[...]`), not
// the default 32 that an options' zero value stands for.
func TestTraceStrSizeZero(t *testing.T) {
	dir := t.TempDir()
	for _, opts := range [][]string{{"-s", "0"}, {"-s0", "-v"}} {
		t.Run(strings.Join(opts, ""), func(t *testing.T) {
			s, e := traceBoth(t, dir, append(opts, "-e", "trace=execve,write,uname"), "uname", "-s", "-n", "-r")
			s, e = normTraces(s, e)
			if !strings.Contains(s, `write(1, ""..., `) {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			if s != e {
				t.Errorf("eproc trace %v:\n%s\nstrace:\n%s", opts, e, s)
			}
		})
	}
}
