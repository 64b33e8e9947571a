package main

import (
	"errors"

	"github.com/eproc/eproc/strace"
)

// setQuiet is --quiet[=SET] (--silent, --silence) and -e quiet=SET: the
// messages left out. --quiet alone is -q's set, as strace's is.
func (o *traceOpts) setQuiet(val string) error {
	set := strace.QuietQ
	if val != "" {
		var err error
		if set, err = strace.ParseQuiet(val); err != nil {
			return err
		}
	}
	o.quiet, o.quietBy = set, true
	return nil
}

// checkQuiet settles -q, -qq, -qqq against -e quiet=, as strace does: not
// both; -q's count picks strace's set.
func (o *traceOpts) checkQuiet() error {
	if o.qflags == 0 {
		return nil
	}
	if o.quietBy {
		return errors.New("-q and -e quiet/--quiet cannot be provided simultaneously")
	}
	o.quiet = strace.QuietLevel(o.qflags)
	return nil
}
