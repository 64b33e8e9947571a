package strace

import (
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// nlLines decodes socket(AF_NETLINK, SOCK_RAW, proto) = 3, then each
// sendto of msgs on it, and returns the sendto lines.
func nlLines(t *testing.T, opt Options, proto uint64, msgs ...[]byte) []string {
	t.Helper()
	sock, _ := Number("socket")
	sendto, _ := Number("sendto")
	d, txt := newText(opt)
	if err := d.Feed(benchRecord(sock, 100, 3, [6]uint64{unix.AF_NETLINK, unix.SOCK_RAW, proto})); err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if err := d.Feed(benchRecord(sendto, 100, int64(len(m)), [6]uint64{3, 0x1000, uint64(len(m)), 0x40}, wire.Cap{Arg: 1, Data: m})); err != nil {
			t.Fatal(err)
		}
	}
	out := strings.Split(strings.TrimSuffix(string(txt.TakeInto(nil)), "\n"), "\n")[1:]
	for i, l := range out {
		out[i] = strings.Join(strings.Fields(l), " ")
	}
	return out
}

func nlmsg(typ, flags uint16, seq, pid uint32, payload []byte) []byte {
	b := make([]byte, 16, 16+len(payload))
	binary.LittleEndian.PutUint32(b, uint32(16+len(payload)))
	binary.LittleEndian.PutUint16(b[4:], typ)
	binary.LittleEndian.PutUint16(b[6:], flags)
	binary.LittleEndian.PutUint32(b[8:], seq)
	binary.LittleEndian.PutUint32(b[12:], pid)
	return append(b, payload...)
}

