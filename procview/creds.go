package procview

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fuse"
)

// creds are a task's ids and effective capabilities, from /proc/TID/status.
type creds struct {
	tgid, ppid int
	uid, gid   [4]uint32 // real, effective, saved, fs
	capEff     uint64
	groups     []int
}

func readCreds(tid int) (*creds, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", tid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c := &creds{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Tgid":
			c.tgid, _ = strconv.Atoi(v)
		case "PPid":
			c.ppid, _ = strconv.Atoi(v)
		case "Uid", "Gid":
			dst := &c.uid
			if k == "Gid" {
				dst = &c.gid
			}
			for i, w := range strings.Fields(v) {
				if i < 4 {
					n, _ := strconv.ParseUint(w, 10, 32)
					dst[i] = uint32(n)
				}
			}
		case "Groups":
			for _, w := range strings.Fields(v) {
				if n, err := strconv.Atoi(w); err == nil {
					c.groups = append(c.groups, n)
				}
			}
		case "CapEff":
			c.capEff, _ = strconv.ParseUint(v, 16, 64)
		}
	}
	if c.tgid == 0 {
		return nil, syscall.ESRCH
	}
	return c, sc.Err()
}

// caller is who made a FUSE request.
type caller struct {
	pid int // thread id as the kernel reports it
	uid uint32
	gid uint32
	cr  *creds // nil when the caller is gone
	// ctx is the request's, for a command that blocks (waitstop): done
	// when the writer is interrupted. Nil means never.
	ctx context.Context
}

func callerOf(ctx *fuse.Context) *caller {
	c := &caller{pid: int(ctx.Pid), uid: ctx.Uid, gid: ctx.Gid}
	c.cr, _ = readCreds(c.pid)
	return c
}

// tgid is the caller's process id (the thread-group id).
func (c *caller) tgid() int {
	if c.cr != nil {
		return c.cr.tgid
	}
	return c.pid
}

func fctx(ctx context.Context) *caller {
	if fc, ok := ctx.(*fuse.Context); ok {
		return callerOf(fc)
	}
	return &caller{}
}
