package main

// eproc trace handing its session to a running eproc mount (issue 16): the
// daemon's programs are loaded and verified already, so the trace starts
// in a few milliseconds instead of the ~350 ms loading them takes.
//
// The client (eproc trace) connects to the daemon's socket (SOCK_SEQPACKET,
// one JSON message a packet) and sends its command line and its output
// files (standard error, and -o's and --json-out's files, opened by the
// client with its own rights) by SCM_RIGHTS. The daemon parses the command
// line as eproc trace does, checks that the client may ptrace what it
// would trace (SO_PEERCRED, procview's rule), makes the session and the
// same decoder and sinks eproc trace makes (traceOpts.sessionConfig and
// traceOpts.decoder), and answers ready. For a command, the daemon has
// marked the client as the session's spawner, as eproc trace marks itself
// (loader.Session.Spawn): the client forks the command, which joins the
// session inside the kernel and is traced from its own execve on, then
// says "started" and the mark is removed. With -p, the daemon attached the
// processes. At the end the daemon sends the counts; the client prints
// what eproc trace prints at the end and exits as eproc trace exits. When
// the client goes away, the daemon ends the session.
//
//	client                                  daemon
//	{version, args, spawn, tz} + fds   ->
//	                                   <-   {ready} | {decline: why} | {error: msg}
//	[{shim: pid}                       ->   (-e inject=: attached at its execve)
//	                                   <-   {ready} | {error: msg}]
//	{started: pid} | {startError}      ->   (spawn only; -p: {stop} on SIGINT/SIGTERM)
//	                                   <-   {end, stats, writeErrors}
//
// A decline (no daemon, another version, options it does not serve: --otlp,
// --cgroup, -ff, -t/-tt in another time zone, -p from another pid
// namespace) makes eproc trace load the
// programs itself, as --no-daemon and EPROC_NO_DAEMON=1 do; with
// EPROC_STARTUP_TRACE=1 it says why on standard error.
//
// A client in a pid namespace of its own (unshare -Urpf eproc trace, which
// cannot load the programs there) is served as it sees the world: its
// session's text has the pids its namespace gives (handoff_pidns.go).

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/strace"
)

// defaultTraceSocket is where eproc mount serves eproc trace's sessions
// (eproc mount -trace-socket, and $EPROC_TRACE_SOCKET for eproc trace).
// Not under the view's directory: /run/eproc is the view itself.
const defaultTraceSocket = "/run/eproc-trace.sock"

// handoffVersion is the protocol's version: a daemon of another one
// declines. 2: -e inject='s shim ({shim: pid} before {started}).
const handoffVersion = 2

// handoffReplyWait is how long the client waits for the daemon's answer to
// its request before it loads the programs itself.
const handoffReplyWait = 10 * time.Second

func init() {
	longOpts["no-daemon"] = struct {
		value bool
		set   func(o *traceOpts, val string) error
	}{false, func(o *traceOpts, _ string) error { o.noDaemon = true; return nil }}
}

// handoffRequest is the client's first message.
type handoffRequest struct {
	Version int      `json:"version"`
	Args    []string `json:"args"`         // eproc trace's arguments, parsed again by the daemon
	Spawn   bool     `json:"spawn"`        // the client spawns a command: mark it the spawner
	TZ      *string  `json:"tz,omitempty"` // the client's $TZ, when set (-t and -tt print local times)
}

// handoffMsg is every later message, either way.
type handoffMsg struct {
	Ready       bool         `json:"ready,omitempty"`
	Decline     string       `json:"decline,omitempty"` // not served: trace locally
	Error       string       `json:"error,omitempty"`   // failed: say so, exit 1 after the end
	Shim        int          `json:"shim,omitempty"`    // -e inject='s shim, to attach at its execve
	Started     int          `json:"started,omitempty"` // the command's pid
	Fds         map[int]int  `json:"fds,omitempty"`     // with started: its descriptors, its number -> the client's
	StartError  string       `json:"startError,omitempty"`
	Stop        bool         `json:"stop,omitempty"` // -p interrupted: detach
	End         bool         `json:"end,omitempty"`
	Stats       loader.Stats `json:"stats"`
	WriteErrors []string     `json:"writeErrors,omitempty"`
}

