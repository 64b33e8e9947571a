package strace

import (
	"bytes"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// The descriptor family: calls on file descriptors (fcntl, dup, pipe,
// lseek, getdents, vectored I/O, eventfd, sendfile, splice, ...), as strace
// prints them in its default mode. ioctl is in sys_ioctl.go, poll, select
// and epoll in sys_poll.go.

// fcntl.

const (
	fDUPFD        = 0
	fGETFD        = 1
	fSETFD        = 2
	fGETFL        = 3
	fSETFL        = 4
	fGETLK        = 5
	fSETLK        = 6
	fSETLKW       = 7
	fSETOWN       = 8
	fGETOWN       = 9
	fSETSIG       = 10
	fGETSIG       = 11
	fSETOWNEX     = 15
	fGETOWNEX     = 16
	fGETOWNERUIDS = 17
	fOFDGETLK     = 36
	fOFDSETLK     = 37
	fOFDSETLKW    = 38
	fSETLEASE     = 1024
	fGETLEASE     = 1025
	fNOTIFY       = 1026
	fCANCELLK     = 1029
	fDUPFDCLOEXEC = 1030
	fSETPIPESZ    = 1031
	fGETPIPESZ    = 1032
	fADDSEALS     = 1033
	fGETSEALS     = 1034
)

var fcntlCmds = []flag{
	{fDUPFD, "F_DUPFD"}, {fGETFD, "F_GETFD"}, {fSETFD, "F_SETFD"}, {fGETFL, "F_GETFL"}, {fSETFL, "F_SETFL"},
	{fGETLK, "F_GETLK"}, {fSETLK, "F_SETLK"}, {fSETLKW, "F_SETLKW"}, {fSETOWN, "F_SETOWN"}, {fGETOWN, "F_GETOWN"},
	{fSETSIG, "F_SETSIG"}, {fGETSIG, "F_GETSIG"}, {fSETOWNEX, "F_SETOWN_EX"}, {fGETOWNEX, "F_GETOWN_EX"},
	{fGETOWNERUIDS, "F_GETOWNER_UIDS"}, {fOFDGETLK, "F_OFD_GETLK"}, {fOFDSETLK, "F_OFD_SETLK"},
	{fOFDSETLKW, "F_OFD_SETLKW"}, {fSETLEASE, "F_SETLEASE"}, {fGETLEASE, "F_GETLEASE"}, {fNOTIFY, "F_NOTIFY"},
	{fCANCELLK, "F_CANCELLK"}, {fDUPFDCLOEXEC, "F_DUPFD_CLOEXEC"}, {fSETPIPESZ, "F_SETPIPE_SZ"},
	{fGETPIPESZ, "F_GETPIPE_SZ"}, {fADDSEALS, "F_ADD_SEALS"}, {fGETSEALS, "F_GET_SEALS"},
}

var lockTypes = []flag{{0, "F_RDLCK"}, {1, "F_WRLCK"}, {2, "F_UNLCK"}}
var whences = []flag{{0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"}}
var dnotifyFlags = []flag{
	{1, "DN_ACCESS"}, {2, "DN_MODIFY"}, {4, "DN_CREATE"}, {8, "DN_DELETE"}, {0x10, "DN_RENAME"},
	{0x20, "DN_ATTRIB"}, {0x80000000, "DN_MULTISHOT"},
}
var sealFlags = []flag{{1, "F_SEAL_SEAL"}, {2, "F_SEAL_SHRINK"}, {4, "F_SEAL_GROW"}, {8, "F_SEAL_WRITE"}, {0x10, "F_SEAL_FUTURE_WRITE"}}
var ownerTypes = []flag{{0, "F_OWNER_TID"}, {1, "F_OWNER_PID"}, {2, "F_OWNER_PGRP"}}

func fcntlNargs(c *Call) int {
	switch uint32(c.Args[1]) {
	case fGETFD, fGETFL, fGETOWN, fGETSIG, fGETLEASE, fGETPIPESZ, fGETSEALS, fCANCELLK:
		return 2
	}
	return 3
}

// fmtFlock prints a struct flock (the same on amd64 and arm64).
func fmtFlock(p *printer, c *Call, i int, withPid bool) {
	b := capturedIn(c, i, 32)
	if b == nil || withPid && (c.Ret < 0 || !c.Complete()) || !p.verbose() { // -e verbose=: umove_or_printaddr
		p.ptr(c.Args[i])
		return
	}
	p.s("{l_type=")
	xlatDecOrUnknown(p, int64(int16(le.Uint16(b[0:]))), lockTypes, "F_???")
	p.s(", l_whence=")
	xlatDecOrUnknown(p, int64(int16(le.Uint16(b[2:]))), whences, "SEEK_???")
	p.s(", l_start=")
	p.d(int64(le.Uint64(b[8:])))
	p.s(", l_len=")
	p.d(int64(le.Uint64(b[16:])))
	if withPid {
		p.s(", l_pid=")
		p.d(int64(int32(le.Uint32(b[24:]))))
	}
	p.c('}')
}

func fmtFcntlArg(p *printer, c *Call, i int) {
	v := c.Args[i]
	switch uint32(c.Args[1]) {
	case fSETFD:
		flagsOrUnknown(p, v, []flag{{1, "FD_CLOEXEC"}}, "", "FD_???")
	case fSETFL:
		openFlags(p, v)
	case fSETLK, fSETLKW, fOFDSETLK, fOFDSETLKW:
		fmtFlock(p, c, i, false)
	case fGETLK, fOFDGETLK:
		fmtFlock(p, c, i, true)
	case fSETOWNEX, fGETOWNEX:
		b := capturedIn(c, i, 8)
		if b == nil || uint32(c.Args[1]) == fGETOWNEX && (c.Ret < 0 || !c.Complete()) || !p.verbose() {
			p.ptr(v)
			return
		}
		p.s("{type=")
		xlatOrUnknown(p, uint64(le.Uint32(b)), ownerTypes, "F_OWNER_???")
		p.s(", pid=")
		ownerPid(p, int32(le.Uint32(b[4:])), le.Uint32(b))
		p.c('}')
	case fSETLEASE:
		xlatDecOrUnknown(p, int64(int32(v)), lockTypes, "F_???")
	case fNOTIFY:
		flagsOrUnknown(p, uint64(uint32(v)), dnotifyFlags, "", "DN_???")
	case fADDSEALS:
		flagsOrUnknown(p, uint64(uint32(v)), sealFlags, "", "F_SEAL_???")
	case fSETSIG:
		if v == 0 {
			p.c('0')
		} else {
			argSignal(p, int(int32(v)), signalName)
		}
	case fSETOWN:
		p.pidTgidPgid(int32(v))
	case fDUPFD, fDUPFDCLOEXEC, fSETPIPESZ:
		p.d(int64(int32(v)))
	default:
		p.x(v)
	}
}

// fcntlCases are fcntl's captures by command: a struct flock (32 bytes)
// or a struct f_owner_ex (8); the other commands capture nothing.
func fcntlCases() map[uint32]map[int]capRule {
	cases := map[uint32]map[int]capRule{fSETOWNEX: {2: capIn(8)}, fGETOWNEX: {2: capIn(8)}}
	for _, cmd := range []uint32{fGETLK, fSETLK, fSETLKW, fOFDGETLK, fOFDSETLK, fOFDSETLKW} {
		cases[cmd] = map[int]capRule{2: capIn(32)}
	}
	return cases
}

func fcntlRet(p *printer, c *Call) {
	switch uint32(c.Args[1]) {
	case fGETOWN:
		retTgid(p, c) // a group's (< 0) is not looked up
	case fDUPFD, fDUPFDCLOEXEC:
		p.fd(c, int32(c.Ret))
	case fGETFD:
		hexOrZero(p, uint64(c.Ret))
		if c.Ret != 0 {
			p.s(" (flags ")
			flagsOrUnknown(p, uint64(c.Ret), []flag{{1, "FD_CLOEXEC"}}, "", "")
			p.c(')')
		}
	case fGETFL:
		hexOrZero(p, uint64(c.Ret))
		p.s(" (flags ")
		openFlags(p, uint64(c.Ret))
		p.c(')')
	case fGETLEASE:
		hexOrZero(p, uint64(c.Ret))
		p.s(" (")
		xlatDecOrUnknown(p, c.Ret, lockTypes, "F_???")
		p.c(')')
	case fGETSEALS:
		hexOrZero(p, uint64(c.Ret))
		if c.Ret != 0 {
			p.s(" (seals ")
			flagsOrUnknown(p, uint64(c.Ret), sealFlags, "", "")
			p.c(')')
		}
	case fGETSIG:
		p.d(c.Ret)
		if c.Ret != 0 {
			p.s(" (")
			signalName(p, int(c.Ret))
			p.c(')')
		}
	default:
		p.d(c.Ret)
	}
}

// getdents: the address and the number of entries, counted in the kernel
// (CKDents) over all the bytes returned, as strace counts them; "N+" when
// bytes were left uncounted (past wire.DentsMax entries, or unreadable).
// A failed call, or one that claims more than the buffer's size, shows the
// address alone.
func fmtDents(p *printer, c *Call, i int) {
	if !p.abbrev() && p.verbose() && dentsWhole(p, c, i, int(kinds[lookup(c.Nr).signature().args[i]].cap.elem)) {
		return
	}
	p.ptr(c.Args[i])
	b := capturedOut(c, i, 4)
	if b == nil || !p.verbose() || uint64(c.Ret) > uint64(uint32(c.Args[i+1])) {
		return
	}
	p.s(" /* ")
	p.u(uint64(le.Uint32(b)))
	if c.Cap(i, 0).Trunc() {
		p.c('+')
	}
	p.s(" entries */")
}

// Vectored I/O: the iovec array is element 0 of the capture, the data of
// element k is element k+1.
func fmtIov(p *printer, c *Call, i int, read bool) {
	failed := read && (c.Ret < 0 || !c.Complete())
	dataSize := ^uint64(0)
	if read && !failed {
		dataSize = uint64(c.Ret)
	}
	iovElems(p, c, i, 0, c.Args[i], c.Cap(i, 0), c.Args[i+1], dataSize, failed)
}

// iovElems is strace's tprint_iov_upto: cnt iovecs at addr, captured as
// arr, element k's data as element base+1+k of argument i's captures,
// dataSize bounding the data of all (^0: none); failed: the call failed
// to fill them (their addresses).
func iovElems(p *printer, c *Call, i, base int, addr uint64, arr *wire.Cap, cnt, dataSize uint64, failed bool) {
	printArrayAt(p, addr, arr, 16, cnt, func(p *printer, k uint64, b []byte) bool {
		iovBase, l := le.Uint64(b), le.Uint64(b[8:])
		n := min(l, dataSize)
		if dataSize != ^uint64(0) {
			dataSize -= n
		}
		p.s("{iov_base=")
		d := c.Cap(i, base+1+int(k))
		switch {
		case failed || iovBase == 0 || d != nil && d.Fault():
			p.ptr(iovBase)
		case d == nil && n == 0:
			p.s(`""`) // the data bound was spent: printstrn of no bytes
		case d == nil:
			p.ptr(iovBase)
		default:
			// Cut at -s: a dumped call's capture holds all its data.
			show := d.Data[:min(uint64(len(d.Data)), n)]
			more := d.Trunc() || uint64(len(show)) < n
			if len(show) > p.strsize {
				show, more = show[:p.strsize], true
			}
			p.quote(show, more)
		}
		p.s(", iov_len=")
		p.u(l)
		p.c('}')
		return true
	})
}

// Offsets a call reads and advances (sendfile, copy_file_range): at exit
// the capture holds the advanced value; the one passed in is that less
// the result.
func offsetInOut(c *Call, i int) (in, out int64, ok bool) {
	b := capturedIn(c, i, 8)
	if b == nil {
		return 0, 0, false
	}
	out = int64(le.Uint64(b))
	in = out
	if c.Complete() && c.Ret > 0 {
		in -= c.Ret
	}
	return in, out, true
}

// Kinds of the descriptor family.
var (
	kFcntlCmd = xlatKind(fcntlCmds, "F_???")
	kFcntlArg = newKind(kindInfo{fmt: fmtFcntlArg}) // captured by command: fcntlCases
	// kDup3Flags is dup3's flags: strace's open_mode_flags (open's flags
	// but the access mode).
	kDup3Flags = flagsKind(openFlagTab, "O_???")
	kPipeFds   = newKind(kindInfo{out: true, cap: capOut(8), fmt: func(p *printer, c *Call, i int) {
		b := capturedOut(c, i, 8)
		if b == nil || !p.verbose() { // -e verbose=: print_array's tfetch_mem reads nothing
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.fd(c, int32(le.Uint32(b)))
		p.s(", ")
		p.fd(c, int32(le.Uint32(b[4:])))
		p.c(']')
	}})
	kPipeFlags = flagsKind([]flag{{unix.O_NONBLOCK, "O_NONBLOCK"}, {unix.O_CLOEXEC, "O_CLOEXEC"}, {unix.O_DIRECT, "O_DIRECT"}}, "O_???")
	kWhence    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		xlatOrUnknown(p, uint64(uint32(c.Args[i])), whences, "SEEK_???")
	}})
	// kDents64 and kDents: elem is the entries' header size, offsetof
	// d_name in linux_dirent64 (19) and in the old linux_dirent (18).
	kDents64 = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKDents, sizeFrom: wire.SzRet, elem: 19, when: wire.CWOK}, fmt: fmtDents})
	kDents   = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKDents, sizeFrom: wire.SzRet, elem: 18, when: wire.CWOK}, fmt: fmtDents})
	kFadvice = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		xlatOrUnknown(p, uint64(uint32(c.Args[i])), []flag{{0, "POSIX_FADV_NORMAL"}, {1, "POSIX_FADV_RANDOM"},
			{2, "POSIX_FADV_SEQUENTIAL"}, {3, "POSIX_FADV_WILLNEED"}, {4, "POSIX_FADV_DONTNEED"}, {5, "POSIX_FADV_NOREUSE"}}, "POSIX_FADV_???")
	}})
	kIovIn = newKind(kindInfo{cap: capRule{kind: wire.CKIov, sizeRel: 1, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) { fmtIov(p, c, i, false) }})
	kIovOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKIov, sizeFrom: wire.SzRet, sizeRel: 1, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) { fmtIov(p, c, i, true) }})
	// kRWFlags is preadv2's flags: the last register (the offset takes two).
	kRWFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		flagsOrUnknown(p, uint64(uint32(c.Args[5])), rwfFlags, "", "RWF_???")
	}})
	kEventfdFlags = flagsKind([]flag{{1, "EFD_SEMAPHORE"}, {unix.O_CLOEXEC, "EFD_CLOEXEC"}, {unix.O_NONBLOCK, "EFD_NONBLOCK"}}, "EFD_???")
	// kOffsetInOut is sendfile's offset, unsigned: [in], and => [out]
	// when the call moved it (succeeded with a result other than 0).
	kOffsetInOut = newKind(kindInfo{cap: capIn(8), fmt: func(p *printer, c *Call, i int) {
		in, out, ok := offsetInOut(c, i)
		if !ok || !p.verbose() { // -e verbose=: printnum_int64
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.u(uint64(in))
		p.c(']')
		if c.Complete() && c.Ret > 0 {
			p.s(" => [")
			p.u(uint64(out))
			p.c(']')
		}
	}})
	// kOffsetIn is copy_file_range's and splice's offsets: the value passed.
	kOffsetIn = newKind(kindInfo{cap: capIn(8), fmt: func(p *printer, c *Call, i int) {
		in, _, ok := offsetInOut(c, i)
		if !ok || !p.verbose() {
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.d(in)
		p.c(']')
	}})
	kFlockOp            = flagsKind([]flag{{1, "LOCK_SH"}, {2, "LOCK_EX"}, {4, "LOCK_NB"}, {8, "LOCK_UN"}, {32, "LOCK_MAND"}, {192, "LOCK_RW"}, {64, "LOCK_READ"}, {128, "LOCK_WRITE"}}, "LOCK_???")
	kFallocMode         = flagsKind([]flag{{1, "FALLOC_FL_KEEP_SIZE"}, {2, "FALLOC_FL_PUNCH_HOLE"}, {4, "FALLOC_FL_NO_HIDE_STALE"}, {8, "FALLOC_FL_COLLAPSE_RANGE"}, {0x10, "FALLOC_FL_ZERO_RANGE"}, {0x20, "FALLOC_FL_INSERT_RANGE"}, {0x40, "FALLOC_FL_UNSHARE_RANGE"}}, "FALLOC_FL_???")
	kCloseRangeFlags    = flagsKind([]flag{{2, "CLOSE_RANGE_UNSHARE"}, {4, "CLOSE_RANGE_CLOEXEC"}}, "CLOSE_RANGE_???")
	kSyncFileRangeFlags = flagsKind([]flag{{1, "SYNC_FILE_RANGE_WAIT_BEFORE"}, {2, "SYNC_FILE_RANGE_WRITE"}, {4, "SYNC_FILE_RANGE_WAIT_AFTER"}}, "SYNC_FILE_RANGE_???")
	kInotifyInitFlags   = flagsKind([]flag{{unix.O_NONBLOCK, "IN_NONBLOCK"}, {unix.O_CLOEXEC, "IN_CLOEXEC"}}, "IN_???")
	kOpenHow            = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 4096, when: wire.CWIn}, fmt: fmtOpenHow})
	kSpliceFlags        = flagsKind([]flag{{1, "SPLICE_F_MOVE"}, {2, "SPLICE_F_NONBLOCK"}, {4, "SPLICE_F_MORE"}, {8, "SPLICE_F_GIFT"}}, "SPLICE_F_???")
)

