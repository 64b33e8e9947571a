package main

// eproc mount's side of the hand-off (handoff.go): it serves eproc trace's
// sessions in the programs it has loaded.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"sync"
	"time"

	"go.uber.org/zap"
	"golang.org/x/sys/unix"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/procview"
	"github.com/eproc/eproc/strace"
)

// traceServer serves eproc trace's sessions on a unix socket.
type traceServer struct {
	eng  *loader.Engine
	log  *zap.Logger
	ln   *net.UnixListener
	path string

	mu     sync.Mutex
	closed bool
	live   map[*loader.Session]bool
	wg     sync.WaitGroup
}

// serveTraces listens at path, a socket anyone may connect to (each
// request is checked against its sender's credentials), and serves until
// Close. A path another daemon answers at is left to it.
func serveTraces(path string, eng *loader.Engine, log *zap.Logger) (*traceServer, error) {
	addr := &net.UnixAddr{Name: path, Net: "unixpacket"}
	if c, err := net.DialUnix("unixpacket", nil, addr); err == nil {
		c.Close()
		return nil, fmt.Errorf("another daemon serves %s", path)
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSocket != 0 {
		os.Remove(path) // a killed daemon's
	}
	ln, err := net.ListenUnix("unixpacket", addr)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o666); err != nil {
		ln.Close()
		return nil, err
	}
	s := &traceServer{eng: eng, log: log, ln: ln, path: path, live: map[*loader.Session]bool{}}
	go s.accept()
	return s, nil
}

func (s *traceServer) accept() {
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("trace socket", zap.Error(err))
			}
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.serve(c)
		}()
	}
}

// Close stops serving, removes the socket and ends every session it
// serves, waiting a while for them to hand over their end.
func (s *traceServer) Close() {
	s.mu.Lock()
	s.closed = true
	for sess := range s.live {
		sess.Close()
	}
	s.mu.Unlock()
	s.ln.Close() // removes the socket
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.log.Warn("trace sessions still ending")
	}
}

// peer is who sent a request: SO_PEERCRED's, when it connected.
type peer struct {
	pid      int
	uid, gid uint32
}

func peerOf(c *net.UnixConn) (peer, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return peer{}, err
	}
	var cred *unix.Ucred
	var gerr error
	if err := raw.Control(func(fd uintptr) {
		cred, gerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return peer{}, err
	}
	if gerr != nil {
		return peer{}, gerr
	}
	return peer{pid: int(cred.Pid), uid: cred.Uid, gid: cred.Gid}, nil
}

// request reads the client's request and the files it sent.
func readRequest(c *net.UnixConn) (req handoffRequest, files []*os.File, err error) {
	buf := make([]byte, 64<<10)
	oob := make([]byte, unix.CmsgSpace(8*4))
	n, oobn, flags, _, err := c.ReadMsgUnix(buf, oob)
	if err != nil {
		return req, nil, err
	}
	if scms, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil {
		for _, scm := range scms {
			fds, err := unix.ParseUnixRights(&scm)
			if err != nil {
				continue
			}
			for _, fd := range fds {
				unix.CloseOnExec(fd)
				files = append(files, os.NewFile(uintptr(fd), "client"))
			}
		}
	}
	switch {
	case n == 0:
		return req, files, errors.New("connection closed")
	case flags&(unix.MSG_TRUNC|unix.MSG_CTRUNC) != 0:
		return req, files, errors.New("request truncated")
	}
	return req, files, json.Unmarshal(buf[:n], &req)
}

