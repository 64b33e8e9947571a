package strace

import (
	"bytes"
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// strace's -P PATH (--trace-path): only the calls that touch one of the
// paths are printed, by a path argument or by a descriptor that refers to
// one, as src/pathtrace.c decides: the same arguments of the same calls
// (pathtrace_match_set's table; others by their first argument, a path
// for %file calls, a descriptor for %desc and %network ones). Signals and
// exits are printed as ever.
//
// strace reads a descriptor's path from /proc/PID/fd/N while the call
// stops the tracee; eproc decodes after the fact, when the process may
// have closed the descriptor, or ended. So -P knows what descriptors
// refer to as -y does (fds.go): from the calls that made them (open,
// openat relative to the working directory or a directory descriptor,
// followed through chdir and fchdir; dup, fcntl F_DUPFD; close; execve's
// close-on-exec), the process's children inheriting them at fork, and
// the spawned command what eproc passed it; a descriptor none of these
// made (inherited from before an attach, passed by SCM_RIGHTS) is looked
// up in /proc/PID/fd when its call is decoded: right while the process
// lives and the descriptor has not changed since.

// pathArgs are the arguments a call is matched by: descriptors (fds) and
// paths, by index; special a matcher of its own (poll, select, fsconfig).
type pathArgs struct {
	fds, paths []int
	special    func(f *pathFilter, c *Call) bool
	none       bool // a %desc or %file call with neither (pipe, socket...)
}

// pathTable is pathtrace.c's switch, by strace's names.
var pathTable = func() map[string]pathArgs {
	m := map[string]pathArgs{}
	set := func(a pathArgs, names ...string) {
		for _, n := range names {
			m[n] = a
		}
	}
	set(pathArgs{fds: []int{0, 1}}, "dup2", "dup3", "kexec_file_load", "sendfile", "sendfile64", "tee")
	set(pathArgs{fds: []int{0}, paths: []int{1}}, "execveat", "faccessat", "faccessat2", "fchmodat",
		"fchownat", "fspick", "fstatat64", "futimesat", "inotify_add_watch", "mkdirat", "mknodat",
		"mount_setattr", "name_to_handle_at", "newfstatat", "open_tree", "openat", "openat2",
		"readlinkat", "statx", "unlinkat", "utimensat", "utimensat_time64")
	set(pathArgs{fds: []int{0}, paths: []int{1}}, "fchmodat2", "file_getattr", "file_setattr", "getxattrat",
		"listxattrat", "open_tree_attr", "removexattrat", "setxattrat") // strace 7.2's
	set(pathArgs{paths: []int{0, 1}}, "link", "mount", "pivot_root")
	set(pathArgs{paths: []int{1}}, "quotactl", "symlink")
	set(pathArgs{fds: []int{0, 2}, paths: []int{1, 3}}, "linkat", "move_mount", "renameat2", "renameat")
	set(pathArgs{fds: []int{4}}, "mmap", "mmap2")
	set(pathArgs{fds: []int{1}, paths: []int{2}}, "symlinkat")
	set(pathArgs{fds: []int{0, 2}}, "copy_file_range", "splice")
	set(pathArgs{fds: []int{2}}, "epoll_ctl")
	set(pathArgs{fds: []int{3}, paths: []int{4}}, "fanotify_mark") // 64-bit: the mask is one argument
	set(pathArgs{special: (*pathFilter).selectMatch}, "select", "pselect6", "pselect6_time64")
	set(pathArgs{special: (*pathFilter).pollMatch}, "poll", "ppoll", "ppoll_time64")
	set(pathArgs{special: (*pathFilter).fsconfigMatch}, "fsconfig")
	set(pathArgs{none: true}, "accept4", "accept", "bpf", "epoll_create", "epoll_create1", "eventfd2",
		"eventfd", "fanotify_init", "fsmount", "fsopen", "inotify_init", "inotify_init1",
		"io_uring_enter", "io_uring_register", "io_uring_setup", "landlock_add_rule",
		"landlock_create_ruleset", "landlock_restrict_self", "memfd_create", "memfd_secret",
		"mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedsend",
		"perf_event_open", "pidfd_open", "pipe", "pipe2", "signalfd4", "signalfd", "socket",
		"socketpair", "timerfd_create", "timerfd_gettime", "timerfd_settime", "userfaultfd")
	return m
}()

// pathFilter is -P's state: the paths, and what the processes'
// descriptors refer to: -y's table (fds.go) when there is one, else a
// table of -P's own, kept the same way (from the calls that open, dup,
// close and chdir, /proc's answer only for a descriptor none of them
// made), so that a call decoded after its process has gone, or changed
// its descriptors, is matched by what they were.
type pathFilter struct {
	paths map[string]bool
	fds   *fdTable
	own   bool   // fds is -P's own: -P follows the calls into it
	proc  string // /proc, where its own table looks; tests point it elsewhere
	// badf: the call being matched failed with EBADF; what /proc says of
	// its descriptors now is not what they were (they were not).
	badf bool
}

// newPathFilter is -P's filter on paths, with a table of its own.
func newPathFilter(paths []string) *pathFilter { return pathFilterOn(paths, nil) }

// pathFilterOn is -P's filter on paths, matching descriptors by fds (-y's
// table), or by a table of its own when fds is nil.
func pathFilterOn(paths []string, fds *fdTable) *pathFilter {
	buildFdOps()
	f := &pathFilter{paths: map[string]bool{}, fds: fds, proc: "/proc"}
	if fds == nil {
		f.fds, f.own = newFdTable(0), true
	}
	for _, p := range paths {
		f.paths[p] = true
	}
	return f
}

// table is the descriptor table -P matches by.
func (f *pathFilter) table() *fdTable {
	if f.own {
		f.fds.proc = f.proc
	}
	return f.fds
}

// match reports whether c touches one of the paths.
func (f *pathFilter) match(c *Call, e *Sysent) bool {
	if e == nil {
		return false
	}
	s := e.signature()
	if s.class&(ClassFile|ClassDesc|ClassNetwork) == 0 {
		return false
	}
	a, ok := pathTable[e.Name]
	if !ok {
		if s.class&ClassFile != 0 {
			a.paths = []int{0}
		} else {
			a.fds = []int{0}
		}
	}
	switch {
	case a.none:
		return false
	}
	f.badf = c.Complete() && c.Ret == -int64(unix.EBADF)
	switch {
	case a.special != nil:
		return a.special(f, c)
	}
	for _, i := range a.fds {
		if f.fdMatch(c.Tgid, int32(c.Args[i])) {
			return true
		}
	}
	for _, i := range a.paths {
		if f.pathMatch(c, i) {
			return true
		}
	}
	return false
}

// pathMatch: argument i is a path, captured whole, one of the paths.
func (f *pathFilter) pathMatch(c *Call, i int) bool {
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || cp.Trunc() {
		return false
	}
	d := cp.Data
	if j := bytes.IndexByte(d, 0); j >= 0 {
		d = d[:j]
	}
	return f.paths[string(d)]
}

// fdMatch: fd of process tgid refers to one of the paths (a file deleted
// since: by the name it had, as strace's getfdpath gives it).
func (f *pathFilter) fdMatch(tgid uint32, fd int32) bool {
	if fd < 0 {
		return false
	}
	// A call that failed with EBADF did not have fd open: /proc's
	// descriptor of that number, if any, came later.
	e := f.table().lookup(tgid, fd, !f.badf)
	if e.link == "" {
		return false
	}
	return f.paths[e.link] || e.deleted && f.paths[e.link+" (deleted)"]
}

// selectMatch: a descriptor of select's sets.
func (f *pathFilter) selectMatch(c *Call) bool {
	nfds := selectNfds(c)
	for i := 1; i <= 3; i++ {
		b := fdsetAt(c, i, true)
		for fd := 0; fd < nfds && fd/8 < len(b); fd++ {
			if b[fd/8]&(1<<(fd%8)) != 0 && f.fdMatch(c.Tgid, int32(fd)) {
				return true
			}
		}
	}
	return false
}

// pollMatch: a descriptor of poll's array.
func (f *pathFilter) pollMatch(c *Call) bool {
	cp := c.Cap(0, 0)
	if c.Args[0] == 0 || cp == nil || cp.Fault() {
		return false
	}
	n := int(uint32(c.Args[1]))
	for i := 0; i < n && 8*i+8 <= len(cp.Data); i++ {
		if f.fdMatch(c.Tgid, int32(binary.LittleEndian.Uint32(cp.Data[8*i:]))) {
			return true
		}
	}
	return false
}

// fsconfigMatch: FSCONFIG_SET_PATH(_EMPTY)'s descriptor and path,
// FSCONFIG_SET_FD's descriptor. The command is an unsigned int (its
// upper bits are not the kernel's).
func (f *pathFilter) fsconfigMatch(c *Call) bool {
	switch uint32(c.Args[1]) {
	case 3, 4:
		return f.fdMatch(c.Tgid, int32(c.Args[4])) || f.pathMatch(c, 3)
	case 5:
		return f.fdMatch(c.Tgid, int32(c.Args[4]))
	}
	return false
}

// follow applies a call that returned to -P's own table (-y's is kept by
// -y's code); an injected result is none of the call's doing.
func (f *pathFilter) follow(c *Call, injected bool) {
	if !f.own || !c.Complete() || injected {
		return
	}
	if op := fdOps[c.Nr]; op != opNone {
		f.table().update(c, op)
	}
}

// set says that fd of process tgid refers to one of the paths (on), or to
// none: tests' seeding.
func (f *pathFilter) set(tgid uint32, fd int32, on bool) {
	e := fdEntry{link: "/"}
	for p := range f.paths {
		if on {
			e.link = p
			break
		}
	}
	f.fds.process(tgid).fds[fd] = e
}

// pathShown decides whether the call event c is printed under -P: a call
// whose entry was printed is printed to its end; else it is when it
// touches a path.
func (t *Text) pathShown(c *Call) bool {
	e := lookup(c.Nr)
	if c.Complete() {
		entered := t.open && t.openTid == c.Tid && t.openNr == c.Nr
		if nr, ok := t.unfinishedCall(c.Tid); ok && nr == c.Nr {
			entered = true
		}
		return entered || t.paths.match(c, e)
	}
	return t.paths.match(c, e)
}

// pathUnshown applies a call -P leaves out to the tables, as a call
// printed would be (its injected result counted, as filtered's are).
func (t *Text) pathUnshown(ev *Event) {
	c := ev.Call
	injected := false
	if c.Complete() && t.opt.Injected != nil {
		injected = t.opt.Injected(c.Tid, c.Nr)
	}
	if t.fds != nil && !injected {
		t.fdsApply(c)
	}
	if t.pids != nil {
		t.pidsEvent(ev)
		t.pidsAfter(ev)
	}
	if t.p.nl != nil {
		t.p.nl.event(ev)
	}
	t.paths.follow(c, injected)
}

// PathCalls are the syscalls -P follows to know what descriptors refer to
// (its own table's, -y's: FdCalls): with -e trace=, the kernel must
// deliver them too (Options.Shown leaves those not asked for unprinted).
func PathCalls() []uint32 {
	return FdCalls()
}

// pathEvent follows forks and group exits in -P's own table.
func (t *Text) pathEvent(ev *Event) {
	f := t.paths
	if !f.own {
		return
	}
	switch ev.Kind {
	case KindFork:
		if x := ev.Fork; !x.Thread && x.ChildTgid != x.Tgid {
			f.fds.fork(x.Tgid, x.ChildTgid)
		}
	case KindExit:
		if x := ev.Exit; x.GroupDead && !x.Superseded {
			delete(f.fds.procs, x.Tgid)
		}
	}
}
