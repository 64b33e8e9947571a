package strace

// The names of netlink messages' types and flags by protocol (netlink.c's
// nlmsg_types, nlmsg_flags); the xlat tables are in znetlink_xlat.go.

// nlTypeTables name the types of the protocols whose types are one table.
var nlTypeTables = map[int]struct {
	tab  []flag
	dflt string
}{
	nlAudit:    {nlAuditTypes, "AUDIT_???"},
	nlCrypto:   {nlCryptoTypes, "CRYPTO_MSG_???"},
	nlRoute:    {nlRouteTypes, "RTM_???"},
	nlSelinux:  {nlSelinuxTypes, "SELNL_MSG_???"},
	nlSockDiag: {nlSockDiagTypes, "SOCK_DIAG_???"},
	nlXfrm:     {nlXfrmTypes, "XFRM_MSG_???"},
}

// The flag sets a message's type adds to netlink_flags.
const (
	nlfNone = iota
	nlfGet
	nlfNew
	nlfDelete
	nlfAck
	nlfCount
)

// nlFlagSets are netlink_flags followed by each set's flags, as
// printflags_ex prints them: the first table's names first.
var nlFlagSets = func() (s [nlfCount][]flag) {
	for i, more := range [nlfCount][]flag{nil, nlGetFlags, nlNewFlags, nlDeleteFlags, nlAckFlags} {
		s[i] = append(append([]flag{}, nlFlags...), more...)
	}
	return s
}()

// nlFlagsByType gives the flag set of a protocol's message type.
var nlFlagsByType = map[int]func(t uint16) int{
	nlCrypto:    func(t uint16) int { return nlTypeSets[nlCrypto][t] },
	nlNetfilter: func(t uint16) int { return nlTypeSets[nlNetfilter][t] },
	nlXfrm:      func(t uint16) int { return nlTypeSets[nlXfrm][t] },
	nlSockDiag:  func(uint16) int { return nlfGet },
	nlRoute: func(t uint16) int {
		if t == rtmDelAction { // RTM_DELACTION takes NLM_F_ROOT's flags
			return nlfGet
		}
		return [4]int{nlfNew, nlfDelete, nlfGet, nlfNone}[t&3]
	},
}

const rtmDelAction = 49

// nlTypeSetNames are the types of each flag set, by protocol; a
// netfilter type is SUBSYS<<8|type, named as its subsystem's table
// names it.
var nlTypeSetNames = map[int]map[int][]string{
	nlCrypto: {
		nlfNew:    {"CRYPTO_MSG_NEWALG"},
		nlfDelete: {"CRYPTO_MSG_DELALG", "CRYPTO_MSG_DELRNG"},
		nlfGet:    {"CRYPTO_MSG_GETALG"},
	},
	nlXfrm: {
		nlfNew: {"XFRM_MSG_NEWSA", "XFRM_MSG_NEWPOLICY", "XFRM_MSG_NEWAE", "XFRM_MSG_NEWSADINFO",
			"XFRM_MSG_NEWSPDINFO"},
		nlfDelete: {"XFRM_MSG_DELSA", "XFRM_MSG_DELPOLICY"},
		nlfGet: {"XFRM_MSG_GETSA", "XFRM_MSG_GETPOLICY", "XFRM_MSG_GETAE", "XFRM_MSG_GETSADINFO",
			"XFRM_MSG_GETSPDINFO"},
	},
	nlNetfilter: {
		nlfNew: {"IPCTNL_MSG_CT_NEW", "IPCTNL_MSG_EXP_NEW", "NFNL_MSG_ACCT_NEW", "IPCTNL_MSG_TIMEOUT_NEW",
			"NFNL_MSG_CTHELPER_NEW", "NFT_MSG_NEWTABLE", "NFT_MSG_NEWCHAIN", "NFT_MSG_NEWRULE",
			"NFT_MSG_NEWSET", "NFT_MSG_NEWSETELEM", "NFT_MSG_NEWGEN", "NFT_MSG_NEWOBJ", "NFT_MSG_NEWFLOWTABLE"},
		nlfGet: {"IPCTNL_MSG_CT_GET", "IPCTNL_MSG_CT_GET_CTRZERO", "IPCTNL_MSG_CT_GET_STATS_CPU",
			"IPCTNL_MSG_CT_GET_STATS", "IPCTNL_MSG_CT_GET_DYING", "IPCTNL_MSG_CT_GET_UNCONFIRMED",
			"IPCTNL_MSG_EXP_GET", "IPCTNL_MSG_EXP_GET_STATS_CPU", "NFNL_MSG_ACCT_GET",
			"NFNL_MSG_ACCT_GET_CTRZERO", "IPCTNL_MSG_TIMEOUT_GET", "NFNL_MSG_CTHELPER_GET",
			"NFT_MSG_GETTABLE", "NFT_MSG_GETCHAIN", "NFT_MSG_GETRULE", "NFT_MSG_GETSET",
			"NFT_MSG_GETSETELEM", "NFT_MSG_GETGEN", "NFT_MSG_GETOBJ", "NFT_MSG_GETOBJ_RESET",
			"NFT_MSG_GETFLOWTABLE", "NFNL_MSG_COMPAT_GET", "NFNL_MSG_HOOK_GET"},
		nlfDelete: {"IPCTNL_MSG_CT_DELETE", "IPCTNL_MSG_EXP_DELETE", "NFNL_MSG_ACCT_DEL",
			"IPCTNL_MSG_TIMEOUT_DELETE", "NFNL_MSG_CTHELPER_DEL", "NFT_MSG_DELTABLE", "NFT_MSG_DELCHAIN",
			"NFT_MSG_DELRULE", "NFT_MSG_DELSET", "NFT_MSG_DELSETELEM", "NFT_MSG_DELOBJ",
			"NFT_MSG_DELFLOWTABLE"},
	},
}

