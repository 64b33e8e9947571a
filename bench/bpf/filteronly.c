// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of eproc's cost for processes it does not trace: a program on
 * sys_exit that does only what eproc's own does first for every syscall of
 * every process, the "is this process traced" lookup, and nothing else.
 * Only the bench loads it, attached with nothing traced, to compare with an
 * untraced workload run while eproc sessions are live.
 */
#include "../../bpf/headers/kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* The shape of eproc's traced map (bpf/eproc.h: EPROC_MAX_TRACED entries of
 * struct tracee), repeated here so that this object does not change with
 * eproc.h. Left empty: nothing is traced. */
struct tracee {
	__u32 sid, gen, flags, pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32); /* tgid */
	__type(value, struct tracee);
} traced SEC(".maps");

SEC("tp_btf/sys_exit")
int BPF_PROG(filter_only, struct pt_regs *regs, long ret)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (!bpf_map_lookup_elem(&traced, &tgid))
		return 0;
	return 0;
}

/* Below the floor: a program on sys_exit that does nothing. What remains is
 * what any syscall tracepoint program costs: the syscall slow path that an
 * attached sys_exit tracepoint turns on for every thread, and the BPF
 * dispatch. */
SEC("tp_btf/sys_exit")
int BPF_PROG(noop, struct pt_regs *regs, long ret)
{
	return 0;
}

/* Diagnosis: what eproc's execve-entry tracepoints add for everyone. Any
 * syscalls:sys_enter_* tracepoint in use hooks the sys_enter tracepoint,
 * which then runs (perf_syscall_enter's bitmap test) on every syscall
 * entry of every process. */
SEC("tracepoint/syscalls/sys_enter_execve")
int execve_noop(void *ctx)
{
	return 0;
}

/* With noop and execve_noop: every hook eproc's sessions keep attached
 * that runs often, doing nothing (untraced+noop-hooks). sched_switch runs
 * on every context switch of every task, which costs a workload that
 * switches a lot (the threads' sched_yield) more than sys_exit alone. */
SEC("tp_btf/sched_switch")
int BPF_PROG(switch_noop, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
	return 0;
}
