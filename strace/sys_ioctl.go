package strace

import (
	"fmt"

	"github.com/eproc/eproc/loader/wire"
)

// ioctl (of the descriptor family): the requests strace names, terminal
// and KVM ones among them, with their arguments as strace prints them.

type ioctlArg uint8

const (
	ioNone    ioctlArg = iota // no argument printed
	ioHex                     // the argument as an address or number
	ioDec                     // an int
	ioIntIn                   // [int], read
	ioIntOut                  // [int], written
	ioTermIn                  // struct termios, read
	ioTermOut                 // struct termios, written
	ioWinIn                   // struct winsize, read
	ioWinOut                  // struct winsize, written
	ioFlsh                    // TCFLSH's queue
	ioXonc                    // TCXONC's action
	ioAddr                    // a number in hex, 0 as 0 (a request strace does not decode)
	ioKVMCap                  // KVM_CHECK_EXTENSION's KVM_CAP_*
)

type ioctlInfo struct {
	name string
	arg  ioctlArg
}

var ioctls = map[uint32]ioctlInfo{
	0x5401: {"TCGETS", ioTermOut},
	0x5402: {"SNDCTL_TMR_START or TCSETS", ioTermIn},
	0x5403: {"SNDCTL_TMR_STOP or TCSETSW", ioTermIn},
	0x5404: {"SNDCTL_TMR_CONTINUE or TCSETSF", ioTermIn},
	// TCGETA, TCSETA*: sys_ioctl_termio.go.
	0x5409: {"TCSBRK", ioDec}, 0x540a: {"TCXONC", ioXonc}, 0x540b: {"TCFLSH", ioFlsh},
	0x540c: {"TIOCEXCL", ioNone}, 0x540d: {"TIOCNXCL", ioNone}, 0x540e: {"TIOCSCTTY", ioDec},
	0x540f: {"TIOCGPGRP", ioIntOut}, 0x5410: {"TIOCSPGRP", ioIntIn}, 0x5411: {"TIOCOUTQ", ioIntOut},
	0x5412: {"TIOCSTI", ioHex}, 0x5413: {"TIOCGWINSZ", ioWinOut}, 0x5414: {"TIOCSWINSZ", ioWinIn},
	// TIOCM*: sys_ioctl_tiocm.go.
	0x5419: {"TIOCGSOFTCAR", ioIntOut}, 0x541a: {"TIOCSSOFTCAR", ioIntIn}, 0x541b: {"FIONREAD", ioIntOut},
	0x541c: {"TIOCLINUX", ioHex}, 0x541d: {"TIOCCONS", ioNone}, 0x541e: {"TIOCGSERIAL", ioHex},
	0x541f: {"TIOCSSERIAL", ioHex}, 0x5420: {"TIOCPKT", ioIntIn}, 0x5421: {"FIONBIO", ioIntIn},
	0x5422: {"TIOCNOTTY", ioNone}, 0x5423: {"TIOCSETD", ioIntIn}, 0x5424: {"TIOCGETD", ioIntOut},
	0x5425: {"TCSBRKP", ioDec}, 0x5427: {"TIOCSBRK", ioNone}, 0x5428: {"TIOCCBRK", ioNone},
	0x5429: {"TIOCGSID", ioIntOut}, 0x80045430: {"TIOCGPTN", ioIntOut}, 0x40045431: {"TIOCSPTLCK", ioIntIn},
	0x80045439: {"TIOCGPTLCK", ioIntOut}, 0x5437: {"TIOCVHANGUP", ioNone}, 0x5441: {"TIOCGPTPEER", ioHex},
	0x5450: {"FIONCLEX", ioNone}, 0x5451: {"FIOCLEX", ioNone}, 0x5452: {"FIOASYNC", ioIntIn},
	0x5460: {"FIOQSIZE", ioHex}, // FIOSETOWN and the other socket requests: sys_ioctl_sock.go
	// KVM (linux/kvm.h, x86): those a VMM makes to set up and run a guest.
	// Structs are printed as their addresses.
	0xae00: {"KVM_GET_API_VERSION", ioDec}, 0xae01: {"KVM_CREATE_VM", ioDec}, 0xae03: {"KVM_CHECK_EXTENSION", ioKVMCap},
	0xae04: {"KVM_GET_VCPU_MMAP_SIZE", ioDec}, 0xae41: {"KVM_CREATE_VCPU", ioDec}, 0xae80: {"KVM_RUN", ioDec},
	0x4020ae46: {"KVM_SET_USER_MEMORY_REGION", ioHex}, 0x8090ae81: {"KVM_GET_REGS", ioHex}, 0x4090ae82: {"KVM_SET_REGS", ioHex},
	0x8138ae83: {"KVM_GET_SREGS", ioHex}, 0x4138ae84: {"KVM_SET_SREGS", ioHex}, 0x4008ae90: {"KVM_SET_CPUID2", ioHex},
	0xc008ae05: {"KVM_GET_SUPPORTED_CPUID", ioHex},
	0xae47:     {"KVM_SET_TSS_ADDR", ioAddr}, 0x4008ae48: {"KVM_SET_IDENTITY_MAP_ADDR", ioAddr}, 0xae60: {"KVM_CREATE_IRQCHIP", ioAddr},
	0x4008ae61: {"KVM_IRQ_LINE", ioAddr}, 0xc008ae67: {"KVM_IRQ_LINE_STATUS", ioAddr}, 0x4040ae77: {"KVM_CREATE_PIT2", ioAddr},
	0xc008ae88: {"KVM_GET_MSRS", ioAddr}, 0x4008ae89: {"KVM_SET_MSRS", ioAddr}, 0x4040ae79: {"KVM_IOEVENTFD", ioAddr},
	0x4020ae76: {"KVM_IRQFD", ioAddr}, 0x4008ae6a: {"KVM_SET_GSI_ROUTING", ioAddr}, 0x8030ae7c: {"KVM_GET_CLOCK", ioAddr},
	0x4030ae7b: {"KVM_SET_CLOCK", ioAddr}, 0x8040ae9f: {"KVM_GET_VCPU_EVENTS", ioAddr}, 0x4040aea0: {"KVM_SET_VCPU_EVENTS", ioAddr},
	0x8400ae8e: {"KVM_GET_LAPIC", ioAddr}, 0x4400ae8f: {"KVM_SET_LAPIC", ioAddr}, 0x4004ae8b: {"KVM_SET_SIGNAL_MASK", ioAddr},
	0x81a0ae8c: {"KVM_GET_FPU", ioAddr}, 0x41a0ae8d: {"KVM_SET_FPU", ioAddr}, 0x4068aea3: {"KVM_ENABLE_CAP", ioAddr},
	0x8004ae98: {"KVM_GET_MP_STATE", ioAddr}, 0x4004ae99: {"KVM_SET_MP_STATE", ioAddr}, 0x4010ae42: {"KVM_GET_DIRTY_LOG", ioAddr},
	0x4048ae9b: {"KVM_SET_GUEST_DEBUG", ioAddr}, 0x9000aea4: {"KVM_GET_XSAVE", ioAddr}, 0x5000aea5: {"KVM_SET_XSAVE", ioAddr},
	0x8188aea6: {"KVM_GET_XCRS", ioAddr}, 0x4188aea7: {"KVM_SET_XCRS", ioAddr}, 0x8080aea1: {"KVM_GET_DEBUGREGS", ioAddr},
	0x4080aea2: {"KVM_SET_DEBUGREGS", ioAddr}, 0xaead: {"KVM_KVMCLOCK_CTRL", ioAddr}, 0x4020aea5: {"KVM_SIGNAL_MSI", ioAddr},
	0xc004ae02: {"KVM_GET_MSR_INDEX_LIST", ioAddr}, 0xc008ae09: {"KVM_GET_EMULATED_CPUID", ioAddr}, 0xaea2: {"KVM_SET_TSC_KHZ", ioAddr},
	0xaea3: {"KVM_GET_TSC_KHZ", ioAddr}, 0xc00caee0: {"KVM_CREATE_DEVICE", ioAddr}, 0x4018aee1: {"KVM_SET_DEVICE_ATTR", ioAddr},
	0x4018aee2: {"KVM_GET_DEVICE_ATTR", ioAddr}, 0x4018aee3: {"KVM_HAS_DEVICE_ATTR", ioAddr}, 0xc008ae91: {"KVM_GET_CPUID2", ioAddr},
	0xc018ae85: {"KVM_TRANSLATE", ioAddr}, 0x4004ae86: {"KVM_INTERRUPT", ioAddr}, 0xae9a: {"KVM_NMI", ioAddr}, 0xaeb7: {"KVM_SMI", ioAddr},
	0xae78: {"KVM_SET_BOOT_CPU_ID", ioAddr}, 0x4010ae67: {"KVM_REGISTER_COALESCED_MMIO", ioAddr}, 0x4010ae68: {"KVM_UNREGISTER_COALESCED_MMIO", ioAddr},
	0x40049409: {"BTRFS_IOC_CLONE or FICLONE", ioDec}, 0x4020940d: {"BTRFS_IOC_CLONE_RANGE or FICLONERANGE", ioHex},
}

