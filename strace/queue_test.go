package strace

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestQueueLinesOnce: concurrent readers with odd buffer sizes each get
// whole lines, every line goes to exactly one of them, in order per
// reader, and all of them see end of file after the hang-up.
func TestQueueLinesOnce(t *testing.T) {
	q := NewQueue(4096)
	const nread, nlines = 8, 50000
	outs := make([][]string, nread)
	var wg sync.WaitGroup
	for i := 0; i < nread; i++ {
		q.Open()
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer q.Close()
			outs[i] = readLines(t, q, i, make([]byte, 61+i*97)) // the longest line is 61 bytes
		}(i)
	}
	// The writer puts lines in odd batches and waits for room as the
	// stream does.
	var batch bytes.Buffer
	put := func(text []byte) {
		for len(text) > 0 {
			ch := q.Changed()
			n, err := q.Put(text)
			if err != nil {
				t.Fatal(err)
			}
			text = text[n:]
			if len(text) > 0 {
				select {
				case <-ch:
				case <-time.After(5 * time.Second):
					t.Fatal("no room for 5 s with 8 readers")
				}
			}
		}
	}
	for i := 0; i < nlines; i++ {
		fmt.Fprintf(&batch, "line %d %s\n", i, strings.Repeat("x", i%50))
		if i%7 == 0 {
			put(batch.Bytes())
			batch.Reset()
		}
	}
	put(batch.Bytes())
	q.PutFinal([]byte("the end\n"))
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("readers did not reach end of file")
	}
	checkOnce(t, q, outs, nlines)
}

// readLines reads q to its end with buf, checking that each read is whole
// lines, and returns them.
func readLines(t *testing.T, q *Queue, i int, buf []byte) (out []string) {
	for {
		n, err := q.Read(context.Background(), buf)
		if err != nil {
			t.Error(err)
			return out
		}
		if n == 0 {
			return out
		}
		chunk := string(buf[:n])
		if !strings.HasSuffix(chunk, "\n") {
			t.Errorf("reader %d got a partial line %q", i, chunk)
			return out
		}
		out = append(out, strings.Split(strings.TrimSuffix(chunk, "\n"), "\n")...)
	}
}

// checkOnce: every line of nlines went to exactly one reader, in order in
// each, and the final text to one.
func checkOnce(t *testing.T, q *Queue, outs [][]string, nlines int) {
	seen := make([]int, nlines)
	ends := 0
	for i, lines := range outs {
		last := -1
		for _, l := range lines {
			if l == "the end" {
				ends++
				continue
			}
			f := strings.Fields(l)
			n, err := strconv.Atoi(f[1])
			if err != nil || len(f[0]) != 4 {
				t.Fatalf("reader %d: torn line %q", i, l)
			}
			if n <= last {
				t.Errorf("reader %d: line %d after %d", i, n, last)
			}
			last = n
			seen[n]++
		}
	}
	for n, c := range seen {
		if c != 1 {
			t.Fatalf("line %d read %d times", n, c)
		}
	}
	if ends != 1 {
		t.Errorf("final text read %d times", ends)
	}
	if !q.Done() || q.Readers() != 0 {
		t.Errorf("done %v readers %d", q.Done(), q.Readers())
	}
}

// TestQueueBounded: Put takes whole lines up to the limit, never more
// (but for a single line larger than the queue), and a reader that stops
// reading never makes Put block.
func TestQueueBounded(t *testing.T) {
	q := NewQueue(100)
	q.Open()                                       // a reader that never reads
	line := []byte(strings.Repeat("a", 29) + "\n") // 30 bytes
	text := bytes.Repeat(line, 10)
	done := make(chan int)
	go func() {
		n, _ := q.Put(text)
		done <- n
	}()
	select {
	case n := <-done:
		if n != 90 {
			t.Errorf("Put took %d bytes of 300 into a 100-byte queue, want 90 (3 whole lines)", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Put blocked on a full queue")
	}
	if n, _ := q.Put(line); n != 0 {
		t.Errorf("Put into a full queue took %d", n)
	}
	// A line larger than the queue goes in alone once the queue is empty.
	buf := make([]byte, 1000)
	if n, _ := q.Read(context.Background(), buf); n != 90 {
		t.Errorf("read %d, want 90", n)
	}
	big := append(bytes.Repeat([]byte("b"), 150), '\n')
	if n, _ := q.Put(big); n != 100 {
		t.Errorf("an oversized line put %d bytes, want 100 (the limit)", n)
	}
	// A read buffer smaller than a line gets part of it.
	small := make([]byte, 40)
	if n, _ := q.Read(context.Background(), small); n != 40 {
		t.Errorf("small read %d", n)
	}
	// A blocked read ends when its context does.
	q.Discard()
	q2 := NewQueue(100)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := q2.Read(ctx, buf); err == nil {
		t.Error("read of an empty queue returned without data or hang-up")
	}
	// After Discard, Put fails and reads get end of file.
	if _, err := q.Put(line); err != ErrHungup {
		t.Errorf("Put after Discard: %v", err)
	}
	if n, err := q.Read(context.Background(), buf); n != 0 || err != nil {
		t.Errorf("read after Discard: %d %v", n, err)
	}
}

// TestQueueChunks: a long stream of lines of every length through a queue
// larger than a chunk, read with buffers of odd sizes, comes out whole and
// in order, lines that span chunks included; the queue never holds more
// chunks than its limit needs, and hands them all back once read.
func TestQueueChunks(t *testing.T) {
	const limit = 3*chunkSize + 1000
	q := NewQueue(limit)
	var want, got bytes.Buffer
	var in []byte
	for i := 0; i < 40000; i++ {
		in = append(in, fmt.Sprintf("%d %s\n", i, strings.Repeat("y", i%97))...)
	}
	want.Write(in)
	bufs := [][]byte{make([]byte, 61), make([]byte, 4096), make([]byte, chunkSize+17), make([]byte, 3*chunkSize)}
	for r := 0; len(in) > 0 || q.Len() > 0; r++ {
		k := min(len(in), 1+r*7919%(2*chunkSize))
		if k > 0 {
			k += bytes.IndexByte(in[k-1:], '\n') // whole lines, as the decoder puts them
		}
		n, err := q.Put(in[:k])
		if err != nil {
			t.Fatal(err)
		}
		in = in[n:]
		if len(q.chunks) > limit/chunkSize+2 {
			t.Fatalf("%d chunks for %d bytes", len(q.chunks), q.Len())
		}
		if r%2 == 0 || len(in) == 0 {
			buf := bufs[r%len(bufs)]
			m, err := q.Read(context.Background(), buf)
			if err != nil {
				t.Fatal(err)
			}
			if m > 0 && buf[m-1] != '\n' && len(buf) > 200 {
				t.Fatalf("read %d bytes into %d that end mid-line", m, len(buf))
			}
			got.Write(buf[:m])
		}
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("read %d bytes, put %d: not the same text", got.Len(), want.Len())
	}
	if len(q.chunks) != 0 {
		t.Errorf("an empty queue holds %d chunks", len(q.chunks))
	}
}
