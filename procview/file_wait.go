package procview

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// wait: Plan 9's wait file. A read blocks until a child of the process
// exits, then returns its wait message as Plan 9's devproc formats a
// Waitmsg (`%d %lud %lud %lud %q`):
//
//	pid user sys real 'status'
//
// pid the child's (its thread-group id), user and sys the CPU time it
// used, real the time it lived, all in milliseconds, and the status
// quoted as Plan 9 quotes: '' for exit 0, else as Plan 9's pexit words it
// ("%s %lud: %s": the child's name, its pid, why), the why in Linux's
// terms: `exit N` for a non-zero exit, `killed by SIGNAME` for a signal,
// with ` (core dumped)` when it dumped core. E.g.
//
//	4242 0 1 3 'sh 4242: exit 3'
//
// One message per read (cut to the reader's buffer, as devproc's snprint
// cuts it); each open of wait gets the exits of the children that end
// from the open on, in order, each once. The read is interrupted (EINTR)
// as the reader is; an open with O_NONBLOCK reads EAGAIN while no child
// has exited. Once the process itself is gone, reads give the messages
// already queued, then ESRCH.
//
// Linux tells exits only to a parent (wait4), and the view is not the
// process's parent. It learns them from the kernel's per-task accounting,
// taskstats (a generic netlink family): a listener that registers for
// every CPU gets, from do_exit, a struct taskstats for each exiting
// task, with its parent (ac_ppid, the real parent's tgid, as wait4 sees
// it), its exit status (ac_exitcode, wait4's), its name, its user and
// system time and its elapsed time (ac_etime) — a Waitmsg's every field —
// and AGROUP in ac_flag when it is the last thread of its process: the
// process's exit. The proc connector (CN_PROC) tells exits too, but
// without times, and per thread without saying which ends the process;
// the loader's exit records cover only traced processes. Taskstats needs
// CAP_NET_ADMIN and the initial user and pid namespaces: the daemon's.
// One taskstats socket serves every open wait file, from the first open
// to the last release.
//
// Limits: a multi-threaded child's user and sys time are those of its
// last thread (taskstats aggregates only delay accounting per process);
// a message the kernel sent just before an open, still in the socket's
// buffer, may be counted as after it; and messages lost to a full socket
// buffer (ENOBUFS) are lost (the daemon logs how many times).

// waitFile is wait.
type waitFile struct {
	fs.Inode
	*pidFile
}

var (
	_ fs.NodeGetattrer = (*waitFile)(nil)
	_ fs.NodeOpener    = (*waitFile)(nil)
)

func (f *waitFile) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	c := fctx(ctx)
	if e := f.guard(c); e != 0 {
		return nil, 0, e
	}
	if flags&syscall.O_ACCMODE != syscall.O_RDONLY {
		return nil, 0, syscall.EACCES
	}
	h := &waitHandle{f: f, nonblock: flags&syscall.O_NONBLOCK != 0, ready: make(chan struct{}, 1)}
	if err := exitWatch.subscribe(f.v.log, h); err != nil {
		f.v.log.Info("wait: no taskstats", zap.Int("pid", f.id.pid), zap.Error(err))
		return nil, 0, syscall.EOPNOTSUPP
	}
	if e := f.id.check(); e != 0 {
		exitWatch.unsubscribe(h)
		return nil, 0, e
	}
	return h, fuse.FOPEN_DIRECT_IO | fuse.FOPEN_NONSEEKABLE, 0
}

// waitHandle is an open wait file: the wait messages of the process's
// children that exited since the open, not yet read.
type waitHandle struct {
	f        *waitFile
	nonblock bool
	ready    chan struct{} // a token while msgs has some

	mu   sync.Mutex
	msgs []string
}

var (
	_ fs.FileReader   = (*waitHandle)(nil)
	_ fs.FileReleaser = (*waitHandle)(nil)
)

// post queues a message (on the watcher's goroutine).
func (h *waitHandle) post(m string) {
	h.mu.Lock()
	h.msgs = append(h.msgs, m)
	h.mu.Unlock()
	select {
	case h.ready <- struct{}{}:
	default:
	}
}

func (h *waitHandle) take() (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.msgs) == 0 {
		return "", false
	}
	m := h.msgs[0]
	h.msgs = h.msgs[1:]
	if len(h.msgs) > 0 {
		select {
		case h.ready <- struct{}{}:
		default:
		}
	}
	return m, true
}