// serve serves one client: one session.
func (s *traceServer) serve(c *net.UnixConn) {
	p, err := peerOf(c)
	if err != nil {
		s.log.Warn("trace client", zap.Error(err))
		return
	}
	req, files, err := readRequest(c)
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	if err != nil {
		if err.Error() != "connection closed" { // another daemon's probe
			s.log.Warn("trace request", zap.Int("peer", p.pid), zap.Error(err))
		}
		return
	}
	o, why := s.check(req, files)
	if why != "" {
		s.log.Info("trace declined", zap.Int("peer", p.pid), zap.String("why", why))
		writeHandoff(c, handoffMsg{Decline: why})
		return
	}
	fail := func(msg string) {
		s.log.Info("trace refused", zap.Int("peer", p.pid), zap.Uint32("uid", p.uid), zap.String("error", msg))
		writeHandoff(c, handoffMsg{Error: msg})
		writeHandoff(c, handoffMsg{End: true})
	}
	view, err := peerView(p)
	if err != nil {
		fail(err.Error())
		return
	}
	if view != nil && !req.Spawn {
		// -p's pids are the client's namespace's: not served.
		why := "-p from another pid namespace is not served"
		s.log.Info("trace declined", zap.Int("peer", p.pid), zap.String("why", why))
		writeHandoff(c, handoffMsg{Decline: why})
		return
	}
	o.pidView = view
	privileged, msg := authorize(p, req, o)
	if msg != "" {
		fail(msg)
		return
	}
	t, err := s.newServed(c, p, o, files, privileged)
	if err != nil {
		fail(err.Error())
		return
	}
	defer s.track(t.sess, false)
	if t.start(req.Spawn) {
		t.run()
	}
}

// authorize says whether the client may trace whom the session traces:
// the client's own command (forked by the client itself, so its
// children), or -p's processes; privileged when it may trace them as a
// privileged tracer, msg why not when it may not.
func authorize(p peer, req handoffRequest, o *traceOpts) (privileged bool, msg string) {
	targets := o.pids
	if req.Spawn {
		targets = []int{p.pid}
	}
	privileged = true
	for _, t := range targets {
		priv, err := procview.PeerMayPtrace(p.pid, p.uid, p.gid, t)
		if err != nil {
			return false, fmt.Sprintf("attach: pid %d: %v", t, err)
		}
		privileged = privileged && priv
	}
	return privileged, ""
}

// servedTrace is one client's session, served.
type servedTrace struct {
	c            *net.UnixConn
	p            peer
	o            *traceOpts
	sess         *loader.Session
	dec          *strace.Decoder
	outs         *traceOuts
	log          *zap.Logger
	unprivileged bool
	// neverWaits: every file the decoder writes lines to is a regular file
	// or /dev/null, which take writes without waiting for a reader.
	neverWaits bool
}

// noWait is a served session's decoder when its outputs never wait
// (neverWaits): the session's reader then decodes as it reads while it
// keeps up (loader.Roomy), no spool between; one whose lines go to a
// pipe or a terminal goes through the spool, so that a slow reader there
// holds up the spool, not the ring.
type noWait struct{ *strace.Decoder }

func (noWait) Roomy() bool { return true }

// handler is what the session's records go to.
func (t *servedTrace) handler() loader.Handler {
	if t.neverWaits {
		return noWait{t.dec}
	}
	return t.dec
}

// neverWaits says whether f takes writes without waiting for a reader: a
// regular file on a local file system (localFS), or /dev/null. A write
// to NFS, SMB, a FUSE file system... waits on a server, for seconds when
// it is slow, and the session's reader, decoding directly, would stop
// draining the ring meanwhile: such an output goes through the spool,
// which takes up to its size of records first.
func neverWaits(f *os.File) bool {
	var st unix.Stat_t
	if unix.Fstat(int(f.Fd()), &st) != nil {
		return false
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
		var fs unix.Statfs_t
		return unix.Fstatfs(int(f.Fd()), &fs) == nil && localFS[int64(fs.Type)]
	case unix.S_IFCHR:
		return unix.Major(st.Rdev) == 1 && unix.Minor(st.Rdev) == 3
	}
	return false
}

// localFS are the file systems (statfs's f_type) whose writes wait for
// this machine's memory and disks only; any other (network, FUSE, one
// not listed) is taken to wait for more. overlayfs: a container's root,
// its upper layer a local disk's.
var localFS = map[int64]bool{
	unix.EXT4_SUPER_MAGIC: true, unix.XFS_SUPER_MAGIC: true, unix.BTRFS_SUPER_MAGIC: true,
	unix.TMPFS_MAGIC: true, unix.RAMFS_MAGIC: true, unix.OVERLAYFS_SUPER_MAGIC: true,
	unix.F2FS_SUPER_MAGIC: true, unix.BCACHEFS_SUPER_MAGIC: true, unix.EXFAT_SUPER_MAGIC: true,
	unix.MSDOS_SUPER_MAGIC: true, unix.NILFS_SUPER_MAGIC: true, unix.REISERFS_SUPER_MAGIC: true,
	0x2fc12fc1: true, // ZFS (not in x/sys/unix)
}

