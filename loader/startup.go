package loader

import (
	"fmt"
	"os"
	"sync"
	"time"
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
