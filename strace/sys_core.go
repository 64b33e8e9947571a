package strace

import (
	"bytes"
	"runtime"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// The core: the calls every traced program makes first. Family files
// (sys_*.go) register the rest.

var (
	kOpenFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { openFlags(p, c.Args[i]) }})
	// kOpenMode is open's mode: printed only when the flags create a file.
	kOpenMode = kOctal
	// kArgv is execve's argv: from the exec record when the call succeeded.
	kArgv = newKind(kindInfo{cap: capRule{kind: wire.CKStrv, when: wire.CWIn}, fmt: fmtArgv})
	// kEnvp is execve's envp: address and count, as strace prints by default.
	kEnvp = newKind(kindInfo{cap: capRule{kind: wire.CKPCount, when: wire.CWIn}, fmt: fmtEnvp})
	// kExecPath is execve's filename: from the exec record when the call succeeded.
	kExecPath = newKind(kindInfo{cap: capPath, fmt: func(p *printer, c *Call, i int) {
		if c.exec != nil {
			p.quote(execPath(c, i), false)
			return
		}
		fmtStr(p, c, i)
	}})
)

// oTmpfileBit is __O_TMPFILE (O_TMPFILE is it with O_DIRECTORY): strace
// prints the mode when either O_CREAT or this bit is set (open.c).
const oTmpfileBit = 0x400000

func openNargs(flagsArg int) func(c *Call) int {
	return func(c *Call) int {
		f := c.Args[flagsArg]
		if f&(unix.O_CREAT|oTmpfileBit) != 0 {
			return flagsArg + 2
		}
		return flagsArg + 1
	}
}

func fmtArgv(p *printer, c *Call, i int) {
	switch {
	case !p.verbose(): // -e verbose=none: the address
		p.ptr(c.Args[i])
	case c.exec != nil:
		execArgv(p, c.exec, c.Args[i])
	case c.Args[i] == 0:
		p.s("NULL")
	default:
		capturedArgv(p, c, i)
	}
}

// execStrings is a successful execve's argv (or, with -v, envp), count
// NUL-terminated strings as the new program has them, b cut short when
// trunc.
func execStrings(p *printer, b []byte, count int, trunc bool) {
	p.c('[')
	execElems(p, b, 0, count, trunc)
	p.c(']')
}

// execElems prints elements n0 to count-1 of an argv (or envp) from b,
// their NUL-terminated strings, b cut short when trunc.
func execElems(p *printer, b []byte, n0, count int, trunc bool) {
	for n := n0; n < count; n++ {
		if len(b) == 0 {
			if trunc {
				p.s(", ...") // past the bytes captured
			}
			break
		}
		if n > 0 {
			p.s(", ")
		}
		if p.abbrev() && n >= p.strsize { // printargv: at most -s elements
			p.s("...")
			break
		}
		j := bytes.IndexByte(b, 0)
		if j < 0 {
			j = len(b)
		}
		quoteLimited(p, b[:j], j == len(b) && trunc)
		b = b[min(j+1, len(b)):]
	}
}

// capturedArgv is argument i's strings as put_strv captured them.
func capturedArgv(p *printer, c *Call, i int) {
	first := true
	found := false
	seen := 0 // elements before the end
	for k := range c.Caps {
		cp := &c.Caps[k]
		if int(cp.Arg) != i {
			continue
		}
		if !found {
			p.c('[')
			found = true
		}
		if int(cp.Idx) == wire.StrvMax {
			// The array's end past the elements captured: more of
			// them, one that could not be read, or none at all.
			switch {
			case cp.Trunc():
				p.s(", ...")
			case cp.Fault():
				p.s(", ... /* ")
				p.x(c.Args[i] + 8*uint64(seen))
				p.s(" */")
			}
			break
		}
		seen++
		p.sep(&first)
		if p.abbrev() && int(cp.Idx) >= p.strsize {
			p.s("...")
			break
		}
		if cp.Fault() {
			p.ptr(cp.Want.Ptr) // printstr of what it could not read: its address
			continue
		}
		quoteLimited(p, cp.Data, cp.Trunc())
	}
	if !found {
		p.x(c.Args[i])
		return
	}
	p.c(']')
}

// quoteLimited prints a string element cut at -s, as strace's printstr.
func quoteLimited(p *printer, s []byte, more bool) {
	if len(s) > p.strsize {
		s, more = s[:p.strsize], true
	}
	p.quote(s, more)
}

