package procview

import (
	"bytes"
	"context"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"go.uber.org/zap"
)

// checkedDir is a directory listing bound to its process: go-fuse lists
// at opendir, and a later readdir must fail once the process is gone.
type checkedDir struct {
	fs.DirStream
	id *ident
}

func (c *checkedDir) Next() (fuse.DirEntry, syscall.Errno) {
	if e := c.id.check(); e != 0 {
		return fuse.DirEntry{}, e
	}
	return c.DirStream.Next()
}

// dataHandle serves content made at open time, while its process lives.
type dataHandle struct {
	data []byte
	id   *ident
}

var _ fs.FileReader = (*dataHandle)(nil)

func (h *dataHandle) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	if e := h.id.check(); e != 0 {
		return nil, e
	}
	if off >= int64(len(h.data)) {
		return fuse.ReadResultData(nil), 0
	}
	end := min(int64(len(h.data)), off+int64(len(dest)))
	return fuse.ReadResultData(h.data[off:end]), 0
}

// cmdHandle is an open ctl, note or notepg file: run acts on each write.
type cmdHandle struct {
	v    *View
	id   *ident
	file string // its name in pidTab, for the log
	c    *caller
	run  func(c *caller, data []byte) error
}

var _ fs.FileWriter = (*cmdHandle)(nil)

func (h *cmdHandle) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	if e := h.id.check(); e != 0 {
		return 0, e
	}
	c := *h.c
	c.ctx = ctx // a blocking command (waitstop) ends when the writer is interrupted
	if err := h.run(&c, data); err != nil {
		e := errnoOf(err)
		h.v.log.Info("refused", zap.Int("pid", h.id.pid), zap.String("file", h.file),
			zap.ByteString("msg", clip(data)), zap.Int("caller", h.c.tgid()), zap.Error(err))
		return 0, e
	}
	return uint32(len(data)), 0
}

// straceHandle is an open strace file: a reader of the session's queue.
type straceHandle struct {
	st   *stream
	id   *ident
	tgid int // the opener, whose own calls the stream leaves out
}

var (
	_ fs.FileReader   = (*straceHandle)(nil)
	_ fs.FileWriter   = (*straceHandle)(nil)
	_ fs.FileReleaser = (*straceHandle)(nil)
)

func (h *straceHandle) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	n, err := h.st.q.Read(ctx, dest)
	if err != nil {
		return nil, syscall.EINTR
	}
	if n > 0 {
		h.st.reads.Add(1)
		h.st.readBytes.Add(uint64(n))
	}
	return fuse.ReadResultData(dest[:n]), 0
}

// Write inserts the text as a line of the stream, in order with the calls
// around it.
func (h *straceHandle) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	if len(data) > 4096 || bytes.IndexByte(data, 0) >= 0 {
		return 0, syscall.EINVAL
	}
	if !h.st.mark(data) {
		return 0, syscall.EPIPE
	}
	return uint32(len(data)), 0
}

func (h *straceHandle) Release(ctx context.Context) syscall.Errno {
	h.st.addReader(h.tgid, -1)
	if h.st.q.Close() == 0 && h.st.q.Done() {
		h.st.v.log.Info("stream read", zap.Uint32("session", h.st.sess.ID()),
			zap.Uint64("reads", h.st.reads.Load()), zap.Uint64("bytes", h.st.readBytes.Load()))
		// Read to the end, its last reader gone: an ended stream kept
		// for its root process is forgotten now, not at the next
		// session's end.
		v := h.st.v
		v.mu.Lock()
		v.sweepLocked()
		v.mu.Unlock()
	}
	return 0
}
