package strace

// NETLINK_SOCK_DIAG's payloads (strace's netlink_sock_diag.c): a request
// or an answer, by the address family its first byte names.

func init() {
	nlPayloads[nlSockDiag] = sockDiagPayload
}

// sockDiagDecoders are the families' request and answer decoders.
var sockDiagDecoders = map[uint8]struct {
	req, msg func(d *nlDec, h nlmsghdr, addr, n uint64)
}{}

func sockDiagPayload(d *nlDec, h nlmsghdr, addr, n uint64) bool {
	if h.typ == nlmsgDone {
		return false
	}
	b, ok := d.fetch(addr, 1)
	if !ok {
		return true
	}
	fam := b[0]
	if dec, ok := sockDiagDecoders[fam]; ok && n > 1 {
		f := dec.msg
		if h.flags&nlmFRequest != 0 {
			f = dec.req
		}
		if f != nil {
			f(d, h, addr, n)
			return true
		}
	}
	// decode_family: the family, and the rest as bytes.
	d.p.s("{family=")
	d.p.xlat(uint64(fam), addressFamilies, "/AF_???")
	if n > 1 {
		d.p.s(", data=")
		d.hexStr(addr+1, n-1)
	}
	d.p.c('}')
	return true
}
