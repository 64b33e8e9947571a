package loader

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// MarkSpawner marks process pid as this session's spawner, as Spawn marks
// the calling process for the time of its fork: pid itself is not traced,
// and every process it forks until UnmarkSpawner joins the session inside
// the kernel, traced from its own execve on (with inherit, its descendants
// too). It is for a daemon whose client spawns its command itself (eproc
// trace handing its session to eproc mount): the command's trace is the
// one Spawn gives. The entry is not removed when pid exits: call
// UnmarkSpawner in every case.
func (s *Session) MarkSpawner(pid int, inherit bool) error {
	flags := uint32(TFSpawner)
	if inherit {
		flags |= TFInherit
	} else if s.cfg.OneThread {
		flags |= TFOneThread // the child's tid set at its fork
	}
	t := eprocTracee{Sid: s.sid, Gen: s.gen, Flags: flags}
	if err := s.e.tracedUpdate(uint32(pid), t, ebpf.UpdateNoExist); err != nil {
		if errors.Is(err, ebpf.ErrKeyExist) {
			return fmt.Errorf("mark spawner: pid %d is already traced: %w", pid, unix.EBUSY)
		}
		return fmt.Errorf("mark spawner: %w", err)
	}
	return nil
}

// UnmarkSpawner removes the mark MarkSpawner put on pid, if it is still
// this session's.
func (s *Session) UnmarkSpawner(pid int) error {
	var t eprocTracee
	if err := s.e.objs.Traced.Lookup(uint32(pid), &t); err != nil ||
		t.Sid != s.sid || t.Gen != s.gen || t.Flags&TFSpawner == 0 {
		return nil
	}
	if err := s.e.tracedDelete(uint32(pid)); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
		return fmt.Errorf("unmark spawner: %w", err)
	}
	return nil
}
