package strace

// Oracle workloads under -e verbose=none: copies of workloads whose calls
// fetch structures and arrays with strace's verbose-checking helpers
// (umove_or_printaddr, printnum_*, tfetch_mem, print_array), which print
// the address when the call is not verbose; every line of those calls
// asserted (workload.exact). Strings and data buffers still print.
// nonverbose: a program of its own, for the calls these workloads lack.
// rt_sigreturn is left out: strace prints {mask=ADDR}, the address of the
// mask in the signal frame, which eproc does not know (its BPF side reads
// the restored mask from the task, not the frame's address).

import "regexp"

var nvOpt = []string{"-e", "verbose=none"}

// nvIPCMask is the ipc workload's mask: the ids the kernel gave, and the
// times of the last operations.
var nvIPCMask = regexp.MustCompile(`((?:msg|sem|shm)(?:snd|rcv|ctl|op|timedop|at)\(|(?:msg|sem|shm)get\(.*\) += )\d+|(_[a-z]time=)\d+`)

var nvSockCalls = []string{"socket", "bind", "connect", "accept", "accept4", "getsockname", "getpeername", "socketpair",
	"setsockopt", "getsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "pipe2"}

func init() {
	workloads = append(workloads,
		workload{name: "sockets-nv", setup: ccWorkload("sockets", socketsC), opts: nvOpt, exact: nvSockCalls},
		workload{name: "messages-nv", setup: ccWorkload("messages", messagesC), opts: nvOpt, exact: nvSockCalls},
		workload{name: "waits-nv", setup: ccWorkload("waits", waitsC), opts: nvOpt, volatileSignals: true,
			exact: []string{"sysinfo", "waitid", "wait4", "pipe2", "prlimit64", "getcpu"}},
		workload{name: "crash-nv", setup: ccWorkload("crash", crashC), opts: nvOpt, volatileSignals: true,
			exact: []string{"wait4"}},
		workload{name: "threads-nv", setup: ccWorkload("threads", threadsC, "-pthread"), opts: nvOpt, volatile: []string{"futex"},
			exact: []string{"clone3", "rt_sigprocmask", "prlimit64"}},
		workload{name: "arrays-nv", setup: ccWorkload("arrays", arraysC), opts: nvOpt,
			exact: []string{"poll", "setgroups", "getgroups", "readv", "writev"}},
		workload{name: "ls-nv", argv: []string{"ls", "-la", "/usr/share"}, opts: nvOpt,
			exact: []string{"getdents64", "connect", "socket", "fstat", "newfstatat", "statx", "ioctl", "fcntl"}},
		workload{name: "ipc-nv", setup: ccWorkload("ipc", ipcC), opts: nvOpt,
			mask:  nvIPCMask,
			exact: []string{"msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl", "shmget", "shmat", "shmdt", "shmctl"}},
		workload{name: "ioctls-nv", setup: ccWorkload("ioctlsv4l2kd", ioctlsV4l2KdC), opts: nvOpt, exact: []string{"ioctl"}},
		workload{name: "nonverbose", setup: ccWorkload("nonverbose", nonverboseC), opts: nvOpt, mask: nvIPCMask, exact: []string{
			"statfs", "fstatfs", "getrusage", "setitimer", "getitimer", "adjtimex", "uname", "sigaltstack", "rt_sigaction",
			"rt_sigprocmask", "rt_sigpending", "rt_sigtimedwait", "timerfd_settime", "timerfd_gettime", "epoll_ctl",
			"epoll_wait", "ioctl", "getresuid", "getresgid", "getcpu", "sendfile", "splice", "preadv", "sched_getparam",
			"sched_getaffinity", "nanosleep", "select", "ppoll", "signalfd4", "prctl", "getgroups", "timer_create",
			"timer_settime", "timer_gettime", "rt_sigqueueinfo", "mq_open", "mq_getsetattr", "mq_timedsend",
			"get_mempolicy", "set_mempolicy", "process_vm_readv", "io_setup", "io_getevents", "sched_rr_get_interval",
			"clock_nanosleep", "utimensat", "futex", "socketpair", "getsockopt", "pidfd_send_signal", "sched_getattr", "waitid"}},
	)
}

// nonverboseC makes calls whose structures, arrays and pointed-to numbers
// strace prints as addresses under -e verbose=none (statfs, epoll,
// printnum_* outputs, offsets, mq_attr, timers, utimensat's times...),
// and some whose strings or results still print.
const nonverboseC = `#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <linux/aio_abi.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
static void part1(void) {
	struct statfs sf; struct rusage ru; struct timeval tv; struct timespec ts; struct itimerval it = {{0,0},{0,0}};
	struct rlimit rl; struct timex tx = {0}; struct utsname un; stack_t ss; struct sigaction sa;
	sigset_t set; struct itimerspec its = {{0,0},{0,0}}; struct epoll_event ev = {EPOLLIN, {0}}; int n, fds[2];
	uid_t r, e, s; unsigned cpu, node; off_t off = 0; loff_t lo = 0; struct iovec iov; char buf[16];
	struct sched_param sp; cpu_set_t cs; fd_set rfds;
	statfs("/", &sf); fstatfs(0, &sf);
	getrusage(RUSAGE_SELF, &ru); gettimeofday(&tv, 0); clock_gettime(CLOCK_REALTIME, &ts); clock_getres(CLOCK_REALTIME, &ts);
	setitimer(ITIMER_REAL, &it, &it); getitimer(ITIMER_REAL, &it);
	getrlimit(RLIMIT_NOFILE, &rl); setrlimit(RLIMIT_NOFILE, &rl); syscall(SYS_adjtimex, &tx); uname(&un);
	sigaltstack(0, &ss); memset(&sa, 0, sizeof sa); sigaction(SIGUSR1, &sa, &sa); sigemptyset(&set); sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &set); sigpending(&set); ts.tv_sec = 0; ts.tv_nsec = 1000; sigtimedwait(&set, 0, &ts);
	n = timerfd_create(CLOCK_MONOTONIC, 0); timerfd_settime(n, 0, &its, &its); timerfd_gettime(n, &its);
	int ep = epoll_create1(0); pipe(fds); epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev); write(fds[1], "x", 1); epoll_wait(ep, &ev, 1, 0);
	ioctl(fds[0], FIONREAD, &n); getresuid(&r, &e, &s); getresgid(&r, &e, &s); syscall(SYS_getcpu, &cpu, &node, 0);
	int f = open("/etc/hostname", O_RDONLY); sendfile(fds[1], f, &off, 1); lseek(f, 0, SEEK_SET);
	splice(f, &lo, fds[1], 0, 1, 0); iov.iov_base = buf; iov.iov_len = 4; preadv(f, &iov, 1, 0);
	sched_getparam(0, &sp); sched_getaffinity(0, sizeof cs, &cs); nanosleep(&ts, &ts);
	FD_ZERO(&rfds); FD_SET(fds[0], &rfds); tv.tv_sec = 0; tv.tv_usec = 0; select(fds[0] + 1, &rfds, 0, 0, &tv);
	struct pollfd pf = {fds[0], POLLIN, 0}; ppoll(&pf, 1, &ts, &set);
	int sfd = signalfd(-1, &set, 0); prctl(PR_GET_PDEATHSIG, &n); getgroups(0, 0);
	
	}
static void part2(void) {
	timer_t t; struct sigevent se; struct itimerspec its = {{0,0},{0,0}}; struct timespec ts = {0, 1000}, tss[2] = {{0,0},{0,0}};
	siginfo_t si; struct mq_attr ma = {0, 4, 16, 0}; unsigned long nm[2] = {1, 0}; int mode; char buf[32];
	struct iovec liov = {buf, 4}, riov = {buf + 8, 4}; aio_context_t ctx = 0; struct io_event evs[1];
	memset(&se, 0, sizeof se); se.sigev_notify = SIGEV_NONE;
	syscall(SYS_timer_create, CLOCK_MONOTONIC, &se, &t); syscall(SYS_timer_settime, t, 0, &its, &its); syscall(SYS_timer_gettime, t, &its);
	memset(&si, 0, sizeof si); si.si_code = -1; si.si_signo = SIGUSR1;
	signal(SIGUSR1, SIG_IGN); syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si);
	mqd_t q = mq_open("/eproc-nv", O_CREAT | O_RDWR, 0600, &ma); mq_getattr(q, &ma); mq_setattr(q, &ma, &ma);
	mq_timedsend(q, "hi", 2, 0, &ts); mq_unlink("/eproc-nv");
	syscall(SYS_get_mempolicy, &mode, nm, 64, 0, 0); syscall(SYS_set_mempolicy, 1, nm, 64);
	syscall(SYS_process_vm_readv, getpid(), &liov, 1, &riov, 1, 0);
	syscall(SYS_io_setup, 1, &ctx); syscall(SYS_io_getevents, ctx, 0, 1, evs, &ts); syscall(SYS_io_destroy, ctx);
	syscall(SYS_sched_rr_get_interval, 0, &ts); syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, &ts);
	utimensat(AT_FDCWD, "/nonexistent", tss, 0);
	int fut = 0; syscall(SYS_futex, &fut, FUTEX_WAIT, 1, &ts, 0, 0);
	int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv); struct ucred uc; socklen_t l = sizeof uc; getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &l);
	int ss = semget(IPC_PRIVATE, 1, 0600); struct sembuf sb = {0, 1, 0}; semop(ss, &sb, 1); unsigned short vals[1]; semctl(ss, 0, GETALL, vals); semctl(ss, 0, IPC_RMID);
	int pfd = syscall(SYS_pidfd_open, getpid(), 0); syscall(SYS_pidfd_send_signal, pfd, 0, &si, 0);
	struct timespec rem; syscall(SYS_nanosleep, &ts, &rem);
	syscall(SYS_sched_getattr, 0, buf, 32, 0);
	sigset_t set; sigemptyset(&set); struct timespec z = {0,0}; syscall(SYS_rt_sigtimedwait, &set, &si, &z, 8);
	syscall(SYS_waitid, P_ALL, 0, &si, WEXITED|WNOHANG, 0);
	}
int main(void) {
	part1();
	part2();
	return 0;
}
`
