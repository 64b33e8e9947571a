package strace

// Oracle workloads of issue 13's remaining families: System V IPC
// (message queues, semaphores, shared memory, their IPC_STAT structs) and
// a program that crashes (a child killed by SIGSEGV, core dumps off, a
// child that aborts: their --- SIG --- and +++ killed +++ lines, and the
// parent's wait4 of each; where the parent's SIGCHLD falls is the
// scheduler's, volatileSignals); every line of their calls asserted
// (workload.exact).

import "regexp"

func init() {
	workloads = append(workloads,
		workload{name: "ipc", setup: ccWorkload("ipc", ipcC),
			// The ids the kernel gave, and the times of the last operations.
			mask:  regexp.MustCompile(`((?:msg|sem|shm)(?:snd|rcv|ctl|op|timedop|at)\(|(?:msg|sem|shm)get\(.*\) += )\d+|(_[a-z]time=)\d+`),
			exact: []string{"msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl", "shmget", "shmat", "shmdt", "shmctl"}},
		workload{name: "crash", setup: ccWorkload("crash", crashC), volatileSignals: true,
			exact: []string{"wait4", "kill", "tgkill"}},
	)
}

const ipcC = `#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
int main(void) {
	struct { long type; char text[16]; } m = {7, "hello ipc"}, r;
	struct msqid_ds mq;
	struct shmid_ds sd;
	struct sembuf op[2] = {{0, 1, 0}, {0, -1, IPC_NOWAIT}};
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	msgsnd(q, &m, sizeof(m.text), 0);
	msgrcv(q, &r, sizeof(r.text), 7, 0);
	msgrcv(q, &r, sizeof(r.text), 0, IPC_NOWAIT);
	msgctl(q, IPC_STAT, &mq);
	msgctl(q, IPC_RMID, 0);
	int s = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	semop(s, op, 2);
	semctl(s, 0, GETVAL);
	semctl(s, 0, IPC_RMID);
	int h = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	char *p = shmat(h, 0, 0);
	strcpy(p, "shared");
	shmdt(p);
	shmctl(h, IPC_STAT, &sd);
	shmctl(h, IPC_RMID, 0);
	msgctl(-1, IPC_STAT, &mq);
	return 0;
}
`

const crashC = `#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
	struct rlimit no = {0, 0};
	int st;
	setrlimit(RLIMIT_CORE, &no);
	if (fork() == 0) {
		*(volatile int *)16 = 1;
		_exit(0);
	}
	wait4(-1, &st, 0, 0);
	if (fork() == 0)
		abort();
	wait4(-1, &st, 0, 0);
	return 0;
}
`
