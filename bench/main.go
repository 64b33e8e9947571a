// Command bench measures eproc's overhead side by side with untraced runs,
// strace and perf trace. Runs are interleaved (every repetition runs each
// workload under each mode, in shuffled order) so that machine drift
// cancels; it prints the median wall time of the workload itself, the ratio
// to untraced, and the drops eproc reported. `make bench` runs it.
//
// After the table it measures the view daemon's memory with 100 live
// sessions and how long `eproc mount` takes to serve.
//
//	go run ./bench [-reps 5] [-slow-reps 3] [-eproc ./eproc] [-workloads dd,fork] [-modes untraced,trace]
//
// BENCH_QUICK=1 (or -quick) runs 2 repetitions, strace and perf trace in
// one of them.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

// config is the command line.
type config struct {
	eproc     string // eproc binary
	eprocB    string // a second one, for A/B comparisons ("": none)
	reps      int
	slowReps  int
	workloads string // comma-separated ("": all)
	modes     string // comma-separated
	mnt       string // where to mount the view ("": a temporary directory)
	viewRing  int    // eproc mount -b (0: its default)
	nRSS      int    // live sessions for the daemon memory measurement (0: skip)
	nReady    int    // eproc mount start-ups timed (0: skip)
	nStartup  int    // eproc trace and strace start-ups timed (0: skip)
	nTriples  int    // floor comparison triples (0: skip)
	nHelpers  int    // rounds of the helper-cost measurement (0: skip)
	nProgStat int    // runs of each counted workload under eproc's modes with BPF statistics on (0: skip)
	cleanWait time.Duration
	// cleanBudget is how long all runs together may wait for a clean machine.
	cleanBudget time.Duration
}

// defaultModes are the modes of the table when -modes is not given.
const defaultModes = "untraced,eproc-trace,eproc-trace-b,eproc-view,eproc-view-b,untraced+1-sessions,untraced+10-sessions,untraced+filter-only,untraced+noop-prog,untraced+noop-hooks,strace,perf-trace"

