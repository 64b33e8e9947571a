package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// What eproc's programs themselves cost a traced call, from the kernel's
// own accounting (BPF_ENABLE_STATS: each program's run count and run
// time). Less noisy than a ratio of wall times, which moves with the
// whole syscall path and the host; but the kernel's accounting adds two
// clock reads to every run of every program, so the no-op floor program
// (bench/bpf/filteronly.c's noop) is measured the same way and its
// figure is what the accounting itself costs a run.

// progStatsEnv, set in exec-timed's environment, makes it print the run
// counts and times of the programs that ran during its command.
const progStatsEnv = "BENCH_PROG_STATS"

// progStat is a program's runs and run time during one command.
type progStat struct {
	runs uint64
	ns   uint64
}

// eachProgram calls f with every BPF program loaded now, open.
func eachProgram(f func(ebpf.ProgramID, *ebpf.Program)) {
	var id ebpf.ProgramID
	for {
		next, err := ebpf.ProgramGetNextID(id)
		if err != nil {
			return
		}
		id = next
		p, err := ebpf.NewProgramFromID(id)
		if err != nil {
			continue // unloaded meanwhile
		}
		f(id, p)
		p.Close()
	}
}

// statOf is program p's runs and run time so far.
func statOf(p *ebpf.Program) (progStat, bool) {
	st, err := p.Stats()
	if err != nil {
		return progStat{}, false
	}
	return progStat{runs: st.RunCount, ns: uint64(st.Runtime.Nanoseconds())}, true
}

// progSnapshot reads the stats of every BPF program loaded now, by ID.
func progSnapshot() map[ebpf.ProgramID]progStat {
	snap := map[ebpf.ProgramID]progStat{}
	eachProgram(func(id ebpf.ProgramID, p *ebpf.Program) {
		if st, ok := statOf(p); ok {
			snap[id] = st
		}
	})
	return snap
}

// printProgDelta prints, one BENCH_PROG line each, the programs whose run
// count grew since before: name, runs, nanoseconds.
func printProgDelta(before map[ebpf.ProgramID]progStat) {
	eachProgram(func(id ebpf.ProgramID, p *ebpf.Program) {
		st, ok := statOf(p)
		b := before[id]
		if !ok || st.runs <= b.runs {
			return
		}
		name := "id" + strconv.Itoa(int(id))
		if info, err := p.Info(); err == nil && info.Name != "" {
			name = info.Name
		}
		fmt.Fprintf(os.Stderr, "BENCH_PROG %s %d %d\n", name, st.runs-b.runs, st.ns-b.ns)
	})
}

var progLine = regexp.MustCompile(`(?m)^BENCH_PROG (\S+) (\d+) (\d+)$`)

// parseProgs reads exec-timed's BENCH_PROG lines, summing a name's.
func parseProgs(out string) map[string]progStat {
	m := map[string]progStat{}
	for _, l := range progLine.FindAllStringSubmatch(out, -1) {
		runs, _ := strconv.ParseUint(l[2], 10, 64)
		ns, _ := strconv.ParseUint(l[3], 10, 64)
		st := m[l[1]]
		st.runs += runs
		st.ns += ns
		m[l[1]] = st
	}
	return m
}

// progStatModes are the modes whose programs progStats measures: eproc's
// and the floor's no-op program (the accounting's own cost).
var progStatModes = map[string]bool{"eproc-trace": true, "eproc-trace-b": true, "eproc-view": true, "eproc-view-b": true, "untraced+noop-prog": true}

