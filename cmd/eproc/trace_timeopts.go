package main

// strace's time precisions and the options beside them: --timestamps=,
// --syscall-times=, --relative-timestamps=, -n, --strings-in-hex=, and
// -ff / --output-separately (one file per thread).

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/eproc/eproc/strace"
)

// tsOpts are --timestamps's format and precision, once given (strace's
// parse_ts_arg: each --timestamps adds to the ones before it).
type tsOpts struct {
	set    bool
	format string // "time", "unix", "none"
	prec   strace.Precision
}

// setTimestamps is --timestamps[=[format:]F,[precision:]P] (and
// --absolute-timestamps): F time, unix or none; P s, ms, us or ns.
func (o *traceOpts) setTimestamps(val string) error {
	if !o.ts.set {
		o.ts = tsOpts{set: true, format: "time"}
	}
	if val == "" {
		return nil
	}
	for _, tok := range strings.Split(val, ",") {
		v, isFormat := cutPrefixFold(tok, "format:")
		v, isPrec := cutPrefixFold(v, "precision:")
		switch lv := strings.ToLower(v); {
		case !isPrec && (lv == "time" || lv == "unix" || lv == "none"):
			o.ts.format = lv
		case !isFormat:
			p, err := strace.ParsePrecision(lv)
			if err != nil {
				return fmt.Errorf("invalid --timestamps argument: '%s'", val)
			}
			o.ts.prec = p
		default:
			return fmt.Errorf("invalid --timestamps argument: '%s'", val)
		}
	}
	return nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// setSyscallTimes is --syscall-times[=P]: -T, at precision P.
func (o *traceOpts) setSyscallTimes(val string) error {
	o.latency = true
	return setPrecision(&o.latencyPrec, "--syscall-times", val)
}

// setRelative is --relative-timestamps[=P]: -r, at precision P.
func (o *traceOpts) setRelative(val string) error {
	o.relative = true
	return setPrecision(&o.relPrec, "--relative-timestamps", val)
}

func setPrecision(p *strace.Precision, name, val string) error {
	if val == "" {
		*p = strace.PrecUs
		return nil
	}
	v, err := strace.ParsePrecision(strings.ToLower(val))
	if err != nil {
		return fmt.Errorf("invalid %s argument: '%s'", name, val)
	}
	*p = v
	return nil
}

// setStringsInHex is --strings-in-hex[=none|non-ascii|non-ascii-chars|all]
// (all without a value): -x's long form.
func (o *traceOpts) setStringsInHex(val string) error {
	v, ok := map[string]int{"": 2, "all": 2, "non-ascii": 1, "none": 0,
		"non-ascii-chars": strace.HexNonASCIIChars}[strings.ToLower(val)]
	if !ok {
		return fmt.Errorf("invalid --strings-in-hex argument: '%s'", val)
	}
	o.hexLong, o.hexLongSet = v, true
	return nil
}

// checkTimeOpts settles the options of this file once all are parsed, as
// strace's main does.
func (o *traceOpts) checkTimeOpts() error {
	if o.ts.set {
		if o.time != strace.TimeNone {
			return fmt.Errorf("-t and --absolute-timestamps cannot be provided simultaneously")
		}
		switch o.ts.format {
		case "time":
			o.time = strace.TimeSec
		case "unix":
			o.time = strace.TimeEpoch
		}
		o.timePrec = o.ts.prec
		if o.timePrec == strace.PrecDefault {
			o.timePrec = strace.PrecS
		}
	}
	if o.hexLongSet {
		if o.hex != 0 {
			return fmt.Errorf("-x and --strings-in-hex cannot be provided simultaneously")
		}
		o.hex = o.hexLong
	}
	if o.fflags > 2 {
		o.fflags = 2
	}
	if o.separate && o.fflags >= 2 {
		return fmt.Errorf("-ff and --output-separately cannot be provided simultaneously")
	}
	if o.fflags >= 2 {
		o.separate, o.follow = true, true
	}
	o.separate = o.separate && o.out != "" // -ff without -o FILE is -f
	if o.separate && o.counting() {
		return fmt.Errorf("(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive")
	}
	if o.separate && (strings.HasPrefix(o.out, "|") || strings.HasPrefix(o.out, "!")) {
		return fmt.Errorf("piping the output and -ff/--output-separately are mutually exclusive")
	}
	return nil
}

// separateSink is -ff -o FILE's sink: thread TID's lines in FILE.TID,
// the hang-up line in FILE.
func (o *traceOpts) separateSink(outs *traceOuts) strace.Sink {
	opened := map[uint32]bool{}
	open := func(tid uint32) strace.LineWriter {
		flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if opened[tid] || o.append {
			flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND // a thread's lines after its exit's
		}
		opened[tid] = true
		f, err := os.OpenFile(o.out+"."+strconv.FormatUint(uint64(tid), 10), flag, 0o666)
		if err != nil {
			warnf("%v\n", err)
			return &fileOut{traceOut: newTraceOut(discard{})}
		}
		return &fileOut{traceOut: newTraceOut(f), f: f}
	}
	return strace.NewSeparate(o.textOptions(), outs.main, open)
}

// fileOut is a thread's file under -ff: closed after its last lines.
type fileOut struct {
	*traceOut
	f *os.File
}

func (w *fileOut) Final(b []byte) {
	w.traceOut.Final(b)
	if w.traceOut.err != nil {
		warnf("write: %v\n", w.traceOut.err)
	}
	if w.f != nil {
		w.f.Close()
	}
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

// timeFlags are traceOpts's fields for the options of this file.
type timeFlags struct {
	ts                    tsOpts           // --timestamps=
	timePrec, latencyPrec strace.Precision // strace.Options.TimePrec, LatencyPrec
	relPrec               strace.Precision // strace.Options.RelativePrec
	sysNumber             bool             // -n, --syscall-number
	ip                    bool             // -i, --instruction-pointer
	hexLong               int              // --strings-in-hex=: strace.Options.Hex
	hexLongSet            bool
	fflags                int  // how many -f
	separate              bool // -ff, --output-separately (with -o FILE)
}
