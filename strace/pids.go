package strace

// strace's -Y and --decode-pids=comm,pidns: pid arguments and results
// printed with the process's name (PID<comm>) and, when the caller is in
// another pid namespace, with the pid eproc's namespace knows it by
// (PID /* N in strace's PID NS */). strace's pidns.c and util.c's
// printpid*.
//
// The records carry the caller's pid in the initial namespace; pid
// arguments and results are in the caller's. The translation reads
// /proc/PID/status's NSpid, NStgid, NSpgid and NSsid lines: once per
// traced thread (its namespace and depth), and, for another process's
// pid, a scan of /proc whose answer is kept (pidTable.xlat).

import (
	"github.com/eproc/eproc/loader/wire"
	"os"
	"strconv"
	"strings"
)

// DecodePids bits: what --decode-pids=SET prints with a pid.
const (
	DecodePidComm uint8 = 1 << iota // comm: PID<comm>
	DecodePidNs                     // pidns: PID /* N in strace's PID NS */
	DecodePidAll  = DecodePidComm | DecodePidNs
)

// ParseDecodePids parses strace's --decode-pids=SET: comm, pidns, all,
// none, comma-separated, "!" before the set to negate it.
func ParseDecodePids(s string) (uint8, error) {
	return parseNameSet(s, decodePidNames, DecodePidAll, "decode-pids")
}

var decodePidNames = map[string]uint8{"comm": DecodePidComm, "pidns": DecodePidNs}

// pidType is strace's enum pid_type: which of a process's ids a pid is,
// and which line of /proc/PID/status lists it in each namespace.
type pidType uint8

const (
	ptTid pidType = iota
	ptTgid
	ptPgid
	ptSid
	ptCount
)

var pidTypeLines = [ptCount]string{"NSpid:", "NStgid:", "NSpgid:", "NSsid:"}

// procSource is where the table reads processes: /proc, or a test's.
type procSource interface {
	// status is /proc/PID/status (tid 0) or /proc/PID/task/TID/status.
	status(pid, tid uint32) ([]byte, error)
	// pidNs is the inode of /proc/PID/ns/pid, 0 when unknown.
	pidNs(pid uint32) uint64
	// comm is /proc/PID/comm without its newline; ok false when unread.
	comm(pid uint32) (string, bool)
	// pids lists /proc's processes, and tasks a process's threads.
	pids() []uint32
	tasks(pid uint32) []uint32
}

// pidProc is what the table knows of a thread, by its initial-namespace
// id: its namespace, its ids there, and its comm (read when first needed).
type pidProc struct {
	ns    uint64 // pid namespace inode; 0 unknown
	level int    // depth of ns in /proc's lists (0: /proc's own)
	tid   int32  // its id in ns
	tgid  int32  // its process's id in ns
	gtgid uint32 // its process's id in eproc's namespace
	comm  string
	known bool // comm is set
	// renamed: the comm an execve gave, from its line's end on (the line
	// is printed with the comm it was entered with).
	renamed   string
	isRenamed bool
	zombie    bool // a process that ended and was not waited for yet
	untraced  bool // a child not traced, named at its fork (pids_fork.go)
	// vtid, vtgid: its ids in the view's namespace (pids_view.go), 0
	// when unknown or not there.
	vtid, vtgid int32
}

type pidKey struct {
	ns  uint64
	typ pidType
	id  int32
}

// pidIds is a translated id: in eproc's (/proc's) namespace, and in the
// view's (the same without a view).
type pidIds struct{ g, v uint32 }

// pidTable is -Y's and --decode-pids's state.
type pidTable struct {
	set      uint8
	src      procSource
	selfNs   uint64   // eproc's pid namespace
	level    int      // its depth in /proc's lists
	view     *PidView // the namespace pids are printed for; nil: eproc's
	procs    map[uint32]*pidProc
	xlat     map[pidKey]pidIds // a namespace's id -> eproc's, the view's
	caller   uint32            // the thread whose line is being printed
	zombies  int               // procs that are zombies
	untraced int               // procs of untraced children
}

func newPidTable(set uint8, src procSource) *pidTable {
	t := &pidTable{set: set, src: src, procs: map[uint32]*pidProc{}, xlat: map[pidKey]pidIds{}}
	if b, err := src.status(0, 0); err == nil {
		if ids := statusIds(b, ptTid); len(ids) > 0 {
			t.level = len(ids) - 1
		}
	}
	t.selfNs = src.pidNs(0)
	return t
}