// An ioctlDef is a request decoded in a family file of its own
// (sys_ioctl_*.go, registerIoctls), beyond the table above.
type ioctlDef struct {
	name string
	// size is how many bytes of the argument the kernel side captures:
	// 0 none, ioctlSizeBits the request's own _IOC size (with anySize, each
	// size of the request gets its own).
	size int
	// anySize: the def stands for the request with any size bits
	// (EVIOCGNAME(len)); its key has them cleared, and name, if it has no
	// "%", is printed with the size in parentheses: EVIOCGNAME(20).
	anySize bool
	// also: further captures of the argument, after size's (what a
	// pointer in its struct points to: wire.CKDeref).
	also *[]capRule
	// arg prints the argument (i is its index); nil prints it as an
	// address, none: the call has no third argument.
	arg  func(p *printer, c *Call, i int)
	none bool
	// str: the argument is a NUL-terminated string, captured as kStr's
	// (capStr; size is then unused).
	str bool
	// exit: the argument is an output, printed when the call returns.
	exit bool
	// ret, when set, prints a successful call's return value.
	ret func(p *printer, c *Call)
}

const ioctlSizeBits = -1

var ioctlDefs = map[uint32]ioctlDef{}

// registerIoctls adds a family's requests (from init). A request in two
// families, or in ioctls and here, is a mistake: it panics.
func registerIoctls(m map[uint32]ioctlDef) {
	for req, d := range m {
		if d.anySize {
			req &= ioctlSelMask
		}
		if _, dup := ioctlDefs[req]; dup {
			panic(fmt.Sprintf("ioctl request %#x registered twice", req))
		}
		if _, dup := ioctls[req]; dup {
			panic(fmt.Sprintf("ioctl request %#x is in ioctls too", req))
		}
		ioctlDefs[req] = d
	}
}

