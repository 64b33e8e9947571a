package main

// TestArm64Guest boots Debian 12's arm64 kernel under qemu-system-aarch64
// (software emulation, QEMU's virt machine) and runs eproc built for arm64
// there, where only an arm64 kernel can prove them: that the arm64 BPF
// objects load and attach, and that the syscall names and argument orders
// are arm64's (no open, no fork; clone puts tls before child_tid). One
// command, busybox's sh, ls and cat and testdata/arm64/prog.c (the calls
// arm64 names or orders its own way), runs under the guest's own strace
// (Debian's strace:arm64), under `eproc trace -f`, and in the view after
// straceall; the three traces are compared line by line, process by
// process, pids and addresses normalized (arm64_check_test.go).
//
// The lab is internal/kvmguest's, for kvmguest.ARM64: the kernel, busybox,
// strace and libc are Debian packages of arm64 (scripts/test-deps.sh adds
// the architecture to dpkg), prog is built by clang and lld without a
// sysroot.

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eproc/eproc/cmd/eproc/internal/kvmguest"
)

// arm64Cmd is the command the three tracers trace, under /bin/sh -c (the
// path: busybox's sh would exec "sh" through /proc/self/exe): a fork and
// exec per program, one after the other (no pipe: the order of each
// process's lines is then the program's alone).
const arm64Cmd = "ls -l /lib /bin/busybox; cat /proc/version; /prog; " +
	"cp /proc/version /tmp/v; ln -s /tmp/v /tmp/l; readlink /tmp/l; stat -c %s /tmp/l; rm /tmp/v /tmp/l; " +
	"mkdir -p /tmp/a/b; rmdir /tmp/a/b /tmp/a; sleep 0.01; id; uname -m; env -i true; kill -0 $$; " +
	"touch /tmp/t; chmod 600 /tmp/t; rm /tmp/t; find /lib -maxdepth 1 -type d; " +
	// A script: execve's argv is the call's, not the one the kernel
	// gives the interpreter (read at the syscall's entry on 6.1).
	"echo \"#!/bin/sh -e\" > /tmp/s; chmod 755 /tmp/s; /tmp/s a; rm /tmp/s"

// arm64Scenario is the body of /init. The tracers start from the same pid
// (ns_last_pid) so that their pids are alike; /root is the working
// directory, which none of them writes in.
const arm64Scenario = `
mkdir -p /tmp/o /mnt/eproc
cd /root
section uname uname -a
uptime() { cut -d' ' -f1 /proc/uptime; }

echo 30000 > /proc/sys/kernel/ns_last_pid
strace -f -o /tmp/o/strace /bin/sh -c "$C" > /tmp/o/strace.out 2>&1; echo "exit=$?" >> /tmp/o/strace.out
echo 30000 > /proc/sys/kernel/ns_last_pid
t0=$(uptime)
/eproc trace -f -o /tmp/o/eproc /bin/sh -c "$C" > /tmp/o/eproc.out 2>&1; echo "exit=$?" >> /tmp/o/eproc.out
echo "eproc trace ran: $t0 -> $(uptime) s" > /tmp/o/times
section strace cat /tmp/o/strace
section strace_out cat /tmp/o/strace.out
section eproc cat /tmp/o/eproc
section eproc_out cat /tmp/o/eproc.out

# The view (its log in /tmp/o: the command stats /tmp): straceall, then (once a reader has the stream open) exec the
# command, in the foreground as under the tracers; the stream hangs up
# when it exits. The reader is a helper in the background.
t0=$(uptime)
/eproc mount /mnt/eproc > /tmp/o/eproc.log 2>&1 &
eproc=$!
if waitfor 120 test -e /mnt/eproc/self; then
	echo "eproc mount ready: $t0 -> $(uptime) s" >> /tmp/o/times
	mkfifo /tmp/o/go
	(
		waitfor 30 test -s /tmp/o/view.pid || note "view: the command did not start in 30 s"
		pid=$(cat /tmp/o/view.pid)
		waitfor 30 grep -q StraceSession /mnt/eproc/$pid/status || note "view: no StraceSession in /mnt/eproc/$pid/status after 30 s"
		cat /mnt/eproc/$pid/strace > /tmp/o/view 2>/tmp/o/view.err &
		cat=$!
		waitfor 30 sh -c "ls -l /proc/$cat/fd | grep -q /strace" || note "view: cat did not open the strace file in 30 s"
		echo go > /tmp/o/go
		waitfor 60 sh -c "! kill -0 $cat" || { note "view: cat strace still running 60 s after the command exited"; kill $cat; }
		wait $cat; echo "cat exit=$?" >> /tmp/o/view.err
	) &
	helper=$!
	sh -c 'echo $$ > /tmp/o/view.pid && echo straceall > /mnt/eproc/$$/ctl && read x < /tmp/o/go && exec /bin/sh -c "$1"' sh "$C" > /tmp/o/view.out 2>&1
	echo "exit=$?" >> /tmp/o/view.out
	wait $helper
	echo "view done: $(uptime) s" >> /tmp/o/times
	section view_pid cat /tmp/o/view.pid
	section view cat /tmp/o/view
	section view_out cat /tmp/o/view.out
	section view_err cat /tmp/o/view.err
else
	note "view: eproc mount not ready after 120 s"
fi
kill $eproc 2>/dev/null
waitfor 20 sh -c "! kill -0 $eproc" || note "eproc did not exit on SIGTERM"
section eproc_log cat /tmp/o/eproc.log
section times cat /tmp/o/times
`

