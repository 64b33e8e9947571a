package strace

// Oracle workload of sysinfo and waitid: their lines are asserted one by
// one (workload.exact). sysinfo's changing fields (uptime, loads, free
// memory, procs) are hidden by normalize.

func init() {
	workloads = append(workloads, workload{
		name: "waits", setup: ccWorkload("waits", waitsC),
		exact: []string{"sysinfo", "waitid", "wait4", "munlockall", "sched_get_priority_max", "sched_get_priority_min", "getcpu", "personality"},
		// The killed child's SIGCHLD comes before or after the parent
		// enters waitid.
		volatileSignals: true,
	})
}

// waitsC waits for a child by pid, for any with rusage, with WNOHANG for
// one that is not done (an all-zero siginfo, printed {}), for a killed one
// by process group (once it spins, in no syscall: strace prints ???( for
// one killed as it enters a call), then for none (ECHILD), and makes
// failing calls; then wait4 as much (rusage printed only for a reaped
// child), munlockall with junk registers (no arguments printed),
// sched_get_priority_max/min and getcpu (NULL or bad pointers: the cpu varies),
// then personality: queried, set to PER_LINUX, with a flag, PER_LINUX32, an
// unknown persona, one with an unknown flag bit, PER_SVR4 (printed as
// 0x1 /* PER_??? */|...), and restored.
const waitsC = `#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
	struct sysinfo si;
	siginfo_t inf;
	struct rusage ru;
	int p[2];
	char b;
	/* waitid writes si_signo to si_status and leaves si_utime and
	 * si_stime as they were: zeroed, they print the same under both
	 * tracers (left to the stack, they printed one run's garbage). */
	memset(&inf, 0, sizeof inf);
	/* A child to be killed says it is past its write in user space: by
	 * then strace has seen the write return (the parent reading "x" only
	 * says the kernel wrote it; killed before strace handled the
	 * return, strace prints "= ?"). */
	volatile int *ready = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_sysinfo, &si);
	syscall(SYS_sysinfo, 0);
	syscall(SYS_sysinfo, (void *)1);
	pid_t c = fork();
	if (c == 0) _exit(3);
	syscall(SYS_waitid, P_PID, c, &inf, WEXITED, 0);
	if (fork() == 0) _exit(0);
	syscall(SYS_waitid, P_ALL, 0, &inf, WEXITED, &ru);
	pipe(p);
	c = fork();
	if (c == 0) { write(p[1], "x", 1); *ready = 1; for (;;) __asm__ volatile(""); }
	read(p[0], &b, 1);
	syscall(SYS_waitid, P_PID, c, &inf, WEXITED | WNOHANG, 0);
	while (!*ready) __asm__ volatile("");
	kill(c, SIGKILL);
	*ready = 0;
	syscall(SYS_waitid, P_PGID, 0, &inf, WEXITED | WSTOPPED, 0);
	syscall(SYS_waitid, P_ALL, 0, &inf, WEXITED, 0);
	syscall(SYS_waitid, 7, 0, 0, 0, 0);
	syscall(SYS_waitid, P_PIDFD, 5, 0, WEXITED, (void *)1);
	syscall(SYS_waitid, P_ALL, 0, 0, 0xffffffff, 0);
	int st;
	c = fork();
	if (c == 0) { write(p[1], "x", 1); *ready = 1; for (;;) __asm__ volatile(""); }
	read(p[0], &b, 1);
	syscall(SYS_wait4, c, &st, WNOHANG, &ru);
	while (!*ready) __asm__ volatile("");
	kill(c, SIGKILL);
	syscall(SYS_wait4, c, &st, 0, &ru);
	syscall(SYS_wait4, -1, &st, 0, &ru);
	syscall(SYS_wait4, -1, &st, 0, (void *)1);
	syscall(SYS_munlockall, 1, 2, 3);
	syscall(SYS_sched_get_priority_max, SCHED_FIFO);
	syscall(SYS_sched_get_priority_min, -1);
	syscall(SYS_getcpu, 0, 0, 0, 0, 0x1234, 0);
	syscall(SYS_getcpu, 1, 0, 0);
	long per = syscall(SYS_personality, 0xffffffff);
	syscall(SYS_personality, 0);
	syscall(SYS_personality, 0x40000);
	syscall(SYS_personality, 8);
	syscall(SYS_personality, 0x7f);
	syscall(SYS_personality, 0x8004007f);
	syscall(SYS_personality, 0x4100001);
	syscall(SYS_personality, per);
	return 0;
}
`
