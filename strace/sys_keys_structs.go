package strace

import (
	"bytes"

	"github.com/eproc/eproc/loader/wire"
)

// The structures keyctl's commands pass (keyctl.c): struct
// keyctl_dh_params, keyctl_kdf_params, keyctl_pkey_query and
// keyctl_pkey_params, and the strings keyctl_kdf_params points to
// (hashname, otherinfo: wire.CKDeref).

const (
	dhParamsSize   = 12 // private, prime, base
	kdfParamsSize  = 56 // hashname, otherinfo, otherinfolen, __spare[8], padded
	pkeyQuerySize  = 56 // supported_ops, key_size, four u16 sizes, __spare[10]
	pkeyParamsSize = 40 // key_id, in_len, out_len or in2_len, __spare[7]
)

// keySpare prints ", __spare=[...]" when a struct's spare words are not
// all zero.
func keySpare(p *printer, b []byte) {
	zero := true
	for _, x := range b {
		if x != 0 {
			zero = false
		}
	}
	if zero {
		return
	}
	p.s(", __spare=[")
	for k := 0; k+4 <= len(b); k += 4 {
		if k > 0 {
			p.s(", ")
		}
		hexOrZero(p, uint64(le.Uint32(b[k:])))
	}
	p.c(']')
}

// keyStruct is argument i's capture of size bytes, or nil when strace
// prints its address (umove_or_printaddr).
func keyStruct(p *printer, c *Call, i, size int) []byte {
	if c.Args[i] == 0 {
		p.s("NULL")
		return nil
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < size {
		p.ptr(c.Args[i])
		return nil
	}
	return cp.Data
}

// keyDHParams prints KEYCTL_DH_COMPUTE's struct keyctl_dh_params.
func keyDHParams(p *printer, c *Call) {
	b := keyStruct(p, c, 1, dhParamsSize)
	if b == nil {
		return
	}
	p.s("{private=")
	keySerial(p, uint64(le.Uint32(b)))
	p.s(", prime=")
	keySerial(p, uint64(le.Uint32(b[4:])))
	p.s(", base=")
	keySerial(p, uint64(le.Uint32(b[8:])))
	p.c('}')
}

// kdfParamsRule captures struct keyctl_kdf_params and what its two
// pointers point to: hashname (a string) and otherinfo (otherinfolen
// bytes), each at most -s's bytes and one more (wire.CKDeref).
var kdfParamsRule = func() capRule {
	r := capIn(kdfParamsSize)
	r.also = &[]capRule{{kind: wire.CKDeref, sizeFrom: wire.SzStrsize, elem: 1, ptrOff: 0},
		{kind: wire.CKDeref, elem: 1, ptrOff: 8, cntOff: 16, cntSize: 4}}
	return r
}()

// keyKdfParams prints KEYCTL_DH_COMPUTE's struct keyctl_kdf_params.
func keyKdfParams(p *printer, c *Call) {
	b := keyStruct(p, c, 4, kdfParamsSize)
	if b == nil {
		return
	}
	p.s("{hashname=")
	derefStr(p, c.Cap(4, wire.DerefIdx), le.Uint64(b))
	p.s(", otherinfo=")
	if n := uint64(le.Uint32(b[16:])); n != 0 {
		derefStrn(p, c.Cap(4, wire.DerefIdx+8), le.Uint64(b[8:]), n)
	} else {
		p.ptr(le.Uint64(b[8:])) // the kernel does not read it
	}
	p.s(", otherinfolen=")
	p.u(uint64(le.Uint32(b[16:])))
	keySpare(p, b[20:52])
	p.c('}')
}

// keyPkeyQuery prints KEYCTL_PKEY_QUERY's struct keyctl_pkey_query.
func keyPkeyQuery(p *printer, c *Call, failed bool) {
	if failed {
		p.ptr(c.Args[4])
		return
	}
	b := keyStruct(p, c, 4, pkeyQuerySize)
	if b == nil {
		return
	}
	p.s("{supported_ops=")
	flagsOrUnknown(p, uint64(le.Uint32(b)), keyctlPkeyOps, "", "KEYCTL_SUPPORTS_???")
	p.s(", key_size=")
	p.u(uint64(le.Uint32(b[4:])))
	for k, name := range []string{"max_data_size", "max_sig_size", "max_enc_size", "max_dec_size"} {
		p.s(", ")
		p.s(name)
		p.c('=')
		p.u(uint64(le.Uint16(b[8+2*k:])))
	}
	keySpare(p, b[16:56])
	p.c('}')
}

// pkeyParams is the captured struct keyctl_pkey_params of a
// KEYCTL_PKEY_* call, or nil.
func pkeyParams(c *Call) []byte {
	if c.Args[1] == 0 {
		return nil
	}
	cp := c.Cap(1, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < pkeyParamsSize {
		return nil
	}
	return cp.Data
}

// keyPkeyOp prints what KEYCTL_PKEY_ENCRYPT, _DECRYPT, _SIGN (out) and
// _VERIFY print at entry: the params, info, op1 (in_len bytes), and op2
// (in2_len bytes) for _VERIFY or when the params could not be read.
func keyPkeyOp(p *printer, c *Call, out bool) {
	p.s(", ")
	b := pkeyParams(c)
	if b == nil {
		p.ptr(c.Args[1])
	} else {
		p.s("{key_id=")
		keySerial(p, uint64(le.Uint32(b)))
		p.s(", in_len=")
		p.u(uint64(le.Uint32(b[4:])))
		if out {
			p.s(", out_len=")
		} else {
			p.s(", in2_len=")
		}
		p.u(uint64(le.Uint32(b[8:])))
		keySpare(p, b[12:40])
		p.c('}')
	}
	p.s(", ")
	keyStr(p, c, 2)
	p.s(", ")
	if b == nil {
		p.ptr(c.Args[3])
	} else {
		keyStrN(p, c, 3, uint64(le.Uint32(b[4:])), false)
	}
	if out && b != nil {
		return
	}
	p.s(", ")
	if b == nil {
		p.ptr(c.Args[4])
	} else {
		keyStrN(p, c, 4, uint64(le.Uint32(b[8:])), false)
	}
}

// derefStr is strace's printstr of the string at addr, captured as cp
// (wire.CKDeref, -s's bytes and one more): up to its NUL, or -s's bytes
// and "..."; its address when it could not be read up to either.
func derefStr(p *printer, cp *wire.Cap, addr uint64) {
	switch {
	case addr == 0:
		p.s("NULL")
		return
	case cp == nil || cp.Fault() && !cp.Part():
		p.ptr(addr)
		return
	}
	d := cp.Data
	if n := bytes.IndexByte(d, 0); n >= 0 && n <= p.strsize {
		p.quote(d[:n], false)
	} else if len(d) > p.strsize {
		p.quote(d[:p.strsize], true)
	} else {
		p.ptr(addr)
	}
}

// derefStrn is strace's printstrn of the n bytes at addr, captured as cp:
// -s's bytes of them at most, and "..." when there were more.
func derefStrn(p *printer, cp *wire.Cap, addr, n uint64) {
	show := min(n, uint64(p.strsize))
	switch {
	case addr == 0:
		p.s("NULL")
	case cp == nil || uint64(len(cp.Data)) < show || cp.Fault() && !cp.Part():
		p.ptr(addr)
	default:
		p.quote(cp.Data[:show], n > show)
	}
}
