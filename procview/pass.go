package procview

import (
	"context"
	"os"
	"path/filepath"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// passNode is an entry of the real /proc served as it is: a file, a
// directory or a symbolic link. Under a process directory it is bound to
// that process (id): once the process is gone, it answers ESRCH, even when
// its pid has been reused. Every operation runs with the caller's identity
// (become.go), so the kernel's own checks apply.
type passNode struct {
	fs.Inode
	v    *View
	id   *ident // nil outside process directories
	path string
}

var (
	_ fs.NodeGetattrer  = (*passNode)(nil)
	_ fs.NodeLookuper   = (*passNode)(nil)
	_ fs.NodeReaddirer  = (*passNode)(nil)
	_ fs.NodeReadlinker = (*passNode)(nil)
	_ fs.NodeOpener     = (*passNode)(nil)
	_ fs.NodeSetattrer  = (*passNode)(nil)
)

// lookupPass makes the node for path, a name in the real /proc.
func lookupPass(ctx context.Context, parent *fs.Inode, v *View, id *ident, path string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	c := fctx(ctx)
	var st syscall.Stat_t
	if err := c.as(func() error { return syscall.Lstat(path, &st) }); err != nil {
		return nil, fs.ToErrno(err)
	}
	if e := id.check(); e != 0 {
		return nil, e
	}
	out.FromStat(&st)
	n := &passNode{v: v, id: id, path: path}
	return parent.NewInode(ctx, n, fs.StableAttr{Mode: st.Mode & syscall.S_IFMT}), 0
}

func (n *passNode) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	c := fctx(ctx)
	var st syscall.Stat_t
	if err := c.as(func() error { return syscall.Lstat(n.path, &st) }); err != nil {
		return fs.ToErrno(err)
	}
	if e := n.id.check(); e != 0 {
		return e
	}
	out.FromStat(&st)
	return 0
}

func (n *passNode) Setattr(ctx context.Context, fh fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	// Only the truncation a shell's `>` asks for: /proc files ignore it.
	if in.Valid&^(fuse.FATTR_SIZE|fuse.FATTR_FH|fuse.FATTR_LOCKOWNER) != 0 {
		return syscall.EPERM
	}
	return n.Getattr(ctx, fh, out)
}

func (n *passNode) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	return lookupPass(ctx, &n.Inode, n.v, n.id, filepath.Join(n.path, name), out)
}

func (n *passNode) Readdir(ctx context.Context) (fs.DirStream, syscall.Errno) {
	c := fctx(ctx)
	var ents []fuse.DirEntry
	err := c.as(func() (err error) { ents, err = readDir(n.path); return })
	if err != nil {
		return nil, fs.ToErrno(err)
	}
	if e := n.id.check(); e != 0 {
		return nil, e
	}
	if n.id != nil {
		return &checkedDir{DirStream: fs.NewListDirStream(ents), id: n.id}, 0
	}
	return fs.NewListDirStream(ents), 0
}

func (n *passNode) Readlink(ctx context.Context) ([]byte, syscall.Errno) {
	c := fctx(ctx)
	var l string
	if err := c.as(func() (err error) { l, err = os.Readlink(n.path); return }); err != nil {
		return nil, fs.ToErrno(err)
	}
	if e := n.id.check(); e != 0 {
		return nil, e
	}
	return []byte(l), 0
}

func (n *passNode) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	c := fctx(ctx)
	fd := -1
	fl := int(flags) &^ (syscall.O_CREAT | syscall.O_EXCL | syscall.O_APPEND)
	err := c.as(func() (err error) { fd, err = syscall.Open(n.path, fl|syscall.O_CLOEXEC, 0); return })
	if err != nil {
		return nil, 0, fs.ToErrno(err)
	}
	// The descriptor is bound to the task it was opened on; the check
	// after the open proves that task is this node's process.
	if e := n.id.check(); e != 0 {
		syscall.Close(fd)
		return nil, 0, e
	}
	return &passFile{fd: fd, c: c}, fuse.FOPEN_DIRECT_IO, 0
}

// passFile is an open file of the real /proc, read and written with the
// opener's identity.
type passFile struct {
	fd int
	c  *caller
}

var (
	_ fs.FileReader    = (*passFile)(nil)
	_ fs.FileWriter    = (*passFile)(nil)
	_ fs.FileReleaser  = (*passFile)(nil)
	_ fs.FileGetattrer = (*passFile)(nil)
)

func (f *passFile) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	var n int
	err := f.c.as(func() (err error) { n, err = syscall.Pread(f.fd, dest, off); return })
	if err != nil {
		return nil, fs.ToErrno(err)
	}
	return fuse.ReadResultData(dest[:n]), 0
}

func (f *passFile) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	var n int
	err := f.c.as(func() (err error) { n, err = syscall.Pwrite(f.fd, data, off); return })
	if err != nil {
		// Files such as /proc/PID/comm are not seekable for writes.
		if err == syscall.ESPIPE || err == syscall.EINVAL {
			err = f.c.as(func() (err error) { n, err = syscall.Write(f.fd, data); return })
		}
		if err != nil {
			return 0, fs.ToErrno(err)
		}
	}
	return uint32(n), 0
}

func (f *passFile) Getattr(ctx context.Context, out *fuse.AttrOut) syscall.Errno {
	var st syscall.Stat_t
	if err := syscall.Fstat(f.fd, &st); err != nil {
		return fs.ToErrno(err)
	}
	out.FromStat(&st)
	return 0
}

func (f *passFile) Release(ctx context.Context) syscall.Errno {
	syscall.Close(f.fd)
	return 0
}
