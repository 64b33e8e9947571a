package procview

import (
	"context"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// deadDir is dead/: a directory per recorded process that is gone, named
// PID-START (its pid and start time: never reused), with the strace and
// status files of its record (record.go).
type deadDir struct {
	fs.Inode
	v *View
}

// deadTab is a dead record's directory, as pidTab is a process's.
var deadTab = []struct {
	name string
	data func(d *deadRec) []byte
	// open: the caller must be one who could read the process's strace
	// file (the status file, like /proc's, is everyone's).
	guarded bool
}{
	{"strace", func(d *deadRec) []byte { return d.text }, true},
	{"status", func(d *deadRec) []byte { return d.status }, false},
}

var (
	_ fs.NodeLookuper  = (*deadDir)(nil)
	_ fs.NodeReaddirer = (*deadDir)(nil)
	_ fs.NodeGetattrer = (*deadDir)(nil)
)

func (n *deadDir) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	out.Mode = syscall.S_IFDIR | 0o555
	return 0
}

func (n *deadDir) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	d := n.v.deadRec(name)
	if d == nil {
		return nil, syscall.ENOENT
	}
	out.Mode = syscall.S_IFDIR | 0o555
	out.SetTimes(&d.died, &d.died, &d.died)
	return n.NewInode(ctx, &deadEntry{v: n.v, d: d}, fs.StableAttr{Mode: syscall.S_IFDIR}), 0
}

func (n *deadDir) Readdir(ctx context.Context) (fs.DirStream, syscall.Errno) {
	var ents []fuse.DirEntry
	for _, d := range n.v.deadRecs() {
		ents = append(ents, fuse.DirEntry{Name: d.name, Mode: syscall.S_IFDIR})
	}
	return fs.NewListDirStream(ents), 0
}

// deadEntry is dead/PID-START.
type deadEntry struct {
	fs.Inode
	v *View
	d *deadRec
}

var (
	_ fs.NodeLookuper  = (*deadEntry)(nil)
	_ fs.NodeReaddirer = (*deadEntry)(nil)
	_ fs.NodeGetattrer = (*deadEntry)(nil)
)

func (n *deadEntry) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	out.Mode = syscall.S_IFDIR | 0o555
	out.SetTimes(&n.d.died, &n.d.died, &n.d.died)
	return 0
}

func (n *deadEntry) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	for i, row := range deadTab {
		if row.name == name {
			out.Mode = syscall.S_IFREG | 0o444
			out.Size = uint64(len(row.data(n.d)))
			return n.NewInode(ctx, &deadFile{v: n.v, d: n.d, row: i}, fs.StableAttr{Mode: syscall.S_IFREG}), 0
		}
	}
	return nil, syscall.ENOENT
}

func (n *deadEntry) Readdir(ctx context.Context) (fs.DirStream, syscall.Errno) {
	ents := make([]fuse.DirEntry, len(deadTab))
	for i, row := range deadTab {
		ents[i] = fuse.DirEntry{Name: row.name, Mode: syscall.S_IFREG}
	}
	return fs.NewListDirStream(ents), 0
}

// deadFile is one file of a dead record.
type deadFile struct {
	fs.Inode
	v   *View
	d   *deadRec
	row int
}

var (
	_ fs.NodeOpener    = (*deadFile)(nil)
	_ fs.NodeGetattrer = (*deadFile)(nil)
)

func (f *deadFile) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	out.Mode = syscall.S_IFREG | 0o444
	out.Size = uint64(len(deadTab[f.row].data(f.d)))
	out.SetTimes(&f.d.died, &f.d.died, &f.d.died)
	return 0
}

func (f *deadFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	if flags&syscall.O_ACCMODE != syscall.O_RDONLY {
		return nil, 0, syscall.EACCES
	}
	row := deadTab[f.row]
	if c := fctx(ctx); row.guarded {
		if e := c.mayReadDead(f.d.cr); e != 0 {
			f.v.log.Sugar().Infow("refused", "dead", f.d.name, "file", row.name, "caller", c.tgid(), "uid", c.uid)
			return nil, 0, e
		}
	}
	return &dataHandle{data: row.data(f.d)}, fuse.FOPEN_DIRECT_IO, 0
}
