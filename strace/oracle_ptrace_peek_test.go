package strace

import (
	"bufio"
	"os/exec"
	"strconv"
	"testing"
)

// Oracle workload of ptrace's PEEK* and GETEVENTMSG (the word stored at
// data, printed at exit), PEEKUSER's and POKEUSER's offsets in struct user
// (sys_process_ptrace_peek.go), and rt_sigaction's SA_INTERRUPT, 0x400 and
// 0x800 and NULL sa_restorer (sys_signal.go). The tracee is a process the
// test starts outside both tracers (under strace -f a child of the workload
// could not be ptraced by it): the same program, built without PIE, so that
// its word and main are at the workload's addresses.
func init() {
	workloads = append(workloads, workload{
		name: "ptrace-peek", setup: ptracePeekSetup,
		exact: []string{"ptrace", "rt_sigaction", "wait4"},
		// The tracee's stop sends a SIGCHLD, before or after wait4 is entered.
		volatileSignals: true,
	})
}

func ptracePeekSetup(t *testing.T, dir string) []string {
	argv := ccWorkload("ptracepeek", ptracePeekC, "-no-pie")(t, dir)
	cmd := exec.Command(argv[0])
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	// It says when it is past its start-up.
	if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	return append(argv, strconv.Itoa(cmd.Process.Pid))
}

const ptracePeekC = `#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <elf.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
long word = 0x2a;
struct ksa { void *h; unsigned long flags; void *restorer; unsigned long mask; };
int main(int argc, char **argv) {
	if (argc < 2) {
		printf("ready\n");
		fflush(stdout);
		for (;;) pause();
	}
	pid_t pid = atoi(argv[1]);
	long w;
	int st;
	siginfo_t si;
	struct user_regs_struct regs;
	static char xs[4096];
	struct iovec iov = {&regs, sizeof(regs)};
	struct ksa a = {SIG_IGN, 0x20000000 | 0x400 | 0x800 | 0x4000000, 0, 0}, o;
	syscall(SYS_rt_sigaction, SIGUSR1, &a, &o, 8);
	a.flags = 0x20000000;
	syscall(SYS_rt_sigaction, SIGUSR1, &a, &o, 8);
	syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, 8 * 10, &w); /* not attached: ESRCH */
	syscall(SYS_ptrace, PTRACE_ATTACH, pid, 0, 0);
	syscall(SYS_wait4, pid, &st, __WALL, 0);
	syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, 8 * 17, &w);      /* 8*CS */
	syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, 8 * 20 + 24, &w); /* 8*SS+24: ds */
	syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, 848 + 48, &w);    /* u_debugreg+48 */
	syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, 912, &w);         /* sizeof: EIO */
	syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, 920, &w);         /* past it: EIO */
	syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, 8 * 18, 0);       /* 8*EFL, NULL: EFAULT */
	syscall(SYS_ptrace, PTRACE_POKEUSER, pid, 848 + 56, 0);     /* DR7 */
	syscall(SYS_ptrace, PTRACE_PEEKDATA, pid, &word, &w);
	syscall(SYS_ptrace, PTRACE_PEEKTEXT, pid, 16, &w);          /* EIO */
	syscall(SYS_ptrace, PTRACE_GETEVENTMSG, pid, 0, &w);
	/* What gdb asks too: the stop's siginfo, the registers (the tracee
	 * is stopped in pause, the same in both runs), the xsave area. */
	syscall(SYS_ptrace, PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
	syscall(SYS_ptrace, PTRACE_GETSIGINFO, pid, 0, &si);
	syscall(SYS_ptrace, PTRACE_GETREGS, pid, 0, &regs);
	syscall(SYS_ptrace, PTRACE_GETREGSET, pid, NT_PRSTATUS, &iov);
	iov.iov_len = sizeof(xs);
	iov.iov_base = xs;
	syscall(SYS_ptrace, PTRACE_GETREGSET, pid, NT_X86_XSTATE, &iov);
	syscall(SYS_ptrace, PTRACE_DETACH, pid, 0, 0);
	return 0;
}
`
