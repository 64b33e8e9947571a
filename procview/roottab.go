package procview

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"go.uber.org/zap"
)

// rootNode is the view's root: /proc's entries, with self, curproc and
// thread-self resolved for the caller, and tracepids.
type rootNode struct {
	fs.Inode
	v *View
}

var (
	_ fs.NodeLookuper  = (*rootNode)(nil)
	_ fs.NodeReaddirer = (*rootNode)(nil)
	_ fs.NodeGetattrer = (*rootNode)(nil)
)

// rootTab is the root's own entries, Plan 9 style: name, kind, content.
var rootTab = []struct {
	name string
	mode uint32
	node func(v *View) fs.InodeEmbedder
}{
	{"self", syscall.S_IFLNK | 0o777, func(v *View) fs.InodeEmbedder { return &selfLink{} }},
	{"curproc", syscall.S_IFLNK | 0o777, func(v *View) fs.InodeEmbedder { return &selfLink{} }},
	{"thread-self", syscall.S_IFLNK | 0o777, func(v *View) fs.InodeEmbedder { return &selfLink{thread: true} }},
	{"tracepids", syscall.S_IFREG | 0o444, func(v *View) fs.InodeEmbedder { return &genFile{gen: v.tracepids} }},
	{"dead", syscall.S_IFDIR | 0o555, func(v *View) fs.InodeEmbedder { return &deadDir{v: v} }},
	// Plan 9's scheduler trace: not served (EOPNOTSUPP, whyTrace).
	{"trace", syscall.S_IFREG | 0o444, func(v *View) fs.InodeEmbedder { return &rootUnsupported{v: v, name: "trace", why: whyTrace} }},
}

func (r *rootNode) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	var st syscall.Stat_t
	if err := syscall.Stat(procRoot, &st); err != nil {
		return fs.ToErrno(err)
	}
	out.FromStat(&st)
	out.Mode = syscall.S_IFDIR | 0o555
	return 0
}

func (r *rootNode) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	for _, e := range rootTab {
		if e.name == name {
			out.Mode = e.mode
			out.Owner = fuse.Owner{}
			now := time.Now()
			out.SetTimes(&now, &now, &now)
			return r.NewInode(ctx, e.node(r.v), fs.StableAttr{Mode: e.mode & syscall.S_IFMT}), 0
		}
	}
	if pid, err := strconv.Atoi(name); err == nil && pid > 0 && strconv.Itoa(pid) == name {
		id, err := identify(pid)
		if err != nil {
			return nil, syscall.ENOENT
		}
		d := &pidDir{v: r.v, id: id}
		var st syscall.Stat_t
		if err := syscall.Lstat(id.path(""), &st); err != nil {
			return nil, syscall.ENOENT
		}
		out.FromStat(&st)
		r.v.forgetDead()
		return r.NewInode(ctx, d, fs.StableAttr{Mode: syscall.S_IFDIR}), 0
	}
	return lookupPass(ctx, &r.Inode, r.v, nil, filepath.Join(procRoot, name), out)
}

func (r *rootNode) Readdir(ctx context.Context) (fs.DirStream, syscall.Errno) {
	ents, err := readDir(procRoot)
	if err != nil {
		return nil, fs.ToErrno(err)
	}
	have := map[string]bool{}
	for _, e := range ents {
		have[e.Name] = true
	}
	for _, e := range rootTab {
		if !have[e.name] {
			ents = append(ents, fuse.DirEntry{Name: e.name, Mode: e.mode & syscall.S_IFMT})
		}
	}
	return fs.NewListDirStream(ents), 0
}

// readDir lists a directory of the real /proc.
func readDir(path string) ([]fuse.DirEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	des, err := f.ReadDir(-1)
	if err != nil && len(des) == 0 {
		return nil, err
	}
	out := make([]fuse.DirEntry, 0, len(des))
	for _, d := range des {
		out = append(out, fuse.DirEntry{Name: d.Name(), Mode: modeOf(d.Type())})
	}
	return out, nil
}

