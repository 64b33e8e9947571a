package strace

// The time calls (nanosleep, clock_*, alarm), and the timespec and
// timeval printers other families share.

func timespecBytes(p *printer, b []byte) {
	p.s("{tv_sec=")
	p.d(int64(le.Uint64(b)))
	p.s(", tv_nsec=")
	p.u(le.Uint64(b[8:])) // strace prints it unsigned: -1 as 18446744073709551615
	p.c('}')
}

func timevalBytes(p *printer, b []byte) {
	p.s("{tv_sec=")
	p.d(int64(le.Uint64(b)))
	p.s(", tv_usec=")
	p.u(le.Uint64(b[8:])) // unsigned too (print_timeval_t's PRINT_FIELD_U)
	p.c('}')
}

var (
	kTimespec = newKind(kindInfo{cap: capIn(16), fmt: func(p *printer, c *Call, i int) {
		b := capturedIn(c, i, 16)
		if b == nil || !p.verbose() { // -e verbose=none: the address
			p.ptr(c.Args[i])
			return
		}
		timespecBytes(p, b)
	}})
	kTimeval = newKind(kindInfo{cap: capIn(16), fmt: func(p *printer, c *Call, i int) {
		b := capturedIn(c, i, 16)
		if b == nil || !p.verbose() { // -e verbose=none: the address
			p.ptr(c.Args[i])
			return
		}
		timevalBytes(p, b)
	}})
)

func fmtTimespec(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 16)
	if cp == nil {
		return
	}
	timespecBytes(p, cp.Data)
}

var (
	clockIDs = []flag{{0, "CLOCK_REALTIME"}, {1, "CLOCK_MONOTONIC"}, {2, "CLOCK_PROCESS_CPUTIME_ID"},
		{3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
		{6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"}, {8, "CLOCK_REALTIME_ALARM"},
		{9, "CLOCK_BOOTTIME_ALARM"}, {11, "CLOCK_TAI"}}
	timerFlags = []flag{{1, "TIMER_ABSTIME"}}
)

var (
	kClockID    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { xlatOrUnknown(p, c.Args[i]&0xffffffff, clockIDs, "CLOCK_???") }})
	kTimerFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		if c.Args[i]&0xffffffff == 0 { // printflags: "0" in every -X style
			p.c('0')
			return
		}
		flagsOrUnknown(p, c.Args[i]&0xffffffff, timerFlags, "0", "TIMER_???")
	}})
	kTimespecOut = newKind(kindInfo{out: true, cap: capOut(16), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		fmtTimespec(p, c, i)
	}})
)

// The sleeps' rem: the kernel writes it only when a relative sleep is
// interrupted (the call returns an ERESTART* code), never for
// clock_nanosleep with flags (TIMER_ABSTIME). strace prints the struct
// then and the address otherwise. It is captured at every exit (the BPF
// side has no "only when interrupted" rule); the printer decides.
var (
	kNanosleepRem      = sleepRem(-1)
	kClockNanosleepRem = sleepRem(1)
)

// sleepRem is the rem kind of a call whose flags are argument flagsArg (-1:
// none).
func sleepRem(flagsArg int) kind {
	return newKind(kindInfo{out: true, cap: capOutAny(16), fmt: func(p *printer, c *Call, i int) {
		if !c.Complete() || !isRestart(c.Ret) || flagsArg >= 0 && c.Args[flagsArg] != 0 {
			p.ptr(c.Args[i])
			return
		}
		fmtTimespec(p, c, i)
	}})
}

// isRestart reports whether ret is one of the ERESTART* codes strace's
// is_erestart() knows: the call was interrupted by a signal.
func isRestart(ret int64) bool {
	switch ret {
	case -512, -513, -514, -516: // ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK
		return true
	}
	return false
}

func init() {
	registerSigs(map[string]sig{
		"alarm":           {args: []kind{kUint}},
		"nanosleep":       {args: []kind{kTimespec, kNanosleepRem}},
		"clock_nanosleep": {args: []kind{kClockID, kTimerFlags, kTimespec, kClockNanosleepRem}},
		"clock_gettime":   {args: []kind{kClockID, kTimespecOut}, class: ClassClock},
		"clock_getres":    {args: []kind{kClockID, kTimespecOut}, class: ClassClock},
		"clock_settime":   {args: []kind{kClockID, kTimespec}, class: ClassClock},
	})
}
