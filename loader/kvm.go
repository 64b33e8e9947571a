package loader

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/eproc/eproc/loader/wire"
	"go.uber.org/zap"
)

// KVM exits are counted for every process that runs a guest, traced or not,
// for as long as the engine is open: kvm_exit (the kvm:kvm_exit tracepoint)
// and kvm_process_exit (which forgets a VMM's counts when it exits) stay
// attached whether or not any session is live. A traced VMM's exits also
// enter its session's ring. The kvm tracepoints exist only while the kvm
// module is loaded: until then, the engine looks again every kvmWatch.

// KVMReason keys a VMM's exit counts.
type KVMReason struct {
	ISA    uint32
	Reason uint32
}

// kvmFields are the kvm_exit fields the program reads, their sizes, and the
// constant in the object that holds each one's offset.
var kvmFields = []struct {
	name  string
	size  int
	konst string
}{
	{"exit_reason", 4, "kvm_off_reason"},
	{"guest_rip", 8, "kvm_off_rip"},
	{"isa", 4, "kvm_off_isa"},
	{"info1", 8, "kvm_off_info1"},
	{"info2", 8, "kvm_off_info2"},
	{"vcpu_id", 4, "kvm_off_vcpu"},
}

var fieldRe = regexp.MustCompile(`field:[^;]*?\b(\w+)(?:\[\d*\])?;\s*offset:(\d+);\s*size:(\d+);`)

// kvmOffsets reads kvm:kvm_exit's format file: the offset of each field
// the program reads, by constant name. os.ErrNotExist: kvm is not loaded;
// errors.ErrUnsupported: its exits are not x86's (see kvmParseOffsets).
func kvmOffsets() (map[string]uint32, error) {
	b, err := wire.KVMExitFormat()
	if err != nil {
		return nil, err
	}
	return kvmParseOffsets(b)
}

// kvmParseOffsets reads the offsets from a format file. The program knows
// x86's exits (SVM and VMX); arm64's kvm_exit has other fields (ret,
// esr_ec, vcpu_pc) and no exit_reason: errors.ErrUnsupported, so that eproc
// runs there without counting them, instead of failing to start.
func kvmParseOffsets(b []byte) (map[string]uint32, error) {
	type fld struct{ off, size int }
	got := map[string]fld{}
	for _, m := range fieldRe.FindAllStringSubmatch(string(b), -1) {
		off, _ := strconv.Atoi(m[2])
		size, _ := strconv.Atoi(m[3])
		got[m[1]] = fld{off, size}
	}
	if _, ok := got["exit_reason"]; !ok {
		return nil, fmt.Errorf("kvm:kvm_exit has no exit_reason (not x86's), KVM exits are not counted: %w", errors.ErrUnsupported)
	}
	out := map[string]uint32{}
	for _, k := range kvmFields {
		g, ok := got[k.name]
		if !ok || g.size != k.size {
			return nil, fmt.Errorf("kvm:kvm_exit: field %s: want %d bytes, format says %+v", k.name, k.size, g)
		}
		out[k.konst] = uint32(g.off)
	}
	return out, nil
}

// setKVMOffsets fills the object's offsets from the running kernel's
// format, where kvm is loaded; otherwise the defaults stay (those of 6.1 to
// 6.18), to be checked when the tracepoint appears (or, not x86's, never
// attached).
func setKVMOffsets(spec *ebpf.CollectionSpec) (map[string]uint32, error) {
	offs, err := kvmOffsets()
	if err != nil && !errors.Is(err, os.ErrNotExist) && !errors.Is(err, errors.ErrUnsupported) {
		return nil, err
	}
	loaded := map[string]uint32{}
	for _, k := range kvmFields {
		vs, ok := spec.Variables[k.konst]
		if !ok {
			return nil, fmt.Errorf("BPF object has no %s", k.konst)
		}
		if v, ok := offs[k.konst]; ok {
			if err := vs.Set(v); err != nil {
				return nil, fmt.Errorf("set %s: %w", k.konst, err)
			}
		}
		var v uint32
		if err := vs.Get(&v); err != nil {
			return nil, fmt.Errorf("get %s: %w", k.konst, err)
		}
		loaded[k.konst] = v
	}
	return loaded, nil
}

// attachKVMLocked attaches the counting programs where they are not yet.
// The process-exit half goes first, so no VMM's counts outlive it.
func (e *Engine) attachKVMLocked() error {
	if e.kvmExitLink == nil {
		l, err := link.AttachTracing(link.TracingOptions{Program: e.objs.KvmProcessExit})
		if err != nil {
			return fmt.Errorf("attach kvm_process_exit: %w", err)
		}
		e.kvmExitLink = l
	}
	if e.kvmLink != nil {
		return nil
	}
	offs, err := kvmOffsets()
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil // no kvm module (yet): nothing to count
		}
		return err
	}
	for k, v := range offs {
		if e.kvmOff[k] != v {
			return fmt.Errorf("kvm:kvm_exit changed layout since load (%s: %d, loaded %d): restart eproc", k, v, e.kvmOff[k])
		}
	}
	l, err := link.Tracepoint("kvm", "kvm_exit", e.objs.KvmExit, nil)
	if err != nil {
		return fmt.Errorf("attach kvm:kvm_exit: %w", err)
	}
	e.kvmLink = l
	e.log.Info("counting KVM exits")
	return nil
}

