// Package eproc is strace-grade syscall tracing on eBPF, served as files in a
// /proc-compatible FUSE view. This file holds only the generators: the BPF
// objects and their Go bindings in loader/, and the syscall tables in strace/
// (and the bench's filter-only floor program in bench/).
// Their output is committed, so building needs no clang; `make generate`
// reruns them and CI checks that the committed files are fresh.
package eproc

//go:generate go tool bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64,arm64 -output-dir loader -go-package loader -type ev_hdr -type ev_syscall -type ev_cap -type ev_signal -type ev_exit -type ev_fork -type ev_exec -type ev_kvm -type ev_drops -type ev_argvals -type ev_stack -type ev_map -type kvm_key -type held_key -type tracee -type sess_cfg -type sess_stats -type capspec -type plan -type call -type execargs -type rec_meta -type batch_hdr eproc bpf/eproc.c
//go:generate go run ./strace/internal/gensysnames -o strace
//go:generate go run ./strace/internal/gensysargs -o strace
//go:generate go run ./strace/internal/genkvmexits -o strace
//go:generate go tool bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64,arm64 -output-dir bench -go-package main filteronly bench/bpf/filteronly.c
//go:generate go tool bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64,arm64 -output-dir bench -go-package main helpers bench/bpf/helpers.c
