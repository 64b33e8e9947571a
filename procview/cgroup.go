package procview

import (
	"errors"
	"fmt"
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
func (v *View) straceCgroup(id *ident, c *caller, dir string) error {
	v.mu.Lock()
	closed := v.closed
	v.mu.Unlock()
	if closed {
		return syscall.ESHUTDOWN
	}
	if c.uid != 0 {
		return syscall.EPERM
	}
	if v.cgroupStream(id) != nil {
		return syscall.EBUSY
	}
	_, err := v.newStream(id, c.uid, streamSpec{join: func(sess *loader.Session) error {
		_, err := sess.TraceCgroup(dir)
		if errors.Is(err, loader.ErrNotCgroup2) {
			return fmt.Errorf("%w: %v", syscall.EINVAL, err)
		}
		return err
	}, how: zap.String("cgroup", dir), inherit: true, cgroup: dir})
	if err != nil {
		v.log.Warn("stracecgroup", zap.Int("pid", id.pid), zap.String("cgroup", dir), zap.Error(err))
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
