package strace

import (
	"math/bits"

	"golang.org/x/sys/unix"
)

// Signal names, signal sets and siginfo, as strace prints them in
// arguments, results, and `--- SIGxxx {...} ---` lines.

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

// argSignal prints signal n as strace's printsignal does: its name by
// name (signalName or kernelSignalName) under -X abbrev, the number under
// -X raw, the number and /* NAME */ under -X verbose (a signal with no
// name is a number in all three).
func argSignal(p *printer, n int, name func(*printer, int)) {
	if p.style == ConstAbbrev {
		name(p, n)
		return
	}
	p.d(int64(n))
	if p.style == ConstVerbose {
		start := len(p.b)
		p.s(" /* ")
		name(p, n)
		if len(p.b) < start+7 || string(p.b[start+4:start+7]) != "SIG" {
			p.b = p.b[:start] // a number: no name
			return
		}
		p.s(" */")
	}
}

// setSignal prints signal n of a set as strace's sprintsigmask_n does:
// name (a signal's name without SIG) under -X abbrev, the number under
// -X raw, the number and /* NAME */ under -X verbose.
func setSignal(p *printer, n int, name func(*printer, int)) {
	if p.style == ConstAbbrev {
		name(p, n)
		return
	}
	p.d(int64(n))
	if p.style == ConstVerbose {
		p.s(" /* ")
		name(p, n)
		p.s(" */")
	}
}

// setSignalName is signalName without SIG, for sets.
func setSignalName(p *printer, s int) {
	start := len(p.b)
	signalName(p, s)
	if len(p.b)-start > 3 && string(p.b[start:start+3]) == "SIG" {
		p.b = append(p.b[:start], p.b[start+3:]...)
	}
}

var siCodes = []flag{
	{0, "SI_USER"}, {0x80, "SI_KERNEL"}, {uint64(0xffffffff), "SI_QUEUE"}, {uint64(0xfffffffe), "SI_TIMER"},
	{uint64(0xfffffffd), "SI_MESGQ"}, {uint64(0xfffffffc), "SI_ASYNCIO"}, {uint64(0xfffffffb), "SI_SIGIO"},
	{uint64(0xfffffffa), "SI_TKILL"},
	{uint64(0xfffffff9), "SI_DETHREAD"}, {uint64(0xffffffc4), "SI_ASYNCNL"}, {32767, "SI_NOINFO"},
}

