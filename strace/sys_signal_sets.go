package strace

import "github.com/eproc/eproc/loader/wire"

// Signal sets whose size is another argument (strace's
// print_sigset_addr_len: the set is read only when its size is between
// the word size, or 1 for rt_sigpending, and NSIG_BYTES; else the
// address), the calls that take them, and the calls that send a siginfo
// (rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal).

const nsigBytes = 8

// sigsetLen prints the set of argument i whose size is argument i+rel,
// when that size is in [min, nsigBytes] and the set was captured.
func sigsetLen(p *printer, c *Call, i, rel int, min uint64) {
	n := c.Args[i+rel]
	if n < min || n > nsigBytes {
		p.ptr(c.Args[i])
		return
	}
	b := capturedIn(c, i, int(n))
	if b == nil || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	if n == nsigBytes {
		kernelSigset(p, le.Uint64(b))
		return
	}
	sigsetOfBytes(p, b[:n])
}

func sigsetLenCap(rel int8, when uint8) capRule {
	return capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: rel, elem: 1, max: nsigBytes, when: when}
}

// sigsetLenIn is an input set whose size is argument i+rel.
func sigsetLenIn(rel int) kind {
	return newKind(kindInfo{cap: sigsetLenCap(int8(rel), wire.CWIn), fmt: func(p *printer, c *Call, i int) {
		sigsetLen(p, c, i, rel, 8)
	}})
}

// sigsetLenOut is a set the call fills, whose size is argument i+rel.
func sigsetLenOut(rel int, min uint64) kind {
	return newKind(kindInfo{out: true, cap: sigsetLenCap(int8(rel), wire.CWOK), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		sigsetLen(p, c, i, rel, min)
	}})
}

var (
	kSigsetLen1    = sigsetLenIn(1)
	kSigsetLen2    = sigsetLenIn(2)
	kSigsetLen3    = sigsetLenIn(3)
	kSigsetLenOut1 = sigsetLenOut(1, 8)
	kSigpendingSet = sigsetLenOut(1, 1)
	sfdFlags       = []flag{{0x80000, "SFD_CLOEXEC"}, {0x800, "SFD_NONBLOCK"}}
	kSfdFlags      = flagsKind(sfdFlags, "SFD_???")
)

// kSiginfoIn is a siginfo_t the caller passes, read whole (128 bytes, so
// one that ends past readable memory is an address, as strace prints it).
var kSiginfoIn = newKind(kindInfo{cap: capIn(128), fmt: func(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 128)
	if cp == nil {
		return
	}
	siginfo(p, c, cp.Data)
}})

// kUintHex is an unsigned int printed in hex (strace's PRINT_VAL_X).
var kUintHex = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { hexOrZero(p, uint64(uint32(c.Args[i]))) }})

func init() {
	registerSigs(map[string]sig{
		"rt_sigprocmask":    {args: []kind{kSigprocmaskHow, kSigsetLen2, kSigsetLenOut1, kUlong}, class: ClassSignal},
		"rt_sigsuspend":     {args: []kind{kSigsetLen1, kUlong}, class: ClassSignal},
		"rt_sigpending":     {args: []kind{kSigpendingSet, kUlong}, class: ClassSignal},
		"rt_sigtimedwait":   {args: []kind{kSigsetLen3, kSiginfoOut, kTimespec, kUlong}, ret: signalRet, class: ClassSignal},
		"signalfd4":         {args: []kind{kFd, kSigsetLen1, kUlong, kSfdFlags}, class: ClassDesc | ClassSignal},
		"signalfd":          {args: []kind{kFd, kSigsetLen1, kUlong}, class: ClassDesc | ClassSignal},
		"rt_sigqueueinfo":   {args: []kind{kPidTgid, kSignal, kSiginfoIn}, class: ClassProcess | ClassSignal},
		"rt_tgsigqueueinfo": {args: []kind{kPidTgid, kPidTid, kSignal, kSiginfoIn}, class: ClassProcess | ClassSignal},
		"pidfd_send_signal": {args: []kind{kFd, kSignal, kSiginfoIn, kUintHex}, class: ClassDesc | ClassSignal},
	})
}
