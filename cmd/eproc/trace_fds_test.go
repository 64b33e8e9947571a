package main

import (
	"github.com/eproc/eproc/strace"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTraceFds: -y, -yy and --decode-fds print the same lines as strace's
// for a shell that changes directory, opens files by relative and absolute
// paths and through a symbolic link, duplicates, moves and closes
// descriptors, passes one across an exec and marks one close-on-exec,
// writes to /dev/null, and removes a file it holds open; with -e trace=,
// the calls the tables follow but were not asked for (dup2, close,
// chdir, unlinkat...) are not printed.
func TestTraceFds(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"sub/data": "some data\n", "top": "top\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("sub/data", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	// A file removed by another process is "(deleted)" where that
	// process is traced (-f): eproc learns it from the unlink.
	script := func(rm string) string {
		return `echo x >sub/gone; exec 5<link; cd sub && exec 3<data && read a <&3 && exec 4>&3 && exec 3<&- && read b <../top && ` +
			`exec 6<gone && ` + rm + ` read c <&6; echo $a >/dev/null; exec 7<&5; exec cat /proc/self/fdinfo/7 - <&4 >/dev/null`
	}
	norm := regexp.MustCompile(`(pipe|socket):\[\d+\]|/proc/\d+/`)
	all := []string{"-e", "trace=openat,read,write,close,dup2,fcntl,newfstatat,chdir,fadvise64,unlinkat,execve,exit_group"}
	for _, opts := range [][]string{{"-y"}, {"-yy"}, {"--decode-fds=path,dev"}, {"-f", "-yy"}, {"-y", "-e", "trace=read,newfstatat,exit_group", "-e"}} {
		if opts[len(opts)-1] == "-e" {
			opts = append(opts, "signal=none") // -e trace= given
		} else {
			opts = append(opts, all...)
		}
		name := strings.Join(opts[:len(opts)-2], " ")
		t.Run(name, func(t *testing.T) {
			rm := ""
			if opts[0] == "-f" {
				rm = "rm gone &&"
			}
			s, e := traceBoth(t, dir, opts, "sh", "-c", script(rm))
			s, e = normFdsTraces(norm, s, e)
			if !strings.Contains(s, "</dev/null") || !strings.Contains(s, "+++ exited with 0 +++") || rm != "" && !strings.Contains(s, "(deleted)") {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			if rm != "" {
				comparePerPid(t, s, e)
				return
			}
			if s != e {
				t.Errorf("eproc trace %s:\n%s\nstrace %s:\n%s", name, e, name, s)
			}
		})
	}
}

// TestTraceFdsOptions: -y, -yy, --decode-fds[=SET] and -e decode-fds=SET
// choose the same sets as strace's; -y with --decode-fds is refused, as
// strace refuses it.
func TestTraceFdsOptions(t *testing.T) {
	for args, want := range map[string]uint8{
		"-y":                              strace.DecodeFdPath,
		"-yy":                             strace.DecodeFdAll,
		"-fy -y":                          strace.DecodeFdAll,
		"--decode-fds":                    strace.DecodeFdPath,
		"--decode-fds=all":                strace.DecodeFdAll,
		"--decode-fds=socket,dev":         strace.DecodeFdSocket | strace.DecodeFdDev,
		"-e decode-fds=pidfd":             strace.DecodeFdPidfd,
		"-e trace=read -e decode-fd=path": strace.DecodeFdPath,
	} {
		o, err := parseTrace(append(strings.Fields(args), "true"))
		if err != nil || o.fdSet != want {
			t.Errorf("%s: %v, %v; want %v", args, o, err, want)
		}
	}
	for _, args := range []string{"-y --decode-fds=all", "--decode-fds=bogus", "-e decode-fds=bogus"} {
		if _, err := parseTrace(append(strings.Fields(args), "true")); err == nil {
			t.Errorf("%s: no error", args)
		}
	}
	// The value is optional: glued, never the next word.
	if o, err := parseTrace([]string{"--decode-fds", "all"}); err != nil || o.fdSet != strace.DecodeFdPath || o.cmd[0] != "all" {
		t.Errorf("--decode-fds all: %v, %v", o, err)
	}
}

// normFdsTraces normalizes strace's trace s and eproc's e together
// (normTraces: a number that equals a task id in one run only is not
// named, as in st_size=2996 where the tracee's pid was 2996), then
// replaces pipe and socket inodes and /proc/PID/ with N. A line that held
// one is aligned by its own length, which the number's digits change from
// run to run (a pid of 99999 in one tracer's run, 100001 in the other's):
// its padding before " = " is made one blank.
func normFdsTraces(norm *regexp.Regexp, s, e string) (string, string) {
	pad := regexp.MustCompile(`\) +=`)
	fds := func(trace string) string {
		lines := strings.Split(trace, "\n")
		for i, l := range lines {
			if norm.MatchString(l) {
				lines[i] = pad.ReplaceAllString(norm.ReplaceAllString(l, "$1 N"), ") =")
			}
		}
		return strings.Join(lines, "\n")
	}
	s, e = normTraces(s, e)
	return fds(s), fds(e)
}