// registerIoctlsAtExit is registerIoctls for families whose decoders print
// a captured argument when the call returns, input or output (the capture
// at exit holds the input too).
func registerIoctlsAtExit(m map[uint32]ioctlDef) {
	for req, d := range m {
		if d.size != 0 || d.str {
			d.exit = true
			m[req] = d
		}
	}
	registerIoctls(m)
}

// ioctlDefOf finds the def of request req: by its value, else by its
// value without the size bits (an anySize def).
func ioctlDefOf(req uint32) (ioctlDef, bool) {
	if d, ok := ioctlDefs[req]; ok && !d.anySize {
		return d, true
	}
	if d, ok := ioctlDefs[req&ioctlSelMask]; ok && d.anySize {
		return d, true
	}
	return ioctlDef{}, false
}

var iocDirs = []string{"_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE"}

// fmtIoctlReq prints the request: its name (_IOC(...) without one) under
// -X abbrev, the number under -X raw, both under -X verbose.
func fmtIoctlReq(p *printer, c *Call, i int) {
	req := uint32(c.Args[i])
	if p.style == ConstVerbose {
		// As whole does, but the name is printed with the style still
		// verbose: a number decoder's names inside the comment have no
		// comments of their own (EVIOCGABS(0xe), not 0xe /* ABS_??? */).
		hexOrZero(p, uint64(req))
		p.s(" /* ")
		ioctlReqName(p, req)
		p.s(" */")
		return
	}
	p.whole(func() { hexOrZero(p, uint64(req)) }, func() { ioctlReqName(p, req) })
}

