package strace

// strace's -y and -yy (--decode-fds=SET): a descriptor is printed with what
// it refers to, 3</etc/hostname>, as strace prints what /proc/PID/fd/N
// links to when it prints the line.
//
// eproc prints lines after the fact, from records, so it cannot ask /proc
// for every line (the process may have closed the descriptor, reused its
// number, or be gone). It keeps a table of descriptors per process
// (thread group) instead, built from the calls it decodes:
//
//   - open, openat, openat2, creat: the path the call named, made absolute
//     (against the process's working directory or the directory
//     descriptor) and resolved as the kernel resolves it (symbolic links,
//     "..", /proc/self as the process's own /proc directory), when the
//     record is decoded. That is the path strace prints (the /proc link's
//     text) unless the tree changed between the call and its decoding (a
//     link or directory renamed in between). A readlink of /proc/PID/fd/N
//     at that time would be right in that case but wrong when the process
//     has since closed N and opened something else under the same number,
//     which a decoder that is a few milliseconds behind sees all the time
//     (every open of a loop gets the same number): the path is the safer
//     of the two.
//   - dup, dup2, dup3, fcntl F_DUPFD and F_DUPFD_CLOEXEC copy an entry;
//     close and close_range drop them; execve drops the close-on-exec ones
//     (O_CLOEXEC, SOCK_CLOEXEC, F_DUPFD_CLOEXEC, dup3's O_CLOEXEC,
//     F_SETFD); chdir and fchdir move the working directory (AT_FDCWD is
//     printed with it, as strace does); unlink, unlinkat and rename mark
//     the entries of the file "(deleted)".
//   - Descriptors whose name only the kernel knows (pipes and sockets have
//     an inode number, anonymous inodes a kind, memfd_create a name):
//     a readlink of /proc/PID/fd/N when the call's record is decoded,
//     checked against the kind the call makes (pipe:[...] for pipe2); when
//     the process is gone or the link is not of that kind, the name strace
//     would print when it knows only the kind (anon_inode:[eventfd]), or
//     nothing: the bare number.
//   - A process's table starts as its parent's at fork (the child inherits
//     the descriptors), from /proc/PID/fd when it is attached (SeedFds),
//     from what the spawned command inherits (SeedFdsAs); a descriptor the
//     table does not know is looked up once in /proc/PID/fd/N (it came by
//     a call eproc does not follow, SCM_RIGHTS, or before the process was
//     seen), and the answer kept: no /proc look-up per line. A process
//     that is gone has no /proc: its unknown descriptors are printed as
//     bare numbers, as strace prints a descriptor it cannot resolve.
//
// With -yy (--decode-fds=all), sockets are printed with their addresses,
// as strace's sock_diag queries give them (TCP:[127.0.0.1:8080->...],
// UNIX-STREAM:[ino->peer]), looked up when a socket is first printed and
// kept by inode (as strace keeps them), devices with their numbers
// (/dev/null<char 1:3>, a stat per path), pidfds with their process
// (pid:N).

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// strace's --decode-fds set.
const (
	DecodeFdPath   = 1 << iota // -y: the path
	DecodeFdSocket             // sockets' protocol and addresses
	DecodeFdDev                // block and character devices' numbers
	DecodeFdPidfd              // pidfds' process
	DecodeFdAll    = DecodeFdPath | DecodeFdSocket | DecodeFdDev | DecodeFdPidfd
)

// ParseDecodeFds parses strace's --decode-fds=SET: path, socket, dev,
// pidfd, all, none, comma-separated, "!" before the set to negate it.
func ParseDecodeFds(s string) (uint8, error) {
	return parseNameSet(s, decodeFdNames, DecodeFdAll, "decode-fds")
}

var decodeFdNames = map[string]uint8{"path": DecodeFdPath, "socket": DecodeFdSocket, "dev": DecodeFdDev, "pidfd": DecodeFdPidfd}

// fdEntry is what a descriptor refers to.
type fdEntry struct {
	link    string // /proc/PID/fd/N's text, " (deleted)" left off; "": unknown
	deleted bool
	cloexec bool
	pid     int32 // a pidfd's process: 0 not yet looked up, -1 unknown
	proto   string
}

