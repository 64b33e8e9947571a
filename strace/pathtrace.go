package strace

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"

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
// stops the tracee; eproc decodes after the fact. So a descriptor is
// known to refer to a path when the process opened it with that path
// (resolved from its working directory, links followed, as /proc would
// name it; open, openat, openat2, creat), or not, or
// duplicated one that does (dup, dup2, dup3, fcntl F_DUPFD...), until it
// is closed, and the process's children inherit what it knows at fork.
// Other descriptors (inherited from before the trace, opened through a
// relative path or a link) are looked up in /proc/PID/fd when their call
// is decoded: right while the process lives and the descriptor has not
// changed since.

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

// pathFilter is -P's state: the paths, and the descriptors known to refer
// to one, by process.
type pathFilter struct {
	paths map[string]bool
	known map[uint32]map[int32]bool // tgid -> fds
	proc  string                    // /proc
	// badf: the call being matched failed with EBADF; what /proc says of
	// its descriptors now is not what they were (they were not).
	badf bool
}

func newPathFilter(paths []string) *pathFilter {
	f := &pathFilter{paths: map[string]bool{}, known: map[uint32]map[int32]bool{}, proc: "/proc"}
	for _, p := range paths {
		f.paths[p] = true
	}
	return f
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

// fdMatch: fd of process tgid refers to one of the paths.
func (f *pathFilter) fdMatch(tgid uint32, fd int32) bool {
	if fd < 0 {
		return false
	}
	if on, ok := f.known[tgid][fd]; ok {
		return on
	}
	if f.badf {
		return false // the descriptor did not exist: no /proc link to read
	}
	link, err := os.Readlink(f.proc + "/" + strconv.FormatUint(uint64(tgid), 10) + "/fd/" + strconv.Itoa(int(fd)))
	if err != nil {
		return false
	}
	if f.paths[link] {
		return true
	}
	// " (deleted)": the path is gone, or is named so.
	if s, ok := cutDeleted(link); ok {
		return f.paths[s]
	}
	return false
}

func cutDeleted(link string) (string, bool) {
	const sfx = " (deleted)"
	if len(link) > len(sfx) && link[len(link)-len(sfx):] == sfx {
		return link[:len(link)-len(sfx)], true
	}
	return "", false
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

// follow keeps the descriptors known to refer to a path, or not, up to
// date after a call that returned.
func (f *pathFilter) follow(c *Call, e *Sysent) {
	if e == nil || c.Ret < 0 {
		return
	}
	fd := int32(c.Ret)
	switch e.Name {
	case "open", "creat":
		f.opened(c, 0, fd)
	case "openat", "openat2":
		f.opened(c, 1, fd)
	case "dup", "dup2", "dup3":
		f.dup(c.Tgid, int32(c.Args[0]), fd)
	case "fcntl", "fcntl64":
		if c.Args[1] == 0 || c.Args[1] == 1030 { // F_DUPFD, F_DUPFD_CLOEXEC
			f.dup(c.Tgid, int32(c.Args[0]), fd)
		}
	case "close":
		delete(f.known[c.Tgid], int32(c.Args[0]))
	}
}

// dup: newfd refers to what oldfd does, if that is known.
func (f *pathFilter) dup(tgid uint32, oldfd, newfd int32) {
	if on, ok := f.known[tgid][oldfd]; ok {
		f.set(tgid, newfd, on)
	} else {
		delete(f.known[tgid], newfd)
	}
}

// opened: a descriptor opened by the path in argument i refers to one of
// the paths when that path, resolved as /proc would name the descriptor
// (from the process's working directory, links followed), is one. A path
// relative to another descriptor leaves it unknown.
func (f *pathFilter) opened(c *Call, i int, fd int32) {
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || cp.Trunc() || len(cp.Data) == 0 {
		delete(f.known[c.Tgid], fd)
		return
	}
	path := string(cp.Data)
	if j := strings.IndexByte(path, 0); j >= 0 {
		path = path[:j]
	}
	if path[0] != '/' {
		if i == 1 && int32(c.Args[0]) != unix.AT_FDCWD {
			delete(f.known[c.Tgid], fd)
			return
		}
		cwd, err := os.Readlink(f.proc + "/" + strconv.FormatUint(uint64(c.Tgid), 10) + "/cwd")
		if err != nil {
			delete(f.known[c.Tgid], fd)
			return
		}
		path = filepath.Join(cwd, path)
	}
	if r, err := filepath.EvalSymlinks(path); err == nil {
		path = r
	}
	f.set(c.Tgid, fd, f.paths[path])
}

// seedAs: process pid's descriptors fds (its number -> process from's),
// inherited from process from, refer to what from's do now.
func (f *pathFilter) seedAs(pid, from int, fds map[int]int) {
	for child, own := range fds {
		link, err := os.Readlink(f.proc + "/" + strconv.Itoa(from) + "/fd/" + strconv.Itoa(own))
		if err != nil {
			continue
		}
		s, _ := cutDeleted(link)
		f.set(uint32(pid), int32(child), f.paths[link] || f.paths[s])
	}
}

func (f *pathFilter) set(tgid uint32, fd int32, on bool) {
	m := f.known[tgid]
	if m == nil {
		m = map[int32]bool{}
		f.known[tgid] = m
	}
	m[fd] = on
}

// fork: a child process inherits its parent's descriptors.
func (f *pathFilter) fork(parent, child uint32, thread bool) {
	if thread || len(f.known[parent]) == 0 {
		return
	}
	m := make(map[int32]bool, len(f.known[parent]))
	for fd, on := range f.known[parent] {
		m[fd] = on
	}
	f.known[child] = m
}

// pathShown decides whether the call event c is printed under -P: a call
// whose entry was printed is printed to its end; else it is when it
// touches a path. Descriptors are followed on the calls printed.
func (t *Text) pathShown(c *Call) bool {
	e := lookup(c.Nr)
	if c.Complete() {
		entered := t.open && t.openTid == c.Tid && t.openNr == c.Nr
		if nr, ok := t.unfinishedCall(c.Tid); ok && nr == c.Nr {
			entered = true
		}
		shown := entered || t.paths.match(c, e)
		t.paths.follow(c, e) // shown or not: the descriptors it changed
		return shown
	}
	return t.paths.match(c, e)
}

// PathCalls are the syscalls -P follows to know what descriptors refer to
// (pathFilter.follow): with -e trace=, the kernel must deliver them too
// (Options.Shown leaves those not asked for unprinted).
func PathCalls() []uint32 {
	var nrs []uint32
	for _, name := range []string{"open", "creat", "openat", "openat2", "dup", "dup2", "dup3", "fcntl", "fcntl64", "close"} {
		if nr, ok := Number(name); ok {
			nrs = append(nrs, nr)
		}
	}
	return nrs
}

// pathEvent follows forks and group exits for -P.
func (t *Text) pathEvent(ev *Event) {
	switch ev.Kind {
	case KindFork:
		t.paths.fork(ev.Fork.Tgid, ev.Fork.ChildTgid, ev.Fork.Thread)
	case KindExit:
		if ev.Exit.GroupDead {
			delete(t.paths.known, ev.Exit.Tgid)
		}
	}
}
