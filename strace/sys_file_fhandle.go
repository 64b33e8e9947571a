package strace

import (
	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// File handles: name_to_handle_at and open_by_handle_at, as strace 6.1's
// file_handle.c prints them. struct file_handle is handle_bytes (u32),
// handle_type (int) and handle_bytes bytes of f_handle, of which strace
// shows MAX_HANDLE_SZ (128) at most, always in hex.

const (
	fhHeader = 8   // handle_bytes, handle_type
	fhMax    = 128 // MAX_HANDLE_SZ
)

// capFhandle is a struct file_handle: its header and the most of
// f_handle strace prints (a partial read, wire.CapPart, holds the bytes
// before a page that cannot be read).
func capFhandle(when uint8) capRule {
	return capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: fhHeader + fhMax, max: fhHeader + fhMax, when: when}
}

// fhF prints f_handle (strace's print_f_handle): min(handle_bytes, 128)
// bytes in hex, "..." when there are more, ??? when they could not be
// read.
func fhF(p *printer, b []byte) {
	hb := le.Uint32(b)
	n := min(hb, fhMax)
	if len(b) < fhHeader+int(n) {
		p.s("???")
		return
	}
	p.quoteHex(b[fhHeader:fhHeader+int(n)], hb > n)
}

// fhStruct prints a whole struct file_handle.
func fhStruct(p *printer, b []byte) {
	p.s("{handle_bytes=")
	p.u(uint64(le.Uint32(b)))
	p.s(", handle_type=")
	p.d(int64(int32(le.Uint32(b[4:]))))
	p.s(", f_handle=")
	fhF(p, b)
	p.c('}')
}

// fhAtEntry is name_to_handle_at's handle_bytes as the call entered, and
// whether strace could read the struct then (else it printed the
// handle's and mount_id's addresses). A call whose entry was not seen
// (under way when tracing began): the struct at its exit.
func fhAtEntry(p *printer, c *Call) (uint32, bool) {
	if c.Args[2] == 0 || !p.verbose() {
		return 0, false
	}
	if ep := c.Cap(2, wire.EntryIdx); ep != nil {
		if ep.Fault() || len(ep.Data) < 4 {
			return 0, false
		}
		return le.Uint32(ep.Data), true
	}
	cp := c.Cap(2, 0)
	if cp == nil || len(cp.Data) < fhHeader || cp.Fault() && !cp.Part() {
		return 0, false
	}
	return le.Uint32(cp.Data), true
}

// fhFailed says whether name_to_handle_at failed (or its end was not
// seen): strace's syserror.
func fhFailed(c *Call) bool { return !c.Complete() || c.Ret < 0 && c.Ret >= -4095 }

var (
	// kFhandleOut is name_to_handle_at's handle: handle_bytes given
	// (read at entry), then at the exit the size the kernel wrote back
	// (" => N") when the call succeeded or failed with EOVERFLOW, and the
	// handle when it succeeded.
	kFhandleOut = newKind(kindInfo{out: true, cap: func() capRule {
		r := capFhandle(0) // at every exit: EOVERFLOW writes handle_bytes
		r.entry = 8
		return r
	}(), fmt: func(p *printer, c *Call, i int) {
		in, ok := fhAtEntry(p, c)
		if !ok {
			p.ptr(c.Args[i])
			return
		}
		p.s("{handle_bytes=")
		p.u(uint64(in))
		failed := fhFailed(c)
		cp := c.Cap(i, 0)
		if (!failed || c.Ret == -int64(unix.EOVERFLOW)) && cp != nil && len(cp.Data) >= fhHeader && (!cp.Fault() || cp.Part()) {
			b := cp.Data
			if out := le.Uint32(b); out != in {
				p.s(" => ")
				p.u(uint64(out))
			}
			if !failed {
				p.s(", handle_type=")
				p.d(int64(int32(le.Uint32(b[4:]))))
				p.s(", f_handle=")
				fhF(p, b)
			}
		}
		p.c('}')
	}})
	// kFhMountID is name_to_handle_at's mount_id: [N] once it succeeded;
	// its address when it failed, or when the handle could not be read
	// as it entered (strace printed the rest then).
	kFhMountID = newKind(kindInfo{out: true, cap: capOut(4), fmt: func(p *printer, c *Call, i int) {
		if _, ok := fhAtEntry(p, c); !ok || c.Args[i] == 0 {
			p.ptr(c.Args[i])
			return
		}
		d := capturedOut(c, i, 4)
		if d == nil {
			p.x(c.Args[i])
			return
		}
		intBracket(p, d)
	}})
	kFhFlags = flagsKind([]flag{{0x400, "AT_SYMLINK_FOLLOW"}, {0x1000, "AT_EMPTY_PATH"}}, "AT_???")

	// kFhandleIn is open_by_handle_at's handle.
	kFhandleIn = newKind(kindInfo{cap: capFhandle(wire.CWIn), fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if c.Args[i] == 0 || !p.verbose() || cp == nil || len(cp.Data) < fhHeader || cp.Fault() && !cp.Part() {
			p.ptr(c.Args[i])
			return
		}
		fhStruct(p, cp.Data)
	}})
)

func init() {
	registerSigs(map[string]sig{
		"name_to_handle_at": {args: []kind{kDirfd, kPath, kFhandleOut, kFhMountID, kFhFlags}, class: ClassDesc | ClassFile},
		"open_by_handle_at": {args: []kind{kFd, kFhandleIn, kOpenFlags}, class: ClassDesc},
	})
}
