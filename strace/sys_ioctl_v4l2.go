package strace

import (
	"fmt"

	"github.com/eproc/eproc/loader/wire"
)

// V4L2 ioctls (_IOC type 'V', VIDIOC_*), as strace 6.1's v4l2.c decodes
// them. Tables: zv4l2_xlat.go (genxlat with C_INCLUDE_PATH set to strace
// 6.1's bundled/linux/include/uapi and to a v4l2compat/old.h holding the
// #defines of removed constants its kernel_v4l2_types.h keeps).
//
// A request strace decodes in two halves (the fields the caller sets at
// entry, those the driver fills after it returns) is printed from one
// capture taken at exit: the entry half shows the values the call left,
// which are the caller's when it failed or was injected. What pointers in
// the struct point to is captured with it (wire.CKDeref): struct
// v4l2_window's clips (v4l2ClipsAt), struct v4l2_ext_controls' controls
// (sys_ioctl_v4l2_ctrl.go).

// v4l2Do prints a request's struct of n bytes: in prints what strace
// prints at entry (the struct's opening included), out what it adds when
// the call succeeded; the closing brace is v4l2Do's.
func v4l2Do(n int, in func(p *printer, b []byte) bool, out func(p *printer, b []byte)) ioctlDef {
	var outC func(p *printer, c *Call, i int, b []byte)
	if out != nil {
		outC = func(p *printer, _ *Call, _ int, b []byte) { out(p, b) }
	}
	return v4l2DoCall(n, func(p *printer, _ *Call, _ int, b []byte) bool { return in(p, b) }, outC)
}

// v4l2DoCall is v4l2Do whose printers also get the call and the
// argument's index (for the argument's other captures).
func v4l2DoCall(n int, in func(p *printer, c *Call, i int, b []byte) bool, out func(p *printer, c *Call, i int, b []byte)) ioctlDef {
	return ioctlDef{size: n, exit: true, arg: func(p *printer, c *Call, i int) {
		if !p.verbose() { // strace's v4l2_ioctl: RVAL_DECODED, the argument in hex
			hexOrZero(p, c.Args[i])
			return
		}
		b := ioctlStructOf(p, c, i, n, false)
		if b == nil {
			return
		}
		if !in(p, c, i, b) { // entry printed it all
			return
		}
		if out != nil && ioctlSucceeded(c) {
			out(p, c, i, b)
		}
		p.c('}')
	}}
}

// v4l2Get is a request whose struct only the driver fills (_IOC_READ):
// its address when the call failed.
func v4l2Get(n int, pr func(p *printer, b []byte)) ioctlDef {
	return ioctlDef{size: n, exit: true, arg: func(p *printer, c *Call, i int) {
		if !p.verbose() {
			hexOrZero(p, c.Args[i])
			return
		}
		if b := ioctlStructOf(p, c, i, n, true); b != nil {
			pr(p, b)
		}
	}}
}

func v4l2U32(b []byte, off int) uint64 { return uint64(le.Uint32(b[off:])) }
func v4l2S32(b []byte, off int) int64  { return int64(int32(le.Uint32(b[off:]))) }

// v4l2U32s prints "name=value" for u32 fields from off, comma-separated,
// a name starting with "-" is signed.
func v4l2U32s(p *printer, b []byte, off int, names ...string) {
	for j, n := range names {
		if j > 0 {
			p.s(", ")
		}
		if n[0] == '-' {
			p.s(n[1:])
			p.c('=')
			p.d(v4l2S32(b, off+4*j))
			continue
		}
		p.s(n)
		p.c('=')
		p.u(v4l2U32(b, off+4*j))
	}
}

func v4l2Rect(p *printer, b []byte) {
	p.c('{')
	v4l2U32s(p, b, 0, "-left", "-top", "width", "height")
	p.c('}')
}

func v4l2Fract(p *printer, name string, b []byte) {
	p.s(name)
	p.c('=')
	p.u(v4l2U32(b, 0))
	p.c('/')
	p.u(v4l2U32(b, 4))
}

