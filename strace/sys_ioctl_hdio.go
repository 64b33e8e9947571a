package strace

// HDIO ioctls (_IOC type 0x03), as strace 6.1's hdio.c and its generated
// gen/gen_hdio.c (from maint/gen/defs/hdio.def) decode them.

var (
	hdioBusstates = []flag{{0, "BUSSTATE_OFF"}, {1, "BUSSTATE_ON"}, {2, "BUSSTATE_TRISTATE"}}
	hdioIdeNice   = []flag{{1 << 0, "1 << IDE_NICE_DSC_OVERLAP"}, {1 << 1, "1 << IDE_NICE_ATAPI_OVERLAP"}, {1 << 3, "1 << IDE_NICE_1"},
		{1 << 2, "1 << IDE_NICE_0"}, {1 << 4, "1 << IDE_NICE_2"}} // the names strace prints
	hdioDriveCmds = []flag{
		{0x00, "ATA_CMD_NOP"},
		{0x03, "ATA_CMD_CFA_REQ_EXT_ERR"},
		{0x06, "ATA_CMD_DSM"},
		{0x08, "ATA_CMD_DEV_RESET"},
		{0x0b, "ATA_CMD_REQ_SENSE_DATA"},
		{0x10, "ATA_CMD_RESTORE"},
		{0x20, "ATA_CMD_PIO_READ"},
		{0x22, "ATA_CMD_READ_LONG"},
		{0x23, "ATA_CMD_READ_LONG_ONCE"},
		{0x24, "ATA_CMD_PIO_READ_EXT"},
		{0x25, "ATA_CMD_READ_EXT"},
		{0x26, "ATA_CMD_READ_QUEUED"},
		{0x27, "ATA_CMD_READ_NATIVE_MAX_EXT"},
		{0x29, "ATA_CMD_READ_MULTI_EXT"},
		{0x2a, "ATA_CMD_READ_STREAM_DMA_EXT"},
		{0x2b, "ATA_CMD_READ_STREAM_EXT"},
		{0x2f, "ATA_CMD_READ_LOG_EXT"},
		{0x30, "ATA_CMD_PIO_WRITE"},
		{0x32, "ATA_CMD_WRITE_LONG"},
		{0x33, "ATA_CMD_WRITE_LONG_ONCE"},
		{0x34, "ATA_CMD_PIO_WRITE_EXT"},
		{0x35, "ATA_CMD_WRITE_EXT"},
		{0x36, "ATA_CMD_WRITE_QUEUED"},
		{0x37, "ATA_CMD_SET_MAX_EXT"},
		{0x38, "ATA_CMD_CFA_WRITE_NE"},
		{0x39, "ATA_CMD_WRITE_MULTI_EXT"},
		{0x3a, "ATA_CMD_WRITE_STREAM_DMA_EXT"},
		{0x3b, "ATA_CMD_WRITE_STREAM_EXT"},
		{0x3d, "ATA_CMD_WRITE_FUA_EXT"},
		{0x3e, "ATA_CMD_WRITE_QUEUED_FUA_EXT"},
		{0x3f, "ATA_CMD_WRITE_LOG_EXT"},
		{0x40, "ATA_CMD_VERIFY"},
		{0x42, "ATA_CMD_VERIFY_EXT"},
		{0x45, "ATA_CMD_WRITE_UNCORR_EXT"},
		{0x47, "ATA_CMD_READ_LOG_DMA_EXT"},
		{0x4a, "ATA_CMD_ZAC_MGMT_IN"},
		{0x51, "ATA_CMD_CONFIG_STREAM"},
		{0x57, "ATA_CMD_WRITE_LOG_DMA_EXT"},
		{0x5b, "ATA_CMD_TRUSTED_NONDATA"},
		{0x5c, "ATA_CMD_TRUSTED_RCV"},
		{0x5d, "ATA_CMD_TRUSTED_RCV_DMA"},
		{0x5e, "ATA_CMD_TRUSTED_SND"},
		{0x5f, "ATA_CMD_TRUSTED_SND_DMA"},
		{0x60, "ATA_CMD_FPDMA_READ"},
		{0x61, "ATA_CMD_FPDMA_WRITE"},
		{0x63, "ATA_CMD_NCQ_NON_DATA"},
		{0x64, "ATA_CMD_FPDMA_SEND"},
		{0x65, "ATA_CMD_FPDMA_RECV"},
		{0x87, "ATA_CMD_CFA_TRANS_SECT"},
		{0x90, "ATA_CMD_EDD"},
		{0x91, "ATA_CMD_INIT_DEV_PARAMS"},
		{0x92, "ATA_CMD_DOWNLOAD_MICRO"},
		{0x93, "ATA_CMD_DOWNLOAD_MICRO_DMA"},
		{0x9f, "ATA_CMD_ZAC_MGMT_OUT"},
		{0xa0, "ATA_CMD_PACKET"},
		{0xa1, "ATA_CMD_ID_ATAPI"},
		{0xa2, "ATA_CMD_SERVICE"},
		{0xb0, "ATA_CMD_SMART"},
		{0xb1, "ATA_CMD_CONF_OVERLAY"},
		{0xb4, "ATA_CMD_SANITIZE_DEVICE"},
		{0xc0, "ATA_CMD_CFA_ERASE"},
		{0xc4, "ATA_CMD_READ_MULTI"},
		{0xc5, "ATA_CMD_WRITE_MULTI"},
		{0xc6, "ATA_CMD_SET_MULTI"},
		{0xc8, "ATA_CMD_READ"},
		{0xca, "ATA_CMD_WRITE"},
		{0xcd, "ATA_CMD_CFA_WRITE_MULT_NE"},
		{0xce, "ATA_CMD_WRITE_MULTI_FUA_EXT"},
		{0xd1, "ATA_CMD_CHK_MED_CRD_TYP"},
		{0xde, "ATA_CMD_MEDIA_LOCK"},
		{0xdf, "ATA_CMD_MEDIA_UNLOCK"},
		{0xe0, "ATA_CMD_STANDBYNOW1"},
		{0xe1, "ATA_CMD_IDLEIMMEDIATE"},
		{0xe2, "ATA_CMD_STANDBY"},
		{0xe3, "ATA_CMD_IDLE"},
		{0xe4, "ATA_CMD_PMP_READ"},
		{0xe5, "ATA_CMD_CHK_POWER"},
		{0xe6, "ATA_CMD_SLEEP"},
		{0xe7, "ATA_CMD_FLUSH"},
		{0xe8, "ATA_CMD_PMP_WRITE"},
		{0xe9, "ATA_CMD_PMP_READ_DMA"},
		{0xea, "ATA_CMD_FLUSH_EXT"},
		{0xeb, "ATA_CMD_PMP_WRITE_DMA"},
		{0xec, "ATA_CMD_ID_ATA"},
		{0xef, "ATA_CMD_SET_FEATURES"},
		{0xf1, "ATA_CMD_SEC_SET_PASS"},
		{0xf2, "ATA_CMD_SEC_UNLOCK"},
		{0xf3, "ATA_CMD_SEC_ERASE_PREP"},
		{0xf4, "ATA_CMD_SEC_ERASE_UNIT"},
		{0xf5, "ATA_CMD_SEC_FREEZE_LOCK"},
		{0xf6, "ATA_CMD_SEC_DISABLE_PASS"},
		{0xf8, "ATA_CMD_READ_NATIVE_MAX"},
		{0xf9, "ATA_CMD_SET_MAX"},
	}
)