// fmtOpenHow prints openat2's struct open_how, as strace's
// print_open_how: a size under the struct's first version (24) shows the
// address; the flags are all 64 bits; the mode shows with O_CREAT or
// __O_TMPFILE, or when it is not 0; bytes past 24 as structTail.
func fmtOpenHow(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Args[i+1] < 24 || c.Args[i] == 0 || cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < 24 {
		p.ptr(c.Args[i])
		return
	}
	b := cp.Data
	fl, mode, res := le.Uint64(b), le.Uint64(b[8:]), le.Uint64(b[16:])
	p.s("{flags=")
	p.whole(func() { hexOrZero(p, fl) }, func() { openFlagsAbbrev(p, fl) })
	if mode != 0 || fl&(unix.O_CREAT|(unix.O_TMPFILE&^unix.O_DIRECTORY)) != 0 {
		p.s(", mode=")
		octalMode(p, mode)
	}
	p.s(", resolve=")
	flagsOrUnknown(p, res, []flag{{1, "RESOLVE_NO_XDEV"}, {2, "RESOLVE_NO_MAGICLINKS"}, {4, "RESOLVE_NO_SYMLINKS"},
		{8, "RESOLVE_BENEATH"}, {0x10, "RESOLVE_IN_ROOT"}, {0x20, "RESOLVE_CACHED"}}, "", "RESOLVE_???")
	structTail(p, cp, 24, c.Args[i+1])
	p.c('}')
}

