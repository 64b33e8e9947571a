package procview

import (
	"context"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// pidTab is what a process directory adds to Linux's entries, as devproc's
// procdir table: each file's name, its mode, and the node that serves it
// (one kind of node for each kind of file). Linux's names win where they
// collide: status keeps Linux's content (with lines added), and Linux's
// ns/ directory stays, so Plan 9's ns file is served as namespace.
var pidTab = []pidRow{
	{"strace", syscall.S_IFREG | 0o600, func(f *pidFile) fs.InodeEmbedder { return &straceFile{pidFile: f} }},
	{"ctl", syscall.S_IFREG | 0o200, func(f *pidFile) fs.InodeEmbedder { return &ctlFile{pidFile: f} }},
	{"note", syscall.S_IFREG | 0o200, func(f *pidFile) fs.InodeEmbedder { return &noteFile{pidFile: f} }},
	{"notepg", syscall.S_IFREG | 0o200, func(f *pidFile) fs.InodeEmbedder { return &noteFile{pidFile: f, group: true} }},
	{"status", syscall.S_IFREG | 0o444, func(f *pidFile) fs.InodeEmbedder { return &statusFile{pidFile: f} }},
	{"vmstatus", syscall.S_IFREG | 0o444, func(f *pidFile) fs.InodeEmbedder { return &vmstatusFile{pidFile: f} }},
	{"user", syscall.S_IFREG | 0o444, func(f *pidFile) fs.InodeEmbedder { return &userFile{pidFile: f} }},
	{"args", syscall.S_IFREG | 0o444, func(f *pidFile) fs.InodeEmbedder { return &argsFile{pidFile: f} }},
	{"namespace", syscall.S_IFREG | 0o444, func(f *pidFile) fs.InodeEmbedder { return &namespaceFile{pidFile: f} }},
	{"file", syscall.S_IFLNK | 0o777, func(f *pidFile) fs.InodeEmbedder { return &fileLink{pidFile: f} }},
	// Plan 9's (file_p9.go, contents_p9.go).
	{"fds", syscall.S_IFREG | 0o444, infoOf(fds)}, // Plan 9's fd: Linux's fd/ wins the name
	{"segment", syscall.S_IFREG | 0o444, infoOf(segment)},
	{"noteid", syscall.S_IFREG | 0o644, func(f *pidFile) fs.InodeEmbedder { return &noteidFile{pidFile: f} }},
	{"text", syscall.S_IFREG | 0o444, func(f *pidFile) fs.InodeEmbedder { return &textFile{pidFile: f} }},
	{"wait", syscall.S_IFREG | 0o400, func(f *pidFile) fs.InodeEmbedder { return &waitFile{pidFile: f} }}, // file_wait.go
	{"proc", syscall.S_IFREG | 0o400, unsupportedOf(whyProc)},
	{"profile", syscall.S_IFREG | 0o400, unsupportedOf(whyProfile)},
	{"kregs", syscall.S_IFREG | 0o400, unsupportedOf(whyKregs)},
	// FreeBSD's (contents_bsd.go).
	{"map", syscall.S_IFREG | 0o444, infoOf(fbsdMap)},
	{"rlimit", syscall.S_IFREG | 0o444, infoOf(rlimit)},
	{"etype", syscall.S_IFREG | 0o444, infoOf(etype)},
	// Both's registers, of a process stopped under attach (file_regs.go).
	{"regs", syscall.S_IFREG | 0o600, regsOf(gpRegs, whyRegs)},
	{"fpregs", syscall.S_IFREG | 0o600, regsOf(fpRegs, whyRegs)},
	{"dbregs", syscall.S_IFREG | 0o600, regsOf(dbRegs, whyDbregs)}, // FreeBSD's: the debug registers
}

// pidRow is a row of pidTab.
type pidRow struct {
	name string
	mode uint32
	node func(f *pidFile) fs.InodeEmbedder // the kind's node, embedding f
}

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
	for i := range pidTab {
		e := &pidTab[i]
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
		n := e.node(&pidFile{v: d.v, id: d.id, row: e})
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

// pidFile is what every file of pidTab shares: the process it is bound to,
// and its row of the table. Each kind's node embeds it beside its fs.Inode,
// and adds its own Open or Readlink.
type pidFile struct {
	v   *View
	id  *ident
	row *pidRow
}

func (f *pidFile) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	var st syscall.Stat_t
	if err := syscall.Lstat(f.id.path(""), &st); err != nil {
		return syscall.ESRCH
	}
	if e := f.id.check(); e != 0 {
		return e
	}
	out.FromStat(&st)
	out.Mode = f.row.mode
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

// guard answers ESRCH once the process is gone, and refuses a caller that
// may not ptrace it: the files that show its calls or act on it (strace,
// ctl, note, notepg) open only for such callers.
func (f *pidFile) guard(c *caller) syscall.Errno {
	if e := f.id.check(); e != 0 {
		return e
	}
	if e := c.mayPtrace(f.id.pid); e != 0 {
		f.v.log.Sugar().Infow("refused", "pid", f.id.pid, "file", f.row.name, "caller", c.tgid(), "uid", c.uid)
		return e
	}
	return 0
}

// openCmd opens a control file, write-only: run acts on each write.
func (f *pidFile) openCmd(ctx context.Context, flags uint32, run func(c *caller, data []byte) error) (fs.FileHandle, uint32, syscall.Errno) {
	c := fctx(ctx)
	if e := f.guard(c); e != 0 {
		return nil, 0, e
	}
	if flags&syscall.O_ACCMODE == syscall.O_RDONLY {
		return nil, 0, syscall.EACCES
	}
	return &cmdHandle{v: f.v, id: f.id, file: f.row.name, c: c, run: run}, fuse.FOPEN_DIRECT_IO | fuse.FOPEN_NONSEEKABLE, 0
}

// openData opens a file whose content gen makes now, read-only.
func (f *pidFile) openData(ctx context.Context, flags uint32, gen func(c *caller) ([]byte, syscall.Errno)) (fs.FileHandle, uint32, syscall.Errno) {
	c := fctx(ctx)
	if e := f.id.check(); e != 0 {
		return nil, 0, e
	}
	if flags&syscall.O_ACCMODE != syscall.O_RDONLY {
		return nil, 0, syscall.EACCES
	}
	data, e := gen(c)
	if e == 0 {
		e = f.id.check()
	}
	if e != 0 {
		return nil, 0, e
	}
	return &dataHandle{data: data, id: f.id}, fuse.FOPEN_DIRECT_IO, 0
}
