package procview

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/eproc/eproc/loader"
	"go.uber.org/zap"
)

// Commands written to ctl that take words after their name: name, words
// (the name included), and what runs with the words that follow it.
type ctlArgCmd struct {
	name  string
	words int
	run   func(v *View, id *ident, c *caller, args []string) error
}

var ctlArgTab = []ctlArgCmd{
	{"stracecgroup", 2, func(v *View, id *ident, c *caller, a []string) error { return v.straceCgroup(id, c, a[0]) }},
}

// lookupArgCmd finds a command of ctlArgTab with the right number of words.
func lookupArgCmd(f []string) *ctlArgCmd {
	for i := range ctlArgTab {
		if ctlArgTab[i].name == f[0] && len(f) == ctlArgTab[i].words {
			return &ctlArgTab[i]
		}
	}
	return nil
}

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
	_, err := v.startStream(id, c.uid, dir, func(sess *loader.Session) error {
		_, err := sess.TraceCgroup(dir)
		if errors.Is(err, loader.ErrNotCgroup2) {
			return fmt.Errorf("%w: %v", syscall.EINVAL, err)
		}
		return err
	}, zap.String("cgroup", dir))
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
