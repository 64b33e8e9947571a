package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestTraceInstructionPointer: -i (and --instruction-pointer) prints
// strace's "[IP] " on every line, to the byte: with address space
// randomisation off (setarch -R) the shell's code is where it was under
// strace, so a call's entry, a signal's stop and rt_sigreturn's entry (its
// exit is elsewhere) have strace's addresses, and the exit line its
// question marks. Only pids differ.
func TestTraceInstructionPointer(t *testing.T) {
	dir := t.TempDir()
	pids := regexp.MustCompile(`(kill\(|si_pid=)\d+`)
	for _, opt := range []string{"-i", "--instruction-pointer"} {
		s, e := traceBoth(t, dir, []string{opt, "-n", "-e", "trace=kill,rt_sigreturn,write,exit_group"},
			"setarch", "-R", "sh", "-c", `trap "echo caught" USR1; kill -USR1 $$; echo done`)
		s, e = pids.ReplaceAllString(s, "${1}PID"), pids.ReplaceAllString(e, "${1}PID")
		if !strings.Contains(s, "] --- SIGUSR1 {") || !strings.Contains(s, "[????????????????] +++ exited with 0 +++") {
			t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
		}
		if s != e {
			t.Errorf("eproc trace %s:\n%s\nstrace:\n%s", opt, e, s)
		}
	}
}
