package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestTraceVerbose: -v (--no-abbrev, -e abbrev=none) prints stat's
// structures whole, -e verbose=none prints their addresses, as strace
// does.
func TestTraceVerbose(t *testing.T) {
	dir := t.TempDir()
	const calls = "trace=statx,newfstatat,fstat,stat,lstat"
	vol := regexp.MustCompile(`(set_tid_address\(ADDR\) += )\d+|(getrandom\()"[^"]*"`)
	for _, opts := range [][]string{{"-v"}, {"--no-abbrev"}, {"-e", "abbrev=none"}, {"-e", "verbose=none"}, {"-e", "v=!statx"}} {
		t.Run(strings.Join(opts, ""), func(t *testing.T) {
			s, e := traceBoth(t, dir, append(opts, "-e", calls), "stat", "/etc/hostname", "/dev/null")
			s, e = normTraces(s, e)
			s, e = vol.ReplaceAllString(s, "$1$2"), vol.ReplaceAllString(e, "$1$2")
			if !strings.Contains(s, `"/dev/null"`) {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			if s != e {
				t.Errorf("eproc trace %v:\n%s\nstrace:\n%s", opts, e, s)
			}
		})
	}
	// -s's limit on argv's elements (abbrev only) and uname's fields
	// (not execve under -v: its environment is not captured, see README).
	for _, opts := range [][]string{{"-s2", "-e", "trace=execve,uname"}, {"-s2", "-v", "-e", "trace=uname"}, {"-e", "verbose=none", "-e", "trace=execve,uname"}} {
		t.Run(strings.Join(opts, ""), func(t *testing.T) {
			s, e := traceBoth(t, dir, opts, "uname", "-s", "-n", "-r")
			s, e = normTraces(s, e)
			if !strings.Contains(s, "uname(") {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			if s != e {
				t.Errorf("eproc trace %v:\n%s\nstrace:\n%s", opts, e, s)
			}
		})
	}
	// Every call of a small program under -e verbose=none: its structs,
	// sets and arrays as addresses.
	t.Run("verbose=none-all", func(t *testing.T) {
		s, e := traceBoth(t, dir, []string{"-e", "verbose=none"}, "cat", "/etc/hostname")
		s, e = normTraces(s, e)
		s, e = vol.ReplaceAllString(s, "$1$2"), vol.ReplaceAllString(e, "$1$2")
		if !strings.Contains(s, "execve(") {
			t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
		}
		if s != e {
			t.Errorf("eproc trace -e verbose=none:\n%s\nstrace:\n%s", e, s)
		}
	})
}
