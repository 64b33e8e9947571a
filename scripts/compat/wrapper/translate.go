package main

import (
	"fmt"
	"strings"
)

// strace 6.1's getopt string (src/strace.c): the short options that take a
// value. '+': options end at the first word that is not one.
const shortWithValue = "abeEIoOpPsSuUX"

// argKind: a long option's argument, as getopt_long's has_arg.
type argKind int

const (
	noArg argKind = iota
	requiredArg
	optionalArg
)

// longOpts is strace 6.1's table of long options (src/strace.c's longopts),
// each with the name it is canonicalized to (aliases share one). getopt_long
// accepts any unambiguous prefix: --signal is --signals.
//
// shape: table
var longOpts = map[string]struct {
	arg   argKind
	canon string
}{
	"columns": {requiredArg, "columns"}, "output-append-mode": {noArg, "output-append-mode"},
	"detach-on": {requiredArg, "detach-on"}, "summary-only": {noArg, "summary-only"},
	"summary": {noArg, "summary"}, "debug": {noArg, "debug"},
	"daemonize": {optionalArg, "daemonize"}, "daemonised": {optionalArg, "daemonize"},
	"daemonized": {optionalArg, "daemonize"}, "env": {requiredArg, "env"},
	"follow-forks": {noArg, "follow-forks"}, "output-separately": {noArg, "output-separately"},
	"help": {noArg, "help"}, "instruction-pointer": {noArg, "instruction-pointer"},
	"interruptible": {requiredArg, "interruptible"}, "stack-traces": {noArg, "stack-traces"},
	"syscall-number": {noArg, "syscall-number"}, "output": {requiredArg, "output"},
	"summary-syscall-overhead": {requiredArg, "summary-syscall-overhead"},
	"attach":                   {requiredArg, "attach"}, "trace-path": {requiredArg, "trace-path"},
	"relative-timestamps": {optionalArg, "relative-timestamps"},
	"string-limit":        {requiredArg, "string-limit"}, "summary-sort-by": {requiredArg, "summary-sort-by"},
	"absolute-timestamps": {optionalArg, "timestamps"}, "timestamps": {optionalArg, "timestamps"},
	"syscall-times": {optionalArg, "syscall-times"}, "user": {requiredArg, "user"},
	"summary-columns": {requiredArg, "summary-columns"}, "no-abbrev": {noArg, "no-abbrev"},
	"version": {noArg, "version"}, "summary-wall-clock": {noArg, "summary-wall-clock"},
	"strings-in-hex": {optionalArg, "strings-in-hex"}, "const-print-style": {requiredArg, "const-print-style"},
	"pidns-translation": {noArg, "pidns-translation"}, "successful-only": {noArg, "successful-only"},
	"failed-only": {noArg, "failed-only"}, "failing-only": {noArg, "failed-only"},
	"seccomp-bpf": {noArg, "seccomp-bpf"}, "tips": {optionalArg, "tips"},
	"trace": {requiredArg, "trace"}, "abbrev": {requiredArg, "abbrev"},
	"verbose": {requiredArg, "verbose"}, "raw": {requiredArg, "raw"},
	"signals": {requiredArg, "signal"}, "status": {requiredArg, "status"},
	"read": {requiredArg, "read"}, "write": {requiredArg, "write"},
	"fault": {requiredArg, "fault"}, "inject": {requiredArg, "inject"},
	"kvm": {requiredArg, "kvm"}, "quiet": {optionalArg, "quiet"},
	"silent": {optionalArg, "quiet"}, "silence": {optionalArg, "quiet"},
	"decode-fds": {optionalArg, "decode-fds"}, "decode-pids": {requiredArg, "decode-pids"},
	"secontext": {optionalArg, "secontext"},
}

// opt is one parsed strace option: a short letter ("a") or a long option's
// canonical name ("columns"), and its value.
type opt struct {
	name   string
	val    string
	hasVal bool
	long   bool
}

// parse splits strace's command line as strace 6.1's getopt_long does
// (options end at the first word that is not one, or after "--").
func parse(args []string) (opts []opt, cmd []string, err error) {
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
			o, err := parseLong(a[2:], args, &i)
			if err != nil {
				return nil, nil, err
			}
			opts = append(opts, o)
			continue
		}
		more, err := parseShort(a[1:], args, &i)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, more...)
	}
	return opts, args[i:], nil
}

