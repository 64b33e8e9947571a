// SPDX-License-Identifier: GPL-2.0
/*
 * eproc's capture engine.
 *
 * A process is traced when its tgid is in `traced`. The fast path is one
 * program, on sys_exit: one hash lookup for every syscall of every process;
 * for a traced one, one EV_SYSCALL record built from the saved user
 * registers (the arguments), the result, and the memory the call touched.
 * Memory is read at exit, when the kernel has already touched it (a path it
 * resolved, a buffer it filled), so a page that was not yet faulted in at
 * entry never yields an empty string. Calls that are seen to be in progress
 * get an EV_ENTER record: when they block (sched_switch), so readers see
 * `<unfinished ...>` exactly where calls interleave, and when their thread
 * dies in them (sched_process_exit: exit_group, or killed). Clocks are read
 * only for sessions that print times, and sys_enter is attached only for
 * sessions that want latencies (-T, -c).
 *
 * Records go to the session's own ring buffer (`rings`, a map of ring
 * buffers). The reader is woken only when a ring is filling up or a session
 * ends; otherwise it polls. A full ring drops the record and counts it.
 */
#include "headers/kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "eproc.h"

char LICENSE[] SEC("license") = "GPL";

/* Referenced so that bpf2go exports them to Go. */
const struct ev_syscall *unused_ev_syscall __attribute__((unused));
const struct ev_cap *unused_ev_cap __attribute__((unused));
const struct ev_signal *unused_ev_signal __attribute__((unused));
const struct ev_exit *unused_ev_exit __attribute__((unused));
const struct ev_fork *unused_ev_fork __attribute__((unused));
const struct ev_exec *unused_ev_exec __attribute__((unused));
const struct ev_stack *unused_ev_stack __attribute__((unused));
const struct ev_map *unused_ev_map __attribute__((unused));
const struct ev_kvm *unused_ev_kvm __attribute__((unused));
const struct ev_drops *unused_ev_drops __attribute__((unused));
const struct ev_argvals *unused_ev_argvals __attribute__((unused));
const struct cap_want *unused_cap_want __attribute__((unused));
const struct kvm_key *unused_kvm_key __attribute__((unused));
const struct held_key *unused_held_key __attribute__((unused));

/* Not preallocated: 64Ki preallocated entries (~5 MB) took 8-17 ms of
 * every start (a page fault per 4 KiB on some hypervisors); an entry is
 * allocated at a fork, from the per-CPU caches of the BPF allocator. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, EPROC_MAX_TRACED);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32); /* tgid */
	__type(value, struct tracee);
} traced SEC(".maps");

/* A first filter, before the traced hash: bit tgid % 64 of word tgid / 64
 * is set for every process that may be traced, before its entry goes in
 * (by user space when it attaches one, by sched_process_fork for a child).
 * Bits are only set while the programs are attached; user space clears
 * them all once it has detached them, so a bit left by a process that
 * exited costs only a hash lookup. On 6.18 an untraced dd paid 1.63x with
 * the hash miss, 1.48x with an array lookup (1.44x: a program that does
 * nothing). 2^22 tgids (PID_MAX_LIMIT), 512 KiB; user space maps it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, 1U << 10); /* BPF_F_MMAPABLE (uapi linux/bpf.h) */
	__uint(max_entries, 1 << 16);
	__type(key, __u32);
	__type(value, __u64);
} tgid_bits SEC(".maps");

/* Changes to `traced`, counted so that a CPU's copy of an entry (see
 * tracee_cached) knows it may be stale: [0] by the programs (an atomic
 * add after each change: a child's entry, an exit, a flag), [1] by user
 * space (the engine, after each of its updates and deletes: one writer).
 * Two counters: user space cannot add atomically to the programs' one. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} traced_epochs SEC(".maps");

static __always_inline void traced_changed(void)
{
	__u32 zero = 0;
	__u64 *e = bpf_map_lookup_elem(&traced_epochs, &zero);

	if (e)
		__sync_fetch_and_add(e, 1);
}

static __always_inline bool maybe_traced(__u32 tgid)
{
	__u32 w = tgid >> 6;
	__u64 *b = bpf_map_lookup_elem(&tgid_bits, &w);

	return !b || (*b & (1ULL << (tgid & 63)));
}

static __always_inline void mark_traced(__u32 tgid)
{
	__u32 w = tgid >> 6;
	__u64 *b = bpf_map_lookup_elem(&tgid_bits, &w);

	if (b)
		__sync_fetch_and_or(b, 1ULL << (tgid & 63));
}

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, EPROC_MAX_SESSIONS);
	__type(key, __u32);
	__type(value, struct sess_cfg);
} sessions SEC(".maps");

/* Traced cgroups (eproc trace --cgroup): a process that is not traced and
 * runs in one of these cgroups, or in a cgroup below one, joins its session
 * at its first syscall exit, fork or execve there (cgroup_join). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, EPROC_MAX_CGROUPS);
	__type(key, __u64); /* cgroup id */
	__type(value, struct tracee);
} cgroups SEC(".maps");

/* Bit L: some cgroup in `cgroups` is at depth L of the hierarchy; written
 * by user space. 0, the rule when no session traces a cgroup, keeps the
 * untraced path to one load: the cgroup is looked at only then. */
volatile __u32 cgroup_levels;
/* The deepest of those levels, plus one: the search starts there. */
volatile __u32 cgroup_top;


/* Live processes per session, as counted by the programs (fork +1, exit -1);
 * user space adds the processes it attached itself. Mapped by user space,
 * whose reader looks at it every pass (a load, not a bpf() call). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, 1U << 10); /* BPF_F_MMAPABLE */
	__uint(max_entries, EPROC_MAX_SESSIONS);
	__type(key, __u32);
	__type(value, __s64);
} nproc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct held_key);
	__type(value, struct ev_exit);
} held_exits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, EPROC_MAX_SESSIONS);
	__type(key, __u32);
	__type(value, struct sess_stats);
} stats SEC(".maps");

/* Capture plans: syscall nr's at index nr; the cases of PF_SELECT plans
 * after them, at EPROC_MAX_SYSCALLS and up, found through subplans. One
 * map for both, so that the verifier sees one kind of plan pointer and
 * checks the capture path once (with the cases in a map of their own, it
 * walked that path twice: 236k instructions for sys_exit instead of 140k). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, EPROC_MAX_SYSCALLS + EPROC_MAX_SUBPLANS);
	__type(key, __u32);
	__type(value, struct plan);
} plans SEC(".maps");

/* {nr, selector value} -> the case's index in plans. Written by user
 * space only: not preallocated (a start then makes no entries). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, EPROC_MAX_SUBPLANS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct subkey);
	__type(value, __u32);
} subplans SEC(".maps");

/* The rings' template: a ring of any size goes in (the kernel compares an
 * inner map's type, key, value and flags, not its size; sessions' rings
 * are the sizes the loader gives them). One page, as the loader creates
 * the template and drops it at every start: 4 MiB took ~2 ms. */
struct ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 12);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, EPROC_MAX_SESSIONS);
	__type(key, __u32);
	__array(values, struct ring);
} rings SEC(".maps");

/* Entry times, only while some session wants them (-T, -c): sys_enter is
 * attached then and only then. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct call);
} entry_ts SEC(".maps");

/* The entry time of the call under way of the thread that entered it last
 * on this CPU (sys_enter), until the call returns (sys_exit) or the thread
 * leaves the CPU (sched_switch moves it to the thread's entry_ts): an
 * array lookup in line, where entry_ts takes two helper calls at each end
 * (bpf_task_storage_get, bpf_get_current_task_btf; ~50 ns a call under
 * -T, AMD EPYC). Plain loads and stores: no program comes between another's
 * on the same CPU here (see opaque()). */
struct call_slot {
	__u64 ts;
	__u32 tid;
	__u32 nr;
	__u64 ip; /* regs_ip() at the entry */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct call_slot);
} entry_slots SEC(".maps");

/* execve's arguments, by thread, from the syscall's own entry tracepoint: a
 * successful execve returns with the argument registers cleared. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct execargs);
} exec_stash SEC(".maps");

/* What an interpreted program's execve was given (struct execorig), by
 * thread, for its EV_EXEC: by the time of sched_process_exec, binfmt_script
 * (or binfmt_misc) has put the interpreter in front of the argv and taken
 * its argv[0] out, and the memory it came from is gone. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct execorig);
} exec_orig SEC(".maps");


/* Signals a ptracer would see but the programs never meet at delivery,
 * parked by target thread until its next syscall exit: those the kernel
 * found ignored, and fatal ones (`fatal`), which the kernel turns into a
 * SIGKILL of the whole group at once when no ptracer is attached. */
struct sigpend {
	__s32 sig;
	__u32 fatal;
	__u8 info[48];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct sigpend);
} sigpend SEC(".maps");

/* Per-architecture syscall numbers, set by user space at load. */
volatile const __u32 nr_rt_sigreturn = ~0U;
volatile const __u32 nr_execve = ~0U;
volatile const __u32 nr_execveat = ~0U;
volatile const __u32 nr_clone = ~0U;
volatile const __u32 nr_clone3 = ~0U;
volatile const __u32 nr_fork = ~0U;
volatile const __u32 nr_vfork = ~0U;
volatile const __u32 nr_bpf = ~0U;
volatile const __u32 nr_recvmmsg = ~0U;
volatile const __u32 nr_select = ~0U;
volatile const __u32 nr_pselect6 = ~0U;
volatile const __u32 nr_mmap = ~0U;
volatile const __u32 nr_munmap = ~0U;
/* eproc's own process: it never joins a session by its cgroup (its reads
 * of the ring would feed the ring). */
volatile const __u32 self_tgid = 0;
/* 1: execve's arguments are stashed at sched_prepare_exec, the point of no
 * return (Linux 6.10+), not at the syscall's entry. */
volatile const __u32 exec_at_prepare = 0;

/* Record scratch: slot 0 for the syscall path, 1 for process events. */
struct scratch {
	__u8 buf[2 * EPROC_SCRATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

#define SCRATCH_MASK (EPROC_SCRATCH - 1)

/* x &= mask, in a form the compiler cannot drop when it believes x already
 * fits: the verifier does not share that belief across spills and calls. */
#define BOUND(x, mask) asm volatile("%0 &= " #mask : "+r"(x))

/* The CPU's batch (see struct batch_hdr in eproc.h). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct batch_hdr);
} batch_hdrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[EPROC_BATCH_BUF]);
} batch_bufs SEC(".maps");

/* Where a record is built: scratch slot 0 or 1, or (slot 2 + off) the
 * CPU's batch at off, where the syscall path builds its records in place
 * (send_syscall): they go to the ring from there, uncopied. off is under
 * EPROC_BATCH, so a record of up to EPROC_SCRATCH fits behind it. */
#define SLOT_BATCH 2

static __always_inline struct scratch *get_scratch(__u32 slot)
{
	__u32 zero = 0, off;
	__u8 *buf;

	if (slot < SLOT_BATCH)
		return bpf_map_lookup_elem(&scratch, &slot);
	buf = bpf_map_lookup_elem(&batch_bufs, &zero);
	if (!buf)
		return NULL;
	off = slot - SLOT_BATCH;
	BOUND(off, 0xfff); /* < EPROC_BATCH */
	return (struct scratch *)(buf + off);
}

/* The second half of a scratch slot, free while a record is built: the
 * window put_dents reads entries through. */
static __always_inline __u8 *get_window(__u32 slot)
{
	struct scratch *sc;

	if (slot >= SLOT_BATCH)
		slot = 0;
	sc = bpf_map_lookup_elem(&scratch, &slot);
	return sc ? sc->buf + EPROC_SCRATCH : NULL;
}

static __always_inline struct sess_stats *get_stats(__u32 sid)
{
	return bpf_map_lookup_elem(&stats, &sid);
}

/* id: bpf_get_current_pid_tgid()'s answer, which callers on the syscall
 * path already hold (a helper call costs ~8 ns there). */
static __always_inline void fill_hdr_id(struct ev_hdr *h, __u16 type, __u64 ts, __u64 id)
{
	h->type = type;
	h->tid = (__u32)id;
	h->tgid = id >> 32;
	h->cpu = bpf_get_smp_processor_id();
	h->ts = ts;
}

static __always_inline void fill_hdr(struct ev_hdr *h, __u16 type, __u64 ts)
{
	fill_hdr_id(h, type, ts, bpf_get_current_pid_tgid());
}

#ifndef BPF_F_INNER_MAP
#define BPF_F_INNER_MAP (1U << 12)
#endif

struct rec_array {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP); /* recorders differ in size */
	__uint(max_entries, 1);
	__type(key, __u32);
	/* struct rec_slot: as bytes, for BTF holds the struct only as a
	 * forward declaration here, which has no size. */
	__type(value, __u8[EPROC_REC_SLOT]);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, EPROC_MAX_SESSIONS);
	__type(key, __u32);
	__array(values, struct rec_array);
} recorders SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, EPROC_MAX_SESSIONS);
	__type(key, __u32);
	__type(value, struct rec_meta);
} rec_metas SEC(".maps");

/* A record on its way to a recorder: copied here first, so that
 * rec_slot_copy reads it from one known place whatever memory it was in
 * (the stack, or a scratch buffer). Per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	/* Twice a record's most, so that len masked to 0x7fff is in bounds
	 * for any verifier (6.1's does not carry the len <= EPROC_SCRATCH
	 * test over to the copy's size). */
	__type(value, __u8[2 * EPROC_SCRATCH]);
} rec_stage SEC(".maps");

/* What rec_slot_copy needs: scalars only. */
struct rec_copy {
	__u64 len, pos, parts;
	__u32 sid, mask;
};

/* bpf_loop's callback: slot i of a record. (A loop in line was verified
 * once per slot and call site: too large for older verifiers.) */
static long rec_slot_copy(__u64 i, void *vc)
{
	const struct rec_copy *c = vc;
	__u32 idx = (c->pos + i) & c->mask, zero = 0;
	struct rec_slot *sl;
	__u8 *stage;
	void *arr;
	__u64 n, off;

	arr = bpf_map_lookup_elem(&recorders, &c->sid);
	stage = bpf_map_lookup_elem(&rec_stage, &zero);
	if (!arr || !stage)
		return 1;
	sl = bpf_map_lookup_elem(arr, &idx);
	if (!sl)
		return 1;
	n = c->len - i * EPROC_REC_DATA;
	if (n > EPROC_REC_DATA)
		n = EPROC_REC_DATA;
	sl->seq = 0;
	sl->len = n;
	sl->part = i;
	sl->parts = c->parts;
	BOUND(n, 0xff);
	off = i * EPROC_REC_DATA;
	BOUND(off, 0x3fff);
	bpf_probe_read_kernel(sl->data, n, stage + off);
	/* The data before the seq that vouches for it (the reader checks
	 * the seq before and after it copies). */
	asm volatile("" ::: "memory");
	sl->seq = c->pos + i + 1;
	return 0;
}

/* Put a record in a recording session's recorder, over its oldest. */
static __always_inline long record(__u32 sid, const void *data, __u64 len)
{
	struct rec_meta *m = bpf_map_lookup_elem(&rec_metas, &sid);
	struct rec_copy c = {};
	__u32 zero = 0;
	__u16 type = 0;
	void *stage;

	if (!m || !m->nslots)
		return -1;
	if (len > EPROC_SCRATCH || !len)
		return -1;
	stage = bpf_map_lookup_elem(&rec_stage, &zero);
	BOUND(len, 0x7fff);
	if (!stage || bpf_probe_read_kernel(stage, len, data))
		return -1;
	c.sid = sid;
	c.len = len;
	c.parts = (len + EPROC_REC_DATA - 1) / EPROC_REC_DATA;
	c.mask = m->nslots - 1;
	c.pos = __sync_fetch_and_add(&m->head, c.parts);
	__sync_fetch_and_add(&m->records, 1);
	type = *(__u16 *)stage; /* the staged copy's header: no second read of data */
	if (type == EV_SYSCALL)
		__sync_fetch_and_add(&m->calls, 1);
	if (bpf_loop(c.parts, rec_slot_copy, &c, 0) != (long)c.parts)
		return -1;
	return 0;
}

/* Record, and tell the reader of a process's end through the ring (the
 * only records a recording session puts there): it keeps that process's
 * record before newer ones overwrite it. */
static __always_inline long record_and_tell(__u32 sid, void *data, __u64 len)
{
	long r = record(sid, data, len);
	struct ev_exit x = {};
	void *rb;

	if (len != sizeof(x))
		return r;
	bpf_probe_read_kernel(&x, sizeof(x), data);
	if (x.h.type != EV_EXIT || x.group_dead != EXIT_GROUP)
		return r;
	rb = bpf_map_lookup_elem(&rings, &sid);
	if (rb)
		bpf_ringbuf_output(rb, &x, sizeof(x), BPF_RB_FORCE_WAKEUP);
	return r;
}

/* Put an EV_DROPS record ahead of a record of session s: the losses this
 * CPU has not reported yet (left for the next record when it does not fit
 * either). Its header is its own: no thread (tid and tgid 0: the losses
 * are the session's, and the thread running may be eproc's, flushing a
 * batch), now; not copied from the record it precedes: the verifier
 * walked that copy for every kind of record emit was given. */
static __always_inline void report_drops(void *rb, struct sess_stats *st, const struct sess_cfg *s)
{
	struct ev_drops d;

	fill_hdr_id(&d.h, EV_DROPS, (s->flags & SF_TIME) ? bpf_ktime_get_ns() : 0, 0);
	d.h.len = sizeof(d);
	d.calls = st->unrep_calls;
	d.other = st->unrep_other;
	if (bpf_ringbuf_output(rb, &d, sizeof(d), BPF_RB_NO_WAKEUP) == 0) {
		st->unrep_calls = 0;
		st->unrep_other = 0;
	}
}

#define barrier() asm volatile("" ::: "memory")

/* Count lost records in this CPU's stats of their session: calls (syscall
 * records: the calls are lost) and other records. */
static __always_inline void add_losses(struct sess_stats *st, __u64 calls, __u64 other)
{
	st->dropped += calls;
	st->unrep_calls += calls;
	st->lost += other;
	st->unrep_other += other;
}

/* Empty batch number seq (held by the caller), and open the next. */
static __always_inline int batch_reset(struct batch_hdr *bh, __u64 seq)
{
	bh->len = 0;
	bh->calls = 0;
	bh->other = 0;
	bh->wake = 0;
	bh->left = 0;
	/* Open again, under the next number; after the stores above (an
	 * exchange: a barrier on every architecture). */
	__sync_lock_test_and_set(&bh->claim, (seq + 1) << 32);
	return 0;
}

/* Put the CPU's batch in its session's ring, by a caller that holds it
 * (busy). A batch whose session has ended since goes nowhere. Lost, its
 * records are counted as the session's drops, as each would have been.
 * A global function (the batch is the CPU's: no pointers passed), so
 * that the verifier walks it once per program, not once for each of its
 * callers' states. */
__noinline int batch_out(__u32 wake)
{
	__u32 zero = 0, sid, len, from;
	__u64 n, seq;
	struct batch_hdr *bh = bpf_map_lookup_elem(&batch_hdrs, &zero);
	__u8 *buf = bpf_map_lookup_elem(&batch_bufs, &zero);
	const struct sess_cfg *s;
	struct sess_stats *st;
	void *rb;

	if (!bh || !buf)
		return 0;
	sid = bh->sid;
	len = bh->len;
	if (!len)
		return 0;
	/* Closed: no other CPU takes from it now. What one took already
	 * (the claim's low half) went to the ring before this. */
	n = __sync_fetch_and_or(&bh->claim, CLAIM_CLOSED);
	seq = n >> 32;
	from = (__u32)n;
	s = bpf_map_lookup_elem(&sessions, &sid);
	if (s && s->gen == bh->gen && from < len) {
		rb = bpf_map_lookup_elem(&rings, &sid);
		st = get_stats(sid);
		if (rb && st && (st->unrep_calls | st->unrep_other))
			report_drops(rb, st, s);
		/* batch_take takes only below EPROC_BATCH; what is left is
		 * under EPROC_BATCH plus a record: the check says so to the
		 * verifier, in a register of its own. */
		BOUND(from, 0xfff);
		n = len - from;
		asm volatile("" : "+r"(n));
		if (n > EPROC_BATCH_BUF - EPROC_BATCH) {
			if (st) /* never: counted, should it be */
				add_losses(st, bh->calls, bh->other);
			return batch_reset(bh, seq);
		}
		/* A batch whose head another CPU took and whose tail finds the
		 * ring full counts all its records lost: more than were. */
		if ((!rb || bpf_ringbuf_output(rb, buf + from, n,
					       (wake || bh->wake) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP)) &&
		    st)
			add_losses(st, bh->calls, bh->other);
	}
	return batch_reset(bh, seq);
}

/* Put out, from whichever CPU runs this, what CPU cpu's batch holds now
 * and no CPU has put out yet: for a task that left cpu runnable and moves
 * elsewhere (sched_migrate_task), whose records must reach the ring
 * before its next ones. The batch stays cpu's, which may be adding to it
 * meanwhile: only its records up to the length read here are taken (they
 * are whole: cpu adds a record's bytes before its length), copied into a
 * ring reservation, and submitted only if the claim still says what it
 * said before the copy (cpu had not closed the batch to put it out, nor
 * reused it). A batch cpu is putting out at that moment goes to the ring
 * from there: it waits a moment for that. A global function: the
 * verifier walks it once. */
