package strace

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Netlink messages in sendmsg's, recvmsg's and sendmmsg's iovecs. The
// expected lines are strace 6.1's for the same bytes: the oracle
// workload's program (oracle_netlink_test.go) and one sending from the
// end of a page, under strace -e trace=sendmsg,recvmsg,sendmmsg.

// nlIov is an iovec and the bytes captured of its data (nil: none;
// part: they end at a page that could not be read).
type nlIov struct {
	base, len uint64
	data      []byte
	part      bool
}

// nlMsghdrCaps are the captures of a struct msghdr (argument arg, element
// base) naming an AF_NETLINK address (or none: named false) with iovs.
func nlMsghdrCaps(arg uint8, base int, named bool, iovs []nlIov) []wire.Cap {
	hdr := make([]byte, msghdrSize)
	le := binary.LittleEndian
	sa := []byte{unix.AF_NETLINK, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	var caps []wire.Cap
	if named {
		le.PutUint64(hdr, 0x7000)
		le.PutUint32(hdr[8:], uint32(len(sa)))
		caps = append(caps, wire.Cap{Arg: arg, Idx: uint16(base + wire.MsgName), Data: sa})
	}
	le.PutUint64(hdr[16:], 0x8000)
	le.PutUint64(hdr[24:], uint64(len(iovs)))
	caps = append(caps, wire.Cap{Arg: arg, Idx: uint16(base + wire.MsgHdr), Data: hdr})
	arr := make([]byte, 16*len(iovs))
	for k, v := range iovs {
		le.PutUint64(arr[16*k:], v.base)
		le.PutUint64(arr[16*k+8:], v.len)
	}
	caps = append(caps, wire.Cap{Arg: arg, Idx: uint16(base + wire.MsgIov), Data: arr})
	for k, v := range iovs {
		if v.data == nil {
			continue
		}
		c := wire.Cap{Arg: arg, Idx: uint16(base + wire.MsgIov + 1 + k), Data: v.data}
		if v.part {
			c.Flags = wire.CapFault | wire.CapPart
		}
		caps = append(caps, c)
	}
	return caps
}

// nlMsgLines decodes socket(AF_NETLINK, SOCK_RAW, proto) = 3 and then
// recs (number, result, arguments, captures), returning their lines.
func nlMsgLines(t *testing.T, opt Options, proto uint64, recs ...func() (uint32, int64, [6]uint64, []wire.Cap)) []string {
	t.Helper()
	sock, _ := Number("socket")
	d, txt := newText(opt)
	if err := d.Feed(benchRecord(sock, 100, 3, [6]uint64{unix.AF_NETLINK, unix.SOCK_RAW, proto})); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		nr, ret, args, caps := r()
		if err := d.Feed(benchRecord(nr, 100, ret, args, caps...)); err != nil {
			t.Fatal(err)
		}
	}
	out := strings.Split(strings.TrimSuffix(string(txt.TakeInto(nil)), "\n"), "\n")[1:]
	for i, l := range out {
		out[i] = strings.Join(strings.Fields(l), " ")
	}
	return out
}

func sendmsgRec(ret int64, flags uint64, named bool, iovs ...nlIov) func() (uint32, int64, [6]uint64, []wire.Cap) {
	return func() (uint32, int64, [6]uint64, []wire.Cap) {
		nr, _ := Number("sendmsg")
		return nr, ret, [6]uint64{3, 0x6000, flags}, nlMsghdrCaps(1, 0, named, iovs)
	}
}

func recvmsgRec(ret int64, flags uint64, iovs ...nlIov) func() (uint32, int64, [6]uint64, []wire.Cap) {
	return func() (uint32, int64, [6]uint64, []wire.Cap) {
		nr, _ := Number("recvmsg")
		caps := append(nlMsghdrCaps(1, 0, true, iovs), wire.Cap{Arg: 1, Idx: wire.EntryIdx, Data: []byte{12, 0, 0, 0}})
		return nr, ret, [6]uint64{3, 0x6000, flags}, caps
	}
}

