// Package kvmguest owns the guest lab the tests use to run eproc in a
// kernel of their choosing: where KVM works (amd64, -cpu qemu64,+svm, so
// KVM works inside the guest), and on another architecture (arm64). It
// checks the host tools, fetches a packaged Debian 12 kernel (6.1) of the
// guest's architecture and its modules into a cache, and other packages
// (the guest's busybox, strace), packs an initramfs around an init script,
// boots it under QEMU (software emulation) with a hard timeout, and parses
// what the init script printed between marker lines. Nothing here knows a
// scenario: the tests bring the init script's body, the programs to run,
// and the checks.
//
// Environment: EPROC_KVM_CACHE (cache directory, /var/cache/eproc-kvm by
// default), EPROC_KVM_KERNEL (a linux-image-6.1.0-N-ARCH package to boot
// instead of the newest, in the guests of that ARCH), EPROC_KVM_TIMEOUT
// (bound on the QEMU run, 6m by default). EPROC_MAKE_TEST=1 as root, or
// CI=true, turns a missing tool into a failure instead of a skip.
//
// Everything reusable is cached per package version: the kernel .deb and
// the files taken from it, the other packages unpacked. A run's own files
// (its programs, the initramfs, the logs) live in a run directory, removed
// after the test, kept as last-failed (per architecture) in the cache when
// it failed.
package kvmguest

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	// BootTimeout bounds the whole QEMU run (EPROC_KVM_TIMEOUT overrides).
	// A run takes about 10 s under TCG here: the kernel reaches /init in 2 s,
	// eproc serves its view 1.5 s after it starts.
	BootTimeout = 6 * time.Minute
	// KernelSeries is the Debian kernel ABI series to boot: Debian 12's.
	KernelSeries = "6.1.0"
)

// Lab is one test's use of the harness: the guest's architecture, the host
// tools by name ("go", "gcc", "busybox", "qemu-system-x86_64", ...), the
// cache, and once asked for, a run directory.
type Lab struct {
	t     testing.TB
	Arch  *Arch
	Tools map[string]string
	Cache string
	run   string
}

// New checks root and the host tools for a guest of arch, and the test's
// own tools (see Need), and makes sure the cache exists.
func New(t testing.TB, arch *Arch, extra ...string) *Lab {
	t.Helper()
	tools := Need(t, arch, extra...)
	return &Lab{t: t, Arch: arch, Tools: tools, Cache: cacheDir(t)}
}

// Need checks root and the host tools for a guest of arch, and extra; it
// skips without them, but fails under CI=true, and under make test
// (EPROC_MAKE_TEST=1) as root. It also skips in -short. It returns the
// paths of the tools by name.
func Need(t testing.TB, arch *Arch, extra ...string) map[string]string {
	t.Helper()
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root")
	}
	tools := map[string]string{}
	for _, name := range append([]string{arch.QEMU, "busybox", "gcc", "apt-get", "apt-cache", "dpkg", "dpkg-deb"}, extra...) {
		p, err := exec.LookPath(name)
		if err != nil {
			missing = append(missing, name)
			continue
		}
		tools[name] = p
	}
	if p := tools["busybox"]; p != "" && arch.BusyboxPkg == "" && !isStatic(p) {
		missing = append(missing, "a static busybox (busybox-static)")
	}
	if p := tools["dpkg"]; p != "" && arch.Name != runtime.GOARCH && !foreignArch(p, arch.Name) {
		missing = append(missing, "dpkg --add-architecture "+arch.Name+" and apt-get update")
	}
	if p := GoCommand(); p == "" {
		missing = append(missing, "go")
	} else {
		tools["go"] = p
	}
	if len(missing) > 0 {
		msg := arch.Name + " guest test needs: " + strings.Join(missing, ", ") +
			" (scripts/test-deps.sh: apt-get install " + arch.QEMUPkg + " busybox-static gcc libc6-dev)"
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

// GoCommand finds the go command: on PATH, else in the running test's
// GOROOT. "" if neither has it.
func GoCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	for _, root := range []string{os.Getenv("GOROOT"), "/usr/local/go"} {
		if p := filepath.Join(root, "bin", "go"); root != "" && exists(p) {
			return p
		}
	}
	return ""
}

// foreignArch reports whether dpkg (at p) has arch among its foreign
// architectures: apt-get download fetches its packages then.
func foreignArch(p, arch string) bool {
	out, _ := exec.Command(p, "--print-foreign-architectures").Output()
	for _, a := range strings.Fields(string(out)) {
		if a == arch {
			return true
		}
	}
	return false
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// isStatic reports whether the ELF file at p has no program interpreter.
func isStatic(p string) bool {
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

// Run runs a command in dir (the current directory if "") with env added
// to the environment, and returns its combined output, failing the test on
// error.
func Run(t testing.TB, dir string, env []string, name string, args ...string) string {
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

// cacheDir returns the cache directory, created.
func cacheDir(t testing.TB) string {
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

// lock takes an exclusive lock on path (created) until unlock is called:
// test runs from several checkouts may share the cache.
func lock(t testing.TB, path string) (unlock func()) {
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

// RunDir returns this run's directory in the cache, made on the first call.
// It is removed when the test ends; if the test failed, its console.log,
// results.txt and init are kept in the cache's last-failed first.
func (l *Lab) RunDir() string {
	if l.run != "" {
		return l.run
	}
	t := l.t
	t.Helper()
	run, err := os.MkdirTemp(l.Cache, "run-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			// Keep the last failed run's logs for a look.
			last := filepath.Join(l.Cache, "last-failed")
			if l.Arch != AMD64 {
				last += "-" + l.Arch.Name
			}
			os.RemoveAll(last)
			os.MkdirAll(last, 0o755)
			for _, f := range []string{"console.log", "results.txt", "init"} {
				copyFile(filepath.Join(run, f), filepath.Join(last, f))
			}
			t.Logf("console and results kept in %s", last)
		}
		os.RemoveAll(run)
	})
	l.run = run
	return run
}
