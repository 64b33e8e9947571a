package procview

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The control language, as devproc's cmdtab: each command's name and how
// many words it takes. A write is parsed whole before anything acts; a
// command that is not in the table, or has the wrong number of words, is
// refused with EINVAL, logged, and changes nothing.
type ctlCmd struct {
	name  string
	words int // including the name
	run   func(v *View, id *ident, c *caller, w []string) error
}

var ctlTab = []ctlCmd{
	{"straceme", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.strace(id, c, false) }},
	{"straceall", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.strace(id, c, true) }},
	{"straceoff", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.straceOff(id) }},
	// The flight recorder (record.go).
	{"record", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.record(id, c, false) }},
	{"recordall", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.record(id, c, true) }},
	{"recordoff", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.straceOff(id) }},
	// A cgroup's processes, present and future (cgroup.go).
	{"stracecgroup", 2, func(v *View, id *ident, c *caller, w []string) error { return v.straceCgroup(id, c, w[1], false) }},
	{"recordcgroup", 2, func(v *View, id *ident, c *caller, w []string) error { return v.straceCgroup(id, c, w[1], true) }},
	{"kill", 1, func(v *View, id *ident, c *caller, _ []string) error { return signalProc(id, unix.SIGKILL, false) }},
	{"stop", 1, func(v *View, id *ident, c *caller, _ []string) error { return signalProc(id, unix.SIGSTOP, false) }},
	{"start", 1, func(v *View, id *ident, c *caller, _ []string) error { return signalProc(id, unix.SIGCONT, false) }},
	// Plan 9's scheduling and stop verbs (ctl_sched.go).
	{"pri", 2, func(v *View, id *ident, c *caller, w []string) error { return setNice(id, c, w[1]) }},
	{"fixedpri", 2, func(v *View, id *ident, c *caller, w []string) error { return setFixedPri(id, c, w[1]) }},
	{"wired", 2, func(v *View, id *ident, c *caller, w []string) error { return setWired(id, w[1]) }},
	{"waitstop", 1, func(v *View, id *ident, c *caller, _ []string) error { return waitStop(c.ctx, id) }},
	{"startstop", 1, func(v *View, id *ident, c *caller, _ []string) error { return startStop(c.ctx, id) }},
	{"startsyscall", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.startSyscall(c.ctx, id) }},
	{"hang", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.hang(id, true) }},
	{"nohang", 1, func(v *View, id *ident, c *caller, _ []string) error { return v.hang(id, false) }},
	{"close", 2, func(v *View, id *ident, c *caller, _ []string) error { return errCloseFd }},
	{"closefiles", 1, func(v *View, id *ident, c *caller, _ []string) error { return errCloseFd }},
	{"noswap", 1, func(v *View, id *ident, c *caller, _ []string) error { return errNoswap }},
	{"private", 1, func(v *View, id *ident, c *caller, _ []string) error { return errPrivate }},
	{"profile", 1, func(v *View, id *ident, c *caller, _ []string) error { return errProfile }},
	// Plan 9's trace (toggles the process's mark) and trace N (sets it: N
	// not 0), for the root's trace file: neither is served (whyTrace).
	// Not eproc's strace verbs (straceme ...), nor Akaros's (its cmdtab has
	// no trace).
	{"trace", 1, func(v *View, id *ident, c *caller, _ []string) error { return errTrace }},
	{"trace", 2, func(v *View, id *ident, c *caller, _ []string) error { return errTrace }},
	// Plan 9's core: an ELF core file (core.go).
	{"core", 2, func(v *View, id *ident, c *caller, w []string) error { return v.core(id, c, w[1]) }},
}

// maxCmd bounds a control write: no command is longer.
const maxCmd = 256

// errBadCmd is a command the table does not have.
var errBadCmd = errors.New("bad control message")

// parseCmd splits a control write into words: one line, printable, at most
// maxCmd bytes.
func parseCmd(data []byte) ([]string, error) {
	if len(data) > maxCmd {
		return nil, errBadCmd
	}
	data = bytes.TrimRight(data, "\n")
	if len(data) == 0 || bytes.ContainsFunc(data, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
		return nil, errBadCmd
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return nil, errBadCmd
	}
	return f, nil
}

// lookupCmd finds a command by name and word count (a name may have a
// row for each count it takes).
func lookupCmd(f []string) (*ctlCmd, error) {
	for i := range ctlTab {
		if ctlTab[i].name == f[0] && len(f) == ctlTab[i].words {
			return &ctlTab[i], nil
		}
	}
	return nil, errBadCmd
}

// sigTab names the signals note and notepg accept (with or without SIG,
// in any case, or as numbers).
var sigTab = map[string]unix.Signal{}

