package strace

import (
	"bytes"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// A capture the BPF program could not read at all says what it wanted
// (wire.CapWant): the memory may be in a page the task never touched,
// which is not mapped yet and which a BPF read cannot fault in, while
// strace's read at the call's exit does. write(fd, "literal", n) to
// /dev/null, or with a bad descriptor, is the common case: the kernel
// never read the buffer either. The decoder reads such memory from user
// space (Decoder.ReadMem) when it decodes the record, and the capture
// becomes what the BPF read would have made of it. Reading it maps the
// page into the task, as strace's read does, so later calls find it
// there. It is read later than strace reads it: memory the task changes
// between the call's return and the read shows the change.

// ReadProcessMem reads tid's memory at addr into b (process_vm_readv) and
// returns how many bytes it read: fewer than len(b) when a page past the
// first could not be read, 0 when none could. It is a Decoder.ReadMem.
func ReadProcessMem(tid uint32, addr uint64, b []byte) int {
	if len(b) == 0 {
		return 0
	}
	local := []unix.Iovec{{Base: &b[0]}}
	local[0].SetLen(len(b))
	remote := []unix.RemoteIovec{{Base: uintptr(addr), Len: len(b)}}
	n, err := unix.ProcessVMReadv(int(tid), local, remote, 0)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// refetch reads, through d.ReadMem, what the captures of c that wanted
// memory asked for.
func (d *Decoder) refetch(c *wire.Call) {
	d.mem = d.mem[:0]
	for i := range c.Caps {
		if cp := &c.Caps[i]; cp.Flags&wire.CapWant != 0 {
			d.refetchCap(c.Tid, c.Tgid, cp)
		}
	}
}

// refetchCap fills cp as the BPF read would have: CKMem's bytes (those
// before the first page that cannot be read, with CapPart, when not all
// can be; with WantProbe, all but the last, read only to know it can
// be), CKStr's characters before the NUL (cut, with CapTrunc, at
// Size-1). Nothing read, or a string without its end: it stays a fault,
// its address printed. The memory is the thread's, read through its
// process when the thread has ended (a thread that wrote and exited).
func (d *Decoder) refetchCap(tid, tgid uint32, cp *wire.Cap) {
	w := cp.Want
	cp.Flags &^= wire.CapWant
	size := int(w.Size)
	if size <= 0 || size > wire.MaxCap+1 || w.Ptr == 0 {
		return
	}
	at := len(d.mem)
	d.mem = append(d.mem, make([]byte, size)...)
	buf := d.mem[at : at+size : at+size]
	n := d.ReadMem(tid, w.Ptr, buf)
	if n <= 0 && tgid != tid && tgid != 0 {
		n = d.ReadMem(tgid, w.Ptr, buf)
	}
	if n <= 0 {
		return
	}
	switch w.Kind &^ (wire.WantShown | wire.WantCross | wire.WantProbe) {
	case wire.CKMem:
		cp.Data = buf[:n]
		if n < size {
			cp.Flags |= wire.CapPart
			break
		}
		if w.Kind&wire.WantProbe != 0 {
			cp.Data = buf[:n-1] // the last byte was read only to know it can be
		}
		cp.Flags &^= wire.CapFault
	case wire.CKStr:
		// bpf_probe_read_user_str's rule: a NUL within Size-1 bytes, or
		// Size bytes readable (cut at Size-1, CapTrunc); else a fault,
		// as for strace, which prints a path it cannot read whole as an
		// address. put_str's exception: a string shown cut at -s whose
		// page ends Size-1 bytes on shows Size-2 of them, cut.
		k := bytes.IndexByte(buf[:n], 0)
		if w.Kind&wire.WantCross != 0 && k >= 0 && k < wire.Page-int(w.Ptr&(wire.Page-1)) {
			// At the exit its first page held no NUL (the program read
			// it, and failed past it): the task wrote this one since,
			// as strace's tests do when they end a string before a
			// guard page for one call and mend it for the next. What
			// strace read at the exit is gone: its address.
			return
		}
		switch {
		case k >= 0 && k < size-1:
			cp.Data = buf[:k]
			cp.Flags &^= wire.CapFault
		case n >= size:
			cp.Data = buf[:size-1]
			cp.Flags = cp.Flags&^wire.CapFault | wire.CapTrunc
		case w.Kind&wire.WantShown != 0 && n == size-1 && size > 2:
			cp.Data = buf[:size-2]
			cp.Flags = cp.Flags&^wire.CapFault | wire.CapTrunc
		}
	}
}