func (h *waitHandle) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	for {
		if m, ok := h.take(); ok {
			return fuse.ReadResultData([]byte(m)[:min(len(m), len(dest))]), 0
		}
		if e := h.f.id.check(); e != 0 {
			// Its children's exits were sent before its end: deliver
			// what the socket holds, then take them, or say ESRCH.
			exitWatch.drain(h.f.v.log)
			if m, ok := h.take(); ok {
				return fuse.ReadResultData([]byte(m)[:min(len(m), len(dest))]), 0
			}
			return nil, e
		}
		if h.nonblock {
			return nil, syscall.EAGAIN
		}
		// The process's own end is polled: no event says it to the
		// handle (its exit is its parent's message).
		select {
		case <-h.ready:
		case <-ctx.Done():
			return nil, syscall.EINTR
		case <-time.After(time.Second):
		}
	}
}

func (h *waitHandle) Release(ctx context.Context) syscall.Errno {
	exitWatch.unsubscribe(h)
	return 0
}

// exitWatch is the taskstats listener the open wait files share.
var exitWatch exitWatcher

type exitWatcher struct {
	mu     sync.Mutex
	subs   map[*waitHandle]bool
	fd     int // the taskstats socket, -1 or 0 while none
	family uint16
	mask   string
	stop   chan struct{}

	recv sync.Mutex // receiving and delivering (loop, drain)
	lost int        // times messages were lost (ENOBUFS), under recv
}

func (w *exitWatcher) subscribe(log *zap.Logger, h *waitHandle) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.subs == nil {
		w.subs = map[*waitHandle]bool{}
	}
	if len(w.subs) == 0 {
		fd, fam, mask, err := openTaskstats()
		if err != nil {
			return err
		}
		w.fd, w.family, w.mask = fd, fam, mask
		w.stop = make(chan struct{})
		go w.loop(log, fd, w.stop)
	}
	w.subs[h] = true
	return nil
}

func (w *exitWatcher) unsubscribe(h *waitHandle) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.subs[h] {
		return
	}
	delete(w.subs, h)
	if len(w.subs) == 0 {
		// The loop sees it within its receive timeout and closes the
		// socket (the kernel forgets a closed listener).
		close(w.stop)
		w.fd = -1
	}
}

// loop reads the socket until stop: each process's exit goes to the open
// wait files of its parent. It waits for the socket outside w.recv, and
// receives and delivers what the socket holds under it, so that drain
// (a reader about to say ESRCH) finds every message the kernel has sent
// delivered once it holds w.recv.
func (w *exitWatcher) loop(log *zap.Logger, fd int, stop chan struct{}) {
	defer unix.Close(fd)
	buf := make([]byte, 1<<16)
	for {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		_, err := unix.Poll(pfd, 500) // ms: to look at stop
		select {
		case <-stop:
			return
		default:
		}
		if err != nil && err != syscall.EINTR {
			log.Warn("wait: taskstats socket", zap.Error(err))
			return
		}
		if err := w.receive(log, fd, buf, stop); err != nil {
			log.Warn("wait: taskstats socket", zap.Error(err))
			return
		}
	}
}

// receive delivers every message the socket holds now, under w.recv.
func (w *exitWatcher) receive(log *zap.Logger, fd int, buf []byte, stop chan struct{}) error {
	w.recv.Lock()
	defer w.recv.Unlock()
	for {
		n, _, err := unix.Recvfrom(fd, buf, unix.MSG_DONTWAIT)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			return nil
		case err == syscall.ENOBUFS:
			w.lost++
			log.Warn("wait: taskstats messages lost (socket buffer full)", zap.Int("times", w.lost))
			continue
		case err != nil:
			return err
		case n == 0:
			return syscall.EIO
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			continue
		}
		for _, m := range msgs {
			if ex, ok := parseExit(m); ok {
				w.deliver(ex, stop)
			}
		}
	}
}

// drain delivers what the socket holds now: a reader whose process is
// gone calls it before ESRCH, since its children's exits were sent before
// its own end (a process is reaped after its children's exits are told).
func (w *exitWatcher) drain(log *zap.Logger) {
	w.mu.Lock()
	fd, stop := w.fd, w.stop
	w.mu.Unlock()
	if fd <= 0 {
		return
	}
	buf := make([]byte, 1<<16)
	if err := w.receive(log, fd, buf, stop); err != nil {
		log.Warn("wait: taskstats socket", zap.Error(err))
	}
}

