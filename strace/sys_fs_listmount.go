package strace

import "github.com/eproc/eproc/loader/wire"

// listmount (Linux 6.8), which strace 6.1 does not know: as strace 7.2's
// listmount.c prints it. struct mnt_id_req is size (u32), mnt_ns_fd
// (u32), mnt_id, param and (size 32 on) mnt_ns_id (u64s); the ids the
// call wrote are printed in hex, as many as it returned.

const (
	mntIDReqVer0 = 24
	mntIDReqVer1 = 32
	// mntIDsMax is how much of the id array is captured: 1023 ids.
	mntIDsMax = 8 * 1023
	// mntIDReqCap is how much of a struct mnt_id_req is captured: a
	// constant size, as its size field is not known when it is read (a
	// page read at once fails in the BPF program more often than not).
	mntIDReqCap = 256
)

var (
	// kMntIDReq: mntIDReqCap bytes (a partial read keeps those before
	// a page that cannot be read). Its size is in the struct, so no
	// capture can follow it: the bytes past 32 strace prints when not
	// zero (up to req.size and a page) are known up to mntIDReqCap.
	kMntIDReq = newKind(kindInfo{cap: capIn(mntIDReqCap), fmt: fmtMntIDReq})
	kMntIDs   = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 8, max: mntIDsMax, when: wire.CWOK},
		fmt: func(p *printer, c *Call, i int) {
			if fhFailed(c) {
				p.ptr(c.Args[i])
				return
			}
			printArray(p, c, i, 8, min(c.Args[i+1], uint64(c.Ret)), func(p *printer, _ uint64, b []byte) bool {
				hexOrZero(p, le.Uint64(b))
				return true
			})
		}})
	kListmountFlags = flagsKind([]flag{{1, "LISTMOUNT_REVERSE"}}, "LISTMOUNT_???")
)

// fmtMntIDReq prints listmount's struct mnt_id_req (listmount.c's
// print_mnt_id_req): mnt_id by name when it is LSMT_ROOT, param (a mount
// id to list from) in hex.
func fmtMntIDReq(p *printer, c *Call, i int) {
	printMntIDReq(p, c, i, func(p *printer, v uint64) { p.xlat(v, []flag{{^uint64(0), "LSMT_ROOT"}}, "") }, hexOrZero)
}

// printMntIDReq prints struct mnt_id_req as strace's print_mnt_id_req
// (listmount.c's and statmount.c's differ in mnt_id and param only): its
// size alone under 24 bytes, ??? when fewer than it says could be read.
func printMntIDReq(p *printer, c *Call, i int, mntID, param func(p *printer, v uint64)) {
	cp := c.Cap(i, 0)
	if c.Args[i] == 0 || !p.verbose() || cp == nil || len(cp.Data) < 4 || cp.Fault() && !cp.Part() {
		p.ptr(c.Args[i])
		return
	}
	b := cp.Data
	size := le.Uint32(b)
	p.s("{size=")
	p.u(uint64(size))
	if size < mntIDReqVer0 {
		p.c('}')
		return
	}
	if len(b) < int(min(size, mntIDReqVer1)) {
		p.s(", ???}")
		return
	}
	p.s(", mnt_ns_fd=")
	p.fd(c, int32(le.Uint32(b[4:])))
	p.s(", mnt_id=")
	mntID(p, le.Uint64(b[8:]))
	p.s(", param=")
	param(p, le.Uint64(b[16:]))
	if size >= mntIDReqVer1 {
		p.s(", mnt_ns_id=")
		hexOrZero(p, le.Uint64(b[24:]))
	}
	total := min(uint64(size), 4096)
	tail := *cp
	if uint64(len(b)) >= total || !cp.Fault() {
		tail.Flags = 0 // all strace reads (or all captured: mntIDReqCap)
	}
	structTail(p, &tail, mntIDReqVer1, total)
	p.c('}')
}

func init() {
	registerSigs(map[string]sig{
		"listmount": {args: []kind{kMntIDReq, kMntIDs, kUlong, kListmountFlags}},
	})
}
