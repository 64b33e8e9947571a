package strace

import (
	"encoding/binary"
	"testing"

	"golang.org/x/sys/unix"
)

// nla is a netlink attribute: its header, then payload.
func nla(typ uint16, payload ...byte) []byte {
	b := make([]byte, 4, 4+len(payload))
	binary.LittleEndian.PutUint16(b, uint16(4+len(payload)))
	binary.LittleEndian.PutUint16(b[2:], typ)
	return append(b, payload...)
}

func le32s(vs ...uint32) []byte {
	b := make([]byte, 0, 4*len(vs))
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// TestNetlinkPacketDiag: an AF_PACKET sock_diag answer and its attributes
// (strace 6.1's nlattr_packet_diag_msg lines), a socket filter's
// instructions with -v.
func TestNetlinkPacketDiag(t *testing.T) {
	msg := []byte{17, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	info := nla(0, le32s(1, 2, 0xcfaacdaf, 0xdabacdaf, 0xeafbaadf, 1)...)
	filter := nla(7, le32s(0x30, 0xfffff004, 6, 0x2a)...)
	mc := nla(1, append(le32s(1, 0xabcdaefc, 0x0004cdaf), []byte("1234")...)...)
	mc = append(mc, make([]byte, 28)...)
	binary.LittleEndian.PutUint16(mc, uint16(len(mc)))
	got := nlLines(t, Options{StrSize: 32, Abbrev: []uint32{}}, unix.NETLINK_SOCK_DIAG,
		nlmsg(20, 0x300, 0, 0, append(append([]byte{}, msg...), info...)),
		nlmsg(20, 0x300, 0, 0, append(append([]byte{}, msg...), filter...)),
		nlmsg(20, 0x300, 0, 0, append(append([]byte{}, msg...), mc...)))
	checkLines(t, got, []string{
		`sendto(3, [{nlmsg_len=60, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {pdiag_family=AF_PACKET, pdiag_type=SOCK_STREAM, pdiag_num=ETH_P_ALL, pdiag_ino=0, pdiag_cookie=[0, 0]}, [{nla_len=28, nla_type=PACKET_DIAG_INFO}, {pdi_index=if_nametoindex("lo"), pdi_version=TPACKET_V3, pdi_reserve=3484077487, pdi_copy_thresh=3669675439, pdi_tstamp=3942361823, pdi_flags=PDI_RUNNING}]], 60, MSG_DONTWAIT, NULL, 0) = 60`,
		`sendto(3, [{nlmsg_len=52, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {pdiag_family=AF_PACKET, pdiag_type=SOCK_STREAM, pdiag_num=ETH_P_ALL, pdiag_ino=0, pdiag_cookie=[0, 0]}, [{nla_len=20, nla_type=PACKET_DIAG_FILTER}, [BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF+SKF_AD_PKTTYPE), BPF_STMT(BPF_RET|BPF_K, 0x2a)]]], 52, MSG_DONTWAIT, NULL, 0) = 52`,
		`sendto(3, [{nlmsg_len=80, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {pdiag_family=AF_PACKET, pdiag_type=SOCK_STREAM, pdiag_num=ETH_P_ALL, pdiag_ino=0, pdiag_cookie=[0, 0]}, [{nla_len=48, nla_type=PACKET_DIAG_MCLIST}, [{pdmc_index=if_nametoindex("lo"), pdmc_count=2882383612, pdmc_type=52655, pdmc_alen=4, pdmc_addr="\x31\x32\x33\x34"}]]], 80, MSG_DONTWAIT, NULL, 0) = 80`,
	})
}

// TestNetlinkInetDiagMsg: an AF_INET sock_diag answer and its attributes
// (strace 6.1's nlattr_inet_diag_msg lines): shutdown flags in -X
// verbose's style, socket options' bits and the bytes after them, TLS's
// nested attributes.
func TestNetlinkInetDiagMsg(t *testing.T) {
	msg := make([]byte, 72)
	msg[0], msg[1] = 2, 10
	copy(msg[8:], []byte{10, 11, 12, 13})
	copy(msg[24:], []byte{10, 11, 12, 13})
	msg[40] = 1
	head := `{idiag_family=AF_INET, idiag_state=TCP_LISTEN, idiag_timer=0, idiag_retrans=0, id={idiag_sport=htons(0), idiag_dport=htons(0), idiag_src=inet_addr("10.11.12.13"), idiag_dst=inet_addr("10.11.12.13"), idiag_if=if_nametoindex("lo"), idiag_cookie=[0, 0]}, idiag_expires=0, idiag_rqueue=0, idiag_wqueue=0, idiag_uid=0, idiag_inode=0}`
	with := func(a []byte) []byte { return nlmsg(20, 0x300, 0, 0, append(append([]byte{}, msg...), a...)) }
	got := nlLines(t, Options{StrSize: 32}, unix.NETLINK_SOCK_DIAG,
		with(nla(8, 0x17)), with(nla(22, 0xff, 0xff, 0, 0xff)),
		with(nla(19, nla(2, nla(1, 0x03, 0x03)...)...)))
	checkLines(t, got, []string{
		`sendto(3, [{nlmsg_len=93, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, ` + head + `, [{nla_len=5, nla_type=INET_DIAG_SHUTDOWN}, 0x17 /* RCV_SHUTDOWN|SEND_SHUTDOWN|0x14 */]], 93, MSG_DONTWAIT, NULL, 0) = 93`,
		`sendto(3, [{nlmsg_len=96, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, ` + head + `, [{nla_len=8, nla_type=INET_DIAG_SOCKOPT}, {recverr=1, is_icsk=1, freebind=1, hdrincl=1, mc_loop=1, transparent=1, mc_all=1, nodefrag=1, bind_address_no_port=1, recverr_rfc4884=1, defer_connect=1, unused=0x1f /* bits 3..8 */}, /* bytes 2..3 */ "\x00\xff"]], 96, MSG_DONTWAIT, NULL, 0) = 96`,
		`sendto(3, [{nlmsg_len=102, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, ` + head + `, [{nla_len=14, nla_type=INET_DIAG_ULP_INFO}, [{nla_len=10, nla_type=INET_ULP_INFO_TLS}, [{nla_len=6, nla_type=TLS_INFO_VERSION}, TLS_1_2_VERSION]]]], 102, MSG_DONTWAIT, NULL, 0) = 102`,
	})
}

// TestNetlinkLinkinfoAfSpec: IFLA_LINKINFO's data by the kind named
// before it, and IFLA_AF_SPEC's by family (AF_INET's devconf values, an
// AF_BRIDGE message's VLAN info), as strace 6.1's nlattr_ifla_linkinfo
// and nlattr_ifla_af_spec print them.
func TestNetlinkLinkinfoAfSpec(t *testing.T) {
	ifi := func(fam byte) []byte { return []byte{fam, 0, 4, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0} }
	with := func(fam byte, a []byte) []byte { return nlmsg(18, 0x300, 0, 0, append(ifi(fam), a...)) }
	pad := func(b []byte) []byte { return append(b, make([]byte, (4-len(b)%4)%4)...) }
	boolopt := nla(2, nla(46, le32s(1, 2)...)...)
	linkinfo := nla(18, append(pad(nla(1, []byte("bridge\x00")...)), boolopt...)...)
	// The data before the kind is not the bridge's.
	early := nla(18, append(append([]byte{}, boolopt...), pad(nla(1, []byte("bridge\x00")...))...)...)
	afInet := nla(26, nla(2, nla(1, le32s(0xdeadc0de, 0xda7aface)...)...)...)
	vlan := nla(26, nla(2, 3, 0, 0x2a, 0, 0xff, 0xfe)...)
	got := nlLines(t, Options{StrSize: 32}, unix.NETLINK_ROUTE, with(1, linkinfo), with(1, early), with(0, afInet), with(7, vlan))
	const h = `nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, {ifi_family=`
	const i = `, ifi_type=ARPHRD_LOOPBACK, ifi_index=if_nametoindex("lo"), ifi_flags=IFF_UP, ifi_change=0}, `
	checkLines(t, got, []string{
		`sendto(3, [{nlmsg_len=64, ` + h + `AF_UNIX` + i + `[{nla_len=32, nla_type=IFLA_LINKINFO}, [[{nla_len=11, nla_type=IFLA_INFO_KIND}, "bridge"], [{nla_len=16, nla_type=IFLA_INFO_DATA}, [{nla_len=12, nla_type=IFLA_BR_MULTI_BOOLOPT}, {optval=1<<BR_BOOLOPT_NO_LL_LEARN, optmask=1<<BR_BOOLOPT_MCAST_VLAN_SNOOPING}]]]]], 64, MSG_DONTWAIT, NULL, 0) = 64`,
		`sendto(3, [{nlmsg_len=64, ` + h + `AF_UNIX` + i + `[{nla_len=32, nla_type=IFLA_LINKINFO}, [[{nla_len=16, nla_type=IFLA_INFO_DATA}, "\x0c\x00\x2e\x00\x01\x00\x00\x00\x02\x00\x00\x00"], [{nla_len=11, nla_type=IFLA_INFO_KIND}, "bridge"]]]], 64, MSG_DONTWAIT, NULL, 0) = 64`,
		`sendto(3, [{nlmsg_len=52, ` + h + `AF_UNSPEC` + i + `[{nla_len=20, nla_type=IFLA_AF_SPEC}, [{nla_len=16, nla_type=AF_INET}, [{nla_len=12, nla_type=IFLA_INET_CONF}, [[IPV4_DEVCONF_FORWARDING-1]=-559038242, [IPV4_DEVCONF_MC_FORWARDING-1]=-629474610]]]]], 52, MSG_DONTWAIT, NULL, 0) = 52`,
		`sendto(3, [{nlmsg_len=46, ` + h + `AF_BRIDGE` + i + `[{nla_len=14, nla_type=IFLA_AF_SPEC}, [{nla_len=10, nla_type=IFLA_BRIDGE_VLAN_INFO}, {flags=BRIDGE_VLAN_INFO_MASTER|BRIDGE_VLAN_INFO_PVID, vid=42}, "\xff\xfe"]]], 46, MSG_DONTWAIT, NULL, 0) = 46`,
	})
}
