package strace

// RTM_*NEXTHOP's attributes, as strace 6.1's rtnl_nh.c decodes them.

// shape: table
var (
	nhaResGroupAttrs = nlAttrTable{names: rtnlNhaResGroupAttrs, dflt: "NHA_RES_GROUP_???", decoders: map[uint16]nlaDecoder{
		1: nlaU16, 2: nlaClockT, 3: nlaClockT, 4: nlaClockT,
	}}
	nhaResBucketAttrs = nlAttrTable{names: rtnlNhaResBucketAttrs, dflt: "NHA_RES_BUCKET_???", decoders: map[uint16]nlaDecoder{
		1: nlaU16, 2: nlaClockT, 3: nlaU32,
	}}
	nhmsgAttrs = nlAttrTable{names: rtnlNexthopAttrs, dflt: "NHA_???", decoders: map[uint16]nlaDecoder{
		1:  nlaU32,                                                  // NHA_ID
		2:  nlaNhGroup,                                              // NHA_GROUP
		3:  nlaXval(rtnlNexthopGrpTypes, "NEXTHOP_GRP_TYPE_???", 2), // NHA_GROUP_TYPE
		4:  nlaU32,                                                  // NHA_BLACKHOLE
		5:  nlaIfindex,                                              // NHA_OIF
		6:  nlaHdrAddr,                                              // NHA_GATEWAY
		7:  nlaXval(lwtunnelEncapTypes, "LWTUNNEL_ENCAP_???", 2),    // NHA_ENCAP_TYPE
		9:  nlaU32,                                                  // NHA_GROUPS
		10: nlaIfindex,                                              // NHA_MASTER
		11: nlaU32,                                                  // NHA_FDB
		12: nlaNested(&nhaResGroupAttrs),                            // NHA_RES_GROUP
		13: nlaNested(&nhaResBucketAttrs),                           // NHA_RES_BUCKET
	}}
)

// nlaNhGroup is decode_nha_nh_grp: struct nexthop_grp elements (id,
// weight, and the reserved fields when not 0).
func nlaNhGroup(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 8 {
		return false
	}
	p := d.p
	d.array(addr, n-n%8, 8, func(b []byte) {
		p.s("{id=")
		p.u(uint64(le.Uint32(b)))
		p.s(", weight=")
		p.u(uint64(b[4]))
		if b[5] != 0 {
			p.s(", resvd1=")
			p.x(uint64(b[5]))
		}
		if r := le.Uint16(b[6:]); r != 0 {
			p.s(", resvd2=")
			p.x(uint64(r))
		}
		p.c('}')
	})
	return true
}
