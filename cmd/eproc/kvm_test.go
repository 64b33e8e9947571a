package main

// TestKVMGuest boots a Debian 12 kernel in QEMU (software emulation, with
// SVM exposed to the guest, so KVM works inside it), runs a tiny VMM
// (testdata/kvm/guest.c) that makes a known number of KVM exits, and checks
// what eproc reports about them (the vmstatus file and the KVM_EXIT lines of
// the strace stream) against the guest's own count and against tracefs.
//
// The helpers below are generic: kvmKernel fetches a packaged kernel and
// modules, kvmInitramfs packs files and an init script, kvmBoot runs QEMU with
// a hard timeout, kvmSections extracts what the init script printed between
// marker lines. The scenario lives in kvmScenario and TestKVMGuest.
//
// Environment: EPROC_KVM_CACHE (cache directory), EPROC_KVM_KERNEL (a
// linux-image-6.1.0-N-amd64 package to boot instead of the newest),
// EPROC_KVM_TIMEOUT (bound on the QEMU run, 6m by default).
//
// Everything reusable is cached in /var/cache/eproc-kvm (EPROC_KVM_CACHE):
// the kernel .deb and the files taken from it, per kernel version. eproc, the
// guest program and the initramfs are rebuilt on every run.

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	// kvmGuestIO is the number of `out` instructions the guest executes.
	kvmGuestIO = 1000
	// kvmBootTimeout bounds the whole QEMU run. A run takes about a minute
	// under TCG; eproc's BTF load is the slow part.
	kvmBootTimeout = 6 * time.Minute
	// kvmKernelSeries is the Debian kernel ABI series to boot: Debian 12's.
	kvmKernelSeries = "6.1.0"
)

// kvmModules are loaded in the guest, after their dependencies.
var kvmModules = []string{"kvm_amd", "fuse"}

// kvmNeed checks root and the host tools; it skips without them, but fails
// under CI=true. It returns the paths of the tools by name.
func kvmNeed(t *testing.T) map[string]string {
	t.Helper()
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root")
	}
	tools := map[string]string{}
	for _, name := range []string{"qemu-system-x86_64", "busybox", "gcc", "apt-get", "apt-cache", "dpkg-deb"} {
		p, err := exec.LookPath(name)
		if err != nil {
			missing = append(missing, name)
			continue
		}
		tools[name] = p
	}
	if p := tools["busybox"]; p != "" && !kvmIsStatic(p) {
		missing = append(missing, "a static busybox (busybox-static)")
	}
	if p := kvmGo(); p == "" {
		missing = append(missing, "go")
	} else {
		tools["go"] = p
	}
	if len(missing) > 0 {
		msg := "KVM guest test needs: " + strings.Join(missing, ", ") +
			" (apt-get install qemu-system-x86 busybox-static gcc libc6-dev)"
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true: " + msg)
		}
		t.Skip(msg)
	}
	if testing.Short() {
		t.Skip("boots a QEMU guest: not in -short")
	}
	return tools
}

// kvmGo finds the go command: on PATH, else in the running test's GOROOT.
func kvmGo() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	for _, root := range []string{os.Getenv("GOROOT"), "/usr/local/go"} {
		if p := filepath.Join(root, "bin", "go"); root != "" && kvmExists(p) {
			return p
		}
	}
	return ""
}

func kvmExists(p string) bool { _, err := os.Stat(p); return err == nil }

// kvmIsStatic reports whether the ELF file at p has no program interpreter.
func kvmIsStatic(p string) bool {
	f, err := elf.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return false
		}
	}
	return true
}

// kvmRun runs a command and returns its combined output, failing the test on
// error.
func kvmRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// kvmCacheDir returns the cache directory, created.
func kvmCacheDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("EPROC_KVM_CACHE")
	if dir == "" {
		dir = "/var/cache/eproc-kvm"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// kvmLock takes an exclusive lock on path (created) until unlock is called:
// test runs from several checkouts may share the cache.
func kvmLock(t *testing.T, path string) (unlock func()) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatal(err)
	}
	return func() { f.Close() }
}

// kvmKernelPkg is a Debian kernel image package unpacked (in part) in the
// cache: dir/vmlinuz and dir/modules/NAME.ko, taken from dir/PKG.deb.
type kvmKernelPkg struct {
	pkg, version string // linux-image-6.1.0-56-amd64, 6.1.0-56-amd64
	dir          string
	root         string // the .deb unpacked, once needed
}

var kvmPkgRE = regexp.MustCompile(`^linux-image-(` + regexp.QuoteMeta(kvmKernelSeries) + `-(\d+)-amd64)$`)

