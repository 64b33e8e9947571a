#!/bin/sh
# socket.sh STRACE_SRC: regenerates strace/zsocket_proto_xlat.go (socket's
# protocol names per address family) from strace 6.1's xlat/*.in (STRACE_SRC
# is its src/ directory, e.g. /var/cache/eproc-compat/strace-6.1/src after
# make compat). Run from the repository's top.
set -eu
S=${1:?usage: socket.sh STRACE_SRC}
go run ./strace/internal/genxlat -include sys/socket.h -o strace/zsocket_proto_xlat.go \
	ax25Protocols=$S/xlat/ax25_protocols.in canProtocols=$S/xlat/can_protocols.in \
	btProtocols=$S/xlat/bt_protocols.in isdnProtocols=$S/xlat/isdn_protocols.in \
	phonetProtocols=$S/xlat/phonet_protocols.in caifProtocols=$S/xlat/caif_protocols.in \
	nfcSockProtocols=$S/xlat/nfc_protocols.in kcmProtocols=$S/xlat/kcm_protocols.in \
	smcProtocols=$S/xlat/smc_protocols.in
