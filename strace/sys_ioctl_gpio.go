package strace

// GPIO ioctls (_IOC type 0xb4), as strace 6.1's gpio_ioctl.c decodes
// them.

var (
	gpioLineFlags = []flag{{1 << 0, "GPIOLINE_FLAG_KERNEL"}, {1 << 1, "GPIOLINE_FLAG_IS_OUT"}, {1 << 2, "GPIOLINE_FLAG_ACTIVE_LOW"},
		{1 << 3, "GPIOLINE_FLAG_OPEN_DRAIN"}, {1 << 4, "GPIOLINE_FLAG_OPEN_SOURCE"}, {1 << 5, "GPIOLINE_FLAG_BIAS_PULL_UP"},
		{1 << 6, "GPIOLINE_FLAG_BIAS_PULL_DOWN"}, {1 << 7, "GPIOLINE_FLAG_BIAS_DISABLE"}}
	gpioHandleFlags = []flag{{1 << 0, "GPIOHANDLE_REQUEST_INPUT"}, {1 << 1, "GPIOHANDLE_REQUEST_OUTPUT"},
		{1 << 2, "GPIOHANDLE_REQUEST_ACTIVE_LOW"}, {1 << 3, "GPIOHANDLE_REQUEST_OPEN_DRAIN"},
		{1 << 4, "GPIOHANDLE_REQUEST_OPEN_SOURCE"}, {1 << 5, "GPIOHANDLE_REQUEST_BIAS_PULL_UP"},
		{1 << 6, "GPIOHANDLE_REQUEST_BIAS_PULL_DOWN"}, {1 << 7, "GPIOHANDLE_REQUEST_BIAS_DISABLE"}}
	gpioEventFlags = []flag{{3, "GPIOEVENT_REQUEST_BOTH_EDGES"}, {1, "GPIOEVENT_REQUEST_RISING_EDGE"},
		{2, "GPIOEVENT_REQUEST_FALLING_EDGE"}}
	gpioV2LineFlags = []flag{{1 << 0, "GPIO_V2_LINE_FLAG_USED"}, {1 << 1, "GPIO_V2_LINE_FLAG_ACTIVE_LOW"},
		{1 << 2, "GPIO_V2_LINE_FLAG_INPUT"}, {1 << 3, "GPIO_V2_LINE_FLAG_OUTPUT"}, {1 << 4, "GPIO_V2_LINE_FLAG_EDGE_RISING"},
		{1 << 5, "GPIO_V2_LINE_FLAG_EDGE_FALLING"}, {1 << 6, "GPIO_V2_LINE_FLAG_OPEN_DRAIN"},
		{1 << 7, "GPIO_V2_LINE_FLAG_OPEN_SOURCE"}, {1 << 8, "GPIO_V2_LINE_FLAG_BIAS_PULL_UP"},
		{1 << 9, "GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN"}, {1 << 10, "GPIO_V2_LINE_FLAG_BIAS_DISABLED"},
		{1 << 11, "GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME"}, {1 << 12, "GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE"}}
)

func gpioU32(p *printer, name string, b []byte) {
	p.s(name)
	p.u(uint64(le.Uint32(b)))
}

func gpioFlags(p *printer, name string, v uint64, tab []flag, unknown string) {
	p.s(name)
	p.flagsDflt(v, tab, "", unknown)
}

func gpioV2Flags(p *printer, name string, v uint64) {
	gpioFlags(p, name, v, gpioV2LineFlags, "GPIO_V2_LINE_FLAG_???")
}

// gpioNonZero: the words are not all 0 (IS_ARRAY_ZERO's negation).
func gpioNonZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return true
		}
	}
	return false
}

func gpioChipInfo(p *printer, b []byte) {
	p.s("{name=")
	cstringField(p, b[0:32])
	p.s(", label=")
	cstringField(p, b[32:64])
	gpioU32(p, ", lines=", b[64:])
	p.c('}')
}

func gpioFd(p *printer, c *Call, b []byte) {
	p.s("{fd=")
	p.fd(c, int32(le.Uint32(b)))
	p.c('}')
}

