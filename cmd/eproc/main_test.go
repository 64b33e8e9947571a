package main

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/eproc/eproc/cmd/eproc/internal/kvmguest"
	"github.com/eproc/eproc/loader/wire"
)

// TestHelpVersionUsage builds eproc with its version set by -ldflags -X
// and runs it as a user would: help on stdout with exit 0, the version
// line, usage on stderr with exit 2 for no or an unknown command. No root
// needed.
func TestHelpVersionUsage(t *testing.T) {
	goTool := kvmguest.GoCommand()
	if goTool == "" {
		t.Fatal("no go command on PATH or in GOROOT")
	}
	bin := filepath.Join(t.TempDir(), "eproc")
	build := exec.Command(goTool, "build", "-o", bin, "-ldflags", "-X main.version=v0.0.0-test", ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	version := regexp.MustCompile("^" + regexp.QuoteMeta("eproc v0.0.0-test ") + `go\S+` +
		regexp.QuoteMeta(fmt.Sprintf(" %s/%s, BPF record ABI %d\n", runtime.GOOS, runtime.GOARCH, wire.ABI)) + "$")
	for _, tc := range []struct {
		args     []string
		code     int
		stdout   string // exact, unless stdoutRE is set
		stdoutRE *regexp.Regexp
		stderr   string // exact
	}{
		{args: []string{"help"}, stdout: usage},
		{args: []string{"-h"}, stdout: usage},
		{args: []string{"--help"}, stdout: usage},
		{args: []string{"version"}, stdoutRE: version},
		{args: nil, code: 2, stderr: usage},
		{args: []string{"bogus"}, code: 2, stderr: "eproc: unknown command \"bogus\"\n" + usage},
	} {
		name := strings.Join(tc.args, " ")
		cmd := exec.Command(bin, tc.args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("eproc %s: %v", name, err)
		}
		if code != tc.code {
			t.Errorf("eproc %s: exit %d, want %d", name, code, tc.code)
		}
		if tc.stdoutRE != nil {
			if !tc.stdoutRE.MatchString(stdout.String()) {
				t.Errorf("eproc %s: stdout %q, want it to match %q", name, stdout.String(), tc.stdoutRE)
			}
		} else if stdout.String() != tc.stdout {
			t.Errorf("eproc %s: stdout %q, want %q", name, stdout.String(), tc.stdout)
		}
		if stderr.String() != tc.stderr {
			t.Errorf("eproc %s: stderr %q, want %q", name, stderr.String(), tc.stderr)
		}
	}
}

// TestVersionString checks the fallback to the VCS revision the go command
// stamped when the version is left at "dev".
func TestVersionString(t *testing.T) {
	const rev = "fcf8c4d1a4974c32cc90b32f4d4cf013aeb9aefb"
	info := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev},
			{Key: "vcs.modified", Value: modified},
		}}
	}
	tail := fmt.Sprintf(" %s %s/%s, BPF record ABI %d", runtime.Version(), runtime.GOOS, runtime.GOARCH, wire.ABI)
	for _, tc := range []struct {
		version string
		info    *debug.BuildInfo
		want    string
	}{
		{"dev", nil, "eproc dev" + tail},
		{"dev", &debug.BuildInfo{}, "eproc dev" + tail},
		{"dev", info("false"), "eproc dev (fcf8c4d1a497)" + tail},
		{"dev", info("true"), "eproc dev (fcf8c4d1a497-dirty)" + tail},
		{"v1.2.3", info("true"), "eproc v1.2.3" + tail},
	} {
		if got := versionString(tc.version, tc.info); got != tc.want {
			t.Errorf("versionString(%q, ...) = %q, want %q", tc.version, got, tc.want)
		}
	}
}