// traceSocket is the daemon's socket eproc trace tries.
func traceSocket() string {
	if p := os.Getenv("EPROC_TRACE_SOCKET"); p != "" {
		return p
	}
	return defaultTraceSocket
}

// startupNote says, with EPROC_STARTUP_TRACE=1, why eproc trace loads its
// own programs.
func startupNote(format string, args ...any) {
	if os.Getenv("EPROC_STARTUP_TRACE") == "1" {
		fmt.Fprintf(os.Stderr, "eproc: startup: "+format+"\n", args...)
	}
}

// handoff traces through a running eproc mount if there is one that
// serves the request; ok false means it did not, and nothing was started:
// eproc trace loads the programs itself.
func (o *traceOpts) handoff(args []string, outs *traceOuts) (code int, die syscall.Signal, ok bool) {
	if why := o.handoffLocal(); why != "" {
		startupNote("no daemon: %s", why)
		return 0, 0, false
	}
	path := traceSocket()
	conn, err := net.DialUnix("unixpacket", nil, &net.UnixAddr{Name: path, Net: "unixpacket"})
	if err != nil {
		startupNote("no daemon at %s: %v", path, err)
		return 0, 0, false
	}
	defer conn.Close()
	loader.Phase("handoff: connect")
	var cmd *exec.Cmd
	var sigs chan os.Signal
	if len(o.cmd) > 0 {
		if cmd, err = o.command(); err != nil {
			warnf("%v\n", err)
			return 1, 0, true
		}
	} else {
		sigs = make(chan os.Signal, 2)
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
		defer signal.Stop(sigs)
	}
	if err := sendHandoff(conn, args, cmd != nil, outs); err != nil {
		startupNote("no daemon: %s: send: %v", path, err)
		return 0, 0, false
	}
	if ready, code, ok := awaitHandoffReady(conn, path); !ready {
		return code, 0, ok
	}
	loader.Phase("handoff: ready")
	if cmd != nil {
		started := handoffMsg{}
		var startErr error
		if cmd, startErr = o.handoffStart(conn, cmd); startErr != nil {
			started.StartError = startErr.Error()
		} else {
			started.Started, started.Fds = cmd.Process.Pid, o.inherited
		}
		writeHandoff(conn, started)
		if startErr != nil {
			warnf("%v\n", startErr)
			readHandoff(conn)
			return 1, 0, true
		}
		loader.Phase("spawn")
		reapOthers(cmd.Process.Pid, o.quiet&strace.QuietExit == 0)
	} else {
		o.handoffAttached(conn, sigs)
	}
	code, die = o.awaitHandoffEnd(conn, path, cmd)
	return code, die, true
}

// handoffStart starts the command: with -e inject=, through the shim
// (inject_run.go), which the daemon attaches at its execve, and whose
// filter this process answers; it returns what to wait for.
func (o *traceOpts) handoffStart(conn *net.UnixConn, cmd *exec.Cmd) (*exec.Cmd, error) {
	if len(o.injects) == 0 {
		return cmd, withStartSlack(cmd.Start)
	}
	return o.startInjected(cmd, func(pid int) error {
		if err := writeHandoff(conn, handoffMsg{Shim: pid}); err != nil {
			return err
		}
		m, err := readHandoff(conn)
		switch {
		case err != nil:
			return err
		case m.Error != "":
			return errors.New(m.Error)
		case !m.Ready:
			return fmt.Errorf("the daemon's answer %+v", m)
		}
		return nil
	})
}

// handoffLocal says why the options are traced here, without asking a
// daemon, if they are.
func (o *traceOpts) handoffLocal() string {
	switch {
	case o.noDaemon || os.Getenv("EPROC_NO_DAEMON") == "1":
		return "--no-daemon or EPROC_NO_DAEMON=1"
	case o.otlp != "" || o.cgroup != "":
		return "--otlp and --cgroup are traced here"
	case o.relativePaths():
		return "-P with a relative path (resolved in this directory) is traced here"
	case o.separate:
		return "-ff is traced here (its files, one a thread, are opened as they come)"
	}
	return ""
}

