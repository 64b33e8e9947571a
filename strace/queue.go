package strace

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// Queue is a session's decoded stream as its readers see it: a bounded
// queue of text lines shared by every reader, as Akaros' strace queue is.
// Each line goes to exactly one reader. After Hangup, readers get what is
// left and then end of file.
//
// The queue never drops: when it is full, Put blocks, so the session's
// reader stops draining its ring buffer and the BPF side drops (and counts)
// the records that do not fit. That keeps one account of every loss, the
// one the hang-up line reports, and a traced process never waits for a
// reader.
//
// The text is held in chunks of chunkSize bytes taken from a pool that all
// queues share, and handed back as readers empty them: a busy stream
// allocates nothing once the pool holds its working set, and nothing is
// ever moved or grown. (A queue that appended to one growing slice made a
// new session allocate, fault in and copy some 16 MiB as it filled, in the
// reader that must keep up with the ring: its page faults and the garbage
// collections they set off stalled that reader for milliseconds at a time,
// and a traced dd filled the ring meanwhile.)
type Queue struct {
	mu      sync.Mutex
	chunks  []*chunk // text: chunks[0][head:] up to the last chunk's [:tail]
	head    int
	tail    int
	n       int // unread bytes
	limit   int
	hungup  bool
	readers int
	closed  bool          // discarded: nobody will ever read it
	wake    chan struct{} // closed and replaced whenever state changes
}

// chunkSize is the size of a queue's chunks of text.
const chunkSize = 64 << 10

type chunk [chunkSize]byte

var chunks = sync.Pool{New: func() any { return new(chunk) }}

// chunksHeld counts the chunks queues hold (taken from the pool and not
// handed back): once every stream has been read or discarded, none.
var chunksHeld atomic.Int64

// ChunksHeld is how many chunks of text the queues hold now, all queues
// together (for tests: a queue that keeps its text after it is done leaks).
func ChunksHeld() int64 { return chunksHeld.Load() }

// ErrHungup is returned by Put after Hangup or Discard.
var ErrHungup = errors.New("strace: stream hung up")

// NewQueue returns a queue holding at most limit bytes of text.
func NewQueue(limit int) *Queue {
	return &Queue{limit: limit, wake: make(chan struct{})}
}

func (q *Queue) notifyLocked() {
	close(q.wake)
	q.wake = make(chan struct{})
}

// Put appends as many whole lines of text as there is room for (part of
// a line only when one line alone is larger than the queue) and returns
// how many bytes went in. When that is less than len(text), the caller may
// wait for room with Changed.
func (q *Queue) Put(text []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || q.hungup {
		return 0, ErrHungup
	}
	room := q.limit - q.n
	n := len(text)
	if n > room {
		n = max(room, 0)
		for n > 0 && text[n-1] != '\n' {
			n--
		}
		if n == 0 && q.n == 0 {
			n = min(len(text), q.limit)
		}
	}
	if n == 0 {
		return 0, nil
	}
	q.appendLocked(text[:n])
	q.notifyLocked()
	return n, nil
}

// appendLocked copies text after the queue's last byte, in chunks.
func (q *Queue) appendLocked(text []byte) {
	for len(text) > 0 {
		if len(q.chunks) == 0 || q.tail == chunkSize {
			q.chunks = append(q.chunks, chunks.Get().(*chunk))
			chunksHeld.Add(1)
			q.tail = 0
		}
		c := copy(q.chunks[len(q.chunks)-1][q.tail:], text)
		q.tail += c
		q.n += c
		text = text[c:]
	}
}

// seg is the unread part of chunk i.
func (q *Queue) seg(i int) []byte {
	lo, hi := 0, chunkSize
	if i == 0 {
		lo = q.head
	}
	if i == len(q.chunks)-1 {
		hi = q.tail
	}
	return q.chunks[i][lo:hi]
}

