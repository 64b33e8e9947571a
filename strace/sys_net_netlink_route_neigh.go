package strace

// Neighbours' and neighbour tables' attributes (strace 6.1's rtnl_neigh.c,
// rtnl_neightbl.c).

func init() {
	ndmsgAttrs.decoders = map[uint16]nlaDecoder{
		1: nlaHdrAddr, 2: nlaHwaddr,
		3: nlaStruct(16, nlF{"ndm_confirmed", 0, 4, 'u'}, nlF{"ndm_used", 4, 4, 'u'}, nlF{"ndm_updated", 8, 4, 'u'},
			nlF{"ndm_refcnt", 12, 4, 'u'}),
		4: nlaU32, 5: nlaU16, 6: nlaBe16, 7: nlaU32, 8: nlaIfindex, 9: nlaIfindex, 10: nlaU32, 11: nlaU32,
		12: nlaIPProto, 13: nlaU32, 14: nlaNested(&ndaFdbExtAttrs),
		15: nlaFlagsN(neighborCacheEntryExtFlags, "NTF_EXT_???", 4),
		16: nlaFlagsN(neighborCacheEntryStates, "NUD_???", 2),
		17: nlaFlagsN(neighborCacheEntryFlags, "NTF_???", 1),
	}
	ndtmsgAttrs.decoders = map[uint16]nlaDecoder{
		1: nlaStr, 2: nlaU32, 3: nlaU32, 4: nlaU32,
		5: nlaStruct(32, nlF{"ndtc_key_len", 0, 2, 'u'}, nlF{"ndtc_entry_size", 2, 2, 'u'}, nlF{"ndtc_entries", 4, 4, 'u'},
			nlF{"ndtc_last_flush", 8, 4, 'u'}, nlF{"ndtc_last_rand", 12, 4, 'u'}, nlF{"ndtc_hash_rnd", 16, 4, 'u'},
			nlF{"ndtc_hash_mask", 20, 4, 'x'}, nlF{"ndtc_hash_chain_gc", 24, 4, 'u'}, nlF{"ndtc_proxy_qlen", 28, 4, 'u'}),
		6: nlaNested(&ndtParmsAttrs), 7: ndtStats, 8: nlaU64,
	}
}

var (
	ndaFdbExtAttrs = nlAttrTable{names: rtnlNeighFdbExtAttrs, dflt: "NFEA_???", decoders: map[uint16]nlaDecoder{
		1: nlaFlagsN(fdbNotifyFlags, "FDB_NOTIFY_???", 1)}}
	ndtParmsAttrs = nlAttrTable{names: rtnlNeightblParmsAttrs, dflt: "NDTPA_???", decoders: map[uint16]nlaDecoder{
		1: nlaIfindex, 2: nlaU32, 3: nlaU64, 4: nlaU64, 5: nlaU64, 6: nlaU64, 7: nlaU64, 8: nlaU32, 9: nlaU32,
		10: nlaU32, 11: nlaU32, 12: nlaU64, 13: nlaU64, 14: nlaU32, 15: nlaU64, 16: nlaU32, 17: nlaU32, 19: nlaU64,
	}}
	// nlaBe16 is decode_nla_be16: htons(N).
	nlaBe16 nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 2 {
			return false
		}
		if b, ok := d.fetch(addr, 2); ok {
			d.p.s("htons(")
			d.p.u(uint64(b[0])<<8 | uint64(b[1]))
			d.p.c(')')
		}
		return true
	}
	// nlaHwaddr is decode_nla_hwaddr_nofamily: a hardware address.
	nlaHwaddr nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n > 32 { // MAX_ADDR_LEN
			return false
		}
		if b, ok := d.fetch(addr, n); ok {
			macAddr(d.p, b)
		}
		return true
	}
)

// ndtStats is decode_ndt_stats: struct ndt_stats, its last field only
// when the attribute holds it.
var ndtStats nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	names := []string{"ndts_allocs", "ndts_destroys", "ndts_hash_grows", "ndts_res_failed", "ndts_lookups", "ndts_hits",
		"ndts_rcv_probes_mcast", "ndts_rcv_probes_ucast", "ndts_periodic_gc_runs", "ndts_forced_gc_runs", "ndts_table_fulls"}
	switch {
	case n >= 88:
	case n == 80:
		names = names[:10]
	default:
		return false
	}
	b, ok := d.fetch(addr, uint64(8*len(names)))
	if !ok {
		return true
	}
	fs := make([]nlF, len(names))
	for k, name := range names {
		fs[k] = nlF{name, 8 * k, 8, 'u'}
	}
	d.structFields(b, fs)
	return true
}
