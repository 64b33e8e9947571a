package procview

import (
	"context"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// straceFile is strace: the session's text, read by every reader of the
// stream from where it joins, written to insert a line (straceHandle).
type straceFile struct {
	fs.Inode
	*pidFile
}

var (
	_ fs.NodeGetattrer = (*straceFile)(nil)
	_ fs.NodeSetattrer = (*straceFile)(nil)
	_ fs.NodeOpener    = (*straceFile)(nil)
)

func (f *straceFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	c := fctx(ctx)
	if e := f.guard(c); e != 0 {
		return nil, 0, e
	}
	st := f.v.readableStream(f.id)
	if st == nil {
		return nil, 0, syscall.ENOENT
	}
	st.q.Open()
	st.addReader(c.tgid(), 1)
	st.sess.Live() // a recording session: what it kept, then live
	return &straceHandle{st: st, id: f.id, tgid: c.tgid()}, fuse.FOPEN_DIRECT_IO | fuse.FOPEN_NONSEEKABLE, 0
}
