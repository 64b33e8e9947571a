// Package unwind turns a call's user registers and the top of its stack,
// as eproc's stack_exit sends them (strace -k), into strace's stack trace
// lines: it unwinds with the binaries' .eh_frame (Debian's libraries have
// no frame pointers, so the kernel's own walk stops after one frame) and
// names each frame from the ELF symbols (.dynsym, .symtab), as strace's
// libunwind does. x86_64 only: elsewhere a trace is its first frame.
package unwind

import (
	"bufio"
	"bytes"
	"os"
	"sort"
	"strconv"
)

// Mapping is a line of /proc/PID/maps that names a file (or [vdso]): the
// lines strace's mmap cache keeps.
type Mapping struct {
	Start, End, Off uint64
	Exec            bool
	Dev, Ino        uint64 // the file's, as maps says: its identity with Path
	Path            string
}

// ReadMaps reads /proc/PID/maps; nil when the process is gone.
func ReadMaps(pid uint32) []Mapping {
	b, err := os.ReadFile("/proc/" + strconv.FormatUint(uint64(pid), 10) + "/maps")
	if err != nil {
		return nil
	}
	return ParseMaps(b)
}

// ParseMaps parses the text of /proc/PID/maps, as strace's mmap cache does:
// lines with a path, in ascending order, without overlaps.
func ParseMaps(b []byte) []Mapping {
	var out []Mapping
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<16)
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 6 || len(f[1]) != 4 {
			continue
		}
		var m Mapping
		r := bytes.IndexByte(f[0], '-')
		if r < 0 {
			continue
		}
		var e1, e2, e3, e4 error
		m.Start, e1 = strconv.ParseUint(string(f[0][:r]), 16, 64)
		m.End, e2 = strconv.ParseUint(string(f[0][r+1:]), 16, 64)
		m.Off, e3 = strconv.ParseUint(string(f[2]), 16, 64)
		m.Ino, e4 = strconv.ParseUint(string(f[4]), 10, 64)
		if e1 != nil || e2 != nil || e3 != nil || e4 != nil || m.End < m.Start {
			continue
		}
		if c := bytes.IndexByte(f[3], ':'); c > 0 {
			maj, _ := strconv.ParseUint(string(f[3][:c]), 16, 32)
			mnr, _ := strconv.ParseUint(string(f[3][c+1:]), 16, 32)
			m.Dev = maj<<32 | mnr
		}
		m.Exec = f[1][2] == 'x'
		// The path is the rest of the line after the inode (it may hold blanks).
		line := sc.Bytes()
		i := bytes.Index(line, f[5])
		m.Path = string(line[i:])
		if n := len(out); n > 0 && (m.Start < out[n-1].End || m.Start <= out[n-1].Start) {
			continue // a duplicate ([vsyscall]) or an overlap
		}
		out = append(out, m)
	}
	return out
}

// find is the mapping that holds addr, or nil.
func find(maps []Mapping, addr uint64) *Mapping {
	i := sort.Search(len(maps), func(i int) bool { return maps[i].End > addr })
	if i < len(maps) && maps[i].Start <= addr {
		return &maps[i]
	}
	return nil
}
