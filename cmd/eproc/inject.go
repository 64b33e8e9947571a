package main

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eproc/eproc/strace"
	"golang.org/x/sys/unix"
)

// strace's -e inject=SET:... and -e fault=SET:... (--inject=, --fault=):
// the calls of SET fail with an error, or return a value without being
// made, or get a signal or a delay first. A tracepoint cannot change a
// call, so eproc injects with seccomp: the traced command starts under a
// filter that hands the calls of SET to eproc (SECCOMP_RET_USER_NOTIF),
// and eproc answers each with its injected result, or lets it run on
// (inject_run.go). So injection needs a command eproc starts: not -p, not
// --cgroup.

// injectRule is one -e inject= or -e fault=.
type injectRule struct {
	nrs    map[uint32]bool
	err    int   // errno to fail with; 0: none
	retval int64 // with hasRet: the value to return instead
	hasRet bool
	signal int           // signal to send first; 0: none
	delay  time.Duration // delay_enter: wait before the call
	when   injectWhen
}

// checkInject refuses injection without a command eproc starts.
func (o *traceOpts) checkInject() error {
	if len(o.injects) > 0 && len(o.cmd) == 0 {
		return fmt.Errorf("-e inject= and -e fault= need a command eproc starts (not -p, not --cgroup): eproc injects with a seccomp filter the command starts under")
	}
	return nil
}

// injectWhen is strace's when=FIRST[..LAST][+[STEP]]: the FIRST-th call
// (counted per thread, from 1), then every STEP-th up to LAST.
type injectWhen struct {
	first, last, step uint64 // last 0: no end; step 0: only first
}

// matches says whether the n-th call (from 1) is injected.
func (w injectWhen) matches(n uint64) bool {
	if n < w.first || w.last != 0 && n > w.last {
		return false
	}
	if w.step == 0 {
		return n == w.first
	}
	return (n-w.first)%w.step == 0
}

// parseInject parses the value of -e inject= (fault: of -e fault=, whose
// error is ENOSYS unless it says).
func parseInject(val string, fault bool) (injectRule, error) {
	what := "inject"
	if fault {
		what = "fault"
	}
	set, rest, _ := strings.Cut(val, ":")
	nrs, err := strace.ParseFilter(set)
	if err != nil {
		return injectRule{}, fmt.Errorf("invalid -e %s= syscall set: %v", what, err)
	}
	r := injectRule{nrs: map[uint32]bool{}, when: injectWhen{first: 1, step: 1}}
	for _, nr := range nrs {
		r.nrs[nr] = true
	}
	for _, part := range strings.Split(rest, ":") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "error":
			n, ok := errnoNumber(v)
			if !ok {
				return injectRule{}, fmt.Errorf("invalid error '%s' in -e %s=", v, what)
			}
			r.err = n
		case "retval":
			if fault {
				return injectRule{}, fmt.Errorf("-e fault= takes no retval=")
			}
			n, err := strconv.ParseInt(v, 0, 64)
			if err != nil {
				return injectRule{}, fmt.Errorf("invalid retval '%s' in -e inject=", v)
			}
			r.retval, r.hasRet = n, true
		case "signal":
			n, ok := strace.SignalNumber(v)
			if !ok || n == 0 || n > 64 {
				return injectRule{}, fmt.Errorf("invalid signal '%s' in -e %s=", v, what)
			}
			r.signal = n
		case "delay_enter":
			d, err := parseDelay(v)
			if err != nil {
				return injectRule{}, fmt.Errorf("invalid delay_enter '%s' in -e %s=", v, what)
			}
			r.delay = d
		case "when":
			w, err := parseWhen(v)
			if err != nil {
				return injectRule{}, fmt.Errorf("invalid when '%s' in -e %s=: %v", v, what, err)
			}
			r.when = w
		case "delay_exit", "syscall", "poke_enter", "poke_exit":
			return injectRule{}, fmt.Errorf("-e %s= does not support %s= (eproc injects with seccomp, before the call)", what, k)
		default:
			return injectRule{}, fmt.Errorf("invalid -e %s= argument '%s'", what, part)
		}
	}
	if fault && r.err == 0 {
		r.err = int(unix.ENOSYS)
	}
	if r.err != 0 && r.hasRet {
		return injectRule{}, fmt.Errorf("-e inject=: error= and retval= are exclusive")
	}
	if r.err == 0 && !r.hasRet && r.signal == 0 && r.delay == 0 {
		return injectRule{}, fmt.Errorf("-e inject= needs error=, retval=, signal= or delay_enter=")
	}
	return r, nil
}