// nfSubsysTypes are the netfilter subsystems' message types
// (nf_nlmsg_types), by subsystem id.
var nfSubsysTypes = map[uint8]struct {
	tab  []flag
	dflt string
}{
	1: {nfCtnetlinkMsgTypes, "IPCTNL_MSG_CT_???"}, 2: {nfCtnetlinkExpMsgTypes, "IPCTNL_MSG_EXP_???"},
	3: {nfQueueMsgTypes, "NFQNL_MSG_???"}, 4: {nfUlogMsgTypes, "NFULNL_MSG_???"}, 5: {nfOsfMsgTypes, "OSF_MSG_???"},
	6: {nfIpsetMsgTypes, "IPSET_CMD_???"}, 7: {nfAcctMsgTypes, "NFNL_MSG_ACCT_???"},
	8: {nfCttimeoutMsgTypes, "IPCTNL_MSG_TIMEOUT_???"}, 9: {nfCthelperMsgTypes, "NFNL_MSG_CTHELPER_???"},
	10: {nfNftablesMsgTypes, "NFT_MSG_???"}, 11: {nfNftCompatMsgTypes, "NFNL_MSG_COMPAT_???"},
	12: {nfHookMsgTypes, "NFT_MSG_HOOK_???"},
}

// nlTypeSets is nlTypeSetNames by value.
var nlTypeSets = func() map[int]map[uint16]int {
	out := map[int]map[uint16]int{}
	for fam, sets := range nlTypeSetNames {
		m := map[uint16]int{}
		for set, names := range sets {
			for _, name := range names {
				v, ok := nlTypeValue(fam, name)
				if !ok {
					panic("strace: netlink type " + name + " has no value")
				}
				m[v] = set
			}
		}
		out[fam] = m
	}
	return out
}()

func nlTypeValue(fam int, name string) (uint16, bool) {
	if fam != nlNetfilter {
		for _, f := range nlTypeTables[fam].tab {
			if f.name == name {
				return uint16(f.v), true
			}
		}
		return 0, false
	}
	for id, st := range nfSubsysTypes {
		for _, f := range st.tab {
			if f.name == name {
				return uint16(id)<<8 | uint16(f.v), true
			}
		}
	}
	return 0, false
}

// netfilterType is decode_nlmsg_type_netfilter: the control messages by
// name, the others as SUBSYS<<8|TYPE.
func (d *nlDec) netfilterType(t uint16) {
	p := d.p
	if name := lookupName(uint64(t), nlNetfilterMsgTypes); name != "" {
		p.constVal(uint64(t), 'x', name)
		return
	}
	sub, typ := uint8(t>>8), uint8(t)
	p.xlat(uint64(sub), nlNetfilterSubsys, "/NFNL_SUBSYS_???")
	p.s("<<8|")
	if st, ok := nfSubsysTypes[sub]; ok {
		p.xlat(uint64(typ), st.tab, "/"+st.dflt)
		return
	}
	hexOrZero(p, uint64(typ))
}