// kvmKernel picks the kernel package and makes sure its .deb and vmlinuz are
// in the cache: EPROC_KVM_KERNEL if set, else the newest of the series that
// apt knows of (after an apt-get update if it knows none, or if the download
// fails), else, offline, the newest already in the cache.
func kvmKernel(t *testing.T, tools map[string]string, cache string) *kvmKernelPkg {
	t.Helper()
	newest := func(names []string) string {
		best, bestN := "", -1
		for _, n := range names {
			if m := kvmPkgRE.FindStringSubmatch(strings.TrimSpace(n)); m != nil {
				if v, _ := strconv.Atoi(m[2]); v > bestN {
					best, bestN = m[0], v
				}
			}
		}
		return best
	}
	fromApt := func() string {
		out, _ := exec.Command(tools["apt-cache"], "pkgnames", "linux-image-"+kvmKernelSeries+"-").Output()
		return newest(strings.Split(string(out), "\n"))
	}
	fromCache := func() string {
		ents, _ := os.ReadDir(cache)
		var names []string
		for _, e := range ents {
			if kvmExists(filepath.Join(cache, e.Name(), "vmlinuz")) {
				names = append(names, e.Name())
			}
		}
		return newest(names)
	}
	aptUpdate := func() {
		t.Log("apt-get update")
		if out, err := exec.Command(tools["apt-get"], "update", "-qq").CombinedOutput(); err != nil {
			t.Logf("apt-get update: %v\n%s", err, out)
		}
	}
	forced := os.Getenv("EPROC_KVM_KERNEL")
	pkg := forced
	if pkg == "" {
		if pkg = fromApt(); pkg == "" {
			aptUpdate()
			pkg = fromApt()
		}
	}
	var errs []string
	for try := 0; try < 3 && pkg != ""; try++ {
		k, err := kvmKernelGet(t, tools, cache, pkg)
		if err == nil {
			return k
		}
		errs = append(errs, err.Error())
		switch {
		case forced != "":
			pkg = ""
		case try == 0:
			aptUpdate()
			pkg = fromApt()
		default:
			if c := fromCache(); c != pkg {
				t.Logf("using the cached %s", c)
				pkg = c
			} else {
				pkg = ""
			}
		}
	}
	t.Fatalf("no linux-image-%s-N-amd64 kernel could be had (Debian 12's): %s", kvmKernelSeries, strings.Join(errs, "; "))
	return nil
}

// kvmKernelGet makes sure pkg's vmlinuz is in the cache (unpacking its .deb,
// downloaded if needed).
func kvmKernelGet(t *testing.T, tools map[string]string, cache, pkg string) (*kvmKernelPkg, error) {
	t.Helper()
	m := kvmPkgRE.FindStringSubmatch(pkg)
	if m == nil {
		return nil, fmt.Errorf("%q: want linux-image-%s-N-amd64", pkg, kvmKernelSeries)
	}
	k := &kvmKernelPkg{pkg: pkg, version: m[1], dir: filepath.Join(cache, pkg)}
	if err := os.MkdirAll(k.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock := kvmLock(t, filepath.Join(k.dir, "lock"))
	defer unlock()
	if kvmExists(filepath.Join(k.dir, "vmlinuz")) {
		return k, nil
	}
	if _, err := k.download(t, tools); err != nil {
		os.RemoveAll(k.dir) // nothing cached for pkg
		return nil, err
	}
	src := filepath.Join(k.unpack(t, tools), "boot", "vmlinuz-"+k.version)
	if err := kvmCopyFile(src, filepath.Join(k.dir, "vmlinuz")); err != nil {
		t.Fatal(err)
	}
	return k, nil
}

// download returns the path of the package's .deb in the cache, fetching it
// with apt-get download if needed. The caller holds the lock.
func (k *kvmKernelPkg) download(t *testing.T, tools map[string]string) (string, error) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(k.dir, k.pkg+"_*.deb"))
	if len(matches) > 0 {
		return matches[0], nil
	}
	t0 := time.Now()
	cmd := exec.Command(tools["apt-get"], "download", "-q", k.pkg)
	cmd.Dir = k.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get download %s: %v: %s", k.pkg, err, bytes.TrimSpace(out))
	}
	matches, _ = filepath.Glob(filepath.Join(k.dir, k.pkg+"_*.deb"))
	if len(matches) == 0 {
		return "", fmt.Errorf("apt-get download %s left no .deb in %s", k.pkg, k.dir)
	}
	t.Logf("downloaded %s in %v", filepath.Base(matches[0]), time.Since(t0).Round(time.Millisecond))
	return matches[0], nil
}