__noinline int batch_take(__u32 cpu)
{
	__u32 zero = 0, from = 0, len, sid, i;
	struct batch_hdr *bh = bpf_map_lookup_percpu_elem(&batch_hdrs, &zero, cpu);
	__u8 *buf = bpf_map_lookup_percpu_elem(&batch_bufs, &zero, cpu);
	const struct sess_cfg *s;
	struct bpf_dynptr dp;
	__u64 cl = 0;
	void *rb;

	if (!bh || !buf)
		return 0;
	for (i = 0; i < 64; i++) {
		cl = __sync_fetch_and_add(&bh->claim, 0);
		from = (__u32)cl;
		if (from != (__u32)CLAIM_CLOSED)
			break;
	}
	len = bh->len;
	sid = bh->sid;
	/* A batch at EPROC_BATCH or over is one its CPU is about to put out
	 * (batch_commit, before it lets go of it): as one closed. */
	if (from == (__u32)CLAIM_CLOSED || len <= from || len >= EPROC_BATCH)
		return 0;
	s = bpf_map_lookup_elem(&sessions, &sid);
	if (!s || s->gen != bh->gen)
		return 0;
	rb = bpf_map_lookup_elem(&rings, &sid);
	if (!rb)
		return 0;
	len -= from;
	BOUND(from, 0xfff); /* < EPROC_BATCH */
	BOUND(len, 0xfff);
	if (bpf_ringbuf_reserve_dynptr(rb, len, 0, &dp)) {
		/* The ring is full: the batch goes out from cpu (and its
		 * records are counted there, if still no room). */
		bpf_ringbuf_discard_dynptr(&dp, 0);
		return 0;
	}
	if (bpf_dynptr_write(&dp, 0, buf + from, len, 0) ||
	    __sync_val_compare_and_swap(&bh->claim, cl, (cl & ~CLAIM_CLOSED) | (from + len)) != cl) {
		bpf_ringbuf_discard_dynptr(&dp, 0);
		return 0;
	}
	bpf_ringbuf_submit_dynptr(&dp, BPF_RB_NO_WAKEUP);
	return 0;
}

static __always_inline void batch_release(struct batch_hdr *bh)
{
	barrier();
	bh->busy = 0;
}

/* Put this CPU's batch in the ring, unless this program interrupted the
 * CPU while it was changing the batch. */
static __always_inline void batch_flush_cpu(bool wake)
{
	__u32 zero = 0;
	struct batch_hdr *bh = bpf_map_lookup_elem(&batch_hdrs, &zero);
	__u8 *buf;

	if (!bh || !bh->len || bh->busy)
		return;
	buf = bpf_map_lookup_elem(&batch_bufs, &zero);
	if (!buf)
		return;
	bh->busy = 1;
	barrier();
	batch_out(wake);
	batch_release(bh);
}

/* Hold this CPU's batch for a record of session s (sid): busy, and
 * holding only that session's records, fewer than EPROC_BATCH bytes. NULL
 * when the batch is held already (this program interrupted its holder):
 * the record goes straight to the ring then. */
static __always_inline struct batch_hdr *batch_hold(const struct sess_cfg *s, __u32 sid, __u8 **bufp)
{
	__u32 zero = 0;
	struct batch_hdr *bh = bpf_map_lookup_elem(&batch_hdrs, &zero);
	__u8 *buf;

	if (!bh || bh->busy || !s->wake_every)
		return NULL;
	buf = bpf_map_lookup_elem(&batch_bufs, &zero);
	if (!buf)
		return NULL;
	bh->busy = 1;
	barrier();
	if (bh->len && (bh->sid != sid || bh->gen != s->gen || bh->len >= EPROC_BATCH))
		batch_out(false);
	*bufp = buf;
	return bh;
}

/* Take the len bytes written at the held batch's end as its next record
 * (call: a syscall record), and release the batch. */
static __always_inline void batch_commit(struct batch_hdr *bh, __u8 *buf, const struct sess_cfg *s, __u32 sid, __u64 len,
					 bool call)
{
	struct sess_stats *st = get_stats(sid);

	bh->sid = sid;
	bh->gen = s->gen;
	/* The record's bytes before its length (batch_take reads from another
	 * CPU up to the length it sees). */
	barrier();
#if defined(__TARGET_ARCH_x86)
	bh->len += (len + 7) & ~7ULL;
#else
	__sync_fetch_and_add(&bh->len, (len + 7) & ~7ULL);
#endif
	if (call)
		bh->calls++;
	else
		bh->other++;
	if (st && ++st->since_wake >= s->wake_every) {
		bh->wake = 1;
		st->since_wake = 0;
	}
	if (bh->len >= EPROC_BATCH)
		batch_out(false);
	batch_release(bh);
}

/* Copy a record into this CPU's batch; false when it did not go in (the
 * batch is held, or the record must go on its own: force, or too long;
 * the batch has gone out before it then, to keep the order). */
static __always_inline bool batch_put(const struct sess_cfg *s, __u32 sid, void *data, __u64 len, bool force, bool call)
{
	struct batch_hdr *bh;
	__u8 *buf = NULL;
	__u32 off;

	if (force || len < sizeof(struct ev_hdr) || len >= EPROC_SCRATCH) {
		batch_flush_cpu(false);
		return false;
	}
	bh = batch_hold(s, sid, &buf);
	if (!bh || !buf)
		return false;
	off = bh->len;
	BOUND(off, 0xfff); /* < EPROC_BATCH */
	BOUND(len, 0x3fff);
	if (bpf_probe_read_kernel(buf + off, len, data)) {
		batch_release(bh);
		return false;
	}
	batch_commit(bh, buf, s, sid, len, call);
	return true;
}

/* How a record goes (emit): into this CPU's batch; out now, after the
 * batch (a fork, a process's end: the order matters); out now, waking the
 * reader (the session's last process ended: it ends the session). */
enum {
	EMIT_BATCH = 0,
	EMIT_NOW = 1,
	EMIT_WAKE = 3,
	EMIT_CALL = 8, /* with the others: a syscall record, whose loss is a dropped call */
};

/* Emit a record to a session, as `how` says (EMIT_*). Returns 0 when it
 * went in; the caller counts a loss (call: a syscall record). A batch's
 * losses are counted when it goes out.
 *
 * The reader is never woken per record: each CPU counts the records it
 * produced for the session and wakes the reader every wake_every of them
 * (a per-CPU counter, so no cache line is shared with the reader); the
 * reader polls for the rest. A fork and an exit used to wake it too: two
 * wake-ups of a sleeping reader per process, ~200 us of its CPU each time
 * in a fork storm here. */
static __noinline long emit(const struct sess_cfg *s, __u32 sid, void *data, __u64 len, __u32 how)
{
	__u32 wake_every = s->wake_every;
	bool call = how & EMIT_CALL;
	void *rb;
	struct sess_stats *st;
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (!wake_every) /* no reader to wake: the session records */
		return record_and_tell(sid, data, len);
	how &= ~EMIT_CALL;
	if (batch_put(s, sid, data, len, how != EMIT_BATCH, call))
		return 0;
	rb = bpf_map_lookup_elem(&rings, &sid);
	st = get_stats(sid);
	if (!rb)
		return -1;
	if (st && ++st->since_wake >= wake_every)
		how = EMIT_WAKE;
	if (how == EMIT_WAKE) {
		flags = BPF_RB_FORCE_WAKEUP;
		if (st)
			st->since_wake = 0;
	}
	if (st && (st->unrep_calls | st->unrep_other))
		report_drops(rb, st, s);
	/* The callers bound len; say so in a way the compiler cannot fold away,
	 * for the verifier's sake. */
	BOUND(len, 0x7fff);
	return bpf_ringbuf_output(rb, data, len, flags);
}

static __always_inline void count_loss(__u32 sid, bool syscall)
{
	struct sess_stats *st = get_stats(sid);

	if (st)
		add_losses(st, syscall, !syscall);
}

/* The syscall a thread is in, from its saved user registers: the number,
 * or -1 when it is not in one (interrupts and exceptions set -1). */
static __always_inline long regs_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return (long)regs->orig_ax;
#else
	return (long)regs->syscallno;
#endif
}

/* Whether the call regs name is still under way, not returned: a thread
 * can sleep after its call's exit, on its way back to user space (the
 * task work that runs there: the last fput of a file a call closed, a
 * lingering TCP socket's release, for a second; a fault on the rseq area),
 * while the registers still name the call. x86's entry puts -ENOSYS in ax
 * and the call's result replaces it; arm64's keeps x0 in orig_x0 and the
 * result replaces x0. A call that returned -ENOSYS (x86) or its own first
 * argument (arm64) reads as under way: the rare case still mistaken. */
static __always_inline bool call_under_way(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return (long)regs->ax == -38; /* -ENOSYS */
#else
	return regs->regs[0] == regs->orig_x0;
#endif
}

/* The user instruction pointer in regs (-i). */
static __always_inline __u64 regs_ip(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return regs->ip;
#else
	return regs->pc;
#endif
}

/* The syscall's arguments. Handlers do not change the argument registers
 * (arm64 overwrites x0 with the result, and keeps the argument in orig_x0),
 * so they read the same at exit as at entry; execve and rt_sigreturn, which
 * replace the registers, are handled by their callers. */
static __always_inline void regs_args(struct pt_regs *regs, __u64 *args)
{
#if defined(__TARGET_ARCH_x86)
	args[0] = regs->di;
	args[1] = regs->si;
	args[2] = regs->dx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
#else
	args[0] = regs->orig_x0;
	args[1] = regs->regs[1];
	args[2] = regs->regs[2];
	args[3] = regs->regs[3];
	args[4] = regs->regs[4];
	args[5] = regs->regs[5];
#endif
}

/* A cell to pass values through: see opaque(). Per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} opaque_cell SEC(".maps");

/* v, as a value the verifier does not know: stored to map memory and
 * loaded back (the verifier follows values through registers and the
 * stack, not through map values). Where a path compared a syscall number
 * with a constant (nr_execve, nr_bpf, nr_rt_sigreturn), the verifier
 * knows the number on that path; used as an index later (the filter), it
 * must keep it exact, and walks what follows once for each such number
 * and once for the rest (issue 16: start-up is mostly verification).
 * Passed through here, the paths meet again. The cell is the CPU's: the
 * programs that call this run in process context, and tracepoints run
 * their programs with preemption off, so none comes between the store and
 * the load. (A check that the load gave v back, by compare or by a
 * sequence number, made the verifier walk both outcomes: +3.6k
 * instructions in entry_capture.) */
static __always_inline __u32 opaque(__u32 v)
{
	__u32 zero = 0;
	__u32 *c = bpf_map_lookup_elem(&opaque_cell, &zero);

	if (!c)
		return ~0U;
	*c = v;
	barrier();
	return *(volatile __u32 *)c;
}

static __always_inline bool is_exec(long nr)
{
	return nr == nr_execve || nr == nr_execveat;
}

static __always_inline bool is_fork(long nr)
{
	return nr == nr_clone || nr == nr_clone3 || nr == nr_fork || nr == nr_vfork;
}

/* ---- captures ----------------------------------------------------------
 *
 * The put_* functions are global BPF functions: the verifier checks each
 * once, on its own, instead of once per path into it, which is what keeps
 * the loops below verifiable. They take scalars only, find the scratch
 * buffer themselves, append one or more captures at byte offset `off` of
 * scratch slot `slot`, and return PUT(bytes appended, captures appended), or
 * a negative number when the record is full.
 */

#define PUT(bytes, n) ((int)(bytes) | (int)(n) << 16)
#define PUT_BYTES(r) ((r) & 0xffff)
#define PUT_N(r) ((r) >> 16)

/* tag: argument index | element index << 8 */
#define TAG(arg, idx) ((__u32)(arg) | (__u32)(idx) << 8)

/* Bytes from ptr to the end of its (smallest) page. */
static __always_inline __u32 page_left(__u64 ptr)
{
	return EPROC_PAGE - (ptr & (EPROC_PAGE - 1));
}

static __always_inline __u64 argn(const __u64 *args, __u32 i)
{
	i &= 7;
	if (i > 5)
		return 0;
	return args[i];
}

static __always_inline struct ev_cap *cap_at(struct scratch *sc, __u32 off, __u32 tag)
{
	struct ev_cap *cap;

	BOUND(off, 0x3fff);
	cap = (struct ev_cap *)(sc->buf + off);
	cap->arg = tag & 0xff;
	cap->flags = 0;
	cap->idx = tag >> 8;
	cap->len = 0;
	return cap;
}

static __always_inline __u8 *data_at(struct scratch *sc, __u32 off)
{
	off += sizeof(struct ev_cap);
	BOUND(off, 0x3fff);
	return sc->buf + off;
}

static __always_inline int cap_done(struct ev_cap *cap, __u32 len)
{
	cap->len = len;
	return sizeof(struct ev_cap) + ((len + 7) & ~7U);
}

/* The flags and length of the capture at off (one put_* made). */
static __always_inline __u8 cap_at_flags(struct scratch *sc, __u32 off)
{
	BOUND(off, 0x3fff);
	return ((struct ev_cap *)(sc->buf + off))->flags;
}

static __always_inline __u32 cap_len(struct scratch *sc, __u32 off)
{
	BOUND(off, 0x3fff);
	return ((struct ev_cap *)(sc->buf + off))->len;
}

/* A capture that faulted with nothing read: what user space may read
 * instead (CAPF_WANT). The callers checked that a cap_want fits. */
static __always_inline int cap_want(struct scratch *sc, __u32 off, struct ev_cap *cap, __u32 kind, __u64 ptr, __u32 size)
{
	struct cap_want *w = (struct cap_want *)data_at(sc, off);

	cap->flags |= CAPF_FAULT | CAPF_WANT;
	w->size = size;
	w->kind = kind;
	w->ptr = ptr;
	return cap_done(cap, sizeof(*w));
}

/* Append `size` bytes at ptr (size >> 32: the capture was cut short,
 * PUT_TRUNC; PUT_PROBE: and the byte after them must be readable too, or
 * the capture is a fault). */
__noinline int put_mem(__u32 slot, __u32 off, __u32 tag, __u64 ptr, __u64 size)
{
	struct scratch *sc = get_scratch(slot);
	struct ev_cap *cap;
	/* rd: the bytes read, at most EPROC_MAX_CAP (a capture that long is
	 * a dump's, whole: no probe). */
	__u32 n = size, rd = n + ((size & PUT_PROBE) && n && n < EPROC_MAX_CAP), head;
	long err;

	if (!sc || off > EPROC_SCRATCH - 16 - rd - sizeof(struct cap_want))
		return -1;
	cap = cap_at(sc, off, tag);
	if (size >> 32)
		cap->flags = CAPF_TRUNC;
	if (!n)
		return PUT(cap_done(cap, 0), 1);
	if (rd <= 16) {
		/* Small ones (an int, a timespec) through the stack, this
		 * function's: hardened usercopy checks a read's destination,
		 * cheaply when it is on the kernel stack. A map value is not,
		 * nor (6.13 on) a frame of 64 bytes or more, as the verifier
		 * counts it (rounded up to 16): the JIT gives such a frame of a
		 * tracing program a per-CPU stack of its own (sys_exit's is
		 * one). Either costs ~20 ns a read more here (make bench's
		 * helper table). put_mem's frame is 40 bytes: v can grow no
		 * more (TestSmallFrames). capture_mem reads up to 32 bytes. */
		__u64 v[2] = {};
		__u64 *d = (__u64 *)data_at(sc, off);
		__u32 m = rd - 1;

		BOUND(m, 0xf);
		err = bpf_probe_read_user(v, m + 1, (void *)ptr);
		d[0] = v[0];
		d[1] = v[1];
	} else {
		BOUND(rd, 0x1fff);
		err = bpf_probe_read_user(data_at(sc, off), rd, (void *)ptr);
	}
	if (!err)
		return PUT(cap_done(cap, n), 1);
	/* The bytes before the first page the read could not take: strace
	 * prints an array's elements up to the one it could not read ("...
	 * /\* addr *\/"). None: user space may read them (CAPF_WANT). */
	head = page_left(ptr);
	if (head < rd) {
		BOUND(head, 0x1fff);
		if (!bpf_probe_read_user(data_at(sc, off), head, (void *)ptr)) {
			cap->flags |= CAPF_FAULT | CAPF_PART;
			return PUT(cap_done(cap, head), 1);
		}
	}
	return PUT(cap_want(sc, off, cap, CK_MEM | (rd > n ? WANT_PROBE : 0), ptr, rd), 1);
}

/* Append the string at ptr, at most max-1 bytes (more: CAPF_TRUNC). */
__noinline int put_str(__u32 slot, __u32 off, __u32 tag, __u64 ptr, __u32 max)
{
	struct scratch *sc = get_scratch(slot);
	bool shown = max >> 31; /* max is -s's: the string is shown cut there */
	struct ev_cap *cap;
	long n;

	max &= 0x7fffffff;
	if (max > EPROC_MAX_CAP)
		max = EPROC_MAX_CAP;
	if (max == 0)
		max = 1;
	if (!sc || off > EPROC_SCRATCH - 16 - max - sizeof(struct cap_want))
		return -1;
	cap = cap_at(sc, off, tag);
	BOUND(max, 0x1fff);
	n = bpf_probe_read_user_str(data_at(sc, off), max, (void *)ptr);
	if (n < 0 && shown && max > 2 && page_left(ptr) == max - 1) {
		/* No NUL before a page that cannot be read, max-1 bytes on:
		 * the max-2 characters shown, and more (strace reads strsize+1
		 * bytes, and they were there). Not for a path (a fixed max):
		 * strace reads it whole, or prints its address. */
		__u32 head = max - 1;

		BOUND(head, 0x1fff);
		n = bpf_probe_read_user_str(data_at(sc, off), head, (void *)ptr);
		if (n == max - 1) {
			cap->flags = CAPF_TRUNC;
			return PUT(cap_done(cap, n - 1), 1);
		}
		n = -1;
	}
	if (n < 0) {
		__u32 kind = CK_STR | (shown ? WANT_SHOWN : 0);

		if (!bpf_probe_read_user(data_at(sc, off), 1, (void *)ptr))
			kind |= WANT_CROSS;
		return PUT(cap_want(sc, off, cap, kind, ptr, max), 1);
	}
	if (n > 0) {
		n--; /* the NUL */
		if (n == max - 1)
			cap->flags = CAPF_TRUNC;
	}
	return PUT(cap_done(cap, n), 1);
}

struct uiovec {
	__u64 base;
	__u64 len;
};

/* struct user_msghdr (64-bit); put_msghdr reads its fields back from the
 * record, at these offsets. */
#define MSGHDR_OFF(f) __builtin_offsetof(struct umsghdr, f)

struct umsghdr {
	__u64 name;
	__s32 namelen;
	__u32 pad;
	__u64 iov;
	__u64 iovlen;
	__u64 control;
	__u64 controllen;
	__u32 flags;
	__u32 pad2;
};

/* The data of the iovecs captured at arr (put_iov, put_msghdr): element
 * i's at most max bytes, total in all, as element index tag + (i + 1) << 8
 * (tag: the argument | the array's element index << 8). A bpf_loop
 * callback: the verifier walks it once, not 32 times, in each program. */
struct iovwalk {
	__u32 slot;
	__u32 arr;
	__u32 off; /* the record's next byte */
	__u32 total;
	__u32 max;
	__u32 tag;
	__u32 ncaps;
};

static long iov_step(__u64 i, struct iovwalk *w)
{
	struct scratch *sc = get_scratch(w->slot);
	__u32 at = i * sizeof(struct uiovec);
	__u64 n, base;
	int r;

	if (!sc || at + sizeof(struct uiovec) > cap_len(sc, w->arr) || w->total == 0)
		return 1;
	n = *(__u64 *)(data_at(sc, w->arr) + (at & 0x1f0) + __builtin_offsetof(struct uiovec, len));
	base = *(__u64 *)(data_at(sc, w->arr) + (at & 0x1f0) + __builtin_offsetof(struct uiovec, base));
	if (n > w->total)
		n = w->total;
	w->total -= n;
	/* Each element's data as strace's printstr reads it (PUT_PROBE). */
	r = put_mem(w->slot, w->off, w->tag + ((i + 1) << 8), base, n > w->max ? (w->max | PUT_TRUNC | PUT_PROBE) : n);
	if (r < 0)
		return 1;
	w->off += PUT_BYTES(r);
	w->ncaps++;
	return 0;
}

/* The iovec array (tag) and each element's data (tag's element index + 1
 * + i); spec: total | count << 32 | max << 48, total (at most 4 GiB - 1)
 * bounding the data of all. The elements are read back from the array's
 * capture. */
__noinline int put_iov(__u32 slot, __u32 off, __u32 tag, __u64 ptr, __u64 spec)
{
	__u32 cnt = (spec >> 32) & 0xffff;
	struct iovwalk w = {.slot = slot, .arr = off, .total = spec, .max = spec >> 48, .tag = tag, .ncaps = 1};
	struct scratch *sc;
	int r;

	if (cnt > EPROC_IOV_MAX)
		cnt = EPROC_IOV_MAX;
	r = put_mem(slot, off, tag, ptr, cnt * sizeof(struct uiovec));
	sc = get_scratch(slot);
	if (r < 0 || !sc)
		return r;
	w.off = off + PUT_BYTES(r);
	/* The elements before a page that could not be read (CAPF_PART) are
	 * in the capture; none with CAPF_WANT. */
	if (!(cap_at_flags(sc, off) & CAPF_WANT))
		bpf_loop(EPROC_IOV_MAX, iov_step, &w, 0);
	return PUT(w.off - off, w.ncaps);
}

