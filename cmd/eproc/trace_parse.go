package main

// eproc trace's command line: strace's options, short and long, parsed
// into traceOpts (the long ones from a table, longOpts).

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/eproc/eproc/strace"
)

func parseTrace(args []string) (*traceOpts, error) {
	o := &traceOpts{strsize: 32}
	need := func(i *int, name string) (string, error) {
		if *i+1 >= len(args) {
			return "", fmt.Errorf("option %s needs an argument", name)
		}
		*i++
		return args[*i], nil
	}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		if strings.HasPrefix(a, "--") {
			if err := o.long(a[2:], args, &i); err != nil {
				return nil, err
			}
			continue
		}
		// Options with a value may be glued: -s64, -oFILE, -p123.
		opt, val := a[:2], a[2:]
		switch opt {
		case "-o", "-p", "-e", "-s", "-b", "-a", "-X", "-P", "-E", "-u", "-S", "-U", "-O":
			if val == "" {
				v, err := need(&i, opt)
				if err != nil {
					return nil, err
				}
				val = v
			}
			if err := o.setValue(opt, val); err != nil {
				return nil, err
			}
			continue
		case "-h":
			return nil, errUsage
		}
		if err := o.letters(a[1:]); err != nil {
			return nil, err
		}
	}
	o.cmd = args[i:]
	if len(o.cmd) == 0 && len(o.pids) == 0 && o.cgroup == "" {
		return nil, errors.New("must have PROG [ARGS] or -p PID")
	}
	if len(o.cmd) > 0 && len(o.pids) > 0 {
		return nil, errors.New("-p and a command are exclusive")
	}
	for _, check := range []func() error{o.checkSummary, o.checkCommand, o.checkCgroup, o.checkInject, o.checkTimeOpts, o.checkStack} {
		if err := check(); err != nil {
			return nil, err
		}
	}
	if o.yflags > 0 {
		if o.fdSetBy {
			return nil, errors.New("-y and --decode-fds cannot be provided simultaneously")
		}
		o.fdSet = strace.DecodeFdPath
		if o.yflags > 1 {
			o.fdSet = strace.DecodeFdAll
		}
	}
	if err := o.checkQuiet(); err != nil {
		return nil, err
	}
	o.resolvePaths()
	return o, nil
}

