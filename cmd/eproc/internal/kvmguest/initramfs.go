package kvmguest

// The guest's initramfs: busybox, the modules, the test's programs and an
// /init script around the test's scenario.

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// File is one entry of an initramfs: a regular file (from Src or Data),
// a directory, or a character device.
type File struct {
	Name         string // path in the guest, without the leading /
	Mode         uint32 // permission bits and type (syscall.S_IFREG etc.)
	Src          string // host file to copy, for regular files
	Data         []byte // contents, for regular files without Src
	Major, Minor uint32 // for devices
}

// Initramfs writes the run's initramfs and returns its path: /init (Init's
// script around body, also kept as init in the run directory for a look),
// a static busybox of the guest's architecture as /bin/busybox, files, the
// directories /proc, /sys, /tmp, /mnt, /root and /run (where eproc mount
// puts its trace socket), and k's modules in /lib/modules.
func (l *Lab) Initramfs(k *Kernel, body string, files ...File) string {
	l.t.Helper()
	run := l.RunDir()
	init := Init(l.Arch, k.Modules, body)
	os.WriteFile(filepath.Join(run, "init"), []byte(init), 0o755)
	busybox := l.Tools["busybox"]
	if l.Arch.BusyboxPkg != "" {
		busybox = filepath.Join(l.Deb(l.Arch.BusyboxPkg), "bin", "busybox")
	}
	all := []File{
		{Name: "init", Mode: 0o755, Data: []byte(init)},
		{Name: "bin/busybox", Mode: 0o755, Src: busybox},
	}
	all = append(all, files...)
	for _, d := range []string{"proc", "sys", "tmp", "mnt", "root", "run"} {
		all = append(all, File{Name: d, Mode: syscall.S_IFDIR | 0o755})
	}
	for _, m := range k.Modules {
		all = append(all, File{Name: "lib/modules/" + m.Name + ".ko", Mode: 0o644, Src: m.Path})
	}
	initrd := filepath.Join(run, "initramfs.cpio")
	if err := WriteInitramfs(initrd, all); err != nil {
		l.t.Fatal(err)
	}
	return initrd
}

// WriteInitramfs writes an uncompressed newc cpio archive (the kernel
// unpacks it faster under TCG than a compressed one) holding files, the
// directories they need, and /dev/console.
func WriteInitramfs(path string, files []File) error {
	var all []File
	dirs := map[string]bool{}
	var addDir func(d string)
	addDir = func(d string) {
		if d == "." || d == "" || dirs[d] {
			return
		}
		addDir(filepath.Dir(d))
		dirs[d] = true
		all = append(all, File{Name: d, Mode: syscall.S_IFDIR | 0o755})
	}
	files = append([]File{{Name: "dev/console", Mode: syscall.S_IFCHR | 0o600, Major: 5, Minor: 1}}, files...)
	for _, f := range files {
		if f.Mode&syscall.S_IFMT == syscall.S_IFDIR {
			addDir(f.Name)
			continue
		}
		addDir(filepath.Dir(f.Name))
		all = append(all, f)
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	w := &cpioWriter{w: bufio.NewWriterSize(out, 1<<20), ino: 1}
	for _, f := range all {
		data := f.Data
		if f.Src != "" {
			if data, err = os.ReadFile(f.Src); err != nil {
				out.Close()
				return err
			}
		}
		if f.Mode&syscall.S_IFMT == 0 {
			f.Mode |= syscall.S_IFREG
		}
		if f.Mode&syscall.S_IFMT != syscall.S_IFREG {
			data = nil
		}
		w.entry(f.Name, f.Mode, len(data), f.Major, f.Minor)
		w.w.Write(data)
		w.pad(len(data))
	}
	w.entry("TRAILER!!!", 0, 0, 0, 0)
	if err := w.w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// cpioWriter writes newc headers, numbering the inodes.
type cpioWriter struct {
	w   *bufio.Writer
	ino int
}

// pad pads to 4 bytes what is n bytes long.
func (c *cpioWriter) pad(n int) {
	for ; n%4 != 0; n++ {
		c.w.WriteByte(0)
	}
}

// entry writes the header and name of one entry; its data follow.
func (c *cpioWriter) entry(name string, mode uint32, size int, major, minor uint32) {
	fmt.Fprintf(c.w, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		c.ino, mode, 0, 0, 1, 0, size, 0, 0, major, minor, len(name)+1, 0)
	c.w.WriteString(name)
	c.w.WriteByte(0)
	c.pad(110 + len(name) + 1)
	c.ino++
}

// Init returns an /init script: it mounts proc, sys, devtmpfs and tracefs,
// loads the modules in order, opens the results port, runs body, prints
// ==== DONE ==== and powers off. body can use:
//
//	section NAME CMD...  run CMD, its output between ==== BEGIN NAME ==== and
//	                     ==== END NAME ==== on the results port
//	note TEXT            a line on the results port (section "notes")
//	waitfor SECS CMD...  retry CMD every 0.1 s until it succeeds; 1 on timeout
//	$T                   the tracefs directory
//
// The results port is arch's ResultsDev (amd64: the second serial port,
// /dev/ttyS1), free of kernel messages; the console (ttyS0) gets
// everything else. Its driver may be a module: the modules are loaded
// before it is opened, their failures noted after.
func Init(arch *Arch, modules []Module, body string) string {
	var b strings.Builder
	b.WriteString(`#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs /sys/kernel/tracing
mkdir -p /tmp /mnt
mount -t tmpfs tmpfs /tmp
T=/sys/kernel/tracing
section() { name=$1; shift; echo "==== BEGIN $name ====" >&3; "$@" >&3 2>&1; echo "==== END $name ====" >&3; }
note() { echo "$*"; echo "==== BEGIN notes ====" >&3; echo "$*" >&3; echo "==== END notes ====" >&3; }
waitfor() {
	n=$(($1 * 10)); shift
	until "$@" >/dev/null 2>&1; do
		n=$((n - 1)); [ $n -le 0 ] && return 1
		sleep 0.1
	done
}
echo "init: $(cat /proc/uptime | cut -d' ' -f1)s after boot"
`)
	b.WriteString("failed=\nfor m in")
	for _, m := range modules {
		b.WriteString(" " + m.Name)
	}
	b.WriteString("; do insmod /lib/modules/$m.ko || failed=\"$failed $m\"; done\n")
	fmt.Fprintf(&b, "R=%s\nwaitfor 10 test -e $R || echo \"no $R after 10 s\"\n", arch.ResultsDev)
	b.WriteString("stty -F $R raw -echo 2>/dev/null\nexec 3>$R\n")
	b.WriteString("[ -z \"$failed\" ] || note \"insmod failed:$failed\"\n")
	b.WriteString(body)
	b.WriteString("\necho '==== DONE ====' >&3\nsync\npoweroff -f\n")
	return b.String()
}
