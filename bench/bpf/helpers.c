// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel calls eproc's programs make cost on this machine, one
 * kind per program: each runs on sys_exit, and for each call that returned
 * 1 (dd bs=1's reads and writes, whose second argument is the byte's
 * buffer) makes four of its kind (one for the map-value read, whose copy
 * is checked differently). Only the bench loads them, one at a time, to
 * time dd under each against a program that does nothing (bench/helpers.go).
 */
#include "../../bpf/headers/kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[4096]);
} buf SEC(".maps");

/* Where results go, so that no call is optimized away. */
volatile __u64 sink;

#if defined(__TARGET_ARCH_x86)
#define ARG2(regs) ((regs)->si)
#else
#define ARG2(regs) ((regs)->regs[1])
#endif

/* A BPF-to-BPF call (eproc's capture_at, put_mem and others). */
__noinline int sub(__u64 x)
{
	sink = x;
	return 0;
}

#define ONE_BYTE_CALL      \
	if (ret != 1)      \
		return 0;  \
	void *p = (void *)ARG2(regs)

SEC("tp_btf/sys_exit")
int BPF_PROG(noop, struct pt_regs *regs, long ret)
{
	ONE_BYTE_CALL;
	sink = (__u64)p;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(pid_tgid, struct pt_regs *regs, long ret)
{
	ONE_BYTE_CALL;
	sink = (__u64)p;
	sink = bpf_get_current_pid_tgid();
	sink = bpf_get_current_pid_tgid();
	sink = bpf_get_current_pid_tgid();
	sink = bpf_get_current_pid_tgid();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(subprog, struct pt_regs *regs, long ret)
{
	ONE_BYTE_CALL;
	sub((__u64)p);
	sub(1);
	sub(2);
	sub(3);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ktime, struct pt_regs *regs, long ret)
{
	ONE_BYTE_CALL;
	sink = (__u64)p;
	sink = bpf_ktime_get_ns();
	sink = bpf_ktime_get_ns();
	sink = bpf_ktime_get_ns();
	sink = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(read_kernel, struct pt_regs *regs, long ret)
{
	__u64 v = 0;

	ONE_BYTE_CALL;
	sink = (__u64)p;
	bpf_probe_read_kernel(&v, 1, &regs->sp);
	sink = v;
	bpf_probe_read_kernel(&v, 1, &regs->sp);
	sink = v;
	bpf_probe_read_kernel(&v, 1, &regs->sp);
	sink = v;
	bpf_probe_read_kernel(&v, 1, &regs->sp);
	sink = v;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(read_user, struct pt_regs *regs, long ret)
{
	__u64 v = 0;

	ONE_BYTE_CALL;
	bpf_probe_read_user(&v, 1, p);
	sink = v;
	bpf_probe_read_user(&v, 1, p);
	sink = v;
	bpf_probe_read_user(&v, 1, p);
	sink = v;
	bpf_probe_read_user(&v, 1, p);
	sink = v;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(read_user_map, struct pt_regs *regs, long ret)
{
	__u32 zero = 0;
	__u8 *b;

	ONE_BYTE_CALL;
	b = bpf_map_lookup_elem(&buf, &zero);
	if (!b)
		return 0;
	bpf_probe_read_user(b, 1, p);
	bpf_probe_read_user(b + 64, 1, p);
	bpf_probe_read_user(b + 128, 1, p);
	bpf_probe_read_user(b + 192, 1, p);
	return 0;
}

/* The same read to a frame of 64 bytes or more: Linux 6.13 on gives such a
 * frame of a tracing program a per-CPU stack of its own (the JIT's private
 * stack), which hardened usercopy checks as a heap object, not as the
 * kernel stack. */
SEC("tp_btf/sys_exit")
int BPF_PROG(read_user_frame, struct pt_regs *regs, long ret)
{
	volatile __u64 v[12] = {};

	ONE_BYTE_CALL;
	bpf_probe_read_user((void *)&v[0], 1, p);
	bpf_probe_read_user((void *)&v[4], 1, p);
	bpf_probe_read_user((void *)&v[8], 1, p);
	bpf_probe_read_user((void *)&v[11], 1, p);
	sink = v[0] + v[4] + v[8] + v[11];
	return 0;
}
