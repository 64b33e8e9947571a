package strace

// struct termio (TCGETA, TCSETA, TCSETAW, TCSETAF), struct termios2
// (TCGETS2, TCSETS2, TCSETSW2, TCSETSF2) and the locked termios
// (TIOCGLCKTRMIOS, TIOCSLCKTRMIOS), as strace 6.1's term.c prints them:
// the flags as termios (sys_ioctl.go) prints them, the rest abbreviated.

// termio widens struct termio's 16-bit flags for termios; under -v, its
// c_line and 8 c_cc follow.
func termio(p *printer, b []byte) {
	var w [16]byte
	for j := 0; j < 4; j++ {
		copy(w[4*j:], b[2*j:2*j+2])
	}
	termFlags(p, w[:])
	if ioctlAbbrev(p) {
		p.s(", ...}")
		return
	}
	termTail(p, b[8], b[9:17])
	p.c('}')
}

func termDef(n int, out bool, pr func(p *printer, b []byte)) ioctlDef {
	if out {
		return ioctlDef{size: n, exit: true, arg: ioctlOut(n, pr)}
	}
	return ioctlDef{size: n, arg: ioctlIn(n, pr)}
}

func init() {
	registerIoctls(map[uint32]ioctlDef{
		0x5405:     termDef(18, true, termio),   // TCGETA
		0x5406:     termDef(18, false, termio),  // TCSETA
		0x5407:     termDef(18, false, termio),  // TCSETAW
		0x5408:     termDef(18, false, termio),  // TCSETAF
		0x802c542a: termDef(44, true, termios),  // TCGETS2
		0x402c542b: termDef(44, false, termios), // TCSETS2
		0x402c542c: termDef(44, false, termios), // TCSETSW2
		0x402c542d: termDef(44, false, termios), // TCSETSF2
		0x5456:     termDef(36, true, termios),  // TIOCGLCKTRMIOS
		0x5457:     termDef(36, false, termios), // TIOCSLCKTRMIOS
	})
}