// exit is a process's end, as taskstats tells it.
type exit struct {
	pid, ppid          int
	comm               string
	status             unix.WaitStatus
	utime, stime, real uint64 // µs
}

// deliver posts the exit to its parent's open wait files, unless the
// loop has been told to stop (a new loop may serve them already).
func (w *exitWatcher) deliver(ex exit, stop chan struct{}) {
	w.mu.Lock()
	select {
	case <-stop:
		w.mu.Unlock()
		return
	default:
	}
	var hs []*waitHandle
	for h := range w.subs {
		if h.f.id.pid == ex.ppid {
			hs = append(hs, h)
		}
	}
	w.mu.Unlock()
	if len(hs) == 0 {
		return
	}
	m := ex.waitmsg()
	for _, h := range hs {
		if !reused(h.f.id) {
			h.post(m)
		}
	}
}

// reused reports whether another process has the id's pid now: then an
// exit whose parent has that pid is not this process's child's. A process
// that is gone and whose pid nobody has keeps its children's exits, told
// after its end when the socket is read late.
func reused(id *ident) bool {
	s, err := startTime(id.pid)
	return err == nil && s != id.start
}

// waitmsg is Plan 9's wait message for the exit.
func (ex exit) waitmsg() string {
	msg := ""
	switch {
	case ex.status.Exited() && ex.status.ExitStatus() != 0:
		msg = fmt.Sprintf("%s %d: exit %d", ex.comm, ex.pid, ex.status.ExitStatus())
	case ex.status.Signaled():
		msg = fmt.Sprintf("%s %d: killed by %s", ex.comm, ex.pid, unix.SignalName(ex.status.Signal()))
		if ex.status.CoreDump() {
			msg += " (core dumped)"
		}
	}
	return fmt.Sprintf("%d %d %d %d %s", ex.pid, ex.utime/1000, ex.stime/1000, ex.real/1000, quote9(msg))
}

// agroup is AGROUP of linux/acct.h, in taskstats' ac_flag: the task is its
// process's last.
const agroup = 0x20

// parseExit reads a TASKSTATS_CMD_NEW message: a process's exit when its
// task's stats say AGROUP.
func parseExit(m syscall.NetlinkMessage) (exit, bool) {
	var ex exit
	if len(m.Data) < unix.GENL_HDRLEN || m.Data[0] != unix.TASKSTATS_CMD_NEW {
		return ex, false
	}
	var st *unix.Taskstats
	tgid := 0
	for _, a := range nlAttrs(m.Data[unix.GENL_HDRLEN:]) {
		if a.typ != unix.TASKSTATS_TYPE_AGGR_PID && a.typ != unix.TASKSTATS_TYPE_AGGR_TGID {
			continue
		}
		for _, in := range nlAttrs(a.data) {
			switch {
			case in.typ == unix.TASKSTATS_TYPE_TGID && len(in.data) >= 4:
				tgid = int(binary.NativeEndian.Uint32(in.data))
			case in.typ == unix.TASKSTATS_TYPE_STATS && a.typ == unix.TASKSTATS_TYPE_AGGR_PID:
				st = new(unix.Taskstats)
				copy(unsafe.Slice((*byte)(unsafe.Pointer(st)), unsafe.Sizeof(*st)), in.data)
			}
		}
	}
	if st == nil || st.Ac_flag&agroup == 0 {
		return ex, false
	}
	ex.pid = int(st.Ac_pid)
	if st.Ac_tgid != 0 {
		ex.pid = int(st.Ac_tgid)
	} else if tgid != 0 {
		ex.pid = tgid
	}
	ex.ppid = int(st.Ac_ppid)
	var comm []byte
	for _, c := range st.Ac_comm {
		if c == 0 {
			break
		}
		comm = append(comm, byte(c))
	}
	ex.comm = string(comm)
	ex.status = unix.WaitStatus(st.Ac_exitcode)
	ex.utime, ex.stime, ex.real = st.Ac_utime, st.Ac_stime, st.Ac_etime
	return ex, true
}

