package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"
)

// mode runs a command line and returns how long the workload itself took.
type mode struct {
	name  string
	about string
	run   func(cmd []string) (result, error)
}

// slow modes run only in the first -slow-reps repetitions: strace takes
// minutes on dd.
var slowModes = map[string]bool{"strace": true, "perf-trace": true}

var dropsRe = regexp.MustCompile(`Traced ~(\d+) syscs, Dropped (\d+)`)

// makeModes makes the modes that work here, and returns them, the view
// daemon the view modes use (pid 0: none), -eproc-b's (for eproc-view-b;
// pid 0: none) and a function that stops them and unloads the floor
// programs.
func makeModes(cfg *config, self, dir string) ([]mode, *viewDaemon, *viewDaemon, func()) {
	timed := func(cmd []string) []string { return append([]string{self, "exec-timed", "--"}, cmd...) }
	var cleanups []func()
	view, viewB := &viewDaemon{}, &viewDaemon{}
	modes := eprocModes(cfg, view, timed)
	if v, stop, err := startView(cfg, cfg.eproc, cfg.mnt, dir); err == nil {
		*view = v
		cleanups = append(cleanups, stop)
		modes = append(modes, viewModes(view, timed)...)
	} else {
		fmt.Fprintf(os.Stderr, "bench: no view (%v): skipping the view modes\n", err)
	}
	if cfg.eprocB != "" {
		if v, stop, err := startView(cfg, cfg.eprocB, "", filepath.Join(dir, "b")); err == nil {
			*viewB = v
			cleanups = append(cleanups, stop)
			modes = append(modes, mode{"eproc-view-b", "eproc-view with " + cfg.eprocB, func(cmd []string) (result, error) {
				return runView(viewB, timed(cmd))
			}})
		} else {
			fmt.Fprintf(os.Stderr, "bench: no view of -eproc-b (%v): skipping eproc-view-b\n", err)
		}
	}
	if fo, err := loadFloor(); err == nil {
		cleanups = append(cleanups, func() { fo.Close() })
		modes = append(modes, floorModes(fo, timed)...)
	} else {
		fmt.Fprintf(os.Stderr, "bench: no filter-only floor: %v\n", err)
	}
	modes = append(modes, otherTracers(timed)...)
	return modes, view, viewB, func() {
		for _, c := range cleanups {
			c()
		}
	}
}

// eprocModes are the untraced baseline and eproc trace (and -eproc-b's).
// The untraced runs note how many links the view daemon held, if it is up.
func eprocModes(cfg *config, view *viewDaemon, timed func([]string) []string) []mode {
	modes := []mode{
		{"untraced", "nothing traced, programs detached", func(cmd []string) (result, error) {
			if view.pid > 0 {
				if n := bpfLinks(view.pid); n > view.maxIdleLinks {
					view.maxIdleLinks = n
				}
			}
			return runTimed(timed(cmd), nil)
		}},
		{"eproc-trace", "eproc trace --no-daemon -f -o /dev/null (loads its own programs: the view daemon, if any, is not used)", func(cmd []string) (result, error) {
			return runTimed(append([]string{cfg.eproc, "trace", "--no-daemon", "-f", "-D", "-o", "/dev/null", "--"}, timed(cmd)...), dropsRe)
		}},
	}
	if cfg.eprocB != "" {
		modes = append(modes, mode{"eproc-trace-b", cfg.eprocB + " trace --no-daemon -f -o /dev/null", func(cmd []string) (result, error) {
			return runTimed(append([]string{cfg.eprocB, "trace", "--no-daemon", "-f", "-D", "-o", "/dev/null", "--"}, timed(cmd)...), dropsRe)
		}})
	}
	return modes
}

