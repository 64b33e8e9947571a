package strace

import "github.com/eproc/eproc/loader/wire"

// keyctl, as strace 6.1's keyctl.c prints it: the command decides the
// arguments, and what is captured (keyctlCases: the selector picks the
// captures by command). The command and what strace prints at entry are
// kKeyctl's; what it prints at exit (the buffers the call fills) is
// kKeyctlOut's.

// The keyctl commands (xlat/keyctl_commands.in), by number.
var keyctlCmds = func() []flag {
	names := []string{"GET_KEYRING_ID", "JOIN_SESSION_KEYRING", "UPDATE", "REVOKE", "CHOWN", "SETPERM", "DESCRIBE",
		"CLEAR", "LINK", "UNLINK", "SEARCH", "READ", "INSTANTIATE", "NEGATE", "SET_REQKEY_KEYRING", "SET_TIMEOUT",
		"ASSUME_AUTHORITY", "GET_SECURITY", "SESSION_TO_PARENT", "REJECT", "INSTANTIATE_IOV", "INVALIDATE",
		"GET_PERSISTENT", "DH_COMPUTE", "PKEY_QUERY", "PKEY_ENCRYPT", "PKEY_DECRYPT", "PKEY_SIGN", "PKEY_VERIFY",
		"RESTRICT_KEYRING", "MOVE", "CAPABILITIES", "WATCH_KEY"}
	tab := make([]flag, len(names))
	for i, n := range names {
		tab[i] = flag{uint64(i), "KEYCTL_" + n}
	}
	return tab
}()

// The commands by name.
const (
	kcGetKeyringID = iota
	kcJoinSession
	kcUpdate
	kcRevoke
	kcChown
	kcSetperm
	kcDescribe
	kcClear
	kcLink
	kcUnlink
	kcSearch
	kcRead
	kcInstantiate
	kcNegate
	kcSetReqkeyKeyring
	kcSetTimeout
	kcAssumeAuthority
	kcGetSecurity
	kcSessionToParent
	kcReject
	kcInstantiateIov
	kcInvalidate
	kcGetPersistent
	kcDHCompute
	kcPkeyQuery
	kcPkeyEncrypt
	kcPkeyDecrypt
	kcPkeySign
	kcPkeyVerify
	kcRestrictKeyring
	kcMove
	kcCapabilities
)

var (
	keyPerms = func() []flag {
		var tab []flag
		for _, who := range []struct {
			name  string
			shift uint
		}{{"POS", 24}, {"USR", 16}, {"GRP", 8}, {"OTH", 0}} {
			for k, n := range []string{"VIEW", "READ", "WRITE", "SEARCH", "LINK", "SETATTR"} {
				tab = append(tab, flag{1 << k << who.shift, "KEY_" + who.name + "_" + n})
			}
			tab = append(tab, flag{0x3f << who.shift, "KEY_" + who.name + "_ALL"})
		}
		return tab
	}()
	keyReqkeys = []flag{{0xffffffffffffffff, "KEY_REQKEY_DEFL_NO_CHANGE"}, {0, "KEY_REQKEY_DEFL_DEFAULT"},
		{1, "KEY_REQKEY_DEFL_THREAD_KEYRING"}, {2, "KEY_REQKEY_DEFL_PROCESS_KEYRING"}, {3, "KEY_REQKEY_DEFL_SESSION_KEYRING"},
		{4, "KEY_REQKEY_DEFL_USER_KEYRING"}, {5, "KEY_REQKEY_DEFL_USER_SESSION_KEYRING"}, {6, "KEY_REQKEY_DEFL_GROUP_KEYRING"},
		{7, "KEY_REQKEY_DEFL_REQUESTOR_KEYRING"}}
	keyctlCaps0 = []flag{{1, "KEYCTL_CAPS0_CAPABILITIES"}, {2, "KEYCTL_CAPS0_PERSISTENT_KEYRINGS"}, {4, "KEYCTL_CAPS0_DIFFIE_HELLMAN"},
		{8, "KEYCTL_CAPS0_PUBLIC_KEY"}, {16, "KEYCTL_CAPS0_BIG_KEY"}, {32, "KEYCTL_CAPS0_INVALIDATE"},
		{64, "KEYCTL_CAPS0_RESTRICT_KEYRING"}, {128, "KEYCTL_CAPS0_MOVE"}}
	keyctlCaps1     = []flag{{1, "KEYCTL_CAPS1_NS_KEYRING_NAME"}, {2, "KEYCTL_CAPS1_NS_KEY_TAG"}, {4, "KEYCTL_CAPS1_NOTIFICATIONS"}}
	keyctlMoveFlags = []flag{{1, "KEYCTL_MOVE_EXCL"}}
	keyctlPkeyOps   = []flag{{1, "KEYCTL_SUPPORTS_ENCRYPT"}, {2, "KEYCTL_SUPPORTS_DECRYPT"}, {4, "KEYCTL_SUPPORTS_SIGN"}, {8, "KEYCTL_SUPPORTS_VERIFY"}}
)