// v4l2Pixfmt is print_pixelformat: v4l2_fourcc('a', 'b', 'c', 'd') and
// its name in a comment; the number under -X raw.
func v4l2Pixfmt(p *printer, name string, v uint32, tab []flag) {
	p.s(name)
	p.c('=')
	if p.style == ConstRaw {
		hexOrZero(p, uint64(v))
		return
	}
	p.s("v4l2_fourcc(")
	for j := 0; j < 4; j++ {
		if j > 0 {
			p.s(", ")
		}
		v4l2Char(p, byte(v>>(8*j)))
	}
	p.c(')')
	if n := lookupName(uint64(v), tab); n != "" {
		p.comment(n)
	}
}

// v4l2Char is print_char with quotes.
func v4l2Char(p *printer, ch byte) {
	p.c('\'')
	switch {
	case ch == '\'' || ch == '\\':
		p.c('\\')
		p.c(ch)
	case ch >= ' ' && ch < 0x7f:
		p.c(ch)
	default:
		const hx = "0123456789abcdef"
		p.s(`\x`)
		p.c(hx[ch>>4])
		p.c(hx[ch&15])
	}
	p.c('\'')
}

func v4l2Xval(p *printer, name string, v uint64, tab []flag, unknown string) {
	p.s(name)
	p.c('=')
	p.xlat(v, tab, "/"+unknown)
}

func v4l2Flags(p *printer, name string, v uint64, tab []flag, unknown string) {
	p.s(name)
	p.c('=')
	p.flagsDflt(v, tab, "", unknown)
}

func v4l2Cstring(p *printer, name string, b []byte) {
	p.s(name)
	p.c('=')
	cstringField(p, b)
}

func v4l2BufType(p *printer, b []byte) {
	v4l2Xval(p, "type", v4l2U32(b, 0), v4l2BufTypes, "V4L2_BUF_TYPE_???")
}

// v4l2Capability is struct v4l2_capability.
func v4l2Capability(p *printer, b []byte) {
	p.c('{')
	v4l2Cstring(p, "driver", b[0:16])
	p.s(", ")
	v4l2Cstring(p, "card", b[16:48])
	p.s(", ")
	v4l2Cstring(p, "bus_info", b[48:80])
	p.s(", version=")
	ver := v4l2U32(b, 80)
	kv := func() { p.s(fmt.Sprintf("KERNEL_VERSION(%d, %d, %d)", ver>>16, ver>>8&0xff, ver&0xff)) }
	p.whole(func() { hexOrZero(p, ver) }, kv)
	p.s(", ")
	v4l2Flags(p, "capabilities", v4l2U32(b, 84), v4l2DeviceCapabilitiesFlags, "V4L2_CAP_???")
	if dc := v4l2U32(b, 88); dc != 0 {
		p.s(", ")
		v4l2Flags(p, "device_caps", dc, v4l2DeviceCapabilitiesFlags, "V4L2_CAP_???")
	}
	p.c('}')
}

// v4l2FormatFmt is print_v4l2_format_fmt: the union of struct v4l2_format
// (at b) by its type, after prefix (", ", or "} => {" when changed), clips
// being the capture of a window's clips (nil: none); false for a type
// without a member, and when strace ends the struct there (a window whose
// clips it did not print whole).
func v4l2FormatFmt(p *printer, typ uint32, b []byte, prefix string, clips *wire.Cap) bool {
	pr, ok := v4l2FmtMembers[typ]
	if !ok {
		return false
	}
	p.s(prefix)
	return pr(p, b, clips)
}

// v4l2ClipsAt is where a struct v4l2_format's window's clips pointer is in
// the union (its count follows at +8), and v4l2ClipSize the size of a
// struct v4l2_clip.
const (
	v4l2ClipsAt  = 24
	v4l2ClipSize = 24
)

