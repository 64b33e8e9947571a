package strace

// SCSI generic (sg) ioctls (0x22, scsi/sg.h), as strace 6.1's scsi.c
// decodes them; request numbers from xlat/scsi_sg_commands.in, reset
// values from xlat/sg_scsi_reset.in. SG_IO's struct sg_io_hdr and
// sg_io_v4 point to buffers the capture cannot follow: only their
// interface id's absence (NULL, unreadable, an unknown id) is printed
// as strace prints it.

var sgScsiReset = []flag{{0, "SG_SCSI_RESET_NOTHING"}, {1, "SG_SCSI_RESET_DEVICE"}, {2, "SG_SCSI_RESET_BUS"},
	{3, "SG_SCSI_RESET_HOST"}, {4, "SG_SCSI_RESET_TARGET"}, {0x100, "SG_SCSI_RESET_NO_ESCALATE"}}

// ioctlIntIn prints an int the caller passes: [N].
func ioctlIntIn(p *printer, c *Call, i int) {
	if b := ioctlInBytes(p, c, i, 4); b != nil {
		p.c('[')
		p.d(int64(int32(le.Uint32(b))))
		p.c(']')
	}
}

// ioctlIntOut prints an int the call fills: [N], its address when the
// call failed.
func ioctlIntOut(p *printer, c *Call, i int) {
	if c.Args[i] != 0 && !ioctlSucceeded(c) {
		p.x(c.Args[i])
		return
	}
	ioctlIntIn(p, c, i)
}

func fmtSgScsiReset(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 4)
	if b == nil {
		return
	}
	v := uint64(le.Uint32(b))
	p.c('[')
	if v&0x100 != 0 {
		p.xlat(0x100, sgScsiReset, "")
		p.c('|')
	}
	p.xlat(v&^0x100, sgScsiReset, "/SG_SCSI_RESET_???")
	p.c(']')
}

// fmtSgIo prints SG_IO's argument so far as strace's does without the
// buffers it points to: NULL, the address, or an unknown interface id.
func fmtSgIo(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 4)
	if b == nil {
		return
	}
	switch iid := le.Uint32(b); iid {
	case 'S', 'Q': // sg_io_v3, sg_io_v4: not decoded
		p.x(c.Args[i])
	default:
		p.c('[')
		p.u(uint64(iid))
		p.c(']')
	}
}

func fmtSgScsiID(p *printer, c *Call, i int) {
	b := ioctlOutBytes(p, c, i, 32)
	if b == nil {
		return
	}
	i32 := func(o int) int64 { return int64(int32(le.Uint32(b[o:]))) }
	p.s("{host_no=")
	p.d(i32(0))
	p.s(", channel=")
	p.d(i32(4))
	p.s(", scsi_id=")
	hexOrZero(p, uint64(le.Uint32(b[8:])))
	p.s(", lun=")
	p.d(i32(12))
	p.s(", scsi_type=")
	hexOrZero(p, uint64(le.Uint32(b[16:])))
	p.s(", h_cmd_per_lun=")
	p.d(int64(int16(le.Uint16(b[20:]))))
	p.s(", d_queue_depth=")
	p.d(int64(int16(le.Uint16(b[22:]))))
	p.c('}')
}

func fmtSgReqInfo(p *printer, c *Call, i int) {
	b := ioctlOutBytes(p, c, i, 24)
	if b == nil {
		return
	}
	p.s("{req_state=")
	p.d(int64(int8(b[0])))
	p.s(", orphan=")
	p.d(int64(int8(b[1])))
	p.s(", sg_io_owned=")
	p.d(int64(int8(b[2])))
	p.s(", problem=")
	p.d(int64(int8(b[3])))
	p.s(", pack_id=")
	p.d(int64(int32(le.Uint32(b[4:]))))
	p.s(", usr_ptr=")
	p.ptr(le.Uint64(b[8:]))
	p.s(", duration=")
	p.u(uint64(le.Uint32(b[16:])))
	p.c('}')
}

func fmtSgSetTransform(p *printer, c *Call, i int) { hexOrZero(p, uint64(uint32(c.Args[i]))) }

func init() {
	in := ioctlDef{size: 4, arg: ioctlIntIn}
	out := ioctlDef{size: 4, arg: ioctlIntOut}
	named := func(d ioctlDef, name string) ioctlDef { d.name = name; return d }
	registerIoctlsAtExit(map[uint32]ioctlDef{
		0x2201: named(in, "SG_SET_TIMEOUT"),
		0x2202: {name: "SG_GET_TIMEOUT", none: true},
		0x2203: named(out, "SG_EMULATED_HOST"),
		0x2204: {name: "SG_SET_TRANSFORM", arg: fmtSgSetTransform},
		0x2205: named(out, "SG_GET_TRANSFORM"),
		0x2270: named(out, "SG_GET_COMMAND_Q"),
		0x2271: named(in, "SG_SET_COMMAND_Q"),
		0x2272: named(out, "SG_GET_RESERVED_SIZE"),
		0x2275: named(in, "SG_SET_RESERVED_SIZE"),
		0x2276: {name: "SG_GET_SCSI_ID", size: 32, arg: fmtSgScsiID},
		0x2279: named(in, "SG_SET_FORCE_LOW_DMA"),
		0x227a: named(out, "SG_GET_LOW_DMA"),
		0x227b: named(in, "SG_SET_FORCE_PACK_ID"),
		0x227c: named(out, "SG_GET_PACK_ID"),
		0x227d: named(out, "SG_GET_NUM_WAITING"),
		0x227e: named(in, "SG_SET_DEBUG"),
		0x227f: named(out, "SG_GET_SG_TABLESIZE"),
		0x2282: named(out, "SG_GET_VERSION_NUM"),
		0x2283: named(in, "SG_NEXT_CMD_LEN"),
		0x2284: {name: "SG_SCSI_RESET", size: 4, arg: fmtSgScsiReset},
		0x2285: {name: "SG_IO", size: 4, arg: fmtSgIo},
		0x2286: {name: "SG_GET_REQUEST_TABLE", size: 24, arg: fmtSgReqInfo},
		0x2287: named(in, "SG_SET_KEEP_ORPHAN"),
		0x2288: named(out, "SG_GET_KEEP_ORPHAN"),
		0x2289: named(out, "SG_GET_ACCESS_COUNT"),
	})
}