func (e *Engine) detachKVMLocked() {
	for _, l := range []*link.Link{&e.kvmLink, &e.kvmExitLink} {
		if *l != nil {
			e.closeLinkLocked(*l)
			*l = nil
		}
	}
}

// watchKVM attaches kvm_exit when the kvm module appears (it is loaded on
// demand, often after eproc starts): it looks every kvmWatch.
func (e *Engine) watchKVM() {
	t := time.NewTicker(kvmWatch)
	defer t.Stop()
	for range t.C {
		e.mu.Lock()
		e.kvmRetryLocked()
		done := e.closed || e.kvmLink != nil || errors.Is(e.kvmErr, errors.ErrUnsupported)
		e.mu.Unlock()
		if done {
			return
		}
	}
}

const kvmWatch = 2 * time.Second

// KVMAttached reports whether kvm:kvm_exit is being counted (the kvm module
// is loaded), trying to attach first if it was not.
func (e *Engine) KVMAttached() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.kvmRetryLocked()
	return e.kvmLink != nil
}

func (e *Engine) kvmRetryLocked() {
	if e.closed || e.kvmLink != nil {
		return
	}
	if err := e.attachKVMLocked(); err != nil && e.kvmErr == nil {
		e.kvmErr = err
		if errors.Is(err, errors.ErrUnsupported) {
			e.log.Info("KVM exits not counted", zap.Error(err)) // arm64: expected
		} else {
			e.log.Error("KVM exits not counted", zap.Error(err))
		}
	}
}

// KVMCounts returns the exits process tgid's guests made, by reason, since
// its first exit (or since the engine opened, if later). Empty for a
// process that never ran a guest.
func (e *Engine) KVMCounts(tgid int) (map[KVMReason]uint64, error) {
	out := map[KVMReason]uint64{}
	var k eprocKvmKey
	var per []uint64
	it := e.objs.KvmCounts.Iterate()
	for it.Next(&k, &per) {
		if k.Tgid != uint32(tgid) {
			continue
		}
		var n uint64
		for _, v := range per {
			n += v
		}
		if n > 0 {
			out[KVMReason{ISA: k.Isa, Reason: k.Reason}] += n
		}
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("read KVM exit counts: %w", err)
	}
	return out, nil
}

// KVMUncounted reports how many exits found the count maps full.
func (e *Engine) KVMUncounted() uint64 {
	var per []uint64
	if err := e.objs.KvmUncounted.Lookup(uint32(0), &per); err != nil {
		return 0
	}
	var n uint64
	for _, v := range per {
		n += v
	}
	return n
}

// KVMEntries reports how many (process, reason) counters and VMM processes
// the maps hold (for leak tests).
func (e *Engine) KVMEntries() (counters, vmms int) {
	var k eprocKvmKey
	var per []uint64
	for it := e.objs.KvmCounts.Iterate(); it.Next(&k, &per); {
		counters++
	}
	var tg, one uint32
	for it := e.objs.KvmVmms.Iterate(); it.Next(&tg, &one); {
		vmms++
	}
	return counters, vmms
}

// InjectKVMExit runs the kvm_exit accounting, in the kernel, for an exit of
// thread tid of process tgid, as if kvm:kvm_exit had fired: the same counts
// and, for a traced process, the same ring and record. For tests on
// machines without VMX or SVM. The record goes into the batch of the CPU
// the calling thread runs on: a thread's records keep their order as a
// real vCPU thread's do only when one OS thread injects them all
// (runtime.LockOSThread), since the batches keep each kernel task's order.
func (e *Engine) InjectKVMExit(tgid, tid int, x wire.KVMExit) error {
	e.mu.Lock()
	err := e.loadLazyInto(lazyProg{"kvm_exit_inject", &e.objs.KvmExitInject})
	e.mu.Unlock()
	if err != nil {
		return err
	}
	ctx := []uint64{uint64(tgid)<<32 | uint64(uint32(tid)), uint64(x.Reason), uint64(x.ISA), uint64(x.VCPU), x.RIP, x.Info1, x.Info2}
	if _, err := e.objs.KvmExitInject.Run(&ebpf.RunOptions{Context: ctx}); err != nil {
		return fmt.Errorf("run kvm_exit_inject: %w", err)
	}
	return nil
}
