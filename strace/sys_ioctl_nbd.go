package strace

// Network block device ioctls (0xab, linux/nbd.h), as strace 6.1's
// nbd_ioctl.c decodes them. Flags from xlat/nbd_ioctl_flags.in.

var nbdFlags = []flag{{1 << 0, "NBD_FLAG_HAS_FLAGS"}, {1 << 1, "NBD_FLAG_READ_ONLY"}, {1 << 2, "NBD_FLAG_SEND_FLUSH"},
	{1 << 3, "NBD_FLAG_SEND_FUA"}, {1 << 4, "NBD_FLAG_ROTATIONAL"}, {1 << 5, "NBD_FLAG_SEND_TRIM"},
	{1 << 6, "NBD_FLAG_SEND_WRITE_ZEROES"}, {1 << 7, "NBD_FLAG_SEND_DF"}, {1 << 8, "NBD_FLAG_CAN_MULTI_CONN"},
	{1 << 9, "NBD_FLAG_SEND_RESIZE"}, {1 << 10, "NBD_FLAG_SEND_CACHE"}}

// ioctlArgFd prints the argument as a descriptor (strace's printfd).
func ioctlArgFd(p *printer, c *Call, i int) { p.fd(c, int32(c.Args[i])) }

// ioctlArgU prints the argument as an unsigned number.
func ioctlArgU(p *printer, c *Call, i int) { p.u(c.Args[i]) }

// fmtNbdFlags: printflags takes an unsigned int.
func fmtNbdFlags(p *printer, c *Call, i int) {
	p.flagsDflt(uint64(uint32(c.Args[i])), nbdFlags, "", "NBD_IOC_FLAG_???")
}

func init() {
	registerIoctlsAtExit(map[uint32]ioctlDef{
		0xab00: {name: "NBD_SET_SOCK", arg: ioctlArgFd},
		0xab01: {name: "NBD_SET_BLKSIZE", arg: ioctlArgU},
		0xab02: {name: "NBD_SET_SIZE", arg: ioctlArgU},
		0xab03: {name: "NBD_DO_IT", none: true},
		0xab04: {name: "NBD_CLEAR_SOCK", none: true},
		0xab05: {name: "NBD_CLEAR_QUE", none: true},
		0xab06: {name: "NBD_PRINT_DEBUG", none: true},
		0xab07: {name: "NBD_SET_SIZE_BLOCKS", arg: ioctlArgU},
		0xab08: {name: "NBD_DISCONNECT", none: true},
		0xab09: {name: "NBD_SET_TIMEOUT", arg: ioctlArgU},
		0xab0a: {name: "NBD_SET_FLAGS", arg: fmtNbdFlags},
	})
}