// fdProc is one process's descriptors and working directory.
type fdProc struct {
	fds   map[int32]fdEntry
	cwd   string // "": unknown
	whole bool   // every descriptor is in fds (lookup)
	// untraced: a child not traced, its table a copy of its parent's at
	// fork (fds_fork.go).
	untraced bool
}

// fdTable is the descriptors of every process of the stream, by thread
// group id.
type fdTable struct {
	set   uint8
	proc  string // "/proc"; tests point it elsewhere
	procs map[uint32]*fdProc
	devs  map[string]string // path -> "char 1:3", "" for not a device
	socks map[uint64]string // inode -> -yy's details, found
	// Sockets whose details were not found, by inode: the network calls
	// count when they were looked up; one more call may have bound or
	// connected them.
	sockMiss  map[uint64]uint64
	netCalls  uint64
	sockFresh map[uint64]bool  // sockets made and not yet used (sockCreated)
	sockNl    map[uint64]uint8 // netlink sockets' protocols (sockNetlink)
	untraced  int              // procs of untraced children
}

func newFdTable(set uint8) *fdTable {
	return &fdTable{set: set, proc: "/proc", procs: map[uint32]*fdProc{}, devs: map[string]string{},
		socks: map[uint64]string{}, sockMiss: map[uint64]uint64{}, sockFresh: map[uint64]bool{},
		sockNl: map[uint64]uint8{}}
}

// process is tgid's table, made empty on first sight.
func (t *fdTable) process(tgid uint32) *fdProc {
	pr := t.procs[tgid]
	if pr == nil {
		pr = &fdProc{fds: map[int32]fdEntry{}}
		t.procs[tgid] = pr
	}
	return pr
}

func (t *fdTable) fdPath(tgid uint32, fd int32) string {
	return t.proc + "/" + strconv.FormatUint(uint64(tgid), 10) + "/fd/" + strconv.FormatInt(int64(fd), 10)
}

// readlink is /proc/tgid/fd/fd's entry now, ok false when there is none.
func (t *fdTable) readlink(tgid uint32, fd int32) (fdEntry, bool) {
	l, err := os.Readlink(t.fdPath(tgid, fd))
	if err != nil {
		return fdEntry{}, false
	}
	e := fdEntry{link: l}
	if s, ok := strings.CutSuffix(l, " (deleted)"); ok && strings.HasPrefix(l, "/") {
		e.link, e.deleted = s, true
	}
	return e, true
}

// lookup is what fd of tgid refers to: the table's entry, or /proc's
// answer kept in the table (an empty one when there is none). A process
// whose table is whole (seeded or forked from one that is) has no other
// descriptors than the table's but those that came by calls it does not
// follow (SCM_RIGHTS, ioctls): /proc is asked only when the call that
// names fd succeeded (open says it was open; a failed call may have
// failed for want of it, and /proc may know the number from a later
// open).
func (t *fdTable) lookup(tgid uint32, fd int32, open bool) fdEntry {
	if fd < 0 {
		return fdEntry{}
	}
	pr := t.process(tgid)
	e, ok := pr.fds[fd]
	if !ok && (open || !pr.whole) {
		e, ok = t.readlink(tgid, fd)
		if ok || !pr.whole {
			pr.fds[fd] = e
		}
	}
	return e
}

// cwd is tgid's working directory: the table's, or /proc's kept.
func (t *fdTable) cwd(tgid uint32) string {
	pr := t.process(tgid)
	if pr.cwd == "" {
		if l, err := os.Readlink(t.proc + "/" + strconv.FormatUint(uint64(tgid), 10) + "/cwd"); err == nil {
			pr.cwd = l
		}
	}
	return pr.cwd
}

// Seed gives tgid the descriptors now in /proc/PID/fd and its working
// directory (an attached process).
func (t *fdTable) seedProc(tgid uint32) {
	pr := t.process(tgid)
	dir := t.proc + "/" + strconv.FormatUint(uint64(tgid), 10)
	ents, err := os.ReadDir(dir + "/fd")
	if err != nil {
		return
	}
	for _, de := range ents {
		n, err := strconv.Atoi(de.Name())
		if err != nil {
			continue
		}
		if e, ok := t.readlink(tgid, int32(n)); ok {
			pr.fds[int32(n)] = e
		}
	}
	if l, err := os.Readlink(dir + "/cwd"); err == nil {
		pr.cwd = l
	}
	pr.whole = true
}