// hdioGeo is struct hd_geometry: heads, sectors (u8), cylinders (u16),
// start (unsigned long).
func hdioGeo(p *printer, b []byte) {
	p.s("{heads=")
	p.u(uint64(b[0]))
	p.s(", sectors=")
	p.u(uint64(b[1]))
	p.s(", cylinders=")
	p.u(uint64(le.Uint16(b[2:])))
	p.s(", start=")
	p.u(le.Uint64(b[8:]))
	p.c('}')
}

// hdioDriveCmdBuf is how many bytes of the sector buffer after the
// header the capture holds: strace prints -s of them, reading one more
// (up to -s 1024).
const hdioDriveCmdBuf = 1025

// hdioDriveCmd is struct hd_drive_cmd_hdr as the caller wrote it, then,
// when the call succeeded (or failed with EIO), " => " and the same four
// bytes as the drive's status, error, nsector and sector count, and the
// sector buffer after them (printstr_ex of sector_count*512 bytes, in
// hex). One capture holds header and buffer, up to a page it cannot read:
// a buffer shorter than strace reads is its address.
func hdioDriveCmd(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	switch {
	case c.Args[i] == 0:
		p.s("NULL")
		return
	case cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < 4:
		p.x(c.Args[i])
		return
	}
	b := cp.Data
	p.s("{command=")
	p.xlat(uint64(b[0]), hdioDriveCmds, "/ATA_CMD_???")
	p.s(", sector_number=")
	p.u(uint64(b[1]))
	p.s(", feature=")
	p.u(uint64(b[2]))
	p.s(", sector_count=")
	p.u(uint64(b[3]))
	p.c('}')
	if !c.Complete() || c.Ret < 0 && c.Ret != -5 { // EIO
		return
	}
	p.s(" => {status=")
	hexOrZero(p, uint64(b[0]))
	p.s(", error=")
	p.u(uint64(b[1]))
	p.s(", nsector=")
	p.u(uint64(b[2]))
	if b[3] != 0 {
		p.s(", buf=")
		hexStrOf(p, c.Args[i]+4, b[4:], int(b[3])*512)
	}
	p.c('}')
}

