package strace

import "github.com/eproc/eproc/loader/wire"

// Mounting: mount, umount2, and the new mount API (fsopen, fspick,
// fsmount, open_tree, move_mount), as strace's mount.c, umount.c,
// fsopen.c, fspick.c, fsmount.c, open_tree.c and move_mount.c print them.

const (
	msRemount  = 1 << 5
	msBind     = 1 << 12
	msMove     = 1 << 13
	msMgcVal   = 0xc0ed0000
	msMgcMask  = 0xffff0000
	msNoTypeOf = msBind | msMove | 1<<17 | 1<<18 | 1<<19 | 1<<20 // and MS_UNBINDABLE, _PRIVATE, _SLAVE, _SHARED
)

var mountFlags = []flag{
	{1 << 0, "MS_RDONLY"}, {1 << 1, "MS_NOSUID"}, {1 << 2, "MS_NODEV"}, {1 << 3, "MS_NOEXEC"},
	{1 << 4, "MS_SYNCHRONOUS"}, {1 << 5, "MS_REMOUNT"}, {1 << 6, "MS_MANDLOCK"}, {1 << 7, "MS_DIRSYNC"},
	{1 << 8, "MS_NOSYMFOLLOW"}, {1 << 10, "MS_NOATIME"}, {1 << 11, "MS_NODIRATIME"}, {1 << 12, "MS_BIND"},
	{1 << 13, "MS_MOVE"}, {1 << 14, "MS_REC"}, {1 << 15, "MS_SILENT"}, {1 << 16, "MS_POSIXACL"},
	{1 << 17, "MS_UNBINDABLE"}, {1 << 18, "MS_PRIVATE"}, {1 << 19, "MS_SLAVE"}, {1 << 20, "MS_SHARED"},
	{1 << 21, "MS_RELATIME"}, {1 << 22, "MS_KERNMOUNT"}, {1 << 23, "MS_I_VERSION"}, {1 << 24, "MS_STRICTATIME"},
	{1 << 25, "MS_LAZYTIME"}, {1 << 26, "MS_SUBMOUNT"}, {1 << 27, "MS_NOREMOTELOCK"}, {1 << 28, "MS_NOSEC"},
	{1 << 29, "MS_BORN"}, {1 << 30, "MS_ACTIVE"}, {1 << 31, "MS_NOUSER"},
}

// mountFlagsOf is mount's flags without the old magic, and whether it was there.
func mountFlagsOf(c *Call) (uint64, bool) {
	v := c.Args[3]
	if v&msMgcMask == msMgcVal {
		return v &^ msMgcMask, true
	}
	return v, false
}

// mountIgnores says which of mount's type and data strace prints as
// addresses: the type for a remount or a bind, move or propagation
// change; the data for the latter.
func mountIgnores(c *Call) (typ, data bool) {
	v, _ := mountFlagsOf(c)
	if v&msRemount != 0 {
		return true, false
	}
	if v&msNoTypeOf != 0 {
		return true, true
	}
	return false, false
}

// capPathExact is a path argument (capPath) and the bytes of the
// kernel's longest (PATH_MAX) again (CKMem, element 0 too, after it):
// whether byte 4095 is its NUL tells a path of 4095 characters, which
// strace prints whole, from a longer one, which it cuts ("..."); the
// string capture alone cannot. For the new mount API's calls only (a
// page more per path): their tests pass such paths.
var capPathExact = capRule{kind: wire.CKStr, max: pathShown + 1, when: wire.CWIn, also: &[]capRule{capIn(pathShown + 1)}}