// parseShort parses one word of short options: -fT, -a22, -e trace=x.
func parseShort(word string, args []string, i *int) ([]opt, error) {
	var opts []opt
	for j := 0; j < len(word); j++ {
		c := word[j : j+1]
		if !strings.Contains(shortWithValue, c) {
			opts = append(opts, opt{name: c})
			continue
		}
		val := word[j+1:]
		if val == "" {
			if *i+1 >= len(args) {
				return nil, fmt.Errorf("option requires an argument -- '%s'", c)
			}
			*i++
			val = args[*i]
		}
		return append(opts, opt{name: c, val: val, hasVal: true}), nil
	}
	return opts, nil
}

// parseLong parses --name, --name=VAL or --name VAL, name a long option or
// an unambiguous prefix of one.
func parseLong(a string, args []string, i *int) (opt, error) {
	name, val, glued := strings.Cut(a, "=")
	canon, kind, err := lookupLong(name)
	if err != nil {
		return opt{}, err
	}
	o := opt{name: canon, long: true}
	switch {
	case kind == noArg && glued:
		return o, fmt.Errorf("option '--%s' doesn't allow an argument", name)
	case kind == requiredArg && !glued:
		if *i+1 >= len(args) {
			return o, fmt.Errorf("option '--%s' requires an argument", name)
		}
		*i++
		val, glued = args[*i], true
	}
	o.val, o.hasVal = val, glued
	return o, nil
}

func lookupLong(name string) (canon string, kind argKind, err error) {
	if o, ok := longOpts[name]; ok {
		return o.canon, o.arg, nil
	}
	found := map[string]argKind{}
	for full, o := range longOpts {
		if strings.HasPrefix(full, name) {
			found[o.canon] = o.arg
		}
	}
	if len(found) != 1 {
		return "", 0, fmt.Errorf("unrecognized or ambiguous option '--%s'", name)
	}
	for c, k := range found {
		canon, kind = c, k
	}
	return canon, kind, nil
}

// unsupported is an option eproc trace has no equivalent of: the test
// that uses it is counted as skipped, not failed.
// what lists them all, each once, in the order given.
type unsupported struct{ what []string }

func (u *unsupported) Error() string {
	return "unsupported by eproc trace: " + strings.Join(u.what, ", ")
}

func unsup(what string) *unsupported { return &unsupported{[]string{what}} }

// injectUnsupported is what an -e inject= or fault= rule asks that eproc
// trace does not do (it injects with seccomp, before the call: no
// delay_exit=, no syscall= in the call's place, no poke_enter= or
// poke_exit= writing the tracee's memory), nil when it asks nothing of
// that. eproc trace refuses those with its own error; strace's tests of
// them are unsupported, not failed.
func injectUnsupported(kind, rule string) *unsupported {
	for _, part := range strings.Split(rule, ":")[1:] {
		k, _, _ := strings.Cut(part, "=")
		switch k {
		case "delay_exit", "syscall", "poke_enter", "poke_exit":
			return unsup("-e " + kind + "=...:" + k + "=")
		}
	}
	return nil
}

// translation is eproc trace's command line for strace's.
type translation struct {
	args    []string // eproc trace's options and the command
	out     string   // -o FILE, "" for standard error
	summary bool     // -c: no hang-up line to strip
	version bool     // -V
	help    bool     // -h: strace checks the options before it, prints its usage and exits 0

	tsFormat, tsPrec string // --timestamps's, once given
}

// translate maps strace's options to eproc trace's: the same letters where
// eproc has them, long spellings to their short ones, -a40/--columns=40
// (strace's default, eproc's only column) to nothing. Any other option
// gives an *unsupported error, which lists them all.
func translate(args []string) (*translation, error) {
	opts, cmd, err := parse(args)
	if err != nil {
		return nil, err
	}
	t := &translation{}
	var miss []string
	if err := checkFollow(opts); err != nil {
		return nil, err
	}
	for _, o := range opts {
		if o.name == "h" || o.name == "help" {
			t.help = true
			break
		}
		eargs, err := t.option(o)
		if u, ok := err.(*unsupported); ok {
			miss = append(miss, u.what...)
			continue
		}
		t.args = append(t.args, eargs...)
	}
	ts, err := t.timestampsFlag()
	if u, ok := err.(*unsupported); ok {
		miss = append(miss, u.what...)
	}
	t.args = append(t.args, ts...)
	if len(miss) > 0 {
		return nil, &unsupported{uniqOrdered(miss)}
	}
	if !t.version && !t.help {
		t.args = append(append(t.args, "--"), cmd...)
	}
	return t, nil
}