// longOpts is the table of options with long names: whether each takes a
// value, and what it sets.
var longOpts = map[string]struct {
	value bool
	set   func(o *traceOpts, val string) error
}{
	"json":              {false, func(o *traceOpts, _ string) error { o.json = true; return nil }},
	"json-out":          {true, func(o *traceOpts, val string) error { o.jsonOut = val; return nil }},
	"cgroup":            {true, (*traceOpts).setCgroup},
	"columns":           {true, (*traceOpts).setAlign},
	"const-print-style": {true, (*traceOpts).setConstStyle},
	"otlp":              {true, (*traceOpts).setOTLP},
	"successful-only":   {false, func(o *traceOpts, _ string) error { o.onlyStatus(strace.StatusSuccessful); return nil }},
	"failed-only":       {false, func(o *traceOpts, _ string) error { o.onlyStatus(strace.StatusFailed); return nil }},
	"decode-fds":        {false, (*traceOpts).setDecodeFds},
	"decode-pids":       {true, (*traceOpts).setDecodePids},
	"pidns-translation": {false, func(o *traceOpts, _ string) error { return o.setDecodePids("pidns") }},
	"quiet":             {false, (*traceOpts).setQuiet},
	"silent":            {false, (*traceOpts).setQuiet},
	"silence":           {false, (*traceOpts).setQuiet},
	"trace-path":        {true, func(o *traceOpts, val string) error { return o.setValue("-P", val) }},
	"inject":            {true, func(o *traceOpts, val string) error { return o.qualify("inject", val) }},
	"fault":             {true, func(o *traceOpts, val string) error { return o.qualify("fault", val) }},
	// trace_timeopts.go
	"timestamps":          {false, (*traceOpts).setTimestamps},
	"absolute-timestamps": {false, (*traceOpts).setTimestamps},
	"syscall-times":       {false, (*traceOpts).setSyscallTimes},
	"relative-timestamps": {false, (*traceOpts).setRelative},
	"strings-in-hex":      {false, (*traceOpts).setStringsInHex},
	"syscall-number":      {false, func(o *traceOpts, _ string) error { o.sysNumber = true; return nil }},
	"instruction-pointer": {false, func(o *traceOpts, _ string) error { o.ip = true; return nil }},
	"follow-forks":        {false, func(o *traceOpts, _ string) error { o.follow = true; return nil }},
	"output-separately":   {false, func(o *traceOpts, _ string) error { o.separate = true; return nil }},
	"no-abbrev":           {false, func(o *traceOpts, _ string) error { o.abbrev = []uint32{}; return nil }},
	"abbrev":              {true, (*traceOpts).setAbbrev},
	"verbose":             {true, (*traceOpts).setVerbose},
	"stack-traces":        {false, func(o *traceOpts, _ string) error { o.stack = true; return nil }},
	// strace's long forms of short options.
	"output":                   {true, func(o *traceOpts, val string) error { return o.setValue("-o", val) }},
	"output-append-mode":       {false, func(o *traceOpts, _ string) error { o.append = true; return nil }},
	"attach":                   {true, func(o *traceOpts, val string) error { return o.setValue("-p", val) }},
	"string-limit":             {true, func(o *traceOpts, val string) error { return o.setValue("-s", val) }},
	"env":                      {true, func(o *traceOpts, val string) error { return o.setValue("-E", val) }},
	"user":                     {true, func(o *traceOpts, val string) error { return o.setValue("-u", val) }},
	"summary-only":             {false, func(o *traceOpts, _ string) error { o.summary = true; return nil }},
	"summary":                  {false, func(o *traceOpts, _ string) error { o.summaryAlso = true; return nil }},
	"summary-wall-clock":       {false, func(o *traceOpts, _ string) error { o.wall = true; return nil }},
	"summary-sort-by":          {true, (*traceOpts).setSumSort},
	"summary-columns":          {true, (*traceOpts).setSumColumns},
	"summary-syscall-overhead": {true, (*traceOpts).setOverhead},
	"failing-only":             {false, func(o *traceOpts, _ string) error { o.onlyStatus(strace.StatusFailed); return nil }},
	"help":                     {false, func(o *traceOpts, _ string) error { return errUsage }},
	"version":                  {false, func(o *traceOpts, _ string) error { return errVersion }},
	"seccomp-bpf":              {false, func(o *traceOpts, _ string) error { o.seccomp = true; return nil }},
	// strace's long forms of -e KIND=.
	"trace":   {true, func(o *traceOpts, val string) error { return o.qualify("trace", val) }},
	"signals": {true, func(o *traceOpts, val string) error { return o.qualify("signal", val) }},
	"status":  {true, func(o *traceOpts, val string) error { return o.qualify("status", val) }},
	"read":    {true, func(o *traceOpts, val string) error { return o.qualify("read", val) }},
	"write":   {true, func(o *traceOpts, val string) error { return o.qualify("write", val) }},
	"raw":     {true, func(o *traceOpts, val string) error { return o.qualify("raw", val) }},
}

// setDecodeFds is --decode-fds[=SET] and -e decode-fds=SET: -y's and
// -yy's long form (path without SET).
func (o *traceOpts) setDecodeFds(val string) error {
	if val == "" {
		val = "path"
	}
	set, err := strace.ParseDecodeFds(val)
	if err != nil {
		return err
	}
	o.fdSet, o.fdSetBy = set, true
	return nil
}

// optionalValue are the long options whose value is optional: --name or
// --name=V, never --name V.
var optionalValue = map[string]bool{"decode-fds": true, "quiet": true, "silent": true, "silence": true,
	"timestamps": true, "absolute-timestamps": true, "syscall-times": true, "relative-timestamps": true,
	"strings-in-hex": true}

// long parses the long option args[*i] (without its --): --name, --name=V
// or --name V.
func (o *traceOpts) long(a string, args []string, i *int) error {
	name, val, glued := strings.Cut(a, "=")
	name, of := longName(name)
	opt, ok := longOpts[name]
	switch {
	case len(of) > 1:
		return fmt.Errorf("option '--%s' is ambiguous; possibilities: '--%s'", a, strings.Join(of, "' '--"))
	case !ok:
		return fmt.Errorf("unknown option --%s", name)
	case optionalValue[name]:
		return opt.set(o, val)
	case !opt.value && glued:
		return fmt.Errorf("option --%s takes no argument", name)
	case opt.value && !glued:
		if *i+1 >= len(args) {
			return fmt.Errorf("option --%s needs an argument", name)
		}
		*i++
		val = args[*i]
	}
	if opt.value && val == "" {
		return fmt.Errorf("option --%s needs an argument", name)
	}
	return opt.set(o, val)
}

