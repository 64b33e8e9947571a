package strace

// memfd_create's name and flags, as strace's memfd_create.c prints them.

// memfdNameMax is MFD_NAME_MAX_LEN + 1: the bytes strace reads of the name
// (NAME_MAX less "memfd:", and the NUL).
const memfdNameMax = 255 - len("memfd:") + 1

var memfdFlags = []flag{{1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"}}

const (
	mfdHugeShift = 26
	mfdHugeMask  = 0x3f << mfdHugeShift
)

var (
	// kMemfdName is read as strace's printstr_ex reads it: -s bytes and
	// one to look ahead, but no more than memfdNameMax, up to a NUL. With
	// no NUL in what it shows nor next (nor, when the capture ends there,
	// one the capture stopped short of), "..." follows.
	kMemfdName = newKind(kindInfo{cap: capIn(memfdNameMax), fmt: func(p *printer, c *Call, i int) {
		cp := captured(p, c, i, 0)
		if cp == nil {
			return
		}
		b := cp.Data
		show := b
		if len(show) > p.strsize {
			show = show[:p.strsize]
		}
		for k, ch := range show {
			if ch == 0 {
				p.quote(show[:k], false)
				return
			}
		}
		more := len(b) >= memfdNameMax || cp.Trunc() // read to the end, no NUL
		if len(b) > len(show) {
			more = b[len(show)] != 0
		}
		p.quote(show, more)
	}})
	kMemfdFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		v := uint64(uint32(c.Args[i]))
		if v == 0 {
			p.c('0')
			return
		}
		p.whole(func() { p.x(v) }, func() { memfdFlagsAbbrev(p, v) })
	}})
)

// memfdFlagsAbbrev prints the flags, then the huge page size as
// N<<MFD_HUGE_SHIFT.
func memfdFlagsAbbrev(p *printer, v uint64) {
	huge := v & mfdHugeMask
	v &^= mfdHugeMask
	if v != 0 || huge == 0 {
		flagsOrUnknown(p, v, memfdFlags, "", "MFD_???")
	}
	if huge != 0 {
		if v != 0 {
			p.c('|')
		}
		p.u(huge >> mfdHugeShift)
		p.s("<<MFD_HUGE_SHIFT")
	}
}
