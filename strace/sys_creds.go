package strace

import "github.com/eproc/eproc/loader/wire"

// The credentials family: set*id, getres*id, setfs*id, get/setgroups.

var (
	// kID is a uid or gid argument: -1 for "unchanged".
	kID = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		if uint32(c.Args[i]) == 0xffffffff {
			p.s("-1")
			return
		}
		p.u(uint64(uint32(c.Args[i])))
	}})
)

// kIDOut is a uid_t* the call fills: [N].
var kIDOut = newKind(kindInfo{out: true, cap: capOut(4), fmt: func(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 4 || !p.verbose() { // -e verbose=: printnum_int
		p.ptr(c.Args[i])
		return
	}
	p.c('[')
	p.u(uint64(le.Uint32(cp.Data)))
	p.c(']')
}})

// idList prints n ids, at most -s of them and what was captured, then
// "..."; (uid_t)-1 as -1 (strace's PRINT_VAL_ID).
func idList(p *printer, d []byte, n int) {
	p.c('[')
	for k := 0; k < n; k++ {
		if k > 0 {
			p.s(", ")
		}
		if k == p.strsize && p.abbrev() || 4*k+4 > len(d) {
			p.s("...")
			break
		}
		if id := le.Uint32(d[4*k:]); id == 0xffffffff {
			p.s("-1")
		} else {
			p.u(uint64(id))
		}
	}
	p.c(']')
}

// groupsMax is how much of a group list is captured: 256 ids.
const groupsMax = 4 * 256

// ngroupsMax is the kernel's NGROUPS_MAX: a longer list is printed as
// its address.
const ngroupsMax = 65536

var kGroupsOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 4, max: groupsMax, when: wire.CWOK},
	fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() || c.Ret > ngroupsMax || c.Args[i] == 0 {
			p.ptr(c.Args[i])
			return
		}
		if c.Ret == 0 {
			p.s("[]")
			return
		}
		cp := c.Cap(i, 0)
		if cp == nil || cp.Fault() || !p.verbose() { // -e verbose=: print_array's tfetch_mem
			p.ptr(c.Args[i])
			return
		}
		idList(p, cp.Data, int(c.Ret))
	}})

var kGroupsIn = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: -1, elem: 4, max: groupsMax, when: wire.CWIn},
	fmt: func(p *printer, c *Call, i int) {
		n := uint64(uint32(c.Args[i-1]))
		if n > ngroupsMax {
			p.ptr(c.Args[i])
			return
		}
		printArray(p, c, i, 4, n, func(p *printer, _ uint64, d []byte) bool {
			if id := le.Uint32(d); id == 0xffffffff {
				p.s("-1")
			} else {
				p.u(uint64(id))
			}
			return true
		})
	}})

func init() {
	registerSigs(map[string]sig{
		"setuid":    {args: []kind{kID}, class: ClassCreds},
		"setgid":    {args: []kind{kID}, class: ClassCreds},
		"setreuid":  {args: []kind{kID, kID}, class: ClassCreds},
		"setregid":  {args: []kind{kID, kID}, class: ClassCreds},
		"setresuid": {args: []kind{kID, kID, kID}, class: ClassCreds},
		"setresgid": {args: []kind{kID, kID, kID}, class: ClassCreds},
		"getresuid": {args: []kind{kIDOut, kIDOut, kIDOut}, class: ClassCreds},
		"getresgid": {args: []kind{kIDOut, kIDOut, kIDOut}, class: ClassCreds},
		"setfsuid":  {args: []kind{kID}, class: ClassCreds},
		"setfsgid":  {args: []kind{kID}, class: ClassCreds},
		"getgroups": {args: []kind{kInt, kGroupsOut}, class: ClassCreds},
		"setgroups": {args: []kind{kInt, kGroupsIn}, class: ClassCreds},
	})
}
