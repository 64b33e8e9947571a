package procview

import (
	"fmt"
	"syscall"

	"github.com/eproc/eproc/loader"
)

// ident is a process as the view binds files to it: its pid and its start
// time, which together never repeat. As devproc checks p->pid against the
// qid, every operation checks that the process at pid still started at
// start, so a reused pid answers ESRCH, never the new process's data.
type ident struct {
	pid   int
	start uint64
}

// startTime reads field 22 of /proc/PID/stat.
func startTime(pid int) (uint64, error) { return loader.ProcStart(pid) }

func identify(pid int) (*ident, error) {
	s, err := startTime(pid)
	if err != nil {
		return nil, err
	}
	return &ident{pid: pid, start: s}, nil
}

// check answers ESRCH once the process is gone.
func (id *ident) check() syscall.Errno {
	if id == nil {
		return 0
	}
	s, err := startTime(id.pid)
	if err != nil || s != id.start {
		return syscall.ESRCH
	}
	return 0
}

func (id *ident) path(name string) string {
	if name == "" {
		return fmt.Sprintf("%s/%d", procRoot, id.pid)
	}
	return fmt.Sprintf("%s/%d/%s", procRoot, id.pid, name)
}