// keySerial prints a key_serial_t (print_keyring_serial_number).
func keySerial(p *printer, v uint64) {
	xlatDecOrUnknown(p, int64(int32(v)), keySpecs, "")
}

// keyUID prints a uid or gid as printuid does: -1, or unsigned.
func keyUID(p *printer, v uint64) {
	if uint32(v) == 0xffffffff {
		p.s("-1")
		return
	}
	p.u(uint64(uint32(v)))
}

// keyStrN prints argument i as printstr_ex prints n bytes there: at most
// strsize of them, "..." after when n is longer; with omit0, a NUL ending
// what is shown is left out (and then no "..."). The capture holds the
// bytes, or those before a page that could not be read.
func keyStrN(p *printer, c *Call, i int, n uint64, omit0 bool) {
	addr := c.Args[i]
	if addr == 0 {
		p.s("NULL")
		return
	}
	need := min(n, uint64(p.strsize))
	var d []byte
	if need > 0 {
		cp := c.Cap(i, 0)
		if cp == nil || cp.Fault() && !cp.Part() || uint64(len(cp.Data)) < need {
			p.ptr(addr)
			return
		}
		d = cp.Data[:need]
	}
	if omit0 && len(d) > 0 && d[len(d)-1] == 0 {
		p.quote(d[:len(d)-1], false)
		return
	}
	p.quote(d, n > uint64(p.strsize))
}

// keyStr prints argument i, a NUL-terminated string (printstr).
func keyStr(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	fmtStrLimited(p, c, i)
}

// keyArgs prints keyctl's arguments from..4 as kinds: 's' a key serial,
// 'S' a string, 'u' unsigned int, 'U' unsigned long, 'i' uid, 'd' int,
// 'b' the buffer whose length is the next argument.
func keyArgs(p *printer, c *Call, spec string) {
	for k, t := range spec {
		i := k + 1
		p.s(", ")
		v := c.Args[i]
		switch t {
		case 's':
			keySerial(p, v)
		case 'S':
			keyStr(p, c, i)
		case 'u':
			p.u(uint64(uint32(v)))
		case 'U':
			p.u(v)
		case 'i':
			keyUID(p, v)
		case 'd':
			p.d(int64(int32(v)))
		case 'b':
			keyStrN(p, c, i, c.Args[i+1], false)
		}
	}
}

// keyctlSpecs are the commands whose arguments keyArgs prints.
var keyctlSpecs = map[uint64]string{
	kcGetKeyringID: "sd", kcJoinSession: "S", kcUpdate: "sbU", kcRevoke: "s", kcClear: "s", kcInvalidate: "s",
	kcAssumeAuthority: "s", kcLink: "ss", kcUnlink: "ss", kcSearch: "sSSs", kcChown: "sii", kcInstantiate: "sbUs",
	kcNegate: "sus", kcSetTimeout: "su", kcGetPersistent: "is", kcRestrictKeyring: "sSS", kcSessionToParent: "",
	kcDescribe: "s", kcRead: "s", kcGetSecurity: "s", kcCapabilities: "",
}

// kKeyctl prints the command and what strace prints at entry.
var kKeyctl = newKind(kindInfo{fmt: func(p *printer, c *Call, _ int) {
	cmd := uint64(uint32(c.Args[0]))
	p.xlat(cmd, keyctlCmds, "/KEYCTL_???")
	if spec, ok := keyctlSpecs[cmd]; ok {
		keyArgs(p, c, spec)
		return
	}
	a2 := c.Args[1]
	switch cmd {
	case kcSetperm:
		p.s(", ")
		keySerial(p, a2)
		p.s(", ")
		flagsOrUnknown(p, uint64(uint32(c.Args[2])), keyPerms, "", "KEY_???")
	case kcSetReqkeyKeyring:
		p.s(", ")
		xlatDecOrUnknown(p, int64(int32(a2)), keyReqkeys, "KEY_REQKEY_DEFL_???")
	case kcReject:
		keyArgs(p, c, "su")
		p.s(", ")
		keyErr(p, uint64(uint32(c.Args[3])))
		p.s(", ")
		keySerial(p, c.Args[4])
	case kcInstantiateIov:
		p.s(", ")
		keySerial(p, a2)
		p.s(", ")
		fmtIov(p, c, 2, false)
		p.s(", ")
		p.u(c.Args[3])
		p.s(", ")
		keySerial(p, c.Args[4])
	case kcMove:
		keyArgs(p, c, "sss")
		p.s(", ")
		flagsOrUnknown(p, uint64(uint32(c.Args[4])), keyctlMoveFlags, "", "KEYCTL_MOVE_???")
	case kcDHCompute:
		p.s(", ")
		keyDHParams(p, c)
	case kcPkeyQuery:
		p.s(", ")
		keySerial(p, a2)
		p.s(", ")
		hexOrZero(p, c.Args[2])
		p.s(", ")
		keyStr(p, c, 3)
	case kcPkeyEncrypt, kcPkeyDecrypt, kcPkeySign, kcPkeyVerify:
		keyPkeyOp(p, c, cmd != kcPkeyVerify)
	default:
		for k := 1; k < 5; k++ {
			p.s(", ")
			hexOrZero(p, c.Args[k])
		}
	}
}})

