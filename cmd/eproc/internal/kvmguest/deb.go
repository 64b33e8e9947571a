package kvmguest

// Debian packages for the guest (its busybox, strace and libc), fetched
// with apt-get download and unpacked once in the cache.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// fetchDeb returns the path of pkg's .deb in dir, fetching it with apt-get
// download if none is there yet. pkg may name an architecture
// ("strace:arm64"); the file does not. The caller holds dir's lock.
func (l *Lab) fetchDeb(dir, pkg string) (string, error) {
	l.t.Helper()
	name, _, _ := strings.Cut(pkg, ":")
	glob := filepath.Join(dir, name+"_*.deb")
	if matches, _ := filepath.Glob(glob); len(matches) > 0 {
		return matches[0], nil
	}
	t0 := time.Now()
	cmd := exec.Command(l.Tools["apt-get"], "download", "-q", pkg)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get download %s: %v: %s", pkg, err, bytes.TrimSpace(out))
	}
	matches, _ := filepath.Glob(glob)
	if len(matches) == 0 {
		return "", fmt.Errorf("apt-get download %s left no .deb in %s", pkg, dir)
	}
	l.t.Logf("downloaded %s in %v", filepath.Base(matches[0]), time.Since(t0).Round(time.Millisecond))
	return matches[0], nil
}

// Deb returns the directory where pkg ("strace:arm64") is unpacked in the
// cache, fetching and unpacking it the first time. The cached copy is kept
// as it is: a newer version in the archive does not replace it.
func (l *Lab) Deb(pkg string) string {
	t := l.t
	t.Helper()
	dir := filepath.Join(l.Cache, "deb", strings.ReplaceAll(pkg, ":", "_"))
	root := filepath.Join(dir, "root")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock := lock(t, filepath.Join(dir, "lock"))
	defer unlock()
	if exists(root) {
		return root
	}
	deb, err := l.fetchDeb(dir, pkg)
	if err != nil {
		t.Fatal(err)
	}
	tmp := root + ".tmp"
	os.RemoveAll(tmp)
	Run(t, "", nil, l.Tools["dpkg-deb"], "-x", deb, tmp)
	if err := os.Rename(tmp, root); err != nil {
		t.Fatal(err)
	}
	return root
}
