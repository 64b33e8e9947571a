package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestTraceReapsOthers: a child eproc inherited (`sleep & exec eproc
// trace ...`; a CLONE_PARENT child of the command is the same case) is
// reaped when it exits, as strace reaps it: the command then finds it
// gone (kill -0 fails), where unreaped it stayed a zombie for the whole
// trace. eproc says "Exit of unknown pid N ignored", as strace does,
// unless -e quiet=exit (-qq).
func TestTraceReapsOthers(t *testing.T) {
	bin, _ := traceTools(t)
	for _, tc := range []struct {
		opt string
		say bool
	}{{"-q", true}, {"-qq", false}} {
		script := `sleep 0.2 & S=$!; echo $S; exec env S=$S ` + bin + ` trace --no-daemon ` + tc.opt + ` -o /dev/null -- sh -c 'sleep 1.5; if kill -0 $S 2>/dev/null; then echo zombie; else echo gone; fi'`
		cmd := exec.Command("sh", "-c", script)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v: %s", tc.opt, err, stderr.String())
		}
		lines := strings.Fields(string(out))
		if len(lines) != 2 || lines[1] != "gone" {
			t.Errorf("%s: the inherited child was not reaped during the trace: %q", tc.opt, out)
			continue
		}
		said := regexp.MustCompile(`(?m)^eproc trace: Exit of unknown pid ` + lines[0] + ` ignored$`).MatchString(stderr.String())
		if said != tc.say {
			t.Errorf("%s: said %v, want %v; standard error:\n%s", tc.opt, said, tc.say, stderr.String())
		}
	}
}