/* A struct msghdr (or a struct mmsghdr: a msghdr and its msg_len) and
 * what it points to, tagged with element indexes tag's base + MSG_*
 * (eproc.h): the struct, the name (at most its length, and 128), the
 * control data (at most EPROC_CMSG_MAX) and the iovecs (the array, then
 * each element's data, at most max bytes each and total in all; ~0U: no
 * bound). spec: total | max << 32 | 1 << 62
 * for a struct mmsghdr | 1 << 63 when its msg_len is the total; tag: the
 * argument | base << 8.
 *
 * The fields are read back from the record, not kept on the stack, and
 * the iovecs are walked here, not by put_iov: sys_exit, capture_at, this
 * and put_mem are one call chain, whose stacks Linux 6.1's verifier adds
 * up against 512 bytes (224 + 96 + 96 + 64 here). */
__noinline int put_msghdr(__u32 slot, __u32 off, __u32 tag, __u64 ptr, __u64 spec)
{
	__u32 start = off, arr, total = spec, ncaps = 1;
	struct scratch *sc = get_scratch(slot);
	__u64 n;
	int r;

	r = put_mem(slot, off, tag + (MSG_HDR << 8), ptr, sizeof(struct umsghdr) + (spec >> 62 & 1) * 8);
	if (r < 0 || !sc)
		return -1;
	off += PUT_BYTES(r);
	if (cap_at_flags(sc, start))
		return PUT(off - start, ncaps);
	if (spec >> 63)
		total = *(__u32 *)(data_at(sc, start) + sizeof(struct umsghdr)) /* msg_len */;
	n = *(__s32 *)(data_at(sc, start) + MSGHDR_OFF(namelen));
	if (*(__u64 *)(data_at(sc, start) + MSGHDR_OFF(name)) && (__s64)n >= 2) {
		r = put_mem(slot, off, tag + (MSG_NAME << 8), *(__u64 *)(data_at(sc, start) + MSGHDR_OFF(name)), n > 128 ? 128 : n);
		if (r < 0)
			return PUT(off - start, ncaps);
		off += PUT_BYTES(r);
		ncaps++;
	}
	n = *(__u64 *)(data_at(sc, start) + MSGHDR_OFF(controllen));
	if (*(__u64 *)(data_at(sc, start) + MSGHDR_OFF(control)) && n) {
		r = put_mem(slot, off, tag + (MSG_CONTROL << 8), *(__u64 *)(data_at(sc, start) + MSGHDR_OFF(control)),
			    n > EPROC_CMSG_MAX ? (EPROC_CMSG_MAX | 1ULL << 32) : n);
		if (r < 0)
			return PUT(off - start, ncaps);
		off += PUT_BYTES(r);
		ncaps++;
	}
	n = *(__u64 *)(data_at(sc, start) + MSGHDR_OFF(iovlen));
	if (!*(__u64 *)(data_at(sc, start) + MSGHDR_OFF(iov)) || !n)
		return PUT(off - start, ncaps);
	if (n > EPROC_IOV_MAX)
		n = EPROC_IOV_MAX;
	arr = off;
	r = put_mem(slot, off, tag + (MSG_IOV << 8), *(__u64 *)(data_at(sc, start) + MSGHDR_OFF(iov)), n * sizeof(struct uiovec));
	if (r < 0)
		return PUT(off - start, ncaps);
	off += PUT_BYTES(r);
	ncaps++;
	if (cap_at_flags(sc, arr))
		return PUT(off - start, ncaps);
	{
		struct iovwalk w = {.slot = slot, .arr = arr, .off = off, .total = total, .max = spec >> 32 & 0x1fff,
				    .tag = tag + (MSG_IOV << 8), .ncaps = ncaps};

		bpf_loop(EPROC_IOV_MAX, iov_step, &w, 0);
		return PUT(w.off - start, w.ncaps);
	}
}

/* CK_DEREF: count elements of elem bytes at the pointer at ptr + ptr_off,
 * count being the cnt_size-byte field at ptr + cnt_off, or (cnt_size 0)
 * spec's; at most maxn of them (more: CAPF_TRUNC). Nothing when the
 * pointer is NULL or cannot be read (the decoder prints the address).
 * spec: count | ptr_off << 32 | cnt_off << 40 | cnt_size << 48 | maxn << 52;
 * tag: the argument | element index << 8 | elem << 24. */
__noinline int put_deref(__u32 slot, __u32 off, __u32 tag, __u64 ptr, __u64 spec)
{
	__u64 p = 0, cnt = (__u32)spec, maxn = spec >> 52;
	__u32 csize = (spec >> 48) & 0xf;

	if (bpf_probe_read_user(&p, sizeof(p), (void *)(ptr + ((spec >> 32) & 0xff))) || !p)
		return 0;
	if (csize) {
		cnt = 0;
		if (csize > 8 || bpf_probe_read_user(&cnt, csize, (void *)(ptr + ((spec >> 40) & 0xff))))
			return 0;
	}
	return put_mem(slot, off, tag & 0xffffff, p, (cnt > maxn ? maxn : cnt) * (tag >> 24) | (__u64)(cnt > maxn) << 32);
}

/* put_deref_items' walk: element i of the array at el (a bpf_loop
 * callback: the verifier walks it once, not once per element). k and pos
 * as put_deref_items packs them. */
struct itemwalk {
	__u64 el;
	__u64 k;
	__u64 pos;
};

static long item_step(__u64 i, struct itemwalk *w)
{
	__u64 v[2] = {}, k = w->k, pos = w->pos, n;
	int r;

	if (i >= (k >> 49))
		return 1;
	if (bpf_probe_read_user(&v[0], sizeof(v[0]), (void *)(w->el + ((k >> 8) & 0xff))) ||
	    bpf_probe_read_user(&v[1], ((k >> 24) & 7) + 1, (void *)(w->el + ((k >> 16) & 0xff))))
		return 1;
	w->el += (k >> 28) & 0xff;
	n = v[0] ? v[1] : 0;
	r = put_mem(pos & 0xffff, ((pos >> 16) & 0xffff) + ((pos >> 32) & 0xffff), (k & 0xff) | (DEREF_ITEM_IDX + i) << 8, v[0],
		    n > ((k >> 36) & 0x1fff) ? (((k >> 36) & 0x1fff) | 1ULL << 32) : n);
	if (r < 0)
		return 1;
	w->pos = pos + ((__u64)PUT_BYTES(r) << 32 | 1ULL << 48);
	return 0;
}

/* CK_DEREF_ITEMS: the array at the pointer at ptr + ptr_off, of the
 * count in the cnt_size-byte field at ptr + cnt_off, of elem-byte
 * elements; in each of its first EPROC_ITEMS_MAX, the pointer at item_ptr
 * and its length, the len_size-byte field at item_len: min(length, max)
 * bytes there (more: CAPF_TRUNC), as element DEREF_ITEM_IDX + j (empty
 * without a pointer or a length). Read
 * from user memory, not from the array's capture (which may be cut).
 * spec: ptr_off | cnt_off << 8 | cnt_size << 16 | elem << 20 | max << 28;
 * tag: the argument | item_ptr << 8 | item_len << 16 | len_size << 24.
 * len_size - 1 is kept in 3 bits, so that the length's read size is 1-8
 * without a branch. */
__noinline int put_deref_items(__u32 slot, __u32 off, __u32 tag, __u64 ptr, __u64 spec)
{
	__u64 v[2] = {}; /* the array and its count */
	__u32 csize = (spec >> 16) & 0xf, lsize = (tag >> 24) & 0xf;
	struct itemwalk w;

	if (csize > 8 || lsize > 8 || !lsize)
		return 0;
	if (bpf_probe_read_user(&v[0], sizeof(v[0]), (void *)(ptr + (spec & 0xff))) || !v[0])
		return 0;
	if (bpf_probe_read_user(&v[1], csize, (void *)(ptr + ((spec >> 8) & 0xff))))
		return 0;
	w.el = v[0];
	/* pos: slot | off << 16 | bytes appended << 32 | captures << 48 (a
	 * slot is below SLOT_BATCH + EPROC_BATCH, an offset below
	 * EPROC_SCRATCH); k: tag's low 24 bits | (len_size - 1) << 24 | elem
	 * << 28 | max << 36 | count << 49 */
	w.pos = (slot & 0xffff) | (__u64)(off & 0xffff) << 16;
	w.k = (tag & 0xffffff) | (__u64)(lsize - 1) << 24 | ((spec >> 20) & 0xff) << 28 | ((spec >> 28) & 0x1fff) << 36 |
	      (v[1] > EPROC_ITEMS_MAX ? EPROC_ITEMS_MAX : v[1]) << 49;
	bpf_loop(EPROC_ITEMS_MAX, item_step, &w, 0);
	return PUT((w.pos >> 32) & 0xffff, (w.pos >> 48) & 0xff);
}

/* put_strv's last capture, element EPROC_STRV_MAX of arg: CAPF_TRUNC,
 * more elements than it captured; CAPF_FAULT, the array could not be read
 * past them; neither, an empty array (a NULL first). Its bytes. */
static __always_inline __u32 strv_end(__u32 slot, __u32 off, __u32 arg, __u8 flags)
{
	struct scratch *sc = get_scratch(slot);
	struct ev_cap *cap;

	if (!sc || off > EPROC_SCRATCH - 16)
		return 0;
	cap = cap_at(sc, off, TAG(arg, EPROC_STRV_MAX));
	cap->flags = flags;
	return cap_done(cap, 0);
}

/* put_strv's walk: element i of the array at ptr (a bpf_loop callback:
 * the verifier walks it once, not EPROC_STRV_MAX + 1 times). */
struct strvwalk {
	__u64 ptr;
	__u32 slot;
	__u32 off;
	__u32 spec;
	__u32 ncaps;
	__u8 end; /* strv_end's flags, when stopped (ended) */
	__u8 ended;
	__u8 addr; /* element 0 could not be read: the address alone */
	__u8 pad;
};

static long strv_step(__u64 i, struct strvwalk *w)
{
	__u64 p;
	int r;

	if (bpf_probe_read_user(&p, sizeof(p), (void *)(w->ptr + i * sizeof(p)))) {
		w->addr = i == 0; /* strace prints the address */
		w->end = CAPF_FAULT;
		w->ended = 1;
		return 1;
	}
	if (!p) {
		w->end = 0;
		w->ended = i == 0; /* empty: an end without elements */
		return 1;
	}
	if (i >= EPROC_STRV_MAX) {
		w->end = CAPF_TRUNC;
		w->ended = 1;
		return 1;
	}
	r = put_str(w->slot, w->off, TAG(w->spec & 0xff, i), p, (w->spec >> 8) | 1U << 31);
	if (r < 0)
		return 1;
	w->off += PUT_BYTES(r);
	w->ncaps++;
	return 0;
}

/* A NULL-terminated array of strings, at most EPROC_STRV_MAX of them;
 * spec: arg | max << 8. Its end: strv_end (none when the array ended
 * with its NULL after an element, or a string did not fit). */
__noinline int put_strv(__u32 slot, __u32 off, __u32 spec, __u64 ptr)
{
	struct strvwalk w = {.ptr = ptr, .slot = slot, .off = off, .spec = spec};
	__u32 n;

	bpf_loop(EPROC_STRV_MAX + 1, strv_step, &w, 0);
	if (w.addr)
		return PUT(0, 0);
	if (!w.ended)
		return PUT(w.off - off, w.ncaps);
	n = strv_end(slot, w.off, spec & 0xff, w.end);
	return PUT(w.off + n - off, w.ncaps + (n > 0));
}

/* put_pcount's walk: element i of the array at ptr; n, the pointers
 * before the one it stopped at; flags, why (put_pcount). A bpf_loop
 * callback, not a loop in line: the verifier walked each of 256 iterations
 * (25k instructions, in each program that captures). */
struct pcount {
	__u64 ptr;
	__u32 n;
	__u8 flags;
	__u8 done;
};

static long pcount_step(__u64 i, struct pcount *w)
{
	__u64 p;

	if (bpf_probe_read_user(&p, sizeof(p), (void *)(w->ptr + i * sizeof(p)))) {
		/* None read: the address alone; some: "unterminated". */
		w->flags = i == 0 ? CAPF_FAULT : CAPF_PART;
		w->done = 1;
		return 1;
	}
	if (!p) {
		w->done = 1;
		return 1;
	}
	w->n = i + 1;
	return 0;
}

/* The length of a NULL-terminated pointer array (envp), as a __u32:
 * CAPF_FAULT, none of it could be read; CAPF_PART, not up to its NULL
 * (strace's "unterminated"); CAPF_TRUNC, longer than 256. */
__noinline int put_pcount(__u32 slot, __u32 off, __u32 tag, __u64 ptr)
{
	struct pcount w = {.ptr = ptr};
	struct scratch *sc;
	struct ev_cap *cap;

	bpf_loop(256, pcount_step, &w, 0);
	sc = get_scratch(slot);
	if (!sc || off > EPROC_SCRATCH - 16)
		return -1;
	cap = cap_at(sc, off, tag);
	cap->flags = w.done ? w.flags : CAPF_TRUNC;
	*(__u32 *)data_at(sc, off) = w.n;
	return PUT(cap_done(cap, sizeof(__u32)), 1);
}

/* CK_DENTS walks the returned entries as strace does (xgetdents): while
 * at least a header (hdr bytes) is left, count the entry and step over its
 * d_reclen (at offset 16 in linux_dirent64 and in the old linux_dirent on
 * 64-bit), a d_reclen past the end ending the walk, one shorter than a
 * header counting as a header. The entries are read into the second half of
 * the scratch, DENTS_WIN bytes at a time, and walked there.
 *
 * The bound: EPROC_DENTS_MAX entries. The shortest entry is 24 bytes, so
 * any buffer up to 384 KiB is counted whole (glibc's readdir and ls use
 * 32 KiB: at most 1365 entries). Past it, or when the memory cannot be
 * read, the count so far is sent with CAPF_TRUNC: "N+ entries", strace's
 * own notation for bytes it could not walk. */
#define DENTS_WIN 8192

struct dentwalk {
	__u64 ptr;  /* the user buffer */
	__u32 len;  /* bytes the kernel returned */
	__u32 pos;  /* offset of the next entry */
	__u32 base; /* offset of the window's first byte */
	__u32 have; /* bytes in the window */
	__u32 hdr;  /* the entries' header size */
	__u32 count;
	__u32 slot;
	__u32 pad;
};

static long dent_step(__u64 i, struct dentwalk *w)
{
	__u8 *win = get_window(w->slot);
	__u32 rem = w->len - w->pos, reclen, at;

	if (!win || w->pos >= w->len || rem < w->hdr)
		return 1;
	if (w->pos + w->hdr > w->base + w->have) {
		__u32 n = rem < DENTS_WIN ? rem : DENTS_WIN;

		BOUND(n, 0x3fff);
		if (n > DENTS_WIN ||
		    bpf_probe_read_user(win, n, (void *)(w->ptr + w->pos)))
			return 1;
		w->base = w->pos;
		w->have = n;
	}
	at = w->pos - w->base + 16;
	BOUND(at, 0x1fff);
	reclen = *(__u16 *)(win + at);
	w->count++;
	if (reclen > rem)
		reclen = rem;
	else if (reclen < w->hdr)
		reclen = w->hdr;
	w->pos += reclen;
	return 0;
}

/* The number of entries in the len bytes at ptr; spec: len | hdr << 32. */
__noinline int put_dents(__u32 slot, __u32 off, __u32 tag, __u64 ptr, __u64 spec)
{
	struct dentwalk w = {.ptr = ptr, .len = (__u32)spec, .hdr = spec >> 32, .slot = slot};
	struct scratch *sc = get_scratch(slot);
	struct ev_cap *cap;

	if (!sc || off > EPROC_SCRATCH - 16)
		return -1;
	if (w.hdr < 18)
		w.hdr = 18;
	bpf_loop(EPROC_DENTS_MAX, dent_step, &w, 0);
	sc = get_scratch(slot);
	if (!sc)
		return -1;
	cap = cap_at(sc, off, tag);
	if (w.pos < w.len)
		cap->flags = CAPF_TRUNC;
	*(__u32 *)data_at(sc, off) = w.count;
	return PUT(cap_done(cap, sizeof(__u32)), 1);
}

/* CK_FDINO: the file of descriptor fd of the task's table, in o. */
static __always_inline void fdino_one(struct fdtable *fdt, __u32 max, __s32 fd, struct fd_ino *o)
{
	struct file *f = NULL;

	o->ino = 0;
	o->mode = 0;
	o->pad = 0;
	*(__u64 *)&o->name[0] = 0;
	*(__u64 *)&o->name[8] = 0;
	if (fd < 0 || (__u32)fd >= max || bpf_probe_read_kernel(&f, sizeof(f), BPF_CORE_READ(fdt, fd) + fd) || !f)
		return;
	o->ino = BPF_CORE_READ(f, f_inode, i_ino);
	o->mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((o->mode & 0170000) == 0140000) /* S_IFSOCK */
		bpf_probe_read_kernel_str(o->name, sizeof(o->name) - 1, BPF_CORE_READ(f, f_path.dentry, d_name.name));
}

/* The struct fd_ino of the descriptors a call made (CK_FDINO): n 1, fds
 * the descriptor; n 2, fds the user address of two. */
__noinline int put_fdino(__u32 slot, __u32 off, __u32 tag, __u64 fds, __u32 n)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct scratch *sc = get_scratch(slot);
	struct fd_ino *o;
	__s32 fd[2] = {(__s32)fds, -1};
	__u32 max;

	if (!sc || off > EPROC_SCRATCH - 16 - 2 * sizeof(*o))
		return -1;
	if (n == 2 && bpf_probe_read_user(fd, sizeof(fd), (void *)fds))
		return 0;
	max = BPF_CORE_READ(fdt, max_fds);
	o = (struct fd_ino *)data_at(sc, off);
	fdino_one(fdt, max, fd[0], o);
	if (n == 2)
		fdino_one(fdt, max, fd[1], o + 1);
	return PUT(cap_done(cap_at(sc, off, tag), n == 2 ? 2 * sizeof(*o) : sizeof(*o)), 1);
}

/* CW_NETLINK: whether descriptor fd of the task's table is an AF_NETLINK
 * socket: a socket's inode (S_IFSOCK; its file's private_data is then its
 * struct socket), whose sock's family is AF_NETLINK. Asked for the
 * captures with CW_NETLINK only (sendto's, recvfrom's, the msghdr
 * calls'). A global function: capture_at's frame stays as it was. */
__noinline int fd_netlink(__u64 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	/* Loads through the task's BTF pointer, not bpf_probe_read_kernel
	 * calls: the verifier makes them fault-tolerant loads in line. */
	struct fdtable *fdt = task->files->fdt;
	struct file *f = NULL;
	struct socket *sock;

	if (fd >= fdt->max_fds || bpf_probe_read_kernel(&f, sizeof(f), fdt->fd + fd) || !f)
		return 0;
	if ((BPF_CORE_READ(f, f_inode, i_mode) & 0170000) != 0140000) /* S_IFSOCK */
		return 0;
	sock = BPF_CORE_READ(f, private_data);
	return BPF_CORE_READ(sock, sk, __sk_common.skc_family) == 16; /* AF_NETLINK */
}



_Static_assert(__builtin_offsetof(struct capspec, max) == __builtin_offsetof(struct capspec, elem) + 2,
	       "mem_cut reads elem and max as one word");

/* put_mem's flags for a CK_MEM capture cut short: a buffer shown with
 * -s (no max of its own, bytes: elem at most 1, max 0) is probed one
 * byte further, as strace's printstr reads it (PUT_PROBE); a structure
 * or an array is not. elem and max in one load (elem | max << 16): two
 * made capture_at's frame 56 bytes, and sys_exit's deepest call chain
 * 544 of Linux 6.1's 512 (TestStackDepth61). */
static __always_inline __u64 mem_cut(const struct capspec *cs)
{
	return PUT_TRUNC | (*(const __u32 *)&cs->elem > 1 ? 0 : PUT_PROBE);
}

static __always_inline __u64 cap_size(const __u64 *args, __s64 ret, __u32 strsize, const struct capspec *cs)
{
	__u64 n = 0;
	__u32 v;

	switch (cs->size_from) {
	case SZ_CONST:
		return cs->elem;
	case SZ_ARG:
		n = argn(args, cs->size_arg);
		break;
	case SZ_RET:
		n = ret > 0 ? ret : 0;
		break;
	case SZ_ARGPTR:
		if (bpf_probe_read_user(&v, sizeof(v), (void *)argn(args, cs->size_arg)))
			return 0;
		n = v;
		break;
	case SZ_STRSIZE:
		return strsize;
	case SZ_IOC:
		return (argn(args, cs->size_arg) >> 16) & 0x3fff;
	case SZ_ARG32:
		n = (__u32)argn(args, cs->size_arg);
		break;
	}
	if (n > 1 << 20)
		n = 1 << 20;
	return n * cs->elem;
}

/* A plan capture_mem makes: one CK_MEM capture, sized by an argument or
 * the result. */