// viewModes are the modes that need the view daemon.
func viewModes(view *viewDaemon, timed func([]string) []string) []mode {
	modes := []mode{{"eproc-view", "straceall in the view, cat draining strace", func(cmd []string) (result, error) {
		return runView(view, timed(cmd))
	}}}
	// The cost of eproc for processes it does not trace, while sessions
	// are live: with one (the programs' filter alone) and with ten.
	for _, n := range []int{1, 10} {
		n := n
		modes = append(modes, mode{fmt.Sprintf("untraced+%d-sessions", n), fmt.Sprintf("untraced, %d other sessions live", n), func(cmd []string) (result, error) {
			stopIdle, err := idleSessions(view.dir, n)
			if err != nil {
				return result{}, err
			}
			defer stopIdle()
			return runTimed(timed(cmd), nil)
		}})
	}
	return modes
}

// floorModes are the untraced runs with the floor programs (fo) attached.
func floorModes(fo *filteronlyObjects, timed func([]string) []string) []mode {
	// untraced runs cmd untraced with the programs of attach attached.
	untraced := func(attach ...func() (link.Link, error)) func(cmd []string) (result, error) {
		return func(cmd []string) (result, error) {
			for _, a := range attach {
				l, err := a()
				if err != nil {
					return result{}, err
				}
				defer l.Close()
			}
			return runTimed(timed(cmd), nil)
		}
	}
	// tracing attaches a tp_btf program (sys_exit's, sched_switch's).
	tracing := func(p *ebpf.Program) func() (link.Link, error) {
		return func() (link.Link, error) { return link.AttachTracing(link.TracingOptions{Program: p}) }
	}
	execveTP := func() (link.Link, error) { return link.Tracepoint("syscalls", "sys_enter_execve", fo.ExecveNoop, nil) }
	return []mode{
		{"untraced+filter-only", "untraced, a sys_exit program doing only the traced-map lookup attached (the floor)",
			untraced(tracing(fo.FilterOnly))},
		{"untraced+noop-prog", "untraced, a sys_exit program that does nothing attached (the syscall slow path and the BPF dispatch alone)",
			untraced(tracing(fo.Noop))},
		{"untraced+noop-hooks", "untraced+noop-prog plus no-op programs on sched_switch and a syscalls:sys_enter_* tracepoint, as eproc's sessions attach (the kernel's cost of its hooks, doing nothing)",
			untraced(tracing(fo.Noop), tracing(fo.SwitchNoop), execveTP)},
		// Not in the table (-modes untraced+filter+execve-tp to add it):
		// the floor sets use it to tell what eproc's execve tracepoints add.
		{"untraced+filter+execve-tp", "the floor plus a no-op syscalls:sys_enter_execve program (as eproc attaches)",
			untraced(tracing(fo.FilterOnly), execveTP)},
	}
}

// otherTracers are strace and perf trace, those of them that work here.
func otherTracers(timed func([]string) []string) []mode {
	var modes []mode
	if _, err := exec.LookPath("strace"); err == nil {
		modes = append(modes, mode{"strace", "strace -f -o /dev/null", func(cmd []string) (result, error) {
			return runTimed(append([]string{"strace", "-f", "-o", "/dev/null", "--"}, timed(cmd)...), nil)
		}})
	}
	if perfWorks() {
		modes = append(modes, mode{"perf-trace", "perf trace -o /dev/null", func(cmd []string) (result, error) {
			return runTimed(append([]string{"perf", "trace", "-o", "/dev/null", "--"}, timed(cmd)...), nil)
		}})
	} else {
		fmt.Fprintln(os.Stderr, "bench: perf trace does not work here: skipping it")
	}
	return modes
}

// loadFloor loads the filter-only program (bpf/filteronly.c).
func loadFloor() (*filteronlyObjects, error) {
	if err := rlimit.RemoveMemlock(); err != nil {
		return nil, err
	}
	var o filteronlyObjects
	if err := loadFilteronlyObjects(&o, nil); err != nil {
		return nil, err
	}
	return &o, nil
}

func perfWorks() bool {
	if _, err := exec.LookPath("perf"); err != nil {
		return false
	}
	return exec.Command("perf", "trace", "-o", "/dev/null", "--", "true").Run() == nil
}
