package strace

// System V IPC: shared memory, semaphores, message queues. The _ds
// structures of IPC_STAT and friends are printed as addresses.

import "github.com/eproc/eproc/loader/wire"

var (
	ipcGetFlags = []flag{{0o1000, "IPC_CREAT"}, {0o2000, "IPC_EXCL"}, {0o4000, "IPC_NOWAIT"}}
	shmgetFlags = []flag{{0o1000, "IPC_CREAT"}, {0o2000, "IPC_EXCL"}, {0o4000, "SHM_HUGETLB"}, {0o10000, "SHM_NORESERVE"}}
	shmatFlags  = []flag{{0o10000, "SHM_RDONLY"}, {0o20000, "SHM_RND"}, {0o40000, "SHM_REMAP"}, {0o100000, "SHM_EXEC"}}
	shmctlCmds  = []flag{{0, "IPC_RMID"}, {1, "IPC_SET"}, {2, "IPC_STAT"}, {3, "IPC_INFO"}, {11, "SHM_LOCK"},
		{12, "SHM_UNLOCK"}, {13, "SHM_STAT"}, {14, "SHM_INFO"}, {15, "SHM_STAT_ANY"}}
	semctlCmds = []flag{{0, "IPC_RMID"}, {1, "IPC_SET"}, {2, "IPC_STAT"}, {3, "IPC_INFO"}, {11, "GETPID"},
		{12, "GETVAL"}, {13, "GETALL"}, {14, "GETNCNT"}, {15, "GETZCNT"}, {16, "SETVAL"}, {17, "SETALL"},
		{18, "SEM_STAT"}, {19, "SEM_INFO"}, {20, "SEM_STAT_ANY"}}
	msgctlCmds = []flag{{0, "IPC_RMID"}, {1, "IPC_SET"}, {2, "IPC_STAT"}, {3, "IPC_INFO"}, {11, "MSG_STAT"},
		{12, "MSG_INFO"}, {13, "MSG_STAT_ANY"}}
	semFlags    = []flag{{0x1000, "SEM_UNDO"}, {0o4000, "IPC_NOWAIT"}}
	ipcMsgFlags = []flag{{0o4000, "IPC_NOWAIT"}, {0o10000, "MSG_NOERROR"}, {0o20000, "MSG_EXCEPT"}, {0o40000, "MSG_COPY"}}
)

// ipcPerms prints IPC permission bits: 000 for none, otherwise in octal
// with one leading 0 (07, 0644), as strace prints them. (octalMode differs:
// it pads to three digits, 007.)
func ipcPerms(p *printer, m uint64) {
	if m == 0 {
		p.s("000")
		return
	}
	p.octal(m)
}

func ipcGetKind(tab []flag) kind {
	return newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		v := c.Args[i] & 0xffffffff
		if f := v &^ 0o777; f != 0 {
			p.flags(f, tab, "")
			p.c('|')
		}
		ipcPerms(p, v&0o777)
	}})
}

func ipcCmdKind(tab []flag) kind {
	return newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		v := c.Args[i] & 0xffffffff
		if v&0x100 != 0 {
			p.constVal(0x100, 'x', "IPC_64")
			p.c('|')
			v &^= 0x100
		}
		p.xlat(v, tab, "")
	}})
}

// shmgetFlagsFmt prints shmget's flags as strace does: the flags, the
// huge page size as N<<SHM_HUGE_SHIFT, then the permissions.
func shmgetFlagsFmt(p *printer, v uint64) {
	const hugeMask = 0x3f << 26
	f := v &^ 0o777
	huge := f & hugeMask
	f &^= hugeMask
	if f != 0 {
		p.flags(f, shmgetFlags, "")
	}
	if huge != 0 {
		if f != 0 {
			p.c('|')
		}
		p.u(huge >> 26)
		p.s("<<")
		p.constVal(26, 'u', "SHM_HUGE_SHIFT")
	}
	if f != 0 || huge != 0 {
		p.c('|')
	}
	ipcPerms(p, v&0o777)
}