// hdioIdentity is printstrn of n bytes the call fills.
func hdioIdentity(n int) ioctlDef {
	return ioctlDef{size: n, exit: true, arg: func(p *printer, c *Call, i int) {
		if b := ioctlStructOf(p, c, i, n, true); b != nil {
			show := b[:min(n, p.strsize)]
			p.quote(show, len(show) < n)
		}
	}}
}

// hdioXintArray3 is print_array of three ints in hex.
func hdioXintArray3(p *printer, b []byte) {
	p.c('[')
	for j := 0; j < 3; j++ {
		if j > 0 {
			p.s(", ")
		}
		hexOrZero(p, uint64(le.Uint32(b[4*j:])))
	}
	p.c(']')
}

func hdioUlongOut(pr func(p *printer, v uint64)) ioctlDef {
	return ioctlDef{size: 8, exit: true, arg: ioctlOut(8, func(p *printer, b []byte) {
		p.c('[')
		pr(p, le.Uint64(b))
		p.c(']')
	})}
}

func hdioUlongVal(pr func(p *printer, v uint64)) ioctlDef {
	return ioctlDef{arg: func(p *printer, c *Call, i int) { pr(p, c.Args[i]) }}
}

func hdioU(p *printer, v uint64)     { p.u(v) }
func hdioNice(p *printer, v uint64)  { p.flagsDflt(v, hdioIdeNice, "", "IDE_NICE_???") }
func hdioState(p *printer, v uint64) { p.xlat(v, hdioBusstates, "/BUSSTATE_???") }

func init() {
	defs := map[uint32]ioctlDef{
		0x301: {size: 16, exit: true, arg: ioctlOut(16, hdioGeo)},         // HDIO_GETGEO
		0x31f: {size: 4 + hdioDriveCmdBuf, exit: true, arg: hdioDriveCmd}, // HDIO_DRIVE_CMD
		0x31c: {size: 12, arg: ioctlIn(12, hdioXintArray3)},               // HDIO_DRIVE_RESET
		0x328: {size: 12, arg: ioctlIn(12, hdioXintArray3)},               // HDIO_SCAN_HWIF
		0x30d: hdioIdentity(512),                                          // HDIO_GET_IDENTITY
		0x307: hdioIdentity(142),                                          // HDIO_OBSOLETE_IDENTITY
		0x30c: hdioUlongOut(hdioNice),                                     // HDIO_GET_NICE
		0x31a: hdioUlongOut(hdioState),                                    // HDIO_GET_BUSSTATE
		0x329: hdioUlongVal(hdioNice),                                     // HDIO_SET_NICE
		0x32d: hdioUlongVal(hdioState),                                    // HDIO_SET_BUSSTATE
	}
	// HDIO_GET_{32BIT,ACOUSTIC,ADDRESS,DMA,KEEPSETTINGS,MULTCOUNT,NOWERR,UNMASKINTR,WCACHE}
	for _, req := range []uint32{0x309, 0x30f, 0x310, 0x30b, 0x308, 0x304, 0x30a, 0x302, 0x30e} {
		defs[req] = hdioUlongOut(hdioU)
	}
	// HDIO_SET_{32BIT,ACOUSTIC,ADDRESS,DMA,KEEPSETTINGS,MULTCOUNT,NOWERR,PIO_MODE,UNMASKINTR,WCACHE}, HDIO_UNREGISTER_HWIF
	for _, req := range []uint32{0x324, 0x32c, 0x32f, 0x326, 0x323, 0x321, 0x325, 0x327, 0x322, 0x32b, 0x32a} {
		defs[req] = hdioUlongVal(hdioU)
	}
	registerIoctls(defs)
}
