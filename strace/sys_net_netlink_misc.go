package strace

import (
	"sync"

	"golang.org/x/sys/unix"
)

// The payloads of NETLINK_SELINUX and NETLINK_KOBJECT_UEVENT, and the
// names of NETLINK_GENERIC's families.

func init() {
	nlPayloads[nlSelinux] = selinuxPayload
}

// selinuxPayload is decode_netlink_selinux: both messages are one
// integer.
func selinuxPayload(d *nlDec, h nlmsghdr, addr, n uint64) bool {
	var field string
	switch lookupName(uint64(h.typ), nlSelinuxTypes) {
	case "SELNL_MSG_SETENFORCE":
		field = "val"
	case "SELNL_MSG_POLICYLOAD":
		field = "seqno"
	default:
		return false
	}
	if n < 4 {
		d.hexStr(addr, n)
		return true
	}
	b, ok := d.fetch(addr, 4)
	if !ok {
		return true
	}
	d.p.s("{" + field + "=")
	if field == "val" {
		d.p.d(int64(int32(le.Uint32(b))))
	} else {
		d.p.u(uint64(le.Uint32(b)))
	}
	d.p.c('}')
	return true
}

// udevHdrLen is sizeof(struct udev_monitor_netlink_header).
const udevHdrLen = 40

// kobjectUevent is decode_netlink_kobject_uevent: libudev's header, then
// the properties as a string; anything else is a string.
func (d *nlDec) kobjectUevent(addr, n uint64) {
	p := d.p
	failed := d.c.Ret < 0 && d.c.Ret >= -4095
	b, ok := d.m.at(addr, udevHdrLen)
	if p.nonverbose || failed || addr == 0 || n < udevHdrLen || !ok || cString(b[:8]) != "libudev" {
		d.plainStr(addr, n)
		return
	}
	if n > udevHdrLen {
		p.c('[')
	}
	p.s("{prefix=")
	p.quote([]byte("libudev"), false)
	be := func(name string, off int) {
		p.s(", " + name + "=htonl(")
		hexOrZero(p, uint64(uint32(b[off])<<24|uint32(b[off+1])<<16|uint32(b[off+2])<<8|uint32(b[off+3])))
		p.c(')')
	}
	be("magic", 8)
	for k, name := range []string{"header_size", "properties_off", "properties_len"} {
		p.s(", " + name + "=")
		p.u(uint64(le.Uint32(b[12+4*k:])))
	}
	be("filter_subsystem_hash", 24)
	be("filter_devtype_hash", 28)
	be("filter_tag_bloom_hi", 32)
	be("filter_tag_bloom_lo", 36)
	p.c('}')
	if n > udevHdrLen {
		p.s(", ")
		d.plainStr(addr+udevHdrLen, n-udevHdrLen)
		p.c(']')
	}
}

// cString is b up to its first NUL.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

var (
	genlOnce sync.Once
	genlTab  []flag
)

// genlFamilies are NETLINK_GENERIC's families, as the kernel lists them
// (strace's genl_families_xlat): asked once.
func genlFamilies() []flag {
	genlOnce.Do(func() { genlTab = genlDump() })
	return genlTab
}

func genlDump() []flag {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_GENERIC)
	if err != nil {
		return nil
	}
	defer unix.Close(fd)
	// nlmsghdr, then genlmsghdr: CTRL_CMD_GETFAMILY, version 1.
	msg := make([]byte, 20)
	le.PutUint32(msg, 20)
	le.PutUint16(msg[4:], unix.GENL_ID_CTRL)
	le.PutUint16(msg[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	le.PutUint32(msg[8:], 1)
	msg[16], msg[17] = unix.CTRL_CMD_GETFAMILY, 1
	if err := unix.Sendto(fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil
	}
	var tab []flag
	buf := make([]byte, 32<<10)
	for {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil || n <= 0 {
			return tab
		}
		for b := buf[:n]; len(b) >= 16; {
			l := int(le.Uint32(b))
			if l < 16 || l > len(b) {
				return tab
			}
			switch le.Uint16(b[4:]) {
			case unix.NLMSG_DONE, unix.NLMSG_ERROR:
				return tab
			}
			if l >= 20 && b[16] == unix.CTRL_CMD_NEWFAMILY && b[17] == 2 {
				tab = append(tab, genlFamily(b[20:l])...)
			}
			b = b[min((l+3)&^3, len(b)):]
		}
	}
}

// genlFamily is a CTRL_CMD_NEWFAMILY's name and id.
func genlFamily(a []byte) []flag {
	var name string
	var id uint16
	haveName, haveID := false, false
	var out []flag
	for len(a) >= 4 {
		l := int(le.Uint16(a))
		if l < 4 || l > len(a) {
			break
		}
		switch le.Uint16(a[2:]) {
		case unix.CTRL_ATTR_FAMILY_NAME:
			if !haveName {
				name, haveName = cString(a[4:l]), true
			}
		case unix.CTRL_ATTR_FAMILY_ID:
			if !haveID && l == 6 {
				id, haveID = le.Uint16(a[4:]), true
			}
		}
		if haveName && haveID {
			out = append(out, flag{uint64(id), name})
			haveName, haveID = false, false
		}
		a = a[min((l+3)&^3, len(a)):]
	}
	return out
}
