package strace

// Oracle workload of clock ids strace 6.1 does not name (a JVM's
// clock_getres of a thread's CPU clock, from pthread_getcpuclockid):
// printed in hex with /* CLOCK_??? */ by every call that takes one
// (printclockname, printxval), and clock_nanosleep's flags 0 (printflags).
// CPU clocks of the calling process and thread (pid 0) keep the ids the
// same from run to run; every line of these calls is asserted
// (workload.exact).

func init() {
	exact := []string{"clock_gettime", "clock_getres", "clock_nanosleep", "clock_settime", "clock_adjtime", "timer_create", "timerfd_create"}
	workloads = append(workloads, workload{name: "clockid", setup: ccWorkload("clockid", clockidC), exact: exact},
		workload{name: "clockid-Xv", setup: ccWorkload("clockid", clockidC), exact: exact, opts: []string{"-X", "verbose"}})
}

const clockidC = `#include <string.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>
int main(void) {
	struct timespec ts = {0, 1000};
	struct timex tx;
	int tm;
	memset(&tx, 0, sizeof tx);
	syscall(SYS_clock_getres, 0xfffffffe, &ts); /* this thread's CPU clock */
	syscall(SYS_clock_gettime, 0xfffffffa, &ts); /* this process's */
	syscall(SYS_clock_gettime, 99, &ts);
	syscall(SYS_clock_nanosleep, 99, 0, &ts, 0);
	syscall(SYS_clock_settime, 99, &ts);
	syscall(SYS_clock_adjtime, 99, &tx);
	syscall(SYS_timer_create, 0xfffffffe, 0, &tm);
	syscall(SYS_timerfd_create, 99, 0);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return 0;
}
`