// ioctlNumberDecoders print, for an _IOC type, the requests strace names
// from their number (ioctl_decode_command_number: EVIOCGBIT(EV_KEY, 8)),
// reporting whether they did.
var ioctlNumberDecoders = map[uint32]func(p *printer, req uint32) bool{}

func ioctlReqName(p *printer, req uint32) {
	if e, ok := ioctls[req]; ok {
		p.s(e.name)
		return
	}
	decoded := false
	if dec := ioctlNumberDecoders[req>>8&0xff]; dec != nil {
		decoded = dec(p, req)
	}
	name := ""
	if d, ok := ioctlDefOf(req); ok {
		name = d.name
		if d.anySize && !decoded && name != "" {
			p.s(name)
			p.c('(')
			p.u(uint64(req >> 16 & 0x3fff))
			p.c(')')
			return
		}
	}
	if name == "" {
		name = ioctlNamesA[req]
	}
	if name != "" {
		if decoded {
			p.s(" or ")
		}
		p.s(name)
		return
	}
	if decoded {
		return
	}
	p.s("_IOC(")
	p.s(iocDirs[req>>30])
	p.s(", ")
	hexOrZero(p, uint64(req>>8&0xff))
	p.s(", ")
	hexOrZero(p, uint64(req&0xff))
	p.s(", ")
	hexOrZero(p, uint64(req>>16&0x3fff))
	p.c(')')
}

// ioctlRet prints the return value: the def's ret when it has one.
func ioctlRet(p *printer, c *Call) {
	if d, ok := ioctlDefOf(uint32(c.Args[1])); ok && d.ret != nil {
		d.ret(p, c)
		return
	}
	p.d(c.Ret)
}

// ioctlOutFrom: the argument is printed at exit for the requests whose
// argument is an output (a def's exit).
func ioctlOutFrom(c *Call) int {
	req := uint32(c.Args[1])
	if e, ok := ioctls[req]; ok {
		switch e.arg {
		case ioIntOut, ioTermOut, ioWinOut:
			return 2
		}
		return noOut
	}
	if d, ok := ioctlDefOf(req); ok && d.exit {
		return 2
	}
	return noOut
}

func ioctlNargs(c *Call) int {
	if e, ok := ioctls[uint32(c.Args[1])]; ok && e.arg == ioNone {
		return 2
	}
	if d, ok := ioctlDefOf(uint32(c.Args[1])); ok && d.none {
		return 2
	}
	return 3
}