type nlAttr struct {
	typ  uint16
	data []byte
}

// nlAttrs splits netlink attributes (struct nlattr, 4-byte aligned).
func nlAttrs(b []byte) []nlAttr {
	var as []nlAttr
	for len(b) >= 4 {
		l := int(binary.NativeEndian.Uint16(b))
		t := binary.NativeEndian.Uint16(b[2:]) & 0x3fff // less NLA_F_NESTED, NLA_F_NET_BYTEORDER
		if l < 4 || l > len(b) {
			break
		}
		as = append(as, nlAttr{t, b[4:l]})
		al := (l + 3) &^ 3
		if al > len(b) {
			break
		}
		b = b[al:]
	}
	return as
}

func nlAttrBytes(typ uint16, data []byte) []byte {
	l := 4 + len(data)
	b := make([]byte, (l+3)&^3)
	binary.NativeEndian.PutUint16(b, uint16(l))
	binary.NativeEndian.PutUint16(b[2:], typ)
	copy(b[4:], data)
	return b
}

// genlRequest sends a generic netlink request and returns the reply's
// payload (after the genl header); an error reply is its errno.
func genlRequest(fd int, family uint16, cmd uint8, attrs []byte) ([]byte, error) {
	hdr := unix.NlMsghdr{
		Len:   uint32(unix.NLMSG_HDRLEN + unix.GENL_HDRLEN + len(attrs)),
		Type:  family,
		Flags: unix.NLM_F_REQUEST | unix.NLM_F_ACK,
		Seq:   1,
	}
	msg := make([]byte, 0, hdr.Len)
	msg = append(msg, unsafe.Slice((*byte)(unsafe.Pointer(&hdr)), unix.SizeofNlMsghdr)...)
	msg = append(msg, cmd, 1, 0, 0) // genlmsghdr: cmd, version
	msg = append(msg, attrs...)
	if err := unix.Sendto(fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, err
	}
	var payload []byte
	buf := make([]byte, 1<<16)
	for {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			return nil, err
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			switch m.Header.Type {
			case unix.NLMSG_ERROR:
				if len(m.Data) >= 4 {
					if e := int32(binary.NativeEndian.Uint32(m.Data)); e != 0 {
						return nil, syscall.Errno(-e)
					}
				}
				return payload, nil // the ack
			case family:
				if len(m.Data) >= unix.GENL_HDRLEN {
					payload = append([]byte(nil), m.Data[unix.GENL_HDRLEN:]...)
				}
			}
		}
	}
}

// openTaskstats opens a generic netlink socket registered as taskstats'
// listener on every CPU: its family id, and the CPU mask it registered.
func openTaskstats() (int, uint16, string, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_GENERIC)
	if err != nil {
		return -1, 0, "", err
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return -1, 0, "", err
	}
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 4<<20)
	tv := unix.NsecToTimeval(int64(500 * time.Millisecond))
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	reply, err := genlRequest(fd, unix.GENL_ID_CTRL, unix.CTRL_CMD_GETFAMILY,
		nlAttrBytes(unix.CTRL_ATTR_FAMILY_NAME, []byte("TASKSTATS\x00")))
	if err != nil {
		unix.Close(fd)
		return -1, 0, "", fmt.Errorf("taskstats family: %w", err)
	}
	var family uint16
	for _, a := range nlAttrs(reply) {
		if a.typ == unix.CTRL_ATTR_FAMILY_ID && len(a.data) >= 2 {
			family = binary.NativeEndian.Uint16(a.data)
		}
	}
	if family == 0 {
		unix.Close(fd)
		return -1, 0, "", fmt.Errorf("taskstats family: no id")
	}
	// Every CPU that may ever run a task: the kernel refuses a mask
	// beyond the possible ones.
	mask := fmt.Sprintf("0-%d", runtime.NumCPU()-1)
	if b, err := os.ReadFile("/sys/devices/system/cpu/possible"); err == nil {
		mask = strings.TrimSpace(string(b))
	}
	if _, err := genlRequest(fd, family, unix.TASKSTATS_CMD_GET,
		nlAttrBytes(unix.TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, append([]byte(mask), 0))); err != nil {
		unix.Close(fd)
		return -1, 0, "", fmt.Errorf("taskstats register %s: %w", mask, err)
	}
	return fd, family, mask, nil
}