var (
	kIPCKey = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		if uint32(c.Args[i]) == 0 {
			p.constVal(0, 'x', "IPC_PRIVATE")
			return
		}
		p.x(c.Args[i] & 0xffffffff)
	}})
	kShmgetFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { shmgetFlagsFmt(p, c.Args[i]&0xffffffff) }})
	kIPCGetFlags = ipcGetKind(ipcGetFlags)
	kShmatFlags  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, shmatFlags, "") }})
	kShmctlCmd   = ipcCmdKind(shmctlCmds)
	kSemctlCmd   = ipcCmdKind(semctlCmds)
	kMsgctlCmd   = ipcCmdKind(msgctlCmds)
	kIPCMsgFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, ipcMsgFlags, "") }})
	kSembufs     = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 6, max: 6 * 33, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) { printArray(p, c, i, 6, uint64(uint32(c.Args[i+1])), sembuf) }})

	kMsgbufIn  = newKind(kindInfo{cap: capIn(8 + 32), fmt: func(p *printer, c *Call, i int) { fmtMsgbuf(p, c, i) }})
	kMsgbufOut = newKind(kindInfo{out: true, cap: capOut(8 + 32), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		fmtMsgbuf(p, c, i)
	}})
)

// sembuf prints a struct sembuf.
func sembuf(p *printer, _ uint64, d []byte) bool {
	p.s("{sem_num=")
	p.u(uint64(le.Uint16(d)))
	p.s(", sem_op=")
	p.d(int64(int16(le.Uint16(d[2:]))))
	p.s(", sem_flg=")
	p.flags(uint64(le.Uint16(d[4:])), semFlags, "0")
	p.c('}')
	return true
}

// fmtMsgbuf prints struct msgbuf: its type and the first msgsz bytes of text
// (as strace does, whatever the call moved).
func fmtMsgbuf(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < 8 || !p.verbose() { // -e verbose=: mtype's umove_or_printaddr
		p.ptr(c.Args[i])
		return
	}
	p.s("{mtype=")
	p.d(int64(le.Uint64(cp.Data)))
	p.s(", mtext=")
	n := c.Args[i+1]
	text := cp.Data[8:]
	if uint64(len(text)) > n {
		text = text[:n]
	}
	if len(text) > p.strsize {
		text = text[:p.strsize]
	}
	p.quote(text, uint64(len(text)) < n)
	p.c('}')
}

func init() {
	registerSigs(map[string]sig{
		"shmget":     {args: []kind{kIPCKey, kUlong, kShmgetFlags}, class: ClassIPC},
		"shmat":      {args: []kind{kInt, kPtr, kShmatFlags}, ret: addrRet, class: ClassIPC | ClassMemory},
		"shmdt":      {args: []kind{kPtr}, class: ClassIPC | ClassMemory},
		"shmctl":     {args: []kind{kInt, kShmctlCmd, kShmctlBuf}, class: ClassIPC},
		"semget":     {args: []kind{kIPCKey, kInt, kIPCGetFlags}, class: ClassIPC},
		"semop":      {args: []kind{kInt, kSembufs, kUint}, class: ClassIPC},
		"semtimedop": {args: []kind{kInt, kSembufs, kUint, kTimespec}, class: ClassIPC},
		"semctl":     {args: []kind{kInt, kInt, kSemctlCmd, kSemctlBuf}, class: ClassIPC},
		"msgget":     {args: []kind{kIPCKey, kIPCGetFlags}, class: ClassIPC},
		"msgsnd":     {args: []kind{kInt, kMsgbufIn, kUlong, kIPCMsgFlags}, class: ClassIPC},
		"msgrcv":     {args: []kind{kInt, kMsgbufOut, kUlong, kLong, kIPCMsgFlags}, class: ClassIPC},
		"msgctl":     {args: []kind{kInt, kMsgctlCmd, kMsgctlBuf}, class: ClassIPC},
	})
}
