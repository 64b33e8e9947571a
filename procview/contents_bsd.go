package procview

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"golang.org/x/sys/unix"
)

// What FreeBSD procfs's map, rlimit and etype hold, from /proc's smaps,
// limits and exe, read with the opener's identity.

// mapEntry is a mapping of smaps with the fields map uses.
type mapEntry struct {
	vma
	rss, private, anon, swap uint64 // kB
	accounted                bool   // VmFlags ac: charged to the process's commit
}

// smapsEntries reads smaps: each mapping's line, then its fields.
func smapsEntries(b []byte) []mapEntry {
	var ents []mapEntry
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := parseVMA(l); ok {
			ents = append(ents, mapEntry{vma: v})
			continue
		}
		if len(ents) == 0 {
			continue
		}
		e := &ents[len(ents)-1]
		k, val, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		kb, _ := strconv.ParseUint(strings.TrimSuffix(val, " kB"), 10, 64)
		switch k {
		case "Rss":
			e.rss = kb
		case "Private_Clean", "Private_Dirty":
			e.private += kb
		case "Anonymous":
			e.anon = kb
		case "Swap":
			e.swap = kb
		case "VmFlags":
			e.accounted = slices.Contains(strings.Fields(val), "ac")
		}
	}
	return ents
}

// mapType is FreeBSD's VM object type for a mapping: vnode (a file),
// device (a device file), phys (the kernel's pages: [vdso], [vvar]),
// swap (anonymous memory with pages in swap), default (anonymous memory
// with pages), none (anonymous memory never touched: FreeBSD has no
// object for it yet).
func mapType(e mapEntry) string {
	switch {
	case e.inode != 0 && strings.HasPrefix(e.name, "/dev/") && !strings.HasSuffix(e.name, " (deleted)"):
		return "device"
	case e.inode != 0:
		return "vnode"
	case strings.HasPrefix(e.name, "[") && e.name != "[heap]" && e.name != "[stack]" && !strings.HasPrefix(e.name, "[anon"):
		return "phys"
	case e.swap > 0:
		return "swap"
	case e.rss > 0:
		return "default"
	}
	return "none"
}

// fbsdMap is FreeBSD's map: a line per mapping, in procfs_map.c's format
//
//	start end resident privresident obj prot ref_count shadow_count flags cow needs_copy type path charged uid
//
// ("0x%lx 0x%lx %d %d %p %s%s%s %d %d 0x%x %s %s %s %s %s %d"). From
// Linux's smaps: start, end, prot (rwx) and path (Linux's name, [heap]
// and the like included; "-" for none) as maps has them; resident is Rss
// and privresident Private_Clean+Private_Dirty, in pages; obj stands for
// the backing object: the file's inode number in hex, 0 for anonymous
// memory (Linux shows no object's address); ref_count and shadow_count,
// which Linux does not count per object, are 1 and 0, and the object's
// flags 0x0; COW for a private mapping, NCOW for a shared one; NC (needs
// copy) for a private mapping with no anonymous page yet, NNC otherwise;
// type as mapType; CH and the real uid when the mapping is charged to the
// process's commit (smaps' VmFlags ac), NCH -1 otherwise.
func fbsdMap(f *pidFile, c *caller) ([]byte, syscall.Errno) {
	b, e := f.readAs(c, "smaps")
	if e != 0 {
		return nil, e
	}
	cr, err := readCreds(f.id.pid)
	if err != nil {
		return nil, syscall.ESRCH
	}
	page := uint64(os.Getpagesize()) / 1024
	var out bytes.Buffer
	for _, m := range smapsEntries(b) {
		obj := "0"
		if m.inode != 0 {
			obj = fmt.Sprintf("%#x", m.inode)
		}
		prot := []byte("---")
		for i, ok := range []bool{m.readable(), m.writable(), m.executable()} {
			if ok {
				prot[i] = "rwx"[i]
			}
		}
		cow, nc := "NCOW", "NNC"
		if !m.shared() {
			cow = "COW"
			if m.anon == 0 {
				nc = "NC"
			}
		}
		path := m.name
		if path == "" {
			path = "-"
		}
		ch, uid := "NCH", int64(-1)
		if m.accounted {
			ch, uid = "CH", int64(cr.uid[0])
		}
		fmt.Fprintf(&out, "%#x %#x %d %d %s %s %d %d 0x%x %s %s %s %s %s %d\n",
			m.start, m.end, m.rss/page, m.private/page, obj, prot, 1, 0, 0, cow, nc, mapType(m), path, ch, uid)
	}
	return out.Bytes(), 0
}

