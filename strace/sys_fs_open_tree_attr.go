package strace

import "github.com/eproc/eproc/loader/wire"

// open_tree_attr (Linux 6.15), which strace 6.1 does not know: as strace
// 7.2's mount_setattr.c prints it, open_tree's arguments and a struct
// mount_attr as mount_setattr's (fmtMountAttr), with strace 7.2's
// tables: OPEN_TREE_NAMESPACE, and MOUNT_ATTR__ATIME (the atime bits
// together, before their names one by one).

var openTreeAttrFlags = []flag{
	{1, "OPEN_TREE_CLONE"}, {2, "OPEN_TREE_NAMESPACE"}, {0x80000, "OPEN_TREE_CLOEXEC"}, {0x100, "AT_SYMLINK_NOFOLLOW"},
	{0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x8000, "AT_RECURSIVE"},
}

var mountAttrAttr72 = []flag{
	{0x1, "MOUNT_ATTR_RDONLY"}, {0x2, "MOUNT_ATTR_NOSUID"}, {0x4, "MOUNT_ATTR_NODEV"}, {0x8, "MOUNT_ATTR_NOEXEC"},
	{0x70, "MOUNT_ATTR__ATIME"}, {0x10, "MOUNT_ATTR_NOATIME"}, {0x20, "MOUNT_ATTR_STRICTATIME"},
	{0x80, "MOUNT_ATTR_NODIRATIME"}, {0x100000, "MOUNT_ATTR_IDMAP"}, {0x200000, "MOUNT_ATTR_NOSYMFOLLOW"},
}

var (
	kOpenTreeAttrFlags = flagsKind(openTreeAttrFlags, "OPEN_TREE_???")
	kMountAttr72       = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 4096, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) { mountAttrWith(p, c, i, mountAttrAttr72) }})
)

func init() {
	registerSigs(map[string]sig{
		"open_tree_attr": {args: []kind{kDirfd, kMountPath, kOpenTreeAttrFlags, kMountAttr72, kUlong}, class: ClassDesc | ClassFile},
	})
}
