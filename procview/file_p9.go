package procview

import (
	"context"
	"errors"
	"io"
	"os"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"go.uber.org/zap"
)

// The kinds of file Plan 9's devproc and FreeBSD's procfs add to a process
// directory beyond eproc's first ones: fd, segment, noteid and text
// (Plan 9), map, rlimit and etype (FreeBSD), read-only text made at open
// time (contents_p9.go, contents_bsd.go); and proc, profile and kregs,
// which Linux cannot serve (so is the root's trace: roottab.go).

// infoFile is a read-only file whose content gen makes at open time, from
// what /proc says of the process, read with the opener's identity.
type infoFile struct {
	fs.Inode
	*pidFile
	gen func(f *pidFile, c *caller) ([]byte, syscall.Errno)
}

var (
	_ fs.NodeOpener    = (*infoFile)(nil)
	_ fs.NodeGetattrer = (*infoFile)(nil)
)

func (f *infoFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	return f.openData(ctx, flags, func(c *caller) ([]byte, syscall.Errno) { return f.gen(f.pidFile, c) })
}

// infoOf makes pidTab's constructor of an infoFile.
func infoOf(gen func(f *pidFile, c *caller) ([]byte, syscall.Errno)) func(f *pidFile) fs.InodeEmbedder {
	return func(f *pidFile) fs.InodeEmbedder { return &infoFile{pidFile: f, gen: gen} }
}

// textFile is text: the bytes of the process's executable, as Plan 9's
// text and FreeBSD's file (eproc's file is the link). It is opened through
// /proc/PID/exe with the opener's identity, so the kernel asks what it asks
// of /proc/PID/exe: ptrace-read access to the process, and read permission
// on the file; it stays the same file if the path is replaced later.
type textFile struct {
	fs.Inode
	*pidFile
}

var (
	_ fs.NodeOpener    = (*textFile)(nil)
	_ fs.NodeGetattrer = (*textFile)(nil)
)

func (f *textFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	c := fctx(ctx)
	if e := f.id.check(); e != 0 {
		return nil, 0, e
	}
	if flags&syscall.O_ACCMODE != syscall.O_RDONLY {
		return nil, 0, syscall.EACCES
	}
	var file *os.File
	if err := c.as(func() (err error) { file, err = os.Open(f.id.path("exe")); return }); err != nil {
		return nil, 0, fs.ToErrno(err)
	}
	if e := f.id.check(); e != 0 {
		file.Close()
		return nil, 0, e
	}
	return &textHandle{f: file, id: f.id}, fuse.FOPEN_DIRECT_IO, 0
}

// Getattr gives the executable's size, as FreeBSD's file shows it, when
// the caller may see it.
func (f *textFile) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	if e := f.pidFile.Getattr(ctx, fh, out); e != 0 {
		return e
	}
	var st syscall.Stat_t
	if fctx(ctx).as(func() error { return syscall.Stat(f.id.path("exe"), &st) }) == nil {
		out.Size = uint64(st.Size)
	}
	return 0
}

// textHandle is an open text file: reads are the executable's.
type textHandle struct {
	f  *os.File
	id *ident
}

var (
	_ fs.FileReader   = (*textHandle)(nil)
	_ fs.FileReleaser = (*textHandle)(nil)
)

func (h *textHandle) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	if e := h.id.check(); e != 0 {
		return nil, e
	}
	n, err := h.f.ReadAt(dest, off)
	if n == 0 && err != nil && !errors.Is(err, io.EOF) {
		return nil, fs.ToErrno(err)
	}
	return fuse.ReadResultData(dest[:n]), 0
}

func (h *textHandle) Release(ctx context.Context) syscall.Errno {
	h.f.Close()
	return 0
}

// noteidFile is noteid: the process group, read-only. Plan 9 lets a
// process join another's note group by writing its noteid; Linux's
// setpgid moves only the caller or its children, so a write is refused
// with EOPNOTSUPP (logged), after the ptrace-attach check ctl makes.
type noteidFile struct {
	fs.Inode
	*pidFile
}

var (
	_ fs.NodeOpener    = (*noteidFile)(nil)
	_ fs.NodeGetattrer = (*noteidFile)(nil)
)

func (f *noteidFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	if flags&syscall.O_ACCMODE == syscall.O_RDONLY {
		return f.openData(ctx, flags, func(c *caller) ([]byte, syscall.Errno) { return noteid(f.pidFile, c) })
	}
	c := fctx(ctx)
	if e := f.guard(c); e != 0 {
		return nil, 0, e
	}
	f.v.log.Info("not supported", zap.Int("pid", f.id.pid), zap.String("file", f.row.name),
		zap.Int("caller", c.tgid()), zap.String("why", whyNoteid))
	return nil, 0, syscall.EOPNOTSUPP
}

// unsupportedFile is a file of the seeds Linux cannot serve: opening it
// answers EOPNOTSUPP (ESRCH once the process is gone), and the daemon logs
// why, once per open.
type unsupportedFile struct {
	fs.Inode
	*pidFile
	why string
}

var (
	_ fs.NodeOpener    = (*unsupportedFile)(nil)
	_ fs.NodeGetattrer = (*unsupportedFile)(nil)
)

func (f *unsupportedFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	if e := f.id.check(); e != 0 {
		return nil, 0, e
	}
	f.v.log.Info("not supported", zap.Int("pid", f.id.pid), zap.String("file", f.row.name),
		zap.Int("caller", fctx(ctx).tgid()), zap.String("why", f.why))
	return nil, 0, syscall.EOPNOTSUPP
}

// unsupportedOf makes pidTab's constructor of an unsupportedFile.
func unsupportedOf(why string) func(f *pidFile) fs.InodeEmbedder {
	return func(f *pidFile) fs.InodeEmbedder { return &unsupportedFile{pidFile: f, why: why} }
}

// Why proc, profile and kregs are not served.
const (
	whyProc    = "Plan 9's proc is the kernel's Proc structure, raw; Linux's task_struct has no stable layout to show"
	whyKregs   = "Plan 9's kregs is the process's kernel registers (a Ureg with the pc and sp its kernel side was switched out at, from its sched label); Linux shows no kernel registers of another process (ptrace gives its user registers: regs, fpregs, dbregs; /proc/PID/stack, for root, its kernel stack's functions)"
	whyNoteid  = "joining another process group (setpgid) is only for the caller or its children"
	whyProfile = "Plan 9's profile is the clock's per-instruction tick counts for the text segment; Linux keeps no such counts per process (perf samples them; eproc does not)"
)