func TestNetlinkMsghdr(t *testing.T) {
	const name = `msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12`
	// RTM_GETADDR dump of AF_INET on ifindex 1, split after the header.
	req := nlmsg(unix.RTM_GETADDR, 0x301, 1, 0, []byte{2, 0, 0, 0, 1, 0, 0, 0})
	// The reply: RTM_NEWADDR of 127.0.0.1/8 on lo, read into 16 bytes
	// and the rest; the dump's end read into one of 8192.
	addr := nlmsg(unix.RTM_NEWADDR, 0x22, 1, 28845, []byte{2, 8, 0x80, 0xfe, 1, 0, 0, 0,
		8, 0, 1, 0, 0x7f, 0, 0, 1, 8, 0, 2, 0, 0x7f, 0, 0, 1, 7, 0, 3, 0, 'l', 'o', 0, 0,
		8, 0, 8, 0, 0x80, 0, 0, 0, 0x14, 0, 6, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8})
	done := nlmsg(unix.NLMSG_DONE, 0x22, 1, 28845, []byte{0, 0, 0, 0})
	// A request sent without a name: a string.
	bad := nlmsg(unix.RTM_GETADDR, 0x301, 3, 0, []byte{10, 1, 0, 0, 1, 0, 0, 0})
	got := nlMsgLines(t, Options{StrSize: 32}, unix.NETLINK_ROUTE,
		sendmsgRec(24, 0, true, nlIov{0x9000, 16, req[:16], false}, nlIov{0x9010, 8, req[16:], false}),
		recvmsgRec(76, unix.MSG_PEEK|unix.MSG_TRUNC, nlIov{0, 0, nil, false}),
		recvmsgRec(76, 0, nlIov{0xa000, 16, addr[:16], false}, nlIov{0xa010, 8176, addr[16:], false}),
		recvmsgRec(20, 0, nlIov{0xa000, 8192, done, false}),
		sendmsgRec(24, 0, false, nlIov{0x9000, 24, bad, false}),
	)
	checkLines(t, got, []string{
		`sendmsg(3, {` + name + `, msg_iov=[{iov_base={nlmsg_len=24, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=1, nlmsg_pid=0}, iov_len=16}, {iov_base="\x02\x00\x00\x00\x01\x00\x00\x00", iov_len=8}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = 24`,
		`recvmsg(3, {` + name + `, msg_iov=[{iov_base=NULL, iov_len=0}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, MSG_PEEK|MSG_TRUNC) = 76`,
		`recvmsg(3, {` + name + `, msg_iov=[{iov_base={nlmsg_len=76, nlmsg_type=RTM_NEWADDR, nlmsg_flags=NLM_F_MULTI|NLM_F_DUMP_FILTERED, nlmsg_seq=1, nlmsg_pid=28845}, iov_len=16}, {iov_base=[{nlmsg_len=4269803522, nlmsg_type=NLMSG_NOOP, nlmsg_flags=0, nlmsg_seq=65544, nlmsg_pid=16777343}, "\x08\x00\x02\x00\x7f\x00\x00\x01\x07\x00\x03\x00\x6c\x6f\x00\x00\x08\x00\x08\x00\x80\x00\x00\x00\x14\x00\x06\x00\xff\xff\xff\xff"...], iov_len=8176}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = 76`,
		`recvmsg(3, {` + name + `, msg_iov=[{iov_base=[{nlmsg_len=20, nlmsg_type=NLMSG_DONE, nlmsg_flags=NLM_F_MULTI|NLM_F_DUMP_FILTERED, nlmsg_seq=1, nlmsg_pid=28845}, 0], iov_len=8192}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 20`,
		`sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\30\0\0\0\26\0\1\3\3\0\0\0\0\0\0\0\n\1\0\0\1\0\0\0", iov_len=24}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 24`,
	})
}

// Data the capture could not read (the page past the first message):
// strace's "... /* addr */", in the array of messages it was reading.
func TestNetlinkMsghdrCut(t *testing.T) {
	noop := nlmsg(unix.NLMSG_NOOP, 1, 7, 0, []byte("abcd"))
	got := nlMsgLines(t, Options{StrSize: 32}, unix.NETLINK_ROUTE,
		sendmsgRec(-14, unix.MSG_DONTWAIT, true, nlIov{0xafec, 40, noop, true}))
	checkLines(t, got, []string{
		`sendmsg(3, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12, msg_iov=[{iov_base=[[{nlmsg_len=20, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=7, nlmsg_pid=0}, "\x61\x62\x63\x64"], ... /* 0xb000 */], iov_len=40}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, MSG_DONTWAIT) = -1 EFAULT (Bad address)`,
	})
}

// sendmmsg: each message's iovecs by its own name.
func TestNetlinkMmsghdr(t *testing.T) {
	g := nlmsg(unix.NLMSG_NOOP, 1, 8, 0, nil)
	rec := func() (uint32, int64, [6]uint64, []wire.Cap) {
		nr, _ := Number("sendmmsg")
		caps := nlMsghdrCaps(1, 0, true, []nlIov{{0x9000, 16, g, false}})
		caps = append(caps, nlMsghdrCaps(1, 1<<wire.MsgShift, false, []nlIov{{0x9000, 16, g, false}})...)
		// msg_len of each: the 8 bytes past the struct msghdr.
		for k := range caps {
			if caps[k].Idx&(1<<wire.MsgShift-1) == wire.MsgHdr {
				caps[k].Data = append(caps[k].Data, 16, 0, 0, 0, 0, 0, 0, 0)
			}
		}
		return nr, 2, [6]uint64{3, 0x6000, 2, unix.MSG_DONTWAIT}, caps
	}
	got := nlMsgLines(t, Options{StrSize: 32}, unix.NETLINK_ROUTE, rec)
	checkLines(t, got, []string{
		`sendmmsg(3, [{msg_hdr={msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12, msg_iov=[{iov_base={nlmsg_len=16, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=8, nlmsg_pid=0}, iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=16}, {msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\20\0\0\0\1\0\1\0\10\0\0\0\0\0\0\0", iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=16}], 2, MSG_DONTWAIT) = 2`,
	})
}
