package strace

// The pid kinds: arguments and results that are pids, printed as
// strace's printpid (pids.go) prints them: a number, and with -Y or
// --decode-pids its comm or its pid in strace's namespace.

var (
	kPidTid  = pidKind(ptTid)  // a thread: tkill's, tgkill's second
	kPidTgid = pidKind(ptTgid) // a process: most calls' pid
	kPidPgid = pidKind(ptPgid) // a process group: setpgid's second
	// kPidTgidPgid is kill's and wait4's pid: a process (> 0) or a
	// process group (< -1), as printpid_tgid_pgid.
	kPidTgidPgid = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.pidTgidPgid(int32(c.Args[i])) }})
	// kWaitidId is waitid's id: a process for P_PID, a group for P_PGID.
	kWaitidId = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		switch id := int32(c.Args[i]); uint32(c.Args[0]) {
		case 1: // P_PID
			p.pid(id, ptTgid)
		case 2: // P_PGID
			p.pid(id, ptPgid)
		case 3: // P_PIDFD: printfd
			p.fd(c, id)
		default:
			p.d(int64(id))
		}
	}})
	// kPrioWho is getpriority's and setpriority's who: a process for
	// PRIO_PROCESS, a group for PRIO_PGRP.
	kPrioWho = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		switch id := int32(c.Args[i]); uint32(c.Args[0]) {
		case 0: // PRIO_PROCESS
			p.pid(id, ptTgid)
		case 1: // PRIO_PGRP
			p.pid(id, ptPgid)
		default:
			p.d(int64(id))
		}
	}})
	// kIoprioPid is ioprio_get's and ioprio_set's who: a process for
	// IOPRIO_WHO_PROCESS, a group for IOPRIO_WHO_PGRP.
	kIoprioPid = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		switch id := int32(c.Args[i]); uint32(c.Args[0]) {
		case 1:
			p.pid(id, ptTgid)
		case 2:
			p.pid(id, ptPgid)
		default:
			p.d(int64(id))
		}
	}})
)

func pidKind(typ pidType) kind {
	return newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.pid(int32(c.Args[i]), typ) }})
}

// Results that are pids: strace's RVAL_TID, RVAL_TGID, RVAL_PGID, RVAL_SID.
func retTid(p *printer, c *Call)  { p.pid(int32(c.Ret), ptTid) }
func retTgid(p *printer, c *Call) { p.pid(int32(c.Ret), ptTgid) }
func retPgid(p *printer, c *Call) { p.pid(int32(c.Ret), ptPgid) }
func retSid(p *printer, c *Call)  { p.pid(int32(c.Ret), ptSid) }

// schedCorePid is PR_SCHED_CORE's pid, of the kind its pid type says
// (PIDTYPE_PID, _TGID, _PGID, _SID; others: a number).
func schedCorePid(p *printer, id int32, pt uint32) {
	if pt >= uint32(ptCount) {
		p.d(int64(id))
		return
	}
	p.pid(id, [...]pidType{ptTid, ptTgid, ptPgid, ptSid}[pt])
}

// ownerPid is struct f_owner_ex's pid, of the kind its type says
// (F_OWNER_TID, F_OWNER_PID, F_OWNER_PGRP; others: a number).
func ownerPid(p *printer, id int32, typ uint32) {
	if typ > 2 {
		p.d(int64(id))
		return
	}
	p.pid(id, [...]pidType{ptTid, ptTgid, ptPgid}[typ])
}
