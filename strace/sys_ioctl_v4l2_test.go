package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the V4L2 ioctls (lines from strace 6.1's ioctl_v4l2
// and ioctl_v4l2-success tests).

func TestIoctlV4l2(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	raw := Options{StrSize: 32, ConstStyle: ConstRaw}
	reqbufs := append(append(i32(4277009102), i32(1)...), append(i32(1), make([]byte, 8)...)...)
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0xc0145608, 0x1000}, wire.Cap{Arg: 2, Data: reqbufs}),
		`ioctl(-1, VIDIOC_REQBUFS, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, memory=V4L2_MEMORY_MMAP, count=4277009102 => 4277009102}) = 42`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0145608, 0x1000}, wire.Cap{Arg: 2, Data: reqbufs}),
		`ioctl(-1, VIDIOC_REQBUFS, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, memory=V4L2_MEMORY_MMAP, count=4277009102}) = -1 EBADF (Bad file descriptor)`)
	ctrl := append(i32(0x980000), i32(0)...)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc008561c, 0x1000}, wire.Cap{Arg: 2, Data: ctrl}),
		`ioctl(-1, VIDIOC_S_CTRL, {id=V4L2_CTRL_CLASS_USER+0, value=0}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc008561b, 0x1000}, wire.Cap{Arg: 2, Data: append(i32(0x980900), i32(0)...)}),
		`ioctl(-1, VIDIOC_G_CTRL, {id=V4L2_CID_BRIGHTNESS}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40045612, 0x1000}, wire.Cap{Arg: 2, Data: i32(9)}),
		`ioctl(-1, VIDIOC_STREAMON, [V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE]) = -1 EBADF (Bad file descriptor)`)
	f := make([]byte, 208)
	copy(f, i32(2)) // VIDEO_OUTPUT, fmt.pix
	copy(f[8:], append(append(i32(1702592864), i32(2501640263)...), append([]byte("S508"), i32(1)...)...))
	copy(f[24:], append(append(i32(3743469957), i32(217562689)...), i32(7)...))
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0d05605, 0x1000}, wire.Cap{Arg: 2, Data: f}),
		`ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OUTPUT, fmt.pix={width=1702592864, height=2501640263, pixelformat=v4l2_fourcc('S', '5', '0', '8') /* V4L2_PIX_FMT_SPCA508 */, field=V4L2_FIELD_NONE, bytesperline=3743469957, sizeimage=217562689, colorspace=V4L2_COLORSPACE_JPEG}}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, raw, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0d05605, 0x1000}, wire.Cap{Arg: 2, Data: f}),
		`ioctl(-1, 0xc0d05605, {type=0x2, fmt.pix={width=1702592864, height=2501640263, pixelformat=0x38303553, field=0x1, bytesperline=3743469957, sizeimage=217562689, colorspace=0x7}}) = -1 EBADF (Bad file descriptor)`)
	// A window's clips are behind a pointer (wire.CKDeref): not captured,
	// its address, and strace's print_array, having printed no clip, ends
	// the struct at entry.
	copy(f, i32(3))
	copy(f[8+24:], append(u64le(0x7fc5419aefd0), i32(2)...))
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0xc0d05605, 0x1000}, wire.Cap{Arg: 2, Data: f}),
		`ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OVERLAY, fmt.win={w={left=1702592864, top=-1793327033, width=942683475, height=1}, field=0xdf20d185 /* V4L2_FIELD_??? */, chromakey=0xcf7be41, clips=0x7fc5419aefd0, clipcount=2, bitmap=NULL}}) = 42`)
	testIoctlV4l2Clips(t, f)
}

// testIoctlV4l2Clips: a window's clips as captured (wire.CKDeref at
// 8+24): all of them, the struct printed again after " => " when the call
// succeeded; up to one that could not be read ("... /* addr */"), the
// struct ended at entry (strace's print_array returned false); and
// VIDIOC_CREATE_BUFS's, whose format is at 16 (element 0x7000+48).
func testIoctlV4l2Clips(t *testing.T, f []byte) {
	ebadf := -int64(unix.EBADF)
	clip := func(v ...uint32) []byte {
		var b []byte
		for _, x := range v {
			b = append(b, i32(x)...)
		}
		return append(b, u64le(0x7fc5419aefd0)...) // next: not printed
	}
	two := append(clip(0x3313d36e, 0xcdffe510, 0x2064f3a8, 0xd06d314a), clip(0xd8c8a83f, 0x336e87ba, 0x9e3a6fb3, 0x56178e76)...)
	const (
		win    = `fmt.win={w={left=1702592864, top=-1793327033, width=942683475, height=1}, field=0xdf20d185 /* V4L2_FIELD_??? */, chromakey=0xcf7be41, clips=[{c={left=856937326, top=-838867696, width=543486888, height=3496816970}}, {c={left=-657938369, top=862881722, width=2654629811, height=1444384374}}`
		winEnd = `, clipcount=2, bitmap=NULL}`
	)
	args := [6]uint64{^uint64(0), 0xc0d05605, 0x1000}
	clips := wire.Cap{Arg: 2, Idx: wire.DerefIdx + 32, Data: two}
	checkLine(t, decodeLine(t, "ioctl", ebadf, args, wire.Cap{Arg: 2, Data: f}, clips),
		`ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OVERLAY, `+win+`]`+winEnd+`}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 42, args, wire.Cap{Arg: 2, Data: f}, clips),
		`ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OVERLAY, `+win+`]`+winEnd+`} => {`+win+`]`+winEnd+`}) = 42`)
	g := append([]byte(nil), f...)
	copy(g[8+32:], i32(3))
	part := wire.Cap{Arg: 2, Idx: wire.DerefIdx + 32, Flags: wire.CapFault | wire.CapPart, Data: two}
	checkLine(t, decodeLine(t, "ioctl", 42, args, wire.Cap{Arg: 2, Data: g}, part),
		`ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OVERLAY, `+win+`, ... /* 0x7fc5419af000 */], clipcount=3, bitmap=NULL}}) = 42`)
	cb := make([]byte, 256)
	copy(cb[4:], append(i32(2), i32(5)...))
	copy(cb[16:], f[:208])
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc100565c, 0x1000}, wire.Cap{Arg: 2, Data: cb},
		wire.Cap{Arg: 2, Idx: wire.DerefIdx + 48, Data: two}),
		`ioctl(-1, VIDIOC_CREATE_BUFS, {count=2, memory=0x5 /* V4L2_MEMORY_??? */, format={type=V4L2_BUF_TYPE_VIDEO_OVERLAY, `+win+`]`+winEnd+`}}) = -1 EBADF (Bad file descriptor)`)
}

