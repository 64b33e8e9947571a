package strace

// seccomp user-notification ioctls ('!', linux/seccomp.h), as strace
// 6.1's seccomp_ioctl.c decodes them. Tables from
// xlat/seccomp_ioctl_addfd_flags.in, seccomp_ioctl_resp_flags.in.

var (
	seccompAddfdFlags = []flag{{0x1, "SECCOMP_ADDFD_FLAG_SETFD"}, {0x2, "SECCOMP_ADDFD_FLAG_SEND"}}
	seccompRespFlags  = []flag{{0x1, "SECCOMP_USER_NOTIF_FLAG_CONTINUE"}}
)

func seccompNotif(p *printer, b []byte) {
	p.s("{id=")
	hexOrZero(p, le.Uint64(b))
	p.s(", pid=")
	p.pid(int32(le.Uint32(b[8:])), ptTgid) // strace's PRINT_FIELD_TGID
	p.s(", flags=")
	hexOrZero(p, uint64(le.Uint32(b[12:])))
	arch := le.Uint32(b[20:])
	p.s(", data={nr=")
	syscallNumber(p, uint64(le.Uint32(b[16:])), arch)
	p.s(", arch=")
	p.xlat(uint64(arch), auditArches, "/AUDIT_ARCH_???")
	p.s(", instruction_pointer=")
	p.ptr(le.Uint64(b[24:]))
	p.s(", args=[")
	for k := 0; k < 6; k++ {
		if k > 0 {
			p.s(", ")
		}
		hexOrZero(p, le.Uint64(b[32+8*k:]))
	}
	p.s("]}}")
}

// fmtSeccompNotifRecv: the struct the caller filled, if any of it is
// not zero, then " => " and what the call filled (the address when it
// failed). Captured once, at exit.
func fmtSeccompNotifRecv(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 80)
	if b == nil {
		return
	}
	filled := false
	for _, x := range b[:80] {
		if x != 0 {
			filled = true
			break
		}
	}
	if filled {
		seccompNotif(p, b)
		p.s(" => ")
	}
	if !ioctlSucceeded(c) {
		p.x(c.Args[i])
		return
	}
	seccompNotif(p, b)
}

// errField prints an errno-valued int as strace's PRINT_FIELD_ERR_D:
// -ENAME, or the number.
func errField(p *printer, v int64) {
	name := ""
	if v < 0 && v >= -4095 {
		name = errnoName(-v)
	}
	if name == "" {
		p.d(v)
		return
	}
	p.constant("-"+name, func() { p.d(v) })
}

func fmtSeccompNotifResp(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 24)
	if b == nil {
		return
	}
	p.s("{id=")
	hexOrZero(p, le.Uint64(b))
	p.s(", val=")
	p.d(int64(le.Uint64(b[8:])))
	p.s(", error=")
	errField(p, int64(int32(le.Uint32(b[16:]))))
	p.s(", flags=")
	p.flagsDflt(uint64(le.Uint32(b[20:])), seccompRespFlags, "", "SECCOMP_USER_NOTIF_FLAG_???")
	p.c('}')
}

func fmtSeccompNotifID(p *printer, c *Call, i int) {
	if b := ioctlInBytes(p, c, i, 8); b != nil {
		p.c('[')
		hexOrZero(p, le.Uint64(b))
		p.c(']')
	}
}

func fmtSeccompNotifAddfd(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 24)
	if b == nil {
		return
	}
	p.s("{id=")
	hexOrZero(p, le.Uint64(b))
	p.s(", flags=")
	p.flagsDflt(uint64(le.Uint32(b[8:])), seccompAddfdFlags, "", "SECCOMP_ADDFD_FLAG_???")
	p.s(", srcfd=")
	p.fd(c, int32(le.Uint32(b[12:])))
	p.s(", newfd=")
	p.d(int64(int32(le.Uint32(b[16:]))))
	p.s(", newfd_flags=")
	p.flagsDflt(uint64(le.Uint32(b[20:])), openFlagTab, "", "O_???")
	p.c('}')
}

func init() {
	const sz = ioctlSizeBits
	registerIoctlsAtExit(map[uint32]ioctlDef{
		0xc0502100: {name: "SECCOMP_IOCTL_NOTIF_RECV", size: sz, arg: fmtSeccompNotifRecv},
		0xc0182101: {name: "SECCOMP_IOCTL_NOTIF_SEND", size: sz, arg: fmtSeccompNotifResp},
		0x40082102: {name: "SECCOMP_IOCTL_NOTIF_ID_VALID", size: sz, arg: fmtSeccompNotifID},
		0x80082102: {name: "SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR", size: sz, arg: fmtSeccompNotifID},
		0x40182103: {name: "SECCOMP_IOCTL_NOTIF_ADDFD", size: sz, arg: fmtSeccompNotifAddfd},
	})
}
