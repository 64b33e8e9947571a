package strace

// PTP clock ioctls ('=', linux/ptp_clock.h), as strace 6.1's ptp.c
// decodes them. Tables from xlat/ptp_extts_flags.in, ptp_perout_flags.in,
// ptp_pin_funcs.in.

var (
	ptpExttsFlags  = []flag{{0x1, "PTP_ENABLE_FEATURE"}, {0x2, "PTP_RISING_EDGE"}, {0x4, "PTP_FALLING_EDGE"}, {0x8, "PTP_STRICT_FLAGS"}}
	ptpPeroutFlags = []flag{{0x1, "PTP_PEROUT_ONE_SHOT"}, {0x2, "PTP_PEROUT_DUTY_CYCLE"}, {0x4, "PTP_PEROUT_PHASE"}}
	ptpPinFuncs    = []flag{{0, "PTP_PF_NONE"}, {0x1, "PTP_PF_EXTTS"}, {0x2, "PTP_PF_PEROUT"}, {0x3, "PTP_PF_PHYSYNC"}}
)

const (
	ptpMaxSamples  = 25
	ptpPinGetfunc2 = 0xc0603d0f
	ptpPinSetfunc2 = 0x40603d10
)

// ptpTime prints a struct ptp_clock_time (16 bytes); rtc adds the date
// comment (not under -X raw).
func ptpTime(p *printer, b []byte, rtc bool) {
	sec, nsec, rsv := int64(le.Uint64(b)), uint64(le.Uint32(b[8:])), uint64(le.Uint32(b[12:]))
	p.s("{sec=")
	p.d(sec)
	p.s(", nsec=")
	p.u(nsec)
	if rsv != 0 {
		p.s(", reserved=")
		hexOrZero(p, rsv)
	}
	p.c('}')
	if rtc && p.style != ConstRaw {
		timeComment(p, sec, nsec, 999999999, 9)
	}
}

// ptpRsv prints ", rsv=[...]" for n u32s at b when one is not zero
// (strace's PRINT_RSV).
func ptpRsv(p *printer, b []byte, n int) {
	zero := true
	for k := 0; k < n; k++ {
		zero = zero && le.Uint32(b[4*k:]) == 0
	}
	if zero {
		return
	}
	p.s(", rsv=[")
	for k := 0; k < n; k++ {
		if k > 0 {
			p.s(", ")
		}
		hexOrZero(p, uint64(le.Uint32(b[4*k:])))
	}
	p.c(']')
}

func fmtPtpCaps(p *printer, c *Call, i int) {
	b := ioctlOutBytes(p, c, i, 80)
	if b == nil {
		return
	}
	for k, n := range []string{"{max_adj=", ", n_alarm=", ", n_ext_ts=", ", n_per_out=", ", pps=", ", n_pins=", ", cross_timestamping=", ", adjust_phase="} {
		p.s(n)
		p.d(int64(int32(le.Uint32(b[4*k:]))))
	}
	ptpRsv(p, b[32:], 12)
	p.c('}')
}

func fmtPtpExtts(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 16)
	if b == nil {
		return
	}
	p.s("{index=")
	p.u(uint64(le.Uint32(b)))
	p.s(", flags=")
	p.flagsDflt(uint64(le.Uint32(b[4:])), ptpExttsFlags, "", "PTP_???")
	if uint32(c.Args[1]) == 0x40103d0b {
		ptpRsv(p, b[8:], 2)
	}
	p.c('}')
}

func fmtPtpPerout(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 56)
	if b == nil {
		return
	}
	flags := le.Uint32(b[36:])
	if flags&0x4 != 0 { // PTP_PEROUT_PHASE
		p.s("{phase=")
		ptpTime(p, b, false)
	} else {
		p.s("{start=")
		ptpTime(p, b, true)
	}
	p.s(", period=")
	ptpTime(p, b[16:], false)
	p.s(", index=")
	p.u(uint64(le.Uint32(b[32:])))
	p.s(", flags=")
	p.flagsDflt(uint64(flags), ptpPeroutFlags, "", "PTP_PEROUT_???")
	if flags&0x2 != 0 { // PTP_PEROUT_DUTY_CYCLE
		p.s(", on=")
		ptpTime(p, b[40:], false)
	} else if uint32(c.Args[1]) == 0x40383d0c {
		ptpRsv(p, b[40:], 4)
	}
	p.c('}')
}

