// Package strace turns a session's ring records into events, and events
// into strace's text.
//
// What it owns:
//
//   - The decoder (decoder.go): Decoder takes ring records, one at a time
//     and in the ring's order, and hands its Sink the Events (sink.go; a
//     Tee hands the same events to several sinks); it keeps only what an
//     event needs from earlier records (what a thread exec'd). Call (record.go) is a syscall record as the
//     sinks see it.
//   - The sinks: Text (text.go) writes, to a LineWriter, the lines strace prints, strace -f's
//     unfinished and resumed calls, -c's table (summary.go), dropped-record
//     lines (drops.go), KVM exits (kvm.go) and the hang-up line.
//     LineFormatter (line.go) prints one event's line on its own, for
//     sinks that ship events apart (package strace/otlp: OTLP log records).
//   - The syscall tables (sysent.go, kinds.go, sys_*.go): each syscall's
//     signature is a list of argument kinds, and a kind says both how
//     strace prints the argument and what the BPF program must capture
//     for it. Plans derives the BPF capture plans from the same table the
//     printers use, so what is captured and what is printed cannot drift
//     apart; ParseFilter and Classes give -e trace= its syscall numbers.
//     The family files are named for what they decode (sys_file.go,
//     sys_desc.go, sys_net.go ...; sys_core.go holds the calls every
//     program makes, whose lines the oracle test checks one by one);
//     printer.go, print_flags.go and signals.go are the printers they
//     share.
//   - The reader queue (queue.go): Queue holds a stream's text lines for
//     its readers, each line going to one reader; when it is full, Put
//     blocks rather than drop, so losses happen (and are counted) only in
//     the ring.
//
// What it may not touch: it never loads BPF programs or reads rings; the
// engine (package loader) does, and hands records to a Decoder. The
// record layout is package loader/wire's: this package parses records only
// through wire, and never defines their format. The zsys*.go and
// zkvmexits.go tables are generated (by the programs under internal/);
// they are not edited by hand.
package strace
