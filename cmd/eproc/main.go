// Command eproc is strace-grade syscall tracing on eBPF, served as files in
// a /proc-compatible FUSE view.
//
//	eproc trace [strace options] -- CMD ...   trace a command, as strace does
//	eproc mount DIR                           serve the proc view at DIR
//	eproc version                             print the version and BPF record ABI
//	eproc help                                print the usage (also -h, --help)
//
// It owns the command line and the process (its priority, its Ps, its
// exit status) and wires the packages together: `eproc trace` runs a loader
// session through a strace decoder whose text sink writes to a file, and
// `eproc mount` serves procview. It never reads records or BPF maps itself.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"

	_ "github.com/eproc/eproc/cmd/eproc/internal/prefault"
	"github.com/eproc/eproc/loader/wire"
)

const usage = `usage: eproc COMMAND [ARGS]

commands:
  trace     trace a command or process, as strace does (eproc trace -h)
  mount     serve the proc view: eproc mount DIR (eproc mount -h)
  version   print eproc's version and the BPF record ABI it was built with
  help      print this text (also -h, --help)
`

// command is a subcommand: what runs it, and the fewest Ps it runs on
// (see procs; 0 means one).
type command struct {
	run   func(args []string) int
	procs int
	slack bool // its threads sleep with timerSlack (priority.go)
}

// commands is the table of subcommands.
var commands = map[string]command{
	"trace":   {run: runTrace, slack: true},
	"mount":   {run: runMount, procs: 2, slack: true},
	"version": {run: runVersion},
	"help":    {run: runHelp},
	// eproc trace -e inject='s shim (inject_run.go), not for users.
	injectShimCmd: {run: runInjectShim},
	// eproc trace's closer of tracepoint perf events (release.go).
	"__release": {run: runRelease},
	"-h":        {run: runHelp},
	"--help":    {run: runHelp},
}

// version is eproc's version, set when building with
// -ldflags '-X main.version=v1.2.3'. Left at "dev", the VCS revision the go
// command stamped into the binary, if any, is printed beside it.
var version = "dev"

func runHelp(args []string) int {
	fmt.Print(usage)
	return 0
}

func runVersion(args []string) int {
	info, _ := debug.ReadBuildInfo()
	fmt.Println(versionString(version, info))
	return 0
}

// versionString is the line eproc version prints, e.g.
// "eproc dev (a1b2c3d4e5f6-dirty) go1.26.8 linux/amd64, BPF record ABI 3".
func versionString(v string, info *debug.BuildInfo) string {
	if v == "dev" {
		if rev := vcsRevision(info); rev != "" {
			v += " (" + rev + ")"
		}
	}
	return fmt.Sprintf("eproc %s %s %s/%s, BPF record ABI %d",
		v, runtime.Version(), runtime.GOOS, runtime.GOARCH, wire.ABI)
}

// vcsRevision is the commit the binary was built from, shortened to 12
// hex digits, with "-dirty" if the work tree had changes; "" if the build
// recorded none (go build -buildvcs=false, or not built in a repository).
func vcsRevision(info *debug.BuildInfo) string {
	if info == nil {
		return ""
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev == "" {
		return ""
	}
	return rev[:min(len(rev), 12)] + dirty
}

// procs is how many CPUs eproc's Go code runs on at once: a quarter of
// them, at least one (two for the view), unless the GOMAXPROCS environment variable says.
// eproc's work comes in short bursts (a drain, a FUSE request); with a P
// per CPU, Go's scheduler spins idle threads looking for work at each
// wake-up, CPU time the traced programs lose. Measured on 2 CPUs, a 0.33 s
// `make -j2` traced through the view: the daemon used 80 ms with 2 Ps,
// 50 ms with 1, and the build took 1.23x untraced instead of 1.16x.
//
// The view daemon needs two at least: go-fuse reads /dev/fuse in blocking
// system calls, each holding a P until the runtime's monitor takes it back
// (20 us to 10 ms later), so with one P a ring reader woken by its
// producers often waited for it, up to 15 ms, while dd filled its 4 MiB
// ring: dd bs=1 through the view dropped calls in 2 to 5 runs of 8 with
// one P, in 0 of 16 with two (Intel Xeon, 2 CPUs; bench/view-stages.sh).
func procs(least int) int {
	return max(least, 1, runtime.NumCPU()/4)
}

// tracePrefix begins eproc trace's messages: "eproc trace: ", or the name
// it was run by, as strace's begin, when run as strace (stracePrefix).
var tracePrefix = "eproc trace: "

// warnf prints one of eproc trace's messages on stderr.
func warnf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, tracePrefix+format, args...)
}

// asStrace: run by a name whose base is "strace" (a link to eproc where a
// script or a user runs strace), eproc is `eproc trace`, its messages
// begin with that name, as strace's begin with its argv[0].
func asStrace() bool {
	return filepath.Base(os.Args[0]) == "strace"
}

func main() {
	cmd, args := commands["trace"], os.Args[1:]
	if asStrace() {
		tracePrefix = os.Args[0] + ": "
	} else {
		if len(os.Args) < 2 {
			fmt.Fprint(os.Stderr, usage)
			os.Exit(2)
		}
		var ok bool
		if cmd, ok = commands[os.Args[1]]; !ok {
			fmt.Fprintf(os.Stderr, "eproc: unknown command %q\n%s", os.Args[1], usage)
			os.Exit(2)
		}
		args = os.Args[2:]
	}
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(procs(cmd.procs))
	}
	if cmd.slack {
		slackTimers()
	}
	os.Exit(cmd.run(args))
}
