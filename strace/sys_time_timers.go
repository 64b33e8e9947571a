package strace

// The timer calls: time, gettimeofday, settimeofday, getitimer,
// setitimer, timer_*, timerfd_*, as strace 6.1 prints them.

import "time"

// timevalPair prints two struct timevals as an itimerval.
func itimerval(p *printer, b []byte) {
	p.s("{it_interval=")
	timevalBytes(p, b)
	p.s(", it_value=")
	timevalBytes(p, b[16:])
	p.c('}')
}

func itimerspec(p *printer, b []byte) {
	p.s("{it_interval=")
	timespecBytes(p, b)
	p.s(", it_value=")
	timespecBytes(p, b[16:])
	p.c('}')
}

func timezone(p *printer, b []byte) {
	p.s("{tz_minuteswest=")
	p.d(int64(int32(le.Uint32(b))))
	p.s(", tz_dsttime=")
	p.d(int64(int32(le.Uint32(b[4:]))))
	p.c('}')
}

var (
	itimerWhich    = []flag{{0, "ITIMER_REAL"}, {1, "ITIMER_VIRTUAL"}, {2, "ITIMER_PROF"}}
	timerfdFlags   = []flag{{1, "TFD_TIMER_ABSTIME"}, {2, "TFD_TIMER_CANCEL_ON_SET"}, {0x80000, "TFD_CLOEXEC"}, {0x800, "TFD_NONBLOCK"}}
	kItimerWhich   = xlatKind(itimerWhich, "ITIMER_???")
	kTimerfdFlags  = flagsKind(timerfdFlags, "TFD_???")
	kItimervalIn   = structIn(32, itimerval)
	kItimervalOut  = structOut(32, itimerval)
	kItimerspecIn  = structIn(32, itimerspec)
	kItimerspecOut = structOut(32, itimerspec)
	kTimevalIn     = structIn(16, timevalBytes)
	kTimevalOut    = structOut(16, timevalBytes)
	kTimezoneIn    = structIn(8, timezone)
	kTimezoneOut   = structOut(8, timezone)
	kSigeventIn    = structIn(32, sigevent)
	kTimerflags    = flagsKind(timerFlags, "TIMER_???")
)

// kTimeOut is time's time_t*: [N /* date */].
var kTimeOut = newKind(kindInfo{out: true, cap: capOut(8), fmt: func(p *printer, c *Call, i int) {
	t, ok := numOut(p, c, i)
	if !ok {
		return
	}
	p.c('[')
	p.d(int64(t))
	p.s(" /* ")
	dateSec(p, int64(t))
	p.s(" */]")
}})

// dateSec prints a time in seconds as strace's sprinttime does:
// 2006-01-02T15:04:05+0000.
func dateSec(p *printer, sec int64) {
	p.b = time.Unix(sec, 0).AppendFormat(p.b, "2006-01-02T15:04:05-0700")
}

// timeRet is time's result and the date it is.
func timeRet(p *printer, c *Call) {
	p.d(c.Ret)
	p.s(" (")
	dateSec(p, c.Ret)
	p.c(')')
}

func init() {
	registerSigs(map[string]sig{
		"time":             {args: []kind{kTimeOut}, ret: timeRet, class: ClassClock},
		"gettimeofday":     {args: []kind{kTimevalOut, kTimezoneOut}, class: ClassClock},
		"settimeofday":     {args: []kind{kTimevalIn, kTimezoneIn}, class: ClassClock},
		"getitimer":        {args: []kind{kItimerWhich, kItimervalOut}},
		"setitimer":        {args: []kind{kItimerWhich, kItimervalIn, kItimervalOut}},
		"timer_create":     {args: []kind{kClockID, kSigeventIn, kIntOut}},
		"timer_settime":    {args: []kind{kInt, kTimerflags, kItimerspecIn, kItimerspecOut}},
		"timer_gettime":    {args: []kind{kInt, kItimerspecOut}},
		"timer_getoverrun": {args: []kind{kInt}},
		"timer_delete":     {args: []kind{kInt}},
		"timerfd_create":   {args: []kind{kClockID, kTimerfdFlags}, class: ClassDesc},
		"timerfd_settime":  {args: []kind{kFd, kTimerfdFlags, kItimerspecIn, kItimerspecOut}, class: ClassDesc},
		"timerfd_gettime":  {args: []kind{kFd, kItimerspecOut}, class: ClassDesc},
	})
}
