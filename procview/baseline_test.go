package procview

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eproc/eproc/strace"
)

// views are the views mount made, by directory (baseline.back looks at
// what its view still holds).
var views sync.Map

// kept is how many ended streams the views keep, and how many readers
// hold streams open.
func kept() (streams, readers int) {
	views.Range(func(_, x any) bool {
		v := x.(*View)
		v.mu.Lock()
		streams += len(v.ended)
		v.mu.Unlock()
		readers += v.Stats().Readers
		return true
	})
	return streams, readers
}

// What the heap may differ by is the runtime's own bookkeeping and the
// test's logs: -2 to +46 KiB in a full run (Intel Xeon), and a stream
// leaked whole, or four decoders, would be more than this.
const heapSlack = 256 << 10

// fuseReaderBytes is what one of go-fuse's request readers holds: its read
// buffer, MaxWrite (go-fuse's default, 128 KiB) and room for the largest
// request header, aligned to 4 KiB (fuse.requestAccountingSizes).
const fuseReaderBytes = 128<<10 + 8<<10

// fuseReaders counts go-fuse's request readers, the goroutines waiting in
// a read of /dev/fuse. go-fuse starts one more whenever a reader takes a
// request and finds no other left waiting, up to GOMAXPROCS+1, and ends
// none of them while the mount lives: a test whose requests came together
// (more so beside a CPU hog) leaves one or two more than its baseline
// had, each holding its buffer. Beside a CPU hog (AMD EPYC family 26):
// +9 to +65 KB with as many readers as before, +148 to +154 KB with one
// more, and TestDeepTree's +293 KiB (over 256 KiB) with two more.
func fuseReaders() int {
	buf := make([]byte, 1<<20)
	return strings.Count(string(buf[:runtime.Stack(buf, true)]), "fuse.(*fuseFD).readRequest(")
}

// baseline is the daemon's resources (this process's: the view runs in
// it) when no session is live.
type baseline struct {
	fds, goroutines int
	list            map[string]string
	heap            uint64
	chunks          int64 // strace.ChunksHeld: text the queues hold
	kept            int   // ended streams the view keeps
	readers         int   // fuseReaders
}

func takeBaseline(t *testing.T) baseline {
	t.Helper()
	waitFor(t, "no live session", func() bool { return len(engine(t).Sessions()) == 0 })
	streams, _ := kept()
	return baseline{openFds(), runtime.NumGoroutine(), fdList(), heapAfterGC(), strace.ChunksHeld(), streams, fuseReaders()}
}

// back checks that sessions, kernel map entries, fds and goroutines have
// returned to the baseline.
func (b baseline) back(t *testing.T, m string) {
	t.Helper()
	e := engine(t)
	ok := func() bool {
		return len(e.Sessions()) == 0 && e.MapEntries() == 0 && openFds() <= b.fds &&
			runtime.NumGoroutine() <= b.goroutines+2
	}
	for i := 0; i < 500 && !ok(); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(e.Sessions()); n != 0 {
		t.Errorf("%d sessions still live", n)
	}
	if n := e.MapEntries(); n != 0 {
		t.Errorf("traced map holds %d entries: %v", n, e.TracedPids())
	}
	if b, _ := os.ReadFile(filepath.Join(m, "tracepids")); len(b) != 0 {
		t.Errorf("tracepids not empty:\n%s", b)
	}
	if n := openFds(); n > b.fds {
		var extra []string
		for fd, l := range fdList() {
			if b.list[fd] != l {
				extra = append(extra, fd+" -> "+l)
			}
		}
		buf := make([]byte, 1<<16)
		t.Errorf("open fds %d, %d before; new: %v\n%s", n, b.fds, extra, buf[:runtime.Stack(buf, true)])
	}
	// The streams' queues and decoders are freed: the heap is back within
	// a few MiB (a stream holds up to 8 MiB of text). An ended stream read
	// to the end is forgotten when its last reader's release comes (the
	// kernel sends it after close returns): wait for the view to hold no
	// stream and no reader first (a leak stays), then up to 1 s for the
	// rest (the stream's goroutine).
	waitFor(t, "the view to forget the ended streams and their readers", func() bool {
		n, r := kept()
		return n <= b.kept && r == 0
	})
	// go-fuse's readers that this test's requests started hold their
	// buffers: theirs, not the view's.
	readers := fuseReaders()
	slack := uint64(heapSlack + max(0, readers-b.readers)*fuseReaderBytes)
	h := heapAfterGC()
	for i := 0; i < 50 && h > b.heap+slack; i++ {
		time.Sleep(20 * time.Millisecond)
		h = heapAfterGC()
	}
	t.Logf("heap after: %d bytes, %+d; queues' chunks held %d, %d before; go-fuse readers %d, %d before", h, int64(h)-int64(b.heap), strace.ChunksHeld(), b.chunks, readers, b.readers)
	if h > b.heap+slack {
		n, r := kept()
		t.Errorf("heap %d bytes, %d before (the view keeps %d ended streams, %d before; %d readers; go-fuse readers %d, %d before); the largest live allocations sampled:\n%s", h, b.heap, n, b.kept, r, readers, b.readers, heapTop(6))
	}
	if n := strace.ChunksHeld(); n > b.chunks {
		t.Errorf("the streams' queues hold %d chunks of text, %d before", n, b.chunks)
	}
	if n := runtime.NumGoroutine(); n > b.goroutines+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines %d, %d before\n%s", n, b.goroutines, buf[:runtime.Stack(buf, true)])
	}
}