// statusIds are the ids of one NS* line of a status file, from /proc's
// namespace down to the process's own.
func statusIds(b []byte, typ pidType) []int32 {
	s := string(b)
	key := pidTypeLines[typ]
	i := strings.Index(s, "\n"+key)
	if i < 0 {
		if !strings.HasPrefix(s, key) {
			return nil
		}
		i = -1
	}
	s = s[i+1+len(key):]
	if j := strings.IndexByte(s, '\n'); j >= 0 {
		s = s[:j]
	}
	var ids []int32
	for _, w := range strings.Fields(s) {
		n, err := strconv.ParseInt(w, 10, 32)
		if err != nil {
			return nil
		}
		ids = append(ids, int32(n))
	}
	return ids
}

// proc is what the table knows of thread tid, read from /proc once.
func (t *pidTable) proc(tid uint32) *pidProc {
	if pr := t.procs[tid]; pr != nil {
		return pr
	}
	pr := &pidProc{}
	t.procs[tid] = pr
	if b, err := t.src.status(tid, 0); err == nil {
		ids, tgids := statusIds(b, ptTid), statusIds(b, ptTgid)
		if len(ids) > t.level && len(tgids) == len(ids) {
			pr.level = len(ids) - 1
			pr.tid, pr.tgid = ids[pr.level], tgids[pr.level]
			pr.gtgid = uint32(tgids[t.level])
			pr.ns = t.src.pidNs(tid)
			pr.vtid, pr.vtgid = t.viewIds(tid, ids), t.viewIds(tid, tgids)
		}
	}
	return pr
}

// initPidNs is the inode of the initial pid namespace (the kernel's
// PROC_PID_INIT_INO).
const initPidNs = 0xEFFFFFFC

// born is what the table knows of a child, from its fork record: its
// namespace and its ids there as the kernel gave them at its birth (a
// child may have ended, or its id gone to another, before its fork is
// decoded), with the translations of those ids; else from /proc. The
// record's depth counts from the initial namespace: it is used only when
// eproc lives there (/proc's lists then start there too).
func (t *pidTable) born(f *wire.Fork) *pidProc {
	if f.NsInum == 0 || t.selfNs != initPidNs || t.level != 0 {
		return t.proc(f.ChildTid)
	}
	pr := &pidProc{ns: uint64(f.NsInum), level: int(f.NsLevel), tid: int32(f.NsTid), tgid: int32(f.NsTgid), gtgid: f.ChildTgid}
	t.procs[f.ChildTid] = pr
	if t.view == nil {
		pr.vtid, pr.vtgid = int32(f.ChildTid), int32(f.ChildTgid)
	} else {
		t.bornViewed(pr, f)
	}
	if pr.ns != t.selfNs {
		t.xlat[pidKey{pr.ns, ptTid, pr.tid}] = pidIds{f.ChildTid, uint32(pr.vtid)}
		t.xlat[pidKey{pr.ns, ptTgid, pr.tgid}] = pidIds{f.ChildTgid, uint32(pr.vtgid)}
	}
	return pr
}

// translate is id, of type typ in thread tid's namespace, in eproc's:
// 0 when no process has it.
func (t *pidTable) translate(tid uint32, id int32, typ pidType) uint32 {
	if id <= 0 {
		return 0
	}
	pr := t.proc(tid)
	if pr.ns == 0 || pr.ns == t.selfNs {
		return uint32(id) // as strace: no look-up in one's own namespace
	}
	switch {
	case typ == ptTid && id == pr.tid:
		return tid
	case typ != ptTid && id == pr.tgid:
		// The process, or the group or session it leads (their id is
		// their leader's pid): known without /proc, where the process
		// may be gone by the time its line is decoded (getpgid(0) = 4
		// printed untranslated: compat's xetpgid--pidns-translation,
		// once in seven runs).
		return pr.gtgid
	}
	return t.lookup(pr, id, typ).g
}

// lookup is id, of type typ in pr's namespace, in eproc's and in the
// view's: what the table knows, else /proc's.
func (t *pidTable) lookup(pr *pidProc, id int32, typ pidType) pidIds {
	k := pidKey{pr.ns, typ, id}
	if x, ok := t.xlat[k]; ok {
		return x
	}
	x := t.scan(pr, id, typ)
	if x.g != 0 {
		t.xlat[k] = x // a miss is not kept: the process may come
	}
	return x
}

// scan looks through /proc (and its threads, for a tid) for the process
// that has id in pr's namespace.
func (t *pidTable) scan(pr *pidProc, id int32, typ pidType) pidIds {
	for _, pid := range t.src.pids() {
		if x := t.match(pr, pid, 0, id, typ); x.g != 0 {
			return x
		}
		if typ != ptTid {
			continue
		}
		for _, task := range t.src.tasks(pid) {
			if x := t.match(pr, pid, task, id, typ); x.g != 0 {
				return x
			}
		}
	}
	return pidIds{}
}

