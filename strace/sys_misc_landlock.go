package strace

// The landlock calls, as strace 6.1 prints them (landlock.c).

var landlockAccessFS = []flag{{1, "LANDLOCK_ACCESS_FS_EXECUTE"}, {2, "LANDLOCK_ACCESS_FS_WRITE_FILE"},
	{4, "LANDLOCK_ACCESS_FS_READ_FILE"}, {8, "LANDLOCK_ACCESS_FS_READ_DIR"}, {0x10, "LANDLOCK_ACCESS_FS_REMOVE_DIR"},
	{0x20, "LANDLOCK_ACCESS_FS_REMOVE_FILE"}, {0x40, "LANDLOCK_ACCESS_FS_MAKE_CHAR"}, {0x80, "LANDLOCK_ACCESS_FS_MAKE_DIR"},
	{0x100, "LANDLOCK_ACCESS_FS_MAKE_REG"}, {0x200, "LANDLOCK_ACCESS_FS_MAKE_SOCK"}, {0x400, "LANDLOCK_ACCESS_FS_MAKE_FIFO"},
	{0x800, "LANDLOCK_ACCESS_FS_MAKE_BLOCK"}, {0x1000, "LANDLOCK_ACCESS_FS_MAKE_SYM"}, {0x2000, "LANDLOCK_ACCESS_FS_REFER"}}

var (
	// kLandlockRuleset is struct landlock_ruleset_attr, whose size is the
	// next argument: its handled_access_fs, then ", ..." when the size
	// says there is more.
	kLandlockRuleset = newKind(kindInfo{cap: capIn(8), fmt: func(p *printer, c *Call, i int) {
		size := c.Args[i+1]
		b := capturedIn(c, i, 8)
		if size < 8 || b == nil {
			p.ptr(c.Args[i])
			return
		}
		p.s("{handled_access_fs=")
		p.flagsDflt(le.Uint64(b), landlockAccessFS, "", "LANDLOCK_ACCESS_FS_???")
		if size > 8 {
			p.s(", ...")
		}
		p.c('}')
	}})
	kLandlockCreateFlags = flagsKind([]flag{{1, "LANDLOCK_CREATE_RULESET_VERSION"}}, "LANDLOCK_CREATE_RULESET_???")
	kLandlockRuleType    = xlatKind([]flag{{1, "LANDLOCK_RULE_PATH_BENEATH"}}, "LANDLOCK_RULE_???")
	// kLandlockRuleAttr is landlock_add_rule's attribute: for
	// LANDLOCK_RULE_PATH_BENEATH, the packed struct
	// landlock_path_beneath_attr (12 bytes).
	kLandlockRuleAttr = newKind(kindInfo{cap: capIn(12), fmt: func(p *printer, c *Call, i int) {
		b := capturedIn(c, i, 12)
		if uint32(c.Args[i-1]) != 1 || b == nil {
			p.ptr(c.Args[i])
			return
		}
		p.s("{allowed_access=")
		p.flagsDflt(le.Uint64(b), landlockAccessFS, "", "LANDLOCK_ACCESS_FS_???")
		p.s(", parent_fd=")
		p.fd(c, int32(le.Uint32(b[8:])))
		p.c('}')
	}})
)

// landlockCreateRet: landlock_create_ruleset returns a descriptor, but
// with LANDLOCK_CREATE_RULESET_VERSION the ABI version, a number.
func landlockCreateRet(p *printer, c *Call) {
	if c.Args[2]&1 != 0 {
		p.d(c.Ret)
		return
	}
	p.fd(c, int32(c.Ret))
}

func init() {
	registerSigs(map[string]sig{
		"landlock_restrict_self":  {args: []kind{kFd, kHex0U32}, class: ClassDesc},
		"landlock_create_ruleset": {args: []kind{kLandlockRuleset, kUlong, kLandlockCreateFlags}, ret: landlockCreateRet, class: ClassDesc},
		"landlock_add_rule":       {args: []kind{kFd, kLandlockRuleType, kLandlockRuleAttr, kHex0U32}, class: ClassDesc},
	})
}