// newServed makes the session, and the decoder and sinks eproc trace
// makes, writing to the files the client sent; the session is tracked
// (ended by Close) until serve untracks it.
func (s *traceServer) newServed(c *net.UnixConn, p peer, o *traceOpts, files []*os.File, privileged bool) (*servedTrace, error) {
	nrs, _ := strace.ParseFilter(o.filter) // check made sure it parses
	cfg := o.sessionConfig(nrs)
	cfg.RingSize = o.ring
	cfg.Unprivileged = !privileged
	sess, err := s.eng.NewSession(cfg)
	if err != nil {
		return nil, err
	}
	outs := &traceOuts{main: newTraceOut(files[0])}
	quiet := neverWaits(files[0])
	if o.out != "" {
		outs.main = newTraceOut(files[1])
		quiet = neverWaits(files[1])
	}
	if o.jsonOut != "" {
		outs.json = newTraceOut(files[len(files)-1])
		quiet = quiet && neverWaits(files[len(files)-1])
	}
	if len(o.injects) > 0 {
		// The client's supervisor injects; the text tells which calls
		// it did by its rules (inject.go).
		o.injectNrs()
		o.injected.rules = o.injects
	}
	dec := o.decoder(outs, sess, files[0])
	if !s.track(sess, true) {
		sess.Close()
	}
	log := s.log.With(zap.Uint32("session", sess.ID()), zap.Int("peer", p.pid), zap.Uint32("uid", p.uid))
	return &servedTrace{c: c, p: p, o: o, sess: sess, dec: dec, outs: outs, log: log, unprivileged: cfg.Unprivileged, neverWaits: quiet}, nil
}

// start marks the client as the session's spawner (spawn), or attaches
// -p's processes, and answers ready; for a command, it waits for the
// client to start it. False: the session ended before it started, and
// what it had is written.
func (t *servedTrace) start(spawn bool) bool {
	// Run's end when the session could not start: what it has (nothing,
	// or -p's first processes' calls) is written, as eproc trace does.
	abort := func(msg string) {
		t.log.Info("trace refused", zap.String("error", msg))
		writeHandoff(t.c, handoffMsg{Error: msg})
		t.sess.Close()
		st := t.sess.Run(t.handler())
		writeHandoff(t.c, handoffMsg{End: true, Stats: st})
	}
	if spawn && len(t.o.injects) == 0 {
		if err := t.sess.MarkSpawner(t.p.pid, t.o.follow); err != nil {
			abort(err.Error())
			return false
		}
	} else {
		for _, pid := range t.o.pids {
			if err := t.sess.Attach(pid, t.o.follow); err != nil {
				abort(fmt.Sprintf("attach: %v", err))
				return false
			}
			if t.o.text != nil {
				t.o.text.SeedFds(pid) // -y: its descriptors now
			}
		}
	}
	if err := writeHandoff(t.c, handoffMsg{Ready: true}); err != nil {
		t.sess.UnmarkSpawner(t.p.pid)
		t.sess.Close()
		t.sess.Run(t.handler())
		return false
	}
	if !spawn {
		t.log.Info("trace session", zap.Ints("pids", t.o.pids), zap.Bool("follow", t.o.follow), zap.Bool("unprivileged", t.unprivileged))
		return true
	}
	return t.awaitStarted()
}

// awaitStarted waits for the client's "started" and removes the spawner
// mark. False: nothing to trace, and the session's end is sent.
func (t *servedTrace) awaitStarted() bool {
	m, err := readHandoff(t.c)
	if len(t.o.injects) > 0 {
		if err == nil && m.Shim != 0 {
			m, err = t.attachShim(m.Shim)
		}
	} else if uerr := t.sess.UnmarkSpawner(t.p.pid); uerr != nil {
		t.log.Error("trace", zap.Error(uerr))
	}
	if err != nil || m.Started == 0 {
		// Nothing to trace: the client could not start its
		// command, or went away.
		t.sess.Close()
		st := t.sess.Run(t.handler())
		writeHandoff(t.c, handoffMsg{End: true, Stats: st})
		return false
	}
	pid := m.Started
	if t.o.pidView != nil {
		// The client's namespace's number: the daemon's is its child's.
		if pid, err = peerChild(t.p.pid, m.Started, t.o.pidView); err != nil {
			t.log.Warn("trace", zap.Error(err))
		}
	}
	if t.o.text != nil && pid > 0 {
		// -y: the command's descriptors, the client's it passed (as
		// eproc trace seeds them: the command may be gone already).
		t.o.text.SeedFdsAs(pid, t.p.pid, m.Fds)
	}
	t.log.Info("trace session", zap.Int("pid", pid), zap.Bool("follow", t.o.follow), zap.Bool("unprivileged", t.unprivileged))
	return true
}

