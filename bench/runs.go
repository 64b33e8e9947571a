package main

import (
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cilium/ebpf"
)

type result struct {
	dur     time.Duration
	cpu     time.Duration // CPU time of the tracer: eproc trace, strace or perf trace itself, or the view daemon
	drops   string
	foreign bool                // another program's BPF links were live (other eproc tests on the machine)
	rep     int                 // the repetition it was run in (spread pairs it with that repetition's untraced run)
	progs   map[string]progStat // with -prog-stats: the BPF programs that ran during the command (progstats.go)
}

// runReps runs every workload under every mode reps times (the slow modes
// only in the first slowReps), the modes in a new random order each time,
// and returns the results by workload and mode.
func runReps(workloads []workload, modes []mode, reps, slowReps int, mach *machine) map[string]map[string][]result {
	results := map[string]map[string][]result{}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for r := 0; r < reps; r++ {
		for _, w := range workloads {
			order := rng.Perm(len(modes))
			for _, i := range order {
				m := modes[i]
				if slowModes[m.name] && r >= slowReps {
					continue
				}
				mach.settle()
				f1 := mach.waitClean()
				res, err := m.run(w.cmd)
				res.foreign = f1 || mach.foreignLinks(false) > 0
				res.rep = r
				if err != nil {
					fmt.Fprintf(os.Stderr, "bench: %s under %s: %v\n", w.name, m.name, err)
					continue
				}
				if results[w.name] == nil {
					results[w.name] = map[string][]result{}
				}
				results[w.name][m.name] = append(results[w.name][m.name], res)
			}
		}
		fmt.Fprintf(os.Stderr, "bench: repetition %d of %d done\n", r+1, reps)
	}
	return results
}

// floorTriples measures what eproc costs processes it does not trace
// against the floor, more finely than the table: dd untraced, under the
// filter-only program, and with 10 sessions live, in triples run back to
// back (shuffled within each), and the median of each triple's ratios.
func floorTriples(workloads []workload, modes []mode, n int, mach *machine) {
	var dd *workload
	for i := range workloads {
		if workloads[i].name == "dd" {
			dd = &workloads[i]
		}
	}
	byName := map[string]mode{}
	for _, m := range modes {
		byName[m.name] = m
	}
	names := []string{"untraced", "untraced+filter-only", "untraced+10-sessions", "untraced+filter+execve-tp", "untraced+noop-prog"}
	for _, nm := range names {
		if _, ok := byName[nm]; !ok || dd == nil {
			return
		}
	}
	var floorR, tenR, tenFloor, execR, noopR []float64
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	foreign := 0
	for i := 0; i < n; i++ {
		d := map[string]float64{}
		dirty := false
		for _, j := range rng.Perm(len(names)) {
			mach.settle()
			dirty = mach.waitClean() || dirty
			res, err := byName[names[j]].run(dd.cmd)
			if err != nil {
				fmt.Fprintf(os.Stderr, "bench: floor triple: %v\n", err)
				return
			}
			d[names[j]] = res.dur.Seconds()
		}
		if dirty || mach.foreignLinks(true) > 0 {
			foreign++
			continue
		}
		floorR = append(floorR, d[names[1]]/d[names[0]])
		tenR = append(tenR, d[names[2]]/d[names[0]])
		tenFloor = append(tenFloor, d[names[2]]/d[names[1]])
		execR = append(execR, d[names[3]]/d[names[1]])
		noopR = append(noopR, d[names[4]]/d[names[0]])
	}
	if len(floorR) == 0 {
		fmt.Printf("\ndd triples: all %d had other processes' BPF programs attached: no floor comparison\n", n)
		return
	}
	med := func(x []float64) float64 { sort.Float64s(x); return x[len(x)/2] }
	fmt.Printf("\ndd, %d triples, %d left out (another process had BPF programs attached)", len(floorR), foreign)
	fmt.Printf(" (untraced, filter-only floor, 10 sessions live, floor + execve tracepoint, no-op program; shuffled, back to back; medians of per-set ratios):\n")
	fmt.Printf("  no-op program / untraced    %.3fx (any syscall tracepoint program)\n", med(noopR))
	fmt.Printf("  filter-only / untraced      %.3fx\n", med(floorR))
	fmt.Printf("  10 sessions / untraced      %.3fx\n", med(tenR))
	fmt.Printf("  10 sessions / filter-only   %.3fx (target: at most 1.03x)\n", med(tenFloor))
	fmt.Printf("  filter-only + a no-op sys_enter_execve tracepoint / filter-only   %.3fx\n", med(execR))
}