// v4l2Clips captures the clips of the struct v4l2_format at off in the
// argument's struct (element wire.DerefIdx + off + v4l2ClipsAt), whatever
// its type: strsize+1 of them at most, as many as strace reads.
func v4l2Clips(off uint8) *[]capRule {
	return &[]capRule{{kind: wire.CKDeref, elem: v4l2ClipSize, ptrOff: off + v4l2ClipsAt, cntOff: off + v4l2ClipsAt + 8, cntSize: 4}}
}

// v4l2FmtMembers: the member of the union for each buffer type.
var v4l2FmtMembers map[uint32]func(p *printer, b []byte, clips *wire.Cap) bool

func init() {
	noClips := func(pr func(p *printer, b []byte) bool) func(p *printer, b []byte, clips *wire.Cap) bool {
		return func(p *printer, b []byte, _ *wire.Cap) bool { return pr(p, b) }
	}
	v4l2FmtMembers = map[uint32]func(p *printer, b []byte, clips *wire.Cap) bool{
		1: noClips(v4l2FmtPix), 2: noClips(v4l2FmtPix), // VIDEO_CAPTURE, VIDEO_OUTPUT
		9: noClips(v4l2FmtPixMp), 10: noClips(v4l2FmtPixMp), // VIDEO_CAPTURE_MPLANE, VIDEO_OUTPUT_MPLANE
		3: v4l2FmtWin, 8: v4l2FmtWin, // VIDEO_OVERLAY, VIDEO_OUTPUT_OVERLAY
		4: noClips(v4l2FmtVbi), 5: noClips(v4l2FmtVbi), // VBI_CAPTURE, VBI_OUTPUT
		6: noClips(v4l2FmtSliced), 7: noClips(v4l2FmtSliced), // SLICED_VBI_CAPTURE, SLICED_VBI_OUTPUT
		11: noClips(v4l2FmtSdr), 12: noClips(v4l2FmtSdr), // SDR_CAPTURE, SDR_OUTPUT
		13: noClips(v4l2FmtMeta), 14: noClips(v4l2FmtMeta), // META_CAPTURE, META_OUTPUT
	}
}

// v4l2FmtPix is fmt.pix (VIDEO_CAPTURE, VIDEO_OUTPUT).
func v4l2FmtPix(p *printer, b []byte) bool {
	p.s("fmt.pix={")
	v4l2U32s(p, b, 0, "width", "height")
	p.s(", ")
	v4l2Pixfmt(p, "pixelformat", le.Uint32(b[8:]), v4l2PixFmts)
	p.s(", ")
	v4l2Xval(p, "field", v4l2U32(b, 12), v4l2Fields, "V4L2_FIELD_???")
	p.s(", ")
	v4l2U32s(p, b, 16, "bytesperline", "sizeimage")
	p.s(", ")
	v4l2Xval(p, "colorspace", v4l2U32(b, 24), v4l2Colorspaces, "V4L2_COLORSPACE_???")
	p.c('}')
	return true
}

// v4l2FmtPixMp is fmt.pix_mp (VIDEO_CAPTURE_MPLANE, VIDEO_OUTPUT_MPLANE).
func v4l2FmtPixMp(p *printer, b []byte) bool {
	p.s("fmt.pix_mp={")
	v4l2U32s(p, b, 0, "width", "height")
	p.s(", ")
	v4l2Pixfmt(p, "pixelformat", le.Uint32(b[8:]), v4l2PixFmts)
	p.s(", ")
	v4l2Xval(p, "field", v4l2U32(b, 12), v4l2Fields, "V4L2_FIELD_???")
	p.s(", ")
	v4l2Xval(p, "colorspace", v4l2U32(b, 16), v4l2Colorspaces, "V4L2_COLORSPACE_???")
	n := int(b[180])
	p.s(", plane_fmt=[")
	for j := 0; j < min(n, 8); j++ {
		if j > 0 {
			p.s(", ")
		}
		if j >= p.strsize && p.abbrev() {
			p.s("...")
			break
		}
		p.c('{')
		v4l2U32s(p, b, 20+20*j, "sizeimage", "bytesperline")
		p.c('}')
	}
	p.s("], num_planes=")
	p.u(uint64(n))
	p.c('}')
	return true
}

