package strace

// modify_ldt (x86), as strace 6.1's ldt.c prints it.

// userDescSize is struct user_desc's size.
const userDescSize = 16

// hex0x8 prints v as C's %#08x: 00000000, 0x000005, 0x87868584.
func hex0x8(p *printer, v uint32) {
	if v == 0 {
		p.s("00000000")
		return
	}
	const digits = "0123456789abcdef"
	var b [8]byte
	n := 0
	for x := v; x != 0; x >>= 4 {
		n++
	}
	for k := 0; k < n; k++ {
		b[7-k] = digits[v>>(4*k)&0xf]
	}
	p.s("0x")
	for k := n; k < 6; k++ {
		p.c('0')
	}
	p.bytes(b[8-n:])
}

// userDesc prints a struct user_desc.
func userDesc(p *printer, b []byte) {
	p.s("{entry_number=")
	if e := le.Uint32(b); e == 0xffffffff {
		p.s("-1")
	} else {
		p.u(uint64(e))
	}
	p.s(", base_addr=")
	hex0x8(p, le.Uint32(b[4:]))
	p.s(", limit=")
	hex0x8(p, le.Uint32(b[8:]))
	fl := le.Uint32(b[12:])
	bit := func(name string, shift, width uint) {
		p.s(name)
		p.u(uint64(fl >> shift & (1<<width - 1)))
	}
	bit(", seg_32bit=", 0, 1)
	bit(", contents=", 1, 2)
	bit(", read_exec_only=", 3, 1)
	bit(", limit_in_pages=", 4, 1)
	bit(", seg_not_present=", 5, 1)
	bit(", useable=", 6, 1)
	bit(", lm=", 7, 1)
	p.c('}')
}

// kUserDesc is modify_ldt's ptr: a struct user_desc when the size
// (the next argument) is its size, else the address.
var kUserDesc = newKind(kindInfo{cap: capIn(userDescSize), fmt: func(p *printer, c *Call, i int) {
	if c.Args[i+1] != userDescSize {
		p.ptr(c.Args[i])
		return
	}
	if cp := captured(p, c, i, userDescSize); cp != nil {
		userDesc(p, cp.Data)
	}
}})

// modifyLdtRet: the kernel's int result, clipped to 32 bits on x86_64,
// is an error when it is one of the last 4096 values: strace prints it
// unsigned, then the error.
func modifyLdtRet(p *printer, c *Call) {
	if c.Ret < 0xfffff000 || c.Ret > 0xffffffff {
		p.d(c.Ret)
		return
	}
	e := int64(-int32(uint32(c.Ret)))
	if _, ok := restartErrnos[e]; ok {
		errno(p, e) // ? ERESTARTSYS (...), as strace prints it
		return
	}
	p.d(c.Ret)
	mark := len(p.b)
	errno(p, e) // -1 ENOSYS (...): the number is the result's
	p.b = append(p.b[:mark], p.b[mark+2:]...)
}

func init() {
	registerSigs(map[string]sig{
		"modify_ldt": {args: []kind{kInt, kUserDesc, kUlong}, ret: modifyLdtRet},
	})
}
