package procview

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/loader/wire"
	"github.com/eproc/eproc/strace"
	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// The flight recorder, as the view serves it. `record` (or `recordall`,
// with the children the process forks from then on) in a process's ctl
// starts a session whose calls stay in the kernel, in a recorder of
// Options.RecordSize bytes that keeps the newest over the oldest. Opening
// the process's strace file shows them, oldest first, and goes on live.
// When the session ends with the process gone, what it recorded stays
// readable under dead/PID-START/ (strace, status) for Options.DeadKeep, the
// last Options.DeadMax of them, to the callers who could read its strace
// file while it lived.

// Defaults of the recorder's options.
const (
	DefaultRecordSize = 256 << 10
	DefaultDeadKeep   = 10 * time.Minute
	DefaultDeadMax    = 64
	// keepLimit bounds the text a recording stream keeps for its dead
	// record: the last lines, whole.
	keepLimit = 2 << 20
)

// recording is a recording stream's own state.
type recording struct {
	status   []byte // the process's /proc status when the recording began
	cr       *creds // its ids then: who may read the dead record
	keep     []byte // the stream's last keepLimit bytes of text
	exitCode int32  // the root's wait status, once exitSeen
	exitSeen bool
	got      loader.Recorded
}

// deadRec is a dead/ entry: a recorded process that is gone.
type deadRec struct {
	name   string // PID-START
	died   time.Time
	cr     *creds
	text   []byte
	status []byte
}

// record starts a recording session on the process.
func (v *View) record(id *ident, c *caller, inherit bool) error {
	if err := v.mayStart(id); err != nil {
		return err
	}
	if v.streamOf(id.pid) != nil || v.eng.TracedBy(id.pid) != nil {
		return syscall.EBUSY // traced already, or recorded
	}
	status, err := os.ReadFile(id.path("status"))
	if err != nil {
		return syscall.ESRCH
	}
	cr, err := readCreds(id.pid)
	if err != nil {
		return syscall.ESRCH
	}
	return v.startStream(id, c, inherit, &recording{status: status, cr: cr})
}

// Replayed puts a line at the head of what the recorder kept, when it
// could not keep everything: how much the newest overwrote.
func (st *stream) Replayed(r loader.Recorded) {
	if st.rec == nil {
		return
	}
	st.rec.got = r
	if r.LostCalls+r.LostOther > 0 {
		st.dec.Mark(overwrittenLine(r))
	}
}

// Ended keeps the record of one of a recording session's processes that
// ended: what the recorder holds of it now, decoded on its own, becomes its
// dead/ entry (the session and its other processes go on recording).
func (st *stream) Ended(exit []byte) {
	var x wire.Exit
	if st.rec == nil || wire.ParseExit(exit, &x) != nil || !x.GroupDead {
		return
	}
	recs, got := st.sess.RecordedOf(x.Tgid)
	var text textKeeper
	dec := strace.NewDecoder(strace.NewText(recordTextOptions(), &text))
	if n := got.LostCalls + got.LostOther; n > 0 {
		dec.Mark(overwrittenLine(got))
	}
	calls := uint64(0)
	for _, r := range recs {
		if wire.Type(r) == wire.EvSyscall {
			calls++
		}
		dec.Record(r)
	}
	dec.End(strace.Counts{Seen: calls})
	// Its ids as it ended (the exit record's): who may read its record.
	cr := &creds{tgid: int(x.Tgid)}
	copy(cr.uid[:], x.Uid[:])
	copy(cr.gid[:], x.Gid[:])
	r := &recording{exitCode: x.Code, exitSeen: true, cr: cr, got: got}
	pid := int(x.Tgid)
	if pid == st.root {
		r.status = st.rec.status
	} else if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil && x.Start == statStart(pid) {
		r.status = b // another process of the tree, a zombie still
	} else {
		r.status = []byte(fmt.Sprintf("Name:\t%s\nPid:\t%d\nUid:\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\n",
			x.Comm, pid, x.Uid[0], x.Uid[1], x.Uid[2], x.Gid[0], x.Gid[1], x.Gid[2]))
	}
	now := time.Now()
	st.v.mu.Lock()
	st.v.saveDeadLocked(&deadRec{name: fmt.Sprintf("%d-%d", pid, x.Start), died: now, cr: r.cr, text: text.b,
		status: deadStatus(r, now)})
	st.v.mu.Unlock()
}

// statStart is the start time of process pid, 0 when it is gone.
func statStart(pid int) uint64 {
	s, _ := startTime(pid)
	return s
}

// recordTextOptions are a recording's text options: strace -f -tt's.
func recordTextOptions() strace.Options {
	return strace.Options{Prefix: strace.PrefixFile, Time: strace.TimeUsec, Batch: 256 << 10}
}

// textKeeper is a LineWriter that keeps the text.
type textKeeper struct{ b []byte }

func (k *textKeeper) WriteLines(b []byte) { k.b = append(k.b, b...) }
func (k *textKeeper) Flush()              {}
func (k *textKeeper) Final(b []byte)      { k.b = append(k.b, b...) }

