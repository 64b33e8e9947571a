package strace

import (
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
func errno(p *printer, e int64) {
	if r, ok := restartErrnos[e]; ok {
		p.s("? ")
		p.s(r[0])
		p.s(" (")
		p.s(r[1])
		p.c(')')
		return
	}
	p.s("-1 ")
	name := unix.ErrnoName(unix.Errno(e))
	if name == "" {
		p.s("E??? (errno ")
		p.d(e)
		p.c(')')
		return
	}
	p.s(name)
	p.s(" (")
	msg := unix.Errno(e).Error()
	if len(msg) > 0 && msg[0] >= 'a' && msg[0] <= 'z' {
		p.c(msg[0] - 'a' + 'A')
		p.s(msg[1:])
	} else {
		p.s(msg)
	}
	p.c(')')
}

// signalName prints SIGxxx, or a real-time signal counted from glibc's
// SIGRTMIN (34): SIGRTMIN, SIGRT_1 ...; 32 and 33 as numbers.
// kernelSignalName counts from the kernel's (32) instead.
func signalName(p *printer, sig int) {
	if n := unix.SignalName(unix.Signal(sig)); n != "" {
		p.s(n)
		return
	}
	if sig >= 34 && sig <= 64 {
		// glibc reserves 32 and 33; strace names from SIGRTMIN (34).
		if sig == 34 {
			p.s("SIGRTMIN")
			return
		}
		p.s("SIGRT_")
		p.d(int64(sig - 34))
		return
	}
	p.d(int64(sig))
}

var siCodes = []flag{
	{0, "SI_USER"}, {0x80, "SI_KERNEL"}, {uint64(0xffffffff), "SI_QUEUE"}, {uint64(0xfffffffe), "SI_TIMER"},
	{uint64(0xfffffffd), "SI_MESGQ"}, {uint64(0xfffffffc), "SI_ASYNCIO"}, {uint64(0xfffffffb), "SI_SIGIO"},
	{uint64(0xfffffffa), "SI_TKILL"},
}

var cldCodes = []flag{{1, "CLD_EXITED"}, {2, "CLD_KILLED"}, {3, "CLD_DUMPED"}, {4, "CLD_TRAPPED"}, {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"}}
var segvCodes = []flag{{1, "SEGV_MAPERR"}, {2, "SEGV_ACCERR"}, {3, "SEGV_BNDERR"}, {4, "SEGV_PKUERR"}}
var busCodes = []flag{{1, "BUS_ADRALN"}, {2, "BUS_ADRERR"}, {3, "BUS_OBJERR"}}

// siginfo prints a kernel_siginfo the way strace does.
func siginfo(p *printer, sig int, b []byte) {
	signo := int(int32(le.Uint32(b[0:])))
	code := int32(le.Uint32(b[8:]))
	p.s("{si_signo=")
	signalName(p, signo)
	p.s(", si_code=")
	switch {
	case code <= 0 || code == 0x80:
		p.xlat(uint64(uint32(code)), siCodes, "d")
		if code == 0 || code == -6 || code == -1 { // SI_USER, SI_TKILL, SI_QUEUE
			p.s(", si_pid=")
			p.d(int64(int32(le.Uint32(b[16:]))))
			p.s(", si_uid=")
			p.u(uint64(le.Uint32(b[20:])))
			if code == -1 {
				p.s(", si_int=")
				p.d(int64(int32(le.Uint32(b[24:]))))
				p.s(", si_ptr=")
				p.x(le.Uint64(b[24:]))
			}
		}
	case sig == int(unix.SIGCHLD):
		p.xlat(uint64(code), cldCodes, "d")
		p.s(", si_pid=")
		p.d(int64(int32(le.Uint32(b[16:]))))
		p.s(", si_uid=")
		p.u(uint64(le.Uint32(b[20:])))
		p.s(", si_status=")
		status := int32(le.Uint32(b[24:]))
		if code == 1 {
			p.d(int64(status))
		} else {
			signalName(p, int(status))
		}
		p.s(", si_utime=")
		p.d(int64(le.Uint64(b[32:])))
		p.s(", si_stime=")
		p.d(int64(le.Uint64(b[40:])))
	case sig == int(unix.SIGSEGV) || sig == int(unix.SIGBUS) || sig == int(unix.SIGILL) || sig == int(unix.SIGFPE) || sig == int(unix.SIGTRAP):
		switch sig {
		case int(unix.SIGSEGV):
			p.xlat(uint64(code), segvCodes, "d")
		case int(unix.SIGBUS):
			p.xlat(uint64(code), busCodes, "d")
		default:
			p.d(int64(code))
		}
		p.s(", si_addr=")
		p.ptr(le.Uint64(b[16:]))
	default:
		p.d(int64(code))
	}
	p.c('}')
}