// fmtPtpSysOffset: PTP_SYS_OFFSET's n_samples at entry, its 2n+1
// timestamps when the call succeeded; ext: PTP_SYS_OFFSET_EXTENDED's n
// triples.
func fmtPtpSysOffset(ext bool) func(p *printer, c *Call, i int) {
	size := 832
	if ext {
		size = 1216
	}
	return func(p *printer, c *Call, i int) {
		b := ioctlInBytes(p, c, i, size)
		if b == nil {
			return
		}
		n := le.Uint32(b)
		p.s("{n_samples=")
		p.u(uint64(n))
		ptpRsv(p, b[4:], 3)
		if ioctlSucceeded(c) {
			p.s(", ts=[")
			cnt := int(min(n, ptpMaxSamples))
			if !ext {
				cnt = 2*cnt + 1
			}
			for k := 0; k < cnt; k++ {
				if k > 0 {
					p.s(", ")
				}
				if k == p.strsize { // strace's -s caps an array's elements
					p.s("...")
					break
				}
				if !ext {
					ptpTime(p, b[16+16*k:], true)
					continue
				}
				e := b[16+48*k:]
				p.c('[')
				ptpTime(p, e, true)
				p.s(", ")
				ptpTime(p, e[16:], true)
				p.s(", ")
				ptpTime(p, e[32:], true)
				p.c(']')
			}
			p.c(']')
		}
		p.c('}')
	}
}

// fmtPtpPin: PTP_PIN_GETFUNC's index at entry, the pin at exit;
// PTP_PIN_SETFUNC's pin.
func fmtPtpPin(get bool) func(p *printer, c *Call, i int) {
	return func(p *printer, c *Call, i int) {
		b := ioctlInBytes(p, c, i, 96)
		if b == nil {
			return
		}
		req := uint32(c.Args[1])
		p.s("{index=")
		p.u(uint64(le.Uint32(b[64:])))
		if get {
			if req == ptpPinGetfunc2 {
				ptpRsv(p, b[76:], 5)
			}
			if !ioctlSucceeded(c) {
				p.c('}')
				return
			}
			p.s(", name=")
			quote0(p, b[:64], true)
		}
		p.s(", func=")
		p.xlat(uint64(le.Uint32(b[68:])), ptpPinFuncs, "/PTP_PF_???")
		p.s(", chan=")
		p.u(uint64(le.Uint32(b[72:])))
		if req == ptpPinSetfunc2 {
			ptpRsv(p, b[76:], 5)
		}
		p.c('}')
	}
}

func fmtPtpPrecise(p *printer, c *Call, i int) {
	b := ioctlOutBytes(p, c, i, 64)
	if b == nil {
		return
	}
	p.s("{device=")
	ptpTime(p, b, true)
	p.s(", sys_realtime=")
	ptpTime(p, b[16:], true)
	p.s(", sys_monoraw=")
	ptpTime(p, b[32:], false)
	ptpRsv(p, b[48:], 4)
	p.c('}')
}

func fmtPtpPps(p *printer, c *Call, i int) { hexOrZero(p, c.Args[i]) }

func init() {
	const sz = ioctlSizeBits
	registerIoctlsAtExit(map[uint32]ioctlDef{
		0x80503d01: {name: "PTP_CLOCK_GETCAPS", size: sz, arg: fmtPtpCaps},
		0x80503d0a: {name: "PTP_CLOCK_GETCAPS2", size: sz, arg: fmtPtpCaps},
		0x40103d02: {name: "PTP_EXTTS_REQUEST", size: sz, arg: fmtPtpExtts},
		0x40103d0b: {name: "PTP_EXTTS_REQUEST2", size: sz, arg: fmtPtpExtts},
		0x40383d03: {name: "PTP_PEROUT_REQUEST", size: sz, arg: fmtPtpPerout},
		0x40383d0c: {name: "PTP_PEROUT_REQUEST2", size: sz, arg: fmtPtpPerout},
		0x40043d04: {name: "PTP_ENABLE_PPS", arg: fmtPtpPps},
		0x40043d0d: {name: "PTP_ENABLE_PPS2", arg: fmtPtpPps},
		0x43403d05: {name: "PTP_SYS_OFFSET", size: sz, arg: fmtPtpSysOffset(false)},
		0x43403d0e: {name: "PTP_SYS_OFFSET2", size: sz, arg: fmtPtpSysOffset(false)},
		0xc0603d06: {name: "PTP_PIN_GETFUNC", size: sz, arg: fmtPtpPin(true)},
		0xc0603d0f: {name: "PTP_PIN_GETFUNC2", size: sz, arg: fmtPtpPin(true)},
		0x40603d07: {name: "PTP_PIN_SETFUNC", size: sz, arg: fmtPtpPin(false)},
		0x40603d10: {name: "PTP_PIN_SETFUNC2", size: sz, arg: fmtPtpPin(false)},
		0xc0403d08: {name: "PTP_SYS_OFFSET_PRECISE", size: sz, arg: fmtPtpPrecise},
		0xc0403d11: {name: "PTP_SYS_OFFSET_PRECISE2", size: sz, arg: fmtPtpPrecise},
		0xc4c03d09: {name: "PTP_SYS_OFFSET_EXTENDED", size: sz, arg: fmtPtpSysOffset(true)},
		0xc4c03d12: {name: "PTP_SYS_OFFSET_EXTENDED2", size: sz, arg: fmtPtpSysOffset(true)},
	})
}