// runTimed runs argv, whose innermost command is `bench exec-timed`, and
// returns the workload's own time from its BENCH_NS line.
func runTimed(argv []string, drops *regexp.Regexp) (result, error) {
	c := exec.Command(argv[0], argv[1:]...)
	var errb strings.Builder
	c.Stderr = &errb
	c.Stdout = io.Discard
	if err := c.Run(); err != nil {
		return result{}, fmt.Errorf("%v: %s", err, tail(errb.String()))
	}
	res, err := parseTimed(errb.String(), drops)
	if err == nil {
		// The tracer's own CPU: the whole tree's (wait4 counts the
		// descendants each waited for) less the workload's, which
		// exec-timed reports.
		res.cpu = c.ProcessState.UserTime() + c.ProcessState.SystemTime() - res.cpu
	}
	return res, err
}

func parseTimed(out string, drops *regexp.Regexp) (result, error) {
	var res result
	m := regexp.MustCompile(`BENCH_NS=(\d+)`).FindStringSubmatch(out)
	if m == nil {
		return res, fmt.Errorf("no timing in output: %s", tail(out))
	}
	ns, _ := strconv.ParseInt(m[1], 10, 64)
	res.dur = time.Duration(ns)
	if m := regexp.MustCompile(`BENCH_CPU_NS=(\d+)`).FindStringSubmatch(out); m != nil {
		ns, _ := strconv.ParseInt(m[1], 10, 64)
		res.cpu = time.Duration(ns)
	}
	if drops != nil {
		if d := drops.FindStringSubmatch(out); d != nil {
			res.drops = d[2]
		}
	}
	if progLine.MatchString(out) {
		res.progs = parseProgs(out)
	}
	return res, nil
}

func tail(s string) string {
	if len(s) > 400 {
		s = "..." + s[len(s)-400:]
	}
	return s
}

// execTimed runs a command and prints its wall time; with --ctl VIEW it
// first puts itself under straceall in the view and waits on stdin until
// the reader is there.
func execTimed(args []string) {
	if len(args) > 0 && args[0] == "--ctl" {
		view := args[1]
		args = args[2:]
		if err := os.WriteFile(filepath.Join(view, strconv.Itoa(os.Getpid()), "ctl"), []byte("straceall"), 0); err != nil {
			fatal("straceall: %v", err)
		}
		fmt.Println("READY")
		var b [1]byte
		os.Stdin.Read(b[:])
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	c := exec.Command(args[0], args[1:]...)
	c.Stdout, c.Stderr = os.Stdout, os.Stderr
	var before map[ebpf.ProgramID]progStat
	if progStatsWanted() {
		before = progSnapshot()
	}
	start := time.Now()
	err := c.Run()
	el := time.Since(start)
	if before != nil {
		printProgDelta(before)
	}
	fmt.Fprintf(os.Stderr, "BENCH_NS=%d\n", el.Nanoseconds())
	if c.ProcessState != nil {
		fmt.Fprintf(os.Stderr, "BENCH_CPU_NS=%d\n", (c.ProcessState.UserTime() + c.ProcessState.SystemTime()).Nanoseconds())
	}
	if err != nil {
		os.Exit(1)
	}
}
