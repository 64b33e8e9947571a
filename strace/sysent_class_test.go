package strace

import (
	"sort"
	"testing"
)

// Classes as strace 6.1's linux/x86_64/syscallent.h and linux/64/
// syscallent.h (arm64) give them: bpf is TD, mmap TD|TM|SI (so %desc
// and -P by its descriptor take it), prctl CC|TC (%creds), arch_prctl and
// set_tid_address 0; %fstatfs is TFSF, %%stat TSTA and %%statfs TSFA.
func TestSyscallClassesAsStrace(t *testing.T) {
	in := func(expr, name string) bool {
		nrs, err := ParseFilter(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		nr, ok := Number(name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		for _, n := range nrs {
			if n == nr {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		expr, name string
		want       bool
	}{
		{"%desc", "mmap", true}, {"%memory", "mmap", true}, {"%desc", "bpf", true}, {"%desc", "bpf", true},
		{"%creds", "prctl", true},
		{"%process", "arch_prctl", false},
		{"%pure", "set_tid_address", false}, {"%pure", "getpid", true},
	} {
		if got := in(tc.expr, tc.name); got != tc.want {
			t.Errorf("%s has %s: %v, want %v", tc.expr, tc.name, got, tc.want)
		}
	}
	names := func(expr string) []string {
		nrs, err := ParseFilter(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		var out []string
		for _, nr := range nrs {
			if e := lookup(nr); e != nil && e.Name != "" {
				out = append(out, e.Name)
			}
		}
		sort.Strings(out)
		return out
	}
	for expr, want := range map[string][]string{
		"%fstatfs": {"fstatfs"},
		"%statfs":  {"statfs"},
		"%%statfs": {"fstatfs", "statfs", "ustat"},
		"%%stat":   {"fstat", "lstat", "newfstatat", "stat", "statx"},
		"%fstat":   {"fstat", "newfstatat", "statx"},
		"%stat":    {"stat"},
		"%lstat":   {"lstat"},
	} {
		got := names(expr)
		if _, ok := Number("stat"); !ok { // arm64: no stat, lstat, ustat
			var w []string
			for _, n := range want {
				if _, ok := Number(n); ok {
					w = append(w, n)
				}
			}
			want = w
		}
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", expr, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %v, want %v", expr, got, want)
				break
			}
		}
	}
}

// -P takes mmap by its descriptor, as strace does (mmap is %desc).
func TestPathMmapFd(t *testing.T) {
	root := t.TempDir()
	const pid, eproc = 0x7ffffff0, 0x7ffffff5
	proc := fakeProc(t, eproc, root, nil)
	file := root + "/f"
	atfd := uint64(0xffffffffffffff9c)
	got := pathText(t, 0, []string{file}, proc, pid, eproc,
		fdCall(t, pid, "openat", 3, []uint64{atfd, 0x1000, 0}, pathCap(1, file)),
		fdCall(t, pid, "mmap", 0x7f0000000000, []uint64{0, 4096, 1, 2, 3, 0}),
		fdCall(t, pid, "mmap", 0x7f0000001000, []uint64{0, 4096, 3, 0x22, 0xffffffffffffffff, 0}),
		fdCall(t, pid, "close", 0, []uint64{3}),
	)
	checkLines(t, got, []string{
		`openat(AT_FDCWD, "` + file + `", O_RDONLY) = 3`,
		`mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000`,
		`close(3) = 0`,
	})
}
