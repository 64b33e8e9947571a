package strace

// Oracle workload of the exec path: programs an interpreter runs (a "#!"
// script, one with an interpreter argument, a script whose interpreter is a
// script, two levels of that, env's PATH search), which the kernel hands an
// argv of its own (the interpreter's in front, argv[0] gone) where strace
// prints the call's; argv[0] other than the path, empty, NULL, longer than
// -s, more elements than -s; execveat with AT_FDCWD, and with
// AT_EMPTY_PATH on a script's descriptor (and on a close-on-exec one, which
// the kernel refuses: ENOENT). Every execve and execveat line must equal
// strace 6.1's.

func init() {
	workloads = append(workloads,
		workload{name: "execscript", setup: ccWorkload("execscript", execscriptC),
			exact: []string{"execve", "execveat"}},
	)
}

const execscriptC = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
static void script(const char *name, const char *text) {
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	write(fd, text, __builtin_strlen(text));
	close(fd);
}
static void run(int at, int dirfd, const char *path, char **argv, int flags) {
	int st;
	if (fork() == 0) {
		if (at)
			syscall(SYS_execveat, dirfd, path, argv, environ, flags);
		else
			syscall(SYS_execve, path, argv, environ);
		_exit(127);
	}
	wait(&st);
}
int main(void) {
	script("s1", "#!/bin/true\n");
	script("s2", "#!/bin/true -e\n");
	script("s3", "#!./s2 x\n");
	script("s4", "#!./s3\n");
	script("s5", "#!/usr/bin/env true\n");
	run(0, 0, "./s1", (char *[]){"./s1", NULL}, 0);
	run(0, 0, "./s2", (char *[]){"other", "a", "b", NULL}, 0);
	run(0, 0, "./s3", (char *[]){"./s3", "q", NULL}, 0);
	run(0, 0, "./s4", (char *[]){"four", "r", "s", NULL}, 0);
	run(0, 0, "./s5", (char *[]){"./s5", "t", NULL}, 0);
	run(0, 0, "./s1", (char *[]){NULL}, 0);
	run(0, 0, "./s1", NULL, 0);
	run(0, 0, "./s1", (char *[]){"an argv[0] longer than strace's thirty-two", "x", NULL}, 0);
	run(0, 0, "./s1", (char *[]){"", NULL}, 0);
	run(0, 0, "/bin/true", (char *[]){"plain", "u", NULL}, 0);
	run(0, 0, "/bin/true", NULL, 0);
	run(1, AT_FDCWD, "s2", (char *[]){"at", "v", NULL}, 0);
	int fd = open("s1", O_RDONLY);
	run(1, fd, "", (char *[]){"fd", "w", NULL}, AT_EMPTY_PATH);
	int cfd = open("s1", O_RDONLY | O_CLOEXEC);
	run(1, cfd, "", (char *[]){"cloexec", NULL}, AT_EMPTY_PATH);
	char *many[42];
	many[0] = "./s2";
	for (int i = 1; i < 41; i++)
		many[i] = "m";
	many[41] = NULL;
	run(0, 0, "./s2", many, 0);
	run(0, 0, "./missing", (char *[]){"./missing", NULL}, 0);
	return 0;
}
`
