package strace

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/eproc/eproc/loader/wire"
)

// strace's -e read=SET and -e write=SET: after the line of a call that
// read (wrote) data on a descriptor of the set, a hex and ASCII dump of
// all of it, as strace 6.1's dumpio (syscall.c), dumpiov_upto and dumpstr
// (util.c) print it. The kernel side captures such a call's data whole
// (PFDumpR, PFDumpW plans, the session's DumpRead and DumpWrite masks),
// up to wire.MaxCap-2 bytes a buffer: past that, the dump says how many
// bytes it lacks.

// dumpWay is how a call holds its data.
type dumpWay uint8

const (
	dumpBuf  dumpWay = iota // args[1], args[2] bytes written or the result read
	dumpIov                 // args[1] iovecs, args[2] of them
	dumpMsg                 // args[1] a struct msghdr's iovecs
	dumpMmsg                // args[1] struct mmsghdrs' iovecs, the result of them
)

type dumpio struct {
	write bool // -e write='s, else -e read='s
	way   dumpWay
}

// dumpCalls is strace's dumpio() as a table: the calls whose data the
// sets dump, args[0] their descriptor.
var dumpCalls = map[string]dumpio{
	"write": {true, dumpBuf}, "pwrite64": {true, dumpBuf}, "sendto": {true, dumpBuf},
	"mq_timedsend": {true, dumpBuf},
	"writev":       {true, dumpIov}, "pwritev": {true, dumpIov}, "pwritev2": {true, dumpIov},
	"vmsplice": {true, dumpIov},
	"sendmsg":  {true, dumpMsg}, "sendmmsg": {true, dumpMmsg},
	"read": {false, dumpBuf}, "pread64": {false, dumpBuf}, "recvfrom": {false, dumpBuf},
	"mq_timedreceive": {false, dumpBuf},
	"readv":           {false, dumpIov}, "preadv": {false, dumpIov}, "preadv2": {false, dumpIov},
	"recvmsg": {false, dumpMsg}, "recvmmsg": {false, dumpMmsg},
}

// dumpFlag is the plan flag of a call in dumpCalls.
func dumpFlag(name string) uint32 {
	d, ok := dumpCalls[name]
	switch {
	case !ok:
		return 0
	case d.write:
		return wire.PFDumpW
	}
	return wire.PFDumpR
}

// FdSet is a set of descriptors as -e read= and -e write= take it.
type FdSet struct {
	not bool
	fds map[uint32]bool
}

// ParseFdSet parses strace's descriptor set: numbers separated by commas,
// "all" or "none", each leading "!" inverting the rest.
func ParseFdSet(expr string) (*FdSet, error) {
	s := &FdSet{fds: map[uint32]bool{}}
	for strings.HasPrefix(expr, "!") {
		s.not = !s.not
		expr = expr[1:]
	}
	switch expr {
	case "none":
		return s, nil
	case "all":
		s.not = !s.not
		return s, nil
	}
	n := 0
	for _, w := range strings.Split(expr, ",") {
		if w == "" {
			continue
		}
		v, err := strconv.ParseUint(w, 10, 31)
		if err != nil {
			return nil, fmt.Errorf("invalid descriptor '%s'", w)
		}
		s.fds[uint32(v)] = true
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("invalid descriptor '%s'", expr)
	}
	return s, nil
}

// Has reports whether descriptor fd is in the set.
func (s *FdSet) Has(fd int32) bool {
	return s != nil && fd >= 0 && s.fds[uint32(fd)] != s.not
}

// Mask is the set as the kernel side takes it (loader.SessionConfig's
// DumpRead, DumpWrite): bit k < 63 for descriptor k, bit 63 when the set
// holds any descriptor from 63 on.
func (s *FdSet) Mask() uint64 {
	if s == nil {
		return 0
	}
	var m uint64
	for fd := int32(0); fd < 63; fd++ {
		if s.Has(fd) {
			m |= 1 << fd
		}
	}
	high := s.not
	for fd := range s.fds {
		high = high || fd >= 63
	}
	if high {
		m |= 1 << 63
	}
	return m
}

