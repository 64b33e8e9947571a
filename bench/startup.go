package main

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"time"
)

// traceStartup times `eproc trace -o /dev/null -- true` and strace's same
// command line n times each, interleaved: the whole command, from exec to
// its exit, most of it eproc's start-up (loading and verifying the
// programs) and end. Nothing else of eproc's runs meanwhile.
func traceStartup(eproc string, n int) map[string][]time.Duration {
	cmds := map[string][]string{"eproc trace": {eproc, "trace"}}
	if p, err := exec.LookPath("strace"); err == nil {
		cmds["strace"] = []string{p}
	}
	out := map[string][]time.Duration{}
	for i := 0; i < n; i++ {
		for name, argv := range cmds {
			c := exec.Command(argv[0], append(argv[1:], "-o", "/dev/null", "--", "true")...)
			t0 := time.Now()
			if err := c.Run(); err != nil {
				fmt.Fprintf(os.Stderr, "bench: %s: %v\n", name, err)
				delete(cmds, name)
				continue
			}
			out[name] = append(out[name], time.Since(t0))
		}
	}
	return out
}

// printStartup prints each command's median start-up, eproc's first.
func printStartup(times map[string][]time.Duration) {
	for _, name := range []string{"eproc trace", "strace"} {
		t := times[name]
		if len(t) == 0 {
			continue
		}
		sort.Slice(t, func(i, j int) bool { return t[i] < t[j] })
		fmt.Printf("start-up and end, %-11s -o /dev/null -- true: median %5.1f ms, min %5.1f ms, max %5.1f ms over %d runs\n",
			name, ms(t[len(t)/2]), ms(t[0]), ms(t[len(t)-1]), len(t))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