// v4l2FmtWin is fmt.win (VIDEO_OVERLAY, VIDEO_OUTPUT_OVERLAY), with its
// clips as captured (struct v4l2_clip: its rectangle, not its next): false
// when strace's print_array did not print them whole (NULL, none, an
// address, one it could not read), where strace ends the struct at entry.
func v4l2FmtWin(p *printer, b []byte, cp *wire.Cap) bool {
	p.s("fmt.win={w=")
	v4l2Rect(p, b)
	p.s(", ")
	v4l2Xval(p, "field", v4l2U32(b, 16), v4l2Fields, "V4L2_FIELD_???")
	p.s(", chromakey=")
	hexOrZero(p, v4l2U32(b, 20))
	clips, n := le.Uint64(b[v4l2ClipsAt:]), v4l2U32(b, v4l2ClipsAt+8)
	p.s(", clips=")
	whole := printArrayAt(p, clips, cp, v4l2ClipSize, n, func(p *printer, _ uint64, e []byte) bool {
		p.s("{c=")
		v4l2Rect(p, e)
		p.c('}')
		return true
	})
	p.s(", clipcount=")
	p.u(n)
	p.s(", bitmap=")
	p.ptr(le.Uint64(b[40:]))
	if b[48] != 0 {
		p.s(", global_alpha=")
		hexOrZero(p, uint64(b[48]))
	}
	p.c('}')
	return whole
}

// v4l2FmtVbi is fmt.vbi (VBI_CAPTURE, VBI_OUTPUT).
func v4l2FmtVbi(p *printer, b []byte) bool {
	p.s("fmt.vbi={")
	v4l2U32s(p, b, 0, "sampling_rate", "offset", "samples_per_line")
	p.s(", ")
	v4l2Pixfmt(p, "sample_format", le.Uint32(b[12:]), v4l2PixFmts)
	p.s(", start=[")
	p.d(v4l2S32(b, 16))
	p.s(", ")
	p.d(v4l2S32(b, 20))
	p.s("], count=[")
	p.u(v4l2U32(b, 24))
	p.s(", ")
	p.u(v4l2U32(b, 28))
	p.s("], ")
	v4l2Flags(p, "flags", v4l2U32(b, 32), v4l2VbiFlags, "V4L2_VBI_???")
	p.c('}')
	return true
}

// v4l2FmtSliced is fmt.sliced (SLICED_VBI_CAPTURE, SLICED_VBI_OUTPUT).
func v4l2FmtSliced(p *printer, b []byte) bool {
	p.s("fmt.sliced={")
	v4l2Flags(p, "service_set", uint64(le.Uint16(b)), v4l2SlicedFlags, "V4L2_SLICED_???")
	p.s(", service_lines=[")
	for r := 0; r < 2; r++ {
		if r > 0 {
			p.s(", ")
		}
		p.c('[')
		for j := 0; j < 24; j++ {
			if j > 0 {
				p.s(", ")
			}
			hexOrZero(p, uint64(le.Uint16(b[2+48*r+2*j:])))
		}
		p.c(']')
	}
	p.s("], io_size=")
	p.u(v4l2U32(b, 100))
	p.c('}')
	return true
}

// v4l2FmtSdr is fmt.sdr (SDR_CAPTURE, SDR_OUTPUT).
func v4l2FmtSdr(p *printer, b []byte) bool {
	p.s("fmt.sdr={")
	v4l2Pixfmt(p, "pixelformat", le.Uint32(b), v4l2SdrFmts)
	if bs := v4l2U32(b, 4); bs != 0 {
		p.s(", buffersize=")
		p.u(bs)
	}
	p.c('}')
	return true
}