static __always_inline bool mem_plan(const struct plan *pl)
{
	return pl->caps[0].kind == CK_MEM && pl->caps[1].kind == CK_NONE &&
	       (pl->caps[0].size_from == SZ_ARG || pl->caps[0].size_from == SZ_RET);
}

/* The plans index of call nr's plan for a record of session s: its case,
 * if its arguments (args) select one (PF_SELECT); at its return (exit),
 * a PF_WHOLE plan's case WHOLE_SEL when s prints the call whole (s->whole).
 * ~0U: nothing to capture (no plan; a successful exec, whose EV_EXEC
 * tells). A call whose data s dumps (-e read=, write=: PF_DUMPR, PF_DUMPW
 * with args[0] in its set) captures it whole at its return, not only the
 * strsize bytes shown: *strsize is raised. *mem is set when the plan
 * is capture_mem's (at a return; a PF_WHOLE case is left to capture()). */
static __always_inline __u32 plan_key(__u32 nr, const __u64 *args, const struct sess_cfg *s, bool exit, __s64 ret,
				      __u32 *strsize, bool *mem)
{
	const struct plan *pl = bpf_map_lookup_elem(&plans, &nr);
	__u32 key = nr, fd = args[0], bit = fd < 63 ? fd : 63, dump, *idx;
	struct subkey k = {.nr = nr};

	if (!pl)
		return ~0U;
	if (pl->flags & PF_SELECT) {
		k.sel = (argn(args, pl->sel_arg) >> (pl->sel_shift & 63)) & pl->sel_mask;
		idx = bpf_map_lookup_elem(&subplans, &k);
		if (idx) {
			key = *idx;
			pl = bpf_map_lookup_elem(&plans, &key);
			if (!pl)
				return ~0U;
		}
	}
	/* No captures (sched_yield, getpid, lseek...): no capture_at call to
	 * find that out. */
	if (pl->caps[0].kind == CK_NONE && !(pl->flags & PF_WHOLE))
		return ~0U;
	if (!exit)
		return key;
	if ((pl->flags & PF_EXEC) && ret == 0)
		return ~0U;
	if ((pl->flags & PF_WHOLE) && (s->whole[(nr / 64) % (EPROC_MAX_SYSCALLS / 64)] & (1ULL << (nr % 64)))) {
		k.sel = WHOLE_SEL;
		idx = bpf_map_lookup_elem(&subplans, &k);
		return idx ? *idx : key;
	}
	/* capture_mem's plan (which it checks again): no call to it for
	 * any other (openat, fstat...), only to learn it is not its. */
	*mem = mem_plan(pl);
	if (!(pl->flags & (PF_DUMPR | PF_DUMPW)) || (__s32)fd < 0)
		return key;
	dump = ((s->dump_read >> bit) & 1) * PF_DUMPR | ((s->dump_write >> bit) & 1) * PF_DUMPW;
	if (pl->flags & dump)
		*strsize = EPROC_MAX_CAP - 2;
	return key;
}

/* Capture i of plan key (plans' index) into the record being built in
 * slot (an ev_syscall at its start, its arguments in place), at byte off:
 * how is key << 4 | entry << 3 | i, entry for an announcement of a call
 * under way (only its inputs), else the call returned ret. Returns what
 * the put_* function did (PUT: bytes, captures), 0 for a capture this call
 * skips, either with CAP_LAST when it is the plan's last, CAP_END past the
 * plan's last capture, < 0 when the record ends here. One capture per
 * call of a global function: the verifier walks the kinds once for each
 * program, not for every capture of every path of its callers (issue 16:
 * a capture loop in line made sys_exit 423k instructions to verify, most
 * of eproc trace's start-up). */
#define CAP_END (-2)
#define CAP_LAST (1 << 30)
__noinline int capture_at(__u32 slot, __u32 off, __u32 strsize, __s64 ret, __u32 how)
{
	__u32 key = how >> 4, i = how & 7;
	const struct plan *pl = bpf_map_lookup_elem(&plans, &key);
	struct scratch *sc = get_scratch(slot);
	bool entry = how & 8;
	const struct capspec *cs;
	const __u64 *args;
	__u64 ptr, size;
	__u32 max, j;
	int r, last;

	if (!pl || !sc || i >= EPROC_NCAPS)
		return CAP_END;
	cs = &pl->caps[i];
	if (cs->kind == CK_NONE)
		return CAP_END;
	/* The plan's last capture says so (CAP_LAST): its caller's loop
	 * stops without one more call to find CAP_END. */
	j = (i + 1) & 7;
	last = j < EPROC_NCAPS && pl->caps[j].kind != CK_NONE ? 0 : CAP_LAST;
	args = ((struct ev_syscall *)sc->buf)->args;
	if (entry && !(cs->when & CW_IN))
		return last;
	if (!entry && (cs->when & CW_OK) && ret < 0)
		return last;
	ptr = argn(args, cs->arg);
	if (!ptr && cs->kind != CK_FDINO)
		return last;
	max = cs->max ? cs->max : strsize;
	/* A netlink socket's buffer (CW_NETLINK): max for a netlink socket
	 * (strsize when larger), strsize for any other. A buffer received
	 * (CK_MEM, CW_OK: recvfrom's, sized by its length) is read no further
	 * than the result: the pages past what the call wrote may not be
	 * there, and a read that faults keeps one page only. */
	if (cs->when & CW_NETLINK) {
		if (max <= strsize || !fd_netlink((__u32)args[0]))
			max = strsize;
		else if (cs->kind == CK_MEM && (cs->when & CW_OK) && ret >= 0 && ret < max)
			max = ret;
	}
	if (max > EPROC_MAX_CAP)
		max = EPROC_MAX_CAP;
	switch (cs->kind) {
	case CK_STR:
		/* strsize+1 characters and the NUL: a string of exactly
		 * strsize is whole (not TRUNC); one longer is TRUNC. The
		 * printer cuts at strsize. */
		r = put_str(slot, off, TAG(cs->arg, 0), ptr, cs->max ? cs->max : (strsize + 2) | 1U << 31);
		break;
	case CK_MEM:
		size = cap_size(args, ret, strsize, cs);
		r = put_mem(slot, off, TAG(cs->arg, cs->ptr_off), ptr, size > max ? (max | mem_cut(cs)) : size);
		break;
	case CK_IOV:
		size = argn(args, cs->size_arg);
		r = put_iov(slot, off, TAG(cs->arg, 0), ptr,
			    (cs->size_from == SZ_RET ? (ret > 0 ? (__u32)ret : 0) : ~0U) |
				    (size > 0xffff ? 0xffff : size) << 32 | (__u64)max << 48);
		break;
	case CK_MSGHDR:
		r = put_msghdr(slot, off, cs->arg, ptr,
			       (cs->size_from == SZ_RET ? (ret > 0 ? (__u32)ret : 0) : ~0U) | (__u64)max << 32);
		break;
	case CK_MMSG:
		/* sendmmsg's and recvmmsg's vector: the first EPROC_MMSG_MAX
		 * struct mmsghdr, message j's captures as put_msghdr's at base
		 * j << MSG_SHIFT. In line, not a function of its own: its frame
		 * would be one more in put_msghdr's chain under sys_exit's (6.1:
		 * 512 bytes in all). */
		size = cs->size_from == SZ_RET ? (ret > 0 ? ret : 0) : (__u32)argn(args, cs->size_arg);
		if (size > EPROC_MMSG_MAX)
			size = EPROC_MMSG_MAX;
		max |= (__u32)(cs->size_from == SZ_RET) << 31; /* msg_len is each message's total */
		r = 0;
		for (j = 0; j < EPROC_MMSG_MAX; j++) {
			int one;

			if (j >= size)
				break;
			one = put_msghdr(slot, off + PUT_BYTES(r), cs->arg + (j << (MSG_SHIFT + 8)),
					 ptr + j * (sizeof(struct umsghdr) + 8),
					 ~0U | (__u64)(max & 0x7fffffff) << 32 | 1ULL << 62 | (__u64)(max >> 31) << 63);
			if (one < 0)
				break;
			r = PUT(PUT_BYTES(r) + PUT_BYTES(one), PUT_N(r) + PUT_N(one));
		}
		break;
	case CK_DEREF:
		size = cs->size_from == SZ_ARG ? argn(args, cs->size_arg) : cs->size_from == SZ_STRSIZE ? ~0U : 1;
		r = put_deref(slot, off, TAG(cs->arg, DEREF_IDX | cs->ptr_off) | (__u32)(cs->elem & 0xff) << 24, ptr,
			      (__u32)size | (__u64)cs->ptr_off << 32 | (__u64)cs->cnt_off << 40 |
				      (__u64)(cs->cnt_size & 0xf) << 48 |
				      (__u64)((cs->max ? cs->max / (cs->elem ? cs->elem : 1) : strsize + 1) & 0xfff) << 52);
		break;
	case CK_DEREF_ITEMS:
		size = cs->max ? cs->max : strsize + 1;
		r = put_deref_items(slot, off,
				    cs->arg | (__u32)cs->item_ptr << 8 | (__u32)cs->item_len << 16 |
					    (__u32)(cs->item_len_size & 0xf) << 24,
				    ptr,
				    cs->ptr_off | (__u64)cs->cnt_off << 8 | (__u64)(cs->cnt_size & 0xf) << 16 |
					    (__u64)(cs->elem & 0xff) << 20 |
					    (__u64)(size > EPROC_MAX_CAP ? EPROC_MAX_CAP : size) << 28);
		break;
	case CK_STRV:
		r = put_strv(slot, off, cs->arg | (strsize + 2) << 8, ptr);
		break;
	case CK_PCOUNT:
		r = put_pcount(slot, off, TAG(cs->arg, 0), ptr);
		break;
	case CK_FDINO:
		r = put_fdino(slot, off, TAG(cs->arg, FDINO_IDX), cs->size_from == SZ_RET ? (__u32)ret : ptr,
			      cs->size_from == SZ_RET ? 1 : 2);
		break;
	case CK_DENTS:
		r = put_dents(slot, off, TAG(cs->arg, 0), ptr,
			      (__u64)cs->elem << 32 | (__u32)(ret > 0 ? ret : 0));
		break;
	default:
		r = 0;
	}
	return r < 0 ? r : r | last;
}

/* capture()'s short cut for the commonest plan, read's and write's: one
 * CK_MEM capture sized by an argument or the result, at the call's
 * return, into the record being built in slot: one call instead of
 * capture_at's and put_mem's (BPF-to-BPF calls, each through the return
 * thunk, and their lookups again). Up to 32 bytes (dd's byte, data cut
 * at the default -s 32) are read here, through this function's frame,
 * which is under 64 bytes and so on the kernel stack (see put_mem); more
 * by put_mem, as capture_at would (and a read that faulted by capture(),
 * again: put_mem tells what it could read). A global
 * function: in line, the verifier walked it ~80 times in sys_exit (+6.7k
 * instructions). Returns what capture() does, or -1 for any other plan
 * (capture() makes it then). */
__noinline int capture_mem(__u32 slot, __u32 key, __u32 strsize, __s64 ret)
{
	const __u32 off = sizeof(struct ev_syscall);
	const struct capspec *cs;
	const struct plan *pl;
	struct scratch *sc;
	const __u64 *args;
	struct ev_cap *cap;
	__u64 ptr, size, v[4];
	__u32 max, n, m;
	int r;

	/* One key for the three lookups (get_scratch's, in line), in v[0]
	 * (little-endian: the u32 key is its low half): the frame stays under
	 * 64 bytes (a __u32 pointer into v cost a spill more). */
	v[0] = key;
	pl = bpf_map_lookup_elem(&plans, &v[0]);
	if (slot < SLOT_BATCH) {
		v[0] = slot;
		sc = bpf_map_lookup_elem(&scratch, &v[0]);
	} else {
		v[0] = 0;
		sc = bpf_map_lookup_elem(&batch_bufs, &v[0]);
		m = slot - SLOT_BATCH;
		BOUND(m, 0xfff); /* < EPROC_BATCH */
		if (sc)
			sc = (struct scratch *)((__u8 *)sc + m);
	}
	if (!pl || !sc)
		return -1;
	if (!mem_plan(pl))
		return -1;
	cs = &pl->caps[0];
	/* A netlink socket's buffer: capture_at's, which looks it up. */
	if (cs->when & CW_NETLINK)
		return -1;
	/* As capture_at, for a call that returned. */
	if ((cs->when & CW_OK) && ret < 0)
		return off;
	args = ((struct ev_syscall *)sc->buf)->args;
	ptr = argn(args, cs->arg);
	if (!ptr)
		return off;
	max = cs->max ? cs->max : strsize;
	if (max > EPROC_MAX_CAP)
		max = EPROC_MAX_CAP;
	size = cap_size(args, ret, strsize, cs);
	n = size > max ? max : size;
	/* Cut and probed (mem_cut): one byte more to read, by put_mem. */
	if (n > 32 || (size > max && (mem_cut(cs) & PUT_PROBE))) {
		r = put_mem(slot, off, TAG(cs->arg, cs->ptr_off), ptr, size > max ? (max | mem_cut(cs)) : size);
		return r < 0 ? off : (off + PUT_BYTES(r)) | PUT_N(r) << 16;
	}
	cap = cap_at(sc, off, TAG(cs->arg, cs->ptr_off));
	if (size > max)
		cap->flags = CAPF_TRUNC;
	if (n) {
		__u64 *d;

		v[0] = v[1] = v[2] = v[3] = 0;
		m = n - 1;
		BOUND(m, 0x1f);
		/* A fault: capture() makes it again, put_mem telling what. */
		if (bpf_probe_read_user(v, m + 1, (void *)ptr))
			return -1;
		d = (__u64 *)data_at(sc, off);
		d[0] = v[0];
		d[1] = v[1];
		d[2] = v[2];
		d[3] = v[3];
	}
	return (off + cap_done(cap, n)) | 1 << 16;
}

/* What a syscall record captures: the record being built in slot (an
 * ev_syscall at its start, its arguments in place, sizeof(struct
 * ev_syscall) bytes so far) gets plan key's captures (plan_key). Returns
 * the record's length | its captures << 16. */
static __always_inline __u32 capture(__u32 slot, __u32 key, __u32 strsize, __s64 ret, bool entry)
{
	__u32 off = sizeof(struct ev_syscall), n = 0, i;
	int r;

	if (key == ~0U)
		return off;
	for (i = 0; i < EPROC_NCAPS; i++) {
		__u32 how = key << 4 | (__u32)entry << 3 | i;

		r = capture_at(slot, off, strsize, ret, how);
		if (r < 0)
			break;
		off += PUT_BYTES(r);
		n += PUT_N(r) & 0x3fff;
		if (r & CAP_LAST)
			break;
	}
	return off | n << 16;
}

/* ---- syscalls ----------------------------------------------------------
 *
 * The fast path is sys_exit alone: one hash lookup for every syscall of
 * every process, and for a traced one a single record built from the saved
 * registers. Entry records come from where a call is seen to be in progress:
 * sched_switch (it blocked) and sched_process_exit (it never returned).
 */

/* A task's run time less its last start on a CPU
 * (se.sum_exec_runtime - se.exec_start): the scheduler's update_curr adds
 * to the one what it adds to the other, so this stays the same while the
 * thread runs, and drops by the time it spends off the CPU when it runs
 * again. Its fall across a call is the call's time off the CPU (blocked,
 * preempted, stolen by the host, or in interrupts); the call's wall time
 * less that is the CPU time it took: strace -c's system time
 * (SF_CPUTIME). exec_start is in the run queue's clock_task, which is
 * each CPU's own (the clock less that CPU's steal and interrupt time so
 * far: on a guest the CPUs' differ by their steal, 100 ms and more after
 * an hour up); the run queue's clock less clock_task, taken away here,
 * moves the mark onto the clock every CPU shares, so that a call that
 * leaves on another CPU than it entered on keeps its true time off the
 * CPU.
 *
 * That difference is only as fresh as the run queue's clock, which the
 * scheduler updates when it switches, at its ticks and wake-ups, and
 * which takes in the host's steal only then: read at a syscall's entry it
 * can lack a steal that came before the call and that an update folds in
 * during it (1.9 ms read off the CPU for a 13 us read(), AMD EPYC family
 * 26). So the mark is taken where the clock was just updated: at the
 * switch that takes a thread off the CPU in mid-call (entry_save, in
 * sched_switch), not at the entry. A call that never left its CPU was
 * never off it: its mark did not move (entry_take). */
static __always_inline __u64 run_mark(struct task_struct *task)
{
	__u64 mark = task->se.sum_exec_runtime - task->se.exec_start;
	struct cfs_rq *cq = task->se.cfs_rq;
	struct rq *rq;

	if (!bpf_core_field_exists(cq->rq))
		return mark; /* no CONFIG_FAIR_GROUP_SCHED: a distribution's kernel has it */
	rq = cq->rq;
	return mark - (rq->clock - rq->clock_task);
}

/* sys_enter: the current thread (tid) entered call nr at ts, at ip. */
static __always_inline void entry_put(__u32 tid, __u32 nr, __u64 ts, __u64 ip)
{
	__u32 zero = 0;
	struct call_slot *c = bpf_map_lookup_elem(&entry_slots, &zero);

	if (c) {
		c->ts = ts;
		c->tid = tid;
		c->nr = nr;
		c->ip = ip;
	}
}

/* What entry_take gives besides the entry time: run_mark() when the
 * thread first left the CPU in the call, 0 when it never did. */
struct entry_vals {
	__u64 run;
	__u64 ip;
};

/* The entry time of call nr the current thread (tid) returns from, 0 when
 * its entry was not seen, taken: used once (a call whose entry the
 * tracepoint never saw, one a seccomp filter answered or -e inject=, has
 * no entry time, not the last call's of the same number). */
static __always_inline __u64 entry_take(__u32 tid, __u32 nr, struct entry_vals *v)
{
	__u32 zero = 0;
	struct call_slot *c = bpf_map_lookup_elem(&entry_slots, &zero);
	struct call *f;
	__u64 ts;

	if (c && c->tid == tid) {
		c->tid = 0;
		v->run = 0; /* never off the CPU */
		v->ip = c->ip;
		return c->nr == nr ? c->ts : 0;
	}
	f = bpf_task_storage_get(&entry_ts, bpf_get_current_task_btf(), 0, 0);
	if (!f)
		return 0;
	ts = f->nr == nr ? f->ts : 0;
	v->run = f->run;
	v->ip = f->ip;
	f->ts = 0;
	return ts;
}

/* sched_switch: prev leaves this CPU with the call in the entry slot under
 * way (it blocked, or was preempted): the entry goes with it. */
