package procview

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/strace"
	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// procRoot is the /proc the view mirrors.
const procRoot = "/proc"

// View is a mounted proc view.
type View struct {
	dir    string
	eng    *loader.Engine
	log    *zap.Logger
	server *fuse.Server

	mu      sync.Mutex
	streams map[uint32]*stream // by session id
	ended   map[int]*stream    // ended, not read to the end, by root pid
	stop    chan struct{}
	closed  bool

	extraSink func(SessionInfo) strace.Sink // Options.ExtraSink

	forget    chan struct{} // kicks forgetLoop
	forgotten chan struct{} // closed when it returns
	sweeps    atomic.Int32  // kicks taken by forget and not yet swept

	root    *rootNode
	opt     Options
	dead    []*deadRec   // dead/: recorded processes that are gone, oldest first
	fuseOps fuseCounts   // requests answered (fuseops.go)
	tally   sessionTally // sessions live and ended, for metrics (stats.go); under mu
	dbg     debugTab     // processes under attach (ptrace.go)
}

// Options configure Mount.
type Options struct {
	Log   *zap.Logger
	Debug bool // log every FUSE request
	// The flight recorder (record.go): bytes a recording session keeps
	// (0: DefaultRecordSize), and how long (DeadKeep) and how many
	// (DeadMax) records of processes that are gone stay under dead/.
	RecordSize int
	DeadKeep   time.Duration
	DeadMax    int
	// ExtraSink, when set, is asked for one more output of each
	// session's events, beside the text its strace file serves (an OTLP
	// exporter's); nil from it: none. The sink is handed the same events
	// as the text, from the session's reader: it must not block. With it
	// set, sessions timestamp their records (a clock read per call).
	ExtraSink func(SessionInfo) strace.Sink
}

// SessionInfo tells an ExtraSink which session it serves.
type SessionInfo struct {
	ID  uint32 // the loader's session id
	Pid int    // the process it was started on
	UID uint32 // who started it
}

