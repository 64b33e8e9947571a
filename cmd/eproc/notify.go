package main

import (
	"net"
	"os"
	"time"

	"go.uber.org/zap"
)

// ready logs that the view serves at dir, t0 being when eproc mount began,
// and tells the service manager so (READY=1).
func ready(log *zap.Logger, dir string, t0 time.Time) {
	log.Info("serving", zap.String("dir", dir), zap.Duration("ready", time.Since(t0)))
	if err := sdNotify("READY=1"); err != nil {
		log.Warn("sd_notify", zap.Error(err))
	}
}

// stopping logs that signal s ends the daemon and tells the service
// manager so (STOPPING=1).
func stopping(log *zap.Logger, s os.Signal) {
	log.Info("shutting down", zap.String("signal", s.String()))
	sdNotify("STOPPING=1")
}

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
