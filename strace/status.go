package strace

import (
	"fmt"
	"slices"
	"strings"
)

// strace's -z, -Z and -e status=SET: which calls are printed, by how they
// ended. The filter runs here, on the decoded records. For -z and -Z alone
// the kernel also leaves the other calls out (eproc trace asks the loader
// for it: SessionConfig.Results), so that they cost no ring space; this
// filter still decides for calls under way and for everything else.

// The statuses of strace's -e status= (Options.Status).
const (
	StatusSuccessful  = 1 << iota // returned, not an error
	StatusFailed                  // returned an error (-1 ERRNO)
	StatusUnfinished              // never returned: exit_group, or its thread died in it
	StatusUnavailable             // returned, the result unknown (never, in eproc)
	StatusDetached                // still under way when the session ended
	statusAll         = 1<<iota - 1

	// StatusFiltered marks a set that is not all: 0 prints every call, the
	// way strace does without the option.
	StatusFiltered = 0x80
)

var statusNames = map[string]uint8{
	"successful": StatusSuccessful, "failed": StatusFailed, "unfinished": StatusUnfinished,
	"unavailable": StatusUnavailable, "detached": StatusDetached,
}

// ParseStatus parses strace's -e status=SET: names of statuses separated
// by commas, case ignored, "all", "none", "!" before them all to negate.
// The result is Options.Status: 0 for all.
func ParseStatus(s string) (uint8, error) {
	set, err := parseNameSet(s, statusNames, statusAll, "status")
	if err != nil {
		return 0, err
	}
	if set == statusAll {
		return 0, nil
	}
	return set | StatusFiltered, nil
}

// filtered prints a call under a status filter, as strace does: whole,
// when it has ended and its status is in the set. A call that blocked is
// not printed at its entry: its text is kept aside until its return (then
// unused: the returned call's record has it all), its thread's death
// (unfinished) or the session's end (detached) decides.
func (t *Text) filtered(c *Call, e *Sysent) {
	if c.Complete() {
		if len(t.held) > 0 {
			t.dropHeld(c.Tid)
		}
		st := uint8(StatusSuccessful)
		if c.Ret < 0 && c.Ret >= -4095 {
			st = StatusFailed
		}
		if t.opt.Status&st != 0 {
			t.completed(c, e)
		} else if t.opt.Injected != nil {
			t.opt.Injected(c.Tid, c.Nr) // not printed, but told: the next call's mark is its own
		}
		return
	}
	if t.signatureOf(e, c.Nr).noreturn {
		if t.opt.Status&StatusUnfinished != 0 {
			t.entered(c, e) // the whole line, "= ?"
		}
		return
	}
	if _, ok := t.held[c.Tid]; ok {
		return // announced again: the first is kept
	}
	s := t.signatureOf(e, c.Nr)
	n := min(s.count(c), 6)
	// The entry's text, printed as an open line and taken back; -r's
	// previous time stays the last printed line's.
	p := &t.p
	prev, started := t.relPrev, t.relStarted
	t.entered(c, e)
	t.open = false
	t.relPrev, t.relStarted = prev, started
	var buf []byte
	if n := len(t.heldFree); n > 0 {
		buf, t.heldFree = t.heldFree[n-1], t.heldFree[:n-1]
	}
	t.held[c.Tid] = heldCall{append(buf[:0], p.b[p.lineStart:]...), s.split(c, n) < n}
	p.b = p.b[:p.lineStart]
}

// heldCall is the text of a call's entry, kept aside under a status
// filter; more: arguments are left for its return.
type heldCall struct {
	text []byte
	more bool
}

// dropHeld forgets tid's call kept aside, if any.
func (t *Text) dropHeld(tid uint32) {
	if h, ok := t.held[tid]; ok {
		delete(t.held, tid)
		t.heldFree = append(t.heldFree, h.text)
	}
}

// heldDied prints tid's call kept aside, if any, when its thread died in
// it: strace's "name(args <unfinished ...>) = ?" (without "<unfinished
// ...>" when no argument was left for its return), for status unfinished.
func (t *Text) heldDied(tid uint32) {
	h, ok := t.held[tid]
	if !ok {
		return
	}
	if t.opt.Status&StatusUnfinished != 0 {
		p := &t.p
		p.bytes(h.text)
		if h.more {
			p.s(" <unfinished ...>")
		}
		p.c(')')
		p.toResult()
		p.c('?')
		p.newline()
	}
	t.dropHeld(tid)
}

// heldEnd prints the calls still kept aside when the session ends, in
// thread order: strace's "name(args <detached ...>", for status detached.
func (t *Text) heldEnd() {
	tids := make([]uint32, 0, len(t.held))
	for tid := range t.held {
		tids = append(tids, tid)
	}
	slices.Sort(tids)
	for _, tid := range tids {
		if t.opt.Status&StatusDetached != 0 {
			t.p.bytes(t.held[tid].text)
			t.p.s(" <detached ...>")
			t.p.newline()
		}
		t.dropHeld(tid)
	}
}

// heldExec follows an exec by a thread other than the leader: its execve,
// kept aside under its old id, returns under the new one.
func (t *Text) heldExec(oldTid, tid uint32) {
	if buf, ok := t.held[oldTid]; ok {
		delete(t.held, oldTid)
		t.dropHeld(tid)
		t.held[tid] = buf
	}
}

// parseNameSet parses one of strace's sets of names (-e status=, -e
// quiet=): names separated by commas, case ignored, "all", "none", a
// leading "!" negating the set. The error is strace's ("invalid what 'x'").
func parseNameSet(s string, names map[string]uint8, all uint8, what string) (uint8, error) {
	neg := strings.HasPrefix(s, "!")
	s = strings.TrimPrefix(s, "!")
	var set uint8
	for _, w := range strings.Split(s, ",") {
		switch w = strings.ToLower(w); w {
		case "all":
			set = all
		case "none":
		default:
			bit, ok := names[w]
			if !ok {
				return 0, fmt.Errorf("invalid %s '%s'", what, w)
			}
			set |= bit
		}
	}
	if neg {
		set ^= all
	}
	return set, nil
}
