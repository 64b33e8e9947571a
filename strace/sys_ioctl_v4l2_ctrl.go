package strace

import (
	"fmt"

	"github.com/eproc/eproc/loader/wire"
)

// V4L2 ioctls (sys_ioctl_v4l2.go): controls, tuners, cropping, frame
// sizes and intervals, buffer creation.

// v4l2Cid is print_v4l2_cid: a control's name, or its class plus the
// offset in it; with next, the V4L2_CTRL_FLAG_NEXT_* flags first.
func v4l2Cid(p *printer, cid uint32, next bool) {
	if p.style == ConstRaw {
		hexOrZero(p, uint64(cid))
		return
	}
	if next {
		if fl := cid & 0xc0000000; fl != 0 {
			p.flagsDflt(uint64(fl), v4l2ControlQueryFlags, "", "V4L2_CTRL_FLAG_NEXT_???")
			p.c('|')
			cid &^= fl
		}
	}
	if n := lookupName(uint64(cid), v4l2ControlIds); n != "" {
		p.constVal(uint64(cid), 'x', n)
		return
	}
	var class flag
	for _, f := range v4l2ControlClasses {
		if f.v <= uint64(cid) && f.v >= class.v {
			class = f
		}
	}
	if class.name == "" || uint64(cid)-class.v >= 0x10000 {
		hexOrZero(p, uint64(cid))
		p.comment("V4L2_CID_???")
		return
	}
	off := "0" // C's %#x
	if d := uint64(cid) - class.v; d != 0 {
		off = fmt.Sprintf("%#x", d)
	}
	p.constVal(uint64(cid), 'x', class.name+"+"+off)
}

func v4l2Control(get bool) ioctlDef {
	return v4l2Do(8, func(p *printer, b []byte) bool {
		p.s("{id=")
		v4l2Cid(p, le.Uint32(b), false)
		if !get {
			p.s(", value=")
			p.d(v4l2S32(b, 4))
		}
		return true
	}, func(p *printer, b []byte) {
		if get {
			p.s(", value=")
		} else {
			p.s(" => ")
		}
		p.d(v4l2S32(b, 4))
	})
}

func v4l2Tuner(get bool) ioctlDef {
	body := func(p *printer, b []byte) {
		v4l2Cstring(p, "name", b[4:36])
		p.s(", ")
		v4l2Xval(p, "type", v4l2U32(b, 36), v4l2TunerTypes, "V4L2_TUNER_???")
		p.s(", ")
		v4l2Flags(p, "capability", v4l2U32(b, 40), v4l2TunerCapabilities, "V4L2_TUNER_CAP_???")
		p.s(", ")
		v4l2U32s(p, b, 44, "rangelow", "rangehigh")
		p.s(", ")
		v4l2Flags(p, "rxsubchans", v4l2U32(b, 52), v4l2TunerRxsubchanses, "V4L2_TUNER_SUB_???")
		p.s(", ")
		v4l2Xval(p, "audmode", v4l2U32(b, 56), v4l2TunerAudmodes, "V4L2_TUNER_MODE_???")
		p.s(", ")
		v4l2U32s(p, b, 60, "-signal", "-afc")
	}
	return v4l2Do(84, func(p *printer, b []byte) bool {
		p.s("{index=")
		p.u(v4l2U32(b, 0))
		if !get {
			p.s(", ")
			body(p, b)
		}
		return true
	}, func(p *printer, b []byte) {
		if get {
			p.s(", ")
		} else {
			p.s("} => {")
		}
		body(p, b)
	})
}

// v4l2Queryctrl is VIDIOC_QUERYCTRL and VIDIOC_QUERY_EXT_CTRL (ext).
// strace prints " => " and the id the driver put when it changed it; one
// capture holds the id the call left only.
func v4l2Queryctrl(ext bool) ioctlDef {
	n := 68
	if ext {
		n = 232
	}
	return v4l2Do(n, func(p *printer, b []byte) bool {
		p.s("{id=")
		v4l2Cid(p, le.Uint32(b), true)
		return true
	}, func(p *printer, b []byte) {
		p.s(", ")
		v4l2Xval(p, "type", v4l2U32(b, 4), v4l2ControlTypes, "V4L2_CTRL_TYPE_???")
		p.s(", ")
		v4l2Cstring(p, "name", b[8:40])
		if ioctlAbbrev(p) {
			p.s(", ...")
			return
		}
		var reserved []byte
		if ext {
			for j, f := range []string{", minimum=", ", maximum="} {
				p.s(f)
				p.d(int64(le.Uint64(b[40+8*j:])))
			}
			p.s(", step=")
			p.u(le.Uint64(b[56:]))
			p.s(", default_value=")
			p.d(int64(le.Uint64(b[64:])))
			p.s(", ")
			v4l2Flags(p, "flags", v4l2U32(b, 72), v4l2ControlFlags, "V4L2_CTRL_FLAG_???")
			p.s(", ")
			v4l2U32s(p, b, 76, "elem_size", "elems", "nr_of_dims")
			p.s(", dims=")
			uArrayField(p, b[88:], min(int(v4l2U32(b, 84)), 4), 4)
			reserved = b[104:232]
		} else {
			p.s(", ")
			v4l2U32s(p, b, 40, "-minimum", "-maximum", "-step", "-default_value")
			p.s(", ")
			v4l2Flags(p, "flags", v4l2U32(b, 56), v4l2ControlFlags, "V4L2_CTRL_FLAG_???")
			reserved = b[60:68]
		}
		for _, ch := range reserved {
			if ch != 0 {
				p.s(", reserved=")
				xArrayField(p, reserved, len(reserved)/4, 4)
				break
			}
		}
	})
}

