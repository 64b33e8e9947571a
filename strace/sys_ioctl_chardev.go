package strace

// ioctl requests of small character-device families, as strace 6.1's
// random_ioctl.c, watchdog_ioctl.c, inotify_ioctl.c, nsfs.c and
// lirc_ioctl.c decode them. Names are ioctlNamesA's (strace's ioctlent).

var (
	lircFeatures = []flag{
		{0x2, "LIRC_CAN_SEND_PULSE"}, {0x10, "LIRC_CAN_SEND_LIRCCODE"}, {0x100, "LIRC_CAN_SET_SEND_CARRIER"},
		{0x200, "LIRC_CAN_SET_SEND_DUTY_CYCLE"}, {0x400, "LIRC_CAN_SET_TRANSMITTER_MASK"}, {0x40000, "LIRC_CAN_REC_MODE2"},
		{0x80000, "LIRC_CAN_REC_SCANCODE"}, {0x100000, "LIRC_CAN_REC_LIRCCODE"}, {0x1000000, "LIRC_CAN_SET_REC_CARRIER"},
		{0x2000000, "LIRC_CAN_MEASURE_CARRIER"}, {0x4000000, "LIRC_CAN_USE_WIDEBAND_RECEIVER"},
		{0x10000000, "LIRC_CAN_SET_REC_TIMEOUT"}, {0x20000000, "LIRC_CAN_GET_REC_RESOLUTION"},
		{0x80000000, "LIRC_CAN_SET_REC_CARRIER_RANGE"},
	}
	lircModes = []flag{
		{0x1, "LIRC_MODE_RAW"}, {0x2, "LIRC_MODE_PULSE"}, {0x4, "LIRC_MODE_MODE2"}, {0x8, "LIRC_MODE_SCANCODE"},
		{0x10, "LIRC_MODE_LIRCCODE"},
	}
)

// randPoolInfo is RNDADDENTROPY's struct rand_pool_info: two ints, then
// buf_size bytes (captured up to 8+ioctlRandBuf: strace's default -s).
const ioctlRandBuf = 32

func randPoolInfo(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	b := capturedIn(c, i, 8)
	if b == nil {
		p.x(c.Args[i])
		return
	}
	size := int32(le.Uint32(b[4:]))
	p.s("{entropy_count=")
	p.d(int64(int32(le.Uint32(b))))
	p.s(", buf_size=")
	p.d(int64(size))
	p.s(", buf=")
	buf := b[8:]
	switch {
	case size <= 0:
		p.s(`""`)
	case len(buf) < int(size) && len(buf) < p.strsize:
		p.x(c.Args[i] + 8)
	default:
		show := buf[:min(int(size), len(buf), p.strsize)]
		p.quote(show, len(show) < int(size))
	}
	p.c('}')
}

func lircDef(req uint32) ioctlDef {
	pr := ioctlIntU
	switch req {
	case 0x80046900: // LIRC_GET_FEATURES
		pr = func(p *printer, v uint32) { p.flagsDflt(uint64(v), lircFeatures, "", "LIRC_CAN_???") }
	case 0x80046901, 0x80046902, 0x40046911, 0x40046912: // LIRC_[GS]ET_{SEND,REC}_MODE
		pr = func(p *printer, v uint32) { p.xlat(uint64(v), lircModes, "/LIRC_MODE_???") }
	case 0x40046917: // LIRC_SET_TRANSMITTER_MASK
		pr = ioctlIntX
	}
	if req>>30 == 2 {
		return intOut(pr)
	}
	return intIn(pr)
}

func nsOwnerUID(p *printer, v uint32) {
	if v == ^uint32(0) {
		p.s("-1")
		return
	}
	p.u(uint64(v))
}

func init() {
	defs := map[uint32]ioctlDef{
		// random
		0x80045200: intOut(ioctlIntD),                           // RNDGETENTCNT
		0x40045201: intIn(ioctlIntD),                            // RNDADDTOENTCNT
		0x40085203: {size: 8 + ioctlRandBuf, arg: randPoolInfo}, // RNDADDENTROPY
		0x5204:     {none: true},                                // RNDZAPENTCNT
		0x5206:     {none: true},                                // RNDCLEARPOOL
		0x5207:     {none: true},                                // RNDRESEEDCRNG
		// watchdog
		0x80045701: intOut(ioctlIntD), // WDIOC_GETSTATUS
		0x80045702: intOut(ioctlIntD), // WDIOC_GETBOOTSTATUS
		0x80045703: intOut(ioctlIntD), // WDIOC_GETTEMP
		0x80045707: intOut(ioctlIntD), // WDIOC_GETTIMEOUT
		0x80045709: intOut(ioctlIntD), // WDIOC_GETPRETIMEOUT
		0x8004570a: intOut(ioctlIntD), // WDIOC_GETTIMELEFT
		0xc0045706: intIn(ioctlIntD),  // WDIOC_SETTIMEOUT
		0xc0045708: intIn(ioctlIntD),  // WDIOC_SETPRETIMEOUT
		0x80045705: {none: true},      // WDIOC_KEEPALIVE
		// inotify: INOTIFY_IOC_SETNEXTWD's argument is the int itself
		0x40044900: {name: "INOTIFY_IOC_SETNEXTWD", arg: func(p *printer, c *Call, i int) { p.d(int64(int32(c.Args[i]))) }},
		// nsfs
		0xb701: {none: true, ret: func(p *printer, c *Call) { p.fd(c, int32(c.Ret)) }}, // NS_GET_USERNS
		0xb702: {none: true, ret: func(p *printer, c *Call) { p.fd(c, int32(c.Ret)) }}, // NS_GET_PARENT
		0xb703: {none: true, ret: func(p *printer, c *Call) { // NS_GET_NSTYPE
			p.d(c.Ret)
			if n := lookupName(uint64(c.Ret), setnsTypes); n != "" {
				p.s(" (" + n + ")")
			}
		}},
		0xb704: intOut(nsOwnerUID), // NS_GET_OWNER_UID
	}
	for _, req := range []uint32{0x80046900, 0x80046901, 0x80046902, 0x80046907, 0x80046908, 0x80046909, 0x8004690f,
		0x40046911, 0x40046912, 0x40046913, 0x40046914, 0x40046915, 0x40046917, 0x40046918, 0x40046919,
		0x4004691d, 0x4004691f, 0x40046923, 0x80046924} {
		defs[req] = lircDef(req)
	}
	registerIoctls(defs)
}