static __always_inline void entry_save(struct task_struct *prev)
{
	__u32 zero = 0, n;
	struct call_slot *c = bpf_map_lookup_elem(&entry_slots, &zero);
	struct call *f;
	__u64 ts, run, ip;

	if (!c || !c->tid || c->tid != prev->pid)
		return;
	ts = c->ts;
	n = c->nr;
	run = run_mark(prev); /* on this CPU's clock, just updated */
	ip = c->ip;
	c->tid = 0;
	f = bpf_task_storage_get(&entry_ts, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (f) {
		f->ts = ts;
		f->nr = n;
		f->run = run;
		f->ip = ip;
	}
}

/* Build and send a syscall record for the current thread; caps: with
 * its plan's captures. */
static __always_inline void send_syscall(const struct tracee *t, __u16 type, long nr, struct pt_regs *regs,
					 __s64 ret, __u32 slot, bool count, __u64 id, bool caps)
{
	const struct sess_cfg *s;
	struct batch_hdr *bh = NULL;
	__u8 *buf = NULL;
	struct ev_syscall *ev;
	struct sess_stats *st;
	struct scratch *sc;
	__u32 sid = t->sid, unr = opaque(nr), tid, w;
	int r;
	__u64 len, now = 0, entry = 0;
	struct entry_vals ev0 = {};

	s = bpf_map_lookup_elem(&sessions, &sid);
	if (!s || s->gen != t->gen)
		return;
	if (count) {
		st = get_stats(sid);
		if (st)
			st->seen++;
	}
	if (unr >= EPROC_MAX_SYSCALLS) {
		if (unr == ~0U) /* opaque() found no cell (it always does) */
			count_loss(sid, count);
		return;
	}
	w = unr / 64;
	BOUND(w, 0xf); /* < EPROC_MAX_SYSCALLS / 64: the verifier's, not clang's */
	if (!(s->filter[w] & (1ULL << (unr % 64))))
		return;
	/* Taken whether or not the call makes a record (-z, -Z below). */
	if (type == EV_SYSCALL && (s->flags & (SF_LATENCY | SF_IP)))
		entry = entry_take(id, unr, &ev0);
	/* -z, -Z: a call that returned with a result the session leaves out
	 * costs no ring space. */
	if (type == EV_SYSCALL && (s->flags & (SF_OKONLY | SF_FAILONLY)) && !is_exec(unr)) {
		bool failed = ret < 0 && ret >= -4095;

		if (s->flags & (failed ? SF_OKONLY : SF_FAILONLY))
			return;
	}
	/* The syscall path builds its record in place at the end of the CPU's
	 * batch, unless that is held (then in its scratch slot, and on its own
	 * to the ring). */
	if (slot == 0 && (bh = batch_hold(s, sid, &buf)))
		slot = SLOT_BATCH + bh->len;
	sc = get_scratch(slot);
	if (!sc) {
		if (bh)
			batch_release(bh);
		return;
	}
	ev = (struct ev_syscall *)sc->buf;
	if (s->flags & SF_TIME)
		now = bpf_ktime_get_ns();
	fill_hdr_id(&ev->h, type, now, id);
	ev->exit_ts = 0;
	if (type == EV_SYSCALL && (s->flags & SF_LATENCY)) {
		ev->exit_ts = now;
		if (entry)
			ev->h.ts = entry;
	}
	ev->ret = ret;
	ev->nr = unr;
	ev->flags = 0;
	tid = ev->h.tid;
	if (type == EV_SYSCALL && is_exec(unr)) {
		/* Success cleared the registers: the entry tracepoint kept them. */
		struct execargs *xa = bpf_map_lookup_elem(&exec_stash, &tid);

		/* A failed one kept its registers, and may find a stash left
		 * by an exec whose exit was not recorded (eproc's spawner's). */
		if (xa && ret == 0)
			__builtin_memcpy(ev->args, xa->args, sizeof(ev->args));
		else
			regs_args(regs, ev->args);
		bpf_map_delete_elem(&exec_stash, &tid);
	} else {
		regs_args(regs, ev->args);
	}

	if (type == EV_SYSCALL && unr == nr_rt_sigreturn) {
		/* The mask the frame restored is now the thread's. */
		struct task_struct *task = bpf_get_current_task_btf();
		struct ev_cap *cap = cap_at(sc, sizeof(*ev), TAG(0, 0));

		*(__u64 *)data_at(sc, sizeof(*ev)) = BPF_CORE_READ(task, blocked.sig[0]);
		r = (sizeof(*ev) + cap_done(cap, 8)) | 1 << 16;
	} else if (caps) {
		bool mem = false;
		__u32 strsize = s->strsize, key = plan_key(unr, ev->args, s, type == EV_SYSCALL, ret, &strsize, &mem);

		r = mem ? capture_mem(slot, key, strsize, ret) : -1;
		if (r < 0)
			r = capture(slot, key, strsize, ret, type == EV_ENTER);
	} else {
		r = sizeof(*ev);
	}
	ev->ncaps = r >> 16;
	len = r & 0xffff;
	/* -i: the instruction pointers, at the entry and the exit, after
	 * the captures (EVF_IP). */
	if ((s->flags & SF_IP) && len >= sizeof(*ev) && len <= EPROC_SCRATCH - 24) {
		__u64 xip = regs_ip(regs), at = len;

		/* The verifier's mask, not clang's: 6.1's walks the branch
		 * where len is both under and over sizeof(*ev). */
		BOUND(at, 0x3fff); /* SCRATCH_MASK */
		*(__u64 *)(sc->buf + at) = entry ? ev0.ip : xip;
		*(__u64 *)(sc->buf + at + 8) = xip;
		ev->flags |= EVF_IP;
		len += 16;
	}
	/* -c's system time: the call's time off the CPU, last (EVF_OFFCPU),
	 * when its entry was seen. */
	if (entry && (s->flags & SF_CPUTIME) && len >= sizeof(*ev) && len <= EPROC_SCRATCH - 8) {
		__u64 off = ev0.run ? ev0.run - run_mark(bpf_get_current_task_btf()) : 0, at = len;

		BOUND(at, 0x3fff); /* SCRATCH_MASK, as above */
		*(__u64 *)(sc->buf + at) = (__s64)off > 0 ? off : 0;
		ev->flags |= EVF_OFFCPU;
		len += 8;
	}
	ev->h.len = len;
	if (bh) {
		if (len >= sizeof(*ev) && len < EPROC_SCRATCH && buf)
			batch_commit(bh, buf, s, sid, len, count);
		else
			batch_release(bh);
		return;
	}
	if (len < sizeof(*ev) || len > EPROC_SCRATCH)
		return;
	/* A record that counts the call (count) lost is a dropped call; an
	 * announcement of a call still under way (sched_switch's EV_ENTER) is
	 * not: the call is counted by its own record when it returns. */
	if (emit(s, sid, sc->buf, len, EMIT_BATCH | (count ? EMIT_CALL : 0)))
		count_loss(sid, count);
}

static __always_inline void send_signal(const struct tracee *t, const struct sess_cfg *s, int sig, const void *info,
					bool kernel_info);
static __always_inline void send_signal_of(const struct tracee *t, const struct sess_cfg *s, __u64 id, int sig,
					   const void *info, bool kernel_info, __u32 flags, __u32 how);

static __always_inline const struct sess_cfg *live_session(const struct tracee *t)
{
	__u32 sid = t->sid;
	const struct sess_cfg *s = bpf_map_lookup_elem(&sessions, &sid);

	if (!s || s->gen != t->gen)
		return NULL;
	return s;
}

/* cgroup_join's walk up the hierarchy, deepest traced level first: step
 * i looks at level top - 1 - i (a bpf_loop callback: the verifier walks
 * it once, not EPROC_CGROUP_LEVELS times in each program). id: the
 * traced cgroup found. */
struct cgwalk {
	__u32 levels;
	__u32 top;
	__u64 id;
};

static long cgroup_step(__u64 i, struct cgwalk *w)
{
	__u32 l = (w->top - 1 - (__u32)i) & (EPROC_CGROUP_LEVELS - 1);
	__u64 id;

	if (i >= w->top)
		return 1;
	if (!(w->levels & (1U << l)))
		return 0;
	id = bpf_get_current_ancestor_cgroup_id(l);
	if (id && bpf_map_lookup_elem(&cgroups, &id)) {
		w->id = id;
		return 1;
	}
	/* No traced level above this one: done. */
	return !(w->levels & ((1U << l) - 1));
}

/* The current process, which is not traced: if it runs in a traced cgroup,
 * or below one, it joins that cgroup's session (the deepest such cgroup's),
 * with -f's inheritance, and its entry is returned. It stays a member when
 * it moves out of the cgroup, as its children do (strace -f: a member's
 * children are members), until it exits. Called only when cgroup_levels
 * is not 0. */
static __always_inline struct tracee *cgroup_join(__u32 tgid)
{
	struct cgwalk w = {.levels = cgroup_levels, .top = cgroup_top};
	struct tracee *r;
	__s64 *np;

	if (!w.levels || tgid == self_tgid || w.top > EPROC_CGROUP_LEVELS)
		return NULL;
	bpf_loop(EPROC_CGROUP_LEVELS, cgroup_step, &w, 0);
	if (!w.id)
		return NULL;
	r = bpf_map_lookup_elem(&cgroups, &w.id);
	if (!r || !live_session(r))
		return NULL;
	mark_traced(tgid);
	/* Another thread of the process may join at the same time: one entry,
	 * counted once. */
	if (bpf_map_update_elem(&traced, &tgid, r, BPF_NOEXIST) == 0) {
		traced_changed();
		np = bpf_map_lookup_elem(&nproc, &r->sid);
		if (np)
			__sync_fetch_and_add(np, 1);
	}
	return bpf_map_lookup_elem(&traced, &tgid);
}

/* Whether thread tid of a traced process is left out of its session: the
 * spawner, and a process before its execve (TF_SPAWNER, TF_WAITEXEC), and
 * without -f (TF_ONE_THREAD) every thread but the one strace would trace:
 * the command's first, or the one -p named. */
static __always_inline bool thread_hidden(const struct tracee *t, __u32 tid)
{
	return (t->flags & (TF_SPAWNER | TF_WAITEXEC)) || ((t->flags & TF_ONE_THREAD) && t->tid != tid);
}

/* The current process's entry in `traced`, joining by cgroup if it has
 * none; for the rare paths (fork, exec): the syscall path inlines it. */
static __always_inline struct tracee *tracee_or_join(__u32 tgid)
{
	struct tracee *t = bpf_map_lookup_elem(&traced, &tgid);

	if (!t && cgroup_levels)
		t = cgroup_join(tgid);
	return t;
}

static __always_inline bool sigkill_pending(void)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return (BPF_CORE_READ(task, signal, flags) & SIGNAL_GROUP_EXIT) ||
	       (BPF_CORE_READ(task, pending.signal.sig[0]) & (1UL << (9 - 1)));
}

/* Emit a signal parked for this thread by signal_generate. */
static __always_inline void flush_sigpend(struct tracee *t)
{
	__u32 tid = bpf_get_current_pid_tgid();
	const struct sess_cfg *s;
	struct sigpend *sp;

	sp = bpf_map_lookup_elem(&sigpend, &tid);
	if (!sp)
		return;
	s = live_session(t);
	if (s)
		send_signal(t, s, sp->sig, sp->info, false);
	t->sigshown = sp->sig;
	bpf_map_delete_elem(&sigpend, &tid);
	t->flags &= ~TF_SIGPEND;
	traced_changed();
}

/* Whether this thread has a fatal signal parked (see signal_generate). */
static __always_inline bool fatal_parked(const struct tracee *t)
{
	__u32 tid = bpf_get_current_pid_tgid();
	struct sigpend *sp;

	if (!(t->flags & TF_SIGPEND))
		return false;
	sp = bpf_map_lookup_elem(&sigpend, &tid);
	return sp && sp->fatal;
}

/* The command and attr of a bpf call under way whose exit reads memory
 * (BPF_OBJ_GET_INFO_BY_FD, BPF_PROG_QUERY), by thread: attr_mem (at
 * entry) to bpf_info_exit. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64[2]);
} info_attrs SEC(".maps");

/* Where attr_mem builds its record (per CPU). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[ATTRMEM_BUF]);
} attrmem_buf SEC(".maps");

__noinline int bpf_info_exit(__s64 ret);

/* Emit bpf_info_exit's record, if it made one. */
static __always_inline void info_record(const struct tracee *t, __s64 ret)
{
	const struct sess_cfg *s;
	__u32 zero = 0, len = bpf_info_exit(ret), sid = t->sid;
	__u8 *b;

	if (!len)
		return;
	b = bpf_map_lookup_elem(&attrmem_buf, &zero);
	s = live_session(t);
	if (!b || !s)
		return;
	BOUND(len, 0x3fff);
	if (emit(s, sid, b, len, EMIT_BATCH))
		count_loss(sid, false);
}

/* Each CPU's copy of the `traced` entry of the last process whose call
 * returned there (sys_exit): the hash lookup, four kernel calls and ~60
 * ns a traced call on AMD EPYC (make bench's dd), only when the process
 * or `traced` (traced_epochs) changed since. Plain loads and stores, as
 * entry_slots'. */
struct tcache {
	__u64 epoch;
	__u32 tgid;
	__u32 pad;
	struct tracee t;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tcache);
} tcaches SEC(".maps");

static __always_inline __u64 traced_epoch(void)
{
	__u32 kern = 0, user = 1;
	__u64 *k = bpf_map_lookup_elem(&traced_epochs, &kern);
	__u64 *u = bpf_map_lookup_elem(&traced_epochs, &user);

	return k && u ? *k + (*u << 40) : 0;
}

/* Process tgid's entry in `traced`, copied to *out, for sys_exit: from
 * this CPU's copy when it is tgid's and `traced` has not changed since it
 * was made, else from the hash (joining by cgroup when a session traces
 * one), the copy made anew. false: tgid is not traced. An entry with a
 * signal parked (TF_SIGPEND) is never copied: sys_exit changes it. */
static __always_inline bool tracee_cached(__u32 tgid, struct tracee *out)
{
	struct tcache *c = NULL;
	struct tracee *t = NULL;
	__u64 epoch = 0;
	__u32 zero = 0;

	if (maybe_traced(tgid)) {
		c = bpf_map_lookup_elem(&tcaches, &zero);
		if (c) {
			epoch = traced_epoch();
			if (c->tgid == tgid && c->epoch == epoch) {
				*out = c->t;
				return true;
			}
		}
		t = bpf_map_lookup_elem(&traced, &tgid);
	}
	if (!t) {
		/* Untraced: one load and out, unless a session traces a cgroup. */
		if (!cgroup_levels)
			return false;
		t = cgroup_join(tgid);
		if (!t)
			return false;
	}
	*out = *t;
	if (c && !(out->flags & TF_SIGPEND)) {
		c->tgid = tgid;
		c->epoch = epoch;
		c->t = *out;
	}
	return true;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	struct tracee tl, *t = &tl;
	bool killed;
	long nr;

	if (!tracee_cached(tgid, &tl))
		return 0;
	nr = regs_nr(regs);
	if (nr < 0) {
		/* rt_sigreturn restored registers that say "no syscall". */
		if (nr_rt_sigreturn == ~0U)
			return 0;
		nr = nr_rt_sigreturn;
	}
	if (thread_hidden(t, id))
		return 0;
	if (ret == 0 && nr == nr_execve) {
		/* A successful execveat reads as execve once the new program is
		 * in (x86): its entry kept its number. */
		__u32 tid = id;
		struct execargs *xa = bpf_map_lookup_elem(&exec_stash, &tid);

		if (xa && xa->nr == nr_execveat)
			nr = nr_execveat;
	}
	/* A new child's first return, from the parent's fork: not a call of its own. */
	if (ret == 0 && is_fork(nr))
		return 0;
	/* Killed in the call: it never returns to the program, and strace
	 * shows it unfinished. The exit record ends the line. (The thread a
	 * fatal signal was meant for is different: under strace it leaves
	 * the call with ERESTART*, then meets the signal.) */
	killed = ret <= -512 && ret >= -516 && sigkill_pending() && !fatal_parked(t);
	if (nr == nr_bpf && !killed)
		info_record(t, ret);
	send_syscall(t, killed ? EV_ENTER : EV_SYSCALL, nr, regs, killed ? 0 : ret, 0, true, id, true);
	if (!killed && (tl.flags & TF_SIGPEND)) {
		struct tracee *tr = bpf_map_lookup_elem(&traced, &tgid);

		if (tr)
			flush_sigpend(tr);
	}
	return 0;
}

/* ---- -k: code mappings (EV_MAP) -------------------------------------- */

#define EPROC_PROT_EXEC 4
#define EPROC_MAP_ANONYMOUS 0x20
#define EPROC_NAME_MAX 256 /* a path component and its NUL */

/* Append the path of file f (a kernel address) at byte off of scratch
 * slot slot: its components, last first, each NUL-terminated, walking up
 * from its dentry and across mounts to the root. A global function, so
 * that the verifier walks it once. Returns the bytes appended, | 1 << 16
 * when the path is not whole (MAPF_CUT). */
__noinline int put_path(__u32 slot, __u32 off, __u64 file)
{
	struct file *f = (struct file *)file;
	struct vfsmount *vm = BPF_CORE_READ(f, f_path.mnt);
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	struct dentry *root = BPF_CORE_READ(vm, mnt_root);
	struct mount *m = (void *)vm - bpf_core_field_offset(struct mount, mnt);
	struct scratch *sc = get_scratch(slot);
	__u32 n = 0, i;
	int cut = 1 << 16;

	if (!sc)
		return cut;
	for (i = 0; i < EPROC_PATH_DEPTH; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		const unsigned char *name;
		__u32 at;
		long r;

		if (d == root) {
			struct mount *mp = BPF_CORE_READ(m, mnt_parent);

			if (mp == m || !mp)
				return n; /* the root */
			d = BPF_CORE_READ(m, mnt_mountpoint);
			m = mp;
			root = BPF_CORE_READ(mp, mnt.mnt_root);
			continue;
		}
		if (d == parent || !d)
			return n; /* a root that is no mount's */
		name = BPF_CORE_READ(d, d_name.name);
		at = off + n;
		BOUND(at, 0x1fff);
		r = bpf_probe_read_kernel_str(sc->buf + at, EPROC_NAME_MAX, name);
		if (r <= 0)
			return n | cut;
		/* Every path's n in one range: the verifier prunes the walk's
		 * states at each step instead of following each length. */
		n += r;
		BOUND(n, 0x1fff);
		d = parent;
	}
	return n | cut;
}

/* A record of stack_exit's or stack_signal's: built in place at the end of
 * the CPU's batch when it can be held (*bh, *buf, *slot), else in the
 * scratch slot 0. NULL: no room (nothing held). */
static __always_inline struct scratch *rec_begin(const struct sess_cfg *s, __u32 sid, struct batch_hdr **bh,
						 __u8 **buf, __u32 *slot)
{
	struct scratch *sc;

	*slot = 0;
	if ((*bh = batch_hold(s, sid, buf)))
		*slot = SLOT_BATCH + (*bh)->len;
	sc = get_scratch(*slot);
	if (!sc && *bh)
		batch_release(*bh);
	return sc;
}

/* Ends what rec_begin began: the batch takes the record of total bytes,
 * or it goes to the ring on its own. */
static __always_inline void rec_end(const struct sess_cfg *s, __u32 sid, struct batch_hdr *bh, __u8 *buf,
				    struct scratch *sc, __u64 total)
{
	if (bh) {
		if (buf)
			batch_commit(bh, buf, s, sid, total, false);
		else
			batch_release(bh);
		return;
	}
	if (emit(s, sid, sc->buf, total, EMIT_BATCH))
		count_loss(sid, false);
}

/* Send an EV_MAP record (kind, addr, len, off, and f's path if f). */
static __always_inline void send_map(const struct sess_cfg *s, __u32 sid, __u64 id, __u16 kind, __u64 addr,
				     __u64 len, __u64 off, struct file *f)
{
	struct batch_hdr *bh;
	struct ev_map *ev;
	struct scratch *sc;
	__u8 *buf = NULL;
	__u32 slot;
	__u64 total;

	sc = rec_begin(s, sid, &bh, &buf, &slot);
	if (!sc)
		return;
	ev = (struct ev_map *)sc->buf;
	fill_hdr_id(&ev->h, EV_MAP, 0, id);
	ev->kind = kind;
	ev->flags = 0;
	ev->addr = addr;
	ev->len = len;
	ev->off = off;
	ev->plen = 0;
	if (f) {
		int r = put_path(slot, sizeof(*ev), (__u64)f);

		ev->plen = r & 0xffff;
		ev->flags = r >> 16 ? MAPF_CUT : 0;
	}
	total = (sizeof(*ev) + ev->plen) & 0x3fff;
	ev->h.len = total;
	rec_end(s, sid, bh, buf, sc, total);
}

/* The EV_MAP record call nr of the current thread makes, if any (see
 * eproc.h). One send_map call site: each is a copy to verify. */
static __always_inline void map_records(const struct sess_cfg *s, __u32 sid, __u64 id, long nr, long ret,
					struct pt_regs *regs)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 args[6], addr, len, off = 0;
	struct file *f = NULL;
	__u16 kind;

	if (ret < 0 && ret >= -4095)
		return;
	regs_args(regs, args);
	if (is_exec(nr)) {
		kind = MAPK_EXEC;
		addr = BPF_CORE_READ(task, mm, start_code);
#if defined(__TARGET_ARCH_x86)
		len = regs->ip;
#else
		len = regs->pc;
#endif
		f = BPF_CORE_READ(task, mm, exe_file);
	} else if (nr == nr_munmap) {
		kind = MAPK_UNMAP;
		addr = args[0];
		len = args[1];
	} else if (nr == nr_mmap && (args[2] & EPROC_PROT_EXEC) && !(args[3] & EPROC_MAP_ANONYMOUS)) {
		struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
		__u32 fd = args[4];

		if (fdt && fd < BPF_CORE_READ(fdt, max_fds))
			bpf_probe_read_kernel(&f, sizeof(f), BPF_CORE_READ(fdt, fd) + fd);
		if (!f)
			return;
		kind = MAPK_MMAP;
		addr = ret;
		len = args[1];
		off = args[5];
	} else {
		return;
	}
	send_map(s, sid, id, kind, addr, len, off, f);
}

/* Send an EV_STACK record: registers ip, sp and fp, and the stack from
 * sp on, a page at a time, stopping at the first page that cannot be read
 * (past the top of the stack's mapping). */
static __always_inline void send_stack(const struct sess_cfg *s, __u32 sid, __u64 id, __u32 nr, __u64 ip, __u64 sp,
				       __u64 fp)
{
	struct batch_hdr *bh;
	struct ev_stack *ev;
	struct scratch *sc;
	__u32 slot, len = 0, i;
	__u8 *buf = NULL;
	__u64 total;

	sc = rec_begin(s, sid, &bh, &buf, &slot);
	if (!sc)
		return;
	ev = (struct ev_stack *)sc->buf;
	fill_hdr_id(&ev->h, EV_STACK, 0, id);
	ev->nr = nr;
	ev->ip = ip;
	ev->sp = sp;
	ev->fp = fp;
	for (i = 0; i < EPROC_STACK / EPROC_PAGE + 1; i++) {
		__u32 n = page_left(sp + len);

		if (len >= EPROC_STACK)
			break;
		if (n > EPROC_STACK - len)
			n = EPROC_STACK - len;
		BOUND(n, 0x1fff);
		BOUND(len, 0x3fff);
		if (bpf_probe_read_user(sc->buf + sizeof(*ev) + len, n, (void *)(sp + len)))
			break;
		len += n;
	}
	ev->len = len;
	total = sizeof(*ev) + len;
	ev->h.len = total;
	rec_end(s, sid, bh, buf, sc, total);
}

/* strace -k: a returned call's user registers and the top of its stack
 * (EV_STACK), for user space to unwind. A program of its own, attached
 * only while a session asks and after sys_exit, so that it runs after
 * sys_exit on each call and its record follows the call's (same CPU, same
 * thread); sys_exit's capture path stays as it is (Linux 6.1's verifier
 * limit). It sends one for the calls sys_exit recorded as returned. */
