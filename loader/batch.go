package loader

import (
	"time"

	"github.com/cilium/ebpf"
	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// Each CPU gathers the records it makes for a session in a batch and puts
// the batch in the session's ring as one ring record (struct batch_hdr in
// bpf/eproc.h; splitBatch takes it apart). The programs put a batch out
// when it is full, before a record that must go at once, when a task
// blocks, and when a task that left the CPU runnable moves to another CPU
// (sched_migrate_task). What they cannot see is a batch nothing else puts
// out: a thread that made calls and then runs on without blocking (or
// yields and runs again where it was) would leave its last records
// waiting there. The flusher looks at the batches every flushTick while the
// programs are attached, and runs flush_batch on a CPU whose batch has not
// moved since its last look; a session's reader does so for its own
// records before its last pass and before a Sync.

// flushTick: how long records may wait in a batch that nothing else puts
// out, while the flusher finds such batches. Each look that finds none
// doubles the wait before the next, up to flushIdle: a session whose
// threads leave their CPUs (most of them: any that blocks, sleeps or
// exits) needs no flushes from here, and each look wakes eproc, whose Go
// runtime then polls for a while (cmd/eproc's timerSlack). Measured (AMD
// EPYC, 2 vCPUs, the 96-file build traced, 4 runs each): eproc trace's
// CPU during the build 74-83 ms with a look every 10 ms, 62-64 ms every
// 100 ms.
const (
	flushTick = 10 * time.Millisecond
	flushIdle = 80 * time.Millisecond
)

// startFlusher starts the flusher; stopFlusher stops it. Under e.mu.
func (e *Engine) startFlusher() {
	if e.flushQuit != nil {
		return
	}
	quit, done := make(chan struct{}), make(chan struct{})
	e.flushQuit, e.flushDone = quit, done
	go func() {
		defer close(done)
		wait := flushTick
		t := time.NewTimer(wait)
		defer t.Stop()
		var last []eprocBatchHdr
		for {
			select {
			case <-quit:
				return
			case <-t.C:
			}
			var flushed bool
			if last, flushed = e.flushStale(last); flushed {
				wait = flushTick
			} else {
				wait = min(2*wait, flushIdle)
			}
			t.Reset(wait)
		}
	}()
}

func (e *Engine) stopFlusher() {
	if e.flushQuit == nil {
		return
	}
	close(e.flushQuit)
	<-e.flushDone
	e.flushQuit, e.flushDone = nil, nil
}

// flushStale puts out the batches that hold records and are as they were
// at the previous look (last); it returns what it saw this time, and
// whether it put any out.
func (e *Engine) flushStale(last []eprocBatchHdr) (_ []eprocBatchHdr, flushed bool) {
	var hdrs []eprocBatchHdr
	if err := e.objs.BatchHdrs.Lookup(uint32(0), &hdrs); err != nil {
		return nil, false
	}
	for cpu, h := range hdrs {
		if h.Len != 0 && cpu < len(last) && h == last[cpu] {
			e.flushCPU(cpu)
			flushed = true
		}
	}
	return hdrs, flushed
}

// flushSession puts out every batch that holds records of session sid
// (generation gen). A CPU busy with its batch at the time is asked again,
// a few times: the caller wants everything its processes made so far in
// the ring.
func (e *Engine) flushSession(sid, gen uint32) {
	var hdrs []eprocBatchHdr
	for try := 0; try < 100; try++ {
		if err := e.objs.BatchHdrs.Lookup(uint32(0), &hdrs); err != nil {
			e.log.Warn("batches", errField(err), sidField(sid))
			return
		}
		left := false
		for cpu, h := range hdrs {
			if h.Len != 0 && h.Sid == sid && h.Gen == gen {
				left = true
				e.flushCPU(cpu)
			}
		}
		if !left {
			return
		}
		if try > 0 {
			time.Sleep(50 * time.Microsecond)
		}
	}
	e.log.Warn("batches: a CPU kept its batch busy", sidField(sid))
}

// flushCPU runs flush_batch on cpu: in its interrupt there (or here, when
// this thread runs on it).
func (e *Engine) flushCPU(cpu int) {
	_, err := e.objs.FlushBatch.Run(&ebpf.RunOptions{CPU: uint32(cpu), Flags: unix.BPF_F_TEST_RUN_ON_CPU})
	if err != nil {
		e.log.Warn("flush a CPU's batch", errField(err), zap.Int("cpu", cpu))
	}
}
