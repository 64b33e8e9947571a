package strace

// ioprio_get and ioprio_set, as strace 6.1's ioprio.c prints them.

var (
	ioprioWho     = []flag{{1, "IOPRIO_WHO_PROCESS"}, {2, "IOPRIO_WHO_PGRP"}, {3, "IOPRIO_WHO_USER"}}
	ioprioClasses = []flag{{0, "IOPRIO_CLASS_NONE"}, {1, "IOPRIO_CLASS_RT"}, {2, "IOPRIO_CLASS_BE"}, {3, "IOPRIO_CLASS_IDLE"}}
	kIoprioWho    = xlatKind(ioprioWho, "IOPRIO_WHO_???")
)

// ioprioValue prints IOPRIO_PRIO_VALUE(class, data), the class in the
// current style.
func ioprioValue(p *printer, v uint32) {
	p.s("IOPRIO_PRIO_VALUE(")
	xlatOrUnknown(p, uint64(v>>13), ioprioClasses, "IOPRIO_CLASS_???")
	p.s(", ")
	p.d(int64(v & 0x1fff))
	p.c(')')
}

// kIoprio is ioprio_set's priority: decimal under -X raw and verbose,
// then its IOPRIO_PRIO_VALUE (in a comment under verbose).
var kIoprio = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	v := uint32(c.Args[i])
	switch p.style {
	case ConstRaw:
		p.d(int64(int32(v)))
	case ConstVerbose:
		p.d(int64(int32(v)))
		p.s(" /* ")
		ioprioValue(p, v)
		p.s(" */")
	default:
		ioprioValue(p, v)
	}
}})

// ioprioRet is ioprio_get's result and the priority it is.
func ioprioRet(p *printer, c *Call) {
	p.d(c.Ret)
	if p.style != ConstRaw {
		p.s(" (")
		ioprioValue(p, uint32(c.Ret))
		p.c(')')
	}
}

func init() {
	registerSigs(map[string]sig{
		"ioprio_get": {args: []kind{kIoprioWho, kIoprioPid}, ret: ioprioRet},
		"ioprio_set": {args: []kind{kIoprioWho, kIoprioPid, kIoprio}},
	})
}
