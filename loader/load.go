package loader

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"
)

// Loading the objects: the maps first, then the programs, one CPU each
// (loadPrograms): the verifier checks one program on one CPU, and most of
// the start-up of `eproc trace` is spent in it.

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

// lazyProgs are the programs loaded when first wanted, not with the
// others (loadLazy), so that no start of eproc trace waits for their
// verification: stack_exit and stack_signal (strace -k; ~55k
// instructions); on a kernel with sched_prepare_exec, execve's and
// execveat's entry programs, which only older ones use; in a one-shot
// engine (eproc trace), the stops (the view's ctl verbs).
func (e *Engine) lazyProgs() map[string]bool {
	// sys_enter stands in for entry_capture while it is attached: an
	// engine whose first session wants entry times loads the one, else
	// the other, and the second when it needs it.
	lazy := map[string]bool{"stack_exit": true, "stack_signal": true, "sys_enter": !e.entryTimes, "entry_capture": e.entryTimes,
		"kvm_exit_inject": true} // tests' only (InjectKVMExit)
	if e.prepareExec {
		lazy["execve_enter"], lazy["execveat_enter"] = true, true
	}
	if e.oneShot {
		for _, name := range stopProgs {
			lazy[name] = true
		}
	}
	return lazy
}

// load creates the maps and loads the programs (loadObjects), then readies
// what the engine keeps beside them: tgid_bits' mapping, the stops, the
// grace periods' map and, for a one-shot engine, slot 0's ring
// (primeRing).
func (e *Engine) load(spec *ebpf.CollectionSpec, types *btf.Cache, typesReady <-chan struct{}) error {
	var primed chan primedRing
	afterMaps := func(rings *ebpf.Map) {
		if e.oneShot { // a daemon's first session waits once; an idle daemon keeps no extra ring
			primed = e.primeRing(rings)
		}
	}
	dropPrimed := func() {
		if primed != nil {
			if p := <-primed; p.r != nil {
				p.r.close()
			}
		}
	}
	var err error
	if e.holder, e.lazy, err = loadObjects(spec, types, typesReady, e.lazyProgs(), &e.objs, afterMaps); err != nil {
		dropPrimed()
		return err
	}
	Phase("load and verify")
	if e.bits, err = unix.Mmap(e.objs.TgidBits.FD(), 0, int(e.objs.TgidBits.MaxEntries())*8, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err != nil {
		dropPrimed()
		e.objs.Close()
		e.holder.Close()
		return fmt.Errorf("map tgid_bits: %w", err)
	}
	if e.nproc, err = unix.Mmap(e.objs.Nproc.FD(), 0, int(e.objs.Nproc.MaxEntries())*8, unix.PROT_READ, unix.MAP_SHARED); err != nil {
		dropPrimed()
		unix.Munmap(e.bits)
		e.objs.Close()
		e.holder.Close()
		return fmt.Errorf("map nproc: %w", err)
	}
	if err := e.openStops(); err != nil {
		dropPrimed()
		unix.Munmap(e.nproc)
		unix.Munmap(e.bits)
		e.objs.Close()
		e.holder.Close()
		return err
	}
	if err := e.startSlots(); err != nil {
		dropPrimed()
		e.closeStops()
		unix.Munmap(e.nproc)
		unix.Munmap(e.bits)
		e.objs.Close()
		e.holder.Close()
		return err
	}
	if primed != nil {
		e.rings[0] = (<-primed).r
	}
	return nil
}

// loadObjects creates spec's maps and loads its programs into objs, but
// lazyProgs; afterMaps is called with the rings map once the maps are
// made. typesReady is closed once types holds the kernel's BTF (read in
// the background: warmTypes). holder keeps what objs does not hold (the
// .rodata and .bss maps behind the variables): closed with the engine.
func loadObjects(spec *ebpf.CollectionSpec, types *btf.Cache, typesReady <-chan struct{}, lazyProgs map[string]bool, objs *eprocObjects, afterMaps func(rings *ebpf.Map)) (holder *ebpf.Collection, lazy *ebpf.CollectionSpec, err error) {
	coll, err := ebpf.NewCollection(sharing(spec, nil))
	if err != nil {
		return nil, nil, fmt.Errorf("create BPF maps: %w", err)
	}
	Phase("maps")
	afterMaps(coll.Maps["rings"])
	coll.Programs = map[string]*ebpf.Program{}
	lazy = sharing(spec, map[string]*ebpf.ProgramSpec{})
	var names []string
	for name, p := range spec.Programs {
		if lazyProgs[name] {
			lazy.Programs[name] = p
			continue
		}
		names = append(names, name)
	}
	err = loadPrograms(spec, names, typesReady, ebpf.CollectionOptions{MapReplacements: coll.Maps, Cache: types}, coll.Programs)
	if err == nil {
		err = assignObjects(coll, objs, lazyProgs)
	}
	if err != nil {
		coll.Close()
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			return nil, nil, fmt.Errorf("load BPF programs: %+v", ve)
		}
		return nil, nil, fmt.Errorf("load BPF programs: %w", err)
	}
	return coll, lazy, nil
}

// sharing is a CollectionSpec of progs with spec's maps, variables and
// types, not copies of them: nothing changes them once prepare has run,
// and a deep copy of an object (its programs' instructions, its types) is
// ~10 MB of heap, each page of it a fault (~5% of eproc trace's start-up
// faults on the family 26 machine).
func sharing(spec *ebpf.CollectionSpec, progs map[string]*ebpf.ProgramSpec) *ebpf.CollectionSpec {
	return &ebpf.CollectionSpec{Maps: spec.Maps, Programs: progs, Variables: spec.Variables, Types: spec.Types, ByteOrder: spec.ByteOrder}
}