// v4l2FmtMeta is fmt.meta (META_CAPTURE, META_OUTPUT).
func v4l2FmtMeta(p *printer, b []byte) bool {
	p.s("fmt.meta={")
	v4l2Pixfmt(p, "dataformat", le.Uint32(b), v4l2MetaFmts)
	p.s(", buffersize=")
	p.u(v4l2U32(b, 4))
	p.c('}')
	return true
}

// v4l2Format is VIDIOC_G_FMT (get: only the type at entry), VIDIOC_S_FMT
// and VIDIOC_TRY_FMT.
func v4l2Format(get bool) ioctlDef {
	clips := func(c *Call, i int) *wire.Cap { return c.Cap(i, wire.DerefIdx+8+v4l2ClipsAt) }
	d := v4l2DoCall(208, func(p *printer, c *Call, i int, b []byte) bool {
		p.c('{')
		v4l2BufType(p, b)
		if get {
			return true
		}
		if !v4l2FormatFmt(p, le.Uint32(b), b[8:], ", ", clips(c, i)) {
			p.c('}')
			return false
		}
		return true
	}, func(p *printer, c *Call, i int, b []byte) {
		prefix := "} => {"
		if get {
			prefix = ", "
		}
		v4l2FormatFmt(p, le.Uint32(b), b[8:], prefix, clips(c, i))
	})
	d.also = v4l2Clips(8)
	return d
}

// v4l2PrintBufFlags is print_v4l2_buffer_flags: the flags, the timestamp type
// and its source.
func v4l2PrintBufFlags(p *printer, v uint32) {
	p.s("flags=")
	if p.style == ConstRaw {
		hexOrZero(p, uint64(v))
		return
	}
	tsType, tsSrc := v&0xe000, v&0x70000
	if fl := v &^ tsType &^ tsSrc; fl != 0 {
		p.flagsDflt(uint64(fl), v4l2BufFlags, "", "V4L2_BUF_FLAG_???")
		p.c('|')
	}
	p.xlat(uint64(tsType), v4l2BufFlagsTsType, "/V4L2_BUF_FLAG_TIMESTAMP_???")
	p.c('|')
	p.xlat(uint64(tsSrc), v4l2BufFlagsTsSrc, "/V4L2_BUF_FLAG_TSTAMP_SRC_???")
}

// v4l2Buffer is VIDIOC_QUERYBUF, VIDIOC_QBUF and VIDIOC_DQBUF (dq: the
// index and timestamp are the driver's).
func v4l2Buffer(dq bool) ioctlDef {
	return v4l2Do(88, func(p *printer, b []byte) bool {
		p.c('{')
		v4l2BufType(p, b[4:])
		if !dq {
			p.s(", index=")
			p.u(v4l2U32(b, 0))
		}
		return true
	}, func(p *printer, b []byte) {
		if dq {
			p.s(", index=")
			p.u(v4l2U32(b, 0))
		}
		p.s(", ")
		mem := v4l2U32(b, 60)
		v4l2Xval(p, "memory", mem, v4l2Memories, "V4L2_MEMORY_???")
		switch mem {
		case 1: // MMAP
			p.s(", m.offset=")
			hexOrZero(p, v4l2U32(b, 64))
		case 2: // USERPTR
			p.s(", m.userptr=")
			p.ptr(le.Uint64(b[64:]))
		}
		p.s(", length=")
		p.u(v4l2U32(b, 72))
		p.s(", bytesused=")
		p.u(v4l2U32(b, 8))
		p.s(", ")
		v4l2PrintBufFlags(p, le.Uint32(b[12:]))
		if dq {
			p.s(", timestamp={tv_sec=")
			p.d(int64(le.Uint64(b[24:])))
			p.s(", tv_usec=")
			p.u(le.Uint64(b[32:]))
			p.c('}')
		}
		p.s(", ...")
	})
}