func v4l2Crop(get bool) ioctlDef {
	return v4l2Do(20, func(p *printer, b []byte) bool {
		p.c('{')
		v4l2BufType(p, b)
		if !get {
			p.s(", c=")
			v4l2Rect(p, b[4:])
			p.c('}')
			return false
		}
		return true
	}, func(p *printer, b []byte) {
		p.s(", c=")
		v4l2Rect(p, b[4:])
	})
}

// struct v4l2_ext_controls points to count struct v4l2_ext_control
// (packed, 20 bytes), each of which points to its size bytes of payload
// when size is not 0. Both are captured (wire.CKDeref, the array, and
// wire.CKDerefItems, each control's payload), as the call left them.
const (
	v4l2ExtCtrlsAt   = 24 // the controls pointer in struct v4l2_ext_controls
	v4l2ExtCtrlSize  = 20
	v4l2ExtCtrlCntAt = 4 // count
)

var v4l2ExtCtrlsCaps = &[]capRule{
	{kind: wire.CKDeref, elem: v4l2ExtCtrlSize, ptrOff: v4l2ExtCtrlsAt, cntOff: v4l2ExtCtrlCntAt, cntSize: 4},
	{kind: wire.CKDerefItems, elem: v4l2ExtCtrlSize, ptrOff: v4l2ExtCtrlsAt, cntOff: v4l2ExtCtrlCntAt, cntSize: 4,
		itemPtr: 12, itemLen: 4, itemLenSize: 4},
}

// v4l2ExtControls is VIDIOC_G_EXT_CTRLS, VIDIOC_S_EXT_CTRLS and
// VIDIOC_TRY_EXT_CTRLS (print_v4l2_ext_controls): a set's controls at
// entry, and again after " => " at exit unless strace could not print
// them whole at entry; a get's at exit only; error_idx when it failed.
func v4l2ExtControls(get bool) ioctlDef {
	return ioctlDef{size: 32, exit: true, also: v4l2ExtCtrlsCaps, arg: func(p *printer, c *Call, i int) {
		if !p.verbose() {
			hexOrZero(p, c.Args[i])
			return
		}
		b := ioctlStructOf(p, c, i, 32, false)
		if b == nil {
			return
		}
		p.c('{')
		v4l2Xval(p, "ctrl_class", v4l2U32(b, 0), v4l2ControlClasses, "V4L2_CTRL_CLASS_???")
		n := v4l2U32(b, v4l2ExtCtrlCntAt)
		p.s(", count=")
		p.u(n)
		if n == 0 {
			p.c('}')
			return
		}
		controls := func() bool {
			p.s("controls=")
			return printArrayAt(p, le.Uint64(b[v4l2ExtCtrlsAt:]), c.Cap(i, wire.DerefIdx+v4l2ExtCtrlsAt), v4l2ExtCtrlSize, n,
				func(p *printer, k uint64, e []byte) bool {
					v4l2ExtControl(p, c.Cap(i, wire.DerefItemIdx+int(k)), e)
					return true
				})
		}
		if !get {
			p.s(", ")
			if !controls() {
				p.c('}') // strace ends the struct at entry
				return
			}
		}
		if !c.Complete() {
			return
		}
		if get {
			p.s(", ")
		} else {
			p.s("} => {")
		}
		controls()
		if c.Ret < 0 {
			p.s(", error_idx=")
			p.u(v4l2U32(b, 8))
		}
		p.c('}')
	}}
}

// v4l2ExtControl is print_v4l2_ext_control: struct v4l2_ext_control e,
// its payload (a string of size bytes, strace's printstrn) captured as cp.
func v4l2ExtControl(p *printer, cp *wire.Cap, e []byte) {
	p.c('{')
	v4l2Xval(p, "id", v4l2U32(e, 0), v4l2ControlIds, "V4L2_CID_???")
	size := v4l2U32(e, 4)
	p.s(", size=")
	p.u(size)
	if size > 0 {
		p.s(", string=")
		if cp != nil && cp.Fault() && cp.Part() {
			cp = nil // printstrn reads all it shows, or prints the address
		}
		derefStrn(p, cp, le.Uint64(e[12:]), size)
	} else {
		p.s(", value=")
		p.d(v4l2S32(e, 12))
		p.s(", value64=")
		p.d(int64(le.Uint64(e[12:])))
	}
	p.c('}')
}

