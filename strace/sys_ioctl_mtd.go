package strace

// MTD ioctls (_IOC type 'M'), as strace 6.1's mtd.c decodes them, and
// ioctl.c's MIXER_READ(nr)/MIXER_WRITE(nr) names of that type. Tables:
// zmtd_xlat.go.

// mtdDecodeNumber is ioctl_decode_command_number's case 'M'.
func mtdDecodeNumber(p *printer, req uint32) bool {
	switch req >> 30 {
	case 1:
		p.s("MIXER_WRITE(")
	case 2:
		p.s("MIXER_READ(")
	default:
		return false
	}
	p.u(uint64(req & 0xff))
	p.c(')')
	return true
}

func mtdX32(p *printer, name string, b []byte) {
	p.s(name)
	hexOrZero(p, uint64(le.Uint32(b)))
}

func mtdX64(p *printer, name string, b []byte) {
	p.s(name)
	hexOrZero(p, le.Uint64(b))
}

func mtdEraseInfo(p *printer, b []byte) {
	mtdX32(p, "{start=", b)
	mtdX32(p, ", length=", b[4:])
	p.c('}')
}

func mtdEraseInfo64(p *printer, b []byte) {
	mtdX64(p, "{start=", b)
	mtdX64(p, ", length=", b[8:])
	p.c('}')
}

func mtdOobBuf(p *printer, b []byte) {
	mtdX32(p, "{start=", b)
	mtdX32(p, ", length=", b[4:])
	p.s(", ptr=")
	p.ptr(le.Uint64(b[8:]))
	p.c('}')
}

func mtdOobBuf64(p *printer, b []byte) {
	mtdX64(p, "{start=", b)
	mtdX32(p, ", length=", b[12:]) // after a u32 pad
	p.s(", usr_ptr=")
	p.ptr(le.Uint64(b[16:]))
	p.c('}')
}

func mtdOtpInfo(p *printer, b []byte) {
	mtdX32(p, "{start=", b)
	mtdX32(p, ", length=", b[4:])
	p.s(", locked=")
	p.u(uint64(le.Uint32(b[8:])))
	p.c('}')
}

func mtdWriteReq(p *printer, b []byte) {
	mtdX64(p, "{start=", b)
	mtdX64(p, ", len=", b[8:])
	mtdX64(p, ", ooblen=", b[16:])
	p.s(", usr_data=")
	p.ptr(le.Uint64(b[24:]))
	p.s(", usr_oob=")
	p.ptr(le.Uint64(b[32:]))
	p.s(", mode=")
	p.xlat(uint64(b[40]), mtdModeOptions, "/MTD_OPS_???")
	p.c('}')
}

func mtdInfoUser(p *printer, b []byte) {
	p.s("{type=")
	p.xlat(uint64(b[0]), mtdTypeOptions, "/MTD_???")
	p.s(", flags=")
	p.flagsDflt(uint64(le.Uint32(b[4:])), mtdFlagsOptions, "", "MTD_???")
	mtdX32(p, ", size=", b[8:])
	mtdX32(p, ", erasesize=", b[12:])
	mtdX32(p, ", writesize=", b[16:])
	mtdX32(p, ", oobsize=", b[20:])
	mtdX64(p, ", padding=", b[24:])
	p.c('}')
}

// mtdXArray is PRINT_FIELD_ARRAY of n u32 in hex (at most -s of them).
func mtdXArray(p *printer, b []byte, n int) {
	p.c('[')
	for j := 0; j < n; j++ {
		if j > 0 {
			p.s(", ")
		}
		if j >= p.strsize {
			p.s("...")
			break
		}
		hexOrZero(p, uint64(le.Uint32(b[4*j:])))
	}
	p.c(']')
}

func mtdNandOobinfo(p *printer, b []byte) {
	p.s("{useecc=")
	p.xlat(uint64(le.Uint32(b)), mtdNandeccOptions, "/MTD_NANDECC_???")
	mtdX32(p, ", eccbytes=", b[4:])
	p.s(", oobfree=[")
	for j := 0; j < 8; j++ {
		if j > 0 {
			p.s(", ")
		}
		mtdXArray(p, b[8+8*j:], 2)
	}
	p.s("], eccpos=")
	mtdXArray(p, b[0x48:], 32)
	p.c('}')
}

