package main

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"
)

// helperCalls are bench/bpf/helpers.c's programs after its noop: what
// each makes four of on every dd bs=1 call, as the table names them.
var helperCalls = []struct{ prog, what string }{
	{"pid_tgid", "bpf_get_current_pid_tgid"},
	{"subprog", "a BPF-to-BPF call (global function)"},
	{"ktime", "bpf_ktime_get_ns"},
	{"read_kernel", "bpf_probe_read_kernel, 1 byte"},
	{"read_user", "bpf_probe_read_user, 1 byte to a frame under 64 bytes"},
	{"read_user_frame", "bpf_probe_read_user, 1 byte to a frame of 64 or more"},
	{"read_user_map", "bpf_probe_read_user, 1 byte to a per-CPU map value"},
}

// helperCosts times dd bs=1 count=1M (2M calls) under each of
// helpers.c's programs in turn, reps rounds interleaved, and prints each
// kind's cost per call: (its median - noop's median) / 2M / 4. What a
// program itself costs (the tracepoint, the dispatch) is noop's, above
// nothing attached. These are the building blocks of eproc's per-call
// cost, and they differ between machines (e.g. a kernel that mitigates
// return-stack attacks with safe returns pays for every call and return).
func helperCosts(reps int) {
	if err := rlimit.RemoveMemlock(); err != nil {
		fmt.Fprintf(os.Stderr, "bench: helper costs: %v\n", err)
		return
	}
	spec, err := loadHelpers()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: helper costs: %v\n", err)
		return
	}
	coll, err := ebpf.NewCollection(spec)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: helper costs: %v\n", err)
		return
	}
	defer coll.Close()
	names := []string{"none", "noop"}
	for _, h := range helperCalls {
		names = append(names, h.prog)
	}
	const calls = 2_000_000
	times := map[string][]float64{}
	for range reps {
		for _, n := range names {
			var l link.Link
			if n != "none" {
				if l, err = link.AttachTracing(link.TracingOptions{Program: coll.Programs[n]}); err != nil {
					fmt.Fprintf(os.Stderr, "bench: helper costs: attach %s: %v\n", n, err)
					return
				}
			}
			start := time.Now()
			err := exec.Command("dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=1000000").Run()
			d := time.Since(start)
			if l != nil {
				l.Close()
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "bench: helper costs: dd: %v\n", err)
				return
			}
			times[n] = append(times[n], float64(d.Nanoseconds())/calls)
		}
	}
	med := func(n string) float64 {
		v := slices.Clone(times[n])
		slices.Sort(v)
		return v[len(v)/2]
	}
	fmt.Printf("what eproc's programs' kernel calls cost here (dd bs=1, 2M calls, medians of %d interleaved runs):\n", reps)
	fmt.Printf("  %-52s %6.1f ns a syscall\n", "dd, nothing attached", med("none"))
	fmt.Printf("  %-52s %6.1f ns a syscall above nothing\n", "a sys_exit program that does nothing (the floor)", med("noop")-med("none"))
	for _, h := range helperCalls {
		fmt.Printf("  %-52s %6.1f ns a call\n", h.what, (med(h.prog)-med("noop"))/4)
	}
}