func v4l2Framebuffer(p *printer, b []byte) {
	p.s("{capability=")
	hexOrZero(p, v4l2U32(b, 0))
	p.s(", flags=")
	hexOrZero(p, v4l2U32(b, 4))
	p.s(", base=")
	p.ptr(le.Uint64(b[8:]))
	p.c('}')
}

// v4l2Streamparm is VIDIOC_G_PARM and VIDIOC_S_PARM: struct
// v4l2_captureparm or v4l2_outputparm, for the video types only.
func v4l2Streamparm(get bool) ioctlDef {
	parm := func(p *printer, b []byte) {
		capture := le.Uint32(b) == 1
		if capture {
			p.s("parm.capture={")
		} else {
			p.s("parm.output={")
		}
		v4l2Flags(p, "capability", v4l2U32(b, 4), v4l2StreamingCapabilities, "V4L2_CAP_???")
		p.s(", ")
		mode := "outputmode"
		if capture {
			mode = "capturemode"
		}
		v4l2Flags(p, mode, v4l2U32(b, 8), v4l2CaptureModes, "V4L2_MODE_???")
		p.s(", ")
		v4l2Fract(p, "timeperframe", b[12:])
		p.s(", extendedmode=")
		hexOrZero(p, v4l2U32(b, 20))
		if capture {
			p.s(", readbuffers=")
		} else {
			p.s(", writebuffers=")
		}
		p.u(v4l2U32(b, 24))
		p.c('}')
	}
	return v4l2Do(204, func(p *printer, b []byte) bool {
		p.c('{')
		v4l2BufType(p, b)
		if t := le.Uint32(b); t != 1 && t != 2 {
			p.c('}')
			return false
		}
		if !get {
			p.s(", ")
			parm(p, b)
		}
		return true
	}, func(p *printer, b []byte) {
		if get {
			p.s(", ")
		} else {
			p.s("} => {")
		}
		parm(p, b)
	})
}

// v4l2EnumFmt is VIDIOC_ENUM_FMT.
func v4l2EnumFmt() ioctlDef {
	return v4l2Do(64, func(p *printer, b []byte) bool {
		p.s("{index=")
		p.u(v4l2U32(b, 0))
		p.s(", ")
		v4l2BufType(p, b[4:])
		return true
	}, func(p *printer, b []byte) {
		p.s(", ")
		v4l2Flags(p, "flags", v4l2U32(b, 8), v4l2FormatDescriptionFlags, "V4L2_FMT_FLAG_???")
		p.s(", ")
		v4l2Cstring(p, "description", b[12:44])
		p.s(", ")
		v4l2Pixfmt(p, "pixelformat", le.Uint32(b[44:]), v4l2PixFmts)
	})
}

// v4l2Reqbufs is VIDIOC_REQBUFS.
func v4l2Reqbufs() ioctlDef {
	return v4l2Do(20, func(p *printer, b []byte) bool {
		p.c('{')
		v4l2BufType(p, b[4:])
		p.s(", ")
		v4l2Xval(p, "memory", v4l2U32(b, 8), v4l2Memories, "V4L2_MEMORY_???")
		p.s(", count=")
		p.u(v4l2U32(b, 0))
		return true
	}, func(p *printer, b []byte) {
		p.s(" => ")
		p.u(v4l2U32(b, 0))
	})
}

// v4l2Enumstd is VIDIOC_ENUMSTD.
func v4l2Enumstd() ioctlDef {
	return v4l2Do(72, func(p *printer, b []byte) bool {
		p.s("{index=")
		p.u(v4l2U32(b, 0))
		return true
	}, func(p *printer, b []byte) {
		p.s(", ")
		v4l2Cstring(p, "name", b[16:40])
		p.s(", ")
		v4l2Fract(p, "frameperiod", b[40:])
		p.s(", framelines=")
		p.u(v4l2U32(b, 48))
	})
}