func init() {
	for s := unix.Signal(1); s < 65; s++ {
		if n := unix.SignalName(s); n != "" {
			sigTab[strings.TrimPrefix(n, "SIG")] = s
		}
	}
}

func parseSignal(data []byte) (unix.Signal, error) {
	f, err := parseCmd(data)
	if err != nil || len(f) != 1 {
		return 0, errBadCmd
	}
	w := f[0]
	if n, err := strconv.Atoi(w); err == nil {
		if n < 1 || n > 64 {
			return 0, errBadCmd
		}
		return unix.Signal(n), nil
	}
	w = strings.TrimPrefix(strings.ToUpper(w), "SIG")
	if s, ok := sigTab[w]; ok {
		return s, nil
	}
	return 0, errBadCmd
}

// runCtl parses a write to ctl whole, then runs its command.
func runCtl(v *View, id *ident, c *caller, data []byte) error {
	f, err := parseCmd(data)
	if err != nil {
		return err
	}
	cmd, err := lookupCmd(f)
	if err != nil {
		return err
	}
	return cmd.run(v, id, c, f)
}

// runNote sends the signal a write to note names to the process, or with
// group (notepg) to its process group.
func runNote(id *ident, data []byte, group bool) error {
	s, err := parseSignal(data)
	if err != nil {
		return err
	}
	return signalProc(id, s, group)
}

func clip(b []byte) []byte {
	if len(b) > 64 {
		return b[:64]
	}
	return b
}

func errnoOf(err error) syscall.Errno {
	if errors.Is(err, errBadCmd) {
		return syscall.EINVAL
	}
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return syscall.EIO
}

// signalProc signals the process (or its process group) through a pidfd
// checked against the identity, so a reused pid is never signalled.
func signalProc(id *ident, s unix.Signal, group bool) error {
	fd, err := unix.PidfdOpen(id.pid, 0)
	if err != nil {
		return syscall.ESRCH
	}
	defer unix.Close(fd)
	if e := id.check(); e != 0 {
		return e
	}
	if group {
		pg, err := unix.Getpgid(id.pid)
		if err != nil {
			return syscall.ESRCH
		}
		if e := id.check(); e != 0 {
			return e
		}
		return unix.Kill(-pg, s)
	}
	return unix.PidfdSendSignal(fd, s, nil, 0)
}

// strace starts tracing the process: alone, or with every descendant it
// forks from now on.
func (v *View) strace(id *ident, c *caller, inherit bool) error {
	if err := v.mayStart(id); err != nil {
		return err
	}
	if st := v.streamOf(id.pid); st != nil {
		if st.cgroup != "" {
			return syscall.EBUSY // its cgroup's session took it
		}
		if inherit {
			// straceme, then straceall: the same session now follows
			// children too.
			err := st.sess.SetInherit(id.pid, true)
			if err == nil {
				st.inherit.Store(true)
			}
			return err
		}
		return syscall.EBUSY
	}
	if v.eng.TracedBy(id.pid) != nil {
		return syscall.EBUSY // traced by another eproc command
	}
	return v.startStream(id, c, inherit, nil)
}

// mayStart refuses a session on the daemon itself (as ptrace refuses a
// process itself: its stream would feed on its own serving), and any after
// the view closed.
func (v *View) mayStart(id *ident) error {
	v.mu.Lock()
	closed := v.closed
	v.mu.Unlock()
	if closed {
		return syscall.ESHUTDOWN
	}
	if uint32(id.pid) == daemonPid {
		return syscall.EPERM
	}
	return nil
}

// startStream starts a session on the process: a recording one with rec.
func (v *View) startStream(id *ident, c *caller, inherit bool, rec *recording) error {
	st, err := v.newStream(id, c.uid, attachSpec(id, inherit, rec))
	if err != nil {
		return err
	}
	if e := id.check(); e != 0 {
		st.sess.Close()
		return e
	}
	return nil
}

// straceOff stops tracing the process; its session ends with its last
// process.
func (v *View) straceOff(id *ident) error {
	st := v.cgroupStream(id)
	if st != nil {
		st.sess.Close() // the root of a cgroup's session: it ends
	} else if st = v.streamOf(id.pid); st == nil {
		return errBadCmd
	} else if st.cgroup != "" {
		return syscall.EBUSY // a member would rejoin at its next call
	} else if err := st.sess.Detach(id.pid); err != nil {
		return err
	}
	// When that was the session's last process, let the session end
	// before the write returns, so that a reader opening strace next finds
	// the whole stream, hang-up line included.
	if st.sess.Alive() <= 0 {
		select {
		case <-st.ended:
		case <-time.After(2 * time.Second):
		}
	}
	return nil
}
