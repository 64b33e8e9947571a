package kvmguest

// The guest's kernel and modules: a Debian kernel image package, fetched
// with apt-get download and unpacked (in part) in the cache.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kernel is a Debian kernel image package unpacked (in part) in the cache:
// Dir/vmlinuz and Dir/modules/NAME.ko, taken from Dir/PKG.deb.
type Kernel struct {
	Pkg, Version string // linux-image-6.1.0-56-amd64, 6.1.0-56-amd64
	Dir          string
	// Modules are the modules asked for and their dependencies, in load
	// order.
	Modules []Module
	root    string // the .deb unpacked, once needed
}

// Module is a kernel module ready for insmod: uncompressed.
type Module struct {
	Name string // as the kernel names it: kvm_amd
	Path string
}

// Vmlinuz is the path of the kernel image.
func (k *Kernel) Vmlinuz() string { return filepath.Join(k.Dir, "vmlinuz") }

// ModuleNames returns the names of k.Modules.
func (k *Kernel) ModuleNames() []string {
	var n []string
	for _, m := range k.Modules {
		n = append(n, m.Name)
	}
	return n
}

// pkgRE matches the kernel packages of the series for the lab's
// architecture: linux-image-6.1.0-N-amd64.
func (l *Lab) pkgRE() *regexp.Regexp {
	return regexp.MustCompile(`^linux-image-(` + regexp.QuoteMeta(KernelSeries) + `-(\d+)-` + l.Arch.Name + `)$`)
}

// Kernel returns the kernel to boot (see kernel) with the named modules,
// after the architecture's LabModules, and everything they depend on ready
// in the cache.
func (l *Lab) Kernel(modules ...string) *Kernel {
	l.t.Helper()
	t0 := time.Now()
	k := l.kernel()
	k.Modules = l.modules(k, append(append([]string{}, l.Arch.LabModules...), modules...)...)
	l.t.Logf("kernel %s (%s) and modules %v ready in %v", k.Pkg, filepath.Base(l.deb(k)), k.ModuleNames(), time.Since(t0).Round(time.Millisecond))
	return k
}

// kernel picks the kernel package and makes sure its .deb and vmlinuz are
// in the cache: EPROC_KVM_KERNEL if set, else the newest of the series that
// apt knows of (after an apt-get update if it knows none, or if the download
// fails), else, offline, the newest already in the cache.
func (l *Lab) kernel() *Kernel {
	t := l.t
	t.Helper()
	forced := os.Getenv("EPROC_KVM_KERNEL")
	if !l.pkgRE().MatchString(forced) {
		forced = "" // empty, or another architecture's
	}
	pkg := forced
	if pkg == "" {
		if pkg = l.newestInApt(); pkg == "" {
			l.aptUpdate()
			pkg = l.newestInApt()
		}
	}
	var errs []string
	for try := 0; try < 3 && pkg != ""; try++ {
		k, err := l.kernelGet(pkg)
		if err == nil {
			return k
		}
		errs = append(errs, err.Error())
		switch {
		case forced != "":
			pkg = ""
		case try == 0:
			l.aptUpdate()
			pkg = l.newestInApt()
		default:
			if c := l.newestInCache(); c != pkg {
				t.Logf("using the cached %s", c)
				pkg = c
			} else {
				pkg = ""
			}
		}
	}
	t.Fatalf("no linux-image-%s-N-%s kernel could be had (Debian 12's): %s", KernelSeries, l.Arch.Name, strings.Join(errs, "; "))
	return nil
}

// newestPkg returns the newest of the series among names, "" if none is.
func (l *Lab) newestPkg(names []string) string {
	best, bestN := "", -1
	re := l.pkgRE()
	for _, n := range names {
		if m := re.FindStringSubmatch(strings.TrimSpace(n)); m != nil {
			if v, _ := strconv.Atoi(m[2]); v > bestN {
				best, bestN = m[0], v
			}
		}
	}
	return best
}

func (l *Lab) newestInApt() string {
	out, _ := exec.Command(l.Tools["apt-cache"], "pkgnames", "linux-image-"+KernelSeries+"-").Output()
	return l.newestPkg(strings.Split(string(out), "\n"))
}

func (l *Lab) newestInCache() string {
	ents, _ := os.ReadDir(l.Cache)
	var names []string
	for _, e := range ents {
		if exists(filepath.Join(l.Cache, e.Name(), "vmlinuz")) {
			names = append(names, e.Name())
		}
	}
	return l.newestPkg(names)
}

func (l *Lab) aptUpdate() {
	l.t.Log("apt-get update")
	if out, err := exec.Command(l.Tools["apt-get"], "update", "-qq").CombinedOutput(); err != nil {
		l.t.Logf("apt-get update: %v\n%s", err, out)
	}
}

// kernelGet makes sure pkg's vmlinuz is in the cache (unpacking its .deb,
// downloaded if needed).
func (l *Lab) kernelGet(pkg string) (*Kernel, error) {
	t := l.t
	t.Helper()
	m := l.pkgRE().FindStringSubmatch(pkg)
	if m == nil {
		return nil, fmt.Errorf("%q: want linux-image-%s-N-%s", pkg, KernelSeries, l.Arch.Name)
	}
	k := &Kernel{Pkg: pkg, Version: m[1], Dir: filepath.Join(l.Cache, pkg)}
	if err := os.MkdirAll(k.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock := lock(t, filepath.Join(k.Dir, "lock"))
	defer unlock()
	if exists(k.Vmlinuz()) {
		return k, nil
	}
	if _, err := l.download(k); err != nil {
		os.RemoveAll(k.Dir) // nothing cached for pkg
		return nil, err
	}
	src := filepath.Join(l.unpack(k), "boot", "vmlinuz-"+k.Version)
	if err := copyFile(src, k.Vmlinuz()); err != nil {
		t.Fatal(err)
	}
	return k, nil
}

// download returns the path of the kernel's .deb in the cache (fetchDeb).
// The caller holds the lock.
func (l *Lab) download(k *Kernel) (string, error) { return l.fetchDeb(k.Dir, k.Pkg) }

// deb is download, failing the test on error.
func (l *Lab) deb(k *Kernel) string {
	l.t.Helper()
	p, err := l.download(k)
	if err != nil {
		l.t.Fatal(err)
	}
	return p
}

// unpack unpacks the .deb once per test into a temporary directory, removed
// when the test ends, and returns it. The caller holds the lock.
func (l *Lab) unpack(k *Kernel) string {
	t := l.t
	t.Helper()
	if k.root != "" {
		return k.root
	}
	deb := l.deb(k)
	tmp, err := os.MkdirTemp(k.Dir, "unpack-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	t0 := time.Now()
	Run(t, "", nil, l.Tools["dpkg-deb"], "-x", deb, tmp)
	t.Logf("unpacked %s in %v", filepath.Base(deb), time.Since(t0).Round(time.Millisecond))
	k.root = tmp
	return tmp
}
