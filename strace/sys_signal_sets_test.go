package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// queueInfo is a siginfo_t (128 bytes) of SI_QUEUE.
func queueInfo(signo, errno, pid, uid uint32, val uint64) []byte {
	b := make([]byte, 128)
	le.PutUint32(b, signo)
	le.PutUint32(b[4:], errno)
	le.PutUint32(b[8:], 0xffffffff)
	le.PutUint32(b[16:], pid)
	le.PutUint32(b[20:], uid)
	le.PutUint64(b[24:], val)
	return b
}

// Lines from strace 6.1's tests rt_sigprocmask, rt_sigpending,
// rt_sigsuspend, rt_sigtimedwait, signalfd4, rt_sigqueueinfo,
// rt_tgsigqueueinfo, pidfd_send_signal and siginfo.
func TestFamSignalSets(t *testing.T) {
	checkLine(t, decodeLine(t, "rt_sigprocmask", -22, [6]uint64{2, 0x7faf2cd84ff0, 0x7faf2cb95ff8, 16}, wire.Cap{Arg: 1, Data: u64s(^uint64(0))}),
		`rt_sigprocmask(SIG_SETMASK, 0x7faf2cd84ff0, 0x7faf2cb95ff8, 16) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "rt_sigprocmask", 0, [6]uint64{1, 0x1000, 0x2000, 8}, wire.Cap{Arg: 1, Data: u64s(^uint64(0) &^ 1)}, wire.Cap{Arg: 2, Data: u64s(1)}),
		`rt_sigprocmask(SIG_UNBLOCK, ~[HUP], [HUP], 8) = 0`)
	checkLine(t, decodeLine(t, "rt_sigpending", 0, [6]uint64{0x1000, 4}, wire.Cap{Arg: 0, Data: []byte{1, 0, 0, 0}}), `rt_sigpending([HUP], 4) = 0`)
	checkLine(t, decodeLine(t, "rt_sigpending", -22, [6]uint64{0x7fa723ec9ff0, 16}), `rt_sigpending(0x7fa723ec9ff0, 16) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "rt_sigsuspend", -22, [6]uint64{0x7ff6fd6a2ff8, 4}, wire.Cap{Arg: 0, Data: u64s(^uint64(0) &^ (1 << 9))}),
		`rt_sigsuspend(0x7ff6fd6a2ff8, 4) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "rt_sigtimedwait", -22, [6]uint64{0x7ffa6ef65ff0, 0, 0x1000, 16}, wire.Cap{Arg: 2, Data: u64s(0, 42)}),
		`rt_sigtimedwait(0x7ffa6ef65ff0, NULL, {tv_sec=0, tv_nsec=42}, 16) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "signalfd4", 3, [6]uint64{0xffffffff, 0x1000, 8, 0x80800}, wire.Cap{Arg: 1, Data: u64s(1<<11 | 1<<16)}),
		`signalfd4(-1, [USR2 CHLD], 8, SFD_CLOEXEC|SFD_NONBLOCK) = 3`)
	checkLine(t, decodeLine(t, "rt_sigqueueinfo", 0, [6]uint64{0x6916, 10, 0x1000}, wire.Cap{Arg: 2, Data: queueInfo(10, 0, 26902, 0, 0xdeadbeefbadc0ded)}),
		`rt_sigqueueinfo(26902, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=26902, si_uid=0, si_int=-1159983635, si_ptr=0xdeadbeefbadc0ded}) = 0`)
	checkLine(t, decodeLine(t, "rt_tgsigqueueinfo", 0, [6]uint64{0xffffffff00006aa7, 0xffffffff00006aa7, 0xffffffff0000000a, 0x1000}, wire.Cap{Arg: 3, Data: queueInfo(10, 2, 27303, 0, 0xdeadbeeffacefeed)}),
		`rt_tgsigqueueinfo(27303, 27303, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_errno=ENOENT, si_pid=27303, si_uid=0, si_int=-87097619, si_ptr=0xdeadbeeffacefeed}) = 0`)
	checkLine(t, decodeLine(t, "pidfd_send_signal", -22, [6]uint64{0xdefaced00000003, 0xdefaced0000000c, 0x1000, 0xdefacedffffffff}, wire.Cap{Arg: 2, Data: queueInfo(10, 0xffffffff, 14414, 0xffffffff, ^uint64(0))}),
		`pidfd_send_signal(3, SIGUSR2, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_errno=4294967295, si_pid=14414, si_uid=-1, si_int=-1, si_ptr=0xffffffffffffffff}, 0xffffffff) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "pidfd_send_signal", -9, [6]uint64{3, 10, 0x7f35f8d17f81, 0}, wire.Cap{Arg: 2, Data: make([]byte, 48)}),
		`pidfd_send_signal(3, SIGUSR1, 0x7f35f8d17f81, 0) = -1 EBADF (Bad file descriptor)`)
	// si_utime and si_stime are clock_t: the seconds follow.
	info := cldInfo(2, 28856, 10)
	le.PutUint64(info[32:], 11)
	le.PutUint64(info[40:], 19)
	checkLine(t, decodeLine(t, "waitid", 0, [6]uint64{1, 28856, 0x1000, 4, 0}, wire.Cap{Arg: 2, Data: info}),
		`waitid(P_PID, 28856, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=28856, si_uid=0, si_status=SIGUSR1, si_utime=11 /* 0.11 s */, si_stime=19 /* 0.19 s */}, WEXITED, NULL) = 0`)
}

// faultInfo is a siginfo_t of a fault: signo, code, errno and si_addr.
func faultInfo(signo, code, errno uint32, addr uint64) []byte {
	b := make([]byte, 128)
	le.PutUint32(b, signo)
	le.PutUint32(b[4:], errno)
	le.PutUint32(b[8:], code)
	le.PutUint64(b[16:], addr)
	return b
}

// Lines from strace 6.1's test ptrace (PTRACE_SETSIGINFO's siginfo, shown
// here through rt_sigqueueinfo, which prints it alike).
func TestFamSiginfoCodes(t *testing.T) {
	checkLine(t, decodeLine(t, "rt_sigqueueinfo", -3, [6]uint64{1, 5, 0x1000}, wire.Cap{Arg: 2, Data: faultInfo(5, 1, 2, 0xfacefeeddeadbeef)}),
		`rt_sigqueueinfo(1, SIGTRAP, {si_signo=SIGTRAP, si_code=TRAP_BRKPT, si_errno=ENOENT, si_addr=0xfacefeeddeadbeef}) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "rt_sigqueueinfo", -3, [6]uint64{1, 5, 0x1000}, wire.Cap{Arg: 2, Data: faultInfo(5, 7, 2, 0xfacefeeddeadbeef)}),
		`rt_sigqueueinfo(1, SIGTRAP, {si_signo=SIGTRAP, si_code=0x7, si_errno=ENOENT, si_addr=0xfacefeeddeadbeef}) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "rt_sigqueueinfo", -3, [6]uint64{1, 8, 0x1000}, wire.Cap{Arg: 2, Data: faultInfo(8, 1, 2, 0xfacefeeddeadbeef)}),
		`rt_sigqueueinfo(1, SIGFPE, {si_signo=SIGFPE, si_code=FPE_INTDIV, si_errno=ENOENT, si_addr=0xfacefeeddeadbeef}) = -1 ESRCH (No such process)`)
	io := faultInfo(29, 1, 2, ^uint64(1))
	le.PutUint32(io[24:], 23)
	checkLine(t, decodeLine(t, "rt_sigqueueinfo", -3, [6]uint64{1, 29, 0x1000}, wire.Cap{Arg: 2, Data: io}),
		`rt_sigqueueinfo(1, SIGIO, {si_signo=SIGIO, si_code=POLL_IN, si_errno=ENOENT, si_band=-2, si_fd=23}) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "rt_sigqueueinfo", -3, [6]uint64{1, 7, 0x1000}, wire.Cap{Arg: 2, Data: faultInfo(7, 1, 0xfffffffe, 0xfacefeeddeadbeef)}),
		`rt_sigqueueinfo(1, SIGBUS, {si_signo=SIGBUS, si_code=BUS_ADRALN, si_errno=4294967294, si_addr=0xfacefeeddeadbeef}) = -1 ESRCH (No such process)`)
}

