/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types eproc's programs touch, declared with
 * preserve_access_index so that every field access is a CO-RE relocation
 * resolved against the running kernel's BTF at load time. Layout here does
 * not matter, only names: the same object loads on 6.1 and 6.18, on x86_64
 * and arm64, and the build never depends on the build machine's kernel.
 */
#ifndef EPROC_KERNEL_H
#define EPROC_KERNEL_H

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __le16;
typedef __u16 __be16;
typedef __u32 __le32;
typedef __u32 __be32;
typedef __u64 __le64;
typedef __u64 __be64;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_ARRAY_OF_MAPS = 12,
	BPF_MAP_TYPE_HASH_OF_MAPS = 13,
	BPF_MAP_TYPE_RINGBUF = 27,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_TASK_STORAGE = 29,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
	BPF_F_NO_PREALLOC = 1,
	BPF_RB_NO_WAKEUP = 1,
	BPF_RB_FORCE_WAKEUP = 2,
	BPF_RB_AVAIL_DATA = 0,
	BPF_RB_RING_SIZE = 1,
	BPF_LOCAL_STORAGE_GET_F_CREATE = 1,
};

typedef struct {
	int counter;
} atomic_t;

/* UAPI: an opaque handle the ring reservation helpers fill in. */
struct bpf_dynptr {
	__u64 : 64;
	__u64 : 64;
} __attribute__((aligned(8)));

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
} __attribute__((preserve_access_index));
#elif defined(__TARGET_ARCH_arm64)
struct pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
	__u64 orig_x0;
	__s32 syscallno;
} __attribute__((preserve_access_index));
#else
#error "eproc: unsupported target architecture"
#endif

struct task_struct;

struct signal_struct {
	atomic_t live;
	int group_exit_code;
	unsigned int flags;
	struct task_struct *group_exec_task; /* a thread in execve, killing the others */
} __attribute__((preserve_access_index));

#define SIGNAL_STOP_CONTINUED 0x00000002
#define SIGNAL_GROUP_EXIT 0x00000004

struct qstr {
	const unsigned char *name;
} __attribute__((preserve_access_index));

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
} __attribute__((preserve_access_index));

struct vfsmount {
	struct dentry *mnt_root;
} __attribute__((preserve_access_index));

/* fs/mount.h's: a vfsmount is the mnt member of its mount. */
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
} __attribute__((preserve_access_index));

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
} __attribute__((preserve_access_index));

struct inode {
	unsigned short i_mode;
	unsigned long i_ino;
} __attribute__((preserve_access_index));

struct file {
	struct path f_path;
	struct inode *f_inode;
	void *private_data;
} __attribute__((preserve_access_index));

/* A socket's file's private_data, and its sock's address family. */
struct sock_common {
	unsigned short skc_family;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

struct socket {
	struct sock *sk;
} __attribute__((preserve_access_index));

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
} __attribute__((preserve_access_index));

struct files_struct {
	struct fdtable *fdt;
} __attribute__((preserve_access_index));

struct mm_struct {
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long start_code;
	struct file *exe_file;
} __attribute__((preserve_access_index));

typedef struct {
	unsigned long sig[1];
} sigset_t;

#define PF_EXITING 0x00000004

struct sigpending {
	sigset_t signal;
} __attribute__((preserve_access_index));

typedef struct {
	unsigned int val;
} kuid_t;

typedef struct {
	unsigned int val;
} kgid_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t suid;
	kgid_t sgid;
	kuid_t euid;
	kgid_t egid;
} __attribute__((preserve_access_index));

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct pid_namespace {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct upid {
	int nr;
	struct pid_namespace *ns;
} __attribute__((preserve_access_index));

/* numbers[] has level + 1 entries: the ids in each namespace from the
 * initial one down to the task's own. */
struct pid {
	unsigned int level;
	struct upid numbers[1];
} __attribute__((preserve_access_index));

struct thread_info {
	__u32 cpu;
} __attribute__((preserve_access_index));

/* A CPU's run queue: its clock (sched_clock, the same on every CPU) and
 * its clock_task (the clock less the CPU's steal and interrupt time, its
 * own on each CPU). run_mark reads both. */
struct rq {
	__u64 clock;
	__u64 clock_task;
} __attribute__((preserve_access_index));

/* A group's share of a run queue; rq only with CONFIG_FAIR_GROUP_SCHED. */
struct cfs_rq {
	struct rq *rq;
} __attribute__((preserve_access_index));

/* The scheduler's accounting of a thread's time on the CPU (run_mark). */
struct sched_entity {
	__u64 exec_start;
	__u64 sum_exec_runtime;
	struct cfs_rq *cfs_rq;
} __attribute__((preserve_access_index));

struct task_struct {
	struct thread_info thread_info;
	struct sched_entity se;
	struct pid *thread_pid;
	const struct cred *real_cred;
	sigset_t blocked;
	struct sigpending pending;
	int pid;
	int tgid;
	int exit_code;
	unsigned int flags;
	unsigned long jobctl;
	struct signal_struct *signal;
	struct mm_struct *mm;
	struct files_struct *files;
	struct task_struct *group_leader;
	__u64 start_boottime;
} __attribute__((preserve_access_index));

struct linux_binprm {
	unsigned int have_execfd: 1;
	unsigned int execfd_creds: 1;
	unsigned int secureexec: 1;
	int argc;
	int envc;
	const char *filename;
	const char *interp; /* filename, unless an interpreter runs the program */
} __attribute__((preserve_access_index));

struct kernel_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
} __attribute__((preserve_access_index));

struct k_sigaction;

struct bpf_raw_tracepoint_args {
	__u64 args[0];
};

#endif
