package main

import (
	"errors"

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
		warnf("-k/--stack-traces has no effect with -c/--summary-only\n")
		o.stack = false
		return nil
	}
	if o.ring == 0 {
		o.ring = stackRing
	}
	return nil
}

// stackRing is -k's ring when -b does not say: a call's records come
// with up to 12 KiB of its stack, and the decoder, unwinding each, is
// slower than a busy program makes them. dd bs=1 count=20000 (40126
// calls) under -k lost 7.6-28k of them with the usual 4 MiB, 26k with
// 16 MiB, none in 4 runs of 7 and up to 32k in the others with 32 MiB,
// none in 2 runs with 64 MiB: on 2 CPUs at a load average of 9-12 (other
// jobs), where the reader waits for a CPU; a ring 8 times the usual is
// the compromise with the kernel memory a session pins.
const stackRing = 32 << 20

// withStack gives the decoder its unwinder when -k asks for stacks.
func (o *traceOpts) withStack(dec *strace.Decoder) *strace.Decoder {
	if o.stack {
		dec.Unwind = unwind.New()
	}
	return dec
}
