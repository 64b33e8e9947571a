package strace

// restart_syscall: strace prints `restart_syscall(<... resuming
// interrupted NAME ...>)`, NAME the last call of the thread it traced
// (s_prev_ent: the last whose exit it printed), "system call" when none.
// The kernel restarts a call that way only after it returned
// ERESTART_RESTARTBLOCK (clock_nanosleep, nanosleep, poll, futex's waits
// with a timeout) and the signal that interrupted it ran no handler (a
// stop, an ignored signal): nothing runs in the thread in between. So the
// decoder keeps, by thread, a call that ended with ERESTART_RESTARTBLOCK
// until the thread's next call: restart_syscall's is the call it resumes.
// The map is empty but in that moment, and the hot path looks at it only
// when it is not. What this does not know, and strace does: with the
// interrupted call not traced (-e trace=restart_syscall), strace names the
// thread's last traced call before it (or "system call"); eproc says
// "system call". So it does for a restart_syscall a program makes itself
// (syscall(SYS_restart_syscall): EINTR), where strace names the call
// before. (Under strace, ptrace's stops interrupt sleeps that an ignored
// signal, SIGCHLD, does not interrupt untraced: strace shows restarts
// eproc has no reason to.)

// erestartRestartblock is the kernel's ERESTART_RESTARTBLOCK.
const erestartRestartblock = 516

// restartRecord follows the calls ending with ERESTART_RESTARTBLOCK, and
// gives a restart_syscall the call it resumes.
func (d *Decoder) restartRecord(c *Call) {
	restart := int(c.Nr) < len(sysnames) && sysnames[c.Nr] == "restart_syscall"
	if nr, ok := d.restarts[c.Tid]; ok {
		if restart {
			c.resumes = nr + 1
		}
		// Kept through restart_syscall's entry (for its exit), and
		// through an entry of the interrupted call itself: a thread
		// stopped by the signal (do_signal_stop) still holds that call's
		// number in its registers. (bpf's switch_out sends a stop record
		// for it, not an entry, since 520f24e; an announcement of that
		// call there would not be a call of its own.)
		if c.Complete() || !restart && c.Nr != nr {
			delete(d.restarts, c.Tid)
		}
	}
	if c.Complete() && c.Ret == -erestartRestartblock {
		if d.restarts == nil {
			d.restarts = map[uint32]uint32{}
		}
		d.restarts[c.Tid] = c.Nr
	}
}

var kRestartOf = newKind(kindInfo{fmt: func(p *printer, c *Call, _ int) {
	p.s("<... resuming interrupted ")
	switch e := lookup(c.resumes - 1); {
	case c.resumes == 0:
		p.s("system call")
	case e == nil:
		p.s("syscall_")
		p.x(uint64(c.resumes - 1))
	default:
		p.s(e.Name)
	}
	p.s(" ...>")
}})

func init() {
	registerSigs(map[string]sig{"restart_syscall": {args: []kind{kRestartOf}}})
}