// fmtPathExact prints a path captured by capPathExact as strace's
// printpath: pathShown characters at most, then "..." when there is no
// NUL among PATH_MAX bytes, or its address when those could not be read.
func fmtPathExact(p *printer, c *Call, i int) {
	cp := capturedAlways(p, c, i, 0)
	if cp == nil {
		return
	}
	more := cp.Trunc()
	if more && len(cp.Data) == pathShown {
		switch m := pathBytes(c, i); {
		case m == nil || m.Wants() || m.Fault() && !m.Part():
			more = !wholePath(c, i, cp.Data) // not read: guessed
		case len(m.Data) <= pathShown: // byte 4095 could not be read
			p.ptr(c.Args[i])
			return
		default:
			more = m.Data[pathShown] != 0
		}
	}
	p.quote(cp.Data, more)
}

// pathBytes is capPathExact's second capture of argument i: the CKMem one.
func pathBytes(c *Call, i int) *wire.Cap {
	seen := false
	for k := range c.Caps {
		if cp := &c.Caps[k]; int(cp.Arg) == i && cp.Idx == 0 {
			if seen {
				return cp
			}
			seen = true
		}
	}
	return nil
}

var kMountPath = newKind(kindInfo{cap: capPathExact, fmt: fmtPathExact})

var mountAttrFlags = []flag{
	{0x1, "MOUNT_ATTR_RDONLY"}, {0x2, "MOUNT_ATTR_NOSUID"}, {0x4, "MOUNT_ATTR_NODEV"}, {0x8, "MOUNT_ATTR_NOEXEC"},
	{0x10, "MOUNT_ATTR_NOATIME"}, {0x20, "MOUNT_ATTR_STRICTATIME"}, {0x80, "MOUNT_ATTR_NODIRATIME"},
}

var (
	kMountType = newKind(kindInfo{cap: capStr, fmt: func(p *printer, c *Call, i int) {
		if typ, _ := mountIgnores(c); typ {
			p.ptr(c.Args[i])
			return
		}
		fmtStrLimited(p, c, i)
	}})
	kMountData = newKind(kindInfo{cap: capStr, fmt: func(p *printer, c *Call, i int) {
		if _, data := mountIgnores(c); data {
			p.ptr(c.Args[i])
			return
		}
		fmtStrLimited(p, c, i)
	}})
	kMountFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		v, magic := mountFlagsOf(c)
		if magic {
			p.constVal(msMgcVal, 'x', "MS_MGC_VAL")
			if v == 0 {
				return
			}
			p.c('|')
		}
		flagsOrUnknown(p, v, mountFlags, "", "MS_???")
	}})
	kUmountFlags    = flagsKind([]flag{{1, "MNT_FORCE"}, {2, "MNT_DETACH"}, {4, "MNT_EXPIRE"}, {8, "UMOUNT_NOFOLLOW"}}, "MNT_???")
	kFsopenFlags    = flagsKind([]flag{{1, "FSOPEN_CLOEXEC"}}, "FSOPEN_???")
	kFspickFlags    = flagsKind([]flag{{1, "FSPICK_CLOEXEC"}, {2, "FSPICK_SYMLINK_NOFOLLOW"}, {4, "FSPICK_NO_AUTOMOUNT"}, {8, "FSPICK_EMPTY_PATH"}}, "FSPICK_???")
	kFsmountFlags   = flagsKind([]flag{{1, "FSMOUNT_CLOEXEC"}}, "FSMOUNT_???")
	kMountAttrFlags = flagsKind(mountAttrFlags, "MOUNT_ATTR_???")
	kOpenTreeFlags  = flagsKind([]flag{
		{1, "OPEN_TREE_CLONE"}, {0x80000, "OPEN_TREE_CLOEXEC"}, {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"},
		{0x400, "AT_SYMLINK_FOLLOW"}, {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x8000, "AT_RECURSIVE"},
	}, "OPEN_TREE_???")
	kMoveMountFlags = flagsKind([]flag{
		{0x1, "MOVE_MOUNT_F_SYMLINKS"}, {0x2, "MOVE_MOUNT_F_AUTOMOUNTS"}, {0x4, "MOVE_MOUNT_F_EMPTY_PATH"},
		{0x10, "MOVE_MOUNT_T_SYMLINKS"}, {0x20, "MOVE_MOUNT_T_AUTOMOUNTS"}, {0x40, "MOVE_MOUNT_T_EMPTY_PATH"},
		{0x100, "MOVE_MOUNT_SET_GROUP"},
	}, "MOVE_MOUNT_???")
)