// fork gives a new process its parent's table.
func (t *fdTable) fork(parent, child uint32) {
	pp := t.procs[parent]
	if pp == nil {
		return // looked up in /proc as needed
	}
	if old := t.procs[child]; old != nil && old.untraced {
		t.untraced-- // its fork record came after the parent's clone
	}
	cp := &fdProc{fds: make(map[int32]fdEntry, len(pp.fds)), cwd: pp.cwd, whole: pp.whole}
	for fd, e := range pp.fds {
		cp.fds[fd] = e
	}
	t.procs[child] = cp
}

// SeedFds gives process pid the descriptors /proc/PID/fd has now, and its
// working directory: for a process attached, before its calls are decoded.
// It does nothing without -y or -P.
func (t *Text) SeedFds(pid int) {
	for _, ft := range t.fdTables() {
		ft.seedProc(uint32(pid))
	}
}

// SeedFdsAs gives process pid (a command just started) the descriptors
// fds of process from (eproc, which passed them), by number in pid, and
// from's working directory.
func (t *Text) SeedFdsAs(pid, from int, fds map[int]int) {
	for _, ft := range t.fdTables() {
		ft.seedAs(uint32(pid), from, fds)
	}
}

// fdTables are the descriptor tables kept: -y's, -P's own.
func (t *Text) fdTables() []*fdTable {
	var ts []*fdTable
	if t.fds != nil {
		ts = append(ts, t.fds)
	}
	if t.paths != nil && t.paths.own {
		ts = append(ts, t.paths.table())
	}
	return ts
}

func (t *fdTable) seedAs(pid uint32, from int, fds map[int]int) {
	pr := t.process(pid)
	for child, own := range fds {
		if e, ok := t.readlink(uint32(from), int32(own)); ok {
			pr.fds[int32(child)] = e
		}
	}
	if l, err := os.Readlink(t.proc + "/" + strconv.Itoa(from) + "/cwd"); err == nil {
		pr.cwd = l
	}
	pr.whole = true
}

// fd prints descriptor fd of call c's process: the number, then with -y
// what it refers to, as strace's printfd does.
func (p *printer) fd(c *Call, fd int32) {
	if p.fds == nil {
		p.d(int64(fd))
		return
	}
	p.fdOpen(c, fd, !c.Complete() || c.Ret >= 0 || c.Ret < -4095)
}

// fdOpen is fd, told whether fd was open when the call was made (a call
// that succeeded had it open, but for dup2's target).
func (p *printer) fdOpen(c *Call, fd int32, open bool) {
	p.d(int64(fd))
	if p.fds == nil || fd < 0 {
		return
	}
	p.fdEntry(c.Tgid, fd, p.fds.lookup(c.Tgid, fd, open))
}

// fdEntry prints what descriptor fd of process tgid refers to, e, after
// its number, as -y's set says.
func (p *printer) fdEntry(tgid uint32, fd int32, e fdEntry) {
	t := p.fds
	if e.link == "" {
		return
	}
	if t.set&DecodeFdSocket != 0 {
		if ino := socketInode(e.link); ino != 0 {
			p.c('<')
			p.s(t.socketDetails(tgid, fd, ino, e))
			p.c('>')
			return
		}
	}
	if t.set&DecodeFdDev != 0 && strings.HasPrefix(e.link, "/") {
		if dev := t.device(e.link); dev != "" {
			p.c('<')
			p.quoteAngle(e.link)
			p.c('<')
			p.s(dev)
			p.s(">>")
			return
		}
	}
	if t.set&DecodeFdPidfd != 0 && e.link == "anon_inode:[pidfd]" {
		if pid := t.pidfdPid(tgid, fd, e); pid > 0 {
			p.s("<pid:")
			p.d(int64(pid))
			p.c('>')
		} else {
			p.c('<')
			p.s(e.link)
			p.c('>')
		}
		return
	}
	if t.set&DecodeFdPath != 0 {
		p.c('<')
		p.quoteAngle(e.link)
		p.c('>')
		if e.deleted {
			p.s("(deleted)")
		}
	}
}