// si_fd under -y is the descriptor of the process that passed the
// siginfo (strace's ptrace-y and PTRACE_SETSIGINFO), and TRAP_PERF prints
// si_addr alone, as strace 6.1 does where it was built without
// siginfo_t's si_perf_* (Debian's; the compat suite's).
func TestFamSiginfoFdPerf(t *testing.T) {
	const pid = 0x7ffffff0
	proc := fakeProc(t, pid, "/", map[int]string{23: "/dev/null"})
	io := faultInfo(29, 1, 2, ^uint64(1))
	le.PutUint32(io[24:], 23)
	checkLines(t, fdText(t, DecodeFdPath, proc, 0,
		fdCall(t, pid, "rt_sigqueueinfo", -3, []uint64{1, 29, 0x1000}, wire.Cap{Arg: 2, Data: io}),
		fdCall(t, pid, "ptrace", -3, []uint64{0x4203, 1, 0xdeadbeeffffffeed, 0x1000}, wire.Cap{Arg: 3, Data: io})),
		[]string{`rt_sigqueueinfo(1, SIGIO, {si_signo=SIGIO, si_code=POLL_IN, si_errno=ENOENT, si_band=-2, si_fd=23</dev/null>}) = -1 ESRCH (No such process)`,
			`ptrace(PTRACE_SETSIGINFO, 1, 0xdeadbeeffffffeed, {si_signo=SIGIO, si_code=POLL_IN, si_errno=ENOENT, si_band=-2, si_fd=23</dev/null>}) = -1 ESRCH (No such process)`})
	checkLine(t, decodeLine(t, "rt_sigqueueinfo", 0, [6]uint64{1, 5, 0x1000}, wire.Cap{Arg: 2, Data: faultInfo(5, 6, 2, 0xffffffffffffffff)}),
		`rt_sigqueueinfo(1, SIGTRAP, {si_signo=SIGTRAP, si_code=TRAP_PERF, si_errno=ENOENT, si_addr=0xffffffffffffffff}) = 0`)
}
