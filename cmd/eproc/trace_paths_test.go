package main

// strace's -P PATH (--trace-path) against strace.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestTracePaths: -P prints the calls that touch a path, by a path
// argument (openat, access, execve...) or by a descriptor opened on it
// (read, fstat, dup2, close...), in every process under -f; more than one
// -P, --trace-path=, and a path that resolves into another (a link) too.
func TestTracePaths(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.WriteFile(data, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(data, link); err != nil {
		t.Fatal(err)
	}
	script := `cat ` + data + ` /etc/hostname; test -r ` + data + `; exec 5<` + link + `; read x <&5; exec 5<&-; cat /etc/passwd >/dev/null`
	for _, opts := range [][]string{
		{"-P", data}, {"-f", "-P", data}, {"-f", "--trace-path=" + data, "-P", "/etc/passwd"}, {"-f", "-P", link},
	} {
		name := strings.Join(opts, " ")
		t.Run(strings.ReplaceAll(name, dir, "DIR"), func(t *testing.T) {
			s, e := traceBoth(t, dir, opts, "sh", "-c", script)
			rawS, rawE := s, e
			defer func() {
				if t.Failed() { // see TestTraceInject's
					t.Logf("raw eproc:\n%s\nraw strace:\n%s", rawE, rawS)
				}
			}()
			s, e = normTraces(s, e)
			if !strings.Contains(s, `read(0, "h", 1)`) || opts[0] == "-f" && !strings.Contains(s, `openat(AT_FDCWD, "`+data+`", O_RDONLY)`) {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			if opts[0] == "-f" {
				comparePerPid(t, s, e)
			} else {
				sc, ss := splitSignals(s)
				ec, es := splitSignals(e)
				if sc != ec || ss != es {
					t.Errorf("eproc trace %s:\n%s\nstrace:\n%s", name, e, s)
				}
			}
		})
	}
	// What strace says of a path that resolves into another.
	eproc, strace := traceTools(t)
	var errs [2]string
	for i, argv := range [][]string{{strace}, {eproc, "trace"}} {
		out, _ := exec.Command(argv[0], append(argv[1:], "-o", os.DevNull, "-P", link, "true")...).CombinedOutput()
		errs[i] = string(out)
	}
	if want := "strace: Requested path \"" + link + "\" resolved into \"" + data + "\"\n"; errs[0] != want {
		t.Fatalf("strace -P LINK: %q, want %q", errs[0], want)
	}
	if got := strings.ReplaceAll(errs[0], "strace: ", "eproc trace: "); errs[1] != got {
		t.Errorf("eproc trace -P LINK: %q, want %q", errs[1], got)
	}
}

// TestTracePathsInherited: -P with -e trace= on a descriptor the command
// inherited (strace's dup*-P tests: `7>>/dev/full`) and duplicated by a
// call -e trace= leaves out: eproc's own descriptors seed the command's,
// and the kernel still delivers the descriptor calls -P follows (dup2,
// here), unprinted. Against strace run the same way.
func TestTracePathsInherited(t *testing.T) {
	eBin, sBin := traceTools(t)
	dir := t.TempDir()
	var outs [2]string
	for i, tr := range [][]string{{sBin}, {eBin, "trace"}} {
		full, err := os.OpenFile("/dev/full", os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, strconv.Itoa(i)+".out")
		args := append(tr[1:], "-e", "trace=write", "-P", "/dev/full", "-o", out, "--",
			"sh", "-c", "echo x >&3; echo y >/dev/null")
		cmd := exec.Command(tr[0], args...)
		cmd.ExtraFiles = []*os.File{full} // the command's fd 3
		b, err := cmd.CombinedOutput()
		full.Close()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tr[0], err, b)
		}
		text, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs[i] = string(text)
	}
	if !strings.HasPrefix(outs[0], `write(1, "x\n", 2) `) || !strings.Contains(outs[0], "= -1 ENOSPC") || strings.Count(outs[0], "write(") != 1 {
		t.Fatalf("strace's trace is not the oracle expected:\n%s", outs[0])
	}
	hangup := regexp.MustCompile(`(?m)^Traced ~\d+ syscs, Dropped 0\n`) // eproc's own last line
	if s, e := normTraces(outs[0], hangup.ReplaceAllString(outs[1], "")); s != e {
		t.Errorf("eproc trace:\n%s\nstrace:\n%s", e, s)
	}
}