// longAliases are the long options that are another's other name: a
// prefix of both is no ambiguity (getopt_long's rule: the same option).
var longAliases = map[string]string{"silent": "quiet", "silence": "quiet", "absolute-timestamps": "timestamps",
	"failing-only": "failed-only"}

// longName is the long option name stands for: itself, or the one option
// it is a prefix of (--summary-o is --summary-only), as strace's
// getopt_long takes them; unknown, itself; ambiguous, itself and the
// options it is a prefix of (sorted).
func longName(name string) (string, []string) {
	if _, ok := longOpts[name]; ok || name == "" {
		return name, nil
	}
	var of []string
	canons := map[string]bool{}
	for full := range longOpts {
		if strings.HasPrefix(full, name) {
			canon := full
			if c, ok := longAliases[full]; ok {
				canon = c
			}
			canons[canon] = true
			of = append(of, full)
		}
	}
	if len(canons) == 1 {
		for c := range canons {
			return c, nil
		}
	}
	sort.Strings(of)
	return name, of
}

var (
	errUsage   = errors.New("usage")
	errVersion = errors.New("version") // -V: eproc's version, and nothing more
)

// setAlign is -a N and --columns=N: the column results start at.
func (o *traceOpts) setAlign(val string) error {
	n, err := strconv.Atoi(val)
	if err != nil || n < 0 {
		return fmt.Errorf("invalid -a argument: '%s'", val)
	}
	o.align = n
	if n == 0 {
		o.align = -1 // strace.Options: 0 is the default, 40
	}
	return nil
}

// setConstStyle is -X and --const-print-style=: raw, abbrev or verbose.
func (o *traceOpts) setConstStyle(val string) error {
	s, err := strace.ParseConstStyle(val)
	if err != nil {
		return err
	}
	o.xstyle = s
	return nil
}

// letters sets the options of one word of letters: -fT, -ttt, -xx.
func (o *traceOpts) letters(word string) error {
	for _, ch := range word {
		switch ch {
		case 'f':
			o.follow = true
			o.fflags++
		case 'n':
			o.sysNumber = true
		case 'i':
			o.ip = true
		case 'c':
			o.summary = true
		case 'C':
			o.summaryAlso = true
		case 'A':
			o.append = true
		case 'V':
			return errVersion
		case 'w':
			o.wall = true
		case 'T':
			o.latency = true
		case 'D':
			o.stats = true
		case 't':
			if o.time < strace.TimeEpoch {
				o.time++
			}
		case 'x':
			o.hex = min(o.hex+1, 2)
		case 'r':
			o.relative = true
		case 'z':
			o.onlyStatus(strace.StatusSuccessful)
		case 'Z':
			o.onlyStatus(strace.StatusFailed)
		case 'y':
			o.yflags++
		case 'q':
			o.qflags++
		case 'v':
			o.abbrev = []uint32{}
		case 'Y':
			o.pidSet = strace.DecodePidComm
		case 'k':
			o.stack = true
		default:
			return fmt.Errorf("unknown option -%c", ch)
		}
	}
	return nil
}

func (o *traceOpts) setValue(opt, val string) error {
	switch opt {
	case "-o":
		o.out = val
	case "-p":
		for _, w := range strings.FieldsFunc(val, func(r rune) bool { return r == ',' || r == ' ' }) {
			pid, err := strconv.Atoi(w)
			if err != nil || pid <= 0 {
				return fmt.Errorf("invalid process id: %q", w)
			}
			o.pids = append(o.pids, pid)
		}
	case "-e":
		k, v, ok := strings.Cut(val, "=")
		if !ok {
			k, v = "trace", val
		}
		if k == "decode-pids" || k == "decode-pid" {
			return o.setDecodePids(v)
		}
		return o.qualify(k, v)
	case "-s":
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return fmt.Errorf("invalid -s argument: %q", val)
		}
		o.strsize = n
		if n == 0 {
			o.strsize = strace.StrSizeZero // 0 is the options' default
		}
	case "-b":
		n, err := strconv.Atoi(val)
		if err != nil {
			return fmt.Errorf("invalid -b argument: %q", val)
		}
		o.ring = n
	case "-a":
		return o.setAlign(val)
	case "-X":
		return o.setConstStyle(val)
	case "-P":
		o.paths = append(o.paths, val)
	case "-E":
		o.env = append(o.env, val)
	case "-u":
		o.user = val
	case "-S":
		return o.setSumSort(val)
	case "-U":
		return o.setSumColumns(val)
	case "-O":
		return o.setOverhead(val)
	}
	return nil
}