// dumpio prints the dump of c's data, if the options ask for it.
func (t *Text) dumpio(c *Call, e *Sysent) {
	d, ok := dumpCalls[e.Name]
	fd := int32(c.Args[0])
	if !ok || fd < 0 {
		return
	}
	failed := c.Ret < 0 && c.Ret >= -4095
	var size uint64
	switch {
	case d.write && t.opt.DumpWrite.Has(fd):
		size = ^uint64(0)
		if d.way == dumpBuf {
			size = c.Args[2]
		}
	case !d.write && t.opt.DumpRead.Has(fd) && !failed:
		size = uint64(c.Ret)
	default:
		return
	}
	p := &t.p
	switch d.way {
	case dumpBuf:
		if cp := c.Cap(1, 0); cp != nil && c.Args[1] != 0 {
			dumpStr(p, cp, size)
		}
	case dumpIov:
		dumpIovs(p, c, 1, 0, c.Args[2], size)
	case dumpMsg:
		if cp := c.Cap(1, wire.MsgHdr); cp != nil && !cp.Fault() && len(cp.Data) >= msghdrSize {
			dumpIovs(p, c, 1, wire.MsgIov, parseMsghdr(cp.Data).iovlen, size)
		}
	case dumpMmsg:
		if failed {
			return // strace reads messages until one cannot be: not this
		}
		for j := 0; j < int(c.Ret); j++ {
			base := j << wire.MsgShift
			cp := c.Cap(1, base+wire.MsgHdr)
			if cp == nil || cp.Fault() || len(cp.Data) < msghdrSize+4 {
				break
			}
			m := parseMsghdr(cp.Data)
			p.s(" = ")
			p.u(m.iovlen)
			p.s(" buffers in vector ")
			p.d(int64(j))
			p.newline()
			dumpIovs(p, c, 1, base+wire.MsgIov, m.iovlen, uint64(le.Uint32(cp.Data[msghdrSize:])))
		}
	}
}

// dumpIovs is strace's dumpiov_upto: the data of cnt iovecs whose array
// is element base of argument i and each iovec's data the elements after
// it, at most size bytes in all.
func dumpIovs(p *printer, c *Call, i, base int, cnt, size uint64) {
	arr := c.Cap(i, base)
	if arr == nil || arr.Fault() || uint64(len(arr.Data)) < min(cnt, wire.IovMax)*16 {
		return
	}
	for k := uint64(0); k < min(cnt, wire.IovMax); k++ {
		n := min(le.Uint64(arr.Data[16*k+8:]), size)
		if n == 0 {
			break
		}
		size -= n
		p.s(" * ")
		p.u(n)
		p.s(" bytes in buffer ")
		p.u(k)
		p.newline()
		if cp := c.Cap(i, base+1+int(k)); cp != nil {
			dumpStr(p, cp, n)
		}
	}
}

// dumpStr is strace's dumpstr of n bytes, those of capture cp: nothing
// when they could not be read (strace reads them at once), and after the
// bytes the capture holds, how many it lacks.
func dumpStr(p *printer, cp *wire.Cap, n uint64) {
	if cp.Fault() || cp.Wants() || n == 0 {
		return
	}
	data := cp.Data[:min(uint64(len(cp.Data)), n)]
	width := 5 // strace's offset field: at least 5 digits, as many as n-1 needs
	if n > 1<<20 {
		width = 1 + (bits.Len64(n-1)-1)/4
	}
	const hx = "0123456789abcdef"
	for off := 0; off < len(data); off += 16 {
		line := data[off:min(off+16, len(data))]
		p.s(" | ")
		o := strconv.FormatUint(uint64(off), 16)
		for k := len(o); k < width; k++ {
			p.c('0')
		}
		p.s(o)
		p.s("  ")
		for k := 0; k < 16; k++ {
			if k < len(line) {
				p.c(hx[line[k]>>4])
				p.c(hx[line[k]&15])
			} else {
				p.s("  ")
			}
			p.c(' ')
			if k == 7 {
				p.c(' ')
			}
		}
		p.c(' ')
		for k := 0; k < 16; k++ {
			switch {
			case k >= len(line):
				p.c(' ')
			case line[k] >= ' ' && line[k] < 0x7f:
				p.c(line[k])
			default:
				p.c('.')
			}
		}
		p.s(" |")
		p.newline()
	}
	if uint64(len(data)) < n {
		p.s(" | <")
		p.u(n - uint64(len(data)))
		p.s(" more bytes not captured> |")
		p.newline()
	}
}
