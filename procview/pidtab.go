package procview

import (
	"context"
	"os"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// pidTab is what a process directory adds to Linux's entries, as devproc's
// procdir table. Linux's names win where they collide: status keeps
// Linux's content (with lines added), and Linux's ns/ directory stays, so
// Plan 9's ns file is served as namespace.
var pidTab = []struct {
	name string
	mode uint32
	kind fileKind
}{
	{"strace", syscall.S_IFREG | 0o600, kStrace},
	{"ctl", syscall.S_IFREG | 0o200, kCtl},
	{"note", syscall.S_IFREG | 0o200, kNote},
	{"notepg", syscall.S_IFREG | 0o200, kNotepg},
	{"status", syscall.S_IFREG | 0o444, kStatus},
	{"vmstatus", syscall.S_IFREG | 0o444, kVMStatus},
	{"user", syscall.S_IFREG | 0o444, kUser},
	{"args", syscall.S_IFREG | 0o444, kArgs},
	{"namespace", syscall.S_IFREG | 0o444, kNamespace},
	{"file", syscall.S_IFLNK | 0o777, kFile},
}

type fileKind int

const (
	kStrace fileKind = iota
	kCtl
	kNote
	kNotepg
	kStatus
	kVMStatus
	kUser
	kArgs
	kNamespace
	kFile
)

// guarded: files only a caller that may ptrace the process may open.
func (k fileKind) guarded() bool { return k <= kNotepg }

// pidDir is /PID: Linux's /proc/PID with pidTab's files.
type pidDir struct {
	fs.Inode
	v  *View
	id *ident
}

var (
	_ fs.NodeGetattrer = (*pidDir)(nil)
	_ fs.NodeLookuper  = (*pidDir)(nil)
	_ fs.NodeReaddirer = (*pidDir)(nil)
)

func (d *pidDir) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	var st syscall.Stat_t
	if err := fctx(ctx).as(func() error { return syscall.Lstat(d.id.path(""), &st) }); err != nil {
		return fs.ToErrno(err)
	}
	if e := d.id.check(); e != 0 {
		return e
	}
	out.FromStat(&st)
	return 0
}

func (d *pidDir) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	for _, e := range pidTab {
		if e.name != name {
			continue
		}
		var st syscall.Stat_t
		if err := syscall.Lstat(d.id.path(""), &st); err != nil {
			return nil, syscall.ESRCH
		}
		if e := d.id.check(); e != 0 {
			return nil, e
		}
		out.FromStat(&st)
		out.Mode = e.mode
		out.Nlink = 1
		out.Size = 0
		n := &pidFile{v: d.v, id: d.id, kind: e.kind}
		return d.NewInode(ctx, n, fs.StableAttr{Mode: e.mode & syscall.S_IFMT}), 0
	}
	return lookupPass(ctx, &d.Inode, d.v, d.id, d.id.path(name), out)
}

func (d *pidDir) Readdir(ctx context.Context) (fs.DirStream, syscall.Errno) {
	var ents []fuse.DirEntry
	if err := fctx(ctx).as(func() (err error) { ents, err = readDir(d.id.path("")); return }); err != nil {
		return nil, fs.ToErrno(err)
	}
	if e := d.id.check(); e != 0 {
		return nil, e
	}
	have := map[string]bool{}
	for _, e := range ents {
		have[e.Name] = true
	}
	for _, e := range pidTab {
		if !have[e.name] {
			ents = append(ents, fuse.DirEntry{Name: e.name, Mode: e.mode & syscall.S_IFMT})
		}
	}
	return &checkedDir{DirStream: fs.NewListDirStream(ents), id: d.id}, 0
}

// pidFile is one of pidTab's files.
type pidFile struct {
	fs.Inode
	v    *View
	id   *ident
	kind fileKind
}

var (
	_ fs.NodeGetattrer  = (*pidFile)(nil)
	_ fs.NodeSetattrer  = (*pidFile)(nil)
	_ fs.NodeOpener     = (*pidFile)(nil)
	_ fs.NodeReadlinker = (*pidFile)(nil)
)

func (f *pidFile) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	var st syscall.Stat_t
	if err := syscall.Lstat(f.id.path(""), &st); err != nil {
		return syscall.ESRCH
	}
	if e := f.id.check(); e != 0 {
		return e
	}
	out.FromStat(&st)
	for _, e := range pidTab {
		if e.kind == f.kind {
			out.Mode = e.mode
		}
	}
	out.Nlink = 1
	out.Size = 0
	return 0
}

func (f *pidFile) Setattr(ctx context.Context, fh fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	if in.Valid&^(fuse.FATTR_SIZE|fuse.FATTR_FH|fuse.FATTR_LOCKOWNER) != 0 {
		return syscall.EPERM
	}
	return f.Getattr(ctx, fh, out)
}

func (f *pidFile) Readlink(ctx context.Context) ([]byte, syscall.Errno) {
	if f.kind != kFile {
		return nil, syscall.EINVAL
	}
	var l string
	if err := fctx(ctx).as(func() (err error) { l, err = os.Readlink(f.id.path("exe")); return }); err != nil {
		return nil, fs.ToErrno(err)
	}
	if e := f.id.check(); e != 0 {
		return nil, e
	}
	return []byte(l), 0
}

func (f *pidFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	c := fctx(ctx)
	if e := f.id.check(); e != 0 {
		return nil, 0, e
	}
	if f.kind.guarded() {
		if e := c.mayPtrace(f.id.pid); e != 0 {
			f.v.log.Sugar().Infow("refused", "pid", f.id.pid, "file", f.kind.name(), "caller", c.tgid(), "uid", c.uid)
			return nil, 0, e
		}
	}
	switch f.kind {
	case kStrace:
		st := f.v.readableStream(f.id)
		if st == nil {
			return nil, 0, syscall.ENOENT
		}
		st.q.Open()
		st.addReader(c.tgid(), 1)
		return &straceHandle{st: st, id: f.id, tgid: c.tgid()}, fuse.FOPEN_DIRECT_IO | fuse.FOPEN_NONSEEKABLE, 0
	case kCtl, kNote, kNotepg:
		if flags&syscall.O_ACCMODE == syscall.O_RDONLY {
			return nil, 0, syscall.EACCES
		}
		return &cmdHandle{v: f.v, id: f.id, kind: f.kind, c: c}, fuse.FOPEN_DIRECT_IO | fuse.FOPEN_NONSEEKABLE, 0
	}
	if flags&syscall.O_ACCMODE != syscall.O_RDONLY {
		return nil, 0, syscall.EACCES
	}
	var data []byte
	var e syscall.Errno
	switch f.kind {
	case kStatus:
		data, e = f.status(c)
	case kVMStatus:
		data, e = f.vmstatus()
	case kUser:
		data, e = f.user()
	case kArgs:
		data, e = f.args(c)
	case kNamespace:
		data, e = f.namespace(c)
	default:
		e = syscall.EINVAL
	}
	if e == 0 {
		e = f.id.check()
	}
	if e != 0 {
		return nil, 0, e
	}
	return &dataHandle{data: data, id: f.id}, fuse.FOPEN_DIRECT_IO, 0
}

func (k fileKind) name() string {
	for _, e := range pidTab {
		if e.kind == k {
			return e.name
		}
	}
	return "?"
}