SEC("tp_btf/sys_exit")
int BPF_PROG(stack_exit, struct pt_regs *regs, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, unr, sig;
	const struct sess_cfg *s;
	struct tracee *t;
	long nr;

	t = maybe_traced(tgid) ? bpf_map_lookup_elem(&traced, &tgid) : NULL;
	if (!t || thread_hidden(t, id))
		return 0;
	sig = t->sigshown;
	t->sigshown = 0;
	s = live_session(t);
	if (!s || !(s->flags & SF_STACK))
		return 0;
	/* The calls sys_exit records as returned (see there). */
	nr = regs_nr(regs);
	if (nr < 0) {
		if (nr_rt_sigreturn == ~0U)
			return 0;
		nr = nr_rt_sigreturn;
	}
	if (ret == 0 && is_fork(nr))
		return 0;
	if (ret <= -512 && ret >= -516 && sigkill_pending() && !fatal_parked(t))
		return 0;
	map_records(s, t->sid, id, nr, ret, regs);
	/* An ignored signal sys_exit told of just now, after the call's
	 * record: its stack is this one (the call's line gets none: one
	 * send_stack, one copy to verify). */
	if (sig) {
		unr = STACK_SIGNAL | (sig & 0xff);
		goto send;
	}
	unr = nr;
	if (unr >= EPROC_MAX_SYSCALLS || !(s->filter[(unr / 64) % (EPROC_MAX_SYSCALLS / 64)] & (1ULL << (unr % 64))))
		return 0;
	if ((s->flags & (SF_OKONLY | SF_FAILONLY)) && !is_exec(nr)) {
		bool failed = ret < 0 && ret >= -4095;

		if (s->flags & (failed ? SF_OKONLY : SF_FAILONLY))
			return 0;
	}
send:
#if defined(__TARGET_ARCH_x86)
	send_stack(s, t->sid, id, unr, regs->ip, regs->sp, regs->bp);
#else
	send_stack(s, t->sid, id, unr, regs->pc, regs->sp, regs->regs[29]);
#endif
	return 0;
}

/* strace -k on a signal: the stack it interrupted, after its line
 * (EV_STACK of nr STACK_SIGNAL | sig). Loaded and attached with
 * stack_exit, after signal_deliver. */
SEC("tp_btf/signal_deliver")
int BPF_PROG(stack_signal, int sig, struct kernel_siginfo *info)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	const struct sess_cfg *s;
	struct pt_regs *regs;
	struct tracee *t;

	t = bpf_map_lookup_elem(&traced, &tgid);
	if (!t || thread_hidden(t, id) || sig == 9)
		return 0;
	s = live_session(t);
	if (!s || !(s->flags & SF_STACK))
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	if (!regs)
		return 0;
#if defined(__TARGET_ARCH_x86)
	send_stack(s, t->sid, id, STACK_SIGNAL | (sig & 0xff), BPF_CORE_READ(regs, ip), BPF_CORE_READ(regs, sp),
		   BPF_CORE_READ(regs, bp));
#else
	send_stack(s, t->sid, id, STACK_SIGNAL | (sig & 0xff), BPF_CORE_READ(regs, pc), BPF_CORE_READ(regs, sp),
		   BPF_CORE_READ(regs, regs[29]));
#endif
	return 0;
}

/* The entry of a call whose plan has CW_ENTRY captures: attached to each
 * such syscall's syscalls:sys_enter_* tracepoint only, so other calls pay
 * nothing. A BPF program on a syscall tracepoint gets the regs pointer, the
 * number and six argument slots (those past the call's own are not set). */
struct sys_enter_param {
	__u64 regs;
	__u64 nr;
	__u64 a[6];
};

/* One capture of the EV_ATTRMEM record (attrmem_buf), at off (a global
 * function: verified once, not once per call): at most n bytes at
 * ptr, up to a NUL (which is kept) when str, tagged with the pointer's
 * offset in the attr. A string that does not end within n bytes, or whose
 * read faults, is read as n bytes, as strace's umovestr stops at the NUL
 * or after n bytes. Returns the bytes the capture takes, 0 for none.
 * spec: n | str << 31. */
__noinline int attr_cap(__u32 off, __u32 at, __u64 ptr, __u32 spec)
{
	__u32 n = spec & 0xffff, str = spec >> 31, zero = 0;
	__u8 *b = bpf_map_lookup_elem(&attrmem_buf, &zero);
	struct ev_cap *cap;
	long r = -1;

	if (!b || !ptr || off > ATTRMEM_OFF_MAX || n > 4096)
		return 0;
	BOUND(off, 0x1fff);
	BOUND(n, 0x1fff);
	cap = (struct ev_cap *)(b + off);
	cap->arg = 1;
	cap->flags = 0;
	cap->idx = ATTRMEM_IDX | at;
	cap->len = 0;
	if (!n)
		return sizeof(*cap);
	if (str) {
		r = bpf_probe_read_user_str(b + off + sizeof(*cap), n, (void *)ptr);
		if (r == n)
			r = -1; /* no NUL before the last byte: the n bytes */
	}
	if (r < 0)
		r = bpf_probe_read_user(b + off + sizeof(*cap), n, (void *)ptr) ? -1L : (long)n;
	if (r < 0 && !str && page_left(ptr) < n) {
		/* The bytes before the page that cannot be read. */
		__u32 head = page_left(ptr);

		BOUND(head, 0x1fff);
		if (!bpf_probe_read_user(b + off + sizeof(*cap), head, (void *)ptr)) {
			cap->flags = CAPF_FAULT | CAPF_PART;
			r = head;
		}
	}
	if (r < 0) {
		cap->flags = CAPF_FAULT;
		r = 0;
	}
	cap->len = r;
	return sizeof(*cap) + ((r + 7) & ~7);
}

#define ATTR_CAP(at, ptr, n, str)                                    \
	do {                                                         \
		int r_ = attr_cap(off, at, ptr, (n) | (str) << 31);    \
		if (r_) {                                            \
			off += r_;                                   \
			k++;                                         \
		}                                                    \
	} while (0)

/* bpf_loop's callback: kprobe_multi's symbol i (a loop in line is
 * verified once per symbol and state: too large). */
struct symwalk {
	__u64 syms;
	__u32 off, k, strsize;
};

static long attr_sym(__u64 i, void *vw)
{
	struct symwalk *w = vw;
	__u64 p;
	int r;

	if (bpf_probe_read_user(&p, sizeof(p), (void *)(w->syms + i * 8)))
		return 1;
	r = attr_cap(w->off, ATTRMEM_ELEM | (i & 0xfff), p, (w->strsize + 1) | 1U << 31);
	if (r) {
		w->off += r;
		w->k++;
	}
	return 0;
}

/* An entry capture of len (8 or 16) bytes at ptr in the EV_ATTRMEM record
 * built at b: argument arg's element idx at b + off, empty and CAPF_FAULT
 * when they cannot be read. Its bytes. */
static __always_inline __u32 attrmem_word(__u8 *b, __u32 off, __u8 arg, __u16 idx, __u64 ptr, __u32 len)
{
	struct ev_cap *cap;

	off = opaque(off); /* one walk of what follows, whatever the path to here */
	BOUND(off, 0x7ff);
	cap = (struct ev_cap *)(b + off);

	cap->arg = arg;
	cap->flags = 0;
	cap->idx = idx;
	cap->len = len;
	if (bpf_probe_read_user(b + off + sizeof(*cap), len, (void *)ptr)) {
		cap->flags = CAPF_FAULT;
		cap->len = 0;
	}
	return sizeof(*cap) + cap->len;
}

/* Send the EV_ATTRMEM record of k captures built at b (off bytes) for
 * call nr: its header has the first three arguments, which the decoder
 * matches with the call's (attachAttrMem). */
static __always_inline void attrmem_send(const struct sess_cfg *s, __u32 sid, __u8 *b, __u32 off, __u32 k,
					 const __u64 *args, __u32 nr)
{
	struct ev_syscall *ev = (struct ev_syscall *)b;

	if (!k)
		return;
	off = opaque(off); /* one walk of emit's call, whatever the path to here */
	__builtin_memset(ev, 0, sizeof(*ev));
	fill_hdr(&ev->h, EV_ATTRMEM, 0);
	ev->args[0] = args[0];
	ev->args[1] = args[1];
	ev->args[2] = args[2];
	ev->nr = nr;
	ev->ncaps = k;
	ev->h.len = off;
	BOUND(off, 0x3fff);
	if (emit(s, sid, b, off, EMIT_BATCH))
		count_loss(sid, false);
}

/* bpf's attr as the call enters: the memory its command's pointers point
 * to, sent in an EV_ATTRMEM record before the call's (strace reads them
 * at entry: a log the call fills is still as the caller left it). */
static __noinline void attr_mem(const struct sess_cfg *s, __u32 sid, const __u64 *args)
{
	__u32 k = 0, cmd = args[0], size = args[2], strsize = s->strsize, off;
	__u64 attr = args[1], *a;
	__u8 *b;

	if (!attr || size < 8)
		return;
	b = bpf_map_lookup_elem(&attrmem_buf, &k);
	if (!b)
		return;
	/* The attr's first words in the buffer's tail, past any record, not
	 * on the stack: entry_capture, this, bpf_loop's attr_sym and
	 * attr_cap are one call chain, whose stacks Linux 6.1's verifier adds
	 * up against 512 bytes (with a[] here: 544, refused). */
	a = (__u64 *)(b + ATTRMEM_BUF - 64);
	if (size > ATTRMEM_WORDS * 8)
		size = ATTRMEM_WORDS * 8;
	BOUND(size, 0x3f);
	__builtin_memset(a, 0, ATTRMEM_WORDS * 8);
	if (bpf_probe_read_user(a, size, (void *)attr))
		return;
	if (strsize > 1024)
		strsize = 1024;
	off = sizeof(struct ev_syscall);
	switch (cmd) {
	case 5: { /* BPF_PROG_LOAD: insns, license, log_buf */
		__u32 cnt = a[0] >> 32, logsz = a[3] >> 32;

		if (cnt > 512) /* 4 KiB: all, under -v, of most programs */
			cnt = 512;
		if (logsz > strsize + 1)
			logsz = strsize + 1;
		ATTR_CAP(8, a[1], cnt * 8, 0);
		ATTR_CAP(16, a[2], strsize + 1, 1);
		ATTR_CAP(32, a[4], logsz, 1);
		break;
	}
	case 6: /* BPF_OBJ_PIN, BPF_OBJ_GET: the path */
	case 7:
		ATTR_CAP(0, a[0], 4096, 1);
		break;
	case 17: /* BPF_RAW_TRACEPOINT_OPEN: the name, at most 128 bytes */
		ATTR_CAP(0, a[0], strsize + 1 < 128 ? strsize + 1 : 128, 1);
		break;
	case 28: /* BPF_LINK_CREATE: the arrays of two attach types */
		if ((__u32)a[1] == 28) { /* BPF_TRACE_ITER: iter_info */
			__u32 n = a[3];

			ATTR_CAP(16, a[2], (n < strsize + 1 ? n : strsize + 1) * 4, 0);
		} else if ((__u32)a[1] == 42) { /* BPF_TRACE_KPROBE_MULTI */
			__u32 n = a[2] >> 32;

			if (n > strsize + 1)
				n = strsize + 1;
			if (n > 64)
				n = 64;
			ATTR_CAP(24, a[3], n * 8, 0);
			ATTR_CAP(32, a[4], n * 8, 0);
			ATTR_CAP(40, a[5], n * 8, 0);
			struct symwalk w = {.syms = a[3], .off = off, .strsize = strsize};

			if (a[3]) {
				bpf_loop(n, attr_sym, &w, 0);
				off = w.off;
				k += w.k;
			}
		}
		break;
	case 15: { /* BPF_OBJ_GET_INFO_BY_FD: the info struct as given (strace's "in => out") */
		__u32 n = a[0] >> 32, tid = bpf_get_current_pid_tgid();

		if (n > 4096)
			n = 4096;
		__u64 v[2] = {cmd, attr};

		if (a[1] && size >= 16)
			bpf_map_update_elem(&info_attrs, &tid, v, BPF_ANY);
		ATTR_CAP(8, a[1], n, 0);
		break;
	}
	case 16: { /* BPF_PROG_QUERY: prog_ids, written at exit */
		__u32 tid = bpf_get_current_pid_tgid();
		__u64 v[2] = {cmd, attr};

		if (a[2] && size >= 28)
			bpf_map_update_elem(&info_attrs, &tid, v, BPF_ANY);
		return;
	}
	case 18: { /* BPF_BTF_LOAD: btf_size bytes of btf */
		__u32 n = a[2];

		ATTR_CAP(0, a[0], n < strsize + 1 ? n : strsize + 1, 0);
		break;
	}
	default:
		return;
	}
	if (!k || off > ATTRMEM_OFF_MAX + 16 + 4096)
		return;
	attrmem_send(s, sid, b, off, k, args, nr_bpf);
}



/* recvmmsg as it enters: each message's msg_namelen (at most
 * EPROC_MMSG_MAX, element MMSG_INLENS of argument 1) and the timeout
 * (element ENTRY_IDX of argument 4), in an EV_ATTRMEM record before the
 * call's: strace's "in => out" and the timeout the call was given. */
/* bpf_loop's callback: message j's msg_len, to its place in attrmem_buf
 * (a loop in line was walked once for each message). The count read is
 * bpf_loop's own return, less the failed one: a count kept in vec and
 * used for offsets after the loop made a verifier that tracks it
 * precisely (6.18.44) walk the callback once per value, past its limit
 * of 8192 jumps. */
static long inlen_step(__u64 j, void *vp)
{
	__u64 *vec = vp; /* the vector's address; then 1 once a read failed */
	__u32 zero = 0, at = j * 4;
	__u8 *b = bpf_map_lookup_elem(&attrmem_buf, &zero);

	BOUND(at, 0x7f); /* < EPROC_MMSG_MAX * 4 */
	if (!b || bpf_probe_read_user(b + sizeof(struct ev_syscall) + sizeof(struct ev_cap) + at, 4,
				      (void *)(*vec + j * (sizeof(struct umsghdr) + 8) + 8))) {
		vec[1] = 1;
		return 1;
	}
	return 0;
}

static __noinline void mmsg_entry(const struct sess_cfg *s, __u32 sid, const __u64 *args)
{
	__u32 zero = 0, off = sizeof(struct ev_syscall), n = args[2], j, k = 0;
	struct ev_cap *cap;
	__u8 *b = bpf_map_lookup_elem(&attrmem_buf, &zero);
	__u64 vec[2] = {args[1], 0};
	long r;

	if (!b)
		return;
	if (n > EPROC_MMSG_MAX)
		n = EPROC_MMSG_MAX;
	if (args[1] && n) {
		cap = (struct ev_cap *)(b + off);
		cap->arg = 1;
		cap->flags = 0;
		cap->idx = MMSG_INLENS;
		r = bpf_loop(n, inlen_step, vec, 0);
		if (vec[1] && r > 0)
			r--;
		j = r > 0 ? r : 0;
		if (j > EPROC_MMSG_MAX)
			j = EPROC_MMSG_MAX;
		if (!j)
			cap->flags = CAPF_FAULT;
		cap->len = j * 4;
		off += sizeof(*cap) + ((j * 4 + 7) & ~7U);
		k++;
	}
	if (args[4]) {
		off += attrmem_word(b, off, 4, ENTRY_IDX, args[4], 16);
		k++;
	}
	attrmem_send(s, sid, b, off, k, args, nr_recvmmsg);
}

/* select and pselect6 as they enter: each set as given (whole words of
 * nfds bits, strace's fdsize, at most SELECT_ENTRY_MAX bytes: more,
 * CAPF_TRUNC), element ENTRY_IDX of arguments 1-3; pselect6's timeout
 * (ENTRY_IDX of argument 4) and the signal set its argument 5 points to
 * (DEREF_IDX of argument 5, when its size is 8), in an EV_ATTRMEM record
 * before the call's: the kernel writes the ready sets and the time left
 * over them, and strace prints them as given. */
#define SELECT_ENTRY_MAX 256
static __noinline void select_entry(const struct sess_cfg *s, __u32 sid, const __u64 *args, __u32 nr)
{
	__u32 zero = 0, off = sizeof(struct ev_syscall), k = 0, i, n, len;
	__s32 nfds = args[0];
	__u64 ss[2];
	struct ev_cap *cap;
	__u8 *b = bpf_map_lookup_elem(&attrmem_buf, &zero);

	if (!b)
		return;
	if (nfds < 0)
		nfds = 0;
	if (nfds > 1 << 20)
		nfds = 1 << 20;
	n = (((__u32)nfds + 7) / 8 + 7) & ~7U;
	for (i = 1; i <= 3; i++) {
		if (!args[i] || !n)
			continue;
		len = n > SELECT_ENTRY_MAX ? SELECT_ENTRY_MAX : n;
		BOUND(len, 0x1ff);
		off = opaque(off); /* the sets before, or not: one walk of the rest */
		BOUND(off, 0x7ff);
		cap = (struct ev_cap *)(b + off);
		cap->arg = i;
		cap->flags = n > len ? CAPF_TRUNC : 0;
		cap->idx = ENTRY_IDX;
		if (bpf_probe_read_user(b + off + sizeof(*cap), len, (void *)args[i])) {
			cap->flags = CAPF_FAULT;
			len = 0;
		}
		cap->len = len;
		off += sizeof(*cap) + len;
		k++;
	}
	if (nr == nr_pselect6 && args[4]) {
		BOUND(off, 0x7ff);
		off += attrmem_word(b, off, 4, ENTRY_IDX, args[4], 16);
		k++;
	}
	if (nr == nr_pselect6 && args[5] && !bpf_probe_read_user(ss, sizeof(ss), (void *)args[5]) && ss[0] && ss[1] == 8) {
		BOUND(off, 0x7ff);
		off += attrmem_word(b, off, 5, DEREF_IDX, ss[0], 8);
		k++;
	}
	attrmem_send(s, sid, b, off, k, args, nr);
}

/* The captures plan pl wants at the entry of call nr (PF_ENTRY) of the
 * current thread of t, given args, for its session s: an EV_ARGVALS record
 * and, for bpf, recvmmsg, select and pselect6, an EV_ATTRMEM record, ahead
 * of the call's own. entry_capture's (perf's syscalls:sys_enter_* events)
 * or, while a session wants entry times, sys_enter's: one program on the
 * sys_enter tracepoint, not two (with two, every syscall of every process
 * calls them through the tracepoint's iterator). */
static __always_inline void entry_caps(const struct tracee *t, const struct sess_cfg *s, const struct plan *pl, __u32 nr,
				       __u64 *args)
{
	struct ev_argvals ev = {};
	__u32 sid = t->sid, k;

	for (k = 0; k < EPROC_ENTRY_CAPS; k++) {
		__u32 size = pl->entry_size[k];

		if (!size)
			break;
		if (size > 8)
			size = 8;
		BOUND(size, 15);
		/* entry_arg: the argument (argn takes its low 3 bits), and in
		 * the high 4 the 8-byte words past it to read (ptrace's struct
		 * iovec's iov_len, as the caller gave it). */
		ev.arg[k] = (pl->entry_arg[k] & 0xf) | size << 4;
		if (size > 8 || bpf_probe_read_user(&ev.data[k], size,
						    (void *)(argn(args, pl->entry_arg[k]) + (pl->entry_arg[k] >> 4) * 8)))
			ev.fault |= 1 << k;
	}
	ev.n = k;
	ev.nr = nr;
	fill_hdr(&ev.h, EV_ARGVALS, (s->flags & SF_TIME) ? bpf_ktime_get_ns() : 0);
	ev.h.len = sizeof(ev);
	if (emit(s, sid, &ev, sizeof(ev), EMIT_BATCH))
		count_loss(sid, false);
	if (nr == nr_bpf)
		attr_mem(s, sid, args);
	else if (nr == nr_recvmmsg)
		mmsg_entry(s, sid, args);
	else if (nr == nr_select || nr == nr_pselect6)
		select_entry(s, sid, args, nr);
}

SEC("tracepoint/syscalls/sys_enter_accept")
int entry_capture(struct sys_enter_param *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, nr;
	const struct sess_cfg *s;
	const struct plan *pl;
	struct tracee *t;
	__u64 args[6];

	t = tracee_or_join(tgid);
	if (!t || thread_hidden(t, bpf_get_current_pid_tgid()))
		return 0;
	s = live_session(t);
	nr = ctx->nr;
	if (!s || nr >= EPROC_MAX_SYSCALLS || !(s->filter[(nr / 64) % (EPROC_MAX_SYSCALLS / 64)] & (1ULL << (nr % 64))))
		return 0;
	pl = bpf_map_lookup_elem(&plans, &nr);
	if (!pl || !(pl->flags & PF_ENTRY))
		return 0;
	if (bpf_probe_read_kernel(args, sizeof(args), ctx->a))
		return 0;
	entry_caps(t, s, pl, nr, args);
	return 0;
}

