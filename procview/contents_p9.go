package procview

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
)

// What Plan 9's fd (served as fds: Linux's fd/ directory keeps its name),
// segment and noteid hold, made from /proc's fd, fdinfo,
// cwd, maps and stat, read with the opener's identity (the kernel asks for
// ptrace-read access to list fds or maps, as it does of /proc's own).

// fdEntry is a line of fds: devproc's procfdprint's fields.
type fdEntry struct {
	fd     int
	mode   string // "r ", "w " or "rw"
	dev    byte   // the device letter (see fdDev)
	devno  uint64 // st_dev
	path   uint64 // the qid's path: st_ino
	qtype  uint8  // the qid's type: QTDIR for a directory
	iounit int64  // st_blksize
	offset int64  // fdinfo's pos
	name   string // the fd's link
}

// fds is Plan 9's fd, as devproc's procfds: the working directory, then
// a line per open file,
//
//	fd mode dev devno (qid.path qid.vers qid.type) iounit offset name
//
// in procfdprint's format ("%3d %.2s %C %4ud (%.16llux %*lud %.2ux) %5ld
// %8lld %s"). From Linux: mode is fdinfo's access mode; the device letter
// is the file's kind (fdDev); devno is st_dev, in decimal; the qid's path
// is the inode number, its version 0 (Linux keeps no version a reader can
// see), its type 80 for a directory and 00 otherwise; iounit is
// st_blksize, the preferred I/O size; offset is fdinfo's pos; the name is
// the fd's link in /proc (socket:[N], pipe:[N] and anon_inode:[...] for
// what has no path), a newline in it written \n.
func fds(f *pidFile, c *caller) ([]byte, syscall.Errno) {
	var cwd string
	var ents []fdEntry
	err := c.as(func() (err error) {
		if cwd, err = os.Readlink(f.id.path("cwd")); err != nil {
			return err
		}
		ents, err = fdEntries(f.id)
		return err
	})
	if err != nil {
		return nil, fs.ToErrno(err)
	}
	var b bytes.Buffer
	b.WriteString(escapeNL(cwd) + "\n")
	const w = 1 // the widest qid version: all are 0
	for _, e := range ents {
		fmt.Fprintf(&b, "%3d %.2s %c %4d (%016x %*d %02x) %5d %8d %s\n",
			e.fd, e.mode, e.dev, e.devno, e.path, w, 0, e.qtype, e.iounit, e.offset, escapeNL(e.name))
	}
	return b.Bytes(), 0
}

// fdEntries reads /proc/PID/fd and fdinfo: the open files, by number. A
// file closed while they are read is left out.
func fdEntries(id *ident) ([]fdEntry, error) {
	dir, err := os.ReadDir(id.path("fd"))
	if err != nil {
		return nil, err
	}
	var ents []fdEntry
	for _, d := range dir {
		n, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		e := fdEntry{fd: n}
		fdPath := id.path("fd/" + d.Name())
		var st syscall.Stat_t
		if e.name, err = os.Readlink(fdPath); err != nil {
			continue
		}
		if syscall.Stat(fdPath, &st) != nil {
			continue
		}
		info, err := os.ReadFile(id.path("fdinfo/" + d.Name()))
		if err != nil {
			continue
		}
		pos, flags := parseFdinfo(info)
		e.mode = "r w rw  "[(flags&3)*2 : (flags&3)*2+2]
		e.dev = fdDev(st.Mode, e.name)
		e.devno, e.path, e.iounit, e.offset = st.Dev, st.Ino, int64(st.Blksize), pos // int32 on arm64
		if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
			e.qtype = 0x80 // QTDIR
		}
		ents = append(ents, e)
	}
	slices.SortFunc(ents, func(a, b fdEntry) int { return a.fd - b.fd })
	return ents, nil
}

// parseFdinfo reads fdinfo's pos and flags (octal).
func parseFdinfo(b []byte) (pos int64, flags uint64) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		v = strings.TrimSpace(v)
		switch k {
		case "pos":
			pos, _ = strconv.ParseInt(v, 10, 64)
		case "flags":
			flags, _ = strconv.ParseUint(v, 8, 64)
		}
	}
	return pos, flags
}