// overwrittenLine tells what the newest records overwrote.
func overwrittenLine(r loader.Recorded) []byte {
	return []byte(fmt.Sprintf("--- overwritten %d calls and %d other records of the session's processes: the recorder keeps the last %d KiB ---",
		r.LostCalls, r.LostOther, r.Bytes>>10))
}

// keepText keeps the last keepLimit bytes of a recording stream's text,
// whole lines.
func (r *recording) keepText(text []byte) {
	r.keep = append(r.keep, text...)
	if over := len(r.keep) - keepLimit; over > 0 {
		if i := bytes.IndexByte(r.keep[over:], '\n'); i >= 0 {
			over += i + 1
		}
		r.keep = append(r.keep[:0], r.keep[over:]...)
	}
}

// noteExit keeps the root process's wait status from its exit record.
func (r *recording) noteExit(rec []byte, root int) {
	var x wire.Exit
	if wire.ParseExit(rec, &x) == nil && int(x.Tgid) == root && x.GroupDead {
		r.exitCode, r.exitSeen = x.Code, true
	}
}

// exitLine says how the root process ended, as the strace line does.
func (r *recording) exitLine() string {
	switch code := r.exitCode; {
	case !r.exitSeen:
		return "unknown"
	case code&0x7f == 0:
		return fmt.Sprintf("exited with %d", code>>8&0xff)
	case code&0x80 != 0:
		return fmt.Sprintf("killed by %s (core dumped)", signame(int(code&0x7f)))
	default:
		return fmt.Sprintf("killed by %s", signame(int(code&0x7f)))
	}
}

func signame(sig int) string {
	if n := unix.SignalName(syscall.Signal(sig)); n != "" {
		return n
	}
	return strconv.Itoa(sig)
}

// deadStatus is a dead record's status file: the process's status (when
// the recording began, for the session's first process), its state now
// dead, and how it ended.
func deadStatus(r *recording, died time.Time) []byte {
	var b bytes.Buffer
	for _, line := range strings.SplitAfter(string(r.status), "\n") {
		if strings.HasPrefix(line, "State:") {
			line = "State:\tX (dead)\n"
		}
		b.WriteString(line)
	}
	fmt.Fprintf(&b, "Exit:\t%s\nDied:\t%s\nRecorded:\t%d calls, %d other records\nOverwritten:\t%d calls, %d other records\nRecorder:\t%d bytes\n",
		r.exitLine(), died.UTC().Format(time.RFC3339Nano), r.got.Calls, r.got.Other, r.got.LostCalls, r.got.LostOther, r.got.Bytes)
	return b.Bytes()
}

// saveDeadLocked adds a dead record, unless one of that name is there
// (a process's own record, kept when it ended, is better than its session's
// at the session's end). Called with v.mu held.
func (v *View) saveDeadLocked(d *deadRec) {
	for _, o := range v.dead {
		if o.name == d.name {
			return
		}
	}
	v.dead = append(v.dead, d)
	v.sweepDeadLocked(d.died)
	v.log.Info("dead record", zap.String("name", d.name), zap.Int("bytes", len(d.text)))
}

// saveSessionDeadLocked keeps an ended recording session's text as the
// record of its first process, if Ended did not keep one already.
func (v *View) saveSessionDeadLocked(st *stream) {
	now := time.Now()
	v.saveDeadLocked(&deadRec{name: fmt.Sprintf("%d-%d", st.id.pid, st.id.start), died: now, cr: st.rec.cr,
		text: st.rec.keep, status: deadStatus(st.rec, now)})
}

// sweepDeadLocked forgets dead records older than DeadKeep, and the
// oldest beyond DeadMax.
func (v *View) sweepDeadLocked(now time.Time) {
	keep := v.dead[:0]
	for _, d := range v.dead {
		if now.Sub(d.died) <= v.opt.DeadKeep {
			keep = append(keep, d)
		}
	}
	for i := len(keep); i < len(v.dead); i++ {
		v.dead[i] = nil
	}
	v.dead = keep
	if n := len(v.dead) - v.opt.DeadMax; n > 0 {
		copy(v.dead, v.dead[n:])
		clear(v.dead[len(v.dead)-n:])
		v.dead = v.dead[:len(v.dead)-n]
	}
}

// deadRecs lists the dead records kept now, oldest first.
func (v *View) deadRecs() []*deadRec {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.sweepDeadLocked(time.Now())
	out := append([]*deadRec(nil), v.dead...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].died.Before(out[j].died) })
	return out
}

func (v *View) deadRec(name string) *deadRec {
	for _, d := range v.deadRecs() {
		if d.name == name {
			return d
		}
	}
	return nil
}

// mayReadDead is mayPtrace for a process that is gone, on the ids it had:
// the caller has CAP_SYS_PTRACE, or its real uid and gid are the process's
// real, effective and saved ones. Yama's scope 2 leaves only the first, 3
// nobody.
func (c *caller) mayReadDead(t *creds) syscall.Errno {
	scope := yamaScope()
	switch {
	case scope >= 3:
		return syscall.EACCES
	case c.privileged():
		return 0
	case scope == 2 || c.cr == nil:
		return syscall.EACCES
	}
	for i := 0; i < 3; i++ {
		if t.uid[i] != c.cr.uid[0] || t.gid[i] != c.cr.gid[0] {
			return syscall.EACCES
		}
	}
	return 0
}
