package strace

import "runtime"

// The buffers of shmctl, semctl and msgctl, as strace 6.1 prints them
// (ipc_shmctl.c, ipc_semctl.c, ipc_msgctl.c): the _ds structure of
// IPC_STAT, *_STAT, *_STAT_ANY (at exit, when the call succeeded) and
// IPC_SET (whatever the result), the info structures of IPC_INFO and
// *_INFO; any other command's argument is an address. The layouts are
// x86_64's and arm64's (glibc's struct ipc_perm: key, uid, gid, cuid,
// cgid, mode, each 4 bytes).

const (
	ipcSet  = 1
	ipcStat = 2
	ipcInfo = 3
)

// ipcCtlMax is the most any command's structure needs: msqid_ds.
const ipcCtlMax = 120

// ipcID prints a uid or gid field: -1, or unsigned.
func ipcID(p *printer, v uint32) {
	if v == 0xffffffff {
		p.s("-1")
		return
	}
	p.u(uint64(v))
}

// ipcPerm prints struct ipc_perm; IPC_SET's only uid, gid and mode.
func ipcPerm(p *printer, b []byte, set bool) {
	p.s("{uid=")
	ipcID(p, le.Uint32(b[4:]))
	p.s(", gid=")
	ipcID(p, le.Uint32(b[8:]))
	p.s(", mode=")
	octalMode(p, uint64(le.Uint32(b[20:])))
	if !set {
		p.s(", key=")
		p.u(uint64(le.Uint32(b)))
		p.s(", cuid=")
		ipcID(p, le.Uint32(b[12:]))
		p.s(", cgid=")
		ipcID(p, le.Uint32(b[16:]))
	}
	p.c('}')
}

// field is one field of a structure printed by ipcFields: its name and
// offset, and whether it is a signed int (4 bytes) or an unsigned long.
type field struct {
	name string
	off  int
	i32  bool
}

func ipcFields(p *printer, b []byte, fs []field) {
	for _, f := range fs {
		p.s(f.name)
		if f.i32 {
			p.d(int64(int32(le.Uint32(b[f.off:]))))
		} else {
			p.u(le.Uint64(b[f.off:]))
		}
	}
}

func i32Fields(names ...string) []field {
	fs := make([]field, len(names))
	for k, n := range names {
		fs[k] = field{name: n, off: 4 * k, i32: true}
		if k > 0 {
			fs[k].name = ", " + n
		}
	}
	return fs
}

var (
	shmidStat = []field{{", shm_segsz=", 48, false}, {", shm_cpid=", 80, true}, {", shm_lpid=", 84, true},
		{", shm_nattch=", 88, false}, {", shm_atime=", 56, false}, {", shm_dtime=", 64, false}, {", shm_ctime=", 72, false}}
	shmInfo    = []field{{"shmmax=", 0, false}, {", shmmin=", 8, false}, {", shmmni=", 16, false}, {", shmseg=", 24, false}, {", shmall=", 32, false}}
	shmInfoAll = []field{{"used_ids=", 0, true}, {", shm_tot=", 8, false}, {", shm_rss=", 16, false}, {", shm_swp=", 24, false},
		{", swap_attempts=", 32, false}, {", swap_successes=", 40, false}}
	semidStat = semidFields()
	semInfo   = i32Fields("semmap=", "semmni=", "semmns=", "semmnu=", "semmsl=", "semopm=", "semume=", "semusz=", "semvmx=", "semaem=")
	msqidStat = []field{{", msg_stime=", 48, false}, {", msg_rtime=", 56, false}, {", msg_ctime=", 64, false}, {", msg_qnum=", 80, false}}
	msqidPids = []field{{", msg_lspid=", 96, true}, {", msg_lrpid=", 100, true}}
	msgInfo   = i32Fields("msgpool=", "msgmap=", "msgmax=", "msgmnb=", "msgmni=", "msgssz=", "msgtql=")
)

// semidFields are struct semid_ds's times and count: x86_64's has a
// reserved word after each time, the generic one (arm64's) does not.
func semidFields() []field {
	if runtime.GOARCH == "amd64" {
		return []field{{", sem_otime=", 48, false}, {", sem_ctime=", 64, false}, {", sem_nsems=", 80, false}}
	}
	return []field{{", sem_otime=", 48, false}, {", sem_ctime=", 56, false}, {", sem_nsems=", 64, false}}
}

// ipcCtlKind is the buffer argument of a ctl call whose command is
// argument cmdArg; print prints the structure for the command (with
// IPC_64 cleared), reporting false when the command has none.
func ipcCtlKind(cmdArg int, print func(p *printer, b []byte, cmd uint64) bool) kind {
	return newKind(kindInfo{out: true, cap: capOutAny(ipcCtlMax), fmt: func(p *printer, c *Call, i int) {
		cmd := c.Args[cmdArg] & 0xffffffff &^ 0x100
		if c.Args[i] == 0 || cmd != ipcSet && (c.Ret < 0 || !c.Complete()) || !p.verbose() { // -e verbose=: umove_or_printaddr, tfetch_mem
			p.ptr(c.Args[i])
			return
		}
		cp := c.Cap(i, 0)
		if cp == nil || cp.Fault() || len(cp.Data) < ipcCtlMax {
			p.ptr(c.Args[i])
			return
		}
		mark := len(p.b)
		if !print(p, cp.Data, cmd) {
			p.b = p.b[:mark]
			p.ptr(c.Args[i])
		}
	}})
}

var (
	kShmctlBuf = ipcCtlKind(1, func(p *printer, b []byte, cmd uint64) bool {
		switch cmd {
		case ipcSet, ipcStat, 13, 15: // SHM_STAT, SHM_STAT_ANY
			p.s("{shm_perm=")
			ipcPerm(p, b, cmd == ipcSet)
			if cmd != ipcSet {
				ipcFields(p, b, shmidStat)
			}
			p.c('}')
		case ipcInfo:
			p.c('{')
			ipcFields(p, b, shmInfo)
			p.c('}')
		case 14: // SHM_INFO
			p.c('{')
			ipcFields(p, b, shmInfoAll)
			p.c('}')
		default:
			return false
		}
		return true
	})
	kSemctlBuf = ipcCtlKind(2, func(p *printer, b []byte, cmd uint64) bool {
		switch cmd {
		case ipcSet, ipcStat, 18, 20: // SEM_STAT, SEM_STAT_ANY
			p.s("{sem_perm=")
			ipcPerm(p, b, cmd == ipcSet)
			if cmd != ipcSet {
				ipcFields(p, b, semidStat)
			}
			p.c('}')
		case ipcInfo, 19: // SEM_INFO
			p.c('{')
			ipcFields(p, b, semInfo)
			p.c('}')
		default:
			return false
		}
		return true
	})
	kMsgctlBuf = ipcCtlKind(1, func(p *printer, b []byte, cmd uint64) bool {
		switch cmd {
		case ipcSet, ipcStat, 11, 13: // MSG_STAT, MSG_STAT_ANY
			p.s("{msg_perm=")
			ipcPerm(p, b, cmd == ipcSet)
			if cmd != ipcSet {
				ipcFields(p, b, msqidStat)
			}
			p.s(", msg_qbytes=")
			p.u(le.Uint64(b[88:]))
			if cmd != ipcSet {
				ipcFields(p, b, msqidPids)
			}
			p.c('}')
		case ipcInfo, 12: // MSG_INFO
			p.c('{')
			ipcFields(p, b, msgInfo)
			p.s(", msgseg=")
			p.u(uint64(le.Uint16(b[28:])))
			p.c('}')
		default:
			return false
		}
		return true
	})
)