// deb is download, failing the test on error.
func (k *kvmKernelPkg) deb(t *testing.T, tools map[string]string) string {
	t.Helper()
	p, err := k.download(t, tools)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// unpack unpacks the .deb once per test into a temporary directory, removed
// when the test ends, and returns it. The caller holds the lock.
func (k *kvmKernelPkg) unpack(t *testing.T, tools map[string]string) string {
	t.Helper()
	if k.root != "" {
		return k.root
	}
	deb := k.deb(t, tools)
	tmp, err := os.MkdirTemp(k.dir, "unpack-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	t0 := time.Now()
	kvmRun(t, "", nil, tools["dpkg-deb"], "-x", deb, tmp)
	t.Logf("unpacked %s in %v", filepath.Base(deb), time.Since(t0).Round(time.Millisecond))
	k.root = tmp
	return tmp
}

// kvmModule is a kernel module ready for insmod: uncompressed.
type kvmModule struct {
	name string // as the kernel names it: kvm_amd
	path string
}

// modules returns the named modules and everything they depend on, in load
// order, as uncompressed .ko files in the cache (taken from the .deb once).
func (k *kvmKernelPkg) modules(t *testing.T, tools map[string]string, names ...string) []kvmModule {
	t.Helper()
	unlock := kvmLock(t, filepath.Join(k.dir, "lock"))
	defer unlock()
	modDir := filepath.Join(k.dir, "modules")
	var order []kvmModule
	seen := map[string]bool{}
	var visit func(name string, stack []string)
	var index map[string]string
	visit = func(name string, stack []string) {
		name = strings.ReplaceAll(name, "-", "_")
		if seen[name] {
			return
		}
		if len(stack) > 20 {
			t.Fatalf("module dependency loop: %v", stack)
		}
		path := filepath.Join(modDir, name+".ko")
		if !kvmExists(path) {
			if index == nil {
				index = kvmModuleIndex(k.unpack(t, tools))
			}
			src, ok := index[name]
			if !ok {
				t.Fatalf("module %s is not in %s", name, k.pkg)
			}
			if err := os.MkdirAll(modDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := kvmDecompressModule(tools, src, path); err != nil {
				t.Fatal(err)
			}
		}
		deps, err := kvmModuleDeps(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range deps {
			visit(d, append(stack, name))
		}
		seen[name] = true
		order = append(order, kvmModule{name: name, path: path})
	}
	for _, n := range names {
		visit(n, nil)
	}
	return order
}

// kvmModuleIndex maps module names to their files under an unpacked root.
func kvmModuleIndex(root string) map[string]string {
	index := map[string]string{}
	filepath.WalkDir(filepath.Join(root, "lib", "modules"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		base := d.Name()
		for _, ext := range []string{".ko", ".ko.xz", ".ko.zst", ".ko.gz"} {
			if strings.HasSuffix(base, ext) {
				index[strings.ReplaceAll(strings.TrimSuffix(base, ext), "-", "_")] = p
			}
		}
		return nil
	})
	return index
}

// kvmDecompressModule writes the module at src to dst uncompressed
// (busybox's insmod takes plain .ko files only).
func kvmDecompressModule(tools map[string]string, src, dst string) error {
	var cmd *exec.Cmd
	switch {
	case strings.HasSuffix(src, ".ko"):
		return kvmCopyFile(src, dst)
	case strings.HasSuffix(src, ".xz"):
		cmd = exec.Command(tools["busybox"], "xz", "-dc", src)
	case strings.HasSuffix(src, ".gz"):
		cmd = exec.Command(tools["busybox"], "gzip", "-dc", src)
	case strings.HasSuffix(src, ".zst"):
		cmd = exec.Command("zstd", "-dc", src)
	}
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("decompressing %s: %v", src, err)
	}
	return kvmWriteFileAtomic(dst, out, 0o644)
}

// kvmModuleDeps reads the depends= entry of a module's .modinfo section.
func kvmModuleDeps(path string) ([]string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, fmt.Errorf("%s: no .modinfo section", path)
	}
	data, err := sec.Data()
	if err != nil {
		return nil, err
	}
	for _, kv := range bytes.Split(data, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte("depends=")); ok {
			if len(v) == 0 {
				return nil, nil
			}
			return strings.Split(string(v), ","), nil
		}
	}
	return nil, nil
}

func kvmCopyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return kvmWriteFileAtomic(dst, data, 0o644)
}

