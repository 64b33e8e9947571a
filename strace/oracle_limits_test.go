package strace

// Oracle workloads of the rules strace prints by beyond the arguments'
// types: outputs the call did not write, strings of exactly -s bytes,
// arrays longer than -s elements. Their calls' lines are asserted one by
// one (workload.exact).

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func init() {
	workloads = append(workloads,
		workload{
			name: "sleeps", setup: ccWorkload("sleeps", sleepsC),
			exact: []string{"nanosleep", "clock_nanosleep", "clock_gettime"},
		},
		workload{
			name: "strings", setup: ccWorkload("strings", stringsC),
			exact: []string{"memfd_create", "removexattr"}, // and execve, a core call
		},
		workload{
			name: "arrays", setup: ccWorkload("arrays", arraysC),
			exact: []string{"poll", "setgroups", "getgroups", "readv", "writev"},
		},
		workload{
			name: "dents", setup: dentsSetup,
			exact: []string{"getdents64", "getdents"},
		},
	)
}

// dentsSetup makes directories of 500 and 3000 entries for dentsC: the
// entries are counted over all the bytes the kernel returned, far more
// than one capture (wire.MaxCap) holds.
func dentsSetup(t *testing.T, dir string) []string {
	for name, n := range map[string]int{"d500": 500, "d3000": 3000} {
		d := filepath.Join(dir, name)
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("file%d", i)), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ccWorkload("dents", dentsC)(t, dir)
}

// dentsC reads the directories with getdents64 (and the old getdents where
// there is one) through 32 KiB, 1 KiB and 256 KiB buffers to the end
// (0 entries), and fails: a bad fd, a buffer too small, not a directory.
const dentsC = `#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
static char buf[256 << 10];
static void all(long nr, const char *path, unsigned size) {
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	while (syscall(nr, fd, buf, size) > 0)
		;
	close(fd);
}
int main(void) {
	all(SYS_getdents64, "d500", 32768);
	all(SYS_getdents64, "d500", 1024);
	all(SYS_getdents64, "d3000", 32768);
	all(SYS_getdents64, "d3000", sizeof buf);
#ifdef SYS_getdents
	all(SYS_getdents, "d500", 32768);
	all(SYS_getdents, "d3000", sizeof buf);
#endif
	syscall(SYS_getdents64, -1, buf, 32768);
	int fd = open("d500", O_RDONLY | O_DIRECTORY);
	syscall(SYS_getdents64, fd, buf, 10);
	close(fd);
	fd = open("dents.c", O_RDONLY);
	syscall(SYS_getdents64, fd, buf, 32768);
	return 0;
}
`

// sleepsC sleeps whole, interrupted, absolute and invalid: nanosleep and
// clock_nanosleep write rem only when a relative sleep is interrupted.
const sleepsC = `#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
static void h(int s) { (void)s; }
static void arm(void) { struct itimerval it = {{0, 0}, {0, 100000}}; setitimer(ITIMER_REAL, &it, 0); }
int main(void) {
	struct timespec req = {0, 1000000}, rem = {7, 7}, big = {5, 0}, bad = {-2, -1}, abs;
	struct sigaction sa = {0};
	sa.sa_handler = h;
	sigaction(SIGALRM, &sa, 0);
	syscall(SYS_nanosleep, &req, &rem);
	syscall(SYS_nanosleep, &req, 0);
	syscall(SYS_nanosleep, &bad, &rem);
	arm(); syscall(SYS_nanosleep, &big, &rem);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, &rem);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 2, &req, &rem);
	arm(); syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &big, &rem);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &abs);
	abs.tv_nsec = 0;
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem);
	abs.tv_sec += 5;
	arm(); syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem);
	return 0;
}
`

// stringsC passes strings of 31, 32 and 33 bytes (-s is 32): the failed
// execve's argv comes from the call's own capture, not the exec record.
const stringsC = `#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/xattr.h>
#include <unistd.h>
#define S31 "0123456789012345678901234567890"
int main(void) {
	char *a[] = {"x", S31, S31 "1", S31 "12", 0};
	char *e[] = {0};
	memfd_create(S31, 0);
	memfd_create(S31 "1", 0);
	memfd_create(S31 "12", 0);
	removexattr("/nonexistent", "user.345678901234567890123456789");
	removexattr("/nonexistent", "user.3456789012345678901234567890");
	execve("/nonexistent", a, e);
	return 0;
}
`

// arraysC passes arrays of 32, 33, 40 and 70 elements: at most -s (32)
// are shown, then "...".
const arraysC = `#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>
int main(void) {
	struct pollfd p[70];
	struct iovec v[40];
	gid_t g[40], g2[64];
	char b[40];
	int fd = open("/dev/null", O_RDWR);
	for (int i = 0; i < 70; i++) { p[i].fd = i < 40 ? fd : -1; p[i].events = POLLIN; }
	for (int i = 0; i < 40; i++) { v[i].iov_base = b + i; v[i].iov_len = 1; b[i] = 'a' + i % 26; g[i] = i + 100; }
	poll(p, 32, 0);
	poll(p, 33, 0);
	poll(p, 70, 0);
	for (int i = 0; i < 40; i++) p[i].events = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	poll(p, 40, 0);
	writev(fd, v, 8);
	writev(fd, v, 40);
	setgroups(32, g);
	setgroups(40, g);
	getgroups(64, g2);
	char *a[41] = {0};
	for (int i = 0; i < 40; i++) a[i] = "a";
	char *e[] = {0};
	execve("/nonexistent", a, e);
	return 0;
}
`