var (
	termIflags = []flag{
		{0o1, "IGNBRK"}, {0o2, "BRKINT"}, {0o4, "IGNPAR"}, {0o10, "PARMRK"}, {0o20, "INPCK"}, {0o40, "ISTRIP"},
		{0o100, "INLCR"}, {0o200, "IGNCR"}, {0o400, "ICRNL"}, {0o1000, "IUCLC"}, {0o2000, "IXON"},
		{0o4000, "IXANY"}, {0o10000, "IXOFF"}, {0o20000, "IMAXBEL"}, {0o40000, "IUTF8"},
	}
	termOflags = []flag{
		{0o1, "OPOST"}, {0o2, "OLCUC"}, {0o4, "ONLCR"}, {0o10, "OCRNL"}, {0o20, "ONOCR"}, {0o40, "ONLRET"},
		{0o100, "OFILL"}, {0o200, "OFDEL"},
	}
	termCflags = []flag{
		{0o100, "CSTOPB"}, {0o200, "CREAD"}, {0o400, "PARENB"}, {0o1000, "PARODD"}, {0o2000, "HUPCL"},
		{0o4000, "CLOCAL"}, {0o10000000000, "CMSPAR"}, {0o20000000000, "CRTSCTS"},
	}
	termLflags = []flag{
		{0o1, "ISIG"}, {0o2, "ICANON"}, {0o4, "XCASE"}, {0o10, "ECHO"}, {0o20, "ECHOE"}, {0o40, "ECHOK"},
		{0o100, "ECHONL"}, {0o200, "NOFLSH"}, {0o100000, "IEXTEN"}, {0o1000, "ECHOCTL"}, {0o2000, "ECHOPRT"},
		{0o4000, "ECHOKE"}, {0o10000, "FLUSHO"}, {0o40000, "PENDIN"}, {0o400, "TOSTOP"}, {0o200000, "EXTPROC"},
	}
	bauds = []flag{
		{0, "B0"}, {1, "B50"}, {2, "B75"}, {3, "B110"}, {4, "B134"}, {5, "B150"}, {6, "B200"}, {7, "B300"},
		{8, "B600"}, {9, "B1200"}, {10, "B1800"}, {11, "B2400"}, {12, "B4800"}, {13, "B9600"}, {14, "B19200"},
		{15, "B38400"}, {0o10001, "B57600"}, {0o10002, "B115200"}, {0o10003, "B230400"}, {0o10004, "B460800"},
		{0o10005, "B500000"}, {0o10006, "B576000"}, {0o10007, "B921600"}, {0o10010, "B1000000"},
		{0o10011, "B1152000"}, {0o10012, "B1500000"}, {0o10013, "B2000000"}, {0o10014, "B2500000"},
		{0o10015, "B3000000"}, {0o10016, "B3500000"}, {0o10017, "B4000000"}, {0o10000, "BOTHER"},
	}
	termDelays = []struct {
		mask  uint64
		names []string // by value >> shift
		shift uint
	}{
		{0o400, []string{"NL0", "NL1"}, 8},
		{0o3000, []string{"CR0", "CR1", "CR2", "CR3"}, 9},
		{0o14000, []string{"TAB0", "TAB1", "TAB2", "XTABS"}, 11},
		{0o20000, []string{"BS0", "BS1"}, 13},
		{0o40000, []string{"VT0", "VT1"}, 14},
		{0o100000, []string{"FF0", "FF1"}, 15},
	}
)

// termios prints a struct termios (36 bytes) or termios2 (44), abbreviated
// as strace does unless -v.
func termios(p *printer, b []byte) {
	termFlags(p, b)
	switch {
	case ioctlAbbrev(p):
		p.s(", ...}")
	case len(b) >= 44: // struct termios2
		termTail(p, b[16], b[17:36])
		p.s(", c_ispeed=")
		p.u(uint64(le.Uint32(b[36:])))
		p.s(", c_ospeed=")
		p.u(uint64(le.Uint32(b[40:])))
		p.c('}')
	default:
		termTail(p, b[16], b[17:36])
		p.c('}')
	}
}

