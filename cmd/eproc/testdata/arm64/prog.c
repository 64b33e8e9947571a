/* prog: a freestanding arm64 program (no libc: clang and lld cross-build
 * it without an arm64 sysroot) that makes the calls whose names or argument
 * orders are arm64's own, for TestArm64Guest to compare eproc's trace of it
 * with the guest's strace:
 *
 *   clone's order is (flags, stack, parent_tid, tls, child_tid) on arm64,
 *   (flags, stack, parent_tid, child_tid, tls) on x86-64: a fork-like
 *   clone with CLONE_SETTLS shows both pointers and the tls;
 *   arm64 has no open, pipe, dup2, poll, mkdir, unlink, rename: only their
 *   *at and 2/3 forms; fadvise64 takes 4 arguments (x86's too, but it is
 *   nr 223 here); ppoll and the tid calls.
 *
 * Every value it prints is fixed, so that the two traces compare line by
 * line once the pids and addresses are normalized.
 */
typedef unsigned long u64;

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}
#define sys(nr, ...) sys6_(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sys6_(nr, a, b, c, d, e, f, ...) sys6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* arm64's numbers (asm-generic/unistd.h). */
enum {
	NR_dup3 = 24, NR_mkdirat = 34, NR_unlinkat = 35, NR_renameat2 = 276,
	NR_openat = 56, NR_close = 57, NR_pipe2 = 59, NR_read = 63, NR_write = 64,
	NR_ppoll = 73, NR_exit_group = 94, NR_gettid = 178, NR_getpid = 172,
	NR_clone = 220, NR_fadvise64 = 223, NR_wait4 = 260,
};
#define AT_FDCWD -100
#define O_RDONLY 0
#define O_CLOEXEC 02000000
#define AT_REMOVEDIR 0x200
#define CLONE_SETTLS 0x80000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_SETTID 0x1000000
#define SIGCHLD 17

static int ptid, ctid, status;
static char buf[64];
struct pollfd { int fd; short events, revents; };

void _start(void)
{
	int p[2];
	long fd = sys(NR_openat, AT_FDCWD, "/proc/self/comm", O_RDONLY | O_CLOEXEC);
	sys(NR_read, fd, buf, sizeof buf);
	sys(NR_fadvise64, fd, 0, 100, 2 /* POSIX_FADV_SEQUENTIAL */);
	sys(NR_dup3, fd, 10, O_CLOEXEC);
	sys(NR_close, 10);
	sys(NR_close, fd);
	sys(NR_pipe2, p, O_CLOEXEC);
	sys(NR_write, p[1], "arm64\n", 6);
	struct pollfd pfd = { .fd = p[0], .events = 1 /* POLLIN */ };
	sys(NR_ppoll, &pfd, 1, 0, 0, 8);
	sys(NR_mkdirat, AT_FDCWD, "/tmp/prog.d", 0755);
	sys(NR_renameat2, AT_FDCWD, "/tmp/prog.d", AT_FDCWD, "/tmp/prog.e", 1 /* RENAME_NOREPLACE */);
	sys(NR_unlinkat, AT_FDCWD, "/tmp/prog.e", AT_REMOVEDIR);
	sys(NR_getpid, 0);
	sys(NR_gettid, 0);
	long pid = sys(NR_clone, CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | SIGCHLD,
		       0, &ptid, 0x7e57, &ctid);
	if (pid == 0)
		sys(NR_exit_group, 3);
	sys(NR_wait4, pid, &status, 0, 0);
	sys(NR_exit_group, 0);
}