func v4l2Frmsizeenum() ioctlDef {
	return v4l2Do(44, func(p *printer, b []byte) bool {
		p.s("{index=")
		p.u(v4l2U32(b, 0))
		p.s(", ")
		v4l2Pixfmt(p, "pixel_format", le.Uint32(b[4:]), v4l2PixFmts)
		return true
	}, func(p *printer, b []byte) {
		p.s(", ")
		t := v4l2U32(b, 8)
		v4l2Xval(p, "type", t, v4l2FramesizeTypes, "V4L2_FRMSIZE_TYPE_???")
		switch t {
		case 1:
			p.s(", discrete={")
			v4l2U32s(p, b, 12, "width", "height")
			p.c('}')
		case 3:
			p.s(", stepwise={")
			v4l2U32s(p, b, 12, "min_width", "max_width", "step_width", "min_height", "max_height", "step_height")
			p.c('}')
		}
	})
}

func v4l2Frmivalenum() ioctlDef {
	return v4l2Do(52, func(p *printer, b []byte) bool {
		p.s("{index=")
		p.u(v4l2U32(b, 0))
		p.s(", ")
		v4l2Pixfmt(p, "pixel_format", le.Uint32(b[4:]), v4l2PixFmts)
		p.s(", ")
		v4l2U32s(p, b, 8, "width", "height")
		return true
	}, func(p *printer, b []byte) {
		p.s(", ")
		t := v4l2U32(b, 16)
		v4l2Xval(p, "type", t, v4l2FrameintervalTypes, "V4L2_FRMIVAL_TYPE_???")
		switch t {
		case 1:
			p.s(", ")
			v4l2Fract(p, "discrete", b[20:])
		case 2, 3:
			p.s(", stepwise={")
			v4l2Fract(p, "min", b[20:])
			p.s(", ")
			v4l2Fract(p, "max", b[28:])
			p.s(", ")
			v4l2Fract(p, "step", b[36:])
			p.c('}')
		}
	})
}

// v4l2CreateBufs is VIDIOC_CREATE_BUFS: its struct at entry, and the
// index and count the driver put in the return value's comment (auxstr).
func v4l2CreateBufs(p *printer, c *Call, i int) {
	if !p.verbose() {
		hexOrZero(p, c.Args[i])
		return
	}
	b := ioctlStructOf(p, c, i, 256, false)
	if b == nil {
		return
	}
	p.s("{count=")
	p.u(v4l2U32(b, 4))
	p.s(", ")
	v4l2Xval(p, "memory", v4l2U32(b, 8), v4l2Memories, "V4L2_MEMORY_???")
	p.s(", format={")
	v4l2BufType(p, b[16:])
	v4l2FormatFmt(p, le.Uint32(b[16:]), b[24:], ", ", c.Cap(i, wire.DerefIdx+24+v4l2ClipsAt))
	p.s("}}")
}

func v4l2CreateBufsRet(p *printer, c *Call) {
	p.d(c.Ret)
	if !ioctlSucceeded(c) {
		return
	}
	if b := capturedIn(c, 2, 256); b != nil {
		p.s(fmt.Sprintf(" ({index=%d, count=%d})", le.Uint32(b), le.Uint32(b[4:])))
	}
}

func init() {
	registerIoctls(map[uint32]ioctlDef{
		0xc008561b: v4l2Control(true),                                                                         // VIDIOC_G_CTRL
		0xc008561c: v4l2Control(false),                                                                        // VIDIOC_S_CTRL
		0xc054561d: v4l2Tuner(true),                                                                           // VIDIOC_G_TUNER
		0x4054561e: v4l2Tuner(false),                                                                          // VIDIOC_S_TUNER
		0xc0445624: v4l2Queryctrl(false),                                                                      // VIDIOC_QUERYCTRL
		0xc0e85667: v4l2Queryctrl(true),                                                                       // VIDIOC_QUERY_EXT_CTRL
		0xc014563b: v4l2Crop(true),                                                                            // VIDIOC_G_CROP
		0x4014563c: v4l2Crop(false),                                                                           // VIDIOC_S_CROP
		0xc0205647: v4l2ExtControls(true),                                                                     // VIDIOC_G_EXT_CTRLS
		0xc0205648: v4l2ExtControls(false),                                                                    // VIDIOC_S_EXT_CTRLS
		0xc0205649: v4l2ExtControls(false),                                                                    // VIDIOC_TRY_EXT_CTRLS
		0xc02c564a: v4l2Frmsizeenum(),                                                                         // VIDIOC_ENUM_FRAMESIZES
		0xc034564b: v4l2Frmivalenum(),                                                                         // VIDIOC_ENUM_FRAMEINTERVALS
		0xc100565c: {size: 256, exit: true, arg: v4l2CreateBufs, ret: v4l2CreateBufsRet, also: v4l2Clips(24)}, // VIDIOC_CREATE_BUFS
	})
}
