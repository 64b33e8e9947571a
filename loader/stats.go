package loader

import (
	"fmt"
	"reflect"
	"time"

	"github.com/cilium/ebpf"
)

// What the engine can tell about itself, for metrics: read when asked,
// from what it keeps anyway.

// RingBytes is the kernel memory the engine's ring buffers hold: those of
// live sessions, those kept between sessions (slots.go), and the spare.
func (e *Engine) RingBytes() (live, kept, spare int) {
	e.mu.Lock()
	for sid, r := range e.rings {
		switch {
		case r == nil:
		case e.slots[sid] != nil:
			live += r.size
		default:
			kept += r.size
		}
	}
	e.mu.Unlock()
	e.spareMu.Lock()
	if e.spare != nil {
		spare = e.spare.size
	}
	e.spareMu.Unlock()
	return live, kept, spare
}

// AllKVMCounts returns the exits of every process that ran a guest, by
// process and reason (KVMCounts' for each; a process's counts go with it
// when it exits).
func (e *Engine) AllKVMCounts() (map[int]map[KVMReason]uint64, error) {
	out := map[int]map[KVMReason]uint64{}
	var k eprocKvmKey
	var per []uint64
	it := e.objs.KvmCounts.Iterate()
	for it.Next(&k, &per) {
		var n uint64
		for _, v := range per {
			n += v
		}
		if n == 0 {
			continue
		}
		m := out[int(k.Tgid)]
		if m == nil {
			m = map[KVMReason]uint64{}
			out[int(k.Tgid)] = m
		}
		m[KVMReason{ISA: k.Isa, Reason: k.Reason}] += n
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("read KVM exit counts: %w", err)
	}
	return out, nil
}

// ProgramStats are the kernel's run statistics of one of the engine's BPF
// programs. They grow only while the kernel keeps them: the sysctl
// kernel.bpf_stats_enabled is 1, or some process holds BPF_ENABLE_STATS.
type ProgramStats struct {
	Name     string // as in the BPF object (sys_exit, kvm_exit ...)
	RunCount uint64
	RunTime  time.Duration
}

// ProgramStats reads every loaded program's run statistics, by name.
func (e *Engine) ProgramStats() ([]ProgramStats, error) {
	var out []ProgramStats
	v := reflect.ValueOf(&e.objs.eprocPrograms).Elem()
	for i := 0; i < v.NumField(); i++ {
		p, ok := v.Field(i).Interface().(*ebpf.Program)
		if !ok || p == nil {
			continue
		}
		name := v.Type().Field(i).Tag.Get("ebpf")
		st, err := p.Stats()
		if err != nil {
			return out, fmt.Errorf("stats of BPF program %s: %w", name, err)
		}
		out = append(out, ProgramStats{Name: name, RunCount: st.RunCount, RunTime: st.Runtime})
	}
	return out, nil
}