var mountAttrAttr = append(mountAttrFlags[:len(mountAttrFlags):len(mountAttrFlags)],
	flag{0x100000, "MOUNT_ATTR_IDMAP"}, flag{0x200000, "MOUNT_ATTR_NOSYMFOLLOW"})

const mountAttrIdmap = 0x100000

var (
	kMountSetattrFlags = flagsKind([]flag{{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x8000, "AT_RECURSIVE"}}, "AT_???")
	kMountAttr         = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 4096, when: wire.CWIn}, fmt: fmtMountAttr})
)

// mountAttrSize is struct mount_attr's (MOUNT_ATTR_SIZE_VER0).
const mountAttrSize = 32

// fmtMountAttr prints mount_setattr's struct mount_attr as strace's
// print_mount_attr: under 32 bytes, or not verbose (-e verbose=), the
// address; userns_fd as a descriptor only with MOUNT_ATTR_IDMAP; the
// bytes past 32, up to a page, as print_nonzero_bytes (structTail).
func fmtMountAttr(p *printer, c *Call, i int) { mountAttrWith(p, c, i, mountAttrAttr) }

// mountAttrWith is fmtMountAttr with attr_set's and attr_clr's names in tab
// (open_tree_attr's are strace 7.2's).
func mountAttrWith(p *printer, c *Call, i int, tab []flag) {
	cp := c.Cap(i, 0)
	size := c.Args[i+1]
	if size < mountAttrSize || c.Args[i] == 0 || !p.verbose() || cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < mountAttrSize {
		p.ptr(c.Args[i])
		return
	}
	b := cp.Data
	set, clr, prop, fd := le.Uint64(b), le.Uint64(b[8:]), le.Uint64(b[16:]), le.Uint64(b[24:])
	p.s("{attr_set=")
	flagsOrUnknown(p, set, tab, "", "MOUNT_ATTR_???")
	p.s(", attr_clr=")
	flagsOrUnknown(p, clr, tab, "", "MOUNT_ATTR_???")
	p.s(", propagation=")
	xlatOrUnknown(p, prop, []flag{{1 << 17, "MS_UNBINDABLE"}, {1 << 18, "MS_PRIVATE"}, {1 << 19, "MS_SLAVE"}, {1 << 20, "MS_SHARED"}}, "MS_???")
	p.s(", userns_fd=")
	if fd > 0x7fffffff || (set|clr)&mountAttrIdmap == 0 {
		p.u(fd)
	} else {
		p.fd(c, int32(fd))
	}
	structTail(p, cp, mountAttrSize, min(size, 4096))
	p.c('}')
}

func init() {
	const (
		F  = ClassFile
		D  = ClassDesc
		DF = ClassDesc | ClassFile
	)
	registerSigs(map[string]sig{
		"mount":      {args: []kind{kPath, kPath, kMountType, kMountFlags, kMountData}, class: F},
		"umount2":    {args: []kind{kPath, kUmountFlags}, class: F},
		"fsopen":     {args: []kind{kStr, kFsopenFlags}, class: D},
		"fspick":     {args: []kind{kDirfd, kMountPath, kFspickFlags}, class: DF},
		"fsmount":    {args: []kind{kFd, kFsmountFlags, kMountAttrFlags}, class: D},
		"open_tree":  {args: []kind{kDirfd, kMountPath, kOpenTreeFlags}, class: DF},
		"move_mount": {args: []kind{kDirfd, kMountPath, kDirfd, kMountPath, kMoveMountFlags}, class: DF},

		"mount_setattr": {args: []kind{kDirfd, kMountPath, kMountSetattrFlags, kMountAttr, kUlong}, class: DF},
	})
}