func kvmWriteFileAtomic(dst string, data []byte, mode os.FileMode) error {
	tmp := dst + ".tmp" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// kvmFile is one entry of an initramfs: a regular file (from src or data),
// a directory, or a character device.
type kvmFile struct {
	name         string // path in the guest, without the leading /
	mode         uint32 // permission bits and type (syscall.S_IFREG etc.)
	src          string // host file to copy, for regular files
	data         []byte // contents, for regular files without src
	major, minor uint32 // for devices
}

// kvmInitramfs writes an uncompressed newc cpio archive (the kernel unpacks
// it faster under TCG than a compressed one) holding files, the directories
// they need, and /dev/console.
func kvmInitramfs(path string, files []kvmFile) error {
	var all []kvmFile
	dirs := map[string]bool{}
	var addDir func(d string)
	addDir = func(d string) {
		if d == "." || d == "" || dirs[d] {
			return
		}
		addDir(filepath.Dir(d))
		dirs[d] = true
		all = append(all, kvmFile{name: d, mode: syscall.S_IFDIR | 0o755})
	}
	files = append([]kvmFile{{name: "dev/console", mode: syscall.S_IFCHR | 0o600, major: 5, minor: 1}}, files...)
	for _, f := range files {
		if f.mode&syscall.S_IFMT == syscall.S_IFDIR {
			addDir(f.name)
			continue
		}
		addDir(filepath.Dir(f.name))
		all = append(all, f)
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	ino := 1
	pad := func(n int) {
		for ; n%4 != 0; n++ {
			w.WriteByte(0)
		}
	}
	entry := func(name string, mode uint32, size int, major, minor uint32) {
		fmt.Fprintf(w, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			ino, mode, 0, 0, 1, 0, size, 0, 0, major, minor, len(name)+1, 0)
		w.WriteString(name)
		w.WriteByte(0)
		pad(110 + len(name) + 1)
		ino++
	}
	for _, f := range all {
		data := f.data
		if f.src != "" {
			if data, err = os.ReadFile(f.src); err != nil {
				out.Close()
				return err
			}
		}
		if f.mode&syscall.S_IFMT == 0 {
			f.mode |= syscall.S_IFREG
		}
		if f.mode&syscall.S_IFMT != syscall.S_IFREG {
			data = nil
		}
		entry(f.name, f.mode, len(data), f.major, f.minor)
		w.Write(data)
		pad(len(data))
	}
	entry("TRAILER!!!", 0, 0, 0, 0)
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// kvmInit returns an /init script: it mounts proc, sys, devtmpfs and tracefs,
// loads the modules in order, runs body, prints ==== DONE ==== and powers
// off. body can use:
//
//	section NAME CMD...  run CMD, its output between ==== BEGIN NAME ==== and
//	                     ==== END NAME ==== on the results port
//	note TEXT            a line on the results port (section "notes")
//	waitfor SECS CMD...  retry CMD every 0.1 s until it succeeds; 1 on timeout
//	$T                   the tracefs directory
//
// The results port is the second serial port (/dev/ttyS1), free of kernel
// messages; the console (ttyS0) gets everything else.
func kvmInit(modules []kvmModule, body string) string {
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
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1
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
	b.WriteString("for m in")
	for _, m := range modules {
		b.WriteString(" " + m.name)
	}
	b.WriteString("; do insmod /lib/modules/$m.ko || note \"insmod $m failed\"; done\n")
	b.WriteString(body)
	b.WriteString("\necho '==== DONE ====' >&3\nsync\npoweroff -f\n")
	return b.String()
}

// kvmBoot boots kernel with initrd under QEMU (TCG, SVM exposed to the
// guest) and returns the console (first serial port) and the results (second
// serial port), both kept in dir. QEMU is killed after timeout.
func kvmBoot(t *testing.T, qemu, dir, kernel, initrd string, timeout time.Duration) (console, results string, err error) {
	t.Helper()
	consolePath := filepath.Join(dir, "console.log")
	resultsPath := filepath.Join(dir, "results.txt")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, qemu,
		"-machine", "q35,accel=tcg", "-cpu", "qemu64,+svm", "-m", "1024",
		"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
		"-serial", "file:"+consolePath, "-serial", "file:"+resultsPath,
		"-kernel", kernel, "-initrd", initrd,
		"-append", "console=ttyS0 panic=-1")
	var qout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &qout, &qout
	// QEMU dies with the test binary too (go test's own -timeout).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	t0 := time.Now()
	err = cmd.Run()
	t.Logf("QEMU ran %v", time.Since(t0).Round(time.Millisecond))
	if ctx.Err() != nil {
		err = fmt.Errorf("QEMU killed after %v", timeout)
	} else if err != nil {
		err = fmt.Errorf("QEMU: %v: %s", err, qout.Bytes())
	}
	c, _ := os.ReadFile(consolePath)
	r, _ := os.ReadFile(resultsPath)
	strip := func(b []byte) string { return strings.ReplaceAll(string(b), "\r", "") }
	return strip(c), strip(r), err
}

// kvmSections parses "==== BEGIN name ====" ... "==== END name ====" blocks
// (lines may end in \r\n); a name seen more than once has its blocks joined.
func kvmSections(results string) map[string]string {
	secs := map[string]string{}
	var name string
	var cur []string
	in := false
	for _, line := range strings.Split(results, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if n, ok := strings.CutPrefix(line, "==== BEGIN "); ok && strings.HasSuffix(n, " ====") {
			name, cur, in = strings.TrimSuffix(n, " ===="), nil, true
			continue
		}
		if in && line == "==== END "+name+" ====" {
			if len(cur) > 0 {
				secs[name] += strings.Join(cur, "\n") + "\n"
			} else if _, ok := secs[name]; !ok {
				secs[name] = ""
			}
			in = false
			continue
		}
		if in {
			cur = append(cur, line)
		}
	}
	return secs
}

// kvmCounts parses `uniq -c` output ("   5 interrupt") into a map.
func kvmCounts(s string) map[string]int {
	m := map[string]int{}
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		if n, err := strconv.Atoi(f[0]); err == nil {
			m[strings.Join(f[1:], " ")] += n
		}
	}
	return m
}

// kvmReason normalizes an exit reason name so that tracefs's ("PF excp",
// "io") and eproc's spellings compare: lower case, without "excp".
func kvmReason(s string) string {
	var f []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == '_' }) {
		if w != "excp" {
			f = append(f, w)
		}
	}
	return strings.Join(f, "_")
}