// termFlags prints "{" and the four flags of a termios.
func termFlags(p *printer, b []byte) {
	iflag, oflag := uint64(le.Uint32(b[0:])), uint64(le.Uint32(b[4:]))
	cflag, lflag := uint64(le.Uint32(b[8:])), uint64(le.Uint32(b[12:]))
	p.s("{c_iflag=")
	flagsOrUnknown(p, iflag, termIflags, "", "")
	p.s(", c_oflag=")
	for _, d := range termDelays {
		p.s(d.names[(oflag&d.mask)>>d.shift])
		p.c('|')
		oflag &^= d.mask
	}
	flagsOrUnknown(p, oflag, termOflags, "", "")
	p.s(", c_cflag=")
	xlatOrUnknown(p, cflag&0o10017, bauds, "")
	p.c('|')
	if ib := cflag & 0o2003600000; ib != 0 {
		xlatOrUnknown(p, ib>>16, bauds, "")
		p.s("<<IBSHIFT|")
	}
	p.s([]string{"CS5", "CS6", "CS7", "CS8"}[(cflag&0o60)>>4])
	p.c('|')
	flagsOrUnknown(p, cflag&^(0o10017|0o2003600000|0o60), termCflags, "", "")
	p.s(", c_lflag=")
	flagsOrUnknown(p, lflag, termLflags, "", "")
}

var (
	termLineDiscs = namesFlags("N_TTY", "N_SLIP", "N_MOUSE", "N_PPP", "N_STRIP", "N_AX25", "N_X25", "N_6PACK",
		"N_MASC", "N_R3964", "N_PROFIBUS_FDL", "N_IRDA", "N_SMSBLOCK", "N_HDLC", "N_SYNC_PPP", "N_HCI",
		"N_GIGASET_M101", "N_SLCAN", "N_PPS", "N_V253", "N_CAIF", "N_GSM0710", "N_TI_WL", "N_TRACESINK",
		"N_TRACEROUTER", "N_NCI", "N_SPEAKUP", "N_NULL")
	termCC = []string{"VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART",
		"VSTOP", "VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2"} // by index (x86's)
)

// namesFlags is a table of consecutive values from 0.
func namesFlags(names ...string) []flag {
	t := make([]flag, len(names))
	for j, n := range names {
		t[j] = flag{uint64(j), n}
	}
	return t
}

// termTail is what -v adds after the flags: c_line and c_cc, each
// control character by its index's name.
func termTail(p *printer, line byte, cc []byte) {
	p.s(", c_line=")
	p.xlat(uint64(line), termLineDiscs, "/N_???")
	p.s(", c_cc=[")
	for j, ch := range cc {
		if j > 0 {
			p.s(", ")
		}
		p.c('[')
		if j < len(termCC) {
			p.s(termCC[j])
		} else {
			p.u(uint64(j))
		}
		p.s("]=")
		hexOrZero(p, uint64(ch))
	}
	p.c(']')
}

func fmtIoctlArg(p *printer, c *Call, i int) {
	v := c.Args[i]
	e, ok := ioctls[uint32(c.Args[1])]
	if !ok {
		d, ok := ioctlDefOf(uint32(c.Args[1]))
		switch {
		case ok && d.arg != nil:
			d.arg(p, c, i)
		case ok:
			p.ptr(v)
		default:
			hexOrZero(p, v) // strace's %#lx: 0 for zero
		}
		return
	}
	failed := c.Ret < 0 || !c.Complete()
	if ioctlCapBytes[e.arg] > 0 && !p.verbose() { // -e verbose=: printnum_int, umove_or_printaddr
		p.ptr(v)
		return
	}
	switch e.arg {
	case ioDec:
		p.d(int64(int32(v)))
	case ioAddr:
		hexOrZero(p, v)
	case ioKVMCap:
		if n, ok := kvmCapNames[uint32(v)]; ok {
			p.s(n)
		} else {
			p.d(int64(int32(v)))
		}
	case ioFlsh:
		xlatOrUnknown(p, uint64(uint32(v)), []flag{{0, "TCIFLUSH"}, {1, "TCOFLUSH"}, {2, "TCIOFLUSH"}}, "TC???")
	case ioXonc:
		xlatOrUnknown(p, uint64(uint32(v)), []flag{{0, "TCOOFF"}, {1, "TCOON"}, {2, "TCIOFF"}, {3, "TCION"}}, "TC???")
	case ioIntIn, ioIntOut:
		b := capturedIn(c, i, 4)
		if b == nil || e.arg == ioIntOut && failed {
			p.ptr(v)
			return
		}
		p.c('[')
		p.d(int64(int32(le.Uint32(b))))
		p.c(']')
	case ioTermIn, ioTermOut:
		b := capturedIn(c, i, 36)
		if b == nil || e.arg == ioTermOut && failed {
			p.ptr(v)
			return
		}
		termios(p, b)
	case ioWinIn, ioWinOut:
		b := capturedIn(c, i, 8)
		if b == nil || e.arg == ioWinOut && failed {
			p.ptr(v)
			return
		}
		p.s("{ws_row=")
		p.u(uint64(le.Uint16(b[0:])))
		p.s(", ws_col=")
		p.u(uint64(le.Uint16(b[2:])))
		p.s(", ws_xpixel=")
		p.u(uint64(le.Uint16(b[4:])))
		p.s(", ws_ypixel=")
		p.u(uint64(le.Uint16(b[6:])))
		p.c('}')
	default:
		p.ptr(v)
	}
}

