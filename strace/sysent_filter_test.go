package strace

import (
	"slices"
	"testing"

	"golang.org/x/sys/unix"
)

// TestParseFilterTokens: strace's qualify_syscall tokens beyond names and
// classes: "?" (no error for what this machine lacks, strace's for
// another architecture's calls), numbers (the syscall of that number),
// and the "@64" personality (the native one); a number with no syscall,
// and another personality, refused.
func TestParseFilterTokens(t *testing.T) {
	for expr, want := range map[string][]uint32{
		"?no_such_call,getpid": {unix.SYS_GETPID},
		"?":                    {},
		"?%nosuchclass,close":  {unix.SYS_CLOSE},
		"?/^getpid$":           {unix.SYS_GETPID},
		"39":                   {39},
		"getpid@64,close":      {unix.SYS_GETPID, unix.SYS_CLOSE},
	} {
		got, err := ParseFilter(expr)
		slices.Sort(want)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%q: %v, %v; want %v", expr, got, err, want)
		}
	}
	for _, expr := range []string{"no_such_call", "99999", "getpid@32x", "/^zzz"} {
		if _, err := ParseFilter(expr); err == nil {
			t.Errorf("%q: accepted", expr)
		}
	}
}
