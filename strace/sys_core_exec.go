package strace

import (
	"bytes"
	"strconv"

	"golang.org/x/sys/unix"
)

// A successful execve's arguments come from its exec record (the memory
// they were in is gone by its return), which tells what the kernel made of
// them. strace prints what the call was given, read at its entry. They
// differ in two ways:
//
//   - a program an interpreter runs (binfmt_script's "#!", binfmt_misc):
//     the kernel took argv[0] out and put the interpreter's path, its
//     optional argument and the program's path in front, at each level of
//     a script whose interpreter is a script. The record keeps the count
//     and argv[0] the call was given (execInfo.oargc, argv0).
//   - execveat with a descriptor and a relative path: the kernel's name
//     for the program is "/dev/fd/FD/PATH", "/dev/fd/FD" for
//     AT_EMPTY_PATH's "".

// execArgv prints a successful execve's argv, which was at ptr.
func execArgv(p *printer, x *execInfo, ptr uint64) {
	switch {
	case ptr == 0 && x.oargc <= 0 && (x.oargc == 0 || x.argc == 1 && len(x.argv) == 1 && x.argv[0] == 0):
		// No argv: the kernel gave the program one empty string (5.18+).
		p.s("NULL")
	case x.oargc == 0:
		p.s("[]")
	case x.oargc > 0 && x.oargc <= x.argc:
		b := x.argv
		for range x.argc - x.oargc + 1 { // the interpreter's and argv[0]
			j := bytes.IndexByte(b, 0)
			if j < 0 {
				j = len(b)
			}
			b = b[min(j+1, len(b)):]
		}
		p.c('[')
		if p.abbrev() && p.strsize == 0 {
			p.s("...")
		} else {
			quoteLimited(p, x.argv0, x.argv0Trunc)
			execElems(p, b, 1, x.oargc, x.trunc)
		}
		p.c(']')
	default:
		execStrings(p, x.argv, x.argc, x.trunc)
	}
}

// execPath is the path a successful execve (i 0) or execveat (i 1) was
// given. (An absolute "/dev/fd/FD/..." given to execveat with descriptor FD
// reads as the relative path it names.)
func execPath(c *Call, i int) []byte {
	f := c.exec.filename
	if i != 1 || int32(c.Args[0]) == unix.AT_FDCWD {
		return f
	}
	var buf [24]byte
	pre := strconv.AppendInt(append(buf[:0], "/dev/fd/"...), int64(int32(c.Args[0])), 10)
	if !bytes.HasPrefix(f, pre) {
		return f
	}
	switch rest := f[len(pre):]; {
	case len(rest) == 0:
		return rest
	case rest[0] == '/':
		return rest[1:]
	}
	return f
}
