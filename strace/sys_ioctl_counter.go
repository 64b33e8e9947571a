package strace

// Counter character device ioctls ('>', linux/counter.h), as strace 6.1's
// counter_ioctl.c decodes them. Tables from
// xlat/counter_ioctl_component_types.in, counter_ioctl_scopes.in,
// counter_ioctl_event_types.in.

var (
	counterComponentTypes = []flag{{0, "COUNTER_COMPONENT_NONE"}, {0x1, "COUNTER_COMPONENT_SIGNAL"}, {0x2, "COUNTER_COMPONENT_COUNT"}, {0x3, "COUNTER_COMPONENT_FUNCTION"}, {0x4, "COUNTER_COMPONENT_SYNAPSE_ACTION"}, {0x5, "COUNTER_COMPONENT_EXTENSION"}}
	counterScopes         = []flag{{0, "COUNTER_SCOPE_DEVICE"}, {0x1, "COUNTER_SCOPE_SIGNAL"}, {0x2, "COUNTER_SCOPE_COUNT"}}
	counterEventTypes     = []flag{{0, "COUNTER_EVENT_OVERFLOW"}, {0x1, "COUNTER_EVENT_UNDERFLOW"}, {0x2, "COUNTER_EVENT_OVERFLOW_UNDERFLOW"}, {0x3, "COUNTER_EVENT_THRESHOLD"}, {0x4, "COUNTER_EVENT_INDEX"}, {0x5, "COUNTER_EVENT_CHANGE_OF_STATE"}, {0x6, "COUNTER_EVENT_CAPTURE"}}
)

// fmtCounterWatch prints a struct counter_watch (6 bytes).
func fmtCounterWatch(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 6)
	if b == nil {
		return
	}
	p.s("{component={type=")
	p.xlat(uint64(b[0]), counterComponentTypes, "/COUNTER_COMPONENT_???")
	p.s(", scope=")
	p.xlat(uint64(b[1]), counterScopes, "/COUNTER_SCOPE_???")
	p.s(", parent=")
	p.u(uint64(b[2]))
	p.s(", id=")
	p.u(uint64(b[3]))
	p.s("}, event=")
	p.xlat(uint64(b[4]), counterEventTypes, "/COUNTER_EVENT_???")
	p.s(", channel=")
	p.u(uint64(b[5]))
	p.c('}')
}

func init() {
	registerIoctlsAtExit(map[uint32]ioctlDef{
		0x40063e00: {name: "COUNTER_ADD_WATCH_IOCTL", size: ioctlSizeBits, arg: fmtCounterWatch},
		0x3e01:     {name: "COUNTER_ENABLE_EVENTS_IOCTL", none: true},
		0x3e02:     {name: "COUNTER_DISABLE_EVENTS_IOCTL", none: true},
	})
}
