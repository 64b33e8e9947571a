package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// clean keeps the runs no other process's BPF programs were attached
// during, when there are at least two.
func clean(rs []result) []result {
	var out []result
	for _, r := range rs {
		if !r.foreign {
			out = append(out, r)
		}
	}
	if len(out) < 2 {
		return rs
	}
	return out
}

func printTable(workloads []workload, modes []mode, results map[string]map[string][]result) {
	fmt.Printf("%-9s %-22s %10s %8s %11s %8s %7s %8s %9s\n", "workload", "mode", "median s", "ratio", "mid half", "drops", "runs", "tracer s", "ns>floor")
	for _, w := range workloads {
		unt := clean(results[w.name]["untraced"])
		base := median(unt)
		floor := median(clean(results[w.name]["untraced+noop-prog"]))
		for _, m := range modes {
			all := results[w.name][m.name]
			if len(all) == 0 {
				continue
			}
			rs := clean(all)
			med := median(rs)
			ratio := "-"
			if base > 0 {
				ratio = fmt.Sprintf("%.2fx", float64(med)/float64(base))
			}
			drops := "-"
			var ds []string
			for _, r := range rs {
				if r.drops != "" {
					ds = append(ds, r.drops)
				}
			}
			if len(ds) > 0 {
				drops = strings.Join(uniq(ds), "/")
			}
			runs := strconv.Itoa(len(rs))
			if len(rs) < len(all) {
				runs = fmt.Sprintf("%d/%d", len(rs), len(all))
			} else if rs[0].foreign {
				runs += "!"
			}
			cpu := "-"
			if m.name != "untraced" && !strings.HasPrefix(m.name, "untraced+") {
				cs := make([]result, len(rs))
				for i, r := range rs {
					cs[i] = result{dur: r.cpu}
				}
				if c := median(cs); c >= 0 {
					cpu = fmt.Sprintf("%.3f", c.Seconds())
				} else {
					cpu = "?" // the tracer does not reap the workload (perf trace): its CPU is not in the tree's
				}
			}
			fmt.Printf("%-9s %-22s %10.3f %8s %11s %8s %7s %8s %9s\n", w.name, m.name, med.Seconds(), ratio, spread(rs, unt, m.name), drops, runs, cpu, overFloor(w, m, med, floor))
		}
	}
	fmt.Println("\nruns: k/n: medians of the k runs during which no other process had BPF programs attached;")
	fmt.Println("n!: every run had (other eproc test runs on the machine), so the baseline paid for their filter too.")
	fmt.Println("tracer s: median CPU time of the tracer itself (eproc trace, strace, perf trace: its process tree less the")
	fmt.Println("workload's; eproc-view: the view daemon's, in 10 ms ticks; the reader's own is not counted; ?: perf trace")
	fmt.Println("does not reap the workload, so its CPU cannot be told from the workload's this way).")
	fmt.Println("mid half: the middle half (quartiles) of the per-repetition ratios, each run against the untraced run")
	fmt.Println("of its own repetition: how far this run's ratios move (a target inside it is not met or missed for sure).")
	fmt.Println("ns>floor: the tracer's cost per syscall above the no-op sys_exit program's (untraced+noop-prog: the")
	fmt.Println("cost no tracepoint-based tracer escapes here), (median - floor median) / the workload's syscalls; for")
	fmt.Println("the workloads whose count is fixed.")
	fmt.Println()
	for _, w := range workloads {
		fmt.Printf("%-9s %s\n", w.name, w.about)
	}
	for _, m := range modes {
		fmt.Printf("%-22s %s\n", m.name, m.about)
	}
}

// overFloor is a tracing mode's cost per syscall above the floor's, in ns,
// for a workload of a known number of calls ("-" otherwise).
func overFloor(w workload, m mode, med, floor time.Duration) string {
	if w.calls == 0 || floor == 0 || m.name == "untraced" || strings.HasPrefix(m.name, "untraced+") {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(med-floor)/float64(w.calls))
}

// spread is the interquartile range of rs's ratios to the untraced runs
// of the same repetitions ("-" for the untraced mode, or with fewer than 4
// pairs).
func spread(rs, untraced []result, mode string) string {
	if mode == "untraced" {
		return "-"
	}
	base := map[int]time.Duration{}
	for _, u := range untraced {
		base[u.rep] = u.dur
	}
	var rat []float64
	for _, r := range rs {
		if b := base[r.rep]; b > 0 {
			rat = append(rat, float64(r.dur)/float64(b))
		}
	}
	if len(rat) < 4 {
		return "-"
	}
	sort.Float64s(rat)
	return fmt.Sprintf("%.2f-%.2f", quantile(rat, 0.25), quantile(rat, 0.75))
}

// quantile is the q-quantile of sorted xs, interpolated between neighbours.
func quantile(xs []float64, q float64) float64 {
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}

func median(rs []result) time.Duration {
	if len(rs) == 0 {
		return 0
	}
	ds := make([]time.Duration, len(rs))
	for i, r := range rs {
		ds[i] = r.dur
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

func uniq(s []string) []string {
	sort.Strings(s)
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
