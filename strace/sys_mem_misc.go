package strace

import "golang.org/x/sys/unix"

// More of the memory family: mlockall, mlock2, remap_file_pages, the
// protection keys, memfd_secret, userfaultfd, process_mrelease and
// set_mempolicy_home_node, as strace 6.1 prints them.

var (
	mlockallFlags = []flag{{1, "MCL_CURRENT"}, {2, "MCL_FUTURE"}, {4, "MCL_ONFAULT"}}
	pkeyAccess    = []flag{{1, "PKEY_DISABLE_ACCESS"}, {2, "PKEY_DISABLE_WRITE"}, {4, "PKEY_DISABLE_EXECUTE"}}
	uffdFlags     = []flag{{1, "UFFD_USER_MODE_ONLY"}, {unix.O_NONBLOCK, "O_NONBLOCK"}, {unix.O_CLOEXEC, "O_CLOEXEC"}}
)

var (
	kMlockallFlags = flagsKind(mlockallFlags, "MCL_???")
	kMlock2Flags   = flagsKind([]flag{{1, "MLOCK_ONFAULT"}}, "MLOCK_???")
	kSecretFlags   = flagsKind([]flag{{unix.O_CLOEXEC, "O_CLOEXEC"}}, "")
	kUffdFlags     = flagsKind(uffdFlags, "UFFD_???")
	// kHex0 is C's %#llx of a whole register: 0, or 0x...
	kHex0       = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { hexOrZero(p, c.Args[i]) }})
	kHex0U32    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { hexOrZero(p, c.Args[i]&0xffffffff) }})
	kPkeyAccess = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flagsDflt(c.Args[i], pkeyAccess, "", "PKEY_???") }})
)

func init() {
	registerSigs(map[string]sig{
		"mlockall":                {args: []kind{kMlockallFlags}, class: ClassMemory},
		"munlockall":              {class: ClassMemory},
		"mlock2":                  {args: []kind{kPtr, kUlong, kMlock2Flags}, class: ClassMemory},
		"remap_file_pages":        {args: []kind{kPtr, kUlong, kProt, kUlong, kMmapFlags}, class: ClassMemory},
		"pkey_alloc":              {args: []kind{kHex0, kPkeyAccess}},
		"pkey_free":               {args: []kind{kInt}},
		"pkey_mprotect":           {args: []kind{kPtr, kUlong, kProt, kInt}, class: ClassMemory},
		"memfd_secret":            {args: []kind{kSecretFlags}, class: ClassDesc},
		"userfaultfd":             {args: []kind{kUffdFlags}, class: ClassDesc},
		"process_mrelease":        {args: []kind{kFd, kHex0U32}, class: ClassDesc},
		"set_mempolicy_home_node": {args: []kind{kPtr, kUlong, kUlong, kHex0}, class: ClassMemory},
	})
}
