package strace

import (
	"context"
	"errors"
	"sync"
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
type Queue struct {
	mu      sync.Mutex
	buf     []byte // whole lines, oldest first
	head    int    // buf[head:] is unread
	limit   int
	hungup  bool
	readers int
	closed  bool          // discarded: nobody will ever read it
	wake    chan struct{} // closed and replaced whenever state changes
}

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
	room := q.limit - (len(q.buf) - q.head)
	n := len(text)
	if n > room {
		n = max(room, 0)
		for n > 0 && text[n-1] != '\n' {
			n--
		}
		if n == 0 && q.head == len(q.buf) {
			n = min(len(text), q.limit)
		}
	}
	if n == 0 {
		return 0, nil
	}
	q.compactLocked()
	q.buf = append(q.buf, text[:n]...)
	q.notifyLocked()
	return n, nil
}

// Changed returns a channel closed at the queue's next change of state (a
// read, a put, a reader come or gone, the hang-up).
func (q *Queue) Changed() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.wake
}

// compactLocked moves the unread text to the front once most of the buffer
// is read, so the buffer does not grow without bound.
func (q *Queue) compactLocked() {
	if q.head == 0 {
		return
	}
	if q.head == len(q.buf) {
		q.buf, q.head = q.buf[:0], 0
		if cap(q.buf) > 4*q.limit {
			q.buf = nil
		}
		return
	}
	if q.head > len(q.buf)/2 {
		n := copy(q.buf, q.buf[q.head:])
		q.buf, q.head = q.buf[:n], 0
	}
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
		q.compactLocked()
		q.buf = append(q.buf, text...)
	}
	q.hungup = true
	q.notifyLocked()
	q.mu.Unlock()
}

// Discard drops everything and ends the stream for writers: nobody can
// read it any more.
func (q *Queue) Discard() int {
	q.mu.Lock()
	n := len(q.buf) - q.head
	q.buf, q.head = nil, 0
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
	return len(q.buf) - q.head
}

// Done reports whether the stream has hung up and been read to the end.
func (q *Queue) Done() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.hungup && q.head == len(q.buf)
}

// Read copies as many whole lines as fit in dst (part of a line only when
// dst cannot hold the first one), blocking until there is text, the stream
// has hung up (0, nil: end of file), or ctx is done (its error).
func (q *Queue) Read(ctx context.Context, dst []byte) (int, error) {
	for {
		q.mu.Lock()
		if q.head < len(q.buf) {
			avail := q.buf[q.head:]
			n := len(avail)
			if n > len(dst) {
				n = len(dst)
				for n > 0 && avail[n-1] != '\n' {
					n--
				}
				if n == 0 {
					n = len(dst)
				}
			}
			copy(dst, avail[:n])
			q.head += n
			if q.head == len(q.buf) {
				q.compactLocked()
				if q.hungup {
					q.buf = nil // read to the end: nothing will be put again
				}
			}
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
