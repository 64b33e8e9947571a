package loader

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// ringReader consumes a BPF ring buffer through its mmap'ed pages. Unlike a
// reader that publishes its position after every record, it publishes once
// per batch: the consumer position shares a cache line with nothing the
// producer writes per record, so a producer on another CPU is not slowed by
// the reader's progress (measured: the per-record store cost a traced dd
// several percent).
//
// The data pages are mapped once, not twice as the kernel allows for reading
// a record that wraps around in place: mapped twice, every page counts twice
// in the daemon's RSS (100 sessions of 4 MiB rings read as 800 MiB). The
// rare record that wraps is copied instead.
//
// And they are mapped only where and while the ring is in use: a chunk of
// mapChunk bytes at a time, as records reach it, until no record came for
// unmapAfter. A session whose processes make no call, or none lately, costs
// the daemon two pages, and one that made a few calls one chunk, however
// large its ring. (The kernel maps all the pages of a ring mapping at once,
// so they all count in RSS, touched or not.)
type ringReader struct {
	fd         int
	cons, prod []byte // consumer page (rw); producer page (ro)
	data       []byte // data pages (ro): an address range reserved, mapped by chunks as needed
	chunk      uint64 // bytes mapped at a time
	mapped     []bool // by chunk
	nmapped    int
	mapErr     error     // mapping the data failed (the ring fills; its drops are counted)
	lastData   time.Time // when a drain last found a record
	unmaps     int       // times unmapIdle unmapped the data (for tests)
	wrap       []byte    // a wrapped record, copied
	mask       uint64
	consPos    *uint64
	prodPos    *uint64
	epfd, evfd int
	events     [2]unix.EpollEvent
	// full, when set, is called (once) by a drain that finds at least
	// fullAt bytes unread as it publishes its progress: a session grows its
	// ring then, not at the end of a pass that may last as long as the
	// producers keep up their pace.
	full    func()
	fullAt  uint64
	publish uint64 // publishEvery, or an eighth of a smaller ring
}

const (
	ringBusy    = 1 << 31
	ringDiscard = 1 << 30
	ringHdrSize = 8
	// publishEvery is how many bytes the reader consumes before it tells the
	// producers the space is free again (an eighth of a smaller ring: an
	// idle ring of 256 KiB is otherwise full until the end of the pass).
	publishEvery = 256 << 10
)

// unmapAfter: a ring's data pages are unmapped once no record came for this
// long (mapping 4 MiB again costs ~0.1 ms). A variable for tests.
var unmapAfter = time.Second

