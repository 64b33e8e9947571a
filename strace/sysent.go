package strace

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/eproc/eproc/loader/wire"
)

// This file holds the syscall table machinery. A syscall's signature is a
// list of argument kinds; each kind knows how strace prints it, whether it
// is an output (printed when the call returns, after `<... resumed>`), and
// what the BPF program must capture for it. The capture plans the kernel
// side follows are derived from the same table, so what is captured and
// what is printed cannot drift apart.

// kind is an argument kind: an index into kinds.
type kind uint16

// capRule is what BPF captures for an argument of some kind.
type capRule struct {
	kind     uint8 // wire.CK*; 0: nothing
	sizeFrom uint8 // wire.Sz*
	sizeRel  int8  // with SzArg/SzArg32/SzArgPtr/SzIoc: the size argument, relative to this one
	elem     uint16
	max      uint16 // 0: the session's strsize
	when     uint8  // wire.CW*
	// entry: bytes also read as the call enters (wire.CWEntry, at most 8):
	// the value the call was given, element wire.EntryIdx of the
	// argument's captures. entryOff: read that many bytes past the
	// address the argument holds (a multiple of 8): a field of its struct.
	// A rule of kind wire.CKNone with entry (in also) reads those bytes
	// only: a further word of the same argument, element wire.EntryIdx
	// too, after the first (entryBytes).
	entry, entryOff uint8
	// ptrOff, cntOff, cntSize: wire.CKDeref's (see wire.CapSpec); a
	// wire.CKMem rule's ptrOff is its element index; itemPtr, itemLen,
	// itemLenSize: wire.CKDerefItems'.
	ptrOff, cntOff, cntSize       uint8
	itemPtr, itemLen, itemLenSize uint8
	// also: further captures of the same argument (what pointers in the
	// struct it points to point to: wire.CKDeref); a pointer, so that
	// rules stay comparable.
	also *[]capRule
}

// kindInfo describes one argument kind.
type kindInfo struct {
	out bool // an output: printed at exit
	cap capRule
	fmt func(p *printer, c *Call, i int)
}

// Class is a set of strace's syscall classes (-e trace=%file ...).
type Class uint32

const (
	ClassFile Class = 1 << iota
	ClassDesc
	ClassProcess
	ClassNetwork
	ClassMemory
	ClassSignal
	ClassIPC
	ClassCreds
	ClassClock
	ClassStat
	ClassLstat
	ClassFstat
	ClassStatfs
	ClassPure
	ClassFstatfs    // %fstatfs
	ClassStatfsLike // in %%statfs only (ustat)
)

// ClassNames maps strace's %names to classes.
var ClassNames = map[string]Class{
	"file": ClassFile, "desc": ClassDesc, "process": ClassProcess, "network": ClassNetwork, "net": ClassNetwork,
	"memory": ClassMemory, "signal": ClassSignal, "ipc": ClassIPC, "creds": ClassCreds, "clock": ClassClock,
	"stat": ClassStat, "lstat": ClassLstat, "fstat": ClassFstat, "statfs": ClassStatfs, "pure": ClassPure,
	"fstatfs": ClassFstatfs,
	// %%stat and %%statfs: strace's TRACE_STAT_LIKE and TRACE_STATFS_LIKE.
	"%stat": ClassStat | ClassLstat | ClassFstat, "%statfs": ClassStatfs | ClassFstatfs | ClassStatfsLike,
}

// sig is a syscall's signature.
type sig struct {
	args  []kind
	class Class
	ret   func(p *printer, c *Call) // nil: decimal, errors as -1 ERRNO (...)
	// nargs, when set, says how many of args this call prints (openat's mode
	// only with O_CREAT, fcntl's third argument only for some commands).
	nargs    func(c *Call) int
	noreturn bool // exit, exit_group
	// exitPart: an argument printed at entry adds what the call returned
	// (clone3's " => {...}"), so a line left open by the call's entry
	// record (it blocked: under a seccomp listener, -e inject=) is printed
	// again, whole, from its return when nothing came between.
	exitPart bool
	// sepAtExit: the ", " between the arguments printed at entry and those
	// printed once the call returned is printed with the latter, as
	// strace's clone does (`flags=... <unfinished ...>`, then
	// `<... clone resumed>, child_tidptr=...`); else with the former
	// (`read(0,  <unfinished ...>`).
	sepAtExit bool
	exec      bool // execve, execveat
	raw       bool // -e raw=: the result in hex (raw.go)
	// sel, when set, gives some calls other captures than their kinds'
	// (ioctl's requests, fcntl's commands...): see selector.
	sel *selector
	// outFrom, when set, is the index of call c's first output argument
	// (noOut: none), for calls whose outputs depend on another argument.
	outFrom func(c *Call) int
	// firstOut is the index of the first output argument, or noOut; set
	// by buildTable, as split needs it on every call.
	firstOut int
}

