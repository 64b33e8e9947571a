package main

import (
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
			s, e = norm.ReplaceAllString(normTrace(s), "$1 N"), norm.ReplaceAllString(normTrace(e), "$1 N")
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
