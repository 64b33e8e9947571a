package strace

import (
	"math/bits"
	"runtime"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// The descriptor family: calls on file descriptors (fcntl, ioctl, dup,
// pipe, lseek, getdents, vectored I/O, poll/select/epoll, eventfd,
// sendfile, ...), as strace prints them in its default mode.

// fcntl.

const (
	fDUPFD        = 0
	fGETFD        = 1
	fSETFD        = 2
	fGETFL        = 3
	fSETFL        = 4
	fGETLK        = 5
	fSETLK        = 6
	fSETLKW       = 7
	fSETOWN       = 8
	fGETOWN       = 9
	fSETSIG       = 10
	fGETSIG       = 11
	fSETOWNEX     = 15
	fGETOWNEX     = 16
	fGETOWNERUIDS = 17
	fOFDGETLK     = 36
	fOFDSETLK     = 37
	fOFDSETLKW    = 38
	fSETLEASE     = 1024
	fGETLEASE     = 1025
	fNOTIFY       = 1026
	fCANCELLK     = 1029
	fDUPFDCLOEXEC = 1030
	fSETPIPESZ    = 1031
	fGETPIPESZ    = 1032
	fADDSEALS     = 1033
	fGETSEALS     = 1034
)

var fcntlCmds = []flag{
	{fDUPFD, "F_DUPFD"}, {fGETFD, "F_GETFD"}, {fSETFD, "F_SETFD"}, {fGETFL, "F_GETFL"}, {fSETFL, "F_SETFL"},
	{fGETLK, "F_GETLK"}, {fSETLK, "F_SETLK"}, {fSETLKW, "F_SETLKW"}, {fSETOWN, "F_SETOWN"}, {fGETOWN, "F_GETOWN"},
	{fSETSIG, "F_SETSIG"}, {fGETSIG, "F_GETSIG"}, {fSETOWNEX, "F_SETOWN_EX"}, {fGETOWNEX, "F_GETOWN_EX"},
	{fGETOWNERUIDS, "F_GETOWNER_UIDS"}, {fOFDGETLK, "F_OFD_GETLK"}, {fOFDSETLK, "F_OFD_SETLK"},
	{fOFDSETLKW, "F_OFD_SETLKW"}, {fSETLEASE, "F_SETLEASE"}, {fGETLEASE, "F_GETLEASE"}, {fNOTIFY, "F_NOTIFY"},
	{fCANCELLK, "F_CANCELLK"}, {fDUPFDCLOEXEC, "F_DUPFD_CLOEXEC"}, {fSETPIPESZ, "F_SETPIPE_SZ"},
	{fGETPIPESZ, "F_GETPIPE_SZ"}, {fADDSEALS, "F_ADD_SEALS"}, {fGETSEALS, "F_GET_SEALS"},
}

var lockTypes = []flag{{0, "F_RDLCK"}, {1, "F_WRLCK"}, {2, "F_UNLCK"}}
var whences = []flag{{0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"}}
var dnotifyFlags = []flag{
	{1, "DN_ACCESS"}, {2, "DN_MODIFY"}, {4, "DN_CREATE"}, {8, "DN_DELETE"}, {0x10, "DN_RENAME"},
	{0x20, "DN_ATTRIB"}, {0x80000000, "DN_MULTISHOT"},
}
var sealFlags = []flag{{1, "F_SEAL_SEAL"}, {2, "F_SEAL_SHRINK"}, {4, "F_SEAL_GROW"}, {8, "F_SEAL_WRITE"}, {0x10, "F_SEAL_FUTURE_WRITE"}}
var ownerTypes = []flag{{0, "F_OWNER_TID"}, {1, "F_OWNER_PID"}, {2, "F_OWNER_PGRP"}}

func fcntlNargs(c *Call) int {
	switch uint32(c.Args[1]) {
	case fGETFD, fGETFL, fGETOWN, fGETSIG, fGETLEASE, fGETPIPESZ, fGETSEALS, fCANCELLK:
		return 2
	}
	return 3
}

// fmtFlock prints a struct flock (the same on amd64 and arm64).
func fmtFlock(p *printer, c *Call, i int, withPid bool) {
	b := capturedIn(c, i, 32)
	if b == nil || withPid && (c.Ret < 0 || !c.Complete()) {
		p.ptr(c.Args[i])
		return
	}
	p.s("{l_type=")
	xlatDecOrUnknown(p, int64(int16(le.Uint16(b[0:]))), lockTypes, "F_???")
	p.s(", l_whence=")
	xlatDecOrUnknown(p, int64(int16(le.Uint16(b[2:]))), whences, "SEEK_???")
	p.s(", l_start=")
	p.d(int64(le.Uint64(b[8:])))
	p.s(", l_len=")
	p.d(int64(le.Uint64(b[16:])))
	if withPid {
		p.s(", l_pid=")
		p.d(int64(int32(le.Uint32(b[24:]))))
	}
	p.c('}')
}

func fmtFcntlArg(p *printer, c *Call, i int) {
	v := c.Args[i]
	switch uint32(c.Args[1]) {
	case fSETFD:
		flagsOrUnknown(p, v, []flag{{1, "FD_CLOEXEC"}}, "", "FD_???")
	case fSETFL:
		openFlags(p, v)
	case fSETLK, fSETLKW, fOFDSETLK, fOFDSETLKW:
		fmtFlock(p, c, i, false)
	case fGETLK, fOFDGETLK:
		fmtFlock(p, c, i, true)
	case fSETOWNEX, fGETOWNEX:
		b := capturedIn(c, i, 8)
		if b == nil || uint32(c.Args[1]) == fGETOWNEX && (c.Ret < 0 || !c.Complete()) {
			p.ptr(v)
			return
		}
		p.s("{type=")
		xlatOrUnknown(p, uint64(le.Uint32(b)), ownerTypes, "F_OWNER_???")
		p.s(", pid=")
		p.d(int64(int32(le.Uint32(b[4:]))))
		p.c('}')
	case fSETLEASE:
		xlatDecOrUnknown(p, int64(int32(v)), lockTypes, "F_???")
	case fNOTIFY:
		flagsOrUnknown(p, uint64(uint32(v)), dnotifyFlags, "", "DN_???")
	case fADDSEALS:
		flagsOrUnknown(p, uint64(uint32(v)), sealFlags, "", "F_SEAL_???")
	case fSETSIG:
		if v == 0 {
			p.c('0')
		} else {
			signalName(p, int(int32(v)))
		}
	case fDUPFD, fDUPFDCLOEXEC, fSETOWN, fSETPIPESZ:
		p.d(int64(int32(v)))
	default:
		p.x(v)
	}
}

func fcntlRet(p *printer, c *Call) {
	switch uint32(c.Args[1]) {
	case fGETFD:
		hexOrZero(p, uint64(c.Ret))
		if c.Ret != 0 {
			p.s(" (flags ")
			flagsOrUnknown(p, uint64(c.Ret), []flag{{1, "FD_CLOEXEC"}}, "", "")
			p.c(')')
		}
	case fGETFL:
		hexOrZero(p, uint64(c.Ret))
		p.s(" (flags ")
		openFlags(p, uint64(c.Ret))
		p.c(')')
	case fGETLEASE:
		hexOrZero(p, uint64(c.Ret))
		p.s(" (")
		xlatDecOrUnknown(p, c.Ret, lockTypes, "F_???")
		p.c(')')
	case fGETSEALS:
		hexOrZero(p, uint64(c.Ret))
		if c.Ret != 0 {
			p.s(" (seals ")
			flagsOrUnknown(p, uint64(c.Ret), sealFlags, "", "")
			p.c(')')
		}
	case fGETSIG:
		p.d(c.Ret)
		if c.Ret != 0 {
			p.s(" (")
			signalName(p, int(c.Ret))
			p.c(')')
		}
	default:
		p.d(c.Ret)
	}
}

// openFlagTab is open(2)'s flags in strace's order, with the kernel's
// O_LARGEFILE (x/sys has 0 for it on 64-bit).
var openFlagTab = func() []flag {
	lf := uint64(0x8000)
	if runtime.GOARCH == "arm64" {
		lf = 0x20000
	}
	return []flag{
		{unix.O_CREAT, "O_CREAT"}, {unix.O_EXCL, "O_EXCL"}, {unix.O_NOCTTY, "O_NOCTTY"}, {unix.O_TRUNC, "O_TRUNC"},
		{unix.O_APPEND, "O_APPEND"}, {unix.O_NONBLOCK, "O_NONBLOCK"}, {unix.O_SYNC, "O_SYNC"},
		{unix.O_SYNC &^ unix.O_DSYNC, "__O_SYNC"}, {unix.O_DSYNC, "O_DSYNC"}, {unix.O_DIRECT, "O_DIRECT"},
		{lf, "O_LARGEFILE"}, {unix.O_NOFOLLOW, "O_NOFOLLOW"}, {unix.O_NOATIME, "O_NOATIME"},
		{unix.O_CLOEXEC, "O_CLOEXEC"}, {unix.O_PATH, "O_PATH"}, {unix.O_TMPFILE, "O_TMPFILE"},
		{unix.O_TMPFILE &^ unix.O_DIRECTORY, "__O_TMPFILE"}, {unix.O_DIRECTORY, "O_DIRECTORY"},
		{unix.O_ASYNC, "FASYNC"},
	}
}()

// openFlags prints open(2) flags as strace does: the access mode, then
// the flags in strace's order.
func openFlags(p *printer, v uint64) {
	v &= 0xffffffff
	p.s([]string{"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"}[v&3])
	v &^= 3
	if v != 0 {
		p.c('|')
		p.flags(v, openFlagTab, "")
	}
}

// ioctl.

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
	0x5405: {"TCGETA", ioHex}, 0x5406: {"TCSETA", ioHex}, 0x5407: {"TCSETAW", ioHex}, 0x5408: {"TCSETAF", ioHex},
	0x5409: {"TCSBRK", ioDec}, 0x540a: {"TCXONC", ioXonc}, 0x540b: {"TCFLSH", ioFlsh},
	0x540c: {"TIOCEXCL", ioNone}, 0x540d: {"TIOCNXCL", ioNone}, 0x540e: {"TIOCSCTTY", ioDec},
	0x540f: {"TIOCGPGRP", ioIntOut}, 0x5410: {"TIOCSPGRP", ioIntIn}, 0x5411: {"TIOCOUTQ", ioIntOut},
	0x5412: {"TIOCSTI", ioHex}, 0x5413: {"TIOCGWINSZ", ioWinOut}, 0x5414: {"TIOCSWINSZ", ioWinIn},
	0x5415: {"TIOCMGET", ioHex}, 0x5416: {"TIOCMBIS", ioHex}, 0x5417: {"TIOCMBIC", ioHex}, 0x5418: {"TIOCMSET", ioHex},
	0x5419: {"TIOCGSOFTCAR", ioIntOut}, 0x541a: {"TIOCSSOFTCAR", ioIntIn}, 0x541b: {"FIONREAD", ioIntOut},
	0x541c: {"TIOCLINUX", ioHex}, 0x541d: {"TIOCCONS", ioNone}, 0x541e: {"TIOCGSERIAL", ioHex},
	0x541f: {"TIOCSSERIAL", ioHex}, 0x5420: {"TIOCPKT", ioIntIn}, 0x5421: {"FIONBIO", ioIntIn},
	0x5422: {"TIOCNOTTY", ioNone}, 0x5423: {"TIOCSETD", ioIntIn}, 0x5424: {"TIOCGETD", ioIntOut},
	0x5425: {"TCSBRKP", ioDec}, 0x5427: {"TIOCSBRK", ioNone}, 0x5428: {"TIOCCBRK", ioNone},
	0x5429: {"TIOCGSID", ioIntOut}, 0x80045430: {"TIOCGPTN", ioIntOut}, 0x40045431: {"TIOCSPTLCK", ioIntIn},
	0x80045439: {"TIOCGPTLCK", ioIntOut}, 0x5437: {"TIOCVHANGUP", ioNone}, 0x5441: {"TIOCGPTPEER", ioHex},
	0x5450: {"FIONCLEX", ioNone}, 0x5451: {"FIOCLEX", ioNone}, 0x5452: {"FIOASYNC", ioIntIn},
	0x5460: {"FIOQSIZE", ioHex}, 0x8901: {"FIOSETOWN", ioHex}, 0x8903: {"FIOGETOWN", ioHex},
	0x8904: {"SIOCGPGRP", ioHex},
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
	0x40049409: {"BTRFS_IOC_CLONE or FICLONE", ioDec}, 0x4020940d: {"BTRFS_IOC_CLONE_RANGE or FICLONERANGE", ioHex}, 0x8905: {"SIOCATMARK", ioHex},
}

var iocDirs = []string{"_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE"}

func fmtIoctlReq(p *printer, c *Call, i int) {
	req := uint32(c.Args[i])
	if e, ok := ioctls[req]; ok {
		p.s(e.name)
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

func ioctlNargs(c *Call) int {
	if e, ok := ioctls[uint32(c.Args[1])]; ok && e.arg == ioNone {
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

// termios prints a struct termios, abbreviated as strace does.
func termios(p *printer, b []byte) {
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
	p.s(", ...}")
}

func fmtIoctlArg(p *printer, c *Call, i int) {
	v := c.Args[i]
	e, ok := ioctls[uint32(c.Args[1])]
	if !ok {
		p.x(v)
		return
	}
	failed := c.Ret < 0 || !c.Complete()
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

// getdents: the address and the number of entries.
func fmtDents(p *printer, c *Call, i int) {
	p.ptr(c.Args[i])
	b := capturedOut(c, i, 0)
	if b == nil {
		return
	}
	n := 0
	for off := 0; off+18 <= len(b); n++ {
		rl := int(le.Uint16(b[off+16:]))
		if rl == 0 {
			break
		}
		off += rl
	}
	p.s(" /* ")
	p.d(int64(n))
	p.s(" entries */")
}

// Vectored I/O: the iovec array is element 0 of the capture, the data of
// element k is element k+1.
func fmtIov(p *printer, c *Call, i int, read bool) {
	cnt := int(c.Args[i+1])
	arr := c.Cap(i, 0)
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	if arr == nil || arr.Fault() {
		p.x(c.Args[i])
		return
	}
	failed := read && (c.Ret < 0 || !c.Complete())
	p.c('[')
	n := len(arr.Data) / 16
	for k := 0; k < n && k < cnt; k++ {
		if k > 0 {
			p.s(", ")
		}
		if k == p.strsize {
			p.s("...")
			break
		}
		base, l := le.Uint64(arr.Data[16*k:]), le.Uint64(arr.Data[16*k+8:])
		p.s("{iov_base=")
		d := c.Cap(i, k+1)
		switch {
		case failed || base == 0:
			p.ptr(base)
		case d == nil && read:
			p.s(`""`)
		case d == nil || d.Fault():
			p.ptr(base)
		default:
			p.quote(d.Data, d.Trunc())
		}
		p.s(", iov_len=")
		p.u(l)
		p.c('}')
	}
	if n < cnt && n < p.strsize {
		if n > 0 {
			p.s(", ")
		}
		p.s("...")
	}
	p.c(']')
}

// Offsets a call reads and advances (sendfile, copy_file_range): at exit
// the capture holds the advanced value; the one passed in is that less
// the result.
func offsetInOut(c *Call, i int) (in, out int64, ok bool) {
	b := capturedIn(c, i, 8)
	if b == nil {
		return 0, 0, false
	}
	out = int64(le.Uint64(b))
	in = out
	if c.Complete() && c.Ret > 0 {
		in -= c.Ret
	}
	return in, out, true
}

// poll.

var pollFlags = []flag{
	{0x1, "POLLIN"}, {0x2, "POLLPRI"}, {0x4, "POLLOUT"}, {0x8, "POLLERR"}, {0x10, "POLLHUP"}, {0x20, "POLLNVAL"},
	{0x40, "POLLRDNORM"}, {0x80, "POLLRDBAND"}, {0x100, "POLLWRNORM"}, {0x200, "POLLWRBAND"}, {0x400, "POLLMSG"},
	{0x1000, "POLLREMOVE"}, {0x2000, "POLLRDHUP"},
}

func fmtPollFds(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	n := int(uint32(c.Args[i+1]))
	if cp == nil || cp.Fault() || len(cp.Data) < 8*n {
		p.x(c.Args[i])
		return
	}
	p.c('[')
	for k := 0; k < n; k++ {
		if k > 0 {
			p.s(", ")
		}
		if k == p.strsize {
			p.s("...")
			break
		}
		fd := int32(le.Uint32(cp.Data[8*k:]))
		p.s("{fd=")
		p.d(int64(fd))
		if fd >= 0 {
			p.s(", events=")
			flagsOrUnknown(p, uint64(le.Uint16(cp.Data[8*k+4:])), pollFlags, "", "POLL???")
		}
		p.c('}')
	}
	p.c(']')
}

// pollRevents prints the descriptors with events: [{fd=1, revents=POLLOUT}].
func pollRevents(p *printer, c *Call) bool {
	cp := c.Cap(0, 0)
	n := int(uint32(c.Args[1]))
	if cp == nil || cp.Fault() || len(cp.Data) < 8*n {
		return false
	}
	p.c('[')
	first := true
	for k := 0; k < n; k++ {
		re := uint64(le.Uint16(cp.Data[8*k+6:]))
		if re == 0 {
			continue
		}
		p.sep(&first)
		p.s("{fd=")
		p.d(int64(int32(le.Uint32(cp.Data[8*k:]))))
		p.s(", revents=")
		flagsOrUnknown(p, re, pollFlags, "", "POLL???")
		p.c('}')
	}
	p.c(']')
	return true
}

func pollRet(p *printer, c *Call) {
	p.d(c.Ret)
	if c.Ret == 0 {
		p.s(" (Timeout)")
		return
	}
	p.s(" (")
	if !pollRevents(p, c) {
		p.x(c.Args[0])
	}
	p.c(')')
}

func ppollRet(p *printer, c *Call) {
	p.d(c.Ret)
	if c.Ret == 0 {
		p.s(" (Timeout)")
		return
	}
	p.s(" (")
	if !pollRevents(p, c) {
		p.x(c.Args[0])
	}
	if b := capturedIn(c, 2, 16); b != nil {
		p.s(", left ")
		timespecBytes(p, b)
	}
	p.c(')')
}

func timespecBytes(p *printer, b []byte) {
	p.s("{tv_sec=")
	p.d(int64(le.Uint64(b)))
	p.s(", tv_nsec=")
	p.d(int64(le.Uint64(b[8:])))
	p.c('}')
}

func timevalBytes(p *printer, b []byte) {
	p.s("{tv_sec=")
	p.d(int64(le.Uint64(b)))
	p.s(", tv_usec=")
	p.d(int64(le.Uint64(b[8:])))
	p.c('}')
}

// sigsetOfBytes prints a signal set of len(b) bytes: [CHLD], ~[RTMIN RT_1],
// []; names as signalName's without SIG (kernelSigset, for a 64-bit set,
// names real-time signals as kernelSignalName does).
func sigsetOfBytes(p *printer, b []byte) {
	nbits := len(b) * 8
	if nbits > 64 {
		nbits = 64
	}
	var set uint64
	for k := 0; k < len(b) && k < 8; k++ {
		set |= uint64(b[k]) << (8 * k)
	}
	if bits.OnesCount64(set) > nbits/2 {
		p.c('~')
		set = ^set
		if nbits < 64 {
			set &= 1<<nbits - 1
		}
	}
	p.c('[')
	first := true
	for s := 1; s <= nbits; s++ {
		if set&(1<<(s-1)) == 0 {
			continue
		}
		if !first {
			p.c(' ')
		}
		first = false
		start := len(p.b)
		signalName(p, s)
		if len(p.b)-start > 3 && string(p.b[start:start+3]) == "SIG" {
			p.b = append(p.b[:start], p.b[start+3:]...)
		}
	}
	p.c(']')
}

func fmtSigset(p *printer, c *Call, i int) {
	b := capturedIn(c, i, 1)
	if b == nil {
		p.ptr(c.Args[i])
		return
	}
	sigsetOfBytes(p, b)
}

// select.

func fdset(p *printer, b []byte, nfds int) {
	p.c('[')
	first := true
	for fd := 0; fd < nfds && fd/8 < len(b); fd++ {
		if b[fd/8]&(1<<(fd%8)) == 0 {
			continue
		}
		if !first {
			p.c(' ')
		}
		first = false
		p.d(int64(fd))
	}
	p.c(']')
}

func fdsetBytes(nfds int) int {
	if nfds <= 0 {
		return 0
	}
	return (nfds + 7) / 8
}

func fmtFdset(p *printer, c *Call, i int) {
	nfds := int(int32(c.Args[0]))
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	b := capturedIn(c, i, fdsetBytes(nfds))
	if b == nil {
		p.x(c.Args[i])
		return
	}
	fdset(p, b, nfds)
}

func selectRet(timespec bool) func(p *printer, c *Call) {
	return func(p *printer, c *Call) {
		p.d(c.Ret)
		if c.Ret == 0 {
			p.s(" (Timeout)")
			return
		}
		nfds := int(int32(c.Args[0]))
		p.s(" (")
		first := true
		for k, name := range []string{"in", "out", "except"} {
			b := capturedIn(c, k+1, fdsetBytes(nfds))
			if b == nil {
				continue
			}
			empty := true
			for fd := 0; fd < nfds && fd/8 < len(b); fd++ {
				if b[fd/8]&(1<<(fd%8)) != 0 {
					empty = false
					break
				}
			}
			if empty {
				continue
			}
			p.sep(&first)
			p.s(name)
			p.c(' ')
			fdset(p, b, nfds)
		}
		if b := capturedIn(c, 4, 16); b != nil {
			p.sep(&first)
			p.s("left ")
			if timespec {
				timespecBytes(p, b)
			} else {
				timevalBytes(p, b)
			}
		}
		p.c(')')
	}
}

// epoll.

var epollEvents = []flag{
	{0x1, "EPOLLIN"}, {0x2, "EPOLLPRI"}, {0x4, "EPOLLOUT"}, {0x8, "EPOLLERR"}, {0x10, "EPOLLHUP"},
	{0x20, "EPOLLNVAL"}, {0x40, "EPOLLRDNORM"}, {0x80, "EPOLLRDBAND"}, {0x100, "EPOLLWRNORM"},
	{0x200, "EPOLLWRBAND"}, {0x400, "EPOLLMSG"}, {0x2000, "EPOLLRDHUP"}, {0x10000000, "EPOLLEXCLUSIVE"},
	{0x20000000, "EPOLLWAKEUP"}, {0x40000000, "EPOLLONESHOT"}, {0x80000000, "EPOLLET"},
}

// struct epoll_event is packed on amd64 (12 bytes), aligned elsewhere.
var epollEventSize = func() int {
	if runtime.GOARCH == "amd64" {
		return 12
	}
	return 16
}()

func epollEvent(p *printer, b []byte) {
	data := le.Uint64(b[epollEventSize-8:])
	p.s("{events=")
	flagsOrUnknown(p, uint64(le.Uint32(b)), epollEvents, "", "EPOLL???")
	p.s(", data={u32=")
	p.u(data & 0xffffffff)
	p.s(", u64=")
	p.u(data)
	p.s("}}")
}

func fmtEpollCtlEvent(p *printer, c *Call, i int) {
	b := capturedIn(c, i, epollEventSize)
	if b == nil {
		p.ptr(c.Args[i])
		return
	}
	epollEvent(p, b)
}

func fmtEpollEvents(p *printer, c *Call, i int) {
	if c.Ret < 0 || !c.Complete() {
		p.ptr(c.Args[i])
		return
	}
	cp := c.Cap(i, 0)
	if c.Ret > 0 && (cp == nil || cp.Fault()) {
		p.ptr(c.Args[i])
		return
	}
	p.c('[')
	for k := 0; k < int(c.Ret); k++ {
		if k > 0 {
			p.s(", ")
		}
		if (k+1)*epollEventSize > len(cp.Data) || k == p.strsize {
			p.s("...")
			break
		}
		epollEvent(p, cp.Data[k*epollEventSize:])
	}
	p.c(']')
}

// Kinds of the descriptor family.
var (
	kFcntlCmd = xlatKind(fcntlCmds, "F_???")
	kFcntlArg = newKind(kindInfo{cap: capIn(32), fmt: fmtFcntlArg})
	kIoctlReq = newKind(kindInfo{fmt: fmtIoctlReq})
	kIoctlArg = newKind(kindInfo{cap: capIn(36), fmt: fmtIoctlArg})
	kCloexec  = flagsKind([]flag{{unix.O_CLOEXEC, "O_CLOEXEC"}}, "O_???")
	kPipeFds  = newKind(kindInfo{out: true, cap: capOut(8), fmt: func(p *printer, c *Call, i int) {
		b := capturedOut(c, i, 8)
		if b == nil {
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.d(int64(int32(le.Uint32(b))))
		p.s(", ")
		p.d(int64(int32(le.Uint32(b[4:]))))
		p.c(']')
	}})
	kPipeFlags = flagsKind([]flag{{unix.O_NONBLOCK, "O_NONBLOCK"}, {unix.O_CLOEXEC, "O_CLOEXEC"}, {unix.O_DIRECT, "O_DIRECT"}}, "O_???")
	kWhence    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		xlatOrUnknown(p, uint64(uint32(c.Args[i])), whences, "SEEK_???")
	}})
	kDents   = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 1, max: wire.MaxCap, when: wire.CWOK}, fmt: fmtDents})
	kFadvice = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		xlatOrUnknown(p, uint64(uint32(c.Args[i])), []flag{{0, "POSIX_FADV_NORMAL"}, {1, "POSIX_FADV_RANDOM"},
			{2, "POSIX_FADV_SEQUENTIAL"}, {3, "POSIX_FADV_WILLNEED"}, {4, "POSIX_FADV_DONTNEED"}, {5, "POSIX_FADV_NOREUSE"}}, "POSIX_FADV_???")
	}})
	kIovIn = newKind(kindInfo{cap: capRule{kind: wire.CKIov, sizeRel: 1, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) { fmtIov(p, c, i, false) }})
	kIovOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKIov, sizeFrom: wire.SzRet, sizeRel: 1, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) { fmtIov(p, c, i, true) }})
	// kRWFlags is preadv2's flags: the last register (the offset takes two).
	kRWFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		flagsOrUnknown(p, uint64(uint32(c.Args[5])), []flag{{1, "RWF_HIPRI"}, {2, "RWF_DSYNC"}, {4, "RWF_SYNC"}, {8, "RWF_NOWAIT"}, {0x10, "RWF_APPEND"}}, "", "RWF_???")
	}})
	kPollFds  = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 8, max: 8 * 64, when: wire.CWIn}, fmt: fmtPollFds})
	kTimespec = newKind(kindInfo{cap: capIn(16), fmt: func(p *printer, c *Call, i int) {
		b := capturedIn(c, i, 16)
		if b == nil {
			p.ptr(c.Args[i])
			return
		}
		timespecBytes(p, b)
	}})
	kTimeval = newKind(kindInfo{cap: capIn(16), fmt: func(p *printer, c *Call, i int) {
		b := capturedIn(c, i, 16)
		if b == nil {
			p.ptr(c.Args[i])
			return
		}
		timevalBytes(p, b)
	}})
	// kSigsetSized is a sigset_t* whose size is the next argument.
	kSigsetSized = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 16, when: wire.CWIn}, fmt: fmtSigset})
	kFdset1      = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 1, max: 128, when: wire.CWIn}, fmt: fmtFdset})
	kFdset2      = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -2, elem: 1, max: 128, when: wire.CWIn}, fmt: fmtFdset})
	kFdset3      = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -3, elem: 1, max: 128, when: wire.CWIn}, fmt: fmtFdset})
	// kPselectSig is pselect6's {sigset_t *, size_t}: the set itself is
	// behind a pointer BPF does not follow.
	kPselectSig = newKind(kindInfo{cap: capIn(16), fmt: func(p *printer, c *Call, i int) {
		b := capturedIn(c, i, 16)
		if b == nil {
			p.ptr(c.Args[i])
			return
		}
		p.s("{sigmask=")
		p.ptr(le.Uint64(b))
		p.s(", sigsetsize=")
		p.u(le.Uint64(b[8:]))
		p.c('}')
	}})
	kEpollFlags = flagsKind([]flag{{unix.EPOLL_CLOEXEC, "EPOLL_CLOEXEC"}}, "EPOLL_???")
	kEpollOp    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		xlatOrUnknown(p, uint64(uint32(c.Args[i])), []flag{{1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"}}, "EPOLL_CTL_???")
	}})
	kEpollEvent   = newKind(kindInfo{cap: capIn(16), fmt: fmtEpollCtlEvent})
	kEpollEvents  = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: uint16(epollEventSize), max: 64 * 16, when: wire.CWOK}, fmt: fmtEpollEvents})
	kEventfdFlags = flagsKind([]flag{{1, "EFD_SEMAPHORE"}, {unix.O_CLOEXEC, "EFD_CLOEXEC"}, {unix.O_NONBLOCK, "EFD_NONBLOCK"}}, "EFD_???")
	// kOffsetInOut is sendfile's offset: [in] => [out].
	kOffsetInOut = newKind(kindInfo{cap: capIn(8), fmt: func(p *printer, c *Call, i int) {
		in, out, ok := offsetInOut(c, i)
		if !ok {
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.d(in)
		p.c(']')
		if c.Complete() && c.Ret >= 0 {
			p.s(" => [")
			p.d(out)
			p.c(']')
		}
	}})
	// kOffsetIn is copy_file_range's and splice's offsets: the value passed.
	kOffsetIn = newKind(kindInfo{cap: capIn(8), fmt: func(p *printer, c *Call, i int) {
		in, _, ok := offsetInOut(c, i)
		if !ok {
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.d(in)
		p.c(']')
	}})
	kMemfdFlags         = flagsKind([]flag{{1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"}}, "MFD_???")
	kFlockOp            = flagsKind([]flag{{1, "LOCK_SH"}, {2, "LOCK_EX"}, {4, "LOCK_NB"}, {8, "LOCK_UN"}, {32, "LOCK_MAND"}, {192, "LOCK_RW"}, {64, "LOCK_READ"}, {128, "LOCK_WRITE"}}, "LOCK_???")
	kFallocMode         = flagsKind([]flag{{1, "FALLOC_FL_KEEP_SIZE"}, {2, "FALLOC_FL_PUNCH_HOLE"}, {4, "FALLOC_FL_NO_HIDE_STALE"}, {8, "FALLOC_FL_COLLAPSE_RANGE"}, {0x10, "FALLOC_FL_ZERO_RANGE"}, {0x20, "FALLOC_FL_INSERT_RANGE"}, {0x40, "FALLOC_FL_UNSHARE_RANGE"}}, "FALLOC_FL_???")
	kCloseRangeFlags    = flagsKind([]flag{{2, "CLOSE_RANGE_UNSHARE"}, {4, "CLOSE_RANGE_CLOEXEC"}}, "CLOSE_RANGE_???")
	kSyncFileRangeFlags = flagsKind([]flag{{1, "SYNC_FILE_RANGE_WAIT_BEFORE"}, {2, "SYNC_FILE_RANGE_WRITE"}, {4, "SYNC_FILE_RANGE_WAIT_AFTER"}}, "SYNC_FILE_RANGE_???")
	kInotifyInitFlags   = flagsKind([]flag{{unix.O_NONBLOCK, "IN_NONBLOCK"}, {unix.O_CLOEXEC, "IN_CLOEXEC"}}, "IN_???")
	kOpenHow            = newKind(kindInfo{cap: capIn(24), fmt: fmtOpenHow})
	kSpliceFlags        = flagsKind([]flag{{1, "SPLICE_F_MOVE"}, {2, "SPLICE_F_NONBLOCK"}, {4, "SPLICE_F_MORE"}, {8, "SPLICE_F_GIFT"}}, "SPLICE_F_???")
)

// fmtOpenHow prints openat2's struct open_how.
func fmtOpenHow(p *printer, c *Call, i int) {
	b := capturedIn(c, i, 24)
	if b == nil {
		p.ptr(c.Args[i])
		return
	}
	fl, mode, res := le.Uint64(b), le.Uint64(b[8:]), le.Uint64(b[16:])
	p.s("{flags=")
	openFlags(p, fl)
	if mode != 0 || fl&unix.O_CREAT != 0 || fl&unix.O_TMPFILE == unix.O_TMPFILE {
		p.s(", mode=")
		octalMode(p, mode)
	}
	p.s(", resolve=")
	flagsOrUnknown(p, res, []flag{{1, "RESOLVE_NO_XDEV"}, {2, "RESOLVE_NO_MAGICLINKS"}, {4, "RESOLVE_NO_SYMLINKS"},
		{8, "RESOLVE_BENEATH"}, {0x10, "RESOLVE_IN_ROOT"}, {0x20, "RESOLVE_CACHED"}}, "", "RESOLVE_???")
	p.c('}')
}

func init() {
	const D = ClassDesc
	registerSigs(map[string]sig{
		"fcntl":   {args: []kind{kFd, kFcntlCmd, kFcntlArg}, nargs: fcntlNargs, ret: fcntlRet, class: D},
		"fcntl64": {args: []kind{kFd, kFcntlCmd, kFcntlArg}, nargs: fcntlNargs, ret: fcntlRet, class: D},
		"ioctl":   {args: []kind{kFd, kIoctlReq, kIoctlArg}, nargs: ioctlNargs, class: D},
		"dup":     {args: []kind{kFd}, class: D},
		"dup2":    {args: []kind{kFd, kFd}, class: D},
		"dup3":    {args: []kind{kFd, kFd, kCloexec}, class: D},
		"pipe":    {args: []kind{kPipeFds}, class: D},
		"pipe2":   {args: []kind{kPipeFds, kPipeFlags}, class: D},
		"lseek":   {args: []kind{kFd, kLong, kWhence}, class: D},

		"getdents":   {args: []kind{kFd, kDents, kUint}, class: D},
		"getdents64": {args: []kind{kFd, kDents, kUint}, class: D},
		"fadvise64":  {args: []kind{kFd, kLong, kLong, kFadvice}, class: D},
		"readahead":  {args: []kind{kFd, kLong, kUlong}, class: D},

		"readv":    {args: []kind{kFd, kIovOut, kInt}, class: D},
		"writev":   {args: []kind{kFd, kIovIn, kInt}, class: D},
		"preadv":   {args: []kind{kFd, kIovOut, kInt, kLong}, class: D},
		"pwritev":  {args: []kind{kFd, kIovIn, kInt, kLong}, class: D},
		"preadv2":  {args: []kind{kFd, kIovOut, kInt, kLong, kRWFlags}, class: D},
		"pwritev2": {args: []kind{kFd, kIovIn, kInt, kLong, kRWFlags}, class: D},

		"poll":     {args: []kind{kPollFds, kUint, kInt}, ret: pollRet, class: D},
		"ppoll":    {args: []kind{kPollFds, kUint, kTimespec, kSigsetSized, kUlong}, ret: ppollRet, class: D},
		"select":   {args: []kind{kInt, kFdset1, kFdset2, kFdset3, kTimeval}, ret: selectRet(false), class: D},
		"pselect6": {args: []kind{kInt, kFdset1, kFdset2, kFdset3, kTimespec, kPselectSig}, ret: selectRet(true), class: D},

		"epoll_create":  {args: []kind{kInt}, class: D},
		"epoll_create1": {args: []kind{kEpollFlags}, class: D},
		"epoll_ctl":     {args: []kind{kFd, kEpollOp, kFd, kEpollEvent}, class: D},
		"epoll_wait":    {args: []kind{kFd, kEpollEvents, kInt, kInt}, class: D},
		"epoll_pwait":   {args: []kind{kFd, kEpollEvents, kInt, kInt, kSigsetSized, kUlong}, class: D},
		"epoll_pwait2":  {args: []kind{kFd, kEpollEvents, kInt, kTimespec, kSigsetSized, kUlong}, class: D},

		"eventfd":         {args: []kind{kUint}, class: D},
		"eventfd2":        {args: []kind{kUint, kEventfdFlags}, class: D},
		"sendfile":        {args: []kind{kFd, kFd, kOffsetInOut, kUlong}, class: D | ClassNetwork},
		"copy_file_range": {args: []kind{kFd, kOffsetIn, kFd, kOffsetIn, kUlong, kUint}, class: D},
		"splice":          {args: []kind{kFd, kOffsetIn, kFd, kOffsetIn, kUlong, kSpliceFlags}, class: D},
		"vmsplice":        {args: []kind{kFd, kIovIn, kUlong, kSpliceFlags}, class: D},
		"tee":             {args: []kind{kFd, kFd, kUlong, kSpliceFlags}, class: D},
		"memfd_create":    {args: []kind{kStr, kMemfdFlags}, class: D},
		"flock":           {args: []kind{kFd, kFlockOp}, class: D},
		"fsync":           {args: []kind{kFd}, class: D},
		"fdatasync":       {args: []kind{kFd}, class: D},
		"syncfs":          {args: []kind{kFd}, class: D},
		"ftruncate":       {args: []kind{kFd, kLong}, class: D},
		"fallocate":       {args: []kind{kFd, kFallocMode, kLong, kLong}, class: D},
		"sync_file_range": {args: []kind{kFd, kLong, kLong, kSyncFileRangeFlags}, class: D},
		"close_range":     {args: []kind{kUint, kUint, kCloseRangeFlags}, class: D},
		"inotify_init":    {class: D},
		"openat2":         {args: []kind{kDirfd, kPath, kOpenHow, kUlong}, class: D | ClassFile},
		"inotify_init1":   {args: []kind{kInotifyInitFlags}, class: D},
	})
}
