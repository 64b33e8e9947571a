package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

type workload struct {
	name  string
	about string
	cmd   []string
	calls int // syscalls it makes, when that is fixed (0: not)
}

func makeWorkloads(dir string) []workload {
	build := filepath.Join(dir, "cproj")
	makeCProject(build, 96)
	threads := filepath.Join(dir, "threads")
	if err := makeThreads(threads); err != nil {
		fatal("build the threads workload: %v", err)
	}
	return []workload{
		{"dd", "dd bs=1 count=500000: 1M read/write syscalls", []string{"dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=500000", "status=none"}, 1000000},
		{"fork", "2000 x /bin/true from a shell", []string{"sh", "-c", "i=0; while [ $i -lt 2000 ]; do /bin/true; i=$((i+1)); done"}, 0},
		{"build", "make -j2 of a 96-file C project (clean first)", []string{"sh", "-c", "make -s -C " + build + " clean >/dev/null && make -s -j2 -C " + build}, 0},
		{"threads", "64 pthreads at once, 5000 x (1-byte write + sched_yield) each: 640k syscalls from both CPUs into one session", []string{threads}, 640000},
	}
}

// makeThreads builds the many-thread program: threads that make small
// syscalls all at once, from every CPU, into one session (its ring is shared
// by all of them).
func makeThreads(bin string) error {
	src := bin + ".c"
	os.WriteFile(src, []byte(`#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#define NT 64
#define N 5000
static int fd;
static void *run(void *a) {
	(void)a;
	for (int i = 0; i < N; i++) {
		write(fd, "x", 1);
		sched_yield();
	}
	return 0;
}
int main(void) {
	pthread_t t[NT];
	fd = open("/dev/null", O_WRONLY);
	for (int i = 0; i < NT; i++)
		pthread_create(&t[i], 0, run, 0);
	for (int i = 0; i < NT; i++)
		pthread_join(t[i], 0);
	return 0;
}
`), 0o644)
	out, err := exec.Command("cc", "-O2", "-pthread", "-o", bin, src).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

// makeCProject writes n small C files and a Makefile.
func makeCProject(dir string, n int) {
	os.MkdirAll(dir, 0o755)
	var objs []string
	for i := 0; i < n; i++ {
		src := fmt.Sprintf("#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\nint f%d(int x) { char b[64]; snprintf(b, sizeof b, \"%%d\", x); return (int)strlen(b) + x * %d; }\n", i, i)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.c", i)), []byte(src), 0o644)
		objs = append(objs, fmt.Sprintf("f%d.o", i))
	}
	var decl, calls strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&decl, "int f%d(int);\n", i)
		fmt.Fprintf(&calls, "s += f%d(%d);\n", i, i)
	}
	os.WriteFile(filepath.Join(dir, "main.c"), []byte(decl.String()+"int main(void) { int s = 0;\n"+calls.String()+"return s == 0; }\n"), 0o644)
	mk := "OBJS = main.o " + strings.Join(objs, " ") + "\nprog: $(OBJS)\n\tcc -o prog $(OBJS)\n%.o: %.c\n\tcc -O1 -c $<\nclean:\n\trm -f prog *.o\n"
	os.WriteFile(filepath.Join(dir, "Makefile"), []byte(mk), 0o644)
}