// The lines are strace 6.1's for the same bytes (netlink_protocol,
// netlink_xfrm, netlink_selinux, nlattr_nlmsgerr).
func TestNetlinkMessages(t *testing.T) {
	opt := Options{StrSize: 32}
	noop := nlmsg(1, 0x301, 0, 0, []byte("abcd"))
	errMsg := nlmsg(2, 1, 0, 0, append([]byte{0xf3, 0xff, 0xff, 0xff}, nlmsg(1, 0x301, 42, 1234, nil)...))
	done := nlmsg(3, 2, 0, 0, []byte{0xed, 0xfe, 0xce, 0xfa})
	got := nlLines(t, opt, unix.NETLINK_SOCK_DIAG, []byte("abcd"), noop, append(append([]byte{}, noop...), noop...), errMsg, done,
		nlmsg(2, 0x301, 0, 0, nil), nlmsg(20, 1, 0, 0, []byte{0}))
	want := []string{
		`sendto(3, "\x61\x62\x63\x64", 4, MSG_DONTWAIT, NULL, 0) = 4`,
		`sendto(3, [{nlmsg_len=20, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=0, nlmsg_pid=0}, "\x61\x62\x63\x64"], 20, MSG_DONTWAIT, NULL, 0) = 20`,
		`sendto(3, [[{nlmsg_len=20, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=0, nlmsg_pid=0}, "\x61\x62\x63\x64"], [{nlmsg_len=20, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=0, nlmsg_pid=0}, "\x61\x62\x63\x64"]], 40, MSG_DONTWAIT, NULL, 0) = 40`,
		`sendto(3, [{nlmsg_len=36, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, {error=-EACCES, msg={nlmsg_len=16, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=42, nlmsg_pid=1234}}], 36, MSG_DONTWAIT, NULL, 0) = 36`,
		`sendto(3, [{nlmsg_len=20, nlmsg_type=NLMSG_DONE, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=0, nlmsg_pid=0}, -87097619], 20, MSG_DONTWAIT, NULL, 0) = 20`,
		`sendto(3, {nlmsg_len=16, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_REQUEST|NLM_F_CAPPED|NLM_F_ACK_TLVS, nlmsg_seq=0, nlmsg_pid=0}, 16, MSG_DONTWAIT, NULL, 0) = 16`,
		`sendto(3, [{nlmsg_len=17, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, {family=AF_UNSPEC}], 17, MSG_DONTWAIT, NULL, 0) = 17`,
	}
	checkLines(t, got, want)

	got = nlLines(t, opt, unix.NETLINK_XFRM, nlmsg(0x12, 0x300, 0, 0, nil), nlmsg(0x11, 0x108, 0, 0, nil))
	checkLines(t, got, []string{
		`sendto(3, {nlmsg_len=16, nlmsg_type=XFRM_MSG_GETSA, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, 16, MSG_DONTWAIT, NULL, 0) = 16`,
		`sendto(3, {nlmsg_len=16, nlmsg_type=XFRM_MSG_DELSA, nlmsg_flags=NLM_F_ECHO|NLM_F_NONREC, nlmsg_seq=0, nlmsg_pid=0}, 16, MSG_DONTWAIT, NULL, 0) = 16`,
	})

	got = nlLines(t, opt, unix.NETLINK_SELINUX, nlmsg(0x10, 1, 0, 0, []byte{0xab, 0xdf, 0xdc, 0xfb}), nlmsg(0xffff, 1, 0, 0, []byte("1234")))
	checkLines(t, got, []string{
		`sendto(3, [{nlmsg_len=20, nlmsg_type=SELNL_MSG_SETENFORCE, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, {val=-69410901}], 20, MSG_DONTWAIT, NULL, 0) = 20`,
		`sendto(3, [{nlmsg_len=20, nlmsg_type=0xffff /* SELNL_MSG_??? */, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, "\x31\x32\x33\x34"], 20, MSG_DONTWAIT, NULL, 0) = 20`,
	})

	// An extended ACK's attributes, after the capped message.
	ack := append([]byte{0xf3, 0xff, 0xff, 0xff}, nlmsg(1, 1, 0, 0, nil)...)
	binary.LittleEndian.PutUint32(ack[4:], 20)
	ack = append(ack, 6, 0, 3, 0, 0xab, 0xfe, 0, 0)
	got = nlLines(t, opt, unix.NETLINK_SOCK_DIAG, nlmsg(2, 0x101, 0, 0, ack)[:42])
	checkLines(t, got, []string{
		`sendto(3, [{nlmsg_len=44, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_REQUEST|NLM_F_CAPPED, nlmsg_seq=0, nlmsg_pid=0}, [{error=-EACCES, msg={nlmsg_len=20, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}}, [{nla_len=6, nla_type=NLMSGERR_ATTR_COOKIE}, [171, 254]]]], 42, MSG_DONTWAIT, NULL, 0) = 42`,
	})
}

// A buffer whose later bytes could not be read: the messages before them,
// then "... /* address */", as strace prints them.
func TestNetlinkPartial(t *testing.T) {
	sock, _ := Number("socket")
	sendto, _ := Number("sendto")
	d, txt := newText(Options{StrSize: 32})
	d.Feed(benchRecord(sock, 100, 3, [6]uint64{unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_SOCK_DIAG}))
	m := nlmsg(1, 0x301, 0, 0, []byte("abcd"))
	d.Feed(benchRecord(sendto, 100, -14, [6]uint64{3, 0x1000, 40, 0x40}, wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: m}))
	got := strings.Join(strings.Fields(strings.Split(string(txt.TakeInto(nil)), "\n")[1]), " ")
	checkLine(t, got, `sendto(3, [[{nlmsg_len=20, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=0, nlmsg_pid=0}, "\x61\x62\x63\x64"], ... /* 0x1014 */], 40, MSG_DONTWAIT, NULL, 0) = -1 EFAULT (Bad address)`)
}