func newRingReader(m *ebpf.Map) (*ringReader, error) {
	size := int(m.MaxEntries())
	page := os.Getpagesize()
	r := &ringReader{fd: m.FD(), epfd: -1, evfd: -1}
	var err error
	if r.cons, err = unix.Mmap(m.FD(), 0, page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err != nil {
		return nil, fmt.Errorf("mmap ring consumer page: %w", err)
	}
	if r.prod, err = unix.Mmap(m.FD(), int64(page), page, unix.PROT_READ, unix.MAP_SHARED); err != nil {
		r.close()
		return nil, fmt.Errorf("mmap ring producer page: %w", err)
	}
	r.mask = uint64(size - 1)
	r.publish = min(publishEvery, uint64(size/8))
	// The data's address range, reserved: chunks are mapped into it, so a
	// record that spans two chunks reads in place.
	reserve, err := unix.Mmap(-1, 0, size, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		r.close()
		return nil, fmt.Errorf("reserve ring data: %w", err)
	}
	r.data = reserve
	r.chunk = uint64(min(size, mapChunk))
	r.mapped = make([]bool, uint64(size)/r.chunk)
	r.consPos = (*uint64)(unsafe.Pointer(&r.cons[0]))
	r.prodPos = (*uint64)(unsafe.Pointer(&r.prod[0]))
	if r.epfd, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		r.close()
		return nil, fmt.Errorf("epoll: %w", err)
	}
	if r.evfd, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err != nil {
		r.close()
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	for _, fd := range []int{m.FD(), r.evfd} {
		ev := unix.EpollEvent{Events: ringEvents, Fd: int32(fd)}
		if fd == r.evfd {
			ev.Events = unix.EPOLLIN
		}
		if err := unix.EpollCtl(r.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			r.close()
			return nil, fmt.Errorf("epoll add: %w", err)
		}
	}
	return r, nil
}

// mapChunk is how much of a ring's data the reader maps at a time.
const mapChunk = 256 << 10

// ensure maps the chunks of the data holding bytes [off, off+n) (within
// the ring: a record that wraps asks twice).
func (r *ringReader) ensure(off, n uint64) bool {
	if r.nmapped == len(r.mapped) {
		return true
	}
	if r.mapErr != nil {
		return false
	}
	page := uint64(os.Getpagesize())
	for c := off / r.chunk; c <= (off+max(n, 1)-1)/r.chunk && c < uint64(len(r.mapped)); c++ {
		if r.mapped[c] {
			continue
		}
		_, err := unix.MmapPtr(r.fd, int64(2*page+c*r.chunk), unsafe.Pointer(&r.data[c*r.chunk]), uintptr(r.chunk),
			unix.PROT_READ, unix.MAP_SHARED|unix.MAP_FIXED)
		if err != nil {
			r.mapErr = fmt.Errorf("mmap ring data: %w", err)
			return false
		}
		r.mapped[c] = true
		r.nmapped++
		r.lastData = time.Now()
	}
	return true
}

// unmapIdle unmaps the data when no record came for unmapAfter and none
// waits (the range stays reserved); the next record maps its chunk again.
func (r *ringReader) unmapIdle(now time.Time) {
	if r.nmapped == 0 || now.Sub(r.lastData) < unmapAfter || r.pending() {
		return
	}
	_, err := unix.MmapPtr(-1, 0, unsafe.Pointer(&r.data[0]), uintptr(len(r.data)), unix.PROT_NONE,
		unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE|unix.MAP_FIXED)
	if err != nil {
		return // still mapped: harmless, tried again later
	}
	clear(r.mapped)
	r.nmapped = 0
	r.unmaps++
}

// drain hands every committed record to fn, in order, and returns how many
// there were. A record still being written ends the batch.
func (r *ringReader) drain(fn func([]byte)) int {
	n, _, _ := r.drainTo(fn, noLimit)
	return n
}

// noLimit: drainTo reads up to the producer position.
const noLimit = ^uint64(0)

// drainTo is drain, stopping at ring position limit (see prodNow). It also
// says whether it read everything committed (no record still being written
// ended it) and how many bytes it consumed.
func (r *ringReader) drainTo(fn func([]byte), limit uint64) (n int, complete bool, bytes uint64) {
	cons := atomic.LoadUint64(r.consPos)
	first := cons
	published := cons
	complete = true
	for {
		prod := min(atomic.LoadUint64(r.prodPos), limit)
		if cons >= prod {
			break
		}
		if !r.ensure(cons&r.mask, ringHdrSize) {
			complete = false
			break
		}
		hdr := atomic.LoadUint32((*uint32)(unsafe.Pointer(&r.data[cons&r.mask])))
		if hdr&ringBusy != 0 {
			complete = false
			break
		}
		l := uint64(hdr &^ (ringBusy | ringDiscard))
		start := (cons + ringHdrSize) & r.mask
		if hdr&ringDiscard == 0 && l <= uint64(len(r.data)) {
			if start+l <= uint64(len(r.data)) {
				if !r.ensure(start, l) {
					complete = false
					break
				}
				n += splitBatch(r.data[start:start+l], fn)
			} else {
				if !r.ensure(start, uint64(len(r.data))-start) || !r.ensure(0, start+l-uint64(len(r.data))) {
					complete = false
					break
				}
				r.wrap = append(append(r.wrap[:0], r.data[start:]...), r.data[:start+l-uint64(len(r.data))]...)
				n += splitBatch(r.wrap, fn)
			}
		}
		cons += (ringHdrSize + l + 7) &^ 7
		if cons-published >= r.publish {
			atomic.StoreUint64(r.consPos, cons)
			published = cons
			if r.full != nil && prod-cons >= r.fullAt {
				f := r.full
				r.full = nil
				f()
			}
		}
	}
	if cons != published {
		atomic.StoreUint64(r.consPos, cons)
	}
	if cons != first {
		r.lastData = time.Now()
	}
	return n, complete, cons - first
}

// splitBatch hands fn each record of a ring record, which holds one
// record or a CPU's batch of them back to back (struct batch_hdr in
// bpf/eproc.h), each as long as its header says, padded to 8 bytes. It
// returns how many it handed. A length that does not fit hands the rest
// as it is: the decoder reports what it cannot read.
func splitBatch(b []byte, fn func([]byte)) int {
	n := 0
	for len(b) > 0 {
		l := 0
		if len(b) >= 4 {
			l = int(*(*uint16)(unsafe.Pointer(&b[2])))
		}
		if l < wire.HdrSize || l > len(b) {
			fn(b)
			return n + 1
		}
		fn(b[:l])
		n++
		b = b[min((l+7)&^7, len(b)):]
	}
	return n
}

// prodNow is the producer position now: what has been reserved so far.
func (r *ringReader) prodNow() uint64 {
	return atomic.LoadUint64(r.prodPos)
}

// watch makes wait return when ring m's producers wake the reader too (a
// ring the session is growing into); unwatch undoes it.
func (r *ringReader) watch(m *ebpf.Map) error {
	ev := unix.EpollEvent{Events: ringEvents, Fd: int32(m.FD())}
	if err := unix.EpollCtl(r.epfd, unix.EPOLL_CTL_ADD, m.FD(), &ev); err != nil {
		return fmt.Errorf("epoll add: %w", err)
	}
	return nil
}

func (r *ringReader) unwatch(m *ebpf.Map) {
	unix.EpollCtl(r.epfd, unix.EPOLL_CTL_DEL, m.FD(), nil)
}

// ringEvents: a ring's fd wakes the reader when a producer wakes it (a
// quarter of the ring written by one CPU, a process exit), not whenever it
// holds data. A ring's poll says readable as long as it holds a record, so
// level-triggered, every wait of a reader that keeps up with a busy
// producer returned at once: it read in tiny batches, a CPU spinning on
// the cache lines the producers write (dd traced: the reader used 0.69 s
// of CPU in a 0.65 s run).
const ringEvents = unix.EPOLLIN | unix.EPOLLET

// pending reports whether committed data is waiting.
func (r *ringReader) pending() bool {
	return atomic.LoadUint64(r.prodPos) != atomic.LoadUint64(r.consPos)
}

// consumed is the consumer position: bytes read so far.
func (r *ringReader) consumed() uint64 {
	return atomic.LoadUint64(r.consPos)
}

// backlog is how many bytes are reserved and not yet read.
func (r *ringReader) backlog() uint64 {
	return atomic.LoadUint64(r.prodPos) - atomic.LoadUint64(r.consPos)
}

// wait sleeps until the producer wakes the reader, wake is called, or the
// timeout passes. It says whether a producer woke it.
//
// It sleeps in a blocking epoll_wait, keeping its P (the Go runtime's right
// to run Go code), which it takes back at once when it wakes unless the
// runtime gave it away meanwhile. Parked in the runtime's poller instead
// (tried), a reader woken while every P was held by a FUSE request blocked
// in its read of /dev/fuse waited for the runtime's monitor to free one, up
// to 10 ms, in which dd filled a 4 MiB ring: 2 of 8 runs of dd through the
// view dropped, against 0 of 16 this way (2 Ps; see cmd/eproc's procs).
func (r *ringReader) wait(timeout time.Duration) (woken bool, err error) {
	ms := int(timeout / time.Millisecond)
	if ms <= 0 {
		ms = 1
	}
	n, err := unix.EpollWait(r.epfd, r.events[:], ms)
	if err != nil && !errors.Is(err, unix.EINTR) {
		return false, err
	}
	for i := 0; i < n; i++ {
		if int(r.events[i].Fd) == r.evfd {
			var b [8]byte
			unix.Read(r.evfd, b[:])
		} else {
			woken = true
		}
	}
	return woken, nil
}

// reset discards whatever the ring holds, for a new session.
func (r *ringReader) reset() {
	atomic.StoreUint64(r.consPos, atomic.LoadUint64(r.prodPos))
	var b [8]byte
	unix.Read(r.evfd, b[:])
}

// wake makes a wait return at once.
func (r *ringReader) wake() {
	one := [8]byte{1}
	unix.Write(r.evfd, one[:])
}

func (r *ringReader) close() {
	if r.epfd >= 0 {
		unix.Close(r.epfd)
		r.epfd = -1
	}
	if r.evfd >= 0 {
		unix.Close(r.evfd)
		r.evfd = -1
	}
	if r.data != nil {
		unix.Munmap(r.data)
		r.data = nil
	}
	if r.prod != nil {
		unix.Munmap(r.prod)
		r.prod = nil
	}
	if r.cons != nil {
		unix.Munmap(r.cons)
		r.cons = nil
	}
}

// ring is a session slot's ring buffer and its reader.
type ring struct {
	m    *ebpf.Map
	rd   *ringReader
	size int
	gp   uint64 // grace periods started when its last session ended (see slots.go)
}

func newRing(size int) (*ring, error) {
	m, err := ebpf.NewMap(&ebpf.MapSpec{Name: "eproc_ring", Type: ebpf.RingBuf, MaxEntries: uint32(size)})
	if err != nil {
		return nil, fmt.Errorf("create ring: %w", err)
	}
	rd, err := newRingReader(m)
	if err != nil {
		m.Close()
		return nil, err
	}
	return &ring{m: m, rd: rd, size: size}, nil
}

func (r *ring) close() {
	r.rd.close()
	r.m.Close()
}
