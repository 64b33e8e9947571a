package strace

import (
	"sync"

	"golang.org/x/sys/unix"
)

// Kernel-internal restart codes strace names; they reach user space only
// through a tracer's eyes.
var restartErrnos = map[int64][2]string{
	512: {"ERESTARTSYS", "To be restarted if SA_RESTART is set"},
	513: {"ERESTARTNOINTR", "To be restarted"},
	514: {"ERESTARTNOHAND", "To be restarted if no handler"},
	515: {"ENOIOCTLCMD", "No ioctl command"},
	516: {"ERESTART_RESTARTBLOCK", "Interrupted by signal"},
}

// errno prints a failed result: -1 ENOENT (No such file or directory).
// The text of each number up to the restart codes' is made once
// (errnoTexts, ~50 us): a build under eproc trace fails tens of thousands
// of calls (ENOENT mostly), and the name's search, the message's lookup
// and the restart map were ~5% of eproc trace's perf samples there (21
// -> 6 ns a call in a loop).
func errno(p *printer, e int64) {
	if t := errnoTexts(); e >= 0 && e < int64(len(t)) {
		p.s(t[e])
		return
	}
	errnoText(p, e)
}

var errnoTexts = sync.OnceValue(func() []string {
	var p printer
	t := make([]string, 517) // through ERESTART_RESTARTBLOCK
	for e := range t {
		p.b = p.b[:0]
		errnoText(&p, int64(e))
		t[e] = string(p.b)
	}
	return t
})

// errnoText is errno's text, made.
func errnoText(p *printer, e int64) {
	if r, ok := restartErrnos[e]; ok {
		p.s("? ")
		p.s(r[0])
		p.s(" (")
		p.s(r[1])
		p.c(')')
		return
	}
	p.s("-1 ")
	name := errnoName(e)
	if name == "" {
		p.s("E??? (errno ")
		p.d(e)
		p.c(')')
		return
	}
	p.s(name)
	p.s(" (")
	p.s(errnoMessage(e))
	p.c(')')
}

// errnoMessage is strerror's text for error e.
func errnoMessage(e int64) string {
	msg := unix.Errno(e).Error()
	if len(msg) > 0 && msg[0] >= 'a' && msg[0] <= 'z' {
		return string(msg[0]-'a'+'A') + msg[1:]
	}
	return msg
}

// ErrnoName is the name of the error a syscall's return value says, as
// strace's line names it (ENOENT for -2, ERESTARTSYS for -512, E??? for a
// number with no name), or "" when ret is not an error.
func ErrnoName(ret int64) string {
	if ret >= 0 || ret < -4095 {
		return ""
	}
	if r, ok := restartErrnos[-ret]; ok {
		return r[0]
	}
	if name := errnoName(-ret); name != "" {
		return name
	}
	return "E???"
}

// errnoName is errno e's name as strace's table has it: unix's, but for
// 95, which strace names EOPNOTSUPP (unix: ENOTSUP, the same number).
func errnoName(e int64) string {
	if e == 95 {
		return "EOPNOTSUPP"
	}
	return unix.ErrnoName(unix.Errno(e))
}
