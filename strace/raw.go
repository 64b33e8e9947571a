package strace

import "strconv"

// strace's -e raw=SET: the calls of SET print their arguments as raw
// numbers in hex (printargs), and their result too: "= 0x3" (%#lx),
// an error as "= -1 ENOENT (No such file or directory)" (print_err_ret:
// the restart codes as any other, "= -1 ERESTARTSYS (Unknown error
// 512)").

// rawSigs are the raw signatures of the syscalls of nrs.
func rawSigs(nrs []uint32) map[uint32]*sig {
	if nrs == nil {
		return nil
	}
	buildTable()
	m := make(map[uint32]*sig, len(nrs))
	for _, nr := range nrs {
		e := lookup(nr)
		base := e.signature()
		n := 6
		if e != nil {
			n = int(e.nargs)
		}
		m[nr] = &sig{args: generics[n].args, class: base.class, firstOut: noOut, raw: true, ret: rawResult,
			noreturn: base.noreturn, exec: base.exec}
	}
	return m
}

// signatureOf is how the text prints call nr (e: its row): raw under -e
// raw=, else its signature.
func (t *Text) signatureOf(e *Sysent, nr uint32) *sig {
	if t.raw != nil {
		if s, ok := t.raw[nr]; ok {
			return s
		}
	}
	return e.signature()
}

// rawResult prints a raw call's result (its sig's ret too, so that
// completed's short cut for decimal results leaves it to result).
func rawResult(p *printer, c *Call) {
	if !isErrno(c.Ret) {
		if c.Ret == 0 {
			p.c('0')
			return
		}
		p.x(uint64(c.Ret))
		return
	}
	e := -c.Ret
	p.s("-1 ")
	name := errnoName(e)
	r, restart := restartErrnos[e]
	if restart {
		name = r[0]
	}
	if name == "" {
		p.s("(errno ")
		p.d(e)
		p.c(')')
		return
	}
	p.s(name)
	p.s(" (")
	if restart {
		p.s("Unknown error " + strconv.FormatInt(e, 10))
	} else {
		p.s(errnoMessage(e))
	}
	p.c(')')
}