// parseFlags reads the command line.
func parseFlags() *config {
	c := &config{}
	flag.StringVar(&c.eproc, "eproc", "./eproc", "eproc binary")
	flag.IntVar(&c.reps, "reps", 5, "repetitions of each workload under each mode")
	flag.StringVar(&c.workloads, "workloads", "", "comma-separated workloads (default: all)")
	flag.StringVar(&c.modes, "modes", "", "comma-separated modes (default: all available)")
	flag.StringVar(&c.mnt, "mnt", "", "where to mount the view (default: a temporary directory)")
	flag.IntVar(&c.slowReps, "slow-reps", 3, "repetitions of the slow modes (strace, perf trace), interleaved with the first ones")
	quick := flag.Bool("quick", os.Getenv("BENCH_QUICK") != "", "2 repetitions, slow modes in 1 (also BENCH_QUICK=1)")
	flag.IntVar(&c.viewRing, "view-ring", 0, "ring size of the view's sessions (eproc mount -b; 0: its default)")
	flag.StringVar(&c.eprocB, "eproc-b", "", "a second eproc binary, for A/B comparisons: adds the modes eproc-trace-b and eproc-view-b (a second view daemon)")
	flag.IntVar(&c.nRSS, "rss-sessions", 100, "live sessions for the daemon memory measurement (0: skip)")
	flag.IntVar(&c.nReady, "ready-reps", 5, "eproc mount start-ups timed (0: skip)")
	flag.IntVar(&c.nStartup, "startup-reps", 15, "eproc trace -- true and strace -- true runs timed, interleaved (0: skip)")
	flag.IntVar(&c.nHelpers, "helper-reps", 7, "rounds of dd under each of bench/bpf/helpers.c's programs, for what a kernel call of eproc's programs costs here (0: skip)")
	flag.IntVar(&c.nProgStat, "prog-stats", 3, "runs of each workload whose syscalls are counted under eproc's modes and the no-op floor with the kernel's BPF statistics on, for the programs' own time a call (0: skip)")
	flag.IntVar(&c.nTriples, "floor-triples", 15, "dd untraced / filter-only / 10 sessions triples for the floor comparison (0: skip)")
	flag.DurationVar(&c.cleanWait, "clean-wait", 20*time.Second, "how long a run waits for other processes' BPF links to go (the run is marked foreign otherwise)")
	flag.DurationVar(&c.cleanBudget, "clean-budget", 4*time.Minute, "how long all runs together may wait for that")
	flag.Parse()
	if *quick {
		c.reps, c.slowReps = 2, 1
	}
	if c.modes == "" {
		c.modes = defaultModes
	}
	return c
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "exec-timed" {
		execTimed(os.Args[2:])
		return
	}
	cfg := parseFlags()
	if os.Geteuid() != 0 {
		fatal("bench needs root (BPF, FUSE)")
	}
	printMachine()
	self, err := os.Executable()
	if err != nil {
		fatal("%v", err)
	}
	work, err := os.MkdirTemp("", "eproc-bench")
	if err != nil {
		fatal("%v", err)
	}
	defer os.RemoveAll(work)

	if cfg.nHelpers > 0 {
		// Before the view daemon or anything of eproc's is loaded.
		helperCosts(cfg.nHelpers)
		fmt.Println()
	}
	workloads := makeWorkloads(work)
	var ready []time.Duration
	if cfg.nReady > 0 {
		// Before anything else is loaded: a daemon's start-up on its own.
		ready = mountReady(cfg.eproc, work, cfg.nReady)
	}
	var startup map[string][]time.Duration
	if cfg.nStartup > 0 {
		startup = traceStartup(cfg.eproc, work, cfg.nStartup)
	}
	modes, view, viewB, cleanup := makeModes(cfg, self, work)
	defer cleanup()
	mach := &machine{viewPids: []int{view.pid, viewB.pid}, cleanWait: cfg.cleanWait, cleanBudget: cfg.cleanBudget}
	workloads = filter(workloads, cfg.workloads, func(w workload) string { return w.name })
	allModes := modes
	modes = filter(modes, cfg.modes, func(m mode) string { return m.name })

	results := runReps(workloads, modes, cfg.reps, cfg.slowReps, mach)
	printTable(workloads, modes, results)
	if view.pid > 0 {
		fmt.Printf("\nduring the untraced runs the view daemon held %d BPF links besides KVM counting's (0: no syscall program of eproc's attached)\n", view.maxIdleLinks)
	}
	if cfg.nProgStat > 0 {
		// eproc's modes of the table, and the floor's no-op program
		// for what the accounting costs.
		ps := modes
		if !slices.ContainsFunc(ps, func(m mode) bool { return m.name == "untraced+noop-prog" }) {
			ps = append(slices.Clone(ps), filter(allModes, "untraced+noop-prog", func(m mode) string { return m.name })...)
		}
		fmt.Println()
		progStats(workloads, ps, cfg.nProgStat, mach)
	}
	if cfg.nTriples > 0 {
		floorTriples(workloads, allModes, cfg.nTriples, mach)
	}
	if cfg.nRSS > 0 && view.pid > 0 {
		fmt.Println()
		daemonMemory(view.dir, view.pid, cfg.nRSS)
	}
	if len(ready) > 0 {
		fmt.Println()
		printReady(ready)
	}
	if len(startup) > 0 {
		fmt.Println()
		printStartup(startup)
	}
	fmt.Printf("\nload average at the end: %s\n", loadavg())
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// cpuModel is the first CPU's model name with its family and model
// numbers: the model name alone ("AMD EPYC") names several generations
// of machine here, whose figures differ.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "?"
	}
	f := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" {
			break // the first CPU's fields end here
		}
		if k, v, ok := strings.Cut(l, ":"); ok {
			f[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if f["model name"] == "" {
		return "?"
	}
	return fmt.Sprintf("%s, family %s model %s", f["model name"], f["cpu family"], f["model"])
}

// printMachine prints what the numbers were measured on, and how.
func printMachine() {
	var u syscall.Utsname
	syscall.Uname(&u)
	rel := func(a [65]int8) string {
		var b []byte
		for _, c := range a {
			if c == 0 {
				break
			}
			b = append(b, byte(c))
		}
		return string(b)
	}
	var si syscall.Sysinfo_t
	syscall.Sysinfo(&si)
	fmt.Printf("machine: %d CPUs (%s), %d GiB, Linux %s; load average at the start: %s\n",
		runtime.NumCPU(), cpuModel(), si.Totalram*uint64(si.Unit)>>30, rel(u.Release), loadavg())
	fmt.Printf("command: %s\n\n", strings.Join(os.Args, " "))
}

func filter[T any](all []T, list string, name func(T) string) []T {
	if list == "" {
		return all
	}
	want := map[string]bool{}
	for _, w := range strings.Split(list, ",") {
		want[strings.TrimSpace(w)] = true
	}
	var out []T
	for _, x := range all {
		if want[name(x)] {
			out = append(out, x)
		}
	}
	return out
}

func fatal(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+f+"\n", a...)
	os.Exit(1)
}
