package strace

// Oracle workload of file handles: name_to_handle_at (a handle too small,
// EOVERFLOW and the size the kernel wants; one large enough; a path that
// does not exist; a handle and a mount_id that cannot be read or
// written) and open_by_handle_at (the handle got, a bad mount descriptor,
// a handle_bytes over MAX_HANDLE_SZ, cut "...", NULL), every line
// asserted against strace 6.1's. strace's own file_handle test skips itself on kernels that know
// AT_HANDLE_MNT_ID_UNIQUE (its first call expects EINVAL for flag 0x1).

func init() {
	workloads = append(workloads,
		workload{name: "fhandle", setup: ccWorkload("fhandle", fhandleC),
			exact: []string{"name_to_handle_at", "open_by_handle_at"}},
	)
}

const fhandleC = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
	struct file_handle *h = malloc(sizeof(*h) + 200);
	int mid, fd, r;
	close(open("f", O_CREAT | O_WRONLY, 0600));
	h->handle_bytes = 0;
	syscall(SYS_name_to_handle_at, AT_FDCWD, "f", h, &mid, 0);
	h->handle_bytes = 128;
	syscall(SYS_name_to_handle_at, AT_FDCWD, "f", h, &mid, AT_SYMLINK_FOLLOW);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	r = syscall(SYS_open_by_handle_at, fd, h, O_RDONLY | O_CLOEXEC);
	close(r);
	syscall(SYS_open_by_handle_at, -1, h, O_RDWR);
	h->handle_bytes = 200;
	syscall(SYS_open_by_handle_at, fd, h, O_RDONLY);
	syscall(SYS_open_by_handle_at, fd, NULL, O_RDONLY);
	syscall(SYS_name_to_handle_at, fd, "nonexistent", h, &mid, AT_EMPTY_PATH);
	syscall(SYS_name_to_handle_at, fd, "f", (void *)8, NULL, 0);
	h->handle_bytes = 128;
	syscall(SYS_name_to_handle_at, fd, "f", h, (void *)8, 0);
	return 0;
}
`
