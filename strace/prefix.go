package strace

import "strconv"

// prefixes are the pid prefixes of the threads that printed last, formatted
// once each: consecutive lines come from a few threads (a program's
// threads take turns), so a line's prefix is mostly a copy, not a number
// formatted again. A slot is a thread's by its id's low bits.
type prefixes [64]prefixSlot

type prefixSlot struct {
	tid   uint32
	fixed // n 0: empty
}

// prefixMax is the longest prefix a slot holds: "[pid 4294967295] ".
const prefixMax = len("[pid 4294967295] ")

// get is tid's prefix in mode (PrefixFile or PrefixTTY), formatted if the
// slot holds another thread's.
func (ps *prefixes) get(mode PidPrefix, tid uint32) *prefixSlot {
	s := &ps[tid%uint32(len(ps))]
	if s.n == 0 || s.tid != tid {
		var b []byte
		if mode == PrefixFile {
			b = filePrefix(s.b[:0], tid)
		} else {
			b = ttyPrefix(s.b[:0], tid)
		}
		s.tid, s.n = tid, uint8(len(b))
	}
	return s
}

// prefix prints a slot's prefix.
func (p *printer) prefix(s *prefixSlot) { p.putFixed(&s.fixed) }

// fixed is a short text held in an array: printing it copies the whole
// array at once (a copy of known size, no call), the bytes past n left
// past the end.
type fixed struct {
	b [24]byte
	n uint8
}

func (p *printer) putFixed(f *fixed) {
	n := len(p.b)
	if cap(p.b)-n < len(f.b) {
		p.bytes(f.b[:f.n])
		return
	}
	b := p.b[:n+len(f.b)]
	*(*[len(f.b)]byte)(b[n:]) = f.b
	p.b = b[:n+int(f.n)]
}

// filePrefix appends strace -f -o FILE's "%-5d " for tid.
func filePrefix(b []byte, tid uint32) []byte {
	b = strconv.AppendUint(b, uint64(tid), 10)
	if n := len(b); n < 5 {
		b = append(b, blanks[:5-n]...)
	}
	return append(b, ' ')
}

// ttyPrefix appends strace -f's "[pid %5d] " for tid.
func ttyPrefix(b []byte, tid uint32) []byte {
	b = append(b, "[pid "...)
	var d [10]byte
	digits := strconv.AppendUint(d[:0], uint64(tid), 10)
	if n := len(digits); n < 5 {
		b = append(b, blanks[:5-n]...)
	}
	b = append(b, digits...)
	return append(b, "] "...)
}
