package strace

// Oracle workloads of strace's syscall classes (sysent_class_test.go): a
// program traced with -e trace= of classes whose members were wrong (mmap
// not %desc, prctl not %creds, arch_prctl %process, set_tid_address %pure;
// %fstatfs, %%stat, %%statfs rejected), and with -P on a file it maps
// (strace's -P takes mmap by its descriptor). Every line asserted.

func init() {
	workloads = append(workloads,
		workload{name: "classes", setup: ccWorkload("classes", classesC),
			opts:  []string{"-e", "trace=%desc,%creds,%process,%pure,%%stat,%%statfs,%fstatfs"},
			exact: []string{"mmap", "prctl", "fstatfs", "statfs", "newfstatat", "getuid", "openat", "close", "read"}},
		workload{name: "pathmmap", setup: ccWorkload("classes", classesC), opts: []string{"-P", "/etc/passwd"},
			exact: []string{"mmap", "openat", "close", "read"}},
	)
}

const classesC = `#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
int main(void) {
	struct statfs sf;
	struct stat st;
	char c;
	int fd = open("/etc/passwd", O_RDONLY);
	void *p = mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	fstatfs(-1, &sf);
	statfs("/nonexistent", &sf);
	stat("/etc/passwd", &st);
	prctl(PR_GET_DUMPABLE);
	getuid();
	read(fd, &c, 1);
	munmap(p, 4096);
	close(fd);
	return 0;
}
`
