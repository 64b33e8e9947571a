package loader

import (
	"errors"
	"fmt"
	"os"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// Loading the objects: the maps first, then the programs in two groups
// loaded at once, sys_exit alone and the rest, about as long as each other
// to verify (66k and 63k instructions): the verifier checks one program on
// one CPU, and most of the start-up of `eproc trace` is spent in it.

// prepare sets the constants of the programs in spec for this kernel and
// this process.
func (e *Engine) prepare(spec *ebpf.CollectionSpec) error {
	if err := setSyscallNrs(spec); err != nil {
		return err
	}
	var err error
	if e.kvmOff, err = setKVMOffsets(spec); err != nil {
		return err
	}
	Phase("kvm offsets")
	if err := spec.Variables["self_tgid"].Set(uint32(os.Getpid())); err != nil {
		return fmt.Errorf("set self_tgid: %w", err)
	}
	if e.prepareExec {
		if err := spec.Variables["exec_at_prepare"].Set(uint32(1)); err != nil {
			return fmt.Errorf("set exec_at_prepare: %w", err)
		}
	} else {
		// Linux < 6.10: execve's arguments come from the syscalls'
		// entry tracepoints instead. The program reads no tracepoint
		// argument, so it loads against another tracepoint and stays
		// detached.
		spec.Programs["sched_prepare_exec"].AttachTo = "sched_process_exec"
	}
	return nil
}

// loadObjects creates spec's maps and loads its programs into objs.
// holder keeps what objs does not hold (the .rodata and .bss maps behind
// the variables): closed with the engine.
func loadObjects(spec *ebpf.CollectionSpec, types *btf.Cache, objs *eprocObjects) (holder *ebpf.Collection, err error) {
	mapsOnly := spec.Copy()
	mapsOnly.Programs = nil
	coll, err := ebpf.NewCollection(mapsOnly)
	if err != nil {
		return nil, fmt.Errorf("create BPF maps: %w", err)
	}
	coll.Programs = map[string]*ebpf.Program{}
	alone, rest := spec.Copy(), spec.Copy()
	for name := range spec.Programs {
		if name == "sys_exit" {
			delete(rest.Programs, name)
		} else {
			delete(alone.Programs, name)
		}
	}
	opts := ebpf.CollectionOptions{MapReplacements: coll.Maps, Cache: types}
	done := make(chan error, 1)
	var one *ebpf.Collection
	go func() {
		var err error
		one, err = ebpf.NewCollectionWithOptions(alone, opts)
		done <- err
	}()
	two, err := ebpf.NewCollectionWithOptions(rest, opts)
	err = errors.Join(err, <-done)
	for _, c := range []*ebpf.Collection{one, two} {
		if c == nil {
			continue
		}
		for name, p := range c.Programs {
			coll.Programs[name] = p
		}
		c.Programs = nil
		c.Close() // the clones of the maps
	}
	if err == nil {
		err = coll.Assign(objs)
	}
	if err != nil {
		coll.Close()
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("load BPF programs: %+v", ve)
		}
		return nil, fmt.Errorf("load BPF programs: %w", err)
	}
	return coll, nil
}
