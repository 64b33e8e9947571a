package loader

import (
	"errors"
	"fmt"
	"os"

	"github.com/cilium/ebpf/link"
	"go.uber.org/zap"
)

// The entry side of a call: the entry captures' tracepoints (perf's
// syscalls:sys_enter_* events, entry_capture) and sys_enter (a tp_btf
// program on the sys_enter tracepoint, for entry times, which stands in
// for the others while it is attached).

// attachEntries attaches the entry captures' program to the tracepoints
// of the syscalls whose plans have some (SetPlans). A syscall without
// one here (not on this architecture or kernel) goes without.
func (e *Engine) attachEntries() {
	if len(e.entryTPs) > 0 {
		if err := e.loadLazyInto(lazyProg{"entry_capture", &e.objs.EntryCapture}); err != nil {
			e.log.Warn("entry captures: load", errField(err))
			return
		}
	}
	for _, name := range e.entryTPs {
		l, err := link.Tracepoint("syscalls", name, e.objs.EntryCapture, nil)
		if errors.Is(err, os.ErrNotExist) {
			// No such tracepoint on this kernel (x86-64 has none for
			// set_thread_area, get_thread_area): expected, not a warning
			// at every session's start.
			e.log.Debug("entry captures: no tracepoint", zap.String("tracepoint", "syscalls:"+name))
			continue
		}
		if err != nil {
			e.log.Warn("entry captures: attach", zap.String("tracepoint", "syscalls:"+name), errField(err))
			continue
		}
		e.entryLinks = append(e.entryLinks, l)
	}
}

// detachEntriesLocked detaches the entry captures' tracepoints, for
// sys_enter to stand in for them. Closing each waits for grace periods:
// a daemon's close in the background (the programs find nothing to do
// meanwhile but captures sys_enter makes too: a thread's EV_ARGVALS and
// EV_ATTRMEM are the last of their kind the decoder keeps).
func (e *Engine) detachEntriesLocked() {
	links := e.entryLinks
	e.entryLinks = nil
	if e.release != nil {
		for _, l := range links {
			e.closeLinkLocked(l)
		}
		return
	}
	go func() {
		for _, l := range links {
			l.Close()
		}
	}()
}

// wantEntryLocked attaches sys_enter while some session wants entry times,
// and then it makes the entry captures too: their tracepoints' links are
// detached after it is attached, attached again before it is detached.
// (Beside perf's probe on the sys_enter tracepoint, sys_enter's would
// make every syscall of every process call both through the tracepoint's
// iterator.) Without sys_enter, the entry captures' tracepoints are
// attached only while some live session prints a syscall that has one
// (entryCaps): perf's probe on the sys_enter tracepoint costs every
// syscall of every process, traced or not, ~10 ns in a loop of getppid
// and ~3% of an untraced dd bs=1 here (AMD EPYC), so a session that
// traces -e trace=openat does not pay for accept's. While no session is
// live they stay as they were (idleGrace: the next session may want
// them); detachLocked takes them with the rest.
func (e *Engine) wantEntryLocked() error {
	need := e.wantedLocked(func(c *SessionConfig) bool { return c.Latency || c.IP })
	caps := e.wantedLocked(e.entryCaps)
	switch {
	case need && e.enterLink == nil:
		if err := e.loadEnterLocked(true); err != nil {
			return err
		}
		l, err := link.AttachTracing(link.TracingOptions{Program: e.objs.SysEnter})
		if err != nil {
			if caps && e.entryLinks == nil {
				e.attachEntries()
			}
			return fmt.Errorf("attach sys_enter: %w", err)
		}
		e.enterLink = l
		e.detachEntriesLocked()
	case !need && e.enterLink != nil:
		// With no session left, nothing needs entry captures until one
		// starts (the cases below): eproc trace -T does not load and
		// attach entry_capture as it ends.
		if caps {
			e.attachEntries()
		}
		e.enterLink.Close()
		e.enterLink = nil
	case !need && caps && e.entryLinks == nil && len(e.links) > 0:
		e.attachEntries()
	case !need && !caps && e.nlive > 0 && e.entryLinks != nil:
		e.detachEntriesLocked()
	}
	return nil
}

// entryCaps says whether a session with configuration c prints a call
// whose plan has entry captures.
func (e *Engine) entryCaps(c *SessionConfig) bool {
	if c.Syscalls == nil {
		return len(e.entryTPs) > 0
	}
	for _, nr := range c.Syscalls {
		if nr < MaxSyscalls && e.entryNrs[nr/64]&(1<<(nr%64)) != 0 {
			return true
		}
	}
	return false
}

// loadEnterLocked loads sys_enter (lazyProgs) for a session that wants
// entry times, before it goes live.
func (e *Engine) loadEnterLocked(want bool) error {
	if !want {
		return nil
	}
	return e.loadLazyInto(lazyProg{"sys_enter", &e.objs.SysEnter})
}