// Mount serves a proc view at dir with the given engine (whose capture
// plans are set). A stale mount left at dir by a killed daemon is cleared
// first.
func Mount(dir string, eng *loader.Engine, opt Options) (*View, error) {
	log := opt.Log
	if log == nil {
		log = zap.NewNop()
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := recoverStale(dir, log); err != nil {
		return nil, err
	}
	if opt.RecordSize <= 0 {
		opt.RecordSize = DefaultRecordSize
	}
	if opt.RecordSize < loader.MinRecord {
		return nil, fmt.Errorf("record size %d: at least %d", opt.RecordSize, loader.MinRecord)
	}
	if opt.DeadKeep <= 0 {
		opt.DeadKeep = DefaultDeadKeep
	}
	if opt.DeadMax <= 0 {
		opt.DeadMax = DefaultDeadMax
	}
	v := &View{dir: dir, eng: eng, log: log, streams: map[uint32]*stream{}, ended: map[int]*stream{}, stop: make(chan struct{}),
		forget: make(chan struct{}, 1), forgotten: make(chan struct{}), opt: opt, extraSink: opt.ExtraSink}
	zero := time.Duration(0)
	root := &rootNode{v: v}
	// go-fuse opens /dev/fuse without O_CLOEXEC: a child forked meanwhile
	// would hold the connection open, and with it hang every access after
	// the daemon dies. No fork may happen until the descriptor is marked.
	syscall.ForkLock.Lock()
	defer syscall.ForkLock.Unlock()
	server, err := mountCounted(dir, root, &fs.Options{
		EntryTimeout:    &zero,
		AttrTimeout:     &zero,
		NegativeTimeout: &zero,
		MountOptions: fuse.MountOptions{
			AllowOther:  true,
			DirectMount: true,
			// Never fall back to fusermount: that forks, under
			// ForkLock.
			DirectMountStrict: true,
			FsName:            "eproc",
			Name:              "eproc",
			Debug:             opt.Debug,
			MaxReadAhead:      128 << 10,
			// The kernel checks the permission bits, as /proc's
			// own; the ptrace rule is checked on open.
			Options: []string{"default_permissions"},
		},
	}, &v.fuseOps)
	if err != nil {
		return nil, fmt.Errorf("mount %s: %w", dir, err)
	}
	v.server = server
	closeOnExecFuse()
	v.root = root
	go v.forgetLoop(root)
	return v, nil
}

// The kernel keeps the node of every file looked up in its inode cache
// until memory runs short, and the daemon keeps its own with it: ~1 KiB for
// every process ever looked at (sessions on 1,000 new processes grew the
// heap by 1 MiB). So after a session ends, or a process directory is
// looked up, forgetLoop asks the kernel to forget the nodes of processes
// that have exited (those not in use: an open directory still reads
// ESRCH). Linux 6.16 and later can be asked (FUSE_NOTIFY_PRUNE); before,
// the nodes go when the kernel reclaims its cache.
func (v *View) forgetLoop(root *rootNode) {
	defer close(v.forgotten)
	for {
		select {
		case <-v.forget:
		case <-v.stop:
			return
		}
		if !v.canForget() {
			v.sweeps.Add(-1)
			continue
		}
		var dead []*fs.Inode
		for _, n := range root.Children() {
			if d, ok := n.Operations().(*pidDir); ok && d.id.check() != 0 {
				dead = subtree(dead, n)
			}
		}
		if len(dead) > 0 {
			if e := root.NotifyPrune(dead); e != 0 {
				v.log.Debug("prune", zap.Int("nodes", len(dead)), zap.Error(e))
			}
		}
		v.sweeps.Add(-1)
		select { // at most 10 sweeps a second: ps looks up every process
		case <-time.After(100 * time.Millisecond):
		case <-v.stop:
			return
		}
	}
}

// canForget says whether the kernel can be asked to forget nodes.
func (v *View) canForget() bool {
	return v.server.KernelSettings().SupportsNotify(fuse.NOTIFY_PRUNE)
}

// subtree appends n's descendants, then n.
func subtree(out []*fs.Inode, n *fs.Inode) []*fs.Inode {
	for _, c := range n.Children() {
		out = subtree(out, c)
	}
	return append(out, n)
}

// forgetDead has forgetLoop run soon.
func (v *View) forgetDead() {
	select {
	case v.forget <- struct{}{}:
		v.sweeps.Add(1)
	default:
	}
}

// Dir is the mount point.
func (v *View) Dir() string { return v.dir }

// Wait blocks until the file system is unmounted.
func (v *View) Wait() { v.server.Wait() }

// Close ends every session (their readers get the rest and the hang-up
// line), then unmounts.
func (v *View) Close() error {
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return nil
	}
	v.closed = true
	v.mu.Unlock()
	v.detachAll() // processes under attach continue
	v.mu.Lock()
	var ss []*stream
	for _, st := range v.streams {
		ss = append(ss, st)
	}
	v.mu.Unlock()
	for _, st := range ss {
		st.sess.Close()
	}
	// Readers get the rest, within one bound for all sessions: a reader
	// that stopped reading holds its session's text back until then
	// (waiting 5 s for each such session in turn made shutdown take
	// minutes); after it, stop lets their streams end at once.
	deadline := time.Now().Add(5 * time.Second)
	stopped := false
	for _, st := range ss {
		select {
		case <-st.ended:
			continue
		case <-time.After(time.Until(deadline)):
		}
		if !stopped {
			close(v.stop)
			stopped = true
		}
		select {
		case <-st.ended:
		case <-time.After(2 * time.Second):
			v.log.Warn("session did not end", zap.Uint32("session", st.sess.ID()))
		}
	}
	if !stopped {
		close(v.stop)
	}
	<-v.forgotten
	err := v.server.Unmount()
	if err != nil {
		// Readers still hold files open: detach the mount lazily.
		if uerr := unix.Unmount(v.dir, unix.MNT_DETACH); uerr == nil {
			err = nil
		}
	}
	return err
}

// closeOnExecFuse marks every descriptor of /dev/fuse close-on-exec.
func closeOnExecFuse() {
	ents, _ := os.ReadDir("/proc/self/fd")
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if l, _ := os.Readlink("/proc/self/fd/" + e.Name()); l == "/dev/fuse" {
			unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC)
		}
	}
}

// recoverStale unmounts a dead FUSE mount at dir (its daemon was killed:
// every access fails with ENOTCONN). A live mount is left alone: that is
// an error.
func recoverStale(dir string, log *zap.Logger) error {
	var st unix.Stat_t
	err := unix.Stat(dir, &st)
	switch {
	case err == nil:
		if isEprocMount(dir) {
			return fmt.Errorf("%s: an eproc view is already served there", dir)
		}
		return nil
	case errors.Is(err, unix.ENOTCONN) || errors.Is(err, unix.ECONNABORTED):
		if uerr := unix.Unmount(dir, unix.MNT_DETACH); uerr != nil {
			return fmt.Errorf("%s: stale mount: %w", dir, uerr)
		}
		log.Info("recovered stale mount", zap.String("dir", dir))
		return nil
	case errors.Is(err, unix.ENOENT):
		return os.MkdirAll(dir, 0o755)
	default:
		return err
	}
}

// isEprocMount reports whether dir is the mount point of an eproc view.
func isEprocMount(dir string) bool {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 10 || unescapeMount(f[4]) != dir {
			continue
		}
		for i := 6; i < len(f)-2; i++ {
			if f[i] == "-" && strings.HasPrefix(f[i+1], "fuse") && f[i+2] == "eproc" {
				return true
			}
		}
	}
	return false
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space ...).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
