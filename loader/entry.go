package loader

import (
	"fmt"

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
// iterator.)
func (e *Engine) wantEntryLocked() error {
	need := e.wantedLocked(func(c *SessionConfig) bool { return c.Latency })
	switch {
	case need && e.enterLink == nil:
		if err := e.loadEnterLocked(true); err != nil {
			return err
		}
		l, err := link.AttachTracing(link.TracingOptions{Program: e.objs.SysEnter})
		if err != nil {
			if e.entryLinks == nil {
				e.attachEntries()
			}
			return fmt.Errorf("attach sys_enter: %w", err)
		}
		e.enterLink = l
		e.detachEntriesLocked()
	case !need && e.enterLink != nil:
		// With no session left, nothing needs entry captures until one
		// starts (the case below): eproc trace -T does not load and
		// attach entry_capture as it ends.
		if e.nlive > 0 {
			e.attachEntries()
		}
		e.enterLink.Close()
		e.enterLink = nil
	case !need && e.nlive > 0 && e.entryLinks == nil && len(e.links) > 0:
		e.attachEntries() // the programs stayed attached (idleGrace) since
	}
	return nil
}

// loadEnterLocked loads sys_enter (lazyProgs) for a session that wants
// entry times, before it goes live.
func (e *Engine) loadEnterLocked(want bool) error {
	if !want {
		return nil
	}
	return e.loadLazyInto(lazyProg{"sys_enter", &e.objs.SysEnter})
}