func fmtEnvp(p *printer, c *Call, i int) {
	if !p.abbrev() && p.verbose() && c.Args[i] != 0 {
		// -v: the strings (the session captured them: WholeStructs).
		if x := c.exec; x != nil && (len(x.env) > 0 || x.envc == 0) {
			execStrings(p, x.env, x.envc, x.envTrunc)
			return
		}
		// A failed one's record took the plan's whole case (its entry
		// record did not: that has the count).
		if c.exec == nil && c.Complete() {
			capturedArgv(p, c, i)
			return
		}
	}
	p.ptr(c.Args[i])
	if c.Args[i] == 0 || !p.verbose() {
		return
	}
	n := -1
	if c.exec != nil {
		n = c.exec.envc
	} else if cp := c.Cap(i, 0); cp != nil && !cp.Fault() && len(cp.Data) >= 4 {
		n = int(le.Uint32(cp.Data))
	}
	if n < 0 {
		return
	}
	p.s(" /* ")
	p.d(int64(n))
	if n == 1 {
		p.s(" var")
	} else {
		p.s(" vars")
	}
	if c.exec == nil {
		if cp := c.Cap(i, 0); cp != nil && cp.Trunc() {
			p.s("?")
		} else if cp != nil && cp.Part() {
			p.s(", unterminated") // read up to a page that could not be
		}
	}
	p.s(" */")
}

func init() {
	registerSigs(map[string]sig{
		"read":        {args: []kind{kFd, kBufOut, kUlong}, class: ClassDesc},
		"write":       {args: []kind{kFd, kBufIn, kUlong}, class: ClassDesc},
		"pread64":     {args: []kind{kFd, kBufOut, kUlong, kLong}, class: ClassDesc},
		"pwrite64":    {args: []kind{kFd, kBufIn, kUlong, kLong}, class: ClassDesc},
		"close":       {args: []kind{kFd}, class: ClassDesc},
		"open":        {args: []kind{kPath, kOpenFlags, kOpenMode}, nargs: openNargs(1), class: ClassDesc | ClassFile},
		"openat":      {args: []kind{kDirfd, kPath, kOpenFlags, kOpenMode}, nargs: openNargs(2), class: ClassDesc | ClassFile},
		"creat":       {args: []kind{kPath, kOctal}, class: ClassDesc | ClassFile},
		"execve":      {args: []kind{kExecPath, kArgv, kEnvp}, exec: true, class: ClassFile | ClassProcess},
		"execveat":    {args: []kind{kDirfd, kExecPath, kArgv, kEnvp, kAtFlags}, exec: true, class: ClassDesc | ClassFile | ClassProcess},
		"exit":        {args: []kind{kInt}, noreturn: true, class: ClassProcess},
		"exit_group":  {args: []kind{kInt}, noreturn: true, class: ClassProcess},
		"getpid":      {class: ClassPure, ret: retTgid},
		"getppid":     {class: ClassPure, ret: retTgid},
		"gettid":      {class: ClassPure, ret: retTid},
		"getuid":      {class: ClassCreds | ClassPure},
		"geteuid":     {class: ClassCreds | ClassPure},
		"getgid":      {class: ClassCreds | ClassPure},
		"getegid":     {class: ClassCreds | ClassPure},
		"sched_yield": {},
		"sync":        {},
		"pause":       {class: ClassSignal},
	})
}

// openFlagTab is open(2)'s flags in strace's order, with the kernel's
// O_LARGEFILE (x/sys has 0 for it on 64-bit).
var openFlagTab = func() []flag {
	lf := uint64(0x8000)
	if runtime.GOARCH == "arm64" {
		lf = 0x20000
	}
	return []flag{
		{unix.O_CREAT, "O_CREAT"}, {unix.O_EXCL, "O_EXCL"}, {unix.O_NOCTTY, "O_NOCTTY"}, {unix.O_TRUNC, "O_TRUNC"},
		{unix.O_APPEND, "O_APPEND"}, {unix.O_NONBLOCK, "O_NONBLOCK"}, {unix.O_SYNC, "O_SYNC"},
		{unix.O_SYNC &^ unix.O_DSYNC, "__O_SYNC"}, {unix.O_DSYNC, "O_DSYNC"}, {unix.O_DIRECT, "O_DIRECT"},
		{lf, "O_LARGEFILE"}, {unix.O_NOFOLLOW, "O_NOFOLLOW"}, {unix.O_NOATIME, "O_NOATIME"},
		{unix.O_CLOEXEC, "O_CLOEXEC"}, {unix.O_PATH, "O_PATH"}, {unix.O_TMPFILE, "O_TMPFILE"},
		{unix.O_TMPFILE &^ unix.O_DIRECTORY, "__O_TMPFILE"}, {unix.O_DIRECTORY, "O_DIRECTORY"},
		{unix.O_ASYNC, "FASYNC"},
	}
}()

// openFlags prints open(2) flags as strace does: the access mode, then
// the flags in strace's order.
func openFlags(p *printer, v uint64) {
	v &= 0xffffffff
	p.whole(func() { hexOrZero(p, v) }, func() { openFlagsAbbrev(p, v) })
}

func openFlagsAbbrev(p *printer, v uint64) {
	p.s([]string{"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"}[v&3])
	v &^= 3
	if v != 0 {
		p.c('|')
		p.flags(v, openFlagTab, "")
	}
}