// structTail prints what strace's print_nonzero_bytes prints of the bytes
// [known, total) of an extensible struct the capture cp holds: nothing
// when they are all zero, ", ???" when they could not all be read, else
// ", /* bytes known..total-1 */ " and them in hex, cut at -s.
func structTail(p *printer, cp *wire.Cap, known int, total uint64) {
	if total <= uint64(known) {
		return
	}
	if cp.Fault() {
		p.s(", ???")
		return
	}
	tail := cp.Data[min(known, len(cp.Data)):]
	tail = tail[:min(uint64(len(tail)), total-uint64(known))]
	if bytes.Count(tail, []byte{0}) == len(tail) {
		return
	}
	p.s(", /* bytes ")
	p.u(uint64(known))
	p.s("..")
	p.u(total - 1)
	p.s(" */ ")
	n := min(len(tail), p.strsize)
	p.quoteHex(tail[:n], uint64(n) < total-uint64(known))
}

func init() {
	const D = ClassDesc
	registerSigs(map[string]sig{
		"fcntl": {args: []kind{kFd, kFcntlCmd, kFcntlArg}, nargs: fcntlNargs, ret: fcntlRet, class: D,
			sel: &selector{arg: 1, mask: 0xffffffff, cases: fcntlCases}},
		"fcntl64": {args: []kind{kFd, kFcntlCmd, kFcntlArg}, nargs: fcntlNargs, ret: fcntlRet, class: D,
			sel: &selector{arg: 1, mask: 0xffffffff, cases: fcntlCases}},
		"dup":   {args: []kind{kFd}, class: D},
		"dup2":  {args: []kind{kFd, kFdTarget}, class: D},
		"dup3":  {args: []kind{kFd, kFdTarget, kDup3Flags}, class: D},
		"pipe":  {args: []kind{kPipeFds}, class: D},
		"pipe2": {args: []kind{kPipeFds, kPipeFlags}, class: D},
		"lseek": {args: []kind{kFd, kLong, kWhence}, class: D},

		"getdents":   {args: []kind{kFd, kDents, kUint}, class: D},
		"getdents64": {args: []kind{kFd, kDents64, kUint}, class: D},
		"fadvise64":  {args: []kind{kFd, kLong, kLong, kFadvice}, class: D},
		"readahead":  {args: []kind{kFd, kLong, kUlong}, class: D},

		"readv":    {args: []kind{kFd, kIovOut, kUlong}, class: D},
		"writev":   {args: []kind{kFd, kIovIn, kUlong}, class: D},
		"preadv":   {args: []kind{kFd, kIovOut, kUlong, kLong}, class: D},
		"pwritev":  {args: []kind{kFd, kIovIn, kUlong, kLong}, class: D},
		"preadv2":  {args: []kind{kFd, kIovOut, kUlong, kLong, kRWFlags}, class: D},
		"pwritev2": {args: []kind{kFd, kIovIn, kUlong, kLong, kRWFlags}, class: D},

		"eventfd":         {args: []kind{kUint}, class: D},
		"eventfd2":        {args: []kind{kUint, kEventfdFlags}, class: D},
		"sendfile":        {args: []kind{kFd, kFd, kOffsetInOut, kUlong}, class: D | ClassNetwork},
		"copy_file_range": {args: []kind{kFd, kOffsetIn, kFd, kOffsetIn, kUlong, kUint}, class: D},
		"splice":          {args: []kind{kFd, kOffsetIn, kFd, kOffsetIn, kUlong, kSpliceFlags}, class: D},
		"vmsplice":        {args: []kind{kFd, kIovIn, kUlong, kSpliceFlags}, class: D},
		"tee":             {args: []kind{kFd, kFd, kUlong, kSpliceFlags}, class: D},
		"memfd_create":    {args: []kind{kMemfdName, kMemfdFlags}, class: D},
		"flock":           {args: []kind{kFd, kFlockOp}, class: D},
		"fsync":           {args: []kind{kFd}, class: D},
		"fdatasync":       {args: []kind{kFd}, class: D},
		"syncfs":          {args: []kind{kFd}, class: D},
		"ftruncate":       {args: []kind{kFd, kLong}, class: D},
		"fallocate":       {args: []kind{kFd, kFallocMode, kLong, kLong}, class: D},
		"sync_file_range": {args: []kind{kFd, kLong, kLong, kSyncFileRangeFlags}, class: D},
		"close_range":     {args: []kind{kUint, kUint, kCloseRangeFlags}, class: D},
		"inotify_init":    {class: D},
		"openat2":         {args: []kind{kDirfd, kPath, kOpenHow, kUlong}, class: D | ClassFile},
		"inotify_init1":   {args: []kind{kInotifyInitFlags}, class: D},
	})
}
