package strace

// fanotify_init and fanotify_mark, as strace's fanotify.c prints them.

const fanAllClassBits = 0xc

var (
	fanClasses   = []flag{{0, "FAN_CLASS_NOTIF"}, {4, "FAN_CLASS_CONTENT"}, {8, "FAN_CLASS_PRE_CONTENT"}}
	fanInitFlags = []flag{
		{0x1, "FAN_CLOEXEC"}, {0x2, "FAN_NONBLOCK"}, {0x10, "FAN_UNLIMITED_QUEUE"}, {0x20, "FAN_UNLIMITED_MARKS"},
		{0x40, "FAN_ENABLE_AUDIT"}, {0x80, "FAN_REPORT_PIDFD"}, {0x100, "FAN_REPORT_TID"}, {0x200, "FAN_REPORT_FID"},
		{0x400, "FAN_REPORT_DIR_FID"}, {0x800, "FAN_REPORT_NAME"}, {0x1000, "FAN_REPORT_TARGET_FID"},
	}
	fanMarkFlags = []flag{
		{0x1, "FAN_MARK_ADD"}, {0x2, "FAN_MARK_REMOVE"}, {0x4, "FAN_MARK_DONT_FOLLOW"}, {0x8, "FAN_MARK_ONLYDIR"},
		{0x10, "FAN_MARK_MOUNT"}, {0x20, "FAN_MARK_IGNORED_MASK"}, {0x40, "FAN_MARK_IGNORED_SURV_MODIFY"},
		{0x80, "FAN_MARK_FLUSH"}, {0x100, "FAN_MARK_FILESYSTEM"}, {0x200, "FAN_MARK_EVICTABLE"}, {0x400, "FAN_MARK_IGNORE"},
	}
	fanEventFlags = []flag{
		{0x1, "FAN_ACCESS"}, {0x2, "FAN_MODIFY"}, {0x4, "FAN_ATTRIB"}, {0x8, "FAN_CLOSE_WRITE"},
		{0x10, "FAN_CLOSE_NOWRITE"}, {0x20, "FAN_OPEN"}, {0x40, "FAN_MOVED_FROM"}, {0x80, "FAN_MOVED_TO"},
		{0x100, "FAN_CREATE"}, {0x200, "FAN_DELETE"}, {0x400, "FAN_DELETE_SELF"}, {0x800, "FAN_MOVE_SELF"},
		{0x1000, "FAN_OPEN_EXEC"}, {0x4000, "FAN_Q_OVERFLOW"}, {0x8000, "FAN_FS_ERROR"}, {0x10000, "FAN_OPEN_PERM"},
		{0x20000, "FAN_ACCESS_PERM"}, {0x40000, "FAN_OPEN_EXEC_PERM"}, {0x80000, "FAN_DIR_MODIFY"},
		{0x40000000, "FAN_ONDIR"}, {0x8000000, "FAN_EVENT_ON_CHILD"}, {0x10000000, "FAN_RENAME"},
	}
)

var (
	// kFanInitFlags is fanotify_init's flags: the class, then the flags.
	kFanInitFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		v := uint64(uint32(c.Args[i]))
		xlatOrUnknown(p, v&fanAllClassBits, fanClasses, "FAN_CLASS_???")
		if v &^= fanAllClassBits; v != 0 {
			p.c('|')
			flagsOrUnknown(p, v, fanInitFlags, "", "FAN_???")
		}
	}})
	kFanEventFFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { openFlags(p, uint64(uint32(c.Args[i]))) }})
	kFanMarkFlags   = flagsKind(fanMarkFlags, "FAN_MARK_???")
	kFanEventMask   = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		flagsOrUnknown(p, c.Args[i], fanEventFlags, "", "FAN_???")
	}})
	// kFanDirfd is fanotify_mark's dirfd: FAN_NOFD (-1), or a directory.
	kFanDirfd = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		if int32(c.Args[i]) == -1 {
			p.constVal(uint64(^uint64(0)), 'd', "FAN_NOFD")
			return
		}
		kinds[kDirfd].fmt(p, c, i)
	}})
)

func init() {
	registerSigs(map[string]sig{
		"fanotify_init": {args: []kind{kFanInitFlags, kFanEventFFlags}, class: ClassDesc},
		"fanotify_mark": {args: []kind{kFd, kFanMarkFlags, kFanEventMask, kFanDirfd, kPath}, class: ClassDesc | ClassFile},
	})
}
