package main

import (
	"fmt"

	"github.com/eproc/eproc/strace"
)

// qualify sets what strace's -e KIND=VALUE sets.
func (o *traceOpts) qualify(kind, val string) error {
	switch kind {
	case "trace", "t":
		o.filter = val
	case "status":
		set, err := strace.ParseStatus(val)
		if err != nil {
			return err
		}
		o.status = set
	case "signal", "signals", "s":
		set, err := strace.ParseSignals(val)
		if err != nil {
			return err
		}
		o.signals = set
	case "read", "reads", "r", "write", "writes", "w":
		set, err := strace.ParseFdSet(val)
		if err != nil {
			return err
		}
		if kind[0] == 'r' {
			o.dumpRead = set
		} else {
			o.dumpWrite = set
		}
	case "decode-fds", "decode-fd":
		return o.setDecodeFds(val)
	case "quiet", "silent", "silence", "q":
		return o.setQuiet(val)
	case "inject", "fault":
		r, err := parseInject(val, kind == "fault")
		if err != nil {
			return err
		}
		o.injects = append(o.injects, r)
	case "abbrev", "a":
		return o.setAbbrev(val)
	case "verbose", "v":
		return o.setVerbose(val)
	case "raw", "x":
		set, err := strace.ParseQualSet(val)
		if err != nil {
			return err
		}
		o.raw = set
	default:
		return fmt.Errorf("-e %s= is not supported (trace=, status=, signal=, read=, write=, decode-fds=, quiet=, inject=, fault=, abbrev=, verbose= and raw= are)", kind)
	}
	return nil
}

// onlyStatus is -z or -Z (--successful-only, --failed-only): the last of
// them, or of them and -e status=, is the one, as strace's is; strace says
// so when several of these four were given.
func (o *traceOpts) onlyStatus(st uint8) {
	o.zflags++
	if o.zflags == 2 {
		warnf("Only the last of -z/--successful-only/-Z/--failed-only options will take effect. See status qualifier for more complex filters.\n")
	}
	o.status = st | strace.StatusFiltered
}