var cldCodes = []flag{{1, "CLD_EXITED"}, {2, "CLD_KILLED"}, {3, "CLD_DUMPED"}, {4, "CLD_TRAPPED"}, {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"}}

// The si_code names of each signal (strace's sig*_codes).
var (
	segvCodes = []flag{{1, "SEGV_MAPERR"}, {2, "SEGV_ACCERR"}, {3, "SEGV_BNDERR"}, {4, "SEGV_PKUERR"}, {5, "SEGV_ACCADI"},
		{6, "SEGV_ADIDERR"}, {7, "SEGV_ADIPERR"}, {8, "SEGV_MTEAERR"}, {9, "SEGV_MTESERR"}}
	busCodes  = []flag{{1, "BUS_ADRALN"}, {2, "BUS_ADRERR"}, {3, "BUS_OBJERR"}, {4, "BUS_MCEERR_AR"}, {5, "BUS_MCEERR_AO"}}
	trapCodes = []flag{{1, "TRAP_BRKPT"}, {2, "TRAP_TRACE"}, {3, "TRAP_BRANCH"}, {4, "TRAP_HWBKPT"}, {5, "TRAP_UNK"}, {6, "TRAP_PERF"}}
	illCodes  = []flag{{1, "ILL_ILLOPC"}, {2, "ILL_ILLOPN"}, {3, "ILL_ILLADR"}, {4, "ILL_ILLTRP"}, {5, "ILL_PRVOPC"},
		{6, "ILL_PRVREG"}, {7, "ILL_COPROC"}, {8, "ILL_BADSTK"}}
	fpeCodes = []flag{{1, "FPE_INTDIV"}, {2, "FPE_INTOVF"}, {3, "FPE_FLTDIV"}, {4, "FPE_FLTOVF"}, {5, "FPE_FLTUND"},
		{6, "FPE_FLTRES"}, {7, "FPE_FLTINV"}, {8, "FPE_FLTSUB"}, {14, "FPE_FLTUNK"}, {15, "FPE_CONDTRAP"}}
	pollCodes = []flag{{1, "POLL_IN"}, {2, "POLL_OUT"}, {3, "POLL_MSG"}, {4, "POLL_ERR"}, {5, "POLL_PRI"}, {6, "POLL_HUP"}}
	sysCodes  = []flag{{1, "SYS_SECCOMP"}, {2, "SYS_USER_DISPATCH"}}
	profCodes = []flag{{1, "PROF_SIG"}}
)

// siCodeTab is signal signo's si_code names.
func siCodeTab(signo int) []flag {
	switch unix.Signal(signo) {
	case unix.SIGTRAP:
		return trapCodes
	case unix.SIGCHLD:
		return cldCodes
	case unix.SIGIO:
		return pollCodes
	case unix.SIGPROF:
		return profCodes
	case unix.SIGILL:
		return illCodes
	case unix.SIGFPE:
		return fpeCodes
	case unix.SIGSEGV:
		return segvCodes
	case unix.SIGBUS:
		return busCodes
	case unix.SIGSYS:
		return sysCodes
	}
	return nil
}

// siCode prints si_code as strace's print_si_code: the generic name, the
// signal's, or the number in hex.
func siCode(p *printer, code uint32, signo int) {
	tab := siCodes
	if lookupName(uint64(code), siCodes) == "" {
		tab = siCodeTab(signo)
	}
	p.xlatFmt(uint64(code), tab, 'x', "")
}

// siginfo prints a kernel_siginfo the way strace's printsiginfo does (the
// struct's own si_signo decides). c is the call that passed or got it,
// whose process's descriptors -y names si_fd by; nil for a signal's line.
func siginfo(p *printer, c *Call, b []byte) {
	signo := int(int32(le.Uint32(b[0:])))
	code := int32(le.Uint32(b[8:]))
	if signo == 0 { // waitid's when WNOHANG found no child
		p.s("{}")
		return
	}
	p.s("{si_signo=")
	argSignal(p, signo, signalName)
	p.s(", si_code=")
	siCode(p, uint32(code), signo)
	if code == 32767 { // SI_NOINFO
		p.c('}')
		return
	}
	if e := le.Uint32(b[4:]); e != 0 {
		// strace's PRINT_FIELD_ERR_U: the errno's name, or the number.
		p.s(", si_errno=")
		if name := errnoName(int64(e)); name != "" {
			p.constVal(uint64(e), 'u', name)
		} else {
			p.u(uint64(e))
		}
	}
	if code <= 0 {
		siginfoFromUser(p, c, code, b)
	} else {
		siginfoKernel(p, c, signo, code, b)
	}
	p.c('}')
}

// siginfoKernel prints the fields of a siginfo the kernel sent (si_code
// > 0), by signal.
func siginfoKernel(p *printer, c *Call, signo int, code int32, b []byte) {
	switch unix.Signal(signo) {
	case unix.SIGCHLD:
		siginfoSource(p, b)
		p.s(", si_status=")
		status := int32(le.Uint32(b[24:]))
		if code == 1 {
			p.d(int64(status))
		} else {
			argSignal(p, int(status), signalName)
		}
		p.s(", si_utime=")
		clockT(p, le.Uint64(b[32:]))
		p.s(", si_stime=")
		clockT(p, le.Uint64(b[40:]))
	case unix.SIGILL, unix.SIGFPE:
		siginfoAddr(p, b)
	case unix.SIGBUS:
		siginfoAddr(p, b)
		if code == 4 || code == 5 { // BUS_MCEERR_*
			p.s(", si_addr_lsb=")
			hexOrZero(p, uint64(le.Uint16(b[24:])))
		}
	case unix.SIGSEGV:
		siginfoAddr(p, b)
		switch code {
		case 3: // SEGV_BNDERR
			p.s(", si_lower=")
			p.ptr(le.Uint64(b[32:]))
			p.s(", si_upper=")
			p.ptr(le.Uint64(b[40:]))
		case 4: // SEGV_PKUERR
			p.s(", si_pkey=")
			p.u(uint64(le.Uint32(b[32:])))
		}
	case unix.SIGTRAP:
		// TRAP_PERF's si_perf_* too only where strace was built with
		// them (HAVE_SIGINFO_T_SI_PERF_DATA): Debian's strace 6.1 and
		// the compat suite's were not, and print si_addr alone.
		siginfoAddr(p, b)
	case unix.SIGIO:
		if code >= 1 && code <= 6 {
			p.s(", si_band=")
			p.d(int64(le.Uint64(b[16:])))
			p.s(", si_fd=")
			siginfoFd(p, c, int32(le.Uint32(b[24:])))
		}
	case unix.SIGSYS:
		p.s(", si_call_addr=")
		p.ptr(le.Uint64(b[16:]))
		arch := le.Uint32(b[28:])
		p.s(", si_syscall=")
		syscallNumber(p, uint64(le.Uint32(b[24:])), arch)
		p.s(", si_arch=")
		xlatOrUnknown(p, uint64(arch), auditArches, "AUDIT_ARCH_???")
	default:
		if le.Uint32(b[16:]) != 0 || le.Uint32(b[20:]) != 0 {
			siginfoSource(p, b)
		}
		if le.Uint64(b[24:]) != 0 {
			siginfoValue(p, b)
		}
	}
}

func siginfoAddr(p *printer, b []byte) {
	p.s(", si_addr=")
	p.ptr(le.Uint64(b[16:]))
}

// siginfoFromUser prints the fields of a siginfo a process sent (si_code
// <= 0), as strace's print_si_info does.
func siginfoFromUser(p *printer, c *Call, code int32, b []byte) {
	switch code {
	case 0, -6: // SI_USER, SI_TKILL
		siginfoSource(p, b)
	case -2: // SI_TIMER
		p.s(", si_timerid=")
		hexOrZero(p, uint64(le.Uint32(b[16:])))
		p.s(", si_overrun=")
		p.d(int64(int32(le.Uint32(b[20:]))))
		siginfoValue(p, b)
	case -5: // SI_SIGIO
		p.s(", si_band=")
		p.d(int64(le.Uint64(b[16:])))
		p.s(", si_fd=")
		siginfoFd(p, c, int32(le.Uint32(b[24:])))
	default:
		siginfoSource(p, b)
		if le.Uint64(b[24:]) != 0 {
			siginfoValue(p, b)
		}
	}
}

// siginfoFd prints si_fd: with -y, what it names in c's process.
func siginfoFd(p *printer, c *Call, fd int32) {
	if c == nil {
		p.d(int64(fd))
		return
	}
	p.fd(c, fd)
}

// siginfoSource prints si_pid and si_uid (-1 for (uid_t)-1).
func siginfoSource(p *printer, b []byte) {
	p.s(", si_pid=")
	p.pid(int32(le.Uint32(b[16:])), ptTgid)
	p.s(", si_uid=")
	if uid := le.Uint32(b[20:]); uid == 0xffffffff {
		p.s("-1")
	} else {
		p.u(uint64(uid))
	}
}

// siginfoValue prints the sigval: si_int and si_ptr.
func siginfoValue(p *printer, b []byte) {
	p.s(", si_int=")
	p.d(int64(int32(le.Uint32(b[24:]))))
	p.s(", si_ptr=")
	p.ptr(le.Uint64(b[24:]))
}

// sigsetOfBytes prints a signal set of len(b) bytes: [CHLD], ~[RTMIN RT_1],
// []; names as signalName's without SIG (kernelSigset, for a 64-bit set,
// names real-time signals as kernelSignalName does).
func sigsetOfBytes(p *printer, b []byte) {
	nbits := len(b) * 8
	if nbits > 64 {
		nbits = 64
	}
	var set uint64
	for k := 0; k < len(b) && k < 8; k++ {
		set |= uint64(b[k]) << (8 * k)
	}
	if bits.OnesCount64(set) > nbits/2 {
		p.c('~')
		set = ^set
		if nbits < 64 {
			set &= 1<<nbits - 1
		}
	}
	p.c('[')
	first := true
	for s := 1; s <= nbits; s++ {
		if set&(1<<(s-1)) == 0 {
			continue
		}
		if !first {
			p.c(' ')
		}
		first = false
		setSignal(p, s, setSignalName)
	}
	p.c(']')
}

// kernelSigsetName is a signal's name in a set: without SIG, 32 as RTMIN and
// 33.. as RT_1.., as strace prints sets.
func kernelSigsetName(p *printer, n int) {
	switch {
	case n == 32:
		p.s("RTMIN")
	case n > 32:
		p.s("RT_")
		p.d(int64(n - 32))
	default:
		if name := unix.SignalName(unix.Signal(n)); name != "" {
			p.s(name[3:])
		} else {
			p.d(int64(n))
		}
	}
}

// kernelSignalName is a signal as an argument: SIGxxx, SIGRTMIN, SIGRT_n,
// real-time signals counted from the kernel's SIGRTMIN (32), as strace
// names them in arguments (signalName counts from glibc's, 34).
func kernelSignalName(p *printer, n int) {
	switch {
	case n == 32:
		p.s("SIGRTMIN")
	case n > 32 && n <= 64:
		p.s("SIGRT_")
		p.d(int64(n - 32))
	default:
		if name := unix.SignalName(unix.Signal(n)); name != "" {
			p.s(name)
		} else {
			p.d(int64(n))
		}
	}
}

// kernelSigset prints a 64-bit signal set as strace does: [INT QUIT], or the
// complement ~[...] when more than half the signals are in it.
func kernelSigset(p *printer, set uint64) {
	if bits.OnesCount64(set) > 32 {
		p.c('~')
		set = ^set
	}
	p.c('[')
	first := true
	for n := 1; n <= 64; n++ {
		if set&(1<<(n-1)) != 0 {
			if !first {
				p.c(' ')
			}
			setSignal(p, n, kernelSigsetName)
			first = false
		}
	}
	p.c(']')
}
