package strace

import (
	"slices"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// strace 6.1's ipc_* tests trace with -e ipc (a class name without its %)
// and shmxt with -e trace=/(osf_)?shmat,shmdt (a regular expression).
func TestFilterLegacyClassAndRegexp(t *testing.T) {
	ipc, err := ParseFilter("ipc")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ParseFilter("%ipc")
	if !slices.Equal(ipc, want) || len(ipc) == 0 {
		t.Errorf("ipc: %v, %%ipc: %v", ipc, want)
	}
	got, err := ParseFilter("/(osf_)?shmat,shmdt")
	if err != nil {
		t.Fatal(err)
	}
	at, _ := Number("shmat")
	dt, _ := Number("shmdt")
	if !slices.Equal(got, []uint32{min(at, dt), max(at, dt)}) {
		t.Errorf("/(osf_)?shmat,shmdt: %v", got)
	}
	if _, err := ParseFilter("/^nosuchcall$"); err == nil {
		t.Error("a regexp that matches nothing is not an error")
	}
}

// ipcBuf is a zeroed buffer of the size the ctl calls capture, with the
// 32-bit words of ipc_perm set (key, uid, gid, cuid, cgid, mode).
func ipcBuf(perm ...uint32) []byte {
	b := make([]byte, ipcCtlMax)
	for k, v := range perm {
		le.PutUint32(b[4*k:], v)
	}
	return b
}

// The structures of shmctl, semctl and msgctl and shmget's huge page
// size, as strace 6.1's tests ipc_shm, ipc_sem and ipc_msg print them.
func TestFamIPCCtl(t *testing.T) {
	ds := ipcBuf(0, 0, 0, 0, 0, 0o600)
	le.PutUint64(ds[48:], 1)     // shm_segsz
	le.PutUint32(ds[80:], 23948) // shm_cpid
	le.PutUint64(ds[72:], 1795939784)
	checkLine(t, decodeLine(t, "shmctl", 0, [6]uint64{1933331, 2, 0x1000}, wire.Cap{Arg: 2, Data: ds}),
		`shmctl(1933331, IPC_STAT, {shm_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, shm_segsz=1, shm_cpid=23948, shm_lpid=0, shm_nattch=0, shm_atime=0, shm_dtime=0, shm_ctime=1795939784}) = 0`)
	checkLine(t, decodeLine(t, "shmctl", 0, [6]uint64{1933331, 1, 0x1000}, wire.Cap{Arg: 2, Data: ds}),
		`shmctl(1933331, IPC_SET, {shm_perm={uid=0, gid=0, mode=0600}}) = 0`)
	checkLine(t, decodeLine(t, "shmctl", -22, [6]uint64{0xfdefaced, 2, ^uint64(0)}, wire.Cap{Arg: 2, Flags: wire.CapFault}),
		`shmctl(-34624275, IPC_STAT, 0xffffffffffffffff) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "shmctl", 0, [6]uint64{1933331, 0, 0}), `shmctl(1933331, IPC_RMID, NULL) = 0`)
	info := ipcBuf()
	le.PutUint32(info[0:], 2)
	le.PutUint64(info[8:], 3918719254129679)
	checkLine(t, decodeLine(t, "shmctl", 19, [6]uint64{1933331, 14, 0x1000}, wire.Cap{Arg: 2, Data: info}),
		`shmctl(1933331, SHM_INFO, {used_ids=2, shm_tot=3918719254129679, shm_rss=0, shm_swp=0, swap_attempts=0, swap_successes=0}) = 19`)

	sem := ipcBuf()
	for k, v := range []uint32{1024000000, 32000, 1024000000, 1024000000, 32000, 500, 500, 20, 32767, 32767} {
		le.PutUint32(sem[4*k:], v)
	}
	checkLine(t, decodeLine(t, "semctl", 40, [6]uint64{1933352, 0, 3, 0x1000}, wire.Cap{Arg: 3, Data: sem}),
		`semctl(1933352, 0, IPC_INFO, {semmap=1024000000, semmni=32000, semmns=1024000000, semmnu=1024000000, semmsl=32000, semopm=500, semume=500, semusz=20, semvmx=32767, semaem=32767}) = 40`)

	msg := ipcBuf(0, 0, 0, 0, 0, 0o600)
	le.PutUint64(msg[64:], 1795939780)
	le.PutUint64(msg[88:], 16384)
	checkLine(t, decodeLine(t, "msgctl", 0, [6]uint64{3702835, 2, 0x1000}, wire.Cap{Arg: 2, Data: msg}),
		`msgctl(3702835, IPC_STAT, {msg_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, msg_stime=0, msg_rtime=0, msg_ctime=1795939780, msg_qnum=0, msg_qbytes=16384, msg_lspid=0, msg_lrpid=0}) = 0`)
	checkLine(t, decodeLine(t, "msgctl", 0, [6]uint64{3702835, 1, 0x1000}, wire.Cap{Arg: 2, Data: msg}),
		`msgctl(3702835, IPC_SET, {msg_perm={uid=0, gid=0, mode=0600}, msg_qbytes=16384}) = 0`)
	mi := ipcBuf(1, 0, 8192, 16384, 32000, 16, 0)
	le.PutUint16(mi[28:], 65535)
	checkLine(t, decodeLine(t, "msgctl", 51, [6]uint64{3702835, 12, 0x1000}, wire.Cap{Arg: 2, Data: mi}),
		`msgctl(3702835, MSG_INFO, {msgpool=1, msgmap=0, msgmax=8192, msgmnb=16384, msgmni=32000, msgssz=16, msgtql=0, msgseg=65535}) = 51`)

	checkLine(t, decodeLine(t, "shmget", 0, [6]uint64{0xfdb97531, 1, 21 << 26}), `shmget(0xfdb97531, 1, 21<<SHM_HUGE_SHIFT|000) = 0`)
	checkLine(t, decodeLine(t, "shmget", -17, [6]uint64{0xfdb97531, 1, 0x56ce1e55}),
		`shmget(0xfdb97531, 1, IPC_CREAT|IPC_EXCL|SHM_HUGETLB|SHM_NORESERVE|0x2ce0000|21<<SHM_HUGE_SHIFT|0125) = -1 EEXIST (File exists)`)
}
