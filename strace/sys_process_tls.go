package strace

import (
	"bytes"

	"github.com/eproc/eproc/loader/wire"
)

// set_thread_area and get_thread_area (x86), as strace 6.1's ldt.c prints
// them: a struct user_desc. set_thread_area's is read as the call enters
// (its entry_number, which the kernel may write, is the value given: the
// word read at entry) and its result shows the entry_number the kernel
// chose: = 0 (entry_number=12). get_thread_area's entry_number is printed
// as it was given, the rest of the struct once the call returned
// ({entry_number=12, ...} when it failed; "=> N" when the kernel changed
// the entry number).

// userDescCap: the struct, read at exit, and its entry_number at entry.
var userDescCap = capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: userDescSize, max: userDescSize, when: wire.CWIn, entry: 4}

// userDescAtEntry is argument i's entry_number as the call entered: ok
// when it was read; fault when it could not be.
func userDescAtEntry(c *Call, i int) (n uint32, ok, fault bool) {
	ep := c.Cap(i, wire.EntryIdx)
	if ep == nil {
		return 0, false, false
	}
	if ep.Fault() || len(ep.Data) < 4 {
		return 0, false, true
	}
	return le.Uint32(ep.Data), true, false
}

// userDescID prints an entry_number as PRINT_FIELD_ID: -1, or unsigned.
func userDescID(p *printer, n uint32) {
	if n == 0xffffffff {
		p.s("-1")
		return
	}
	p.u(uint64(n))
}

// userDescTail prints the struct's fields after entry_number: ", base_addr=...}".
func userDescTail(p *printer, b []byte) {
	mark := len(p.b)
	userDesc(p, b)
	if k := bytes.Index(p.b[mark:], []byte(", ")); k >= 0 {
		p.b = append(p.b[:mark], p.b[mark+k:]...)
	}
}

var kSetThreadArea = newKind(kindInfo{cap: userDescCap, fmt: func(p *printer, c *Call, i int) {
	cp := captured(p, c, i, userDescSize)
	if cp == nil {
		return
	}
	var b [userDescSize]byte
	copy(b[:], cp.Data)
	if n, ok, _ := userDescAtEntry(c, i); ok {
		le.PutUint32(b[:], n) // the entry number given, not the one written back
	}
	userDesc(p, b[:])
}})

// setThreadAreaRet adds the entry number the call left in the struct.
func setThreadAreaRet(p *printer, c *Call) {
	p.d(c.Ret)
	if !p.verbose() || c.Args[0] == 0 {
		return
	}
	if cp := c.Cap(0, 0); cp != nil && !cp.Fault() && len(cp.Data) >= userDescSize {
		p.s(" (entry_number=")
		p.u(uint64(le.Uint32(cp.Data)))
		p.c(')')
	}
}

var kGetThreadArea = newKind(kindInfo{out: true, cap: userDescCap, fmt: func(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	if !p.verbose() {
		p.x(c.Args[i])
		return
	}
	in, known, fault := userDescAtEntry(c, i)
	if fault {
		p.x(c.Args[i])
		return
	}
	failed := c.Ret < 0 && c.Ret >= -4095 || !c.Complete()
	cp := c.Cap(i, 0)
	whole := cp != nil && !cp.Fault() && len(cp.Data) >= userDescSize
	if !known {
		// Not read at entry (no entry tracepoint for the call: on
		// x86_64, whose kernels implement it for 32-bit tasks only, or
		// a call under way when tracing began): the entry number at
		// exit, the bytes before a page that could not be read too.
		if cp == nil || len(cp.Data) < 4 || cp.Fault() && !cp.Part() {
			p.x(c.Args[i])
			return
		}
		in = le.Uint32(cp.Data)
	}
	p.s("{entry_number=")
	userDescID(p, in)
	if failed || !whole {
		p.s(", ...}")
		return
	}
	if out := le.Uint32(cp.Data); out != in {
		p.s(" => ")
		userDescID(p, out)
	}
	userDescTail(p, cp.Data)
}})

func init() {
	registerSigs(map[string]sig{
		"set_thread_area": {args: []kind{kSetThreadArea}, ret: setThreadAreaRet},
		"get_thread_area": {args: []kind{kGetThreadArea}},
	})
}
