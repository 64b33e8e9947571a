package strace

import (
	"os"
	"path"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// fdOp is what a call does to its process's descriptors (fds.go).
type fdOp uint8

const (
	opNone       fdOp = iota
	opOpen            // open(path, flags): the result is path
	opOpenat          // openat(dirfd, path, flags)
	opOpenat2         // openat2(dirfd, path, how)
	opCreat           // creat(path, mode)
	opDup             // dup(fd)
	opDup2            // dup2(fd, fd2), dup3(fd, fd2, flags)
	opFcntl           // F_DUPFD, F_DUPFD_CLOEXEC, F_SETFD
	opClose           // close(fd)
	opCloseRange      // close_range(first, last, flags)
	opPipe            // pipe, pipe2: two new descriptors in arg 0
	opSocketPair      // socketpair: two in arg 3
	opNew             // a call whose result is a new descriptor the kernel names
	opChdir           // chdir(path)
	opFchdir          // fchdir(fd)
	opExec            // execve, execveat
	opUnlink          // unlink(path), rmdir
	opUnlinkat        // unlinkat(dirfd, path)
	opRename          // rename(old, new)
	opRenameat        // renameat(dirfd, old, dirfd, new), renameat2
	opNet             // a call that may bind or connect a socket
	opBpf             // bpf: the commands that make a descriptor (sys_bpf.go)
	opFork            // clone, clone3, fork, vfork: a child with a copy (fds_fork.go)
	opWait            // wait4, waitid: a child reaped
)

// fdRet reports whether the call's result is a descriptor (printed so).
var (
	fdOps  map[uint32]fdOp
	fdRets map[uint32]bool
	// newKinds is the link text a kind of new descriptor has: a prefix
	// that the readlink must have, or the whole text (ending with "]")
	// when only the kind is known.
	newKinds map[uint32]string
)

func buildFdOps() {
	if fdOps != nil {
		return
	}
	buildTable()
	fdOps, fdRets, newKinds = map[uint32]fdOp{}, map[uint32]bool{}, map[uint32]string{}
	set := func(op fdOp, ret bool, names ...string) {
		for _, n := range names {
			if nr, ok := byName[n]; ok {
				fdOps[nr] = op
				if ret {
					fdRets[nr] = true
				}
			}
		}
	}
	set(opOpen, true, "open")
	set(opOpenat, true, "openat")
	set(opOpenat2, true, "openat2")
	set(opCreat, true, "creat")
	set(opDup, true, "dup")
	set(opDup2, true, "dup2", "dup3")
	set(opFcntl, false, "fcntl", "fcntl64")
	set(opClose, false, "close")
	set(opCloseRange, false, "close_range")
	set(opPipe, false, "pipe", "pipe2")
	set(opSocketPair, false, "socketpair")
	set(opChdir, false, "chdir")
	set(opFchdir, false, "fchdir")
	set(opExec, false, "execve", "execveat")
	set(opUnlink, false, "unlink", "rmdir")
	set(opUnlinkat, false, "unlinkat")
	set(opRename, false, "rename")
	set(opRenameat, false, "renameat", "renameat2")
	set(opBpf, false, "bpf")
	set(opFork, false, "clone", "clone3", "fork", "vfork")
	set(opWait, false, "wait4", "waitid")
	set(opNet, false, "bind", "connect", "listen", "sendto", "sendmsg", "sendmmsg", "shutdown")
	for name, kind := range map[string]string{
		"socket": "socket:[", "accept": "socket:[", "accept4": "socket:[",
		"eventfd": "anon_inode:[eventfd]", "eventfd2": "anon_inode:[eventfd]",
		"epoll_create": "anon_inode:[eventpoll]", "epoll_create1": "anon_inode:[eventpoll]",
		"signalfd": "anon_inode:[signalfd]", "signalfd4": "anon_inode:[signalfd]",
		"timerfd_create": "anon_inode:[timerfd]", "inotify_init": "anon_inode:inotify",
		"inotify_init1": "anon_inode:inotify", "fanotify_init": "anon_inode:[fanotify]",
		"userfaultfd": "anon_inode:[userfaultfd]", "perf_event_open": "anon_inode:[perf_event]",
		"pidfd_open": "anon_inode:[pidfd]", "io_uring_setup": "anon_inode:[io_uring]",
		"memfd_create": "/memfd:", "memfd_secret": "/secretmem", "pidfd_getfd": "",
		"open_by_handle_at": "", "open_tree": "", "fsopen": "anon_inode:[fscontext]",
		"fspick": "anon_inode:[fscontext]", "fsmount": "", "landlock_create_ruleset": "anon_inode:[landlock-ruleset]",
		"mq_open":        "",
		"open_tree_attr": "",
	} {
		set(opNew, true, name)
		if nr, ok := byName[name]; ok {
			newKinds[nr] = kind
		}
	}
}

// FdCalls are the syscalls -y follows to keep its descriptor tables: with
// -e trace=, the kernel must deliver them too (Options.Shown leaves those
// not asked for unprinted).
func FdCalls() []uint32 {
	buildFdOps()
	var nrs []uint32
	for nr := range fdOps {
		nrs = append(nrs, nr)
	}
	for nr := range fdRets {
		if fdOps[nr] == opNone {
			nrs = append(nrs, nr)
		}
	}
	return nrs
}

// update changes the table for a call that returned. Calls that fail
// change nothing, but for execve's and dup2's sake a failed call is
// never looked at beyond its result.
func (t *fdTable) update(c *Call, op fdOp) {
	if op == opNet {
		// A connect under way (EINPROGRESS) may have bound its socket.
		t.sockUsed(c.Tgid, int32(c.Args[0]))
		if c.Nr == byName["bind"] {
			t.sockBound(c)
		}
		return
	}
	if c.Ret < 0 && c.Ret >= -4095 {
		return
	}
	pr := t.process(c.Tgid)
	if h := fdUpdates[op]; h != nil {
		h(t, c, op, pr)
	}
}

// fdUpdates is the change each fdOp makes to pr, the process's table,
// for a call c that succeeded (opNet is update's own).
var fdUpdates = [...]func(t *fdTable, c *Call, op fdOp, pr *fdProc){
	opOpen:       (*fdTable).updateOpen,
	opOpenat:     (*fdTable).updateOpen,
	opOpenat2:    (*fdTable).updateOpen,
	opCreat:      (*fdTable).updateOpen,
	opDup:        (*fdTable).updateDup,
	opDup2:       (*fdTable).updateDup2,
	opFcntl:      (*fdTable).updateFcntl,
	opClose:      (*fdTable).updateClose,
	opCloseRange: (*fdTable).updateCloseRange,
	opPipe:       (*fdTable).updatePipe,
	opSocketPair: (*fdTable).updatePipe,
	opNew:        (*fdTable).updateNew,
	opChdir:      (*fdTable).updateChdir,
	opFchdir:     (*fdTable).updateFchdir,
	opExec:       (*fdTable).updateExec,
	opUnlink:     (*fdTable).updateUnlink,
	opUnlinkat:   (*fdTable).updateUnlink,
	opRename:     (*fdTable).updateRename,
	opRenameat:   (*fdTable).updateRename,
	opBpf:        (*fdTable).updateBpf,
	opFork:       (*fdTable).updateFork,
	opWait:       (*fdTable).updateWait,
}

// updateOpen enters the descriptor open, openat, openat2 or creat
// returned.
func (t *fdTable) updateOpen(c *Call, op fdOp, pr *fdProc) {
	tgid, ret := c.Tgid, int32(c.Ret)
	pi, dir, cloexec := 0, int32(unix.AT_FDCWD), false
	switch op {
	case opOpen:
		cloexec = c.Args[1]&unix.O_CLOEXEC != 0
	case opOpenat:
		pi, dir, cloexec = 1, int32(c.Args[0]), c.Args[2]&unix.O_CLOEXEC != 0
	case opOpenat2:
		pi, dir = 1, int32(c.Args[0])
		if b := capturedIn(c, 2, 8); b != nil {
			cloexec = le.Uint64(b)&unix.O_CLOEXEC != 0
		}
	}
	e := fdEntry{cloexec: cloexec}
	if name, ok := t.argPath(c, pi); ok {
		if abs := t.absolute(tgid, dir, name); abs != "" {
			e.link = t.resolve(tgid, c.Tid, abs)
		}
	}
	if e.link == "" {
		e, _ = t.readlink(tgid, ret)
		e.cloexec = cloexec
	}
	pr.fds[ret] = e
}

// updateDup enters dup's copy of its descriptor.
func (t *fdTable) updateDup(c *Call, _ fdOp, pr *fdProc) {
	e := t.lookup(c.Tgid, int32(c.Args[0]), true)
	e.cloexec = false
	pr.fds[int32(c.Ret)] = e
}

// updateDup2 enters dup2's or dup3's copy of its descriptor.
func (t *fdTable) updateDup2(c *Call, _ fdOp, pr *fdProc) {
	if int32(c.Args[0]) == int32(c.Args[1]) {
		return
	}
	e := t.lookup(c.Tgid, int32(c.Args[0]), true)
	e.cloexec = len(c.Args) > 2 && c.Args[2]&unix.O_CLOEXEC != 0 && c.Nr == byName["dup3"]
	pr.fds[int32(c.Ret)] = e
}

// updateFcntl follows F_DUPFD, F_DUPFD_CLOEXEC and F_SETFD.
func (t *fdTable) updateFcntl(c *Call, _ fdOp, pr *fdProc) {
	fd := int32(c.Args[0])
	switch uint32(c.Args[1]) {
	case fDUPFD, fDUPFDCLOEXEC:
		e := t.lookup(c.Tgid, fd, true)
		e.cloexec = uint32(c.Args[1]) == fDUPFDCLOEXEC
		pr.fds[int32(c.Ret)] = e
	case fSETFD:
		if e, ok := pr.fds[fd]; ok {
			e.cloexec = c.Args[2]&unix.FD_CLOEXEC != 0
			pr.fds[fd] = e
		}
	}
}

// updateClose marks close's descriptor closed.
func (t *fdTable) updateClose(c *Call, _ fdOp, pr *fdProc) {
	// Known closed: not looked up in /proc, where the number may
	// be in use again by now.
	pr.fds[int32(c.Args[0])] = fdEntry{}
}

// updateCloseRange closes close_range's descriptors, or marks them
// close-on-exec.
func (t *fdTable) updateCloseRange(c *Call, _ fdOp, pr *fdProc) {
	first, last := uint32(c.Args[0]), uint32(c.Args[1])
	for fd, e := range pr.fds {
		if uint32(fd) >= first && uint32(fd) <= last {
			if c.Args[2]&unix.CLOSE_RANGE_CLOEXEC != 0 {
				e.cloexec = true
				pr.fds[fd] = e
			} else {
				pr.fds[fd] = fdEntry{}
			}
		}
	}
}

// updatePipe enters the two descriptors pipe, pipe2 or socketpair made.
func (t *fdTable) updatePipe(c *Call, op fdOp, pr *fdProc) {
	i, kind := 0, "pipe:["
	cloexec := len(c.Args) > 1 && c.Args[1]&unix.O_CLOEXEC != 0 && c.Nr != byName["pipe"]
	if op == opSocketPair {
		i, kind, cloexec = 3, "socket:[", c.Args[1]&unix.SOCK_CLOEXEC != 0
	}
	b := capturedOut(c, i, 8)
	if b == nil {
		return
	}
	var ends [2]fdEntry
	for k, fd := range []int32{int32(le.Uint32(b)), int32(le.Uint32(b[4:]))} {
		e, ok := t.newFdEntry(c, k, fd)
		if !ok || !strings.HasPrefix(e.link, kind) {
			e = fdEntry{}
		}
		e.cloexec = cloexec
		pr.fds[fd] = e
		ends[k] = e
	}
	if op == opSocketPair {
		t.sockPair(ends[0], ends[1])
	}
}

// updateNew enters a new descriptor the kernel names (newKinds).
func (t *fdTable) updateNew(c *Call, _ fdOp, pr *fdProc) {
	ret := int32(c.Ret)
	kind := newKinds[c.Nr]
	if e, ok := t.openTreePath(c); ok {
		pr.fds[ret] = e
		return
	}
	if e, ok := t.pidfdGetfd(c); ok {
		pr.fds[ret] = e
		return
	}
	e, ok := t.newFdEntry(c, 0, ret)
	if !ok || !strings.HasPrefix(e.link, kind) {
		e = fdEntry{}
		if strings.HasSuffix(kind, "]") || kind == "anon_inode:inotify" {
			e.link = kind
		} else if name, ok := t.argPath(c, 0); ok && kind == "/memfd:" {
			e.link, e.deleted = kind+name, true
		}
	}
	e.cloexec = newCloexec(c)
	if strings.HasPrefix(e.link, "socket:[") {
		if lookup(c.Nr).Name == "socket" {
			t.sockCreated(socketInode(e.link))
			t.sockNetlink(c, socketInode(e.link))
		}
	}
	if e.link == "anon_inode:[pidfd]" && c.Nr == byName["pidfd_open"] {
		e.pid = int32(c.Args[0])
	}
	pr.fds[ret] = e
}

// openTreePath is what open_tree's descriptor refers to when it is not a
// clone (OPEN_TREE_CLONE: a detached mount, /proc's to name): its path,
// resolved as open's (the last link not followed with
// AT_SYMLINK_NOFOLLOW), or with AT_EMPTY_PATH and "" its dirfd's. The
// process may be gone when the call is decoded.
func (t *fdTable) openTreePath(c *Call) (fdEntry, bool) {
	const openTreeClone, atSymlinkNofollow, atEmptyPath = 1, 0x100, 0x1000
	if lookup(c.Nr).Name != "open_tree" || c.Args[2]&openTreeClone != 0 {
		return fdEntry{}, false
	}
	name, ok := t.argPath(c, 1)
	if !ok {
		return fdEntry{}, false
	}
	e := fdEntry{cloexec: newCloexec(c)}
	dir := int32(c.Args[0])
	if name == "" && c.Args[2]&atEmptyPath != 0 && dir != unix.AT_FDCWD {
		d := t.lookup(c.Tgid, dir, true)
		e.link, e.deleted = d.link, d.deleted
		return e, e.link != ""
	}
	abs := t.absolute(c.Tgid, dir, name)
	if abs == "" {
		return fdEntry{}, false
	}
	e.link = t.walk(c.Tgid, c.Tid, abs, c.Args[2]&atSymlinkNofollow == 0)
	return e, e.link != ""
}

// updateChdir follows chdir's working directory.
func (t *fdTable) updateChdir(c *Call, _ fdOp, pr *fdProc) {
	if name, ok := t.argPath(c, 0); ok {
		if abs := t.absolute(c.Tgid, unix.AT_FDCWD, name); abs != "" {
			pr.cwd = t.resolve(c.Tgid, c.Tid, abs)
		}
	}
}

// updateFchdir follows fchdir's working directory.
func (t *fdTable) updateFchdir(c *Call, _ fdOp, pr *fdProc) {
	if e := t.lookup(c.Tgid, int32(c.Args[0]), true); strings.HasPrefix(e.link, "/") {
		pr.cwd = e.link
	}
}

// updateExec closes the close-on-exec descriptors.
func (t *fdTable) updateExec(_ *Call, _ fdOp, pr *fdProc) {
	for fd, e := range pr.fds {
		if e.cloexec {
			pr.fds[fd] = fdEntry{}
		}
	}
}

// updateUnlink marks the entries that refer to the file unlink, rmdir or
// unlinkat removed as deleted.
func (t *fdTable) updateUnlink(c *Call, op fdOp, _ *fdProc) {
	pi, dir := 0, int32(unix.AT_FDCWD)
	if op == opUnlinkat {
		pi, dir = 1, int32(c.Args[0])
	}
	if abs := t.argAbs(c, pi, dir); abs != "" {
		t.moved(t.resolveDir(c.Tgid, c.Tid, abs), "")
	}
}

// updateRename follows the file rename, renameat or renameat2 moved (and
// the one it replaced).
func (t *fdTable) updateRename(c *Call, op fdOp, _ *fdProc) {
	oi, od, ni, nd := 0, int32(unix.AT_FDCWD), 1, int32(unix.AT_FDCWD)
	if op == opRenameat {
		oi, od, ni, nd = 1, int32(c.Args[0]), 3, int32(c.Args[2])
	}
	from, to := t.argAbs(c, oi, od), t.argAbs(c, ni, nd)
	if from != "" && to != "" {
		to = t.resolveDir(c.Tgid, c.Tid, to)
		t.moved(to, "")
		t.moved(t.resolveDir(c.Tgid, c.Tid, from), to)
	}
}

// newCloexec is whether a new descriptor is close-on-exec, from its call's
// flags.
func newCloexec(c *Call) bool {
	e := lookup(c.Nr)
	if e == nil {
		return false
	}
	switch e.Name {
	case "socket":
		return c.Args[1]&unix.SOCK_CLOEXEC != 0
	case "accept4":
		return c.Args[3]&unix.SOCK_CLOEXEC != 0
	case "eventfd2", "signalfd4", "inotify_init1", "epoll_create1", "timerfd_create":
		i := map[string]int{"signalfd4": 3, "timerfd_create": 1}[e.Name]
		return c.Args[i]&unix.O_CLOEXEC != 0
	case "memfd_create":
		return c.Args[1]&unix.MFD_CLOEXEC != 0
	case "pidfd_open", "pidfd_getfd", "io_uring_setup", "userfaultfd", "landlock_create_ruleset", "fsopen", "fsmount", "open_tree", "perf_event_open",
		"open_tree_attr":
		return true // these are always, or mostly, close-on-exec
	}
	return false
}

// argPath is the path argument i of c, as captured.
func (t *fdTable) argPath(c *Call, i int) (string, bool) {
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || cp.Trunc() {
		return "", false
	}
	return string(cp.Data), true
}

// absolute is name made absolute: against dir (a descriptor, or
// AT_FDCWD: the working directory) when relative. "" when that is not
// known.
func (t *fdTable) absolute(tgid uint32, dir int32, name string) string {
	if name == "" {
		return ""
	}
	if strings.HasPrefix(name, "/") {
		return name
	}
	base := ""
	if dir == unix.AT_FDCWD {
		base = t.cwd(tgid)
	} else if e := t.lookup(tgid, dir, true); strings.HasPrefix(e.link, "/") {
		base = e.link
	}
	if base == "" {
		return ""
	}
	return base + "/" + name
}

// resolve is the path the kernel opens for abs, as /proc/PID/fd links
// show it: symbolic links followed, "." and ".." taken, /proc/self and
// /proc/thread-self as the process's and thread's. Components that do not
// exist (any more) are kept as they are.
func (t *fdTable) resolve(tgid, tid uint32, abs string) string {
	return t.walk(tgid, tid, abs, true)
}

// resolveDir resolves abs's directory, not abs itself (unlink removes a
// link, not what it points to).
func (t *fdTable) resolveDir(tgid, tid uint32, abs string) string {
	dir, base := path.Split(path.Clean(abs))
	return path.Join(t.walk(tgid, tid, dir, true), base)
}

func (t *fdTable) walk(tgid, tid uint32, abs string, follow bool) string {
	rest := strings.Split(abs, "/")
	cur := "/"
	links := 0
	for len(rest) > 0 {
		comp := rest[0]
		rest = rest[1:]
		switch comp {
		case "", ".":
			continue
		case "..":
			cur = path.Dir(cur)
			continue
		}
		next := path.Join(cur, comp)
		switch next {
		case "/proc/self":
			next = "/proc/" + strconv.FormatUint(uint64(tgid), 10)
		case "/proc/thread-self":
			next = "/proc/" + strconv.FormatUint(uint64(tgid), 10) + "/task/" + strconv.FormatUint(uint64(tid), 10)
		}
		if !follow && len(rest) == 0 {
			cur = next
			break
		}
		target, err := os.Readlink(next)
		if err != nil || links > 40 {
			cur = next
			continue
		}
		links++
		if strings.HasPrefix(next, "/proc/") && !strings.HasPrefix(target, "/") {
			// /proc's magic links (fd/N, exe, cwd): what they name is
			// their text, not a path to walk (pipe:[N], anon_inode:...).
			if strings.Count(next, "/") >= 3 && !strings.Contains(target, "/") && strings.Contains(target, ":") {
				return target
			}
		}
		if strings.HasPrefix(target, "/") {
			cur = "/"
		}
		rest = append(strings.Split(target, "/"), rest...)
	}
	return cur
}

// moved follows a file that was renamed to to, or unlinked (to ""): the
// entries of every process that refer to abs refer to to, or to a file
// deleted.
func (t *fdTable) moved(abs, to string) {
	for _, pr := range t.procs {
		for fd, e := range pr.fds {
			if e.link == abs && !e.deleted {
				if to == "" {
					e.deleted = true
				} else {
					e.link = to
				}
				pr.fds[fd] = e
			}
		}
	}
}

// argAbs is c's path argument i made absolute against dir.
func (t *fdTable) argAbs(c *Call, i int, dir int32) string {
	name, ok := t.argPath(c, i)
	if !ok {
		return ""
	}
	return t.absolute(c.Tgid, dir, name)
}
