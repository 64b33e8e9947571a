package strace

// An oracle workload of job control: a child stopped by SIGSTOP in the
// middle of a sleep and continued by SIGCONT. strace shows the stop
// (`--- stopped by SIGSTOP ---`, a group stop, outside any call) and the
// SIGCONT before the restart_syscall that resumes the sleep. The parent
// blocks SIGCHLD: under strace, a SIGCHLD the parent ignores would still
// interrupt its sleeps (a ptracer's artifact), and where it lands is the
// scheduler's.

func init() {
	workloads = append(workloads,
		workload{name: "stop", setup: ccWorkload("stop", stopC),
			exact: []string{"kill", "wait4", "restart_syscall", "clock_nanosleep"}},
		// timeout(1)'s way: SIGTERM, then SIGCONT, to a child asleep. The
		// child dies of the SIGTERM (the kernel's short cut, untraced:
		// strace, a ptracer, sees the signal itself), and shows it: the
		// SIGCONT the kernel discards after it must not take its place.
		workload{name: "killcont", setup: ccWorkload("killcont", killcontC), exit: 0,
			exact: []string{"kill", "wait4", "clock_nanosleep"}},
	)
}

const killcontC = `#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, 0);
	pid_t c = fork();
	if (c == 0) {
		struct timespec t = {2, 0};
		nanosleep(&t, 0);
		return 0;
	}
	struct timespec s = {0, 50000000};
	int st;
	nanosleep(&s, 0);
	kill(c, SIGTERM);
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
	return !(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}
`

const stopC = `#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, 0);
	pid_t c = fork();
	if (c == 0) {
		struct timespec t = {0, 400000000};
		nanosleep(&t, 0);
		return getpid() == 0;
	}
	struct timespec s = {0, 50000000};
	int st;
	nanosleep(&s, 0);
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
	return 0;
}
`
