package strace

import (
	"github.com/eproc/eproc/loader/wire"
)

// strace's -q, -qq, -qqq and -e quiet=SET (--quiet=SET): the messages
// left out. Options.Quiet is a set of these bits.
const (
	QuietAttach       uint8 = 1 << iota // "Process N attached", "Process N detached" (standard error)
	QuietExit                           // "+++ exited with N +++"
	QuietPathResolve                    // -P's "Requested path ... resolved into ..." (standard error)
	QuietPersonality                    // "[ Process PID=N runs in ... mode. ]" (eproc prints none)
	QuietThreadExecve                   // "+++ superseded by execve in pid N +++"

	quietAll = QuietAttach | QuietExit | QuietPathResolve | QuietPersonality | QuietThreadExecve
)

// strace 6.1's sets for -q, -qq and -qqq (src/strace.c's qflag_qual...).
const (
	QuietQ   = QuietAttach | QuietPersonality
	QuietQQ  = QuietQ | QuietExit
	QuietQQQ = quietAll
)

// quietNames are strace 6.1's names of the set's elements
// (filter_qualify.c's quietstr_to_uint).
var quietNames = map[string]uint8{
	"attach": QuietAttach, "exit": QuietExit, "exits": QuietExit,
	"path-resolution": QuietPathResolve, "personality": QuietPersonality,
	"superseded": QuietThreadExecve, "thread-execve": QuietThreadExecve,
}

// ParseQuiet parses strace's -e quiet=SET: names separated by commas,
// "all", "none", a leading "!" negating the set. Errors are strace's
// ("invalid quiet 'x'").
func ParseQuiet(s string) (uint8, error) {
	return parseNameSet(s, quietNames, quietAll, "quiet")
}

// QuietLevel is the set of -q given n times (n > 3 is -qqq).
func QuietLevel(n int) uint8 {
	switch {
	case n <= 0:
		return 0
	case n == 1:
		return QuietQ
	case n == 2:
		return QuietQQ
	}
	return QuietQQQ
}

// quietExit reports whether -qq (or -e quiet=) leaves out e's line: a
// process's exit ("+++ exited with N +++", not "+++ killed by ..."), or
// a leader superseded by another thread's execve.
func (t *Text) quietExit(e *wire.Exit) bool {
	q := t.opt.Quiet
	switch {
	case q == 0 || e.Detached:
		return false
	case e.Superseded:
		return q&QuietThreadExecve != 0
	}
	return e.Code&0x7f == 0 && q&QuietExit != 0
}
