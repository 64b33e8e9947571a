package procview

import (
	"strconv"
	"sync/atomic"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"golang.org/x/sys/unix"
)

// The view counts the requests it answers, by FUSE operation, and those it
// answers with an error, by operation and errno: countingFS sits between
// go-fuse's server and the node bridge, so every request passes through
// it, whichever node answers. A request costs two atomic adds at most.

// fuseOp numbers the operations counted.
type fuseOp int

const (
	opLookup fuseOp = iota
	opForget
	opGetattr
	opSetattr
	opMknod
	opMkdir
	opUnlink
	opRmdir
	opRename
	opLink
	opSymlink
	opReadlink
	opAccess
	opGetxattr
	opListxattr
	opSetxattr
	opRemovexattr
	opCreate
	opTmpfile
	opOpen
	opRead
	opLseek
	opGetlk
	opSetlk
	opSetlkw
	opRelease
	opWrite
	opCopyFileRange
	opIoctl
	opFlush
	opFsync
	opFallocate
	opOpendir
	opReaddir
	opReaddirplus
	opReleasedir
	opFsyncdir
	opStatfs
	opStatx
	nFuseOps
)

// fuseOpNames are the operations' names, as the FUSE protocol's opcodes
// (FUSE_LOOKUP ...) in lower case; rename counts RENAME and RENAME2, write
// go-fuse's vectored writes too.
var fuseOpNames = [nFuseOps]string{
	"lookup", "forget", "getattr", "setattr", "mknod", "mkdir", "unlink", "rmdir", "rename", "link",
	"symlink", "readlink", "access", "getxattr", "listxattr", "setxattr", "removexattr", "create", "tmpfile", "open",
	"read", "lseek", "getlk", "setlk", "setlkw", "release", "write", "copy_file_range", "ioctl", "flush",
	"fsync", "fallocate", "opendir", "readdir", "readdirplus", "releasedir", "fsyncdir", "statfs", "statx",
}

// maxErrno bounds the errnos counted one by one (Linux's highest is
// EHWPOISON, 133); a status outside 1..maxErrno-1 is counted as "other".
const maxErrno = 134

// fuseCounts are the view's request counters.
type fuseCounts struct {
	ops  [nFuseOps]atomic.Uint64
	errs [nFuseOps][maxErrno + 1]atomic.Uint64 // [maxErrno]: other
}

func (c *fuseCounts) count(op fuseOp, st fuse.Status) fuse.Status {
	c.ops[op].Add(1)
	if st != fuse.OK {
		i := int(st)
		if i <= 0 || i >= maxErrno {
			i = maxErrno
		}
		c.errs[op][i].Add(1)
	}
	return st
}

// FuseOpCount is how many requests of one operation the view answered.
type FuseOpCount struct {
	Op    string
	Count uint64
}

// FuseErrCount is how many requests of one operation the view answered
// with one errno (its name, as ENOENT; "other" for a status that is no
// errno).
type FuseErrCount struct {
	Op, Errno string
	Count     uint64
}

// snapshot lists the operations and the (operation, errno) pairs counted
// at least once.
func (c *fuseCounts) snapshot() (ops []FuseOpCount, errs []FuseErrCount) {
	for op := range c.ops {
		n := c.ops[op].Load()
		if n == 0 {
			continue
		}
		ops = append(ops, FuseOpCount{Op: fuseOpNames[op], Count: n})
		for e := range c.errs[op] {
			if m := c.errs[op][e].Load(); m > 0 {
				errs = append(errs, FuseErrCount{Op: fuseOpNames[op], Errno: errnoName(e), Count: m})
			}
		}
	}
	return ops, errs
}

// errnoName names errno e as <errno.h> does, its number when it has no
// name, "other" for the bucket of statuses that are no errno.
func errnoName(e int) string {
	if e >= maxErrno {
		return "other"
	}
	if n := unix.ErrnoName(unix.Errno(e)); n != "" {
		return n
	}
	return strconv.Itoa(e)
}

// countingFS counts each request, then hands it to the file system.
type countingFS struct {
	fuse.RawFileSystem
	c *fuseCounts
}

func (f *countingFS) Lookup(cancel <-chan struct{}, h *fuse.InHeader, name string, out *fuse.EntryOut) fuse.Status {
	st := f.RawFileSystem.Lookup(cancel, h, name, out)
	if st == fuse.OK && out.NodeId == 0 {
		// A negative entry (go-fuse answers ENOENT so when the view
		// has a NegativeTimeout): the caller gets ENOENT.
		f.c.count(opLookup, fuse.ENOENT)
		return st
	}
	return f.c.count(opLookup, st)
}

func (f *countingFS) Forget(nodeid, nlookup uint64) {
	f.c.count(opForget, fuse.OK)
	f.RawFileSystem.Forget(nodeid, nlookup)
}

