// Package prefault maps eproc's own code and read-only data into its page
// tables with one call, as the process starts, instead of one page fault
// per 64 KiB of it as the code first runs.
//
// Where a page fault is dear (a guest whose page tables the host checks:
// ~30 us a fault on the AMD EPYC family 26 machines, against ~1 us on
// bare metal), eproc's ~30 MB executable took ~1000 of them before main:
// one madvise(MADV_POPULATE_READ) over the mappings saves ~130 of them on
// `eproc trace -V` and ~5 ms of `eproc trace -- true`
// (docs/benchmarks.md); the call itself takes ~1.2 ms there
// (GODEBUG=inittrace=1).
//
// It is a package of its own, imported first by main and importing only
// bytes, os, strconv and syscall, so that Go initialises it before the
// heavier packages whose initialisers it speeds up.
package prefault

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// madvPopulateRead is MADV_POPULATE_READ (Linux 5.14): fault the range in
// for reading, as the pages are read.
const madvPopulateRead = 22

// quick are the internal subcommands that exit soon after they start:
// they would pay for pages they never touch.
var quick = map[string]bool{"__release": true, "__inject-shim": true}

func init() {
	if len(os.Args) > 1 && quick[os.Args[1]] {
		return
	}
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return
	}
	if maps, err := os.ReadFile("/proc/self/maps"); err == nil {
		populate(maps, exe)
	}
}

// populate faults in the readable, unwritable mappings of file that maps
// (/proc/self/maps) lists; it returns how many it did. An error (a kernel
// older than 5.14: EINVAL) leaves the faults as they were.
func populate(maps []byte, file string) (n int) {
	for _, line := range bytes.Split(maps, []byte("\n")) {
		if lo, hi, ok := readOnlyOf(line, file); ok {
			if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, madvPopulateRead); errno == 0 {
				n++
			}
		}
	}
	return n
}

// readOnlyOf is the range of a line of /proc/self/maps when it maps part
// of file exe readable and not writable (code, read-only data).
func readOnlyOf(line []byte, exe string) (lo, hi uintptr, ok bool) {
	// "lo-hi perms offset dev inode path"
	f := bytes.Fields(line)
	if len(f) < 6 || string(f[5]) != exe || len(f[1]) < 2 || f[1][0] != 'r' || f[1][1] == 'w' {
		return 0, 0, false
	}
	l, h, found := bytes.Cut(f[0], []byte("-"))
	if !found {
		return 0, 0, false
	}
	l64, err1 := strconv.ParseUint(string(l), 16, 64)
	h64, err2 := strconv.ParseUint(string(h), 16, 64)
	if err1 != nil || err2 != nil || h64 <= l64 {
		return 0, 0, false
	}
	return uintptr(l64), uintptr(h64), true
}
