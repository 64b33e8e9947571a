package prefault

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestReadOnlyOf(t *testing.T) {
	exe := "/usr/local/bin/eproc"
	for _, c := range []struct {
		line   string
		lo, hi uintptr
		ok     bool
	}{
		{"00400000-00d9a000 r-xp 00000000 fe:00 9978804   /usr/local/bin/eproc", 0x400000, 0xd9a000, true},
		{"00d9a000-01854000 r--p 0099a000 fe:00 9978804   /usr/local/bin/eproc", 0xd9a000, 0x1854000, true},
		{"01854000-0196a000 rw-p 01454000 fe:00 9978804   /usr/local/bin/eproc", 0, 0, false}, // written: copied anyway
		{"0196a000-039b1000 rw-p 00000000 00:00 0 ", 0, 0, false},
		{"7f00-7f10 r-xp 00000000 fe:00 1 /usr/lib/libc.so.6", 0, 0, false}, // not eproc
		{"7f00-7f10 ---p 00000000 fe:00 1 /usr/local/bin/eproc", 0, 0, false},
		{"zz-7f10 r-xp 00000000 fe:00 1 /usr/local/bin/eproc", 0, 0, false},
		{"7f10-7f00 r-xp 00000000 fe:00 1 /usr/local/bin/eproc", 0, 0, false},
		{"", 0, 0, false},
	} {
		lo, hi, ok := readOnlyOf([]byte(c.line), exe)
		if lo != c.lo || hi != c.hi || ok != c.ok {
			t.Errorf("readOnlyOf(%q) = %#x, %#x, %v; want %#x, %#x, %v", c.line, lo, hi, ok, c.lo, c.hi, c.ok)
		}
	}
}

// TestPopulate maps a file of its own, unread, and has populate fault it
// in: the mapping's pages are in memory after, and were not before.
func TestPopulate(t *testing.T) {
	const size = 8 << 20
	path := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mem, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(mem)
	if before := rssOf(t, path); before > size/1024/4 {
		t.Fatalf("%d kB of the unread mapping in memory before populate", before)
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	if n := populate(maps, path); n != 1 {
		t.Fatalf("populate did %d mappings; want 1", n)
	}
	if after := rssOf(t, path); after < size/1024 {
		t.Errorf("%d kB of the %d kB mapping in memory after populate", after, size/1024)
	}
}

// rssOf is how much of this process's mapping of file is in its page
// tables, in kB (/proc/self/smaps).
func rssOf(t *testing.T, file string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var in bool
	for s := bufio.NewScanner(f); s.Scan(); {
		line := s.Text()
		if fields := strings.Fields(line); len(fields) >= 6 && strings.Contains(fields[0], "-") {
			in = fields[5] == file
			continue
		}
		if v, ok := strings.CutPrefix(line, "Rss:"); ok && in {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(v, "kB")))
			return n
		}
	}
	t.Fatalf("no mapping of %s in /proc/self/smaps", file)
	return 0
}