// gpioV2Attr is struct gpio_v2_line_attribute's id and value (the caller
// prints its braces; field: as a config attribute's "attr=" field).
func gpioV2Attr(p *printer, b []byte, field bool) {
	id, pad, val := le.Uint32(b), le.Uint32(b[4:]), le.Uint64(b[8:])
	if pad == 0 {
		switch id {
		case 1:
			gpioV2Flags(p, "flags=", val)
			return
		case 2:
			p.s("values=")
			hexOrZero(p, val)
			return
		case 3:
			gpioU32(p, "debounce_period_us=", b[8:])
			return
		}
	}
	if field {
		p.s("attr={")
	}
	p.s("id=")
	p.u(uint64(id))
	if pad != 0 {
		p.s(", padding=")
		hexOrZero(p, uint64(pad))
	}
	p.s(", data=")
	hexOrZero(p, val)
	if field {
		p.c('}')
	}
}

// gpioV2Config is struct gpio_v2_line_config (272 bytes).
func gpioV2Config(p *printer, b []byte) {
	gpioV2Flags(p, "{flags=", le.Uint64(b))
	n := int(le.Uint32(b[8:]))
	p.s(", num_attrs=")
	p.u(uint64(n))
	if gpioNonZero(b[12:32]) {
		p.s(", padding=")
		xArrayField(p, b[12:], 5, 4)
	}
	if n > 0 {
		p.s(", attrs=[")
		for j := 0; j < min(n, 10); j++ {
			if j > 0 {
				p.s(", ")
			}
			if j >= p.strsize && p.abbrev() {
				p.s("...")
				break
			}
			a := b[32+24*j:]
			p.c('{')
			gpioV2Attr(p, a, true)
			p.s(", mask=")
			hexOrZero(p, le.Uint64(a[16:]))
			p.c('}')
		}
		p.c(']')
	}
	p.c('}')
}

// gpioLineInfoOut is struct gpioline_info as the call fills it.
func gpioLineInfoOut(p *printer, c *Call, b []byte) {
	gpioFlags(p, "{flags=", uint64(le.Uint32(b[4:])), gpioLineFlags, "GPIOLINE_FLAG_???")
	p.s(", name=")
	cstringField(p, b[8:40])
	p.s(", consumer=")
	cstringField(p, b[40:72])
	p.c('}')
}

// gpioV2LineInfoOut is struct gpio_v2_line_info as the call fills it.
func gpioV2LineInfoOut(p *printer, c *Call, b []byte) {
	p.s("{name=")
	cstringField(p, b[0:32])
	p.s(", consumer=")
	cstringField(p, b[32:64])
	gpioV2Flags(p, ", flags=", le.Uint64(b[72:]))
	n := int(le.Uint32(b[68:]))
	p.s(", num_attrs=")
	p.u(uint64(n))
	if n > 0 {
		p.s(", attrs=[")
		for j := 0; j < min(n, 10); j++ {
			if j > 0 {
				p.s(", ")
			}
			p.c('{')
			gpioV2Attr(p, b[80+16*j:], false)
			p.c('}')
		}
		p.c(']')
	}
	if gpioNonZero(b[240:256]) {
		p.s(", padding=")
		xArrayField(p, b[240:], 4, 4)
	}
	p.c('}')
}

// gpioV2LineRequestIn is struct gpio_v2_line_request as the caller
// fills it.
func gpioV2LineRequestIn(p *printer, c *Call, b []byte) {
	n := int(le.Uint32(b[0x230:]))
	gpioU32(p, "{num_lines=", b[0x230:])
	p.s(", offsets=")
	uArrayField(p, b, min(n, 64), 4)
	p.s(", consumer=")
	cstringField(p, b[0x100:0x120])
	p.s(", config=")
	gpioV2Config(p, b[0x120:0x230])
	if le.Uint32(b[0x234:]) != 0 {
		gpioU32(p, ", event_buffer_size=", b[0x234:])
	}
	if gpioNonZero(b[0x238:0x24c]) {
		p.s(", padding=")
		xArrayField(p, b[0x238:], 5, 4)
	}
	p.c('}')
}

