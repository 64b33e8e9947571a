package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTraceRaw: -e raw= prints those calls as strace does (arguments and
// result in hex, errors as print_err_ret's, exit_group's "= ?"), the
// others decoded: the same lines as strace's, addresses aside.
func TestTraceRaw(t *testing.T) {
	dir := t.TempDir()
	for _, opts := range [][]string{
		{"-e", "trace=openat,close,read,exit_group", "-e", "raw=openat,close,exit_group"},
		{"-e", "trace=openat,close,read,exit_group", "--raw=all"},
		{"-e", "trace=openat,read", "-e", "x=read"},
	} {
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			s, e := traceBoth(t, dir, append([]string{"-f", "-qq"}, opts...), "cat", "/etc/hostname", "/nonexistent")
			if !strings.Contains(s, "0xffffff9c") && !strings.Contains(s, "read(0x3") {
				t.Fatalf("strace printed nothing raw: the oracle is not what the test expects:\n%s", s)
			}
			s, e = normTraces(s, e)
			comparePerPid(t, s, e)
		})
	}
}

// TestTraceCommandOptions: -E sets and unsets the command's environment
// as strace's does (the execve line's count of variables is the same),
// -u runs it as that user, -A appends to the output file, -V prints
// eproc's version.
func TestTraceCommandOptions(t *testing.T) {
	eproc, strace := traceTools(t)
	dir := t.TempDir()
	os.Setenv("EPROC_TEST_GONE", "1")
	defer os.Unsetenv("EPROC_TEST_GONE")
	// Writable by nobody.
	for _, p := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	result := filepath.Join(dir, "out.txt")
	script := `echo "$FOO:${EPROC_TEST_GONE-unset}:$(id -un)" > out.txt`
	var outs [2]string
	for i, tr := range [][]string{{strace}, {eproc, "trace"}} {
		os.WriteFile(result, nil, 0o666)
		os.Chmod(result, 0o666)
		out := filepath.Join(dir, "trace.out")
		argv := append(append([]string{}, tr...), "-e", "trace=execve", "-E", "FOO=bar", "-E", "EPROC_TEST_GONE", "-u", "nobody", "-o", out, "sh", "-c", script)
		r := runTracer(t, dir, out, argv...)
		if r.status.ExitStatus() != 0 || r.stderr != "" {
			t.Fatalf("%q: %v, %q", argv, r.status, r.stderr)
		}
		got, _ := os.ReadFile(result)
		if string(got) != "bar:unset:nobody\n" {
			t.Errorf("%s: the command saw %q, want bar:unset:nobody", tr[0], got)
		}
		b, _ := os.ReadFile(out)
		outs[i] = normTraceWith(string(b), nil)
		outs[i], _, _ = strings.Cut(outs[i], "Traced ~")
	}
	if outs[1] != outs[0] {
		t.Errorf("-E, -u: eproc's execve lines\n%s\nstrace's\n%s", outs[1], outs[0])
	}

	// -A: two runs, one file.
	out := filepath.Join(dir, "append.out")
	for range 2 {
		runTracer(t, dir, out, eproc, "trace", "-A", "-e", "trace=exit_group", "-o", out, "true")
	}
	b, _ := os.ReadFile(out)
	if n := strings.Count(string(b), "exit_group(0)"); n != 2 {
		t.Errorf("-A, two runs: %d exit_group lines in\n%s", n, b)
	}

	// -o '|COMMAND' and '!COMMAND': the trace piped to /bin/sh -c COMMAND,
	// which eproc waits for; the same text as strace's.
	for _, p := range []string{"|", "!"} {
		var got [2]string
		for i, tr := range [][]string{{strace}, {eproc, "trace"}} {
			piped := filepath.Join(dir, "piped.out")
			os.Remove(piped)
			runTracer(t, dir, out, append(tr, "-e", "trace=exit_group", "-o", p+"sed s/exit_group/EXIT/ >"+piped, "true")...)
			b, _ := os.ReadFile(piped)
			got[i], _, _ = strings.Cut(string(b), "Traced ~")
		}
		if got[1] != got[0] || !strings.HasPrefix(got[1], "EXIT(0)") {
			t.Errorf("-o '%sCOMMAND': eproc's\n%s\nstrace's\n%s", p, got[1], got[0])
		}
	}

	// --seccomp-bpf: nothing to change; strace's warning without -f.
	r := runTracer(t, dir, out, eproc, "trace", "-f", "--seccomp-bpf", "-o", out, "true")
	if r.status.ExitStatus() != 0 || r.stderr != "" {
		t.Errorf("-f --seccomp-bpf: %v, %q", r.status, r.stderr)
	}
	r = runTracer(t, dir, out, eproc, "trace", "--seccomp-bpf", "-o", out, "true")
	if r.status.ExitStatus() != 0 || r.stderr != "--seccomp-bpf cannot be used without -f/--follow-forks, disabling\n" &&
		!strings.HasSuffix(r.stderr, ": --seccomp-bpf cannot be used without -f/--follow-forks, disabling\n") {
		t.Errorf("--seccomp-bpf without -f: %v, %q", r.status, r.stderr)
	}

	// -V, --version.
	for _, v := range []string{"-V", "--version"} {
		r := runTracer(t, dir, out, eproc, "trace", v)
		if r.status.ExitStatus() != 0 {
			t.Errorf("%s: %v, %q", v, r.status, r.stderr)
		}
	}
}

// TestParseLongPrefixes: a long option may be cut to any prefix that names
// one option (its other names included), as strace's getopt_long takes
// it; an ambiguous one is refused with getopt_long's words.
func TestParseLongPrefixes(t *testing.T) {
	o, err := parseTrace([]string{"--follow", "--summary-o", "--sil", "--string-l=7", "--fail", "true"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.follow || !o.summary || o.strsize != 7 || o.quiet == 0 || o.status == 0 {
		t.Errorf("--follow --summary-o --sil --string-l=7 --fail: follow %v, summary %v, strsize %d, quiet %d, status %d",
			o.follow, o.summary, o.strsize, o.quiet, o.status)
	}
	_, err = parseTrace([]string{"--str=5", "true"})
	if want := "option '--str=5' is ambiguous; possibilities: '--string-limit' '--strings-in-hex'"; err == nil || err.Error() != want {
		t.Errorf("--str=5: %v, want %q", err, want)
	}
}
