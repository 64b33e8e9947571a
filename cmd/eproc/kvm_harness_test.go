package main

// The KVM guest test's harness (see kvm_test.go): fetch a packaged kernel and
// its modules, pack an initramfs, boot it under QEMU with a hard timeout,
// and read back what the init script printed between marker lines. Nothing
// here knows the scenario.

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
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
	// kvmBootTimeout bounds the whole QEMU run (EPROC_KVM_TIMEOUT overrides).
	// A run takes about 10 s under TCG here: the kernel reaches /init in 2 s,
	// eproc serves its view 1.5 s after it starts.
	kvmBootTimeout = 6 * time.Minute
	// kvmKernelSeries is the Debian kernel ABI series to boot: Debian 12's.
	kvmKernelSeries = "6.1.0"
)

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
		if os.Getenv("EPROC_MAKE_TEST") == "1" && os.Geteuid() == 0 {
			// make test installed them first (scripts/test-deps.sh):
			// one still missing is a failure, not a reason to skip.
			t.Fatal("make test: " + msg)
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
