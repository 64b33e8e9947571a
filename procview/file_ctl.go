package procview

import (
	"context"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
)

// ctlFile is ctl: each write is a command of ctlTab (ctl.go).
type ctlFile struct {
	fs.Inode
	*pidFile
}

var (
	_ fs.NodeGetattrer = (*ctlFile)(nil)
	_ fs.NodeSetattrer = (*ctlFile)(nil)
	_ fs.NodeOpener    = (*ctlFile)(nil)
)

func (f *ctlFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	return f.openCtl(ctx, flags) // ctl_debug.go: its release ends attach's control
}

// noteFile is note, or with group notepg: each write names a signal for
// the process, or for its process group.
type noteFile struct {
	fs.Inode
	*pidFile
	group bool
}

var (
	_ fs.NodeGetattrer = (*noteFile)(nil)
	_ fs.NodeSetattrer = (*noteFile)(nil)
	_ fs.NodeOpener    = (*noteFile)(nil)
)

func (f *noteFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	return f.openCmd(ctx, flags, func(c *caller, data []byte) error { return runNote(f.id, data, f.group) })
}