func (f *countingFS) GetAttr(cancel <-chan struct{}, in *fuse.GetAttrIn, out *fuse.AttrOut) fuse.Status {
	return f.c.count(opGetattr, f.RawFileSystem.GetAttr(cancel, in, out))
}

func (f *countingFS) SetAttr(cancel <-chan struct{}, in *fuse.SetAttrIn, out *fuse.AttrOut) fuse.Status {
	return f.c.count(opSetattr, f.RawFileSystem.SetAttr(cancel, in, out))
}

func (f *countingFS) Mknod(cancel <-chan struct{}, in *fuse.MknodIn, name string, out *fuse.EntryOut) fuse.Status {
	return f.c.count(opMknod, f.RawFileSystem.Mknod(cancel, in, name, out))
}

func (f *countingFS) Mkdir(cancel <-chan struct{}, in *fuse.MkdirIn, name string, out *fuse.EntryOut) fuse.Status {
	return f.c.count(opMkdir, f.RawFileSystem.Mkdir(cancel, in, name, out))
}

func (f *countingFS) Unlink(cancel <-chan struct{}, h *fuse.InHeader, name string) fuse.Status {
	return f.c.count(opUnlink, f.RawFileSystem.Unlink(cancel, h, name))
}

func (f *countingFS) Rmdir(cancel <-chan struct{}, h *fuse.InHeader, name string) fuse.Status {
	return f.c.count(opRmdir, f.RawFileSystem.Rmdir(cancel, h, name))
}

func (f *countingFS) Rename(cancel <-chan struct{}, in *fuse.RenameIn, oldName, newName string) fuse.Status {
	return f.c.count(opRename, f.RawFileSystem.Rename(cancel, in, oldName, newName))
}

func (f *countingFS) Link(cancel <-chan struct{}, in *fuse.LinkIn, name string, out *fuse.EntryOut) fuse.Status {
	return f.c.count(opLink, f.RawFileSystem.Link(cancel, in, name, out))
}

func (f *countingFS) Symlink(cancel <-chan struct{}, h *fuse.InHeader, to, name string, out *fuse.EntryOut) fuse.Status {
	return f.c.count(opSymlink, f.RawFileSystem.Symlink(cancel, h, to, name, out))
}

func (f *countingFS) Readlink(cancel <-chan struct{}, h *fuse.InHeader) ([]byte, fuse.Status) {
	b, st := f.RawFileSystem.Readlink(cancel, h)
	return b, f.c.count(opReadlink, st)
}

func (f *countingFS) Access(cancel <-chan struct{}, in *fuse.AccessIn) fuse.Status {
	return f.c.count(opAccess, f.RawFileSystem.Access(cancel, in))
}

func (f *countingFS) GetXAttr(cancel <-chan struct{}, h *fuse.InHeader, attr string, dest []byte) (uint32, fuse.Status) {
	n, st := f.RawFileSystem.GetXAttr(cancel, h, attr, dest)
	return n, f.c.count(opGetxattr, st)
}

func (f *countingFS) ListXAttr(cancel <-chan struct{}, h *fuse.InHeader, dest []byte) (uint32, fuse.Status) {
	n, st := f.RawFileSystem.ListXAttr(cancel, h, dest)
	return n, f.c.count(opListxattr, st)
}

func (f *countingFS) SetXAttr(cancel <-chan struct{}, in *fuse.SetXAttrIn, attr string, data []byte) fuse.Status {
	return f.c.count(opSetxattr, f.RawFileSystem.SetXAttr(cancel, in, attr, data))
}

func (f *countingFS) RemoveXAttr(cancel <-chan struct{}, h *fuse.InHeader, attr string) fuse.Status {
	return f.c.count(opRemovexattr, f.RawFileSystem.RemoveXAttr(cancel, h, attr))
}

func (f *countingFS) Create(cancel <-chan struct{}, in *fuse.CreateIn, name string, out *fuse.CreateOut) fuse.Status {
	return f.c.count(opCreate, f.RawFileSystem.Create(cancel, in, name, out))
}

func (f *countingFS) Tmpfile(cancel <-chan struct{}, in *fuse.CreateIn, out *fuse.CreateOut) fuse.Status {
	return f.c.count(opTmpfile, f.RawFileSystem.Tmpfile(cancel, in, out))
}

func (f *countingFS) Open(cancel <-chan struct{}, in *fuse.OpenIn, out *fuse.OpenOut) fuse.Status {
	return f.c.count(opOpen, f.RawFileSystem.Open(cancel, in, out))
}

func (f *countingFS) Read(cancel <-chan struct{}, in *fuse.ReadIn, buf []byte) (fuse.ReadResult, fuse.Status) {
	r, st := f.RawFileSystem.Read(cancel, in, buf)
	return r, f.c.count(opRead, st)
}

func (f *countingFS) Lseek(cancel <-chan struct{}, in *fuse.LseekIn, out *fuse.LseekOut) fuse.Status {
	return f.c.count(opLseek, f.RawFileSystem.Lseek(cancel, in, out))
}

