package main

import "github.com/eproc/eproc/strace"

// -v (--no-abbrev), -e abbrev=SET (--abbrev=) and -e verbose=SET
// (--verbose=): strace.Options.Abbrev and Verbose.

// setAbbrev is -e abbrev=SET; -v is -e abbrev=none.
func (o *traceOpts) setAbbrev(val string) error {
	set, err := strace.ParseQualSet(val)
	if err != nil {
		return err
	}
	o.abbrev = set
	return nil
}

// setVerbose is -e verbose=SET.
func (o *traceOpts) setVerbose(val string) error {
	set, err := strace.ParseQualSet(val)
	if err != nil {
		return err
	}
	o.verbose = set
	return nil
}