// errnoNumber is an errno named (ENOENT) or numbered (2), 1 to 4095.
func errnoNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n > 0 && n < 4096
	}
	for n := 1; n < 4096; n++ {
		if strace.ErrnoName(int64(-n)) == s {
			return n, true
		}
	}
	return 0, false
}

// parseDelay is strace's delay: microseconds, or a number with a unit (s,
// ms, us, ns).
func parseDelay(s string) (time.Duration, error) {
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		return time.Duration(n) * time.Microsecond, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad delay")
	}
	return d, nil
}

// parseWhen is strace's when= expression.
func parseWhen(s string) (injectWhen, error) {
	var w injectWhen
	num := func(t string) (uint64, error) {
		n, err := strconv.ParseUint(t, 10, 16)
		if err != nil || n == 0 {
			return 0, fmt.Errorf("not a number from 1 to 65535: %q", t)
		}
		return n, nil
	}
	body, step, plus := strings.Cut(s, "+")
	first, last, dots := strings.Cut(body, "..")
	var err error
	if w.first, err = num(first); err != nil {
		return w, err
	}
	if dots {
		if w.last, err = num(last); err != nil {
			return w, err
		}
		if w.last < w.first {
			return w, fmt.Errorf("last before first")
		}
	}
	if plus {
		w.step = 1
		if step != "" {
			if w.step, err = num(step); err != nil {
				return w, err
			}
		}
	} else if dots {
		w.step = 1
	}
	return w, nil
}

// injected is what the supervisor injected, for the text to say so: the
// supervisor counts each thread's calls of the rules' syscalls, and marks
// the n-th call of nr by tid when it injects its result; the text sink,
// which sees the calls later, counts the same calls the same way and asks
// for each (strace.Options.Injected). Counts, not order: the text may lag
// the supervisor by many calls.
type injected struct {
	mu    sync.Mutex
	nrs   map[uint32]bool // the rules' syscalls: the calls counted
	marks map[callKey]bool
	seen  map[callKey]uint64 // the text's count, by tid and nr (n 0)
	// rules, in eproc mount's session of a client that injects: no
	// marks come, the n-th call was injected when the supervisor's rule
	// for it says so (supervise's choice, on the same count).
	rules []injectRule
}

// callKey is the n-th call of nr by thread tid.
type callKey struct {
	tid, nr uint32
	n       uint64
}

func (in *injected) mark(tid, nr uint32, n uint64) {
	in.mu.Lock()
	if in.marks == nil {
		in.marks = map[callKey]bool{}
	}
	in.marks[callKey{tid, nr, n}] = true
	in.mu.Unlock()
}

// take counts tid's returned call nr and says whether its result was
// injected.
func (in *injected) take(tid, nr uint32) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.nrs[nr] {
		return false
	}
	if in.seen == nil {
		in.seen = map[callKey]uint64{}
	}
	k := callKey{tid: tid, nr: nr}
	in.seen[k]++
	k.n = in.seen[k]
	if in.rules != nil {
		for i := range in.rules {
			if r := &in.rules[i]; r.nrs[nr] && r.when.matches(k.n) {
				return r.err != 0 || r.hasRet
			}
		}
		return false
	}
	if in.marks[k] {
		delete(in.marks, k)
		return true
	}
	return false
}