func mtdEcclayout(p *printer, b []byte) {
	mtdX32(p, "{eccbytes=", b)
	p.s(", eccpos=")
	mtdXArray(p, b[4:], 64)
	mtdX32(p, ", oobavail=", b[0x104:])
	p.s(", oobfree=[")
	for j := 0; j < 8; j++ {
		if j > 0 {
			p.s(", ")
		}
		e := b[0x108+8*j:]
		mtdX32(p, "{offset=", e)
		mtdX32(p, ", length=", e[4:])
		p.c('}')
	}
	p.s("]}")
}

func mtdEccStats(p *printer, b []byte) {
	mtdX32(p, "{corrected=", b)
	mtdX32(p, ", failed=", b[4:])
	mtdX32(p, ", badblocks=", b[8:])
	mtdX32(p, ", bbtblocks=", b[12:])
	p.c('}')
}

// mtdRegionInfo is MEMGETREGIONINFO's struct region_info_user: its index
// at entry, the rest when the call succeeded.
func mtdRegionInfo(p *printer, c *Call, b []byte) {
	mtdX32(p, "{regionindex=", b[12:])
	if !ioctlFailed(c) {
		mtdX32(p, ", offset=", b)
		mtdX32(p, ", erasesize=", b[4:])
		mtdX32(p, ", numblocks=", b[8:])
	}
	p.c('}')
}

func mtdIn(n int, pr func(p *printer, b []byte)) ioctlDef {
	return ioctlDef{size: n, arg: ioctlIn(n, pr)}
}

func mtdOut(n int, pr func(p *printer, b []byte)) ioctlDef {
	return ioctlDef{size: n, exit: true, arg: ioctlOut(n, pr)}
}

func init() {
	ioctlNumberDecoders['M'] = mtdDecodeNumber
	u64 := mtdIn(8, func(p *printer, b []byte) { p.c('['); p.u(le.Uint64(b)); p.c(']') })
	registerIoctls(map[uint32]ioctlDef{
		0x40084d02: mtdIn(8, mtdEraseInfo),    // MEMERASE
		0x40084d05: mtdIn(8, mtdEraseInfo),    // MEMLOCK
		0x40084d06: mtdIn(8, mtdEraseInfo),    // MEMUNLOCK
		0x80084d17: mtdIn(8, mtdEraseInfo),    // MEMISLOCKED
		0x40104d14: mtdIn(16, mtdEraseInfo64), // MEMERASE64
		0xc0104d03: mtdIn(16, mtdOobBuf),      // MEMWRITEOOB
		0xc0104d04: mtdIn(16, mtdOobBuf),      // MEMREADOOB
		0xc0184d15: mtdIn(24, mtdOobBuf64),    // MEMWRITEOOB64
		0xc0184d16: mtdIn(24, mtdOobBuf64),    // MEMREADOOB64
		0xc0304d18: mtdIn(48, mtdWriteReq),    // MEMWRITE
		0x400c4d0f: mtdOut(12, mtdOtpInfo),    // OTPGETREGIONINFO
		0x800c4d10: mtdIn(12, mtdOtpInfo),     // OTPLOCK
		0x80044d0d: mtdIn(4, func(p *printer, b []byte) {
			p.c('[')
			p.xlat(uint64(le.Uint32(b)), mtdOtpOptions, "/MTD_OTP_???")
			p.c(']')
		}), // OTPSELECT
		0x4d13:     {arg: func(p *printer, c *Call, i int) { p.xlat(c.Args[i], mtdFileModeOptions, "/MTD_FILE_MODE_???") }}, // MTDFILEMODE
		0x40084d0b: u64,                                                                                                     // MEMGETBADBLOCK
		0x40084d0c: u64,                                                                                                     // MEMSETBADBLOCK
		0x80204d01: mtdOut(32, mtdInfoUser),                                                                                 // MEMGETINFO
		0x80c84d0a: mtdOut(0xc8, mtdNandOobinfo),                                                                            // MEMGETOOBSEL
		0x81484d11: mtdOut(0x148, mtdEcclayout),                                                                             // ECCGETLAYOUT
		0x80104d12: mtdOut(16, mtdEccStats),                                                                                 // ECCGETSTATS
		0x40044d0e: intOut(ioctlIntU),                                                                                       // OTPGETREGIONCOUNT
		0x80044d07: intOut(ioctlIntD),                                                                                       // MEMGETREGIONCOUNT
		0xc0104d08: ioctlInOut(16, mtdRegionInfo, nil),                                                                      // MEMGETREGIONINFO
	})
}
