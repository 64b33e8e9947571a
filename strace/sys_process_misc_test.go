package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Lines from strace 6.1's tests reboot, syslog, sysctl, kcmp,
// seccomp_get_notif_sizes, ioprio, adjtimex, clock_adjtime and getgroups.
func TestFamProcessMisc(t *testing.T) {
	checkLine(t, decodeLine(t, "reboot", -22, [6]uint64{0, 0, 0}), `reboot(0 /* LINUX_REBOOT_MAGIC_??? */, 0 /* LINUX_REBOOT_MAGIC_??? */, LINUX_REBOOT_CMD_CAD_OFF) = -1 EINVAL (Invalid argument)`)
	arg := make([]byte, rebootArgMax)
	copy(arg, "reboot")
	checkLine(t, decodeLine(t, "reboot", -22, [6]uint64{0xfee1dead, 0x13111992, 0xa1b2c3d4, 0x1000}, wire.Cap{Arg: 3, Data: arg}),
		`reboot(LINUX_REBOOT_MAGIC1, 0x13111992 /* LINUX_REBOOT_MAGIC_??? */, LINUX_REBOOT_CMD_RESTART2, "reboot") = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "syslog", 131072, [6]uint64{10}), `syslog(10 /* SYSLOG_ACTION_SIZE_BUFFER */) = 131072`)
	checkLine(t, decodeLine(t, "syslog", -22, [6]uint64{0xfeedbeef, 0, 0xffffffff}), `syslog(-17973521 /* SYSLOG_ACTION_??? */, NULL, -1) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "syslog", 0, [6]uint64{8, 0xfacefeeddeadbeef, 8}), `syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, 0xfacefeeddeadbeef, 8 /* LOGLEVEL_DEBUG+1 */) = 0`)
	checkLine(t, decodeLine(t, "_sysctl", -38, [6]uint64{0x1000}, wire.Cap{Arg: 0, Data: make([]byte, 80)}),
		`_sysctl({name=NULL, nlen=0, oldval=NULL, oldlenp=NULL, newval=NULL, newlen=0}) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "kcmp", -3, [6]uint64{0xface1057, 0xdefaced2, 0xda7adead, 0xdec0ded3dec0ded4, 0xba5e1e55deadc0de}),
		`kcmp(-87158697, -553988398, 0xda7adead /* KCMP_??? */, 0xdec0ded3dec0ded4, 0xba5e1e55deadc0de) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "kcmp", 1, [6]uint64{28311, 28311, 0, 23, 42}), `kcmp(28311, 28311, KCMP_FILE, 23, 42) = 1`)
	checkLine(t, decodeLine(t, "kcmp", -3, [6]uint64{0xffffffff, 0xffffffff, 1}), `kcmp(-1, -1, KCMP_VM) = -1 ESRCH (No such process)`)
	slot := []byte{23, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0}
	checkLine(t, decodeLine(t, "kcmp", -3, [6]uint64{28311, 0xffffffff, 7, 23, 0x1000}, wire.Cap{Arg: 4, Data: slot}),
		`kcmp(28311, -1, KCMP_EPOLL_TFD, 23, {efd=23, tfd=42, toff=0}) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "seccomp", 0, [6]uint64{0xfacefeed00000003, 0xdeadbeef00000000, 0x1000}, wire.Cap{Arg: 2, Data: []byte{80, 0, 24, 0, 64, 0}}),
		`seccomp(SECCOMP_GET_NOTIF_SIZES, 0, {seccomp_notif=80, seccomp_notif_resp=24, seccomp_data=64}) = 0`)
	checkLine(t, decodeLine(t, "seccomp", -22, [6]uint64{0xfacefeed00000003, 0xdeadbeefdeadbeef, 0}), `seccomp(SECCOMP_GET_NOTIF_SIZES, 0xdeadbeef, NULL) = -1 EINVAL (Invalid argument)`)
	// strace 6.1's test seccomp-filter.
	checkLine(t, decodeLine(t, "seccomp", -22, [6]uint64{1, 0xffffffff, 0x1000}, wire.Cap{Arg: 2, Data: []byte{7, 0, 0, 0, 0, 0, 0, 0, 0xc8, 0xcf, 0x8e, 0xf2, 0xaa, 0x7f, 0, 0}}),
		`seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC|SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_SPEC_ALLOW|SECCOMP_FILTER_FLAG_NEW_LISTENER|SECCOMP_FILTER_FLAG_TSYNC_ESRCH|SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV|0xffffffc0, {len=7, filter=0x7faaf28ecfc8}) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "seccomp", 0, [6]uint64{2, 0, 0x1000}, wire.Cap{Arg: 2, Data: []byte{0, 0, 0xff, 0x7f}}), `seccomp(SECCOMP_GET_ACTION_AVAIL, 0, [SECCOMP_RET_ALLOW]) = 0`)
	checkLine(t, decodeLine(t, "ioprio_get", 0, [6]uint64{1, 0x240a}), `ioprio_get(IOPRIO_WHO_PROCESS, 9226) = 0 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 0))`)
	checkLine(t, decodeLine(t, "ioprio_set", -22, [6]uint64{0xdeadfacefa57beef, 0xbadc0dedda7a1057, 0xdec0ded1facefeed}),
		`ioprio_set(0xfa57beef /* IOPRIO_WHO_??? */, -629534633, IOPRIO_PRIO_VALUE(0x7d677 /* IOPRIO_CLASS_??? */, 7917)) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "ioprio_set", -22, [6]uint64{2, 28211, 0x1fff}),
		`ioprio_set(0x2 /* IOPRIO_WHO_PGRP */, 28211, 8191 /* IOPRIO_PRIO_VALUE(0 /* IOPRIO_CLASS_NONE */, 8191) */) = -1 EINVAL (Invalid argument)`)
	tx := make([]byte, timexSize)
	le.PutUint64(tx[24:], 16000000)
	le.PutUint64(tx[32:], 16000000)
	le.PutUint32(tx[40:], 0x40)
	le.PutUint64(tx[48:], 2)
	le.PutUint64(tx[56:], 1)
	le.PutUint64(tx[64:], 32768000)
	le.PutUint64(tx[72:], 1795939832)
	le.PutUint64(tx[80:], 258544)
	le.PutUint64(tx[88:], 10000)
	checkLine(t, decodeLine(t, "adjtimex", 5, [6]uint64{0x1000}, wire.Cap{Arg: 0, Data: tx}),
		`adjtimex({modes=0, offset=0, freq=0, maxerror=16000000, esterror=16000000, status=STA_UNSYNC, constant=2, precision=1, tolerance=32768000, time={tv_sec=1795939832, tv_usec=258544}, tick=10000, ppsfreq=0, jitter=0, shift=0, stabil=0, jitcnt=0, calcnt=0, errcnt=0, stbcnt=0, tai=0}) = 5 (TIME_ERROR)`)
	checkLine(t, decodeLine(t, "clock_adjtime", -14, [6]uint64{1, 0}), `clock_adjtime(CLOCK_MONOTONIC, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "getgroups", 0, [6]uint64{0xffffffff00000000, 0}), `getgroups(0, NULL) = 0`)
	checkLine(t, decodeLine(t, "getgroups", 0, [6]uint64{0, 0x7f43edec6fff}), `getgroups(0, []) = 0`)
}

// Lines from strace 6.1's test setgroups (-s2).
func TestFamSetgroups(t *testing.T) {
	opt := Options{StrSize: 2}
	four := func(vs ...uint32) []byte {
		b := make([]byte, 4*len(vs))
		for k, v := range vs {
			le.PutUint32(b[4*k:], v)
		}
		return b
	}
	checkLine(t, decodeLineOpt(t, opt, "setgroups", -22, [6]uint64{1, 0x1000}, wire.Cap{Arg: 1, Data: four(0xffffffff)}), `setgroups(1, [-1]) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "setgroups", 0, [6]uint64{2, 0x1000}, wire.Cap{Arg: 1, Data: four(0xfffffffe, 0xfffffffd)}), `setgroups(2, [4294967294, 4294967293]) = 0`)
}
