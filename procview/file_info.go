package procview

import (
	"context"
	"os"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
)

// The files that describe the process, read-only: their content is made
// at open time (contents.go) and served while the process lives.

// statusFile is status: Linux's, with the session's numbers while traced.
type statusFile struct {
	fs.Inode
	*pidFile
}

// vmstatusFile is vmstatus: the process's guests' exits, by reason.
type vmstatusFile struct {
	fs.Inode
	*pidFile
}

// userFile is user: the name of the process's owner.
type userFile struct {
	fs.Inode
	*pidFile
}

// argsFile is args: the command line, Plan 9 style.
type argsFile struct {
	fs.Inode
	*pidFile
}

// namespaceFile is namespace: the mount table in Plan 9's notation.
type namespaceFile struct {
	fs.Inode
	*pidFile
}

var (
	_ fs.NodeOpener = (*statusFile)(nil)
	_ fs.NodeOpener = (*vmstatusFile)(nil)
	_ fs.NodeOpener = (*userFile)(nil)
	_ fs.NodeOpener = (*argsFile)(nil)
	_ fs.NodeOpener = (*namespaceFile)(nil)

	_ fs.NodeGetattrer = (*statusFile)(nil)
	_ fs.NodeSetattrer = (*statusFile)(nil)
)

func (f *statusFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	return f.openData(ctx, flags, f.status)
}

func (f *vmstatusFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	return f.openData(ctx, flags, func(*caller) ([]byte, syscall.Errno) { return f.vmstatus() })
}

func (f *userFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	return f.openData(ctx, flags, func(*caller) ([]byte, syscall.Errno) { return f.user() })
}

func (f *argsFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	return f.openData(ctx, flags, f.args)
}

func (f *namespaceFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	return f.openData(ctx, flags, f.namespace)
}

// fileLink is file: a link to the process's executable (Linux's exe).
type fileLink struct {
	fs.Inode
	*pidFile
}

var (
	_ fs.NodeReadlinker = (*fileLink)(nil)
	_ fs.NodeGetattrer  = (*fileLink)(nil)
)

func (f *fileLink) Readlink(ctx context.Context) ([]byte, syscall.Errno) {
	var l string
	if err := fctx(ctx).as(func() (err error) { l, err = os.Readlink(f.id.path("exe")); return }); err != nil {
		return nil, fs.ToErrno(err)
	}
	if e := f.id.check(); e != 0 {
		return nil, e
	}
	return []byte(l), 0
}
