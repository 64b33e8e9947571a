package strace

// strace's -v (--no-abbrev, -e abbrev=SET) and -e verbose=SET: which
// syscalls' structures are printed whole, abbreviated (the default:
// `{st_mode=S_IFREG|0644, st_size=0, ...}`), or not decoded at all (their
// address). The printer learns the current call's at each p.args.

// qualSets are Options.Abbrev and Options.Verbose as lookups; nil in a
// field means every syscall (strace's default).
type qualSets struct {
	abbrev, verbose map[uint32]bool
}

func newQualSets(abbrev, verbose []uint32) *qualSets {
	if abbrev == nil && verbose == nil {
		return nil
	}
	q := &qualSets{}
	set := func(nrs []uint32) map[uint32]bool {
		if nrs == nil {
			return nil
		}
		m := make(map[uint32]bool, len(nrs))
		for _, nr := range nrs {
			m[nr] = true
		}
		return m
	}
	q.abbrev, q.verbose = set(abbrev), set(verbose)
	return q
}

// qualify sets the printer's modes for syscall nr.
func (p *printer) qualify(nr uint32) {
	if p.qual == nil {
		return
	}
	p.unabbrev = p.qual.abbrev != nil && !p.qual.abbrev[nr]
	p.nonverbose = p.qual.verbose != nil && !p.qual.verbose[nr]
}

// abbrev is strace's abbrev(tcp): print the current call's structures
// abbreviated.
func (p *printer) abbrev() bool { return !p.unabbrev }

// verbose is strace's verbose(tcp): decode the current call's structures
// (else print their addresses).
func (p *printer) verbose() bool { return !p.nonverbose }

// ParseQualSet reads the SET of -e abbrev= and -e verbose=: syscall names,
// %classes, all, none, ! to negate (as -e trace=).
func ParseQualSet(expr string) ([]uint32, error) { return ParseFilter(expr) }