// TestIoctlV4l2ExtCtrls: struct v4l2_ext_controls' controls (wire.CKDeref
// at 24) and each control's string (wire.CKDerefItems, element
// DerefItemIdx+j), as strace 6.1's ioctl_v4l2 test prints them: a set's
// at entry and, printed whole, again after " => " with error_idx; cut
// before a control that could not be read, the struct ended at entry; a
// get's at exit only; a string that could not be read: its address.
func TestIoctlV4l2ExtCtrls(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	b := make([]byte, 32)
	copy(b, append(append(i32(0x990000), i32(2)...), i32(0xffffffff)...))
	copy(b[24:], u64le(0x7f0043437fd8))
	ctrls := append(append(append(i32(0x980900), i32(0)...), i32(0)...), u64le(0xfacefeeddeadbeef)...)
	ctrls = append(append(append(append(ctrls, i32(0x980901)...), i32(2)...), i32(0)...), u64le(0x7f0043439ffe)...)
	arr := wire.Cap{Arg: 2, Idx: wire.DerefIdx + 24, Data: ctrls}
	str := wire.Cap{Arg: 2, Idx: wire.DerefItemIdx + 1, Data: []byte{0xff, 0xff}}
	const (
		c0 = `{id=V4L2_CID_BRIGHTNESS, size=0, value=-559038737, value64=-374081421428539665}`
		c1 = `{id=V4L2_CID_CONTRAST, size=2, string="\377\377"}`
	)
	args := [6]uint64{^uint64(0), 0xc0205648, 0x1000}
	checkLine(t, decodeLine(t, "ioctl", ebadf, args, wire.Cap{Arg: 2, Data: b}, arr, str),
		`ioctl(-1, VIDIOC_S_EXT_CTRLS, {ctrl_class=V4L2_CTRL_CLASS_CODEC, count=2, controls=[`+c0+`, `+c1+`]} => {controls=[`+c0+`, `+c1+`], error_idx=4294967295}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, args, wire.Cap{Arg: 2, Data: b}, arr),
		`ioctl(-1, VIDIOC_S_EXT_CTRLS, {ctrl_class=V4L2_CTRL_CLASS_CODEC, count=2, controls=[`+c0+`, {id=V4L2_CID_CONTRAST, size=2, string=0x7f0043439ffe}]} => {controls=[`+c0+`, {id=V4L2_CID_CONTRAST, size=2, string=0x7f0043439ffe}], error_idx=4294967295}) = -1 EBADF (Bad file descriptor)`)
	three := append([]byte(nil), b...)
	copy(three[4:], i32(3))
	part := wire.Cap{Arg: 2, Idx: wire.DerefIdx + 24, Flags: wire.CapFault | wire.CapPart, Data: ctrls}
	checkLine(t, decodeLine(t, "ioctl", ebadf, args, wire.Cap{Arg: 2, Data: three}, part, str),
		`ioctl(-1, VIDIOC_S_EXT_CTRLS, {ctrl_class=V4L2_CTRL_CLASS_CODEC, count=3, controls=[`+c0+`, `+c1+`, ... /* 0x7f0043438000 */]}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{^uint64(0), 0xc0205647, 0x1000}, wire.Cap{Arg: 2, Data: b}, arr, str),
		`ioctl(-1, VIDIOC_G_EXT_CTRLS, {ctrl_class=V4L2_CTRL_CLASS_CODEC, count=2, controls=[`+c0+`, `+c1+`]}) = 0`)
}