/* Entry times (SF_LATENCY), and the entry captures while some session
 * wants entry times (see entry_caps). */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), args[6];
	const struct sess_cfg *s;
	const struct plan *pl;
	struct tracee t;
	__u32 sid, nr = id;
	bool spawned = false;

	if (!tracee_cached(pid_tgid >> 32, &t))
		return 0;
	if (thread_hidden(&t, pid_tgid)) {
		/* The spawned command's own execve, which ends its wait
		 * (TF_WAITEXEC) and is its first line: its entry (-T, -c,
		 * -i), nothing else. */
		if ((t.flags & (TF_SPAWNER | TF_WAITEXEC)) != TF_WAITEXEC || !is_exec(nr))
			return 0;
		spawned = true;
	}
	sid = t.sid;
	s = bpf_map_lookup_elem(&sessions, &sid);
	if (!s || s->gen != t.gen || nr >= EPROC_MAX_SYSCALLS ||
	    !(s->filter[(nr / 64) % (EPROC_MAX_SYSCALLS / 64)] & (1ULL << (nr % 64))))
		return 0;
	/* Attached, it stands in for entry_capture (the engine detaches
	 * that): the captures first, as there, then the entry time. */
	pl = bpf_map_lookup_elem(&plans, &nr);
	if (pl && (pl->flags & PF_ENTRY) && !spawned) {
		regs_args(regs, args);
		entry_caps(&t, s, pl, nr, args);
	}
	if (s->flags & (SF_LATENCY | SF_IP))
		entry_put(pid_tgid, nr, bpf_ktime_get_ns(), regs_ip(regs));
	return 0;
}

/* bpf's exit, from sys_exit: the info struct a BPF_OBJ_GET_INFO_BY_FD
 * filled (or BPF_PROG_QUERY's ids), in an EV_ATTRMEM record (exit_ts 1)
 * built in attrmem_buf, when entry_capture left its attr in info_attrs:
 * its length (0: none), for sys_exit to emit before the call's record.
 * Not a syscalls:sys_exit_bpf program: a second probe on the sys_exit
 * tracepoint made every syscall's exit of every process call its probes
 * indirectly (~50 ns each, AMD EPYC). A global function: verified once. */
__noinline int bpf_info_exit(__s64 ret)
{
	__u64 id = bpf_get_current_pid_tgid(), attr, cmd, a[4];
	__u32 tid = id, k = 0, zero = 0, off = sizeof(struct ev_syscall), n;
	const struct sess_cfg *s;
	struct ev_syscall *ev;
	struct tracee *t;
	__u64 *ap;
	__u8 *b;

	ap = bpf_map_lookup_elem(&info_attrs, &tid);
	if (!ap)
		return 0;
	cmd = ap[0];
	attr = ap[1];
	bpf_map_delete_elem(&info_attrs, &tid);
	t = tracee_or_join(id >> 32);
	if (!t)
		return 0;
	s = live_session(t);
	if (!s || bpf_probe_read_user(a, sizeof(a), (void *)attr))
		return 0;
	if (cmd == 16) { /* BPF_PROG_QUERY: prog_cnt ids, at most 64 */
		n = a[3];
		if (ret == 0)
			ATTR_CAP(ATTRMEM_EXIT | 16, a[2], (n < 64 ? n : 64) * 4, 0);
		goto out;
	}
	n = a[0] >> 32;
	if (n > 4096)
		n = 4096;
	ATTR_CAP(ATTRMEM_EXIT | 8, a[1], n, 0);
	if (n >= 64) {
		/* A program's map_ids: the ids the kernel wrote, at most 64. */
		__u64 ids[2];

		if (!bpf_probe_read_user(ids, sizeof(ids), (void *)(a[1] + 48))) {
			__u32 cnt = ids[0] >> 32;

			ATTR_CAP(ATTRMEM_EXIT | 56, ids[1], (cnt < 64 ? cnt : 64) * 4, 0);
		}
	}
out:
	b = bpf_map_lookup_elem(&attrmem_buf, &zero);
	if (!k || !b || off > ATTRMEM_OFF_MAX + 16 + 4096)
		return 0;
	ev = (struct ev_syscall *)b;
	__builtin_memset(ev, 0, sizeof(*ev));
	fill_hdr(&ev->h, EV_ATTRMEM, 0);
	ev->exit_ts = 1;
	ev->args[0] = cmd;
	ev->args[1] = attr;
	ev->nr = nr_bpf;
	ev->ncaps = k;
	ev->h.len = off;
	return off;
}

/* save_orig's walk: argv's pointers 8i to 8i+7 (a bpf_loop callback);
 * n, the count before the NULL, once found. */
struct argcwalk {
	__u64 ptr;
	__s32 n;
	__u32 pad;
};

static long argc_step(__u64 i, struct argcwalk *w)
{
	__u64 p[8], at = w->ptr + i * sizeof(p);
	int k;

	if (bpf_probe_read_user(p, sizeof(p), (void *)at)) {
		/* Up to a page that cannot be read: one at a time. */
		for (k = 0; k < 8; k++) {
			if (bpf_probe_read_user(&p[k], sizeof(p[k]), (void *)(at + k * sizeof(p[k]))))
				return 1;
			if (!p[k]) {
				w->n = i * 8 + k;
				return 1;
			}
		}
		return 0;
	}
	for (k = 0; k < 8; k++) {
		if (!p[k]) {
			w->n = i * 8 + k;
			return 1;
		}
	}
	return 0;
}

/* Keeps what an execve was given, the argv at argv (user memory), for the
 * EV_EXEC of a program an interpreter runs: argv's count and its argv[0]
 * (struct execorig). */
__noinline int save_orig(__u32 tid, __u64 argv)
{
	struct argcwalk w = {.ptr = argv, .n = -1};
	struct execorig o = {};
	__u64 a0;
	char c;
	long n;

	if (argv) {
		bpf_loop(EPROC_ARGC_WALK, argc_step, &w, 0);
		o.argc = w.n;
	}
	if (o.argc > 0) {
		n = -1;
		if (!bpf_probe_read_user(&a0, sizeof(a0), (void *)argv))
			n = bpf_probe_read_user_str(o.argv0, sizeof(o.argv0), (void *)a0);
		if (n <= 0) {
			o.argc = -1;
		} else {
			o.len = n - 1;
			/* Filled: cut short unless its NUL comes next. */
			o.trunc = n == EPROC_ARGV0_MAX &&
				  (bpf_probe_read_user(&c, 1, (void *)(a0 + EPROC_ARGV0_MAX - 1)) || c);
		}
	}
	bpf_map_update_elem(&exec_orig, &tid, &o, BPF_ANY);
	return 0;
}

/* execve's entry: keep the arguments its success will clear. */
struct execve_ctx {
	__u64 common;
	int nr;
	int pad;
	__u64 a[5];
};

static __always_inline int stash_exec(struct execve_ctx *ctx, int at)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = id;
	struct execargs xa = {};

	if (!tracee_or_join(tgid))
		return 0;
	xa.nr = at ? nr_execveat : nr_execve;
	if (at) {
		xa.args[0] = ctx->a[0];
		xa.args[1] = ctx->a[1];
		xa.args[2] = ctx->a[2];
		xa.args[3] = ctx->a[3];
		xa.args[4] = ctx->a[4];
	} else {
		xa.args[0] = ctx->a[0];
		xa.args[1] = ctx->a[1];
		xa.args[2] = ctx->a[2];
	}
	bpf_map_update_elem(&exec_stash, &tid, &xa, BPF_ANY);
	/* Whether an interpreter will run the program is not known yet:
	 * kept for every execve here. */
	save_orig(tid, at ? ctx->a[2] : ctx->a[1]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int execve_enter(struct execve_ctx *ctx)
{
	return stash_exec(ctx, 0);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int execveat_enter(struct execve_ctx *ctx)
{
	return stash_exec(ctx, 1);
}

/* The same, where the kernel has committed to the new program but the
 * registers still hold the call's arguments (Linux 6.10+). Preferred when
 * the kernel has it: any syscalls:sys_enter_* tracepoint in use hooks
 * sys_enter, which then runs on every syscall entry of every process
 * (measured: 4% of an untraced dd's time). Touches no tracepoint argument,
 * so that on older kernels user space can load it against another one and
 * leave it detached. */
SEC("tp_btf/sched_prepare_exec")
int BPF_PROG(sched_prepare_exec)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = id;
	struct execargs xa = {};
	struct pt_regs *regs;

	if (!tracee_or_join(tgid))
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	if (!regs)
		return 0;
	regs_args(regs, xa.args);
	xa.nr = regs_nr(regs);
	bpf_map_update_elem(&exec_stash, &tid, &xa, BPF_ANY);
	if (is_exec(xa.nr)) {
		/* An interpreter runs the program (binfmt_script, binfmt_misc:
		 * bprm_change_interp; alloc_bprm made interp the filename).
		 * Read through the probe: on older kernels this program is
		 * loaded against another tracepoint, whose argument 1 is no
		 * pointer. */
		struct linux_binprm *bprm = (struct linux_binprm *)ctx[1];

		if (BPF_CORE_READ(bprm, interp) != BPF_CORE_READ(bprm, filename))
			save_orig(tid, xa.args[xa.nr == nr_execveat ? 2 : 1]);
	}
	/* A vfork parent resumes now (exec_mm_release), maybe on another
	 * CPU, before this thread leaves this one: what the child recorded
	 * goes to the ring before anything the parent does next (strace -f
	 * prints a vfork child's calls before its parent's). */
	batch_flush_cpu(false);
	return 0;
}

#define EPROC_TASK_STOPPED 0x4		/* __TASK_STOPPED */
#define EPROC_JOBCTL_STOP_SIGMASK 0xffff /* task->jobctl: the stop's signal */

/* The current thread stops (group stop) by signal sig: an EV_SIGNAL record
 * with SIGF_STOPPED and no siginfo. */
static __always_inline void send_stopped(const struct tracee *t, int sig)
{
	const struct sess_cfg *s = live_session(t);

	if (s)
		send_signal_of(t, s, bpf_get_current_pid_tgid(), sig, NULL, false, SIGF_STOPPED, EMIT_BATCH);
}

/* A traced thread going to sleep inside a syscall: announce the call now, so
 * that what other threads do meanwhile reads as `<unfinished ...>`; one
 * that stops by a signal is in none. */
static __always_inline void switch_out(bool preempt, struct task_struct *prev, unsigned int prev_state)
{
	__u32 tgid = prev->tgid;
	struct pt_regs *regs;
	struct tracee *t;
	long nr;

	if (preempt || prev_state == 0 || (prev->flags & PF_EXITING) || !maybe_traced(tgid))
		return;
	t = bpf_map_lookup_elem(&traced, &tgid);
	if (!t || thread_hidden(t, prev->pid))
		return;
	if (prev_state & EPROC_TASK_STOPPED) {
		/* A group stop (do_signal_stop), on the way back to user space:
		 * not in a call, whatever the registers still say of the last
		 * one. strace tells of the stop. */
		send_stopped(t, BPF_CORE_READ(prev, jobctl) & EPROC_JOBCTL_STOP_SIGMASK);
		return;
	}
	regs = (struct pt_regs *)bpf_task_pt_regs(prev);
	if (!regs)
		return;
	nr = regs_nr(regs);
	if (nr < 0 || !call_under_way(regs))
		return;
	if (exec_at_prepare && is_exec(nr)) {
		/* Past the point of no return (its arguments are stashed), the
		 * memory the record would read is the new program's: the
		 * record at its return tells all. */
		__u32 tid = prev->pid;

		if (bpf_map_lookup_elem(&exec_stash, &tid))
			return;
	}
	send_syscall(t, EV_ENTER, nr, regs, 0, 1, false, (__u64)tgid << 32 | (__u32)prev->pid, true);
}

/* A task leaves this CPU: announce its call if it blocked in one. Whatever
 * a thread recorded here must be in the ring before it runs anywhere else:
 * a task that blocks (leaves the run queue) may wake on any CPU, so the
 * CPU's batch goes out now; one that stays runnable (preempted, yielding)
 * runs here again unless it is moved, and sched_migrate_task takes the
 * batch then, if the task is marked in it (left). A switch costs a batch
 * put out (~160 ns here, AMD EPYC) only when the task blocks. */
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
	__u32 zero = 0;
	struct batch_hdr *bh;

	switch_out(preempt, prev, prev_state);
	entry_save(prev);
	if (!preempt && prev_state)
		batch_flush_cpu(false);
	/* Runnable, or blocking while a program this switch interrupted
	 * holds the batch (it stays: its holder goes on here later). */
	bh = bpf_map_lookup_elem(&batch_hdrs, &zero);
	if (bh && bh->len)
		bh->left |= 1ULL << (prev->pid & 63);
	return 0;
}

/* A task moves from the CPU it last ran on to dest_cpu, run by whichever
 * CPU moves it. One that left its CPU runnable while that CPU's batch held
 * records may have records there: they go to the ring now, before the
 * task can make any elsewhere (batch_take). (A task that blocked put the
 * batch out as it left; a new child has none.) */
SEC("tp_btf/sched_migrate_task")
int BPF_PROG(sched_migrate_task, struct task_struct *p, int dest_cpu)
{
	__u32 zero = 0, cpu = BPF_CORE_READ(p, thread_info.cpu);
	struct batch_hdr *bh;

	if (cpu == (__u32)dest_cpu)
		return 0;
	bh = bpf_map_lookup_percpu_elem(&batch_hdrs, &zero, cpu);
	if (bh && bh->len && (bh->left & (1ULL << (p->pid & 63))))
		batch_take(cpu);
	return 0;
}

/* Run by user space on a CPU (BPF_PROG_RUN, BPF_F_TEST_RUN_ON_CPU): put
 * its batch in the ring now, for a thread that made calls and then ran on
 * without leaving the CPU, and before a session's last read. */
SEC("raw_tp")
int flush_batch(void *ctx)
{
	batch_flush_cpu(true);
	return 0;
}

/* ---- processes --------------------------------------------------------- */


/* fork_ns fills in the child's pid namespace: where its struct pid says
 * it lives (numbers[level]), and its leader's id there; and its id in the
 * namespace's parent (numbers[level - 1]). */
static __always_inline void fork_ns(struct ev_fork *ev, struct task_struct *child)
{
	struct pid *p = child->thread_pid, *lp;
	struct upid up;
	__u32 level;

	if (!p)
		return;
	level = BPF_CORE_READ(p, level);
	if (level > 32 || bpf_probe_read_kernel(&up, sizeof(up), &p->numbers[level]))
		return;
	ev->ns_level = level;
	ev->ns_tid = up.nr;
	ev->ns_inum = BPF_CORE_READ(up.ns, ns.inum);
	if (level > 0 && !bpf_probe_read_kernel(&up, sizeof(up), &p->numbers[level - 1]))
		ev->ns_ptid = up.nr;
	lp = BPF_CORE_READ(child, group_leader, thread_pid);
	if (lp && !bpf_probe_read_kernel(&up, sizeof(up), &lp->numbers[level]))
		ev->ns_tgid = up.nr;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 tgid = parent->tgid, ctgid = child->tgid;
	const struct sess_cfg *s;
	struct ev_fork ev = {};
	struct tracee *t, nt;
	bool thread = ctgid == tgid;
	__s64 *np;

	t = tracee_or_join(tgid); /* the parent is the current task */
	if (!t)
		return 0;
	s = live_session(t);
	if (!s)
		return 0;
	if (!thread) {
		if (!(t->flags & (TF_INHERIT | TF_SPAWNER)))
			return 0;
		nt = *t;
		nt.flags &= ~TF_SPAWNER;
		if (t->flags & TF_SPAWNER)
			nt.flags |= TF_WAITEXEC;
		/* Without -f only the spawned command joins: its one thread. */
		nt.tid = child->pid;
		mark_traced(ctgid);
		if (bpf_map_update_elem(&traced, &ctgid, &nt, BPF_ANY))
			return 0;
		traced_changed();
		np = bpf_map_lookup_elem(&nproc, &nt.sid);
		if (np)
			__sync_fetch_and_add(np, 1);
		if (t->flags & TF_SPAWNER)
			return 0; /* its life before execve is not part of the trace */
	} else if (thread_hidden(t, parent->pid) || (t->flags & TF_ONE_THREAD)) {
		/* A thread of a process whose one thread is shown (no -f) is
		 * not: strace without -f does not follow clone's threads. */
		return 0;
	}
	fill_hdr(&ev.h, EV_FORK, bpf_ktime_get_ns());
	ev.h.len = sizeof(ev);
	ev.h.tid = parent->pid;
	ev.h.tgid = tgid;
	ev.child_tid = child->pid;
	ev.child_tgid = ctgid;
	ev.thread = thread;
	fork_ns(&ev, child);
	/* Straight to the ring, after this CPU's batch: the child, which runs
	 * only after this, may run on another CPU whose batch goes out first,
	 * and its records must not come before its birth (the reader gives it
	 * its parent's fds, -y, and its place in -f's output then). */
	if (emit(s, t->sid, &ev, sizeof(ev), EMIT_NOW))
		count_loss(t->sid, false);
	return 0;
}