// progStats runs each workload whose syscalls are counted under each of
// eproc's modes (and the no-op floor) reps times with the kernel's BPF
// statistics on, and prints each program's runs per syscall and its
// median time a run, and all programs' time per syscall, less the
// accounting's own cost.
func progStats(workloads []workload, modes []mode, reps int, mach *machine) {
	fd, err := ebpf.EnableStats(uint32(unix.BPF_STATS_RUN_TIME))
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: program statistics: %v\n", err)
		return
	}
	defer fd.Close()
	os.Setenv(progStatsEnv, "1")
	defer os.Unsetenv(progStatsEnv)
	runs := map[progKey][]map[string]progStat{}
	var order []progKey
	for r := 0; r < reps; r++ {
		for _, w := range workloads {
			if w.calls == 0 {
				continue
			}
			for _, m := range modes {
				if !progStatModes[m.name] {
					continue
				}
				mach.settle()
				if mach.waitClean() {
					// Another process's programs ran too (the
					// statistics are summed by program name).
					fmt.Fprintf(os.Stderr, "bench: program statistics: %s under %s: left out, other BPF links live\n", w.name, m.name)
					continue
				}
				res, err := m.run(w.cmd)
				if err == nil && res.progs == nil {
					err = errors.New("no program statistics in its output")
				}
				if err != nil {
					fmt.Fprintf(os.Stderr, "bench: program statistics: %s under %s: %v\n", w.name, m.name, err)
					continue
				}
				k := progKey{w.name, m.name}
				if runs[k] == nil {
					order = append(order, k)
				}
				runs[k] = append(runs[k], res.progs)
			}
		}
	}
	if len(order) > 0 {
		printProgStats(workloads, order, runs, reps)
	}
}

// progKey names a workload's runs under a mode.
type progKey struct{ workload, mode string }

// printProgStats prints progStats' table: the programs of each workload
// and mode (order), from their runs.
func printProgStats(workloads []workload, order []progKey, runs map[progKey][]map[string]progStat, reps int) {
	calls := map[string]int{}
	for _, w := range workloads {
		calls[w.name] = w.calls
	}
	// What the accounting adds to a run: the no-op program's time a run,
	// measured on the same workload.
	acct := map[string]float64{}
	for _, k := range order {
		if k.mode != "untraced+noop-prog" {
			continue
		}
		var v []float64
		for _, r := range runs[k] {
			if st := r["noop"]; st.runs > 0 {
				v = append(v, float64(st.ns)/float64(st.runs))
			}
		}
		acct[k.workload] = medianF(v)
	}
	fmt.Printf("BPF programs' own time (the kernel's BPF_ENABLE_STATS; medians of %d runs):\n", reps)
	fmt.Printf("%-9s %-20s %-18s %10s %10s %10s %10s\n", "workload", "mode", "program", "runs/call", "ns/run", "ns/call", "own/call")
	for _, k := range order {
		all := runs[k]
		n := float64(calls[k.workload])
		var names []string
		for name := range all[0] {
			names = append(names, name)
		}
		sort.Strings(names)
		var perCall, own []float64 // all programs' ns a syscall, per run; less the accounting's
		for _, r := range all {
			var ns, runs uint64
			for _, st := range r {
				ns += st.ns
				runs += st.runs
			}
			perCall = append(perCall, float64(ns)/n)
			own = append(own, (float64(ns)-acct[k.workload]*float64(runs))/n)
		}
		for _, name := range names {
			var rpc, nsr []float64
			for _, r := range all {
				st := r[name]
				if st.runs == 0 {
					continue
				}
				rpc = append(rpc, float64(st.runs)/n)
				nsr = append(nsr, float64(st.ns)/float64(st.runs))
			}
			if len(rpc) == 0 || medianF(rpc) < 0.0005 {
				continue // a few runs: the spawner's, the end's
			}
			fmt.Printf("%-9s %-20s %-18s %10.3f %10.1f\n", k.workload, k.mode, name, medianF(rpc), medianF(nsr))
		}
		ownCol := "-"
		if _, ok := acct[k.workload]; ok && k.mode != "untraced+noop-prog" {
			ownCol = fmt.Sprintf("%.1f", medianF(own))
		}
		fmt.Printf("%-9s %-20s %-18s %10s %10s %10.1f %10s\n", k.workload, k.mode, "(all)", "", "", medianF(perCall), ownCol)
	}
	fmt.Println("runs/call: the program's runs per syscall of the workload (sys_exit's is 1 when it sees every call);")
	fmt.Println("ns/call: all programs' time per syscall; own/call: the same less what the accounting adds to each run")
	fmt.Println("(the no-op program's ns/run, untraced+noop-prog): what eproc's programs themselves cost a call.")
}

func medianF(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// progStatsWanted reports whether exec-timed should print its command's
// program statistics.
func progStatsWanted() bool {
	return strings.TrimSpace(os.Getenv(progStatsEnv)) != ""
}