// needsKernelTypes says whether loading p reads the kernel's BTF: to find
// its attach point (tp_btf), or for its CO-RE relocations.
func needsKernelTypes(p *ebpf.ProgramSpec) bool {
	if p.Type == ebpf.Tracing {
		return true
	}
	for _, ins := range p.Instructions {
		if btf.CORERelocationMetadata(&ins) != nil {
			return true
		}
	}
	return false
}

// loadPrograms loads spec's programs names into progs, each on its own
// against the maps in opts, on as many threads as there are CPUs: the
// kernel verifies a program on the thread that loads it, and verification
// is most of eproc trace's start-up. The longest first (by instructions),
// each thread taking the next when it is done, so that the threads end
// together; until typesReady is closed, only those that do not need the
// kernel's BTF (needsKernelTypes), while it is read.
func loadPrograms(spec *ebpf.CollectionSpec, names []string, typesReady <-chan struct{}, opts ebpf.CollectionOptions, progs map[string]*ebpf.Program) error {
	sort.Slice(names, func(i, j int) bool {
		return len(spec.Programs[names[i]].Instructions) > len(spec.Programs[names[j]].Instructions)
	})
	needs := map[string]bool{}
	for _, name := range names {
		needs[name] = needsKernelTypes(spec.Programs[name])
	}
	var (
		mu    sync.Mutex
		wake  = sync.NewCond(&mu)
		ready bool
		errs  []error
		wg    sync.WaitGroup
	)
	go func() {
		<-typesReady
		mu.Lock()
		ready = true
		wake.Broadcast()
		mu.Unlock()
	}()
	// next takes the longest program left that can load now; "" when none
	// is left.
	next := func() string {
		mu.Lock()
		defer mu.Unlock()
		for {
			if len(names) == 0 || len(errs) > 0 {
				return ""
			}
			for i, name := range names {
				if ready || !needs[name] {
					names = append(names[:i], names[i+1:]...)
					return name
				}
			}
			wake.Wait()
		}
	}
	work := func() {
		defer wg.Done()
		for name := next(); name != ""; name = next() {
			t0 := time.Now()
			c, err := ebpf.NewCollectionWithOptions(sharing(spec, map[string]*ebpf.ProgramSpec{name: spec.Programs[name].Copy()}), opts)
			if phaseOn {
				fmt.Fprintf(os.Stderr, "eproc: startup: load %-20s %6.2f ms (from %6.2f ms)%s\n", name,
					float64(time.Since(t0).Microseconds())/1000, float64(t0.Sub(phaseZero).Microseconds())/1000, verifierStats(c, name))
			}
			mu.Lock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				wake.Broadcast()
			} else {
				progs[name] = c.Programs[name]
				delete(c.Programs, name)
			}
			mu.Unlock()
			if c != nil {
				c.Close() // the clones of the maps
			}
		}
	}
	opts.Programs.LogLevel = phaseLogLevel()
	n := min(runtime.NumCPU(), len(names))
	wg.Add(n)
	for range n {
		go work()
	}
	wg.Wait()
	if len(errs) > 0 {
		for _, p := range progs {
			p.Close()
		}
		return errors.Join(errs...)
	}
	return nil
}

// assignObjects is coll.Assign(objs) without lazyProgs, which are nil
// until loadLazy.
func assignObjects(coll *ebpf.Collection, objs *eprocObjects, lazyProgs map[string]bool) error {
	if err := coll.Assign(&objs.eprocMaps); err != nil {
		return err
	}
	if err := coll.Assign(&objs.eprocVariables); err != nil {
		return err
	}
	v := reflect.ValueOf(&objs.eprocPrograms).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Tag.Get("ebpf")
		if p := coll.Programs[name]; p != nil {
			v.Field(i).Set(reflect.ValueOf(p))
		} else if !lazyProgs[name] {
			return fmt.Errorf("missing program %q", name)
		}
	}
	return nil
}

// lazyProg is a program of lazyProgs and where the engine keeps it.
type lazyProg struct {
	name string
	to   **ebpf.Program
}

// loadLazyInto loads those of ps not loaded yet (loadLazy).
func (e *Engine) loadLazyInto(ps ...lazyProg) error {
	for _, p := range ps {
		if *p.to != nil {
			continue
		}
		prog, err := e.loadLazy(p.name)
		if err != nil {
			return err
		}
		*p.to = prog
	}
	return nil
}

// loadLazy loads program name of lazyProgs, against the engine's maps.
// (The kernel's BTF is read again: the engine does not keep its ~5 MB.)
func (e *Engine) loadLazy(name string) (*ebpf.Program, error) {
	one := sharing(e.lazy, map[string]*ebpf.ProgramSpec{name: e.lazy.Programs[name].Copy()})
	// The engine's maps: objs holds most (Assign took them out of the
	// holder), the holder the rest.
	maps := map[string]*ebpf.Map{}
	for name, m := range e.holder.Maps {
		maps[name] = m
	}
	v := reflect.ValueOf(&e.objs.eprocMaps).Elem()
	for i := range v.NumField() {
		if m, ok := v.Field(i).Interface().(*ebpf.Map); ok && m != nil {
			maps[v.Type().Field(i).Tag.Get("ebpf")] = m
		}
	}
	for name := range maps {
		if _, ok := one.Maps[name]; !ok {
			delete(maps, name)
		}
	}
	coll, err := ebpf.NewCollectionWithOptions(one, ebpf.CollectionOptions{MapReplacements: maps})
	if err != nil {
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("load %s: %+v", name, ve)
		}
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	p := coll.Programs[name]
	delete(coll.Programs, name)
	coll.Close() // the clones of the maps
	return p, nil
}
