package main

// -c's table and its options, as strace's: -C (the lines and the table),
// -S (its order), -U (its columns), -O (a time taken off every call's).

import (
	"errors"

	"github.com/eproc/eproc/strace"
)

// summaryFlags are the table's options.
type summaryFlags struct {
	summaryAlso bool               // -C, --summary
	sumSort     *strace.SumColumn  // -S, --summary-sort-by
	sumColumns  []strace.SumColumn // -U, --summary-columns
	overhead    uint64             // -O, --summary-syscall-overhead: ns
}

// counting says whether the trace counts calls for a table (-c or -C).
func (o *traceOpts) counting() bool { return o.summary || o.summaryAlso }

func (o *traceOpts) setSumSort(val string) error {
	c, err := strace.ParseSumSort(val)
	if err != nil {
		return err
	}
	o.sumSort = &c
	return nil
}

func (o *traceOpts) setSumColumns(val string) error {
	cols, err := strace.ParseSumColumns(val)
	if err != nil {
		return err
	}
	o.sumColumns = cols
	return nil
}

func (o *traceOpts) setOverhead(val string) error {
	ns, err := strace.ParseOverhead(val)
	if err != nil {
		return err
	}
	o.overhead = ns
	return nil
}

// checkSummary: strace's rules for the table's options.
func (o *traceOpts) checkSummary() error {
	if o.summary && o.summaryAlso {
		return errors.New("-c/--summary-only and -C/--summary are mutually exclusive")
	}
	if o.wall && !o.counting() {
		return errors.New("-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)")
	}
	if o.sumColumns != nil && !o.counting() {
		return errors.New("-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)")
	}
	if o.sumSort != nil && !o.counting() {
		warnf("-S/--summary-sort-by has no effect without (-c/--summary-only or -C/--summary)\n")
	}
	if o.counting() && (o.json || o.jsonOut != "") {
		return errors.New("-c/-C and --json are exclusive")
	}
	return nil
}

// summaryOptions puts the table's options in opt.
func (o *traceOpts) summaryOptions(opt *strace.Options) {
	opt.Summary, opt.SummaryAlso = o.summary, o.summaryAlso
	opt.SummarySort, opt.SummaryColumns, opt.SummaryOverhead = o.sumSort, o.sumColumns, o.overhead
}
