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
	"go.uber.org/zap"
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
		st.dec.Mark([]byte(fmt.Sprintf("--- overwritten %d calls and %d other records: the recorder keeps the last %d KiB ---",
			r.LostCalls, r.LostOther, r.Bytes>>10)))
	}
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
	for name, s := range sigTab {
		if int(s) == sig {
			return "SIG" + name
		}
	}
	return strconv.Itoa(sig)
}

// deadStatus is a dead record's status file: the process's status when
// the recording began, its state now dead, and how it ended.
func (st *stream) deadStatus(died time.Time) []byte {
	var b bytes.Buffer
	for _, line := range strings.SplitAfter(string(st.rec.status), "\n") {
		if strings.HasPrefix(line, "State:") {
			line = "State:\tX (dead)\n"
		}
		b.WriteString(line)
	}
	r := st.rec
	fmt.Fprintf(&b, "Exit:\t%s\nDied:\t%s\nRecorded:\t%d calls, %d other records\nOverwritten:\t%d calls, %d other records\nRecorder:\t%d bytes\n",
		r.exitLine(), died.UTC().Format(time.RFC3339Nano), r.got.Calls, r.got.Other, r.got.LostCalls, r.got.LostOther, r.got.Bytes)
	return b.Bytes()
}

// saveDead keeps an ended recording stream whose process is gone as a
// dead/ entry. Called with v.mu held.
func (v *View) saveDeadLocked(st *stream) {
	now := time.Now()
	d := &deadRec{
		name: fmt.Sprintf("%d-%d", st.id.pid, st.id.start),
		died: now, cr: st.rec.cr, text: st.rec.keep, status: st.deadStatus(now),
	}
	v.dead = append(v.dead, d)
	v.sweepDeadLocked(now)
	v.log.Info("dead record", zap.String("name", d.name), zap.String("exit", st.rec.exitLine()),
		zap.Int("bytes", len(d.text)), zap.Uint64("overwritten", st.rec.got.LostCalls))
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