func (f *countingFS) GetLk(cancel <-chan struct{}, in *fuse.LkIn, out *fuse.LkOut) fuse.Status {
	return f.c.count(opGetlk, f.RawFileSystem.GetLk(cancel, in, out))
}

func (f *countingFS) SetLk(cancel <-chan struct{}, in *fuse.LkIn) fuse.Status {
	return f.c.count(opSetlk, f.RawFileSystem.SetLk(cancel, in))
}

func (f *countingFS) SetLkw(cancel <-chan struct{}, in *fuse.LkIn) fuse.Status {
	return f.c.count(opSetlkw, f.RawFileSystem.SetLkw(cancel, in))
}

func (f *countingFS) Release(cancel <-chan struct{}, in *fuse.ReleaseIn) {
	f.c.count(opRelease, fuse.OK)
	f.RawFileSystem.Release(cancel, in)
}

func (f *countingFS) Write(cancel <-chan struct{}, in *fuse.WriteIn, data []byte) (uint32, fuse.Status) {
	n, st := f.RawFileSystem.Write(cancel, in, data)
	return n, f.c.count(opWrite, st)
}

func (f *countingFS) Writev(cancel <-chan struct{}, in *fuse.WriteIn, data [][]byte) (uint32, fuse.Status) {
	n, st := f.RawFileSystem.Writev(cancel, in, data)
	return n, f.c.count(opWrite, st)
}

func (f *countingFS) CopyFileRange(cancel <-chan struct{}, in *fuse.CopyFileRangeIn) (uint32, fuse.Status) {
	n, st := f.RawFileSystem.CopyFileRange(cancel, in)
	return n, f.c.count(opCopyFileRange, st)
}

func (f *countingFS) Ioctl(cancel <-chan struct{}, in *fuse.IoctlIn, inbuf []byte, out *fuse.IoctlOut, outbuf []byte) fuse.Status {
	return f.c.count(opIoctl, f.RawFileSystem.Ioctl(cancel, in, inbuf, out, outbuf))
}

func (f *countingFS) Flush(cancel <-chan struct{}, in *fuse.FlushIn) fuse.Status {
	return f.c.count(opFlush, f.RawFileSystem.Flush(cancel, in))
}

func (f *countingFS) Fsync(cancel <-chan struct{}, in *fuse.FsyncIn) fuse.Status {
	return f.c.count(opFsync, f.RawFileSystem.Fsync(cancel, in))
}

func (f *countingFS) Fallocate(cancel <-chan struct{}, in *fuse.FallocateIn) fuse.Status {
	return f.c.count(opFallocate, f.RawFileSystem.Fallocate(cancel, in))
}

func (f *countingFS) OpenDir(cancel <-chan struct{}, in *fuse.OpenIn, out *fuse.OpenOut) fuse.Status {
	return f.c.count(opOpendir, f.RawFileSystem.OpenDir(cancel, in, out))
}

func (f *countingFS) ReadDir(cancel <-chan struct{}, in *fuse.ReadIn, out *fuse.DirEntryList) fuse.Status {
	return f.c.count(opReaddir, f.RawFileSystem.ReadDir(cancel, in, out))
}

func (f *countingFS) ReadDirPlus(cancel <-chan struct{}, in *fuse.ReadIn, out *fuse.DirEntryList) fuse.Status {
	return f.c.count(opReaddirplus, f.RawFileSystem.ReadDirPlus(cancel, in, out))
}

func (f *countingFS) ReleaseDir(in *fuse.ReleaseIn) {
	f.c.count(opReleasedir, fuse.OK)
	f.RawFileSystem.ReleaseDir(in)
}

func (f *countingFS) FsyncDir(cancel <-chan struct{}, in *fuse.FsyncIn) fuse.Status {
	return f.c.count(opFsyncdir, f.RawFileSystem.FsyncDir(cancel, in))
}

func (f *countingFS) StatFs(cancel <-chan struct{}, h *fuse.InHeader, out *fuse.StatfsOut) fuse.Status {
	return f.c.count(opStatfs, f.RawFileSystem.StatFs(cancel, h, out))
}

func (f *countingFS) Statx(cancel <-chan struct{}, in *fuse.StatxIn, out *fuse.StatxOut) fuse.Status {
	return f.c.count(opStatx, f.RawFileSystem.Statx(cancel, in, out))
}

// mountCounted is fs.Mount with the requests counted in c.
func mountCounted(dir string, root fs.InodeEmbedder, opts *fs.Options, c *fuseCounts) (*fuse.Server, error) {
	raw := &countingFS{RawFileSystem: fs.NewNodeFS(root, opts), c: c}
	server, err := fuse.NewServer(raw, dir, &opts.MountOptions)
	if err != nil {
		return nil, err
	}
	go server.Serve()
	if err := server.WaitMount(); err != nil {
		return nil, err
	}
	return server, nil
}