// attachShim puts -e inject='s shim, the client's child pid (in the
// client's namespace) that the client may ptrace, in the session from its
// execve on, answers, and reads the client's next message.
func (t *servedTrace) attachShim(pid int) (handoffMsg, error) {
	g, err := peerChild(t.p.pid, pid, t.o.pidView)
	if err == nil {
		_, err = procview.PeerMayPtrace(t.p.pid, t.p.uid, t.p.gid, g)
	}
	if err == nil {
		err = t.sess.AttachAtExec(g, t.o.follow)
	}
	if err != nil {
		writeHandoff(t.c, handoffMsg{Error: fmt.Sprintf("-e inject=: %v", err)})
		return handoffMsg{}, err
	}
	if err := writeHandoff(t.c, handoffMsg{Ready: true}); err != nil {
		return handoffMsg{}, err
	}
	return readHandoff(t.c)
}

// run runs the session to its end and sends the client the end: the
// counts and the write errors.
func (t *servedTrace) run() {
	// The client's going away, or its -p's interruption, ends the session.
	ended := make(chan struct{})
	go func() {
		for {
			m, err := readHandoff(t.c)
			select {
			case <-ended:
				return
			default:
			}
			if err != nil || m.Stop {
				if err != nil {
					t.log.Info("trace client gone: session ended", zap.Error(err))
				}
				t.sess.Close()
				return
			}
		}
	}()
	st := t.sess.Run(t.handler())
	close(ended)
	t.dec.End(strace.Counts{Seen: st.Seen, Dropped: st.Dropped, Lost: st.Lost})
	writeHandoff(t.c, handoffMsg{End: true, Stats: st, WriteErrors: t.outs.errors()})
	rd := t.sess.Reading()
	t.log.Info("trace session ended", zap.Uint64("seen", st.Seen), zap.Uint64("dropped", st.Dropped), zap.Uint64("lost", st.Lost),
		zap.Uint64("passes", rd.Passes), zap.Uint64("spooledPasses", rd.Spooled), zap.Bool("neverWaits", t.neverWaits))
}

// track adds the session to (or removes it from) the live ones Close
// ends; false when the server is closing.
func (s *traceServer) track(sess *loader.Session, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.live, sess)
		return true
	}
	s.live[sess] = true
	return !s.closed
}

// check parses the request as eproc trace parses its command line, and
// says why it is not served, if it is not.
func (s *traceServer) check(req handoffRequest, files []*os.File) (*traceOpts, string) {
	if req.Version != handoffVersion {
		return nil, fmt.Sprintf("protocol version %d, this daemon's is %d", req.Version, handoffVersion)
	}
	o, err := parseTrace(req.Args)
	if err != nil {
		return nil, fmt.Sprintf("options: %v", err)
	}
	if o.filter != "" {
		if _, err := strace.ParseFilter(o.filter); err != nil {
			return nil, fmt.Sprintf("options: %v", err)
		}
	}
	switch {
	case o.otlp != "" || o.cgroup != "":
		return nil, "--otlp and --cgroup are not served"
	case o.separate:
		// Its files are opened as threads come: by the daemon, with
		// its rights, where the client says. Not served.
		return nil, "-ff is not served"
	case req.Spawn != (len(o.cmd) > 0):
		return nil, "a command and -p are not what the request says"
	case o.localTimes() && !sameTZ(req.TZ):
		return nil, "-t and -tt print local times, and the client's time zone is not the daemon's"
	}
	want := 1
	if o.out != "" {
		want++
	}
	if o.jsonOut != "" {
		want++
	}
	if len(files) != want {
		return nil, fmt.Sprintf("%d files sent, %d wanted", len(files), want)
	}
	return o, ""
}

// sameTZ reports whether the client's $TZ (nil: unset) is the daemon's.
func sameTZ(tz *string) bool {
	mine, set := os.LookupEnv("TZ")
	if tz == nil {
		return !set
	}
	return set && mine == *tz
}
