package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTraceReapsOthers: a child eproc inherited (`sleep & exec eproc
// trace ...`; a CLONE_PARENT child of the command is the same case) is
// reaped when it exits, as strace reaps it: the command then finds it
// gone (kill -0 fails), where unreaped it stayed a zombie for the whole
// trace. eproc says "Exit of unknown pid N ignored", as strace does,
// unless -e quiet=exit (-qq). Run as strace (a link of that name), eproc
// is eproc trace and begins the message with that name, as strace begins
// it with its argv[0].
func TestTraceReapsOthers(t *testing.T) {
	bin, _ := traceTools(t)
	link := filepath.Join(t.TempDir(), "strace")
	if err := os.Symlink(bin, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opt  string
		say  bool
		run  string // the tracer's command line
		name string // what its messages begin with
	}{{"-q", true, bin + " trace", "eproc trace"}, {"-qq", false, bin + " trace", "eproc trace"}, {"-q", true, link, link}} {
		script := `sleep 0.2 & S=$!; echo $S; exec env S=$S ` + tc.run + ` --no-daemon ` + tc.opt + ` -o /dev/null -- sh -c 'sleep 1.5; if kill -0 $S 2>/dev/null; then echo zombie; else echo gone; fi'`
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
		said := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(tc.name) + `: Exit of unknown pid ` + lines[0] + ` ignored$`).MatchString(stderr.String())
		if said != tc.say {
			t.Errorf("%s: said %v, want %v; standard error:\n%s", tc.opt, said, tc.say, stderr.String())
		}
	}
}