// rlimitNames are Linux's resources in RLIMIT_ order, as /proc/PID/limits
// lists them, named as FreeBSD's rlimit_ident does where FreeBSD has the
// resource (vmem for RLIMIT_AS), and after Linux's RLIMIT_ names
// otherwise.
var rlimitNames = []string{
	"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile",
	"memlock", "vmem", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime",
}

// procLimits reads /proc/PID/limits (whose columns are fixed: "%-25s
// %-20s %-20s %-10s"): each resource's soft and hard limit, in RLIMIT_
// order, RLIM_INFINITY for unlimited. The file is everyone's to read, as
// prlimit is not.
func procLimits(b []byte) ([][2]uint64, error) {
	lines := strings.Split(string(b), "\n")
	if !strings.HasPrefix(lines[0], "Limit") {
		return nil, syscall.EIO
	}
	var lims [][2]uint64
	for _, l := range lines[1:] {
		if len(l) < 67 {
			break
		}
		var lim [2]uint64
		for i, v := range []string{l[26:46], l[47:67]} {
			v = strings.TrimSpace(v)
			if v == "unlimited" {
				lim[i] = unix.RLIM_INFINITY
				continue
			}
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return nil, syscall.EIO
			}
			lim[i] = n
		}
		lims = append(lims, lim)
	}
	return lims, nil
}

// rlimit is FreeBSD's rlimit: a line per resource, "name cur max", -1 for
// infinity.
func rlimit(f *pidFile, c *caller) ([]byte, syscall.Errno) {
	b, e := f.readAs(c, "limits")
	if e != 0 {
		return nil, e
	}
	lims, err := procLimits(b)
	if err != nil {
		return nil, syscall.EIO
	}
	var out bytes.Buffer
	for i, lim := range lims[:min(len(lims), len(rlimitNames))] {
		out.WriteString(rlimitNames[i])
		for _, v := range lim {
			if v == unix.RLIM_INFINITY {
				out.WriteString(" -1")
			} else {
				fmt.Fprintf(&out, " %d", v)
			}
		}
		out.WriteByte('\n')
	}
	return out.Bytes(), 0
}

// softLimit is the process's soft limit of resource res.
func softLimit(id *ident, res int) (uint64, error) {
	b, err := os.ReadFile(id.path("limits"))
	if err != nil {
		return 0, syscall.ESRCH
	}
	lims, err := procLimits(b)
	if err != nil || res >= len(lims) {
		return 0, syscall.EIO
	}
	return lims[res][0], nil
}

// elfMachines names the common machines as uname -m does; others by
// debug/elf's name, lower case, EM_ left out.
var elfMachines = map[elf.Machine]string{
	elf.EM_X86_64: "x86-64", elf.EM_386: "i386", elf.EM_AARCH64: "aarch64", elf.EM_ARM: "arm",
	elf.EM_RISCV: "riscv", elf.EM_PPC64: "ppc64", elf.EM_S390: "s390", elf.EM_LOONGARCH: "loongarch",
}

// etype is FreeBSD's etype, the ABI the process runs (FreeBSD's names
// are "FreeBSD ELF64" and the like): "Linux ELF64 x86-64", from the ELF
// header of its executable (class and machine); "Linux unknown" for an
// executable that is not ELF.
func etype(f *pidFile, c *caller) ([]byte, syscall.Errno) {
	var class, mach string
	err := c.as(func() error {
		file, err := os.Open(f.id.path("exe"))
		if err != nil {
			return err
		}
		defer file.Close()
		ef, err := elf.NewFile(file)
		if err != nil {
			return nil // not ELF
		}
		class = map[elf.Class]string{elf.ELFCLASS32: "ELF32", elf.ELFCLASS64: "ELF64"}[ef.Class]
		mach = elfMachines[ef.Machine]
		if mach == "" {
			mach = strings.ToLower(strings.TrimPrefix(ef.Machine.String(), "EM_"))
		}
		return nil
	})
	if err != nil {
		return nil, fs.ToErrno(err)
	}
	if class == "" {
		return []byte("Linux unknown\n"), 0
	}
	return []byte("Linux " + class + " " + mach + "\n"), 0
}