// quoteAngle prints a path as strace prints it between < and >: quoted
// as strings are, without the quotes, < and > escaped too.
func (p *printer) quoteAngle(s string) {
	if p.hex == 1 || p.hex == 2 {
		if data := []byte(s); p.hex == 2 || !textual(data) {
			mark := len(p.b)
			p.quoteHex(data, false)
			// Without its quotes.
			p.b = append(p.b[:mark], p.b[mark+1:len(p.b)-1]...)
			return
		}
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case plain(ch) && ch != '<' && ch != '>':
			p.c(ch)
		case ch == '"' || ch == '\\':
			p.c('\\')
			p.c(ch)
		default:
			next := byte(0)
			if i+1 < len(s) {
				next = s[i+1]
			}
			p.escape(ch, next)
		}
	}
}

// device is " char 1:3" for a device's path ("" for anything else),
// looked up once per path.
func (t *fdTable) device(path string) string {
	if d, ok := t.devs[path]; ok {
		return d
	}
	var st unix.Stat_t
	d := ""
	if unix.Stat(path, &st) == nil {
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFCHR:
			d = "char "
		case unix.S_IFBLK:
			d = "block "
		}
		if d != "" {
			d += strconv.FormatUint(uint64(unix.Major(st.Rdev)), 10) + ":" + strconv.FormatUint(uint64(unix.Minor(st.Rdev)), 10)
		}
	}
	if len(t.devs) >= 4096 {
		clear(t.devs) // a cache, not a record of every path printed
	}
	t.devs[path] = d
	return d
}

// pidfdPid is the process a pidfd refers to: fdinfo's Pid, looked up once.
func (t *fdTable) pidfdPid(tgid uint32, fd int32, e fdEntry) int32 {
	if e.pid != 0 {
		return e.pid
	}
	e.pid = -1
	b, err := os.ReadFile(t.proc + "/" + strconv.FormatUint(uint64(tgid), 10) + "/fdinfo/" + strconv.FormatInt(int64(fd), 10))
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "Pid:"); ok {
				if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
					e.pid = int32(n)
				}
			}
		}
	}
	t.process(tgid).fds[fd] = e
	return e.pid
}

// socketInode is the inode of a socket's link text, socket:[N]; 0 for
// anything else.
func socketInode(link string) uint64 {
	s, ok := strings.CutPrefix(link, "socket:[")
	if !ok || !strings.HasSuffix(s, "]") {
		return 0
	}
	n, err := strconv.ParseUint(s[:len(s)-1], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// fdsEvent changes the table for what an event does before it is printed:
// a fork's child gets its parent's table; pipe's and socketpair's new
// descriptors are printed among the arguments, so are learnt first.
func (t *Text) fdsEvent(ev *Event) {
	t.fdsDone = false
	switch ev.Kind {
	case KindFork:
		if f := ev.Fork; !f.Thread && f.ChildTgid != f.Tgid {
			t.fds.fork(f.Tgid, f.ChildTgid)
		}
	case KindCall:
		if c := ev.Call; c.Complete() {
			if op := fdOps[c.Nr]; op == opPipe || op == opSocketPair {
				t.fdsApply(c)
			} else if c.Nr == byName["getsockname"] {
				t.fds.sockBound(c)
			}
		}
	}
}

// fdsApply applies a call that returned to the table, once: after its
// arguments are printed and before its result is.
func (t *Text) fdsApply(c *Call) {
	if t.fdsDone || !c.Complete() {
		return
	}
	t.fdsDone = true
	if op := fdOps[c.Nr]; op != opNone {
		t.fds.update(c, op)
	}
}

// fdsAfter applies a call that was not printed (-e status=, -c), and
// forgets a process that ended.
func (t *Text) fdsAfter(ev *Event) {
	switch ev.Kind {
	case KindCall:
		t.fdsApply(ev.Call)
	case KindExit:
		if e := ev.Exit; e.GroupDead && !e.Superseded {
			delete(t.fds.procs, e.Tgid)
		}
	}
}
