package main

import "github.com/eproc/eproc/strace"

// setDecodePids is -Y (comm), --pidns-translation (pidns), --decode-pids=SET
// and -e decode-pids=SET: each replaces the set, as strace's
// qualify_decode_pid does.
func (o *traceOpts) setDecodePids(val string) error {
	set, err := strace.ParseDecodePids(val)
	if err != nil {
		return err
	}
	o.pidSet = set
	return nil
}

// followedCalls are the calls the text's tables follow beside those -e
// trace= asks for (shown): -y's descriptor tables', -Y's renames, -P's
// descriptors, the netlink sockets made, whose buffers are decoded by
// their protocol.
func (o *traceOpts) followedCalls(shown []uint32) []uint32 {
	nrs := strace.NetlinkCalls(shown)
	if o.fdSet != 0 {
		nrs = append(nrs, strace.FdCalls()...)
	}
	if o.pidSet&strace.DecodePidComm != 0 {
		nrs = append(nrs, strace.PidCalls()...)
	}
	if len(o.paths) > 0 {
		nrs = append(nrs, strace.PathCalls()...)
	}
	return nrs
}