// fdDev is the device letter of a line of fds, after the Plan 9 device a
// file of that kind would come from: M (a file server's file: regular
// files, directories), | (pipe), I (network: sockets), c (character
// devices), S (storage: block devices), a (Linux's anonymous inodes:
// eventfd, epoll, timerfd ..., which Plan 9 has no device for).
func fdDev(mode uint32, name string) byte {
	switch {
	case strings.HasPrefix(name, "anon_inode:"):
		return 'a'
	case mode&syscall.S_IFMT == syscall.S_IFIFO:
		return '|'
	case mode&syscall.S_IFMT == syscall.S_IFSOCK:
		return 'I'
	case mode&syscall.S_IFMT == syscall.S_IFCHR:
		return 'c'
	case mode&syscall.S_IFMT == syscall.S_IFBLK:
		return 'S'
	}
	return 'M'
}

func escapeNL(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }

// vma is a line of /proc/PID/maps (or a mapping's first line in smaps).
type vma struct {
	start, end uint64
	perms      string // rwxp or rwxs
	inode      uint64
	name       string // path, [heap], [stack], [vdso] ..., or ""
}

// parseVMA reads a maps line: start-end perms offset dev inode [name].
func parseVMA(l string) (vma, bool) {
	var v vma
	f := strings.SplitN(l, " ", 6)
	if len(f) < 5 || len(f[1]) != 4 {
		return v, false
	}
	s, e, ok := strings.Cut(f[0], "-")
	if !ok {
		return v, false
	}
	var err1, err2, err3 error
	v.start, err1 = strconv.ParseUint(s, 16, 64)
	v.end, err2 = strconv.ParseUint(e, 16, 64)
	v.inode, err3 = strconv.ParseUint(f[4], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return v, false
	}
	v.perms = f[1]
	if len(f) == 6 {
		v.name = strings.TrimLeft(f[5], " ")
	}
	return v, true
}

func (v vma) readable() bool   { return v.perms[0] == 'r' }
func (v vma) writable() bool   { return v.perms[1] == 'w' }
func (v vma) executable() bool { return v.perms[2] == 'x' }
func (v vma) shared() bool     { return v.perms[3] == 's' }

// segmentName is the Plan 9 segment a Linux mapping stands for:
//
//	Stack   the main thread's stack, [stack]
//	Shared  a shared mapping (MAP_SHARED: shared memory, a file mapped shared)
//	Text    an executable mapping (the program's and libraries' code, [vdso]),
//	        and a file's read-only mapping (its read-only data, which Plan 9
//	        keeps in the text segment)
//	Data    a file's writable private mapping (initialized data)
//	Phys    the kernel's other pages ([vvar], [vsyscall] when not executable)
//	Bss     anonymous private memory: [heap] (Plan 9's brk grows Bss),
//	        mmap'd memory, thread stacks
func segmentName(v vma) string {
	switch {
	case v.name == "[stack]":
		return "Stack"
	case v.shared():
		return "Shared"
	case v.executable():
		return "Text"
	case strings.HasPrefix(v.name, "[") && v.name != "[heap]" && v.inode == 0:
		return "Phys"
	case v.inode != 0 && !v.writable():
		return "Text"
	case v.inode != 0:
		return "Data"
	}
	return "Bss"
}

// segment is Plan 9's segment: a line per mapping, in devproc's format
// ("%-6s %c%c %.8lux %.8lux %4ld": name, R when read-only, P when
// profiled, base, top, references), one line for each of Linux's mappings
// in address order. Nothing is profiled; the reference count is 1, as
// Linux does not count a mapping's sharers.
func segment(f *pidFile, c *caller) ([]byte, syscall.Errno) {
	b, e := f.readAs(c, "maps")
	if e != 0 {
		return nil, e
	}
	var out bytes.Buffer
	for _, l := range strings.Split(string(b), "\n") {
		v, ok := parseVMA(l)
		if !ok {
			continue
		}
		ro := byte(' ')
		if !v.writable() {
			ro = 'R'
		}
		fmt.Fprintf(&out, "%-6s %c%c %08x %08x %4d\n", segmentName(v), ro, ' ', v.start, v.end, 1)
	}
	return out.Bytes(), 0
}

// noteid is Plan 9's note group, on Linux the process group: the group
// notepg signals. Read-only (noteidFile).
func noteid(f *pidFile, c *caller) ([]byte, syscall.Errno) {
	b, e := f.readAs(c, "stat")
	if e != 0 {
		return nil, e
	}
	i := bytes.LastIndexByte(b, ')')
	fl := strings.Fields(string(b[i+1:]))
	if i < 0 || len(fl) < 3 {
		return nil, syscall.ESRCH
	}
	return []byte(fl[2] + "\n"), 0
}