// sendHandoff sends the request (spawn: the client forks a command) with
// the output files: standard error, then -o's, then --json-out's.
func sendHandoff(conn *net.UnixConn, args []string, spawn bool, outs *traceOuts) error {
	req := handoffRequest{Version: handoffVersion, Args: args, Spawn: spawn}
	if tz, set := os.LookupEnv("TZ"); set {
		req.TZ = &tz
	}
	fds := []int{int(os.Stderr.Fd())}
	for _, f := range outs.files { // -o's, then --json-out's
		fds = append(fds, int(f.Fd()))
	}
	b, _ := json.Marshal(req)
	_, _, err := conn.WriteMsgUnix(b, unix.UnixRights(fds...), nil)
	return err
}

// awaitHandoffReady waits for the daemon's answer to the request. ready
// false: not served, and handoff returns code and ok (ok false: declined,
// traced here; ok true: the daemon's error, said, and its end read).
func awaitHandoffReady(conn *net.UnixConn, path string) (ready bool, code int, ok bool) {
	conn.SetReadDeadline(time.Now().Add(handoffReplyWait))
	m, err := readHandoff(conn)
	conn.SetReadDeadline(time.Time{})
	switch {
	case err != nil:
		startupNote("no daemon: %s: %v", path, err)
		return false, 0, false
	case m.Decline != "":
		startupNote("no daemon: %s declines: %s", path, m.Decline)
		return false, 0, false
	case m.Error != "":
		warnf("%s\n", m.Error)
		readHandoff(conn) // its end: what the session had is written
		return false, 1, true
	case !m.Ready:
		startupNote("no daemon: %s: unexpected answer %+v", path, m)
		return false, 0, false
	}
	return true, 0, true
}

// awaitHandoffEnd waits for the daemon's end, says what eproc trace says
// at the end, and returns how eproc trace exits.
func (o *traceOpts) awaitHandoffEnd(conn *net.UnixConn, path string, cmd *exec.Cmd) (code int, die syscall.Signal) {
	m, err := readHandoff(conn)
	loader.Phase("run, end")
	if err != nil || !m.End {
		// The daemon went away: the trace is cut short.
		warnf("the daemon at %s ended the trace: %v\n", path, err)
		o.exitStatus(cmd)
		return 1, 0
	}
	o.endLines(m.Stats)
	for _, e := range m.WriteErrors {
		warnf("write: %s\n", e)
	}
	return o.exitStatus(cmd)
}

// handoffAttached says what -p's attach says, and on SIGINT or SIGTERM
// what its detach says, and asks the daemon to detach (see attach).
func (o *traceOpts) handoffAttached(conn *net.UnixConn, sigs chan os.Signal) {
	for _, pid := range o.pids {
		with := ""
		if n := len(o.tasks(pid)); n > 1 {
			with = fmt.Sprintf(" with %d threads", n)
		}
		if o.quiet&strace.QuietAttach == 0 {
			warnf("Process %d attached%s\n", pid, with)
		}
	}
	go func() {
		sig, ok := (<-sigs).(syscall.Signal)
		if !ok {
			return
		}
		for _, pid := range o.pids {
			if o.quiet&strace.QuietAttach != 0 {
				break
			}
			for _, tid := range o.tasks(pid) {
				warnf("Process %d detached\n", tid)
			}
		}
		o.caught.Store(int32(sig))
		writeHandoff(conn, handoffMsg{Stop: true})
	}()
}

// readHandoff reads one message; a closed connection is io.EOF's error.
func readHandoff(c *net.UnixConn) (handoffMsg, error) {
	var m handoffMsg
	buf := make([]byte, 64<<10)
	n, err := c.Read(buf)
	if err != nil {
		return m, err
	}
	if n == 0 {
		return m, errors.New("connection closed")
	}
	return m, json.Unmarshal(buf[:n], &m)
}

func writeHandoff(c *net.UnixConn, m handoffMsg) error {
	b, _ := json.Marshal(m)
	_, err := c.Write(b)
	return err
}

// localTimes reports whether the options print local times (-t, -tt),
// which the time zone decides.
func (o *traceOpts) localTimes() bool {
	return o.time != strace.TimeNone && o.time != strace.TimeEpoch
}
