// Command eproc is strace-grade syscall tracing on eBPF, served as files in
// a /proc-compatible FUSE view.
//
//	eproc trace [strace options] -- CMD ...   trace a command, as strace does
//	eproc mount DIR                           serve the proc view at DIR
package main

import (
	"fmt"
	"os"
)

const usage = `usage: eproc COMMAND [ARGS]

commands:
  trace   trace a command or process, as strace does (eproc trace -h)
  mount   serve the proc view: eproc mount DIR (eproc mount -h)
`

// commands is the table of subcommands.
var commands = map[string]func(args []string) int{
	"trace": runTrace,
	"mount": runMount,
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	run, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "eproc: unknown command %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	os.Exit(run(os.Args[2:]))
}
