package loader

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/cilium/ebpf/btf"
)

// Start-up phases: with EPROC_STARTUP_TRACE=1 in the environment, each
// Phase prints on standard error how long it took since the previous one
// (and since the package was initialised), for finding where a command's
// start-up and end go (docs/benchmarks.md, "Start-up").

var (
	phaseOn   = os.Getenv("EPROC_STARTUP_TRACE") == "1"
	phaseMu   sync.Mutex
	phaseZero = time.Now()
	phaseLast = phaseZero
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