func (t *pidTable) match(pr *pidProc, pid, task uint32, id int32, typ pidType) pidIds {
	b, err := t.src.status(pid, task)
	if err != nil {
		return pidIds{}
	}
	ids := statusIds(b, typ)
	if len(ids) <= pr.level || len(ids) <= t.level || ids[pr.level] != id {
		return pidIds{}
	}
	if len(ids) == pr.level+1 && t.src.pidNs(pid) != pr.ns {
		return pidIds{} // another namespace of the same depth
	}
	g := uint32(ids[t.level])
	if t.view == nil {
		return pidIds{g, g}
	}
	return pidIds{g, uint32(t.viewIds(pid, ids))}
}

// ended forgets the translations to thread or process tid, which ended
// (its id may be used again).
func (t *pidTable) ended(tid uint32) {
	for k, x := range t.xlat {
		if x.g == tid {
			delete(t.xlat, k)
		}
	}
}

// comm is process pid's (eproc's namespace) comm: the table's for a
// traced thread, else /proc's.
func (t *pidTable) comm(pid uint32) string {
	if pid == 0 {
		return ""
	}
	pr := t.procs[pid]
	if pr != nil && pr.untraced {
		if s, ok := t.src.comm(pid); ok {
			return s // while it lives
		}
	}
	if pr != nil && pr.known {
		return pr.comm
	}
	s, _ := t.src.comm(pid)
	if pr != nil {
		// A traced thread: read once, then followed (pids_text.go).
		pr.comm, pr.known = s, true
	}
	return s
}

// pid prints a pid of type typ, as strace's printpid.
func (p *printer) pid(id int32, typ pidType) {
	p.d(int64(id))
	if p.pids != nil {
		p.pidNote(id, typ)
	}
}

// pidNote is printpid_translation: <comm> and the pid in strace's
// namespace, when asked for and the process exists.
func (p *printer) pidNote(id int32, typ pidType) {
	t := p.pids
	if t.set == 0 {
		return // a view's table (pids_view.go), nothing asked for
	}
	v := t.viewed(t.caller, id, typ)
	if v == 0 {
		return
	}
	if t.set&DecodePidComm != 0 && (typ == ptTid || typ == ptTgid) {
		if s := t.comm(t.procPid(v, id, typ)); s != "" {
			p.c('<')
			p.quoteAngle(s)
			p.c('>')
		}
	}
	if t.set&DecodePidNs != 0 && int64(v) != int64(id) {
		p.s(" /* ")
		p.u(uint64(v))
		p.s(" in strace's PID NS */")
	}
}

// pidTgidPgid is printpid_tgid_pgid: kill's and wait4's pid, a process
// (> 0) or a process group (< -1).
func (p *printer) pidTgidPgid(id int32) {
	p.d(int64(id))
	if p.pids == nil {
		return
	}
	if id > 0 {
		p.pidNote(id, ptTgid)
	} else if id < -1 {
		p.pidNote(-id, ptPgid)
	}
}

// procFS is procSource on /proc.
type procFS struct{}

func (procFS) status(pid, tid uint32) ([]byte, error) {
	return os.ReadFile(procPath(pid, tid, "status"))
}

func (procFS) pidNs(pid uint32) uint64 {
	s, err := os.Readlink(procPath(pid, 0, "ns/pid"))
	if err != nil {
		return 0
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "pid:["), "]")
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

func (procFS) comm(pid uint32) (string, bool) {
	b, err := os.ReadFile(procPath(pid, 0, "comm"))
	if err != nil {
		return "", false
	}
	return strings.TrimSuffix(string(b), "\n"), true
}

func (procFS) pids() []uint32 { return numberedDirs("/proc") }

func (procFS) tasks(pid uint32) []uint32 {
	return numberedDirs(procPath(pid, 0, "task"))
}

// procPath is /proc/PID/NAME, /proc/PID/task/TID/NAME, or /proc/self/NAME
// for pid 0.
func procPath(pid, tid uint32, name string) string {
	b := []byte("/proc/")
	if pid == 0 {
		b = append(b, "self"...)
	} else {
		b = strconv.AppendUint(b, uint64(pid), 10)
	}
	if tid != 0 {
		b = append(b, "/task/"...)
		b = strconv.AppendUint(b, uint64(tid), 10)
	}
	return string(append(append(b, '/'), name...))
}

func numberedDirs(dir string) []uint32 {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []uint32
	for _, e := range ents {
		if n, err := strconv.ParseUint(e.Name(), 10, 32); err == nil && e.IsDir() {
			out = append(out, uint32(n))
		}
	}
	return out
}
