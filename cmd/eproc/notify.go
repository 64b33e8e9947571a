package main

import (
	"net"
	"os"
)

// sdNotify sends state (e.g. "READY=1") to the service manager, as
// sd_notify(3) does: one datagram to the unix socket named by
// $NOTIFY_SOCKET (a path, or an abstract name written with a leading '@').
// Without $NOTIFY_SOCKET (not started by systemd with Type=notify) it does
// nothing. eproc mount sends READY=1 once the view answers, so that units
// ordered after eproc.service find /run/eproc served, and STOPPING=1 when
// a signal asks it to unmount.
func sdNotify(state string) error {
	name := os.Getenv("NOTIFY_SOCKET")
	if name == "" {
		return nil
	}
	if name[0] == '@' {
		name = "\x00" + name[1:]
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(state))
	return err
}