func kvmNormCounts(m map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[kvmReason(k)] += v
	}
	return out
}

func kvmSortedKeys(ms ...map[string]int) []string {
	set := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			set[k] = true
		}
	}
	var keys []string
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// kvmScenario is the body of /init. Part a runs the guest without eproc and
// counts kvm_exit events with tracefs; part b runs it traced by eproc's view
// while tracefs counts again, as the oracle.
const kvmScenario = `
section uname uname -a
section btf ls /sys/kernel/btf
section kvm_exit_format cat $T/events/kvm/kvm_exit/format
tracecounts() {
	grep -c ' kvm_exit: ' $T/trace | sed 's/^/total /'
	sed -n 's/.* kvm_exit: .* reason \(.*\) rip 0x.*/\1/p' $T/trace | sort | uniq -c
}
[ -e /dev/kvm ] || note "no /dev/kvm"
echo 1 > $T/events/kvm/kvm_exit/enable || note "cannot enable kvm:kvm_exit"

# a: the guest alone; tracefs counts its exits.
echo > $T/trace
/guest $N > /tmp/a.out 2>&1 &
pid=$!
waitfor 60 grep -q '^guest:' /tmp/a.out || note "a: no guest: line after 60 s"
kill -USR1 $pid; wait $pid; echo "exit=$?" >> /tmp/a.out
section a_guest cat /tmp/a.out
section a_trace tracecounts
section a_trace_sample sh -c "grep ' kvm_exit: ' $T/trace | head -5; grep ' kvm_exit: .* reason io ' $T/trace | tail -2"

# b: the guest traced by eproc (straceall in its directory, then exec).
mkdir -p /mnt/eproc
t0=$(cut -d' ' -f1 /proc/uptime)
/eproc mount /mnt/eproc > /tmp/eproc.log 2>&1 &
eproc=$!
if waitfor 240 test -e /mnt/eproc/self; then
	echo "eproc mount ready: $t0 -> $(cut -d' ' -f1 /proc/uptime) s" > /tmp/b.times
	echo > $T/trace
	sh -c 'echo straceall > /mnt/eproc/$$/ctl && exec /guest '$N > /tmp/b.out 2>&1 &
	pid=$!
	echo $pid > /tmp/b.pid
	waitfor 30 grep -q StraceSession /mnt/eproc/$pid/status || note "b: no StraceSession in /mnt/eproc/$pid/status after 30 s"
	cat /mnt/eproc/$pid/strace > /tmp/strace.out 2>/tmp/strace.err &
	cat=$!
	waitfor 120 grep -q '^guest:' /tmp/b.out || note "b: no guest: line after 120 s"
	cat /mnt/eproc/$pid/vmstatus > /tmp/vmstatus 2>&1 || echo "exit=$?" >> /tmp/vmstatus
	kill -USR1 $pid; wait $pid; echo "exit=$?" >> /tmp/b.out
	waitfor 120 sh -c "! kill -0 $cat" || { note "b: cat strace still running 120 s after the guest exited"; kill $cat; }
	wait $cat; echo "cat exit=$?" >> /tmp/strace.err
	echo "guest done: $(cut -d' ' -f1 /proc/uptime) s" >> /tmp/b.times
	section b_pid cat /tmp/b.pid
	section b_vmstatus cat /tmp/vmstatus
	section b_guest cat /tmp/b.out
	section b_trace tracecounts
	section b_strace_err cat /tmp/strace.err
	section b_strace_size wc -lc /tmp/strace.out
	# All of it unless huge; then only the lines the checks read.
	if [ "$(wc -c < /tmp/strace.out)" -gt 8000000 ]; then
		section b_strace grep -E 'KVM_EXIT|ioctl\(|^Traced|\+\+\+' /tmp/strace.out
	else
		section b_strace cat /tmp/strace.out
	fi
	section b_times cat /tmp/b.times
else
	note "b: eproc mount not ready after 240 s"
fi
kill $eproc 2>/dev/null
waitfor 20 sh -c "! kill -0 $eproc" || note "eproc did not exit on SIGTERM"
section eproc_log cat /tmp/eproc.log
`