func modeOf(m os.FileMode) uint32 {
	switch {
	case m&os.ModeDir != 0:
		return syscall.S_IFDIR
	case m&os.ModeSymlink != 0:
		return syscall.S_IFLNK
	case m&os.ModeNamedPipe != 0:
		return syscall.S_IFIFO
	case m&os.ModeSocket != 0:
		return syscall.S_IFSOCK
	case m&os.ModeCharDevice != 0:
		return syscall.S_IFCHR
	case m&os.ModeDevice != 0:
		return syscall.S_IFBLK
	}
	return syscall.S_IFREG
}

// selfLink is self, curproc (the caller's process) and thread-self.
type selfLink struct {
	fs.Inode
	thread bool
}

var _ fs.NodeReadlinker = (*selfLink)(nil)

func (l *selfLink) Readlink(ctx context.Context) ([]byte, syscall.Errno) {
	fc, ok := ctx.(*fuse.Context)
	if !ok {
		return nil, syscall.EINVAL
	}
	c := callerOf(fc)
	if l.thread {
		return []byte(fmt.Sprintf("%d/task/%d", c.tgid(), c.pid)), 0
	}
	return []byte(strconv.Itoa(c.tgid())), 0
}

// tracepids lists the traced processes: pid, command, session.
func (v *View) tracepids(ctx context.Context) ([]byte, syscall.Errno) {
	pids := v.eng.TracedPids()
	keys := make([]int, 0, len(pids))
	for p := range pids {
		keys = append(keys, p)
	}
	sort.Ints(keys)
	var b strings.Builder
	for _, p := range keys {
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p))
		if err != nil {
			continue
		}
		fmt.Fprintf(&b, "%d %s %d\n", p, strings.TrimSpace(string(comm)), pids[p])
	}
	return []byte(b.String()), 0
}

// genFile is a file of the root whose content is made at open time.
type genFile struct {
	fs.Inode
	gen func(ctx context.Context) ([]byte, syscall.Errno)
}

var (
	_ fs.NodeOpener    = (*genFile)(nil)
	_ fs.NodeGetattrer = (*genFile)(nil)
)

func (g *genFile) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	out.Mode = syscall.S_IFREG | 0o444
	out.Nlink = 1
	return 0
}

func (g *genFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	if flags&syscall.O_ACCMODE != syscall.O_RDONLY {
		return nil, 0, syscall.EACCES
	}
	b, e := g.gen(ctx)
	if e != 0 {
		return nil, 0, e
	}
	return &dataHandle{data: b}, fuse.FOPEN_DIRECT_IO, 0
}

// rootUnsupported is a root file of the seeds Linux (or eproc) cannot
// serve: it is listed, and opening it answers EOPNOTSUPP, and the daemon
// logs why, once per open.
type rootUnsupported struct {
	fs.Inode
	v         *View
	name, why string
}

var (
	_ fs.NodeOpener    = (*rootUnsupported)(nil)
	_ fs.NodeGetattrer = (*rootUnsupported)(nil)
)

func (r *rootUnsupported) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	out.Mode = syscall.S_IFREG | 0o444
	out.Nlink = 1
	return 0
}

func (r *rootUnsupported) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	r.v.log.Info("not supported", zap.String("file", r.name), zap.Int("caller", fctx(ctx).tgid()), zap.String("why", r.why))
	return nil, 0, syscall.EOPNOTSUPP
}

// whyTrace is why the root's trace (devproc's Qtrace: the scheduler's
// events, Traceevent records, of the processes ctl's trace marks) and
// ctl's trace are not served.
const whyTrace = "Plan 9's trace is the scheduler's events (ready, run, sleep, dead..., with time and CPU) of the processes ctl's trace marks; eproc traces system calls (strace), not scheduling; Linux gives scheduling events through the sched tracepoints (sched_switch, sched_wakeup): perf sched record, or perf record -e 'sched:*' -p PID"