// A socket the decoder did not see made is asked of the kernel: its
// inode in /proc, its protocol from sock_diag (which lists bound sockets,
// as strace's tests' sockets are).
func TestNetlinkFamilyOfFd(t *testing.T) {
	nl, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_XFRM)
	if err != nil {
		t.Skip(err)
	}
	defer unix.Close(nl)
	if err := unix.Bind(nl, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Skip(err)
	}
	udp, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(udp)
	f := newNlFamilies()
	pid := uint32(os.Getpid())
	if got := f.family(pid, int32(nl)); got != unix.NETLINK_XFRM {
		t.Errorf("netlink socket: protocol %d, want %d", got, unix.NETLINK_XFRM)
	}
	if got := f.family(pid, int32(udp)); got != -1 {
		t.Errorf("UDP socket: protocol %d, want -1", got)
	}
	if got := f.family(pid, 0); got != -1 {
		t.Errorf("stdin: protocol %d, want -1", got)
	}
	dumps := f.dumps
	f.family(pid, int32(nl))
	if f.dumps != dumps {
		t.Errorf("a known socket's protocol was asked again")
	}
}

// NETLINK_ROUTE: a message's header struct, then its attributes (strace's
// nlattr_ifaddrmsg and nlattr_cachereport lines).
func TestNetlinkRoute(t *testing.T) {
	ifa := []byte{2, 0, 1, 0, 0, 0, 0, 0, 8, 0, 1, 0, 12, 34, 56, 78}
	creport := []byte{128, 0, 0, 0, 16, 0, 2, 0, 1, 0, 0, 0, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b}
	got := nlLines(t, Options{StrSize: 32}, unix.NETLINK_ROUTE, nlmsg(22, 0x300, 0, 0, ifa), nlmsg(96, 0xa00, 0, 0, creport),
		nlmsg(22, 0x300, 0, 0, ifa[:5]))
	checkLines(t, got, []string{
		`sendto(3, [{nlmsg_len=32, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {ifa_family=AF_INET, ifa_prefixlen=0, ifa_flags=IFA_F_SECONDARY, ifa_scope=RT_SCOPE_UNIVERSE, ifa_index=0}, [{nla_len=8, nla_type=IFA_ADDRESS}, inet_addr("12.34.56.78")]], 32, MSG_DONTWAIT, NULL, 0) = 32`,
		`sendto(3, [{nlmsg_len=36, nlmsg_type=RTM_NEWCACHEREPORT, nlmsg_flags=NLM_F_EXCL|NLM_F_APPEND, nlmsg_seq=0, nlmsg_pid=0}, {rtgen_family=RTNL_FAMILY_IPMR}, [{nla_len=16, nla_type=IPMRA_CREPORT_VIF_ID}, 1]], 36, MSG_DONTWAIT, NULL, 0) = 36`,
		`sendto(3, [{nlmsg_len=21, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {ifa_family=AF_INET, ...}], 21, MSG_DONTWAIT, NULL, 0) = 21`,
	})
}

// TestNetlinkNexthop: RTM_*NEXTHOP's attributes (rtnl_nh.c): an id, a
// group of struct nexthop_grp (a reserved field only when not 0), and the
// nested resilient group attributes.
func TestNetlinkNexthop(t *testing.T) {
	nh := []byte{2, 0, 0, 0, 0, 0, 0, 0,
		8, 0, 1, 0, 7, 0, 0, 0, // NHA_ID 7
		20, 0, 2, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 5, 0, 0, // NHA_GROUP
		12, 0, 12, 0, 6, 0, 1, 0, 8, 0, 0, 0} // NHA_RES_GROUP {NHA_RES_GROUP_BUCKETS 8}
	got := nlLines(t, Options{StrSize: 32}, unix.NETLINK_ROUTE, nlmsg(106, 0x300, 0, 0, nh))
	checkLines(t, got, []string{
		`sendto(3, [{nlmsg_len=64, nlmsg_type=RTM_GETNEXTHOP, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {nh_family=AF_INET, nh_scope=RT_SCOPE_UNIVERSE, nh_protocol=RTPROT_UNSPEC, nh_flags=0}, [[{nla_len=8, nla_type=NHA_ID}, 7], [{nla_len=20, nla_type=NHA_GROUP}, [{id=1, weight=2}, {id=3, weight=0, resvd1=0x5}]], [{nla_len=12, nla_type=NHA_RES_GROUP}, [{nla_len=6, nla_type=NHA_RES_GROUP_BUCKETS}, 8]]]], 64, MSG_DONTWAIT, NULL, 0) = 64`,
	})
}
