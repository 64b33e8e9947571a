package strace

// Oracle workloads of clone's CLONE_PIDFD (Go's os/exec starts commands
// with clone(CLONE_VM|CLONE_PIDFD|CLONE_VFORK)): the pidfd the kernel
// stored at parent_tid, clone3's pidfd, and the calls that use it, plain
// and under -y (the descriptor's kind, as -y's table learns it from the
// clone); failures print the address. Every line of these calls is
// asserted (workload.exact).

func init() {
	exact := []string{"clone", "clone3", "pidfd_send_signal", "waitid", "close"}
	workloads = append(workloads,
		workload{name: "clonepidfd", setup: ccWorkload("clonepidfd", clonePidfdC), exact: exact, volatileSignals: true},
		workload{name: "clonepidfd-y", setup: ccWorkload("clonepidfd", clonePidfdC), exact: exact, volatileSignals: true,
			opts: []string{"-y"}},
	)
}

const clonePidfdC = `#define _GNU_SOURCE
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
	int pidfd = -1, ptid = 0;
	siginfo_t si;
	struct clone_args ca;
	long pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0);
	if (pid == 0)
		_exit(3);
	syscall(SYS_pidfd_send_signal, pidfd, 0, 0, 0);
	waitid(P_PIDFD, pidfd, &si, WEXITED);
	close(pidfd);
	syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, 0, 0);
	syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, (void *)8, 0, 0);
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_PIDFD;
	ca.pidfd = (uintptr_t)&pidfd;
	ca.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		_exit(4);
	waitid(P_PIDFD, pidfd, &si, WEXITED);
	close(pidfd);
	return 0;
}
`