// v4l2Enuminput is VIDIOC_ENUMINPUT.
func v4l2Enuminput() ioctlDef {
	return v4l2Do(80, func(p *printer, b []byte) bool {
		p.s("{index=")
		p.u(v4l2U32(b, 0))
		return true
	}, func(p *printer, b []byte) {
		p.s(", ")
		v4l2Cstring(p, "name", b[4:36])
		p.s(", ")
		v4l2Xval(p, "type", v4l2U32(b, 36), v4l2InputTypes, "V4L2_INPUT_TYPE_???")
	})
}

// v4l2Cropcap is VIDIOC_CROPCAP.
func v4l2Cropcap() ioctlDef {
	return v4l2Do(44, func(p *printer, b []byte) bool {
		p.c('{')
		v4l2BufType(p, b)
		return true
	}, func(p *printer, b []byte) {
		p.s(", bounds=")
		v4l2Rect(p, b[4:])
		p.s(", defrect=")
		v4l2Rect(p, b[20:])
		p.s(", ")
		v4l2Fract(p, "pixelaspect", b[36:])
	})
}

func init() {
	inOnly := func(n int, pr func(p *printer, b []byte)) ioctlDef {
		return ioctlDef{size: n, arg: func(p *printer, c *Call, i int) {
			if !p.verbose() {
				hexOrZero(p, c.Args[i])
				return
			}
			if b := ioctlStructOf(p, c, i, n, false); b != nil {
				pr(p, b)
			}
		}}
	}
	bufType := func(p *printer, b []byte) {
		p.c('[')
		p.xlat(v4l2U32(b, 0), v4l2BufTypes, "/V4L2_BUF_TYPE_???")
		p.c(']')
	}
	std := func(p *printer, b []byte) { p.c('['); hexOrZero(p, le.Uint64(b)); p.c(']') }
	input := func(p *printer, b []byte) { p.c('['); p.u(v4l2U32(b, 0)); p.c(']') }
	registerIoctls(map[uint32]ioctlDef{
		0x80685600: v4l2Get(104, v4l2Capability), // VIDIOC_QUERYCAP
		0xc0405602: v4l2EnumFmt(),                // VIDIOC_ENUM_FMT
		0xc0d05604: v4l2Format(true),             // VIDIOC_G_FMT
		0xc0d05605: v4l2Format(false),            // VIDIOC_S_FMT
		0xc0d05640: v4l2Format(false),            // VIDIOC_TRY_FMT
		0xc0145608: v4l2Reqbufs(),                // VIDIOC_REQBUFS
		0xc0585609: v4l2Buffer(false),            // VIDIOC_QUERYBUF
		0xc058560f: v4l2Buffer(false),            // VIDIOC_QBUF
		0xc0585611: v4l2Buffer(true),             // VIDIOC_DQBUF
		0x8030560a: v4l2Get(48, v4l2Framebuffer), // VIDIOC_G_FBUF
		0x4030560b: inOnly(48, v4l2Framebuffer),  // VIDIOC_S_FBUF
		0x40045612: inOnly(4, bufType),           // VIDIOC_STREAMON
		0x40045613: inOnly(4, bufType),           // VIDIOC_STREAMOFF
		0xc0cc5615: v4l2Streamparm(true),         // VIDIOC_G_PARM
		0xc0cc5616: v4l2Streamparm(false),        // VIDIOC_S_PARM
		0x80085617: v4l2Get(8, std),              // VIDIOC_G_STD
		0x40085618: inOnly(8, std),               // VIDIOC_S_STD
		0xc0485619: v4l2Enumstd(),                // VIDIOC_ENUMSTD
		0xc050561a: v4l2Enuminput(),              // VIDIOC_ENUMINPUT
		0x80045626: v4l2Get(4, input),            // VIDIOC_G_INPUT
		0xc0045627: inOnly(4, input),             // VIDIOC_S_INPUT
		0xc02c563a: v4l2Cropcap(),                // VIDIOC_CROPCAP
	})
}
