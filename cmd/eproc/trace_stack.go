package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/eproc/eproc/strace"
	"github.com/eproc/eproc/strace/unwind"
)

// -k, --stack-traces: each call's user stack trace after its line, as
// strace prints it. The session attaches stack_exit, which copies the
// call's registers and the top of its stack; the decoder unwinds them
// with the binaries' .eh_frame and names the frames (strace/unwind).

// checkStack: strace's rules for -k. With -c it has no effect (strace
// says so and goes on); JSON and OTLP have no stack trace field.
func (o *traceOpts) checkStack() error {
	if !o.stack {
		return nil
	}
	if o.json || o.jsonOut != "" || o.otlp != "" {
		return errors.New("-k is for strace's text: not with --json, --json-out or --otlp")
	}
	if o.summary {
		fmt.Fprintln(os.Stderr, "eproc trace: -k/--stack-traces has no effect with -c/--summary-only")
		o.stack = false
	}
	return nil
}

// withStack gives the decoder its unwinder when -k asks for stacks.
func (o *traceOpts) withStack(dec *strace.Decoder) *strace.Decoder {
	if o.stack {
		dec.Unwind = unwind.New()
	}
	return dec
}