func TestKVMGuest(t *testing.T) {
	tools := kvmNeed(t)
	cache := kvmCacheDir(t)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}

	t0 := time.Now()
	k := kvmKernel(t, tools, cache)
	mods := k.modules(t, tools, kvmModules...)
	t.Logf("kernel %s (%s) and modules %v ready in %v", k.pkg, filepath.Base(k.deb(t, tools)), kvmModNames(mods), time.Since(t0).Round(time.Millisecond))

	run, err := os.MkdirTemp(cache, "run-")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			// Keep the last failed run's logs for a look.
			last := filepath.Join(cache, "last-failed")
			os.RemoveAll(last)
			os.MkdirAll(last, 0o755)
			for _, f := range []string{"console.log", "results.txt", "init"} {
				kvmCopyFile(filepath.Join(run, f), filepath.Join(last, f))
			}
			t.Logf("console and results kept in %s", last)
		}
		os.RemoveAll(run)
	}()

	t1 := time.Now()
	eproc := filepath.Join(run, "eproc")
	kvmRun(t, repo, []string{"CGO_ENABLED=0"}, tools["go"], "build", "-o", eproc, "./cmd/eproc")
	guest := filepath.Join(run, "guest")
	kvmRun(t, "", nil, tools["gcc"], "-static", "-O2", "-Wall", "-o", guest, filepath.Join("testdata", "kvm", "guest.c"))
	init := kvmInit(mods, "N="+strconv.Itoa(kvmGuestIO)+"\n"+kvmScenario)
	os.WriteFile(filepath.Join(run, "init"), []byte(init), 0o755)
	files := []kvmFile{
		{name: "init", mode: 0o755, data: []byte(init)},
		{name: "bin/busybox", mode: 0o755, src: tools["busybox"]},
		{name: "eproc", mode: 0o755, src: eproc},
		{name: "guest", mode: 0o755, src: guest},
	}
	for _, d := range []string{"proc", "sys", "tmp", "mnt", "root"} {
		files = append(files, kvmFile{name: d, mode: syscall.S_IFDIR | 0o755})
	}
	for _, m := range mods {
		files = append(files, kvmFile{name: "lib/modules/" + m.name + ".ko", mode: 0o644, src: m.path})
	}
	initrd := filepath.Join(run, "initramfs.cpio")
	if err := kvmInitramfs(initrd, files); err != nil {
		t.Fatal(err)
	}
	t.Logf("eproc, guest and initramfs built in %v", time.Since(t1).Round(time.Millisecond))

	timeout := kvmBootTimeout
	if d, err := time.ParseDuration(os.Getenv("EPROC_KVM_TIMEOUT")); err == nil {
		timeout = d
	}
	console, results, err := kvmBoot(t, tools["qemu-system-x86_64"], run, filepath.Join(k.dir, "vmlinuz"), initrd, timeout)
	secs := kvmSections(results)
	if err != nil || !strings.Contains(results, "==== DONE ====") {
		t.Errorf("the guest did not finish (err %v); console tail:\n%s", err, kvmTail(console, 60))
	}
	if n := secs["notes"]; n != "" {
		t.Logf("init notes:\n%s", n)
	}
	if m := regexp.MustCompile(`(?m)^init: (\S+)s after boot`).FindStringSubmatch(console); m != nil {
		t.Logf("init started %ss after the kernel", m[1])
	}
	t.Logf("kernel in the guest: %s", strings.TrimSpace(secs["uname"]))
	t.Logf("kvm:kvm_exit format in the guest:\n%s", secs["kvm_exit_format"])

	t.Logf("kvm_exit events in tracefs, a sample:\n%s", secs["a_trace_sample"])
	t.Run("a_tracefs", func(t *testing.T) { kvmCheckA(secs).report(t) })
	t.Run("b_eproc", func(t *testing.T) { kvmCheckB(secs).report(t) })
}

func kvmModNames(mods []kvmModule) []string {
	var n []string
	for _, m := range mods {
		n = append(n, m.name)
	}
	return n
}

var kvmGuestLineRE = regexp.MustCompile(`(?m)^guest: io=(\d+) hlt=(\d+)$`)

