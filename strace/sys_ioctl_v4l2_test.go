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
	// A window's clips are behind a pointer: its address, and strace's
	// print_array, having printed no clip, ends the struct at entry.
	copy(f, i32(3))
	copy(f[8+24:], append(u64le(0x7fc5419aefd0), i32(2)...))
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0xc0d05605, 0x1000}, wire.Cap{Arg: 2, Data: f}),
		`ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OVERLAY, fmt.win={w={left=1702592864, top=-1793327033, width=942683475, height=1}, field=0xdf20d185 /* V4L2_FIELD_??? */, chromakey=0xcf7be41, clips=0x7fc5419aefd0, clipcount=2, bitmap=NULL}}) = 42`)
}
