package strace

import "github.com/eproc/eproc/loader/wire"

// A text printed for another pid namespace than eproc's: eproc mount's
// session for an eproc trace that runs in a pid namespace of its own
// (unshare -p): its lines say what strace says when it runs there. The
// pids strace prints as its own (each line's prefix, "<pid changed to N
// ...>") are in that namespace, and --pidns-translation's comments say a
// pid's number there ("/* N in strace's PID NS */") when the caller's
// namespace is not that one. The records and /proc still speak eproc's
// namespace (the initial one): the table keeps each thread's ids in the
// view's namespace beside them.

// PidView is the pid namespace a text is printed for (Options.PidView).
type PidView struct {
	Ns    uint64 // the namespace's inode (/proc/PID/ns/pid)
	Level int    // its depth in /proc's NSpid lists (0: /proc's own)
}

// viewIds is the id, of ids (a status line of process pid, from /proc's
// namespace down), in the view's namespace; 0 when it has none there.
func (t *pidTable) viewIds(pid uint32, ids []int32) int32 {
	if t.view == nil {
		if len(ids) > t.level {
			return ids[t.level]
		}
		return 0
	}
	l := t.view.Level
	switch {
	case len(ids) <= l:
		return 0
	case len(ids) == l+1 && t.src.pidNs(pid) != t.view.Ns:
		return 0 // another namespace of the view's depth
	}
	return ids[l]
}

// bornViewed sets a child's ids in the view's namespace from its fork
// record: when it was born there, or just below (a namespace the client's
// command made: the record has its id in the parent namespace); else from
// /proc, when it was born further below (a child that has been waited for
// before its fork is decoded has none: its lines keep eproc's pid).
func (t *pidTable) bornViewed(pr *pidProc, f *wire.Fork) {
	v := t.view
	switch {
	case pr.level == v.Level && pr.ns == v.Ns:
		pr.vtid, pr.vtgid = pr.tid, pr.tgid
	case pr.level == v.Level+1 && f.NsPtid != 0:
		pr.vtid, pr.vtgid = int32(f.NsPtid), int32(f.NsPtid)
		if f.Thread {
			pr.vtgid = 0
			if leader := t.procs[f.ChildTgid]; leader != nil {
				pr.vtgid = leader.vtid
			}
		}
	case pr.level > v.Level:
		b, err := t.src.status(f.ChildTid, 0)
		if err != nil {
			return
		}
		ids, tgids := statusIds(b, ptTid), statusIds(b, ptTgid)
		if len(ids) != pr.level+1 || len(tgids) != len(ids) || ids[pr.level] != pr.tid {
			return // not the child any more: its id went to another
		}
		pr.vtid, pr.vtgid = ids[v.Level], tgids[v.Level]
	}
}

// viewed is id, of type typ in thread tid's namespace, in the view's
// (without a view, in eproc's): 0 when no process has it there.
func (t *pidTable) viewed(tid uint32, id int32, typ pidType) uint32 {
	if t.view == nil {
		return t.translate(tid, id, typ)
	}
	if id <= 0 {
		return 0
	}
	pr := t.proc(tid)
	switch {
	case pr.ns == 0 || pr.ns == t.view.Ns:
		return uint32(id) // as strace: no look-up in one's own namespace
	case typ == ptTid && id == pr.tid:
		return uint32(pr.vtid)
	case typ != ptTid && id == pr.tgid: // the process, or the group or session it leads (translate)
		return uint32(pr.vtgid)
	}
	return t.lookup(pr, id, typ).v
}

// procPid is the process /proc knows by the id v in the view's namespace
// that the caller knows as id: v without a view.
func (t *pidTable) procPid(v uint32, id int32, typ pidType) uint32 {
	if t.view == nil {
		return v
	}
	return t.translate(t.caller, id, typ)
}

// viewTid is thread tid (eproc's namespace) as the view knows it; tid
// itself without a view, or when the view's id is not known.
func (t *pidTable) viewTid(tid uint32) uint32 {
	if t.view == nil {
		return tid
	}
	if pr := t.proc(tid); pr.vtid > 0 {
		return uint32(pr.vtid)
	}
	return tid
}

// shown is thread tid as the text prints it: in the view's namespace.
func (t *Text) shown(tid uint32) uint32 {
	if t.pids == nil {
		return tid
	}
	return t.pids.viewTid(tid)
}
