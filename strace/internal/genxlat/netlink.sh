#!/bin/sh
# netlink.sh STRACE_SRC: regenerates strace/znetlink_xlat.go,
# znetlink_route_xlat.go and znetlink_diag_xlat.go from strace 6.1's
# xlat/*.in (STRACE_SRC is its src/ directory, e.g.
# /var/cache/eproc-compat/strace-6.1/src after make compat) and the
# system's uapi headers. Run from the repository's top.
set -eu
S=${1:?usage: netlink.sh STRACE_SRC}
G=strace/internal/genxlat
args() { sed "s|\$S|$S|g" "$G/$1"; }
go run ./$G -o strace/znetlink_xlat.go \
	-include linux/netlink.h,linux/rtnetlink.h,linux/xfrm.h,linux/audit.h,linux/sock_diag.h,linux/inet_diag.h,linux/netfilter/nfnetlink.h,linux/netfilter/nfnetlink_conntrack.h,linux/netfilter/nf_tables.h,linux/netfilter/nf_tables_compat.h,linux/netfilter/nfnetlink_acct.h,linux/netfilter/nfnetlink_cthelper.h,linux/netfilter/nfnetlink_cttimeout.h,linux/netfilter/nfnetlink_log.h,linux/netfilter/nfnetlink_queue.h,linux/netfilter/nfnetlink_osf.h,linux/netfilter/nfnetlink_hook.h,linux/netfilter/ipset/ip_set.h,linux/selinux_netlink.h,linux/cryptouser.h \
	$(args netlink.args)
go run ./$G -o strace/znetlink_route_xlat.go \
	-include linux/netlink.h,linux/rtnetlink.h,linux/if_addr.h,linux/netconf.h,linux/dcbnl.h,linux/if_addrlabel.h,linux/net_namespace.h,linux/fib_rules.h,linux/neighbour.h,linux/pkt_sched.h,linux/pkt_cls.h,linux/if_bridge.h,linux/if_link.h,linux/if.h,linux/if_arp.h,linux/ip.h,linux/nexthop.h,linux/mroute.h,linux/mroute6.h,linux/gen_stats.h,linux/tc_act/tc_gact.h,linux/lwtunnel.h,linux/in.h,linux/ipv6.h,linux/snmp.h,linux/if_ether.h,linux/if_tun.h \
	$(args netlink_route.args)
go run ./$G -o strace/znetlink_diag_xlat.go \
	-include linux/netlink.h,linux/sock_diag.h,linux/unix_diag.h,linux/netlink_diag.h,linux/inet_diag.h,linux/smc_diag.h,netinet/tcp.h,sys/socket.h,net/if.h,linux/packet_diag.h,linux/if_packet.h,linux/tls.h,linux/mptcp.h \
	$(args netlink_diag.args)