// lineEnd is how many of the first n unread bytes are whole lines: up to
// and including the last newline among them (0 when there is none).
func (q *Queue) lineEnd(n int) int {
	// Find the segment holding byte n-1, then look backwards from it.
	off := 0
	i := 0
	for ; i < len(q.chunks); i++ {
		l := len(q.seg(i))
		if off+l >= n {
			break
		}
		off += l
	}
	for ; i >= 0; i-- {
		s := q.seg(i)
		if off+len(s) > n {
			s = s[:n-off]
		}
		if j := bytes.LastIndexByte(s, '\n'); j >= 0 {
			return off + j + 1
		}
		if i > 0 {
			off -= len(q.seg(i - 1))
		}
	}
	return 0
}

// takeLocked copies the first len(dst) unread bytes into dst and hands
// back the chunks it empties.
func (q *Queue) takeLocked(dst []byte) {
	for len(dst) > 0 {
		c := copy(dst, q.seg(0))
		dst = dst[c:]
		q.head += c
		q.n -= c
		if q.head == chunkSize || (len(q.chunks) == 1 && q.head == q.tail) {
			q.dropChunkLocked()
		}
	}
}

// dropChunkLocked hands the first chunk back to the pool.
func (q *Queue) dropChunkLocked() {
	chunks.Put(q.chunks[0])
	chunksHeld.Add(-1)
	copy(q.chunks, q.chunks[1:])
	q.chunks[len(q.chunks)-1] = nil
	q.chunks = q.chunks[:len(q.chunks)-1]
	q.head = 0
	if len(q.chunks) == 0 {
		q.tail = 0
	}
}

// freeLocked hands every chunk back.
func (q *Queue) freeLocked() {
	for len(q.chunks) > 0 {
		q.dropChunkLocked()
	}
	q.n = 0
}

// Changed returns a channel closed at the queue's next change of state (a
// read, a put, a reader come or gone, the hang-up).
func (q *Queue) Changed() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.wake
}

// Hangup marks the end of the stream: once the queue is empty, readers
// get end of file. Text put before Hangup is still delivered.
func (q *Queue) Hangup() {
	q.mu.Lock()
	q.hungup = true
	q.notifyLocked()
	q.mu.Unlock()
}

// PutFinal appends text regardless of the limit and hangs up: the last
// words of a stream (what was left in the decoder, the hang-up line).
func (q *Queue) PutFinal(text []byte) {
	q.mu.Lock()
	if !q.closed && !q.hungup {
		q.appendLocked(text)
	}
	q.hungup = true
	q.notifyLocked()
	q.mu.Unlock()
}

// Discard drops everything and ends the stream for writers: nobody can
// read it any more.
func (q *Queue) Discard() int {
	q.mu.Lock()
	n := q.n
	q.freeLocked()
	q.closed, q.hungup = true, true
	q.notifyLocked()
	q.mu.Unlock()
	return n
}

// Open registers a reader; Close unregisters it.
func (q *Queue) Open() {
	q.mu.Lock()
	q.readers++
	q.notifyLocked()
	q.mu.Unlock()
}

// Close unregisters a reader and reports how many remain.
func (q *Queue) Close() int {
	q.mu.Lock()
	q.readers--
	n := q.readers
	q.notifyLocked()
	q.mu.Unlock()
	return n
}

// Readers is the number of open readers.
func (q *Queue) Readers() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.readers
}

// Len is the number of unread bytes.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Done reports whether the stream has hung up and been read to the end.
func (q *Queue) Done() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.hungup && q.n == 0
}

// Read copies as many whole lines as fit in dst (part of a line only when
// dst cannot hold the first one), blocking until there is text, the stream
// has hung up (0, nil: end of file), or ctx is done (its error).
func (q *Queue) Read(ctx context.Context, dst []byte) (int, error) {
	for {
		q.mu.Lock()
		if q.n > 0 {
			n := q.n
			if n > len(dst) {
				n = q.lineEnd(len(dst))
				if n == 0 {
					n = len(dst)
				}
			}
			q.takeLocked(dst[:n])
			q.notifyLocked()
			q.mu.Unlock()
			return n, nil
		}
		if q.hungup {
			q.mu.Unlock()
			return 0, nil
		}
		w := q.wake
		q.mu.Unlock()
		select {
		case <-w:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}