var (
	kIoctlReq = newKind(kindInfo{fmt: fmtIoctlReq})
	// The argument is captured only for the requests strace decodes
	// (ioctlSel); others print as an address and cost no copy.
	kIoctlArg = newKind(kindInfo{fmt: fmtIoctlArg})
)

// ioctlCapBytes is what a request's argument needs captured: its struct's
// size, 0 for an argument that is not a pointer strace follows.
var ioctlCapBytes = map[ioctlArg]int{
	ioIntIn: 4, ioIntOut: 4, ioTermIn: 36, ioTermOut: 36, ioWinIn: 8, ioWinOut: 8,
}

// ioctlSelMask keeps a request's direction, type and number, not its size
// bits: the requests of one decoder that differ only in their size (EVIOCGNAME(len),
// EVIOCGBIT(ev, len)...) are one case, whose capture takes its size
// from the request (wire.SzIoc).
const ioctlSelMask = 0xc000ffff

// capIocSize captures the argument as long as the request's size bits say.
var capIocSize = capRule{kind: wire.CKMem, sizeFrom: wire.SzIoc, sizeRel: -1, elem: 1, max: wire.MaxCap, when: wire.CWIn}

// ioctlCaseRule is the capture of a request's argument, for the
// selector's case of req.
func ioctlCaseRule(req uint32, n int) capRule {
	switch {
	case n == 0:
		return capRule{}
	case req>>16&0x3fff != 0:
		return capIocSize
	}
	return capIn(n)
}

// ioctlCases gives each request in ioctls and ioctlDefs its argument's
// capture.
func ioctlCases() map[uint32]map[int]capRule {
	cases := map[uint32]map[int]capRule{}
	for req, e := range ioctls {
		cases[req&ioctlSelMask] = map[int]capRule{2: ioctlCaseRule(req, ioctlCapBytes[e.arg])}
	}
	for req, d := range ioctlDefs {
		r := capRule{}
		switch {
		case d.str:
			r = capStr
		case d.size == ioctlSizeBits:
			r = capIocSize
		case d.size > 0:
			r = capIn(d.size) // what strace reads, whatever the size bits say
		}
		r.also = d.also
		cases[req&ioctlSelMask] = map[int]capRule{2: r}
	}
	return cases
}

func init() {
	const (
		D = ClassDesc
	)
	registerSigs(map[string]sig{
		"ioctl": {args: []kind{kFd, kIoctlReq, kIoctlArg}, nargs: ioctlNargs, outFrom: ioctlOutFrom, ret: ioctlRet, class: D, sel: &selector{arg: 1, mask: ioctlSelMask, cases: ioctlCases}},
	})
}