// kvmCheck collects the problems of one part of the scenario, and notes to
// log.
type kvmCheck struct {
	problems, notes []string
}

func (c *kvmCheck) errorf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *kvmCheck) logf(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// report logs the notes and fails t with the problems.
func (c *kvmCheck) report(t *testing.T) {
	t.Helper()
	for _, n := range c.notes {
		t.Log(n)
	}
	for _, p := range c.problems {
		t.Error(p)
	}
}

// guestOut checks the guest program's output (its line and exit=0) and
// returns its io count.
func (c *kvmCheck) guestOut(out string) int {
	m := kvmGuestLineRE.FindStringSubmatch(out)
	if m == nil {
		c.errorf("guest output has no 'guest: io=N hlt=1' line:\n%s", out)
		return -1
	}
	if !strings.Contains(out, "exit=0") {
		c.errorf("guest did not exit 0:\n%s", out)
	}
	io, _ := strconv.Atoi(m[1])
	if io != kvmGuestIO || m[2] != "1" {
		c.errorf("guest counted io=%s hlt=%s, want io=%d hlt=1", m[1], m[2], kvmGuestIO)
	}
	return io
}

// kvmCheckA checks part a: the guest alone, tracefs counting its exits.
func kvmCheckA(secs map[string]string) *kvmCheck {
	c := &kvmCheck{}
	out, ok := secs["a_guest"]
	if !ok {
		c.errorf("part a did not run: no a_guest section")
		return c
	}
	c.guestOut(out)
	tr := kvmCounts(secs["a_trace"])
	c.logf("tracefs kvm_exit counts: %v", tr)
	if tr["io"] != kvmGuestIO {
		c.errorf("tracefs counted %d io exits, want %d", tr["io"], kvmGuestIO)
	}
	if tr["hlt"] != 1 {
		c.errorf("tracefs counted %d hlt exits, want 1", tr["hlt"])
	}
	return c
}

var (
	kvmExitLineRE = regexp.MustCompile(`^(\d+)\s+--- KVM_EXIT \{(.*)\} ---$`)
	kvmFieldRE    = regexp.MustCompile(`(?:^|, )(\w+)=("(?:[^"\\]|\\.)*"|[^,]*)`)
	kvmHangupRE   = regexp.MustCompile(`(?m)^Traced ~(\d+) syscs, Dropped (\d+)$`)
	kvmRunRE      = regexp.MustCompile(`ioctl\(\d+, (KVM_RUN|_IOC\(_IOC_NONE, 0xae, 0x80, 0\))`)
)

// kvmCheckB checks part b: eproc's vmstatus and stream against the guest's
// own count and tracefs's.
func kvmCheckB(secs map[string]string) *kvmCheck {
	c := &kvmCheck{}
	if _, ok := secs["b_guest"]; !ok {
		c.errorf("part b did not run (eproc mount not ready?); eproc log:\n%s", secs["eproc_log"])
		return c
	}
	c.logf("times (guest uptime): %s", strings.TrimSpace(secs["b_times"]))
	pid := strings.TrimSpace(secs["b_pid"])
	guestIO := c.guestOut(secs["b_guest"])

	tr := kvmCounts(secs["b_trace"])
	delete(tr, "total")
	c.logf("tracefs kvm_exit counts: %v", tr)
	if tr["io"] != kvmGuestIO {
		c.errorf("tracefs counted %d io exits, want %d", tr["io"], kvmGuestIO)
	}
	trN := kvmNormCounts(tr)

	// vmstatus: a JSON object from exit reason to count.
	raw := strings.TrimSpace(secs["b_vmstatus"])
	var vm map[string]int
	if err := json.Unmarshal([]byte(raw), &vm); err != nil {
		c.errorf("vmstatus is not a JSON object of counts (%v): %q", err, raw)
	} else {
		c.logf("vmstatus: %s", raw)
		vmN := kvmNormCounts(vm)
		if vmN["io"] != kvmGuestIO || vmN["io"] != guestIO {
			c.errorf("vmstatus io = %d, want %d (the guest counted %d)", vmN["io"], kvmGuestIO, guestIO)
		}
		for _, r := range kvmSortedKeys(vmN, trN) {
			if vmN[r] != trN[r] {
				c.errorf("exit reason %s: vmstatus %d, tracefs %d", r, vmN[r], trN[r])
			}
		}
	}

	// The stream: KVM_EXIT lines per reason, KVM_RUN ioctls, the hang-up line.
	stream := secs["b_strace"]
	c.logf("strace stream (lines, bytes): %s; cat: %s", strings.TrimSpace(secs["b_strace_size"]), strings.TrimSpace(secs["b_strace_err"]))
	exits := map[string]int{}
	runs, badPid, malformed := 0, 0, 0
	// The exit that returns to the VMM (io, hlt) comes right before the
	// KVM_RUN it ends: one per KVM_RUN line.
	userExits, misordered := 0, 0
	// The guest's io exits, as SVM reports them: `out dx, ax` at 0x100a,
	// info1 = port 0x10 << 16 | 16-bit (0x20) | out (0), info2 = next rip.
	wantIO := map[string]string{"vcpu": "0", "isa": "svm", "rip": "0x100a", "info1": "0x100020", "info2": "0x100b"}
	badFields := 0
	for _, line := range strings.Split(stream, "\n") {
		if m := kvmExitLineRE.FindStringSubmatch(line); m != nil {
			if m[1] != pid {
				badPid++
			}
			f := kvmExitFields(m[2])
			if r, ok := f["reason"]; ok {
				exits[r]++
				switch kvmReason(r) {
				case "io":
					userExits++
					for k, v := range wantIO {
						if f[k] != v {
							if badFields++; badFields <= 3 {
								c.errorf("io KVM_EXIT line: %s=%s, want %s (tracefs shows %s): %s", k, f[k], v, v, line)
							}
						}
					}
				case "hlt":
					userExits++
					if f["rip"] != "0x100e" {
						c.errorf("hlt KVM_EXIT line: rip=%s, want 0x100e: %s", f["rip"], line)
					}
				}
				continue
			}
		}
		if strings.Contains(line, "KVM_EXIT") {
			if malformed++; malformed <= 5 {
				c.errorf("malformed KVM_EXIT line: %q", line)
			}
		}
		if kvmRunRE.MatchString(line) && !strings.Contains(line, "resumed>") {
			runs++
			if userExits != 1 {
				if misordered++; misordered <= 3 {
					c.errorf("KVM_RUN line #%d follows %d io/hlt KVM_EXIT lines since the previous one, want 1: %s", runs, userExits, line)
				}
			}
			userExits = 0
		}
	}
	if misordered > 3 {
		c.errorf("%d KVM_RUN lines in all not preceded by exactly one io/hlt KVM_EXIT line", misordered)
	}
	if badFields > 3 {
		c.errorf("%d wrong fields in io KVM_EXIT lines in all", badFields)
	}
	c.logf("stream: KVM_EXIT lines per reason %v, KVM_RUN ioctls %d", exits, runs)
	if malformed > 5 {
		c.errorf("%d malformed KVM_EXIT lines in all", malformed)
	}
	if badPid > 0 {
		c.errorf("%d KVM_EXIT lines do not carry the guest's pid %s", badPid, pid)
	}
	exN := kvmNormCounts(exits)
	if exN["io"] != kvmGuestIO {
		c.errorf("stream has %d KVM_EXIT lines with reason=io, want %d", exN["io"], kvmGuestIO)
	}
	for _, r := range kvmSortedKeys(exN, trN) {
		if exN[r] != trN[r] {
			c.errorf("exit reason %s: %d KVM_EXIT lines in the stream, tracefs %d", r, exN[r], trN[r])
		}
	}
	// Every io exit and the hlt exit return to the VMM: one KVM_RUN each.
	if runs < kvmGuestIO+1 {
		c.errorf("stream has %d ioctl KVM_RUN lines, want at least %d", runs, kvmGuestIO+1)
	}
	if m := kvmHangupRE.FindStringSubmatch(stream); m == nil {
		c.errorf("stream has no 'Traced ~N syscs, Dropped M' line; its tail:\n%s", kvmTail(stream, 20))
	} else if m[2] != "0" {
		c.errorf("stream: Dropped %s, want 0", m[2])
	}
	if len(c.problems) > 0 {
		c.logf("eproc log:\n%s", kvmTail(secs["eproc_log"], 40))
		var ex []string
		for _, line := range strings.Split(stream, "\n") {
			if strings.Contains(line, "KVM_EXIT") && len(ex) < 10 {
				ex = append(ex, line)
			}
		}
		c.logf("stream head:\n%s\nfirst KVM_EXIT lines:\n%s\nstream tail:\n%s",
			kvmHead(stream, 20), strings.Join(ex, "\n"), kvmTail(stream, 10))
	}
	return c
}

// kvmExitFields parses the key=value list of a KVM_EXIT line; quoted values
// ("PF excp") are unquoted.
func kvmExitFields(s string) map[string]string {
	f := map[string]string{}
	for _, m := range kvmFieldRE.FindAllStringSubmatch(s, -1) {
		v := m[2]
		if u, err := strconv.Unquote(v); err == nil && strings.HasPrefix(v, `"`) {
			v = u
		}
		f[m[1]] = v
	}
	return f
}

func kvmHead(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func kvmTail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
