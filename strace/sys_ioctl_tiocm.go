package strace

// TIOCMGET, TIOCMBIS, TIOCMBIC, TIOCMSET: modem flags at the argument,
// as strace 6.1's term.c prints them (decode_modem_flags).

var modemFlags = []flag{
	{0x001, "TIOCM_LE"}, {0x002, "TIOCM_DTR"}, {0x004, "TIOCM_RTS"}, {0x008, "TIOCM_ST"}, {0x010, "TIOCM_SR"},
	{0x020, "TIOCM_CTS"}, {0x040, "TIOCM_CAR"}, {0x080, "TIOCM_RNG"}, {0x100, "TIOCM_DSR"},
	{0x2000, "TIOCM_OUT1"}, {0x4000, "TIOCM_OUT2"}, {0x8000, "TIOCM_LOOP"},
}

func modemFlagsInt(p *printer, v uint32) { p.flagsDflt(uint64(v), modemFlags, "", "TIOCM_???") }

func init() {
	registerIoctls(map[uint32]ioctlDef{
		0x5415: {name: "TIOCMGET", size: 4, exit: true, arg: ioctlInt(true, modemFlagsInt)},
		0x5416: {name: "TIOCMBIS", size: 4, arg: ioctlInt(false, modemFlagsInt)},
		0x5417: {name: "TIOCMBIC", size: 4, arg: ioctlInt(false, modemFlagsInt)},
		0x5418: {name: "TIOCMSET", size: 4, arg: ioctlInt(false, modemFlagsInt)},
	})
}
