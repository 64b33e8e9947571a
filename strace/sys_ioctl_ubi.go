package strace

// UBI ioctls (_IOC types 'o' and 'O'), as strace 6.1's ubi.c decodes
// them (struct layouts of mtd/ubi-user.h).

var (
	ubiVolumeTypes = []flag{{3, "UBI_DYNAMIC_VOLUME"}, {4, "UBI_STATIC_VOLUME"}}
	ubiVolumeFlags = []flag{{1, "UBI_VOL_SKIP_CRC_CHECK_FLG"}}
	ubiVolumeProps = []flag{{1, "UBI_VOL_PROP_DIRECT_WRITE"}}
	ubiDataTypes   = []flag{{1, "UBI_LONGTERM"}, {2, "UBI_SHORTTERM"}, {3, "UBI_UNKNOWN"}}
)

func ubiS32(p *printer, name string, b []byte) {
	p.s(name)
	p.d(int64(int32(le.Uint32(b))))
}

// ubiName is PRINT_FIELD_CSTRING_SZ of a name whose length is given.
func ubiName(p *printer, b []byte, nameLen int16) {
	p.s(", name=")
	cstringField(p, b[:1+min(max(int(nameLen), 0), 127)])
}

func ubiDtype(p *printer, v byte) {
	p.s(", dtype=")
	p.xlat(uint64(int64(int8(v))), ubiDataTypes, "/UBI_???")
}

func ubiMkvol(p *printer, c *Call, b []byte) {
	ubiS32(p, "{vol_id=", b)
	ubiS32(p, ", alignment=", b[4:])
	p.s(", bytes=")
	p.d(int64(le.Uint64(b[8:])))
	p.s(", vol_type=")
	p.xlat(uint64(int64(int8(b[16]))), ubiVolumeTypes, "/UBI_???_VOLUME")
	p.s(", flags=")
	p.flagsDflt(uint64(b[17]), ubiVolumeFlags, "", "UBI_VOL_???")
	nameLen := int16(le.Uint16(b[18:]))
	p.s(", name_len=")
	p.d(int64(nameLen))
	ubiName(p, b[24:], nameLen)
	p.c('}')
}

func ubiAttach(p *printer, c *Call, b []byte) {
	ubiS32(p, "{ubi_num=", b)
	ubiS32(p, ", mtd_num=", b[4:])
	ubiS32(p, ", vid_hdr_offset=", b[8:])
	p.s(", max_beb_per1024=")
	p.d(int64(int16(le.Uint16(b[12:]))))
	p.c('}')
}

// ubiFirstInt is the int the call wrote at the argument: [N].
func ubiFirstInt(p *printer, c *Call, b []byte) { ubiS32(p, "[", b); p.c(']') }

func ubiRnvol(p *printer, b []byte) {
	count := int32(le.Uint32(b))
	ubiS32(p, "{count=", b)
	p.s(", ents=[")
	for j := 0; j < min(int(max(count, 0)), 32); j++ {
		if j > 0 {
			p.s(", ")
		}
		if j >= p.strsize {
			p.s("...")
			break
		}
		e := b[16+136*j:]
		ubiS32(p, "{vol_id=", e)
		nameLen := int16(le.Uint16(e[4:]))
		p.s(", name_len=")
		p.d(int64(nameLen))
		ubiName(p, e[8:], nameLen)
		p.c('}')
	}
	p.s("]}")
}

func init() {
	intIn := ioctlInt(false, ioctlIntD)
	registerIoctls(map[uint32]ioctlDef{
		0x40186f40: ioctlInOut(0x18, ubiAttach, ubiFirstInt), // UBI_IOCATT
		0x40986f00: ioctlInOut(0x98, ubiMkvol, ubiFirstInt),  // UBI_IOCMKVOL
		0x40044f02: {size: 0x10, arg: ioctlIn(0x10, func(p *printer, b []byte) { // UBI_IOCEBCH
			ubiS32(p, "{lnum=", b)
			ubiS32(p, ", bytes=", b[4:])
			ubiDtype(p, b[8])
			p.c('}')
		})},
		0x40084f03: {size: 8, arg: ioctlIn(8, func(p *printer, b []byte) { // UBI_IOCEBMAP
			ubiS32(p, "{lnum=", b)
			ubiDtype(p, b[4])
			p.c('}')
		})},
		0x51106f03: {size: 0x1110, arg: ioctlIn(0x1110, ubiRnvol)}, // UBI_IOCRNVOL
		0x400c6f02: {size: 0xc, arg: ioctlIn(0xc, func(p *printer, b []byte) { // UBI_IOCRSVOL
			p.s("{bytes=")
			p.d(int64(le.Uint64(b)))
			ubiS32(p, ", vol_id=", b[8:])
			p.c('}')
		})},
		0x40104f06: {size: 0x10, arg: ioctlIn(0x10, func(p *printer, b []byte) { // UBI_IOCSETVOLPROP
			p.s("{property=")
			p.xlat(uint64(b[0]), ubiVolumeProps, "/UBI_VOL_PROP_???")
			p.s(", value=")
			hexOrZero(p, le.Uint64(b[8:]))
			p.c('}')
		})},
		0x40084f00: {size: 8, arg: ioctlIn(8, func(p *printer, b []byte) { // UBI_IOCVOLUP
			p.c('[')
			p.d(int64(le.Uint64(b)))
			p.c(']')
		})},
		0x40046f41: {size: 4, arg: intIn}, // UBI_IOCDET
		0x40044f01: {size: 4, arg: intIn}, // UBI_IOCEBER
		0x80044f05: {size: 4, arg: intIn}, // UBI_IOCEBISMAP
		0x40044f04: {size: 4, arg: intIn}, // UBI_IOCEBUNMAP
		0x40046f01: {size: 4, arg: intIn}, // UBI_IOCRMVOL
		0x40046f04: {size: 4, arg: intIn}, // UBI_IOCRPEB
		0x40046f05: {size: 4, arg: intIn}, // UBI_IOCSPEB
		0x40804f07: {none: true},          // UBI_IOCVOLCRBLK
		0x4f08:     {none: true},          // UBI_IOCVOLRMBLK
	})
}
