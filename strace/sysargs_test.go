package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// A syscall without a signature prints as many raw arguments as the kernel
// defines (sysargs, from tracefs), as strace prints one it has no decoder
// for: 0, or hexadecimal (strace 6.1: `getpmsg(0, 0x1, 0xff,
// 0xffffffffffffffff, 0x7fff12345678)`, `syscall_0x1cb(0x10, 0, 0xff, 0,
// 0x5, 0x6)` for lsm_get_self_attr, which it predates).
func TestFamGenericArity(t *testing.T) {
	junk := [6]uint64{0x7fdcee0c5829, 2, 3, 4, 0x7fdcee1be6d0, 6}
	checkLine(t, decodeLine(t, "vhangup", 0, junk), `vhangup() = 0`)
	checkLine(t, decodeLine(t, "munlockall", 0, junk), `munlockall() = 0`)
	if sysargs["getcpu"] != 3 || sysargs["fstat"] != 2 || sysargs["mmap"] != 6 || sysargs["umount2"] != 2 {
		t.Errorf("sysargs: getcpu %d, fstat %d, mmap %d, umount2 %d", sysargs["getcpu"], sysargs["fstat"], sysargs["mmap"], sysargs["umount2"])
	}
	// amd64 only (decodeLine skips the rest elsewhere): not in tracefs;
	// sys_misc_obsolete.go gives it strace 6.1's five (it printed six
	// before, which was not strace's line).
	checkLine(t, decodeLine(t, "getpmsg", -38, [6]uint64{0, 1, 0xff, 0xffffffffffffffff, 0x7fff12345678, 0}),
		`getpmsg(0, 0x1, 0xff, 0xffffffffffffffff, 0x7fff12345678) = -1 ENOSYS (Function not implemented)`)
	// A number with no name at all: six, as strace prints one.
	d, txt := newText(Options{StrSize: 32})
	if err := d.Feed(benchRecord(999, 100, -38, [6]uint64{1, 2, 3, 4, 5, 6})); err != nil {
		t.Fatal(err)
	}
	checkLine(t, strings.TrimSpace(string(txt.TakeInto(nil))), `syscall_0x3e7(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)`)
}

// strace 6.1's lines for the small process syscalls of sys_sched.go.
func TestFamSched(t *testing.T) {
	checkLine(t, decodeLine(t, "sched_get_priority_max", 99, [6]uint64{1, 0x7f00}), `sched_get_priority_max(SCHED_FIFO) = 99`)
	checkLine(t, decodeLine(t, "sched_get_priority_min", 0, [6]uint64{0}), `sched_get_priority_min(SCHED_OTHER) = 0`)
	checkLine(t, decodeLine(t, "sched_get_priority_max", 0, [6]uint64{7}), `sched_get_priority_max(0x7 /* SCHED_??? */) = 0`)
	checkLine(t, decodeLine(t, "sched_get_priority_min", -22, [6]uint64{0xffffffffffffffff}),
		`sched_get_priority_min(0xffffffff /* SCHED_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "getcpu", 0, [6]uint64{0, 0, 0, 0, 0x7fdcee1be6d0}), `getcpu(NULL, NULL, NULL) = 0`)
	checkLine(t, decodeLine(t, "getcpu", 0, [6]uint64{0x1000, 0x2000, 0}, wire.Cap{Arg: 0, Data: []byte{3, 0, 0, 0}}, wire.Cap{Arg: 1, Data: []byte{0, 0, 0, 0}}),
		`getcpu([3], [0], NULL) = 0`)
	checkLine(t, decodeLine(t, "getcpu", -14, [6]uint64{1, 0, 0}), `getcpu(0x1, NULL, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "times", 1719401036, [6]uint64{0x1000}, wire.Cap{Arg: 0, Data: u64s(2, 1, 0, 0)}),
		`times({tms_utime=2 /* 0.02 s */, tms_stime=1 /* 0.01 s */, tms_cutime=0, tms_cstime=0}) = 1719401036`)
	checkLine(t, decodeLine(t, "times", 1719401036, [6]uint64{0}), `times(NULL) = 1719401036`)
	checkLine(t, decodeLine(t, "times", -14, [6]uint64{1}), `times(0x1) = -1 EFAULT (Bad address)`)
}