func TestArm64Guest(t *testing.T) {
	t0 := time.Now()
	lab := kvmguest.New(t, kvmguest.ARM64, "clang", "ld.lld")
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	k := lab.Kernel("fuse")

	t1 := time.Now()
	run := lab.RunDir()
	eproc := filepath.Join(run, "eproc")
	kvmguest.Run(t, repo, []string{"GOARCH=arm64", "CGO_ENABLED=0"}, lab.Tools["go"], "build", "-o", eproc, "./cmd/eproc")
	prog := filepath.Join(run, "prog")
	kvmguest.Run(t, "", nil, lab.Tools["clang"], "--target=aarch64-linux-gnu", "-O2", "-Wall", "-Werror",
		"-ffreestanding", "-fno-stack-protector", "-nostdlib", "-static", "-fuse-ld=lld",
		"-o", prog, filepath.Join("testdata", "arm64", "prog.c"))
	strace := lab.Deb("strace:arm64")
	libc := lab.Deb("libc6:arm64")
	lib := filepath.Join(libc, "lib", "aarch64-linux-gnu")
	initrd := lab.Initramfs(k, "C='"+arm64Cmd+"'\n"+arm64Scenario,
		kvmguest.File{Name: "eproc", Mode: 0o755, Src: eproc},
		kvmguest.File{Name: "prog", Mode: 0o755, Src: prog},
		kvmguest.File{Name: "bin/strace", Mode: 0o755, Src: filepath.Join(strace, "usr", "bin", "strace")},
		// strace's dynamic linker, where its PT_INTERP looks, and libc.
		kvmguest.File{Name: "lib/ld-linux-aarch64.so.1", Mode: 0o755, Src: filepath.Join(lib, "ld-linux-aarch64.so.1")},
		kvmguest.File{Name: "lib/aarch64-linux-gnu/libc.so.6", Mode: 0o755, Src: filepath.Join(lib, "libc.so.6")})
	t.Logf("eproc, prog and initramfs built in %v", time.Since(t1).Round(time.Millisecond))

	res := lab.Boot(k, initrd)
	if !res.Done() {
		t.Errorf("the guest did not finish (err %v); console tail:\n%s", res.Err, kvmguest.Tail(res.Console, 60))
	}
	secs := res.Sections
	t.Logf("kernel in the guest: %s", strings.TrimSpace(secs["uname"]))
	t.Logf("times (guest uptime):\n%s", secs["times"])
	t.Run("trace", func(t *testing.T) { arm64CheckTrace(secs).Report(t) })
	t.Run("view", func(t *testing.T) { arm64CheckView(secs).Report(t) })
	t.Logf("TestArm64Guest took %v", time.Since(t0).Round(time.Millisecond))
}
