package procview

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"go.uber.org/zap"
)

// regs, fpregs and dbregs: the registers of a process stopped under attach
// (ctl_debug.go), FreeBSD's regs, fpregs and dbregs (Plan 9's regs and
// fpregs too), as text: a
// `name value` line per register, in the architecture's names, the value
// in hex at the register's full width (regs_amd64.go, regs_arm64.go). They
// are the registers of the thread the view seized, the process's first.
//
// A write is lines of the same form: the registers it names change, the
// others keep their values (the view reads the set, changes them, and
// writes the set back). An unknown name, a malformed line or a value too
// wide for its register: EINVAL, nothing changes; a value the kernel
// refuses (a bad segment selector, reserved bits of mxcsr, a debug
// address in the kernel's half, a dr7 that enables a kind or length of
// breakpoint x86 has not) as well.
//
// dbregs (amd64 only: regs_amd64.go) is the x86 debug registers dr0-dr3,
// dr6 and dr7, named as FreeBSD's struct dbreg indexes them; Linux reads
// and writes them a word at a time (PTRACE_PEEKUSER, PTRACE_POKEUSER at
// u_debugreg), and a hardware breakpoint dr7 enables stops the process
// with SIGTRAP, dr6 telling which one hit.
//
// Both open for those who may open ctl, and only while the process is
// stopped under attach: EBUSY otherwise. Reading is open to all of them;
// writing only to its controller (EBUSY for others).

// regField is a register: its name, and where it is in the kernel's
// struct (bytes).
type regField struct {
	name      string
	off, size int
}

// regSet is a set of registers the kernel reads and writes whole: its
// struct's size, its registers in the order the file shows them, and
// the ptrace requests (run on the tracer's thread).
type regSet struct {
	size     int
	fields   []regField
	get, set func(pid int, buf []byte) error
}

// maxRegsWrite bounds a write to regs or fpregs: all of fpregs is less.
const maxRegsWrite = 8192

func (rs *regSet) field(name string) *regField {
	for i := range rs.fields {
		if rs.fields[i].name == name {
			return &rs.fields[i]
		}
	}
	return nil
}

// format is the text of the set buf holds.
func (rs *regSet) format(buf []byte) []byte {
	var b strings.Builder
	for _, f := range rs.fields {
		b.WriteString(f.name)
		b.WriteString(" 0x")
		for i := f.off + f.size - 1; i >= f.off; i-- { // little-endian
			fmt.Fprintf(&b, "%02x", buf[i])
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// parse reads the lines of a write: each register's new value, as the
// bytes of the kernel's struct.
func (rs *regSet) parse(data []byte) (map[*regField][]byte, error) {
	if len(data) > maxRegsWrite {
		return nil, errBadCmd
	}
	vals := map[*regField][]byte{}
	for _, l := range strings.Split(string(data), "\n") {
		w := strings.Fields(l)
		if len(w) == 0 {
			continue
		}
		if len(w) != 2 {
			return nil, errBadCmd
		}
		f := rs.field(w[0])
		if f == nil {
			return nil, errBadCmd
		}
		b, ok := parseRegValue(w[1], f.size)
		if !ok {
			return nil, errBadCmd
		}
		vals[f] = b
	}
	if len(vals) == 0 {
		return nil, errBadCmd
	}
	return vals, nil
}

// parseRegValue reads a value (0x hex, or decimal, 0o, 0b) that fits in
// size bytes, as little-endian bytes.
func parseRegValue(s string, size int) ([]byte, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' { // no sign
		return nil, false
	}
	n, ok := new(big.Int).SetString(s, 0)
	if !ok || n.BitLen() > size*8 {
		return nil, false
	}
	b := n.FillBytes(make([]byte, size))
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b, true
}

// regsFile is regs, fpregs or dbregs.
type regsFile struct {
	fs.Inode
	*pidFile
	rs  *regSet // nil: this architecture has none (EOPNOTSUPP)
	why string  // why rs is nil, for the log
}

var (
	_ fs.NodeOpener    = (*regsFile)(nil)
	_ fs.NodeGetattrer = (*regsFile)(nil)
	_ fs.NodeSetattrer = (*regsFile)(nil)
)

// regsOf makes pidTab's constructor of a regsFile; why says why rs is nil
// on this architecture.
func regsOf(rs *regSet, why string) func(f *pidFile) fs.InodeEmbedder {
	return func(f *pidFile) fs.InodeEmbedder { return &regsFile{pidFile: f, rs: rs, why: why} }
}

func (f *regsFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	c := fctx(ctx)
	if e := f.guard(c); e != 0 {
		return nil, 0, e
	}
	if f.rs == nil {
		f.v.log.Info("not supported", zap.Int("pid", f.id.pid), zap.String("file", f.row.name),
			zap.Int("caller", c.tgid()), zap.String("why", f.why))
		return nil, 0, syscall.EOPNOTSUPP
	}
	t := f.v.dbg.get(f.id)
	if t == nil || !t.isStopped() {
		return nil, 0, syscall.EBUSY
	}
	if flags&syscall.O_ACCMODE != syscall.O_RDONLY && t.owner != c.tgid() {
		return nil, 0, syscall.EBUSY
	}
	return &regsHandle{f: f, t: t, c: c}, fuse.FOPEN_DIRECT_IO, 0
}

// regsHandle is an open regs or fpregs: a read at offset 0 reads the
// registers, reads further on continue that text; a write changes them.
type regsHandle struct {
	f *regsFile
	t *tracer
	c *caller

	mu   sync.Mutex
	text []byte
}

var (
	_ fs.FileReader = (*regsHandle)(nil)
	_ fs.FileWriter = (*regsHandle)(nil)
)

func (h *regsHandle) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	if e := h.f.id.check(); e != 0 {
		return nil, e
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if off == 0 || h.text == nil {
		buf, err := h.t.regs(h.f.rs)
		if err != nil {
			return nil, errnoOf(err)
		}
		h.text = h.f.rs.format(buf)
	}
	if off >= int64(len(h.text)) {
		return fuse.ReadResultData(nil), 0
	}
	end := min(int64(len(h.text)), off+int64(len(dest)))
	return fuse.ReadResultData(h.text[off:end]), 0
}

func (h *regsHandle) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	if e := h.f.id.check(); e != 0 {
		return 0, e
	}
	vals, err := h.f.rs.parse(data)
	if err == nil {
		err = h.t.setRegs(h.f.rs, vals)
	}
	if err != nil {
		h.f.v.log.Info("refused", zap.Int("pid", h.f.id.pid), zap.String("file", h.f.row.name),
			zap.ByteString("msg", clip(data)), zap.Int("caller", h.c.tgid()), zap.Error(err))
		return 0, errnoOf(err)
	}
	h.mu.Lock()
	h.text = nil
	h.mu.Unlock()
	return uint32(len(data)), 0
}
