package strace

// Device mapper ioctls (0xfd, linux/dm-ioctl.h), as strace 6.1's dm.c
// decodes them without -v: struct dm_ioctl's header (the 305 bytes before
// its data, what strace reads), and "..." for the payload after it,
// which -v would print (not captured). Flags from xlat/dm_flags.in.

var dmFlags = []flag{{0x1, "DM_READONLY_FLAG"}, {0x2, "DM_SUSPEND_FLAG"}, {0x4, "DM_EXISTS_FLAG"}, {0x8, "DM_PERSISTENT_DEV_FLAG"}, {0x10, "DM_STATUS_TABLE_FLAG"}, {0x20, "DM_ACTIVE_PRESENT_FLAG"}, {0x40, "DM_INACTIVE_PRESENT_FLAG"}, {0x100, "DM_BUFFER_FULL_FLAG"}, {0x200, "DM_SKIP_BDGET_FLAG"}, {0x400, "DM_SKIP_LOCKFS_FLAG"}, {0x800, "DM_NOFLUSH_FLAG"}, {0x1000, "DM_QUERY_INACTIVE_TABLE_FLAG"}, {0x2000, "DM_UEVENT_GENERATED_FLAG"}, {0x4000, "DM_UUID_FLAG"}, {0x8000, "DM_SECURE_DATA_FLAG"}, {0x10000, "DM_DATA_OUT_FLAG"}, {0x20000, "DM_DEFERRED_REMOVE"}, {0x40000, "DM_INTERNAL_SUSPEND_FLAG"}, {0x80000, "DM_IMA_MEASUREMENT_FLAG"}}

// The requests, by their number (_IOWR(0xfd, nr, struct dm_ioctl)).
const (
	dmVersion = iota
	dmRemoveAll
	dmListDevices
	dmDevCreate
	dmDevRemove
	dmDevRename
	dmDevSuspend
	dmDevStatus
	dmDevWait
	dmTableLoad
	dmTableClear
	dmTableDeps
	dmTableStatus
	dmListVersions
	dmTargetMsg
	dmDevSetGeometry
	dmDevArmPoll
)

const (
	dmHeaderSize    = 305 // offsetof(struct dm_ioctl, data)
	dmSuspendFlag   = 0x2
	dmDataOutFlag   = 0x10000
	dmVersionMajor  = 4
	dmDataSizeField = 12 // offsetof(struct dm_ioctl, data_size)
)

// dmHeader prints struct dm_ioctl's header at entry, or (exit) what a
// call that succeeded filled; it reports whether the header was decoded
// (strace then decodes the payload).
func dmHeader(p *printer, nr uint32, b []byte, exit bool) bool {
	u32 := func(o int) uint64 { return uint64(le.Uint32(b[o:])) }
	p.s("{version=[")
	p.u(u32(0))
	p.s(", ")
	p.u(u32(4))
	p.s(", ")
	p.u(u32(8))
	p.c(']')
	if u32(0) != dmVersionMajor {
		p.s(" /* unsupported device mapper ABI version */}")
		return false
	}
	p.s(", data_size=")
	p.u(u32(12))
	if u32(12) < dmHeaderSize {
		p.s(" /* data_size too small */}")
		return false
	}
	switch nr {
	case dmVersion, dmRemoveAll, dmDevCreate, dmDevRemove, dmDevSuspend, dmDevStatus, dmTableClear, dmDevArmPoll:
	default:
		p.s(", data_start=")
		p.u(u32(16))
	}
	switch nr {
	case dmRemoveAll, dmListDevices, dmListVersions:
	default:
		if dev := le.Uint64(b[40:]); dev != 0 {
			p.s(", dev=")
			makedev(p, dev)
		}
		if b[48] != 0 {
			p.s(", name=")
			quote0(p, b[48:176], true)
		}
		if b[176] != 0 {
			p.s(", uuid=")
			quote0(p, b[176:305], true)
		}
	}
	dmValues(p, nr, b, exit)
	p.s(", flags=")
	p.flagsDflt(u32(28), dmFlags, "", "DM_???")
	p.c('}')
	return true
}

func dmValues(p *printer, nr uint32, b []byte, exit bool) {
	field := func(name string, o int) {
		p.s(name)
		p.u(uint64(le.Uint32(b[o:])))
	}
	if !exit {
		switch {
		case nr == dmTableLoad:
			field(", target_count=", 20)
		case nr == dmDevSuspend && le.Uint32(b[28:])&dmSuspendFlag != 0:
		case nr == dmDevSuspend, nr == dmDevRename, nr == dmDevRemove, nr == dmDevWait:
			field(", event_nr=", 32)
		}
		return
	}
	switch nr {
	case dmDevCreate, dmDevRename, dmDevSuspend, dmDevStatus, dmDevWait, dmTableLoad, dmTableClear, dmTableDeps, dmTableStatus, dmTargetMsg:
		field(", target_count=", 20)
		field(", open_count=", 24)
		field(", event_nr=", 32)
	}
}

// dmPayload prints ", ..." where strace, without -v, says there is a
// payload after the header.
func dmPayload(p *printer, nr uint32, b []byte, exit bool) {
	start, size := le.Uint32(b[16:]), le.Uint32(b[12:])
	more := false
	switch nr {
	case dmTableLoad:
		more = !exit && le.Uint32(b[20:]) != 0
	case dmDevWait, dmTableStatus:
		more = exit && le.Uint32(b[20:]) != 0
	case dmTableDeps, dmListDevices, dmListVersions:
		more = exit && start != size
	case dmTargetMsg:
		more = !exit && start != size || exit && le.Uint32(b[28:])&dmDataOutFlag != 0
	case dmDevRename, dmDevSetGeometry:
		more = !exit
	}
	if more && ioctlAbbrev(p) {
		p.s(", ...")
	}
}

func fmtDmIoctl(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	b := capturedIn(c, i, dmHeaderSize)
	if b == nil || le.Uint32(b[12:]) < dmDataSizeField {
		p.x(c.Args[i]) // strace leaves it undecoded
		return
	}
	nr := uint32(c.Args[1]) & 0xff
	for _, exit := range []bool{false, true} {
		if exit {
			if !ioctlSucceeded(c) {
				break
			}
			p.s(" => ")
		}
		p.c('[')
		if dmHeader(p, nr, b, exit) {
			dmPayload(p, nr, b, exit)
		}
		p.c(']')
	}
}

func init() {
	names := []string{"DM_VERSION", "DM_REMOVE_ALL", "DM_LIST_DEVICES", "DM_DEV_CREATE", "DM_DEV_REMOVE",
		"DM_DEV_RENAME", "DM_DEV_SUSPEND", "DM_DEV_STATUS", "DM_DEV_WAIT", "DM_TABLE_LOAD", "DM_TABLE_CLEAR",
		"DM_TABLE_DEPS", "DM_TABLE_STATUS", "DM_LIST_VERSIONS", "DM_TARGET_MSG", "DM_DEV_SET_GEOMETRY",
		"DM_DEV_ARM_POLL"}
	m := map[uint32]ioctlDef{}
	for nr, name := range names {
		m[0xc138fd00+uint32(nr)] = ioctlDef{name: name, size: dmHeaderSize, arg: fmtDmIoctl}
	}
	registerIoctlsAtExit(m)
}