func uniqOrdered(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// option is one strace option's eproc trace options.
func (t *translation) option(o opt) ([]string, error) {
	if !o.long {
		return t.short(o)
	}
	switch o.name {
	case "follow-forks", "summary-only", "summary-wall-clock", "successful-only", "failed-only",
		"output", "attach", "string-limit", "trace-path", "summary", "summary-sort-by", "summary-columns",
		"summary-syscall-overhead", "env", "user", "output-append-mode":
		s := map[string]string{"follow-forks": "f", "summary-only": "c", "summary-wall-clock": "w",
			"successful-only": "z", "failed-only": "Z", "output": "o", "attach": "p", "string-limit": "s",
			"trace-path": "P", "summary": "C", "summary-sort-by": "S", "summary-columns": "U",
			"summary-syscall-overhead": "O", "env": "E", "user": "u", "output-append-mode": "A"}[o.name]
		return t.short(opt{name: s, val: o.val, hasVal: o.hasVal})
	case "seccomp-bpf":
		return longAsIs(o), nil
	case "syscall-times", "relative-timestamps", "syscall-number", "output-separately", "instruction-pointer":
		return longAsIs(o), nil
	case "timestamps":
		if !t.timestamps(o) {
			return nil, unsup("--timestamps=" + o.val)
		}
		return nil, nil
	case "strings-in-hex":
		switch {
		case !o.hasVal || o.val == "all":
			return []string{"-xx"}, nil
		case o.val == "non-ascii":
			return []string{"-x"}, nil
		case o.val == "none":
			return nil, nil
		case o.val == "non-ascii-chars":
			return []string{"--strings-in-hex=non-ascii-chars"}, nil
		}
		return nil, unsup("--strings-in-hex=" + o.val)
	case "inject", "fault":
		if u := injectUnsupported(o.name, o.val); u != nil {
			return nil, u
		}
		return []string{"-e", o.name + "=" + o.val}, nil
	case "trace", "signal", "status", "abbrev", "verbose", "raw":
		return []string{"-e", o.name + "=" + o.val}, nil
	case "no-abbrev":
		return []string{"-v"}, nil
	case "columns":
		return t.short(opt{name: "a", val: o.val, hasVal: true})
	case "quiet":
		if o.hasVal {
			return []string{"--quiet=" + o.val}, nil
		}
		return []string{"--quiet"}, nil
	case "const-print-style":
		return t.short(opt{name: "X", val: o.val, hasVal: true})
	case "decode-fds":
		if o.hasVal {
			return []string{"--decode-fds=" + o.val}, nil
		}
		return []string{"--decode-fds"}, nil
	case "decode-pids":
		return []string{"--decode-pids=" + o.val}, nil
	case "pidns-translation":
		return []string{"--decode-pids=pidns"}, nil
	case "version":
		t.version = true
		return nil, nil
	}
	return nil, unsup("--" + o.name)
}

// timestamps adds --timestamps[=FORMAT,PRECISION] to what the options
// before it set, as src/strace.c's parse_ts_arg does (tokens "format:F",
// "precision:P" or bare; format time, precision s by default), and returns
// false for a token it does not know.
func (t *translation) timestamps(o opt) bool {
	if t.tsFormat == "" {
		t.tsFormat, t.tsPrec = "time", "s"
	}
	if !o.hasVal {
		return true
	}
	for _, tok := range strings.Split(strings.ToLower(o.val), ",") {
		v, isFormat := strings.CutPrefix(tok, "format:")
		v, isPrec := strings.CutPrefix(v, "precision:")
		switch {
		case !isPrec && (v == "time" || v == "unix" || v == "none"):
			t.tsFormat = v
		case !isFormat && (v == "s" || v == "ms" || v == "us" || v == "ns"):
			t.tsPrec = v
		default:
			return false
		}
	}
	return true
}

// timestampsFlag is eproc's -t, -tt or -ttt for the --timestamps options
// given, or an *unsupported error for the formats and precisions eproc
// has no equivalent of.
func (t *translation) timestampsFlag() ([]string, error) {
	switch t.tsFormat + "," + t.tsPrec {
	case ",":
		return nil, nil
	case "time,s":
		return []string{"-t"}, nil
	case "time,us":
		return []string{"-tt"}, nil
	case "unix,us":
		return []string{"-ttt"}, nil
	case "none,s", "none,ms", "none,us", "none,ns":
		return nil, nil
	}
	return []string{"--timestamps=format:" + t.tsFormat + ",precision:" + t.tsPrec}, nil
}

// checkFollow refuses what strace 6.1 refuses: -f with --follow-forks,
// -ff with --output-separately.
func checkFollow(opts []opt) error {
	short, long, sep := 0, false, false
	for _, o := range opts {
		short += map[bool]int{true: 1}[o.name == "f"]
		long = long || o.name == "follow-forks"
		sep = sep || o.name == "output-separately"
	}
	switch {
	case short > 0 && long:
		return fmt.Errorf("-f and --follow-forks cannot be provided simultaneously")
	case short >= 2 && sep:
		return fmt.Errorf("-ff and --output-separately cannot be provided simultaneously")
	}
	return nil
}

// longAsIs is a long option eproc trace spells as strace does.
func longAsIs(o opt) []string {
	if o.hasVal {
		return []string{"--" + o.name + "=" + o.val}
	}
	return []string{"--" + o.name}
}

// short is one short option's eproc trace options.
func (t *translation) short(o opt) ([]string, error) {
	switch o.name {
	case "f", "w", "T", "r", "z", "Z", "x", "t", "y", "q", "n", "v", "Y", "A", "i":
		return []string{"-" + o.name}, nil
	case "c", "C":
		t.summary = true
		return []string{"-" + o.name}, nil
	case "V":
		t.version = true
		return nil, nil
	case "o":
		if strings.HasPrefix(o.val, "|") || strings.HasPrefix(o.val, "!") {
			// The pipe's command gets the trace without the hang-up
			// line, which strace does not print (stripHangup's, for a
			// file).
			return []string{"-o", "|{ grep -v -x 'Traced ~[0-9]* syscs, Dropped 0' || true; } | " + o.val[1:]}, nil
		}
		t.out = o.val
		return []string{"-o", o.val}, nil
	case "p", "s", "a", "X", "P", "S", "U", "O", "E", "u":
		return []string{"-" + o.name, o.val}, nil
	case "e":
		return qualify(o.val)
	}
	return nil, unsup("-" + o.name)
}

// qualify is strace's -e KIND=VALUE (filter_qualify.c's qual_options).
func qualify(val string) ([]string, error) {
	kind, v, ok := strings.Cut(val, "=")
	if !ok {
		kind, v = "trace", val
	}
	switch kind {
	case "trace", "t":
		return []string{"-e", "trace=" + v}, nil
	case "signal", "signals", "s":
		return []string{"-e", "signal=" + v}, nil
	case "status":
		return []string{"-e", "status=" + v}, nil
	case "read", "reads", "r":
		return []string{"-e", "read=" + v}, nil
	case "write", "writes", "w":
		return []string{"-e", "write=" + v}, nil
	case "decode-fds", "decode-fd":
		return []string{"-e", "decode-fds=" + v}, nil
	case "decode-pids", "decode-pid":
		return []string{"-e", "decode-pids=" + v}, nil
	case "quiet", "silent", "silence", "q":
		return []string{"-e", "quiet=" + v}, nil
	case "inject", "fault":
		if u := injectUnsupported(kind, v); u != nil {
			return nil, u
		}
		return []string{"-e", kind + "=" + v}, nil
	case "abbrev", "a":
		return []string{"-e", "abbrev=" + v}, nil
	case "verbose", "v":
		return []string{"-e", "verbose=" + v}, nil
	case "raw", "x":
		return []string{"-e", "raw=" + v}, nil
	}
	canon := map[string]string{"a": "abbrev", "v": "verbose", "x": "raw", "silent": "quiet",
		"silence": "quiet", "q": "quiet", "reads": "read", "r": "read", "writes": "write",
		"w": "write", "decode-fd": "decode-fds", "decode-pid": "decode-pids"}[kind]
	if canon == "" {
		canon = kind
	}
	return nil, unsup("-e " + canon + "=")
}