static __always_inline void detach_exec(struct tracee *t, const struct sess_cfg *s, __u32 tgid)
{
	struct ev_exit ev = {};
	__u32 sid = t->sid;
	__s64 *np;

	fill_hdr(&ev.h, EV_EXIT, 0);
	ev.h.len = sizeof(ev);
	ev.group_dead = EXIT_DETACHED;
	if (emit(s, sid, &ev, sizeof(ev), EMIT_WAKE))
		count_loss(sid, false);
	if (bpf_map_delete_elem(&traced, &tgid) == 0) {
		traced_changed();
		np = bpf_map_lookup_elem(&nproc, &sid);
		if (np)
			__sync_fetch_and_add(np, -1);
	}
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = p->tgid;
	const struct sess_cfg *s;
	struct mm_struct *mm;
	struct ev_exec *ev;
	struct scratch *sc;
	struct tracee *t;
	struct ev_cap *cap;
	__u32 off = 0, ncaps = 0; /* the record's next byte, its captures */
	__u64 start, end, len;
	long n;
	int r;

	t = tracee_or_join(tgid);
	if (!t || (t->flags & TF_SPAWNER))
		return 0;
	/* A spawned command is traced from its own execve on: this one. */
	if (t->flags & TF_WAITEXEC) {
		t->flags &= ~TF_WAITEXEC;
		traced_changed();
	}
	/* Without -f: the thread that runs the new program is the process's
	 * one shown (the leader's id, whichever thread exec'd). */
	if ((t->flags & TF_ONE_THREAD) && t->tid != (__u32)p->pid) {
		t->tid = p->pid;
		traced_changed();
	}
	s = live_session(t);
	if (!s)
		return 0;
	if ((s->flags & SF_UNPRIV) && BPF_CORE_READ_BITFIELD_PROBED(bprm, secureexec)) {
		/* ptrace would not let this owner follow a program that gains
		 * privileges: the process leaves the session before it runs. */
		detach_exec(t, s, tgid);
		return 0;
	}
	sc = get_scratch(1);
	if (!sc)
		return 0;
	ev = (struct ev_exec *)sc->buf;
	fill_hdr(&ev->h, EV_EXEC, bpf_ktime_get_ns());
	ev->argc = bprm->argc;
	ev->envc = bprm->envc;
	ev->old_tid = old_pid;
	ev->orig_argc = -1;
	ev->pad2 = 0;
	if ((__u32)old_pid != (__u32)p->pid) {
		/* A thread other than the leader exec'd and took the leader's id:
		 * its stashed arguments follow it there. */
		__u32 otid = old_pid, ntid = p->pid;
		struct execargs *xa = bpf_map_lookup_elem(&exec_stash, &otid);

		if (xa) {
			bpf_map_update_elem(&exec_stash, &ntid, xa, BPF_ANY);
			bpf_map_delete_elem(&exec_stash, &otid);
		}
	}
	off = sizeof(*ev);
	cap = cap_at(sc, off, TAG(0, 0));
	n = bpf_probe_read_kernel_str(data_at(sc, off), EPROC_PATH_MAX, bprm->filename);
	if (n < 0) {
		cap->flags = CAPF_FAULT;
		n = 0;
	} else if (n > 0) {
		n--;
	}
	off += cap_done(cap, n);
	ncaps++;

	mm = p->mm;
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	len = end > start ? end - start : 0;
	if (len > EPROC_MAX_CAP)
		len = EPROC_MAX_CAP | 1ULL << 32;
	r = put_mem(1, off, TAG(1, 0), start, len);
	if (r > 0) {
		off += PUT_BYTES(r);
		ncaps += PUT_N(r);
	}
	if (s->flags & SF_WHOLE) {
		/* -v prints the environment's strings too. */
		start = BPF_CORE_READ(mm, env_start);
		end = BPF_CORE_READ(mm, env_end);
		len = end > start ? end - start : 0;
		if (len > EPROC_MAX_CAP)
			len = EPROC_MAX_CAP | 1ULL << 32;
		r = put_mem(1, off, TAG(2, 0), start, len);
		if (r > 0) {
			off += PUT_BYTES(r);
			ncaps += PUT_N(r);
		}
	}
	if (bprm->interp != bprm->filename) {
		/* An interpreter's argv: what the call was given is kept. */
		__u32 otid = old_pid;
		struct execorig *o = bpf_map_lookup_elem(&exec_orig, &otid);

		if (o) {
			if (o->argc >= 0 && off <= EPROC_SCRATCH - 16 - EPROC_ARGV0_MAX) {
				__u32 n = o->len;

				cap = cap_at(sc, off, TAG(3, 0));
				if (o->trunc)
					cap->flags = CAPF_TRUNC;
				BOUND(n, 0xff);
				if (bpf_probe_read_kernel(data_at(sc, off), n, o->argv0))
					n = 0;
				off += cap_done(cap, n);
				ncaps++;
				ev->orig_argc = o->argc;
			}
			bpf_map_delete_elem(&exec_orig, &otid);
		}
	}

	ev->ncaps = ncaps;
	len = off;
	ev->h.len = len;
	if (len < sizeof(*ev) || len > EPROC_SCRATCH)
		return 0;
	if (emit(s, t->sid, sc->buf, len, EMIT_BATCH))
		count_loss(t->sid, false);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	__u32 tgid = p->tgid, sid;
	const struct sess_cfg *s;
	struct ev_exit ev = {};
	struct pt_regs *regs;
	struct tracee *t;
	bool group_dead;
	__s64 *np;
	long nr;

	t = bpf_map_lookup_elem(&traced, &tgid);
	if (!t)
		return 0;
	sid = t->sid;
	s = live_session(t);
	group_dead = BPF_CORE_READ(p, signal, live.counter) == 0;
	np = bpf_map_lookup_elem(&nproc, &sid); /* the session's live processes */
	if (s && !thread_hidden(t, p->pid)) {
		/* A thread that ends inside exit or exit_group: the call is the
		 * entry record, counted here since it never returns. (A thread
		 * killed in any other call left through sys_exit.) */
		regs = (struct pt_regs *)bpf_task_pt_regs(p);
		if (regs) {
			__u32 unr;
			const struct plan *pl;

			nr = regs_nr(regs);
			unr = nr;
			pl = nr >= 0 && unr < EPROC_MAX_SYSCALLS ? bpf_map_lookup_elem(&plans, &unr) : NULL;
			/* exit and exit_group take no pointers: nothing to
			 * capture, and no capture code in this program (its
			 * verification). */
			if (pl && (pl->flags & PF_NORETURN))
				send_syscall(t, EV_ENTER, nr, regs, 0, 1, true, bpf_get_current_pid_tgid(), false);
		}
	}
	/* Without -f, another thread's end is not told, but the process's
	 * is, whichever thread ends it. */
	if (s && !(t->flags & (TF_SPAWNER | TF_WAITEXEC)) && (group_dead || !thread_hidden(t, p->pid))) {
		struct task_struct *gx = BPF_CORE_READ(p, signal, group_exec_task);

		fill_hdr(&ev.h, EV_EXIT, bpf_ktime_get_ns());
		ev.h.len = sizeof(ev);
		ev.code = p->exit_code;
		ev.group_dead = group_dead ? EXIT_GROUP : EXIT_THREAD;
		/* nsec_to_clock_t, as /proc does (USER_HZ 100) */
		ev.start = BPF_CORE_READ(p, group_leader, start_boottime) / 10000000;
		if (group_dead) {
			const struct cred *cr = BPF_CORE_READ(p, real_cred);

			bpf_get_current_comm(ev.comm, sizeof(ev.comm));
			ev.uid[0] = BPF_CORE_READ(cr, uid.val);
			ev.uid[1] = BPF_CORE_READ(cr, euid.val);
			ev.uid[2] = BPF_CORE_READ(cr, suid.val);
			ev.gid[0] = BPF_CORE_READ(cr, gid.val);
			ev.gid[1] = BPF_CORE_READ(cr, egid.val);
			ev.gid[2] = BPF_CORE_READ(cr, sgid.val);
		}
		if (!group_dead && gx && gx != p && p->pid == tgid) {
			/* Another thread's execve ends the leader: that thread takes
			 * over its id. */
			ev.group_dead = EXIT_SUPERSEDED;
			ev.code = BPF_CORE_READ(gx, pid);
		}
		/* A process's end goes out now; it wakes the reader when this
		 * is the session's last process (by the count before its own
		 * decrement below): the session ends. Two last ones ending at
		 * once on two CPUs may both see 2; the reader's poll finds it
		 * then. */
		__u32 how = !group_dead ? EMIT_BATCH : np && *np > 1 ? EMIT_NOW : EMIT_WAKE;

		if (emit(s, sid, &ev, sizeof(ev), how)) {
			/* The ring is full: kept aside for the reader (see
			 * held_exits), lost only when that is full too. */
			struct held_key hk = { .sid = sid, .gen = t->gen, .tid = ev.h.tid };

			if (bpf_map_update_elem(&held_exits, &hk, &ev, BPF_ANY))
				count_loss(sid, false);
		}
	}
	/* Only after the record is out: a reader that sees the count reach zero
	 * finds every record of the session already in the ring. An entry of an
	 * ended session (a fork that raced with its Close) goes without a
	 * count: the slot's count is another session's by now. */
	if (group_dead && !(t->flags & TF_SPAWNER) && bpf_map_delete_elem(&traced, &tgid) == 0) {
		traced_changed();
		if (s && np)
			__sync_fetch_and_add(np, -1);
	}
	return 0;
}

/* Send an EV_SIGNAL record of thread id (its pid_tgid): signal sig, flags
 * (SIGF_*), the siginfo at info (kernel memory when kernel_info; none when
 * NULL), out as how says (EMIT_*). */
static __always_inline void send_signal_of(const struct tracee *t, const struct sess_cfg *s, __u64 id, int sig,
					   const void *info, bool kernel_info, __u32 flags, __u32 how)
{
	struct ev_signal ev = {};
	__u64 now = 0;

	if (s->flags & SF_TIME)
		now = bpf_ktime_get_ns();
	fill_hdr_id(&ev.h, EV_SIGNAL, now, id);
	ev.h.len = sizeof(ev);
	ev.sig = sig;
	ev.flags = flags;
	if ((s->flags & SF_IP) && id == bpf_get_current_pid_tgid()) {
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

		if (regs) {
			ev.ip = regs_ip(regs);
			ev.flags |= SIGF_IP;
		}
	}
	if (info && kernel_info)
		bpf_probe_read_kernel(ev.info, sizeof(ev.info), info);
	else if (info)
		__builtin_memcpy(ev.info, info, sizeof(ev.info));
	if (emit(s, t->sid, &ev, sizeof(ev), how))
		count_loss(t->sid, false);
}

/* A signal delivered to the current thread, into the CPU's batch. */
static __always_inline void send_signal(const struct tracee *t, const struct sess_cfg *s, int sig, const void *info,
					bool kernel_info)
{
	send_signal_of(t, s, bpf_get_current_pid_tgid(), sig, info, kernel_info, 0, EMIT_BATCH);
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(signal_deliver, int sig, struct kernel_siginfo *info)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	const struct sess_cfg *s;
	struct tracee *t;
	struct sigpend zero = {};

	t = bpf_map_lookup_elem(&traced, &tgid);
	if (!t || thread_hidden(t, bpf_get_current_pid_tgid()))
		return 0;
	if (sig == 9) {
		/* SIGKILL is never seen by a ptracer: strace shows no line for
		 * it. But it may stand for a fatal signal the kernel short-cut
		 * (a thread that was running in user space): show that one. */
		if (t->flags & TF_SIGPEND)
			flush_sigpend(t);
		return 0;
	}
	s = live_session(t);
	if (!s)
		return 0;
	if (info)
		send_signal(t, s, sig, info, true);
	else
		send_signal(t, s, sig, zero.info, false);
	return 0;
}

#define EPROC_SIGSTOP 19 /* the same on every architecture eproc builds for */
#define EPROC_SIGCONT 18

#define TRACE_SIGNAL_DELIVERED 0
#define TRACE_SIGNAL_IGNORED 1
#define TRACE_SIGNAL_LOSE_INFO 4
#define SEND_SIG_PRIV ((struct kernel_siginfo *)1)

/* Signals that never reach signal_deliver as themselves, parked for the
 * target's next syscall exit (or its death, see signal_deliver):
 *  - one the kernel discards because its target ignores it: strace, as a
 *    ptracer, still sees it;
 *  - a fatal one (default action: terminate, no core dump): without a
 *    ptracer the kernel does not deliver it, it marks the group as exiting
 *    with that signal and sends SIGKILL to every thread (complete_signal's
 *    short cut). strace, a ptracer, sees the signal itself. */
SEC("tp_btf/signal_generate")
int BPF_PROG(signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task, int group, int result)
{
	__u32 tgid = task->tgid, tid = task->pid;
	struct sigpend sp = {};
	struct tracee *t;

	if (result == TRACE_SIGNAL_DELIVERED || result == TRACE_SIGNAL_LOSE_INFO) {
		struct signal_struct *sg = task->signal;

		/* The short cut ran: the group exits with this very signal. */
		if (sig == 9 || !(BPF_CORE_READ(sg, flags) & SIGNAL_GROUP_EXIT) ||
		    BPF_CORE_READ(sg, group_exit_code) != sig)
			return 0;
		sp.fatal = 1;
	} else if (result != TRACE_SIGNAL_IGNORED) {
		return 0;
	}
	t = bpf_map_lookup_elem(&traced, &tgid);
	if (!t || thread_hidden(t, tid))
		return 0;
	{
		/* A fatal one parked stays: once only (the SIGKILLs it becomes
		 * are not generated again, but a second fatal signal could be),
		 * and the thread dies of it before it could take any signal
		 * sent after it (timeout(1)'s SIGCONT after its SIGTERM, which
		 * took the SIGTERM's place: the SIGTERM was never shown). */
		struct sigpend *old = bpf_map_lookup_elem(&sigpend, &tid);

		if (old && old->fatal)
			return 0;
	}
	sp.sig = sig;
	if (sig == EPROC_SIGCONT && (BPF_CORE_READ(task, signal, flags) & SIGNAL_STOP_CONTINUED)) {
		/* It continues a stopped group: no syscall exit is near (the
		 * target stopped outside any call). strace sees it as the
		 * target leaves its stop, before anything else the target
		 * does: out now (the target waits for the siglock this
		 * sender holds), after this CPU's batch. */
		sp.fatal = 2;
	}
	if ((unsigned long)info > (unsigned long)SEND_SIG_PRIV) {
		bpf_probe_read_kernel(sp.info, sizeof(sp.info), info);
	} else {
		/* No siginfo given: what the kernel would have made of it. */
		__u64 id = bpf_get_current_pid_tgid();

		*(__s32 *)&sp.info[0] = sig;
		*(__s32 *)&sp.info[8] = info == SEND_SIG_PRIV ? 0x80 : 0; /* SI_KERNEL : SI_USER */
		if (info != SEND_SIG_PRIV) {
			*(__s32 *)&sp.info[16] = id >> 32;
			*(__u32 *)&sp.info[20] = bpf_get_current_uid_gid();
		}
	}
	if (sp.fatal == 2) {
		const struct sess_cfg *s = live_session(t);

		if (s)
			send_signal_of(t, s, (__u64)tgid << 32 | tid, sig, sp.info, false, 0, EMIT_NOW);
		return 0;
	}
	if (bpf_map_update_elem(&sigpend, &tid, &sp, BPF_ANY) == 0) {
		t->flags |= TF_SIGPEND;
		traced_changed();
	}
	return 0;
}

/* ---- KVM exits ---------------------------------------------------------- */

/* Where kvm:kvm_exit keeps its fields: user space reads them from the
 * event's format file at load (these defaults are those of 6.1 to 6.18). */
volatile const __u32 kvm_off_reason = 8;
volatile const __u32 kvm_off_rip = 16;
volatile const __u32 kvm_off_isa = 24;
volatile const __u32 kvm_off_info1 = 32;
volatile const __u32 kvm_off_info2 = 40;
volatile const __u32 kvm_off_vcpu = 56;

#define EPROC_MAX_VMMS 4096
#define EPROC_MAX_KVM_KEYS 16384

/* Exits per (process, ISA, reason), per CPU: kept for every process that
 * runs a guest, traced or not, from its first exit until it exits. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, EPROC_MAX_KVM_KEYS);
	/* Not preallocated: every start of eproc trace made its entries
	 * for every CPU (10 ms), for VMMs it seldom meets. */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct kvm_key);
	__type(value, __u64);
} kvm_counts SEC(".maps");

/* The processes that have entries in kvm_counts, so that a process exit
 * costs one lookup, and a VMM's exit finds its counts to forget. Not
 * preallocated either, as kvm_counts. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, EPROC_MAX_VMMS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u32);
} kvm_vmms SEC(".maps");

/* Exits that found kvm_counts or kvm_vmms full, and so went uncounted. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} kvm_uncounted SEC(".maps");

/* Count one exit of process tgid for reason k. */
static __always_inline void kvm_count(struct kvm_key *k)
{
	__u32 tgid = k->tgid, zero = 0, yes = 1;
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&kvm_counts, k);
	if (!n) {
		/* A new key: its process must be known to kvm_process_exit first. */
		if (bpf_map_update_elem(&kvm_vmms, &tgid, &yes, BPF_NOEXIST) == 0 ||
		    bpf_map_lookup_elem(&kvm_vmms, &tgid)) {
			if (bpf_map_update_elem(&kvm_counts, k, &one, BPF_NOEXIST) == 0)
				return;
			n = bpf_map_lookup_elem(&kvm_counts, k); /* another CPU added it */
		}
		if (!n) {
			n = bpf_map_lookup_elem(&kvm_uncounted, &zero);
			if (!n)
				return;
		}
	}
	(*n)++; /* this CPU's counter: no other writer */
}

/* Count one exit for process id (pid_tgid) and, if that process is traced,
 * send it to its session. ev carries the exit's fields. */
static __always_inline void kvm_account(__u64 id, struct ev_kvm *ev)
{
	struct kvm_key k = { .tgid = id >> 32, .isa = ev->isa, .reason = ev->reason };
	__u32 tgid = k.tgid;
	const struct sess_cfg *s;
	struct tracee *t;

	kvm_count(&k);
	t = bpf_map_lookup_elem(&traced, &tgid);
	if (!t || thread_hidden(t, id))
		return;
	s = live_session(t);
	if (!s)
		return;
	ev->h.type = EV_KVM;
	ev->h.len = sizeof(*ev);
	ev->h.tid = (__u32)id;
	ev->h.tgid = tgid;
	ev->h.cpu = bpf_get_smp_processor_id();
	ev->h.ts = (s->flags & SF_TIME) ? bpf_ktime_get_ns() : 0;
	if (emit(s, t->sid, ev, sizeof(*ev), EMIT_BATCH))
		count_loss(t->sid, false);
}

#define KVM_FIELD(dst, off) bpf_probe_read_kernel(&(dst), sizeof(dst), (void *)ctx + (off))

/* Attached for as long as the engine is open: counting is always on. */
SEC("tracepoint/kvm/kvm_exit")
int kvm_exit(void *ctx)
{
	struct ev_kvm ev = {};

	KVM_FIELD(ev.reason, kvm_off_reason);
	KVM_FIELD(ev.isa, kvm_off_isa);
	KVM_FIELD(ev.vcpu, kvm_off_vcpu);
	KVM_FIELD(ev.rip, kvm_off_rip);
	KVM_FIELD(ev.info1, kvm_off_info1);
	KVM_FIELD(ev.info2, kvm_off_info2);
	kvm_account(bpf_get_current_pid_tgid(), &ev);
	return 0;
}

/* The same accounting, fed by BPF_PROG_TEST_RUN instead of a guest: on a
 * machine without VMX or SVM, tests drive the maps, rings and decoder the
 * tracepoint drives. args: pid_tgid, reason, isa, vcpu, rip, info1, info2. */
SEC("raw_tp")
int kvm_exit_inject(struct bpf_raw_tracepoint_args *ctx)
{
	struct ev_kvm ev = {};

	ev.reason = ctx->args[1];
	ev.isa = ctx->args[2];
	ev.vcpu = ctx->args[3];
	ev.rip = ctx->args[4];
	ev.info1 = ctx->args[5];
	ev.info2 = ctx->args[6];
	kvm_account(ctx->args[0], &ev);
	return 0;
}

static long kvm_forget(void *map, struct kvm_key *k, __u64 *v, __u32 *tgid)
{
	if (k->tgid == *tgid)
		bpf_map_delete_elem(map, k);
	return 0;
}

/* A VMM's counts go with it. Attached with kvm_exit. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(kvm_process_exit, struct task_struct *p)
{
	__u32 tgid = p->tgid;

	if (!bpf_map_lookup_elem(&kvm_vmms, &tgid) || BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	bpf_for_each_map_elem(&kvm_counts, kvm_forget, &tgid, 0);
	bpf_map_delete_elem(&kvm_vmms, &tgid);
	return 0;
}

/* Plan 9's startsyscall and hang (procview's ctl): processes to stop with
 * SIGSTOP, at their next syscall entry (STOP_SYSCALL: once, the entry is
 * taken) or at every exec (STOP_EXEC: until user space removes it, and
 * inherited by the processes they fork, as Plan 9's hang bit is). The key
 * is kind << 32 | tgid; the value the process's start time in clock ticks
 * (/proc/PID/stat's field 22), so that a reused pid is never stopped. The
 * programs below are attached only while some entry is (loader/stop.go),
 * and each first loads its kind's count (stop_count), which is never less than the
 * entries of that kind (user space and stop_fork add before they insert,
 * whoever deletes subtracts after): 0, nothing more. */
#define STOP_SYSCALL 0
#define STOP_EXEC 1


struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u64);
} stops SEC(".maps");

/* The counts, by kind: an array user space maps, to count with atomic
 * instructions as the programs do. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, 1U << 10); /* BPF_F_MMAPABLE */
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __s64);
} stop_count SEC(".maps");

static __always_inline __s64 *stop_armed(__u32 kind)
{
	return bpf_map_lookup_elem(&stop_count, &kind);
}

static __always_inline bool stops_armed(__u32 kind)
{
	__s64 *n = stop_armed(kind);

	return n && *n;
}

static __always_inline void stop_add(__u32 kind, __s64 d)
{
	__s64 *n = stop_armed(kind);

	if (n)
		__sync_fetch_and_add(n, d);
}

static __always_inline __u64 start_ticks(struct task_struct *p)
{
	/* nsec_to_clock_t, as /proc does (USER_HZ 100) */
	return BPF_CORE_READ(p, group_leader, start_boottime) / 10000000;
}

static __always_inline void stop_drop(__u64 *k, __u32 kind)
{
	if (bpf_map_delete_elem(&stops, k) == 0)
		stop_add(kind, -1);
}

/* take_stop: whether process tgid (task p's) has an entry of kind; once:
 * the entry is taken (by one thread only). An entry of a process that had
 * the pid before goes. */
static __always_inline bool take_stop(__u32 tgid, __u32 kind, struct task_struct *p, bool once)
{
	__u64 k = (__u64)kind << 32 | tgid;
	__u64 *st = bpf_map_lookup_elem(&stops, &k);

	if (!st)
		return false;
	if (*st != start_ticks(p)) {
		stop_drop(&k, kind);
		return false;
	}
	if (once) {
		if (bpf_map_delete_elem(&stops, &k))
			return false; /* another thread took it */
		stop_add(kind, -1);
	}
	return true;
}

/* startsyscall: the signal is delivered on the way back to user space, so
 * the process stops once the call returns (a call that sleeps is
 * interrupted by the stop and restarted when the process continues). */
SEC("tp_btf/sys_enter")
int BPF_PROG(stop_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task;
	__u64 k, v;
	__u32 tgid;

	if (!stops_armed(STOP_SYSCALL))
		return 0;
	tgid = bpf_get_current_pid_tgid() >> 32;
	task = bpf_get_current_task_btf();
	if (!take_stop(tgid, STOP_SYSCALL, task, true) || bpf_send_signal(EPROC_SIGSTOP) == 0)
		return 0;
	/* Not sent (the kernel refused): armed again, for the next call. */
	k = (__u64)STOP_SYSCALL << 32 | tgid;
	v = start_ticks(task);
	stop_add(STOP_SYSCALL, 1);
	if (bpf_map_update_elem(&stops, &k, &v, BPF_NOEXIST))
		stop_add(STOP_SYSCALL, -1);
	return 0;
}

/* hang: the exec has succeeded; the signal waits for the return to user
 * space, where the new image would run its first instruction. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(stop_exec, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
	if (!stops_armed(STOP_EXEC))
		return 0;
	if (take_stop(p->tgid, STOP_EXEC, p, false))
		bpf_send_signal(EPROC_SIGSTOP);
	return 0;
}

/* hang is inherited by a forked process (not by a thread: it is the
 * process's already). */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(stop_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ctgid = child->tgid;
	__u64 k, v;

	if (!stops_armed(STOP_EXEC) || ctgid == parent->tgid)
		return 0;
	if (!take_stop(parent->tgid, STOP_EXEC, parent, false))
		return 0;
	k = (__u64)STOP_EXEC << 32 | ctgid;
	v = start_ticks(child);
	stop_drop(&k, STOP_EXEC); /* a process gone had the pid */
	stop_add(STOP_EXEC, 1);
	if (bpf_map_update_elem(&stops, &k, &v, BPF_NOEXIST))
		stop_add(STOP_EXEC, -1);
	return 0;
}

/* A process's entries go with it. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(stop_exit, struct task_struct *p)
{
	__u32 tgid = p->tgid;
	__u64 k;

	if (!(stops_armed(STOP_SYSCALL) || stops_armed(STOP_EXEC)) || BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	k = (__u64)STOP_SYSCALL << 32 | tgid;
	stop_drop(&k, STOP_SYSCALL);
	k = (__u64)STOP_EXEC << 32 | tgid;
	stop_drop(&k, STOP_EXEC);
	return 0;
}
