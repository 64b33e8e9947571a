package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of what -v adds to the ioctl families (lines from strace
// 6.1's ioctl_*-v tests), and of the buffers that follow a struct in its
// capture (HDIO_DRIVE_CMD's sectors, FS_IOC_FIEMAP's extents).

// fill is strace's tests' fill_memory_ex: n bytes counting up from start.
func fill(n int, start byte) []byte {
	b := make([]byte, n)
	for j := range b {
		b[j] = start + byte(j)
	}
	return b
}

func TestIoctlVerboseEvdevFF(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	ff := fill(48, 0x80)
	ff[0], ff[1] = 0x51, 0 // FF_PERIODIC
	copy(ff[2:], []byte{0x82, 0x83})
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40304580, 0x1000}, wire.Cap{Arg: 2, Data: ff}),
		`ioctl(-1, EVIOCSFF, {type=FF_PERIODIC, id=-31870, direction=34180, trigger={button=34694, interval=35208}, replay={length=35722, delay=36236}, periodic={waveform=37264, period=37778, magnitude=-27244, offset=-26730, phase=39320, envelope={attack_length=39834, attack_level=40348, fade_length=40862, fade_level=0xa1a0}, custom_len=2812716452, custom_data=0xafaeadacabaaa9a8}}) = -1 EBADF (Bad file descriptor)`)
	ff[0] = 0x52 // FF_CONSTANT
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40304580, 0x1000}, wire.Cap{Arg: 2, Data: ff}),
		`ioctl(-1, EVIOCSFF, {type=FF_CONSTANT, id=-31870, direction=34180, trigger={button=34694, interval=35208}, replay={length=35722, delay=36236}, constant={level=-28272, envelope={attack_length=37778, attack_level=38292, fade_length=38806, fade_level=0x9998}}}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40304580, 0x1000}, wire.Cap{Arg: 2, Data: ff}),
		`ioctl(-1, EVIOCSFF, {type=FF_CONSTANT, id=-31870, direction=34180, ...}) = -1 EBADF (Bad file descriptor)`)
}

func TestIoctlVerboseTermios(t *testing.T) {
	tio := fill(44, 0x80)
	copy(tio, []byte{0, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f})
	b := append(append(i32(0x83828180), i32(0x87868584)...), i32(0x8b8a8988)...)
	copy(tio, append(b, i32(0x8f8e8d8c)...))
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "ioctl", 0, [6]uint64{3, 0x402c542b, 0x1000}, wire.Cap{Arg: 2, Data: tio}),
		`ioctl(3, TCSETS2, {c_iflag=IGNCR|ICRNL|0x83828000, c_oflag=NL1|CR2|TAB0|BS0|VT0|FF1|ONLCR|OFDEL|0x87860000, c_cflag=B600|B1800<<IBSHIFT|CS5|CREAD|PARENB|CLOCAL|CRTSCTS|0xb808000, c_lflag=XCASE|ECHO|NOFLSH|IEXTEN|ECHOPRT|ECHOKE|TOSTOP|0x8f8e0000, c_line=0x90 /* N_??? */, c_cc=[[VINTR]=0x91, [VQUIT]=0x92, [VERASE]=0x93, [VKILL]=0x94, [VEOF]=0x95, [VTIME]=0x96, [VMIN]=0x97, [VSWTC]=0x98, [VSTART]=0x99, [VSTOP]=0x9a, [VSUSP]=0x9b, [VEOL]=0x9c, [VREPRINT]=0x9d, [VDISCARD]=0x9e, [VWERASE]=0x9f, [VLNEXT]=0xa0, [VEOL2]=0xa1, [17]=0xa2, [18]=0xa3], c_ispeed=2812716452, c_ospeed=2880088488}) = 0`)
	termio := make([]byte, 18)
	termio[8] = 11 // N_IRDA
	termio[9+5] = 0xa0
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "ioctl", 0, [6]uint64{3, 0x5406, 0x1000}, wire.Cap{Arg: 2, Data: termio}),
		`ioctl(3, TCSETA, {c_iflag=0, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|0, c_cflag=B0|CS5|0, c_lflag=0, c_line=N_IRDA, c_cc=[[VINTR]=0, [VQUIT]=0, [VERASE]=0, [VKILL]=0, [VEOF]=0, [VTIME]=0xa0, [VMIN]=0, [VSWTC]=0]}) = 0`)
}

func TestIoctlVerboseLoopDev(t *testing.T) {
	// glibc's minor() is 32 bits: the device's upper bits above them go.
	info := fill(168, 0x80)
	copy(info, i32(0x83828180))
	line := decodeLineOpt(t, optNoAbbrev, "ioctl", -int64(unix.EBADF), [6]uint64{^uint64(0), 0x4c02, 0x1000}, wire.Cap{Arg: 2, Data: info})
	if want := "lo_device=makedev(0x8f8e8a89, 0xd8c8b888)"; !strings.Contains(line, want) {
		t.Errorf("got %s, want %s in it", line, want)
	}
}

func TestIoctlHdioDriveCmdBuf(t *testing.T) {
	const a = 0x7f30792c1fdc
	hdr := []byte{0x80, 129, 130, 131}
	full := append(append([]byte{}, hdr...), fill(33, 0x84)...)
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0x31f, a}, wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: full}),
		`ioctl(-1, HDIO_DRIVE_CMD, {command=0x80 /* ATA_CMD_??? */, sector_number=129, feature=130, sector_count=131} => {status=0x80, error=129, nsector=130, buf="\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\xa0\xa1\xa2\xa3"...}) = 42`)
	short := append(append([]byte{}, hdr...), fill(16, 0x84)...) // a page it cannot read after 16 bytes
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0x31f, a}, wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: short}),
		`ioctl(-1, HDIO_DRIVE_CMD, {command=0x80 /* ATA_CMD_??? */, sector_number=129, feature=130, sector_count=131} => {status=0x80, error=129, nsector=130, buf=0x7f30792c1fe0}) = 42`)
	checkLine(t, decodeLine(t, "ioctl", -int64(unix.EBADF), [6]uint64{^uint64(0), 0x31f, a + 1}, wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: hdr[1:]}),
		`ioctl(-1, HDIO_DRIVE_CMD, 0x7f30792c1fdd) = -1 EBADF (Bad file descriptor)`)
}

func TestIoctlVerboseFiemap(t *testing.T) {
	const a = 0x7f8ada741fe0
	hdr := append(append(append(u64le(16045690984503111693), u64le(18072662651678146782)...), i32(0xfffffff8)...), i32(2)...)
	hdr = append(hdr, i32(3735929054)...)
	hdr = append(hdr, i32(0)...)
	ext := func(base uint64, flags uint32) []byte {
		e := append(append(u64le(base), u64le(base+4294967297)...), u64le(base+2*4294967297)...)
		e = append(e, make([]byte, 16)...)
		return append(append(e, i32(flags)...), make([]byte, 12)...)
	}
	full := append(append(append([]byte{}, hdr...), ext(18072662532021927665, 0x3f8f)...), ext(18072662532021927668, 0xffffc070)...)
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "ioctl", 42, [6]uint64{^uint64(0), 0xc020660b, a}, wire.Cap{Arg: 2, Data: full}),
		`ioctl(-1, FS_IOC_FIEMAP, {fm_start=16045690984503111693, fm_length=18072662651678146782, fm_flags=0xfffffff8 /* FIEMAP_FLAG_??? */, fm_extent_count=3735929054} => {fm_flags=0xfffffff8 /* FIEMAP_FLAG_??? */, fm_mapped_extents=2, fm_extents=[{fe_logical=18072662532021927665, fe_physical=18072662536316894962, fe_length=18072662540611862259, fe_flags=FIEMAP_EXTENT_LAST|FIEMAP_EXTENT_UNKNOWN|FIEMAP_EXTENT_DELALLOC|FIEMAP_EXTENT_ENCODED|FIEMAP_EXTENT_DATA_ENCRYPTED|FIEMAP_EXTENT_NOT_ALIGNED|FIEMAP_EXTENT_DATA_INLINE|FIEMAP_EXTENT_DATA_TAIL|FIEMAP_EXTENT_UNWRITTEN|FIEMAP_EXTENT_MERGED|FIEMAP_EXTENT_SHARED}, {fe_logical=18072662532021927668, fe_physical=18072662536316894965, fe_length=18072662540611862262, fe_flags=0xffffc070 /* FIEMAP_EXTENT_??? */}]}) = 42`)
	// The struct ends its page: no extent could be read.
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "ioctl", 42, [6]uint64{^uint64(0), 0xc020660b, a}, wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: hdr}),
		`ioctl(-1, FS_IOC_FIEMAP, {fm_start=16045690984503111693, fm_length=18072662651678146782, fm_flags=0xfffffff8 /* FIEMAP_FLAG_??? */, fm_extent_count=3735929054} => {fm_flags=0xfffffff8 /* FIEMAP_FLAG_??? */, fm_mapped_extents=2, fm_extents=0x7f8ada742000}) = 42`)
}

func u64le(v uint64) []byte { return append(i32(uint32(v)), i32(uint32(v>>32))...) }

// A request's name inside -X verbose's comment: the names a number
// decoder puts in it have no comments of their own.
func TestIoctlXverboseNumberName(t *testing.T) {
	verbose := Options{StrSize: 32, ConstStyle: ConstVerbose}
	checkLine(t, decodeLineOpt(t, verbose, "ioctl", -int64(unix.EBADF), [6]uint64{^uint64(0), 0x8018454e, 0}),
		`ioctl(-1, 0x8018454e /* EVIOCGABS(0xe) */, NULL) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, verbose, "ioctl", -int64(unix.EBADF), [6]uint64{^uint64(0), 0x80184541, 0}),
		`ioctl(-1, 0x80184541 /* EVIOCGABS(ABS_Y) */, NULL) = -1 EBADF (Bad file descriptor)`)
}

// -e verbose=none: an ioctl's struct is its address, as strace's
// umove_or_printaddr reads nothing then.
func TestIoctlNonVerbose(t *testing.T) {
	nv := Options{StrSize: 32, Verbose: []uint32{}}
	info := fill(168, 0x80)
	checkLine(t, decodeLineOpt(t, nv, "ioctl", -int64(unix.EBADF), [6]uint64{^uint64(0), 0x4c02, 0x7f175be61f58}, wire.Cap{Arg: 2, Data: info}),
		`ioctl(-1, LOOP_SET_STATUS, 0x7f175be61f58) = -1 EBADF (Bad file descriptor)`)
}