// keyErr prints KEYCTL_REJECT's error as print_err does.
func keyErr(p *printer, e uint64) {
	name := errnoName(int64(e))
	if name == "" || p.style != ConstAbbrev {
		p.u(e)
	}
	switch {
	case name == "" || p.style == ConstRaw:
	case p.style == ConstAbbrev:
		p.s(name)
	default:
		p.comment(name)
	}
}

// keyctlNargs: the command, then what is printed at exit.
func keyctlNargs(c *Call) int {
	switch uint32(c.Args[0]) {
	case kcDescribe, kcRead, kcGetSecurity, kcDHCompute, kcPkeyQuery, kcCapabilities:
		return 2
	case kcPkeyEncrypt, kcPkeyDecrypt, kcPkeySign:
		if pkeyParams(c) != nil {
			return 2
		}
	}
	return 1
}

// kKeyctlOut prints what keyctl prints at exit.
var kKeyctlOut = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, _ int) {
	failed := c.Ret < 0 || !c.Complete()
	switch cmd := uint32(c.Args[0]); cmd {
	case kcDescribe, kcRead, kcGetSecurity:
		if failed {
			p.ptr(c.Args[2])
		} else {
			keyStrN(p, c, 2, min(uint64(c.Ret), c.Args[3]), cmd != kcRead)
		}
		p.s(", ")
		p.u(c.Args[3])
	case kcDHCompute:
		if failed {
			p.ptr(c.Args[2])
		} else {
			keyStrN(p, c, 2, min(uint64(c.Ret), c.Args[3]), false)
		}
		p.s(", ")
		p.u(c.Args[3])
		p.s(", ")
		keyKdfParams(p, c)
	case kcPkeyQuery:
		keyPkeyQuery(p, c, failed)
	case kcCapabilities:
		if failed {
			p.ptr(c.Args[1])
		} else {
			keyCaps(p, c)
		}
		p.s(", ")
		p.u(c.Args[2])
	default: // KEYCTL_PKEY_ENCRYPT, _DECRYPT, _SIGN: op2, out_len bytes
		if failed {
			p.ptr(c.Args[4])
		} else {
			keyStrN(p, c, 4, uint64(le.Uint32(pkeyParams(c)[8:])), false)
		}
	}
}})

// keyCaps prints KEYCTL_CAPABILITIES' bytes: the flags of the first two.
func keyCaps(p *printer, c *Call) {
	n := min(c.Args[2], uint64(c.Ret))
	printArray(p, c, 1, 1, n, func(p *printer, k uint64, b []byte) bool {
		switch k {
		case 0:
			flagsOrUnknown(p, uint64(b[0]), keyctlCaps0, "", "KEYCTL_CAPS0_???")
		case 1:
			flagsOrUnknown(p, uint64(b[0]), keyctlCaps1, "", "KEYCTL_CAPS1_???")
		default:
			hexOrZero(p, uint64(b[0]))
		}
		return true
	})
}

// keyctlCases are keyctl's captures by command.
func keyctlCases() map[uint32]map[int]capRule {
	strN := capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, when: wire.CWIn}
	retN := capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 1, when: wire.CWOK}
	strsize := capRule{kind: wire.CKMem, sizeFrom: wire.SzStrsize, elem: 1, when: wire.CWIn}
	strsizeOut := capRule{kind: wire.CKMem, sizeFrom: wire.SzStrsize, elem: 1, when: wire.CWOK}
	pkeyOut := map[int]capRule{1: capIn(pkeyParamsSize), 2: capStr, 3: strsize, 4: strsizeOut}
	return map[uint32]map[int]capRule{
		kcJoinSession:     {1: capStr},
		kcUpdate:          {2: strN},
		kcInstantiate:     {2: strN},
		kcSearch:          {2: capStr, 3: capStr},
		kcRestrictKeyring: {2: capStr, 3: capStr},
		kcDescribe:        {2: retN},
		kcRead:            {2: retN},
		kcGetSecurity:     {2: retN},
		kcInstantiateIov:  {2: capRule{kind: wire.CKIov, sizeRel: 1, when: wire.CWIn}},
		kcDHCompute:       {1: capIn(dhParamsSize), 2: retN, 4: kdfParamsRule},
		kcPkeyQuery:       {3: capStr, 4: capOut(pkeyQuerySize)},
		kcPkeyEncrypt:     pkeyOut,
		kcPkeyDecrypt:     pkeyOut,
		kcPkeySign:        pkeyOut,
		kcPkeyVerify:      {1: capIn(pkeyParamsSize), 2: capStr, 3: strsize, 4: strsize},
		kcCapabilities:    {1: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 1, max: 64, when: wire.CWOK}},
	}
}

func init() {
	registerSigs(map[string]sig{
		"keyctl": {args: []kind{kKeyctl, kKeyctlOut, kHex, kHex, kHex}, nargs: keyctlNargs,
			sel: &selector{arg: 0, mask: 0xffffffff, cases: keyctlCases}},
	})
}
