package strace

// RTC ioctls (_IOC type 'p'), as strace 6.1's rtc.c decodes them.

var (
	rtcVlFlags = []flag{{1 << 0, "RTC_VL_DATA_INVALID"}, {1 << 1, "RTC_VL_BACKUP_LOW"}, {1 << 2, "RTC_VL_BACKUP_EMPTY"},
		{1 << 3, "RTC_VL_ACCURACY_LOW"}, {1 << 4, "RTC_VL_BACKUP_SWITCH"}}
	rtcParams   = []flag{{0, "RTC_PARAM_FEATURES"}, {1, "RTC_PARAM_CORRECTION"}, {2, "RTC_PARAM_BACKUP_SWITCH_MODE"}}
	rtcFeatures = []flag{{1 << 0, "1<<RTC_FEATURE_ALARM"}, {1 << 1, "1<<RTC_FEATURE_ALARM_RES_MINUTE"},
		{1 << 2, "1<<RTC_FEATURE_NEED_WEEK_DAY"}, {1 << 3, "1<<RTC_FEATURE_ALARM_RES_2S"},
		{1 << 4, "1<<RTC_FEATURE_UPDATE_INTERRUPT"}, {1 << 5, "1<<RTC_FEATURE_CORRECTION"},
		{1 << 6, "1<<RTC_FEATURE_BACKUP_SWITCH_MODE"}, {1 << 7, "1<<RTC_FEATURE_ALARM_WAKEUP_ONLY"}}
	rtcBackupSwitchModes = []flag{{0, "RTC_BSM_DISABLED"}, {1, "RTC_BSM_DIRECT"}, {2, "RTC_BSM_LEVEL"}, {3, "RTC_BSM_STANDBY"}}
)

// rtcTime is struct rtc_time (nine ints).
func rtcTime(p *printer, b []byte) {
	for j, f := range []string{"{tm_sec=", ", tm_min=", ", tm_hour=", ", tm_mday=", ", tm_mon=", ", tm_year="} {
		p.s(f)
		p.d(int64(int32(le.Uint32(b[4*j:]))))
	}
	if ioctlAbbrev(p) {
		p.s(", ...}")
		return
	}
	for j, f := range []string{", tm_wday=", ", tm_yday=", ", tm_isdst="} {
		p.s(f)
		p.d(int64(int32(le.Uint32(b[24+4*j:]))))
	}
	p.c('}')
}

func rtcWkalrm(p *printer, b []byte) {
	p.s("{enabled=")
	p.u(uint64(b[0]))
	p.s(", pending=")
	p.u(uint64(b[1]))
	p.s(", time=")
	rtcTime(p, b[4:])
	p.c('}')
}

func rtcPllInfo(p *printer, b []byte) {
	for j, f := range []string{"{pll_ctrl=", ", pll_value=", ", pll_max=", ", pll_min=", ", pll_posmult=", ", pll_negmult="} {
		p.s(f)
		p.d(int64(int32(le.Uint32(b[4*j:]))))
	}
	p.s(", pll_clock=")
	p.d(int64(le.Uint64(b[24:])))
	p.c('}')
}

// rtcParamValue is struct rtc_param's value, by its param.
func rtcParamValue(p *printer, b []byte) {
	v := le.Uint64(b[8:])
	switch le.Uint64(b) {
	case 0:
		p.s("uvalue=")
		p.flagsDflt(v, rtcFeatures, "", "1<<RTC_FEATURE_???")
	case 1:
		p.s("svalue=")
		p.d(int64(v))
	case 2:
		p.s("uvalue=")
		p.xlat(v, rtcBackupSwitchModes, "/RTC_BSM_???")
	default:
		p.s("uvalue=")
		hexOrZero(p, v)
	}
}

func rtcParamPad(p *printer, b []byte) {
	if pad := le.Uint32(b[20:]); pad != 0 {
		p.s(", __pad=")
		hexOrZero(p, uint64(pad))
	}
	p.c('}')
}

// rtcParam is decode_rtc_param: RTC_PARAM_SET's value at entry,
// RTC_PARAM_GET's after " => " (its address when the call failed).
func rtcParam(get bool) ioctlDef {
	return ioctlDef{size: 24, exit: get, arg: func(p *printer, c *Call, i int) {
		b := ioctlStructOf(p, c, i, 24, false)
		if b == nil {
			return
		}
		p.s("{param=")
		p.xlat(le.Uint64(b), rtcParams, "/RTC_PARAM_???")
		if !get {
			p.s(", ")
			rtcParamValue(p, b)
		}
		p.s(", index=")
		p.u(uint64(le.Uint32(b[16:])))
		rtcParamPad(p, b)
		if !get {
			return
		}
		p.s(" => ")
		if ioctlFailed(c) {
			p.x(c.Args[i])
			return
		}
		p.c('{')
		rtcParamValue(p, b)
		rtcParamPad(p, b)
	}}
}

func init() {
	u := func(p *printer, c *Call, i int) { p.u(c.Args[i]) }
	ulongOut := ioctlDef{size: 8, exit: true, arg: ioctlOut(8, func(p *printer, b []byte) { p.c('['); p.u(le.Uint64(b)); p.c(']') })}
	defs := map[uint32]ioctlDef{
		0x80247008: {size: 36, exit: true, arg: ioctlOut(36, rtcTime)},                                          // RTC_ALM_READ
		0x80247009: {size: 36, exit: true, arg: ioctlOut(36, rtcTime)},                                          // RTC_RD_TIME
		0x40247007: {size: 36, arg: ioctlIn(36, rtcTime)},                                                       // RTC_ALM_SET
		0x4024700a: {size: 36, arg: ioctlIn(36, rtcTime)},                                                       // RTC_SET_TIME
		0x4008700c: {arg: u},                                                                                    // RTC_IRQP_SET
		0x4008700e: {arg: u},                                                                                    // RTC_EPOCH_SET
		0x8008700b: ulongOut,                                                                                    // RTC_IRQP_READ
		0x8008700d: ulongOut,                                                                                    // RTC_EPOCH_READ
		0x80287010: {size: 40, exit: true, arg: ioctlOut(40, rtcWkalrm)},                                        // RTC_WKALM_RD
		0x4028700f: {size: 40, arg: ioctlIn(40, rtcWkalrm)},                                                     // RTC_WKALM_SET
		0x80207011: {size: 32, exit: true, arg: ioctlOut(32, rtcPllInfo)},                                       // RTC_PLL_GET
		0x40207012: {size: 32, arg: ioctlIn(32, rtcPllInfo)},                                                    // RTC_PLL_SET
		0x80047013: intOut(func(p *printer, v uint32) { p.flagsDflt(uint64(v), rtcVlFlags, "", "RTC_VL_???") }), // RTC_VL_READ
		0x40187013: rtcParam(true),                                                                              // RTC_PARAM_GET
		0x40187014: rtcParam(false),                                                                             // RTC_PARAM_SET
	}
	// RTC_{AIE,UIE,PIE,WIE}_{ON,OFF}, RTC_VL_CLR
	for _, req := range []uint32{0x7001, 0x7002, 0x7003, 0x7004, 0x7005, 0x7006, 0x700f, 0x7010, 0x7014} {
		defs[req] = ioctlDef{none: true}
	}
	registerIoctls(defs)
}
