package loader

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// Start-up phases: with EPROC_STARTUP_TRACE=1 in the environment, each
// Phase prints on standard error how long it took since the previous one
// (and since the package was initialised); with 2, the verifier's own
// figures for each program too; for finding where a command's
// start-up and end go (docs/benchmarks.md, "Start-up").

var (
	// phaseStats (EPROC_STARTUP_TRACE=2) adds the verifier's statistics
	// of each program loaded (instructions processed, states).
	phaseStats = os.Getenv("EPROC_STARTUP_TRACE") == "2"
	phaseOn    = os.Getenv("EPROC_STARTUP_TRACE") == "1" || phaseStats
	// verifierLogDir (EPROC_VERIFIER_LOG), with phaseStats: where each
	// program's whole verifier log is written.
	verifierLogDir = os.Getenv("EPROC_VERIFIER_LOG")
	phaseMu        sync.Mutex
	phaseZero      = time.Now()
	phaseLast      = phaseZero
)

// Phase marks the end of a start-up (or end) phase named name.
func Phase(name string) {
	if !phaseOn {
		return
	}
	phaseMu.Lock()
	defer phaseMu.Unlock()
	now := time.Now()
	fmt.Fprintf(os.Stderr, "eproc: startup: %-24s %7.2f ms  (at %7.2f ms)\n", name,
		float64(now.Sub(phaseLast).Microseconds())/1000, float64(now.Sub(phaseZero).Microseconds())/1000)
	phaseLast = now
}

// phaseLogLevel is the verifier log the programs load with: its
// statistics with EPROC_STARTUP_TRACE=2 (verifierStats), and every
// instruction it walks too when EPROC_VERIFIER_LOG names a directory to
// write each program's log in (for finding which code the verifier walks
// most: docs/benchmarks.md, "Start-up").
func phaseLogLevel() ebpf.LogLevel {
	if !phaseStats {
		return 0
	}
	if verifierLogDir != "" {
		return ebpf.LogLevelStats | ebpf.LogLevelInstruction
	}
	return ebpf.LogLevelStats
}

// verifierStats is the verifier's statistics of c's program name (its
// log's last lines) when they were asked for (phaseStats), else "".
func verifierStats(c *ebpf.Collection, name string) string {
	if !phaseStats || c == nil || c.Programs[name] == nil {
		return ""
	}
	log := c.Programs[name].VerifierLog
	if verifierLogDir != "" {
		os.WriteFile(verifierLogDir+"/"+name+".log", []byte(log), 0o644)
		if i := strings.LastIndex(log, "\nverification time"); i >= 0 {
			log = log[i:]
		}
	}
	return "\n\t" + strings.ReplaceAll(strings.TrimSpace(log), "\n", "\n\t")
}

// warmTypes reads the kernel's BTF (~5 MB) into types, the cache the
// programs then load with, and indexes it by name (the programs' attach
// targets are looked up by name): 17-23 ms, in the background while the
// object is parsed and the maps are made.
func warmTypes(types *btf.Cache, ready chan<- struct{}) {
	if k, err := types.Kernel(); err == nil {
		k.AnyTypeByName("btf_trace_sys_exit")
	}
	close(ready)
}

// tracefsDirs are where tracefs may be mounted (mountTracefs mounts it at
// the first).
var tracefsDirs = []string{"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}

// hasTracepoint reports whether the kernel has tracepoint group:name.
func hasTracepoint(group, name string) bool {
	for _, dir := range tracefsDirs {
		if _, err := os.Stat(dir + "/events/" + group + "/" + name); err == nil {
			return true
		}
	}
	return false
}
