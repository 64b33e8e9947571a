package procview

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/eproc/eproc/loader"
	"go.uber.org/zap"
)

// straceCgroup starts a session that traces every process of the cgroup
// v2 directory dir, and of the cgroups below it, present and future, with
// their children (eproc trace --cgroup), rooted at the process whose ctl
// was written: its strace file reads the stream (as does any member's),
// and straceoff written there ends it. Only root may: a cgroup holds
// anyone's processes. A dir that is not a cgroup v2 directory is EINVAL.
// recordcgroup (record) does the same with a flight recorder: each member
// that ends leaves its record in dead/.
func (v *View) straceCgroup(id *ident, c *caller, dir string, record bool) error {
	if c.uid != 0 {
		return syscall.EPERM
	}
	var rec *recording
	if record {
		status, err := os.ReadFile(id.path("status"))
		if err != nil {
			return syscall.ESRCH
		}
		cr, err := readCreds(id.pid)
		if err != nil {
			return syscall.ESRCH
		}
		rec = &recording{status: status, cr: cr}
	}
	return v.cgroupSession(id, dir, rec)
}

// RecordCgroup records every process of the cgroup v2 directory dir, as
// `recordcgroup DIR` written to the daemon's own ctl would (eproc mount
// -record-cgroup): each one that ends leaves its record in dead/, and the
// daemon's strace file reads the session live.
func (v *View) RecordCgroup(dir string) error {
	id, err := identify(os.Getpid())
	if err != nil {
		return err
	}
	cr, err := readCreds(id.pid)
	if err != nil {
		return err
	}
	return v.cgroupSession(id, dir, &recording{cr: cr})
}

func (v *View) cgroupSession(id *ident, dir string, rec *recording) error {
	v.mu.Lock()
	closed := v.closed
	v.mu.Unlock()
	if closed {
		return syscall.ESHUTDOWN
	}
	if v.cgroupStream(id) != nil {
		return syscall.EBUSY
	}
	_, err := v.newStream(id, 0, streamSpec{join: func(sess *loader.Session) error {
		_, err := sess.TraceCgroup(dir)
		if errors.Is(err, loader.ErrNotCgroup2) {
			return fmt.Errorf("%w: %v", syscall.EINVAL, err)
		}
		return err
	}, how: zap.String("cgroup", dir), inherit: true, cgroup: dir, rec: rec})
	if err != nil {
		v.log.Warn("cgroup session", zap.Int("pid", id.pid), zap.String("cgroup", dir), zap.Bool("record", rec != nil), zap.Error(err))
	}
	return err
}

// cgroupStream is the live cgroup session rooted at process id, if any.
func (v *View) cgroupStream(id *ident) *stream {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, st := range v.streams {
		if st.cgroup != "" && *st.id == *id {
			return st
		}
	}
	return nil
}
