package strace

// Loop device ioctls (_IOC type 'L'), as strace 6.1's loop.c decodes them
// (struct loop_info, loop_info64, loop_config of x86_64 and arm64).

var (
	loopFlags = []flag{{1, "LO_FLAGS_READ_ONLY"}, {2, "LO_FLAGS_USE_AOPS"}, {4, "LO_FLAGS_AUTOCLEAR"},
		{8, "LO_FLAGS_PARTSCAN"}, {16, "LO_FLAGS_DIRECT_IO"}}
	loopCryptTypes = []flag{{0, "LO_CRYPT_NONE"}, {1, "LO_CRYPT_XOR"}, {2, "LO_CRYPT_DES"}, {3, "LO_CRYPT_FISH2"},
		{4, "LO_CRYPT_BLOW"}, {5, "LO_CRYPT_CAST128"}, {6, "LO_CRYPT_IDEA"}, {9, "LO_CRYPT_DUMMY"},
		{10, "LO_CRYPT_SKIPJACK"}, {18, "LO_CRYPT_CRYPTOAPI"}}
)

const (
	loopInfoSize   = 168
	loopInfo64Size = 232
	loopConfigSize = 304
	loKeySize      = 32
)

// loopKey prints lo_encrypt_key: its first key_size bytes (at most 32).
func loopKey(p *printer, key []byte, size uint32) {
	p.s(", lo_encrypt_key=")
	p.quote(key[:min(size, loKeySize)], false)
}

// loopInfo is struct loop_info.
func loopInfo(p *printer, b []byte) {
	abbrev := ioctlAbbrev(p)
	crypt := le.Uint32(b[36:])
	p.s("{lo_number=")
	p.d(int64(int32(le.Uint32(b))))
	if !abbrev {
		p.s(", lo_device=")
		makedev(p, le.Uint64(b[8:]))
		p.s(", lo_inode=")
		p.u(le.Uint64(b[16:]))
		p.s(", lo_rdevice=")
		makedev(p, le.Uint64(b[24:]))
	}
	p.s(", lo_offset=")
	hexOrZero(p, uint64(le.Uint32(b[32:])))
	if !abbrev || crypt != 0 {
		p.s(", lo_encrypt_type=")
		p.xlat(uint64(crypt), loopCryptTypes, "/LO_CRYPT_???")
		p.s(", lo_encrypt_key_size=")
		p.u(uint64(le.Uint32(b[40:])))
	}
	p.s(", lo_flags=")
	p.flagsDflt(uint64(le.Uint32(b[44:])), loopFlags, "", "LO_FLAGS_???")
	p.s(", lo_name=")
	cstringField(p, b[48:112])
	if !abbrev || crypt != 0 {
		loopKey(p, b[112:144], le.Uint32(b[40:]))
	}
	if !abbrev {
		p.s(", lo_init=")
		xArrayField(p, b[144:], 2, 8)
		p.s(", reserved=")
		xArrayField(p, b[160:], 4, 1)
	} else {
		p.s(", ...")
	}
	p.c('}')
}

// loopInfo64 is struct loop_info64.
func loopInfo64(p *printer, b []byte) {
	abbrev := ioctlAbbrev(p)
	crypt := le.Uint32(b[44:])
	p.c('{')
	if !abbrev {
		p.s("lo_device=")
		makedev(p, le.Uint64(b))
		p.s(", lo_inode=")
		p.u(le.Uint64(b[8:]))
		p.s(", lo_rdevice=")
		makedev(p, le.Uint64(b[16:]))
		p.s(", lo_offset=")
		hexOrZero(p, le.Uint64(b[24:]))
		p.s(", lo_sizelimit=")
		p.u(le.Uint64(b[32:]))
		p.s(", lo_number=")
	} else {
		p.s("lo_offset=")
		hexOrZero(p, le.Uint64(b[24:]))
		p.s(", lo_number=")
	}
	p.u(uint64(le.Uint32(b[40:])))
	if !abbrev || crypt != 0 {
		p.s(", lo_encrypt_type=")
		p.xlat(uint64(crypt), loopCryptTypes, "/LO_CRYPT_???")
		p.s(", lo_encrypt_key_size=")
		p.u(uint64(le.Uint32(b[48:])))
	}
	p.s(", lo_flags=")
	p.flagsDflt(uint64(le.Uint32(b[52:])), loopFlags, "", "LO_FLAGS_???")
	p.s(", lo_file_name=")
	cstringField(p, b[56:120])
	if !abbrev || crypt != 0 {
		p.s(", lo_crypt_name=")
		cstringField(p, b[120:184])
		loopKey(p, b[184:216], le.Uint32(b[48:]))
	}
	if !abbrev {
		p.s(", lo_init=")
		xArrayField(p, b[216:], 2, 8)
	} else {
		p.s(", ...")
	}
	p.c('}')
}

// loopConfig is struct loop_config: its __reserved only when not all 0.
func loopConfig(p *printer, c *Call, i int) {
	b := ioctlStructOf(p, c, i, loopConfigSize, false)
	if b == nil {
		return
	}
	p.s("{fd=")
	p.fd(c, int32(le.Uint32(b)))
	p.s(", block_size=")
	p.u(uint64(le.Uint32(b[4:])))
	p.s(", info=")
	loopInfo64(p, b[8:])
	for j := 240; j < loopConfigSize; j++ {
		if b[j] != 0 {
			p.s(", __reserved=")
			xArrayField(p, b[240:], 8, 8)
			break
		}
	}
	p.c('}')
}

func loopFdArg(p *printer, c *Call, i int) { p.fd(c, int32(c.Args[i])) }

func init() {
	dec := func(p *printer, c *Call, i int) { p.d(int64(int32(c.Args[i]))) }
	u := func(p *printer, c *Call, i int) { p.u(c.Args[i]) }
	registerIoctls(map[uint32]ioctlDef{
		0x4c00: {arg: loopFdArg},                                                              // LOOP_SET_FD
		0x4c01: {none: true},                                                                  // LOOP_CLR_FD
		0x4c02: {size: loopInfoSize, arg: ioctlIn(loopInfoSize, loopInfo)},                    // LOOP_SET_STATUS
		0x4c03: {size: loopInfoSize, exit: true, arg: ioctlOut(loopInfoSize, loopInfo)},       // LOOP_GET_STATUS
		0x4c04: {size: loopInfo64Size, arg: ioctlIn(loopInfo64Size, loopInfo64)},              // LOOP_SET_STATUS64
		0x4c05: {size: loopInfo64Size, exit: true, arg: ioctlOut(loopInfo64Size, loopInfo64)}, // LOOP_GET_STATUS64
		0x4c06: {arg: loopFdArg},                                                              // LOOP_CHANGE_FD
		0x4c07: {none: true},                                                                  // LOOP_SET_CAPACITY
		0x4c08: {arg: u},                                                                      // LOOP_SET_DIRECT_IO
		0x4c09: {arg: u},                                                                      // LOOP_SET_BLOCK_SIZE
		0x4c0a: {size: loopConfigSize, arg: loopConfig},                                       // LOOP_CONFIGURE
		0x4c80: {arg: dec},                                                                    // LOOP_CTL_ADD
		0x4c81: {arg: dec},                                                                    // LOOP_CTL_REMOVE
		0x4c82: {none: true},                                                                  // LOOP_CTL_GET_FREE
	})
}