// Sysent is one row of the syscall table.
type Sysent struct {
	Nr   uint32
	Name string
	sig  *sig
	// call is Name and "(": how a line's call begins (callStart); in
	// callFixed too when it fits (n 0: it does not).
	call      string
	callFixed fixed
	// nargs is the argument count a syscall without sig prints.
	nargs uint8
}

var (
	sigTables []map[string]sig // registered by the family files' init
	tableOnce sync.Once
	table     []Sysent // by number
	byName    map[string]uint32
)

// A selector picks a call's captures by one of its arguments, as strace
// picks the decoder of ioctl's request or fcntl's command: the call's
// (args[arg] >> shift) & mask is looked up in cases (in the kernel, one
// hash lookup for these syscalls only), and a case's rules replace the
// captures of the argument positions it names (a zero capRule: nothing
// captured there). Other values keep the kinds' captures. cases is called
// when the plans are made, after every family's init has registered.
type selector struct {
	arg, shift uint8
	mask       uint32
	cases      func() map[uint32]map[int]capRule // nil: none but more's
	// more, when set, gives some cases further captures of an argument,
	// after its rule (the case's, or its kind's when the case names it
	// not): what a pointer in the struct it points to points to
	// (wire.CKDeref). A value here is a case even when cases has it not.
	more func() map[uint32]map[int][]capRule
}

// registerSigs adds a family's signatures. Called from init functions.
func registerSigs(m map[string]sig) { sigTables = append(sigTables, m) }

// generics[n] is the signature of a syscall nothing more is known of but
// its argument count n (sysargs; six when unknown): raw registers, printed
// as strace prints an undecoded syscall's.
var generics [7]sig

// kRaw is an argument strace has no decoder for: 0, or hexadecimal.
var kRaw = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.c('0')
		return
	}
	p.x(c.Args[i])
}})

func buildTable() {
	tableOnce.Do(func() {
		merged := map[string]sig{}
		for _, m := range sigTables {
			for name, s := range m {
				merged[name] = s
			}
		}
		raw := []kind{kRaw, kRaw, kRaw, kRaw, kRaw, kRaw}
		for n := range generics {
			generics[n] = sig{args: raw[:n], firstOut: noOut}
		}
		table = make([]Sysent, len(sysnames))
		byName = map[string]uint32{}
		for nr, name := range sysnames {
			if name == "" {
				continue
			}
			e := Sysent{Nr: uint32(nr), Name: name, call: name + "(", nargs: 6}
			if len(e.call) <= len(e.callFixed.b) {
				e.callFixed.n = uint8(copy(e.callFixed.b[:], e.call))
			}
			if n, ok := sysargs[name]; ok {
				e.nargs = n
			}
			if s, ok := merged[name]; ok {
				s := s
				s.firstOut = firstOut(s.args)
				e.sig = &s
			}
			table[nr] = e
			byName[name] = uint32(nr)
		}
	})
}

// Lookup returns the table row for syscall nr, or nil.
func Lookup(nr uint32) *Sysent {
	buildTable()
	return lookup(nr)
}

// lookup is Lookup once the table is built (a Decoder's NewDecoder built
// it): the decoder looks up every record, and sync.Once is not free.
func lookup(nr uint32) *Sysent {
	if int(nr) >= len(table) || table[nr].Name == "" {
		return nil
	}
	return &table[nr]
}

// Number returns the syscall number of name on this architecture.
func Number(name string) (uint32, bool) {
	buildTable()
	nr, ok := byName[name]
	return nr, ok
}