func gpioDefs() map[uint32]ioctlDef {
	lineInfo := ioctlInOut(72, func(p *printer, c *Call, b []byte) { gpioU32(p, "{line_offset=", b); p.c('}') }, gpioLineInfoOut)
	v2LineInfo := ioctlInOut(256, func(p *printer, c *Call, b []byte) { gpioU32(p, "{offset=", b[64:]); p.c('}') }, gpioV2LineInfoOut)
	handleData := func(p *printer, b []byte) { p.s("{values="); uArrayField(p, b, 64, 1); p.c('}') }
	return map[uint32]ioctlDef{
		0x8044b401: {size: 68, exit: true, arg: ioctlOut(68, gpioChipInfo)}, // GPIO_GET_CHIPINFO_IOCTL
		0xc004b40c: {size: 4, arg: ioctlIn(4, func(p *printer, b []byte) { gpioU32(p, "{offset=", b); p.c('}') })},
		0xc048b402: lineInfo, // GPIO_GET_LINEINFO_IOCTL
		0xc048b40b: lineInfo, // GPIO_GET_LINEINFO_WATCH_IOCTL
		0xc100b405: v2LineInfo,
		0xc100b406: v2LineInfo,
		0xc16cb403: ioctlInOut(0x16c, func(p *printer, c *Call, b []byte) { // GPIO_GET_LINEHANDLE_IOCTL
			n := int(le.Uint32(b[0x164:]))
			gpioU32(p, "{lines=", b[0x164:])
			p.s(", lineoffsets=")
			uArrayField(p, b, min(n, 64), 4)
			gpioFlags(p, ", flags=", uint64(le.Uint32(b[0x100:])), gpioHandleFlags, "GPIOHANDLE_REQUEST_???")
			p.s(", default_values=")
			uArrayField(p, b[0x104:], min(n, 64), 1)
			p.s(", consumer_label=")
			cstringField(p, b[0x144:0x164])
			p.c('}')
		}, func(p *printer, c *Call, b []byte) { gpioFd(p, c, b[0x168:]) }),
		0xc030b404: ioctlInOut(0x30, func(p *printer, c *Call, b []byte) { // GPIO_GET_LINEEVENT_IOCTL
			gpioU32(p, "{lineoffset=", b)
			gpioFlags(p, ", handleflags=", uint64(le.Uint32(b[4:])), gpioHandleFlags, "GPIOHANDLE_REQUEST_???")
			gpioFlags(p, ", eventflags=", uint64(le.Uint32(b[8:])), gpioEventFlags, "GPIOEVENT_REQUEST_???")
			p.s(", consumer_label=")
			cstringField(p, b[12:44])
			p.c('}')
		}, func(p *printer, c *Call, b []byte) { gpioFd(p, c, b[0x2c:]) }),
		0xc040b408: {size: 64, exit: true, arg: ioctlOut(64, handleData)}, // GPIOHANDLE_GET_LINE_VALUES_IOCTL
		0xc040b409: {size: 64, arg: ioctlIn(64, handleData)},              // GPIOHANDLE_SET_LINE_VALUES_IOCTL
		0xc054b40a: {size: 0x54, arg: ioctlIn(0x54, func(p *printer, b []byte) { // GPIOHANDLE_SET_CONFIG_IOCTL
			gpioFlags(p, "{flags=", uint64(le.Uint32(b)), gpioHandleFlags, "GPIOHANDLE_REQUEST_???")
			p.s(", default_values=")
			uArrayField(p, b[4:], 64, 1)
			p.c('}')
		})},
		0xc250b407: ioctlInOut(0x250, gpioV2LineRequestIn, func(p *printer, c *Call, b []byte) { gpioFd(p, c, b[0x24c:]) }), // GPIO_V2_GET_LINE_IOCTL
		0xc110b40d: {size: 0x110, arg: ioctlIn(0x110, gpioV2Config)},                                                        // GPIO_V2_LINE_SET_CONFIG_IOCTL
		0xc010b40e: ioctlInOut(16, func(p *printer, c *Call, b []byte) { // GPIO_V2_LINE_GET_VALUES_IOCTL
			p.s("{mask=")
			hexOrZero(p, le.Uint64(b[8:]))
			p.c('}')
		}, func(p *printer, c *Call, b []byte) {
			p.s("{bits=")
			hexOrZero(p, le.Uint64(b))
			p.c('}')
		}),
		0xc010b40f: {size: 16, arg: ioctlIn(16, func(p *printer, b []byte) { // GPIO_V2_LINE_SET_VALUES_IOCTL
			p.s("{bits=")
			hexOrZero(p, le.Uint64(b))
			p.s(", mask=")
			hexOrZero(p, le.Uint64(b[8:]))
			p.c('}')
		})},
	}
}

func init() { registerIoctls(gpioDefs()) }