// Names returns every syscall name this architecture has, sorted.
func Names() []string {
	buildTable()
	var out []string
	for name := range byName {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Decoded reports whether the table has a signature for nr (not only a name).
func Decoded(nr uint32) bool {
	e := Lookup(nr)
	return e != nil && e.sig != nil
}

func (e *Sysent) signature() *sig {
	if e == nil {
		return &generics[6]
	}
	if e.sig == nil {
		return &generics[e.nargs]
	}
	return e.sig
}

// Classes returns the syscall numbers in any of the classes.
func Classes(c Class) []uint32 {
	buildTable()
	var out []uint32
	for _, e := range table {
		if e.sig != nil && e.sig.class&c != 0 {
			out = append(out, e.Nr)
		}
	}
	return out
}

// Plans derives the BPF capture plans from the table.
func Plans() map[uint32]wire.Plan {
	buildTable()
	out := map[uint32]wire.Plan{}
	for _, e := range table {
		if e.Name == "" || e.sig == nil {
			continue
		}
		var pl wire.Plan
		if e.sig.noreturn {
			pl.Flags |= wire.PFNoReturn
		}
		if e.sig.exec {
			pl.Flags |= wire.PFExec
		}
		pl.Flags |= dumpFlag(e.Name)
		var n int
		pl.Caps, n = capSpecs(e.sig.args, nil, nil)
		n = fdInoSpec(e.Name, &pl.Caps, n)
		for _, cs := range pl.Caps[:n] {
			if cs.When&wire.CWEntry != 0 {
				pl.Flags |= wire.PFEntry
				pl.Name = e.Name
			}
		}
		if w, ok := wholeCaps[e.Name]; ok && e.sig.sel == nil {
			pl.Flags |= wire.PFWhole
			c := wire.Plan{Flags: pl.Flags}
			if w.over {
				c.Caps, _ = capSpecs(e.sig.args, map[int]capRule{w.arg: w.rule}, nil)
			} else {
				c.Caps, _ = capSpecs(e.sig.args, nil, map[int][]capRule{w.arg: {w.rule}})
			}
			pl.Cases = map[uint32]wire.Plan{wire.WholeSel: c}
		}
		if sl := e.sig.sel; sl != nil {
			pl.Flags |= wire.PFSelect
			pl.SelArg, pl.SelShift, pl.SelMask = sl.arg, sl.shift, sl.mask
			pl.Cases = map[uint32]wire.Plan{}
			for v, cs := range sl.plans() {
				c := wire.Plan{Flags: pl.Flags &^ wire.PFSelect}
				c.Caps, _ = capSpecs(e.sig.args, cs.over, cs.more)
				pl.Cases[v] = c
			}
		}
		if n > 0 || pl.Flags != 0 {
			out[e.Nr] = pl
		}
	}
	return out
}

// selCase is a selector's case: its rules by argument (over), and the
// further rules of some arguments (more).
type selCase struct {
	over map[int]capRule
	more map[int][]capRule
}

// plans are the selector's cases: cases' and more's values.
func (sl *selector) plans() map[uint32]selCase {
	out := map[uint32]selCase{}
	if sl.cases != nil {
		for v, over := range sl.cases() {
			out[v] = selCase{over: over}
		}
	}
	if sl.more != nil {
		for v, more := range sl.more() {
			cs := out[v]
			cs.more = more
			out[v] = cs
		}
	}
	return out
}

// capSpecs are the captures of a signature's arguments, those named in
// over by over's rules, then more's rules of the arguments it names; n of
// them are used.
func capSpecs(args []kind, over map[int]capRule, more map[int][]capRule) (caps [wire.NCaps]wire.CapSpec, n int) {
	for i, k := range args {
		r, ok := over[i]
		if !ok {
			r = kinds[k].cap
		}
		rules := []capRule{r}
		if r.also != nil {
			rules = append(rules, *r.also...)
		}
		rules = append(rules, more[i]...)
		for _, r := range rules {
			if r.kind == wire.CKNone && r.entry == 0 || n == wire.NCaps {
				continue
			}
			if r.kind != wire.CKNone { // else a rule of entry bytes only
				caps[n] = capSpec(r, i)
				n++
			}
			if r.entry > 0 && n < wire.NCaps {
				caps[n] = wire.CapSpec{Kind: wire.CKMem, Arg: uint8(i), SizeFrom: wire.SzConst, Elem: uint16(r.entry),
					Max: uint16(r.entry), When: wire.CWEntry, Off: r.entryOff}
				n++
			}
		}
	}
	return caps, n
}

// capSpec is rule r of argument i as the kernel's plan holds it.
func capSpec(r capRule, i int) wire.CapSpec {
	cs := wire.CapSpec{Kind: r.kind, Arg: uint8(i), SizeFrom: r.sizeFrom, Elem: r.elem, Max: r.max, When: r.when,
		PtrOff: r.ptrOff, CntOff: r.cntOff, CntSize: r.cntSize, ItemPtr: r.itemPtr, ItemLen: r.itemLen, ItemLenSize: r.itemLenSize}
	switch {
	case r.sizeFrom == wire.SzArg, r.sizeFrom == wire.SzArg32, r.sizeFrom == wire.SzArgPtr,
		r.sizeFrom == wire.SzIoc, r.kind == wire.CKIov:
		cs.SizeArg = uint8(i + int(r.sizeRel))
	}
	return cs
}

// split returns how many of the call's n arguments are printed at entry:
// all arguments before the first output.
func (s *sig) split(c *Call, n int) int {
	if s.outFrom != nil {
		return min(n, s.outFrom(c))
	}
	return min(n, s.firstOut)
}

// noOut is firstOut for a signature without outputs: past any argument.
const noOut = len(Call{}.Args)

func firstOut(args []kind) int {
	for i, k := range args {
		if kinds[k].out {
			return i
		}
	}
	return noOut
}

func (s *sig) count(c *Call) int {
	if s.nargs != nil {
		return s.nargs(c)
	}
	return len(s.args)
}

// legacyClasses are the class names strace takes without their %.
var legacyClasses = map[string]Class{"desc": ClassDesc, "file": ClassFile, "memory": ClassMemory,
	"process": ClassProcess, "signal": ClassSignal, "ipc": ClassIPC, "network": ClassNetwork}

// ParseFilter turns strace's -e trace= expression into syscall numbers:
// names, %classes, and a leading ! to negate. Unknown names are an error.
func ParseFilter(expr string) ([]uint32, error) {
	buildTable()
	neg := strings.HasPrefix(expr, "!")
	expr = strings.TrimPrefix(expr, "!")
	want := map[uint32]bool{}
	for _, w := range strings.Split(expr, ",") {
		w = strings.TrimSpace(w)
		// "?NAME": no error if NAME is none of this machine's; "NAME@64":
		// the native personality's (the only one eproc traces).
		optional := strings.HasPrefix(w, "?")
		w = strings.TrimLeft(w, "?")
		if name, pers, ok := strings.Cut(w, "@"); ok && w != "" && w[0] != '/' {
			if pers != "64" {
				return nil, fmt.Errorf("incorrect personality designator '%s' in qualification '%s'", pers, w)
			}
			w = name
		}
		if optional {
			if w == "" {
				continue
			}
			if sub, err := ParseFilter(w); err == nil {
				for _, nr := range sub {
					want[nr] = true
				}
			}
			continue
		}
		switch {
		case w == "" || w == "all":
			for _, e := range table {
				if e.Name != "" {
					want[e.Nr] = true
				}
			}
		case w == "none":
		case strings.HasPrefix(w, "%"):
			c, ok := ClassNames[w[1:]]
			if !ok {
				return nil, &FilterError{Word: w}
			}
			for _, nr := range Classes(c) {
				want[nr] = true
			}
		case legacyClasses[w] != 0:
			// strace's legacy class names: trace=network is %network.
			for _, nr := range Classes(legacyClasses[w]) {
				want[nr] = true
			}
		case strings.HasPrefix(w, "/"):
			if !filterRegexp(w[1:], want) {
				return nil, &FilterError{Word: w}
			}
		case w[0] >= '0' && w[0] <= '9':
			// A number: the syscall of that number, if there is one.
			n, err := strconv.ParseUint(w, 10, 32)
			if err != nil || lookup(uint32(n)) == nil {
				return nil, &FilterError{Word: w}
			}
			want[uint32(n)] = true
		default:
			nr, ok := byName[w]
			if !ok {
				return nil, &FilterError{Word: w}
			}
			want[nr] = true
		}
	}
	out := []uint32{} // not nil: nil means every syscall
	for _, e := range table {
		if e.Name != "" && want[e.Nr] != neg {
			out = append(out, e.Nr)
		}
	}
	return out, nil
}

// filterRegexp adds the syscalls whose names match the expression (strace's
// -e trace=/REGEX) and reports whether any did.
func filterRegexp(expr string, want map[uint32]bool) bool {
	re, err := regexp.Compile(expr)
	if err != nil {
		return false
	}
	found := false
	for _, e := range table {
		if e.Name != "" && re.MatchString(e.Name) {
			want[e.Nr] = true
			found = true
		}
	}
	return found
}

// FilterError names a word of a filter expression that is not a syscall or class.
type FilterError struct{ Word string }

func (e *FilterError) Error() string { return "invalid system call '" + e.Word + "'" }
