/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between eproc's BPF programs and its Go side: the records
 * that travel through a session's ring buffer, and the tables user space
 * fills to steer the programs. bpf2go exports each type to loader/ (see
 * gen.go); strace/ decodes the records byte for byte, so any change here is
 * a change of wire format: bump EPROC_ABI.
 */
#ifndef EPROC_H
#define EPROC_H

#define EPROC_ABI 16

#define EPROC_MAX_SESSIONS 1024 /* session slots */
#define EPROC_MAX_TRACED 65536  /* traced processes, all sessions */
#define EPROC_MAX_CGROUPS 256   /* traced cgroups, all sessions */
#define EPROC_CGROUP_LEVELS 32  /* a traced cgroup's depth below the root is less */
#define EPROC_MAX_SYSCALLS 1024 /* syscall numbers with a capture plan */
#define EPROC_ENTRY_CAPS 2 /* CW_ENTRY captures per plan */
#define EPROC_PAGE 4096 /* the smallest page: a partial read stops at its boundaries */
#define EPROC_NCAPS 6           /* capture specs per syscall */
#define EPROC_SCRATCH 16384     /* a record never exceeds this */
#define EPROC_MAX_CAP 8191      /* one capture never exceeds this */
#define EPROC_PATH_MAX 4096
#define EPROC_STRV_MAX 64       /* argv elements captured (strace prints -s of them, all with -v) */
#define EPROC_IOV_MAX 32        /* iovec elements captured: as many as strace prints */
#define EPROC_ITEMS_MAX 32      /* CK_DEREF_ITEMS elements followed: as many as strace prints */
#define EPROC_STACK 12288       /* user stack bytes an EV_STACK copies at most, from sp */

/* Record types. */
enum ev_type {
	EV_SYSCALL = 1, /* a syscall that returned: entry args, result, captures */
	EV_ENTER = 2,   /* a syscall that blocked or never returns: entry args, input captures */
	EV_SIGNAL = 3,  /* a signal delivered to a traced thread */
	EV_EXIT = 4,    /* a traced thread exited */
	EV_FORK = 5,    /* a traced thread created a thread or process that joined the session */
	EV_EXEC = 6,    /* a traced process replaced its image: filename and argv as the kernel saw them */
	EV_MARK = 7,    /* text written into the stream by user space */
	EV_KVM = 8,     /* a vCPU of a traced process left its guest (kvm:kvm_exit) */
	EV_DROPS = 9,   /* records this CPU lost to a full ring since its last record */
	EV_ARGVALS = 10, /* values a call was given (CW_ENTRY), before its EV_SYSCALL */
	EV_ATTRMEM = 11, /* what bpf's attr points to, read as the call entered, before its EV_SYSCALL */
	EV_STACK = 12,  /* -k: the user registers and stack top of a call, after its EV_SYSCALL */
	EV_MAP = 13,    /* -k: code a traced process mapped or unmapped, or the program it exec'd */
};

struct ev_hdr {
	__u16 type; /* enum ev_type */
	__u16 len;  /* whole record in bytes, header included */
	__u32 tid;
	__u32 tgid;
	__u32 cpu;
	__u64 ts; /* CLOCK_MONOTONIC ns; for syscalls the entry time */
};

/* EV_SYSCALL and EV_ENTER; followed by ncaps captures. */
struct ev_syscall {
	struct ev_hdr h;
	__u64 exit_ts; /* 0 in EV_ENTER */
	__s64 ret;
	__u64 args[6];
	__u32 nr;
	__u16 ncaps;
	__u16 flags; /* EVF_* */
};

/* ev_syscall.flags */
enum {
	/* The record ends in a __u64 after its captures: the ns the call
	 * spent off the CPU (SF_CPUTIME). */
	EVF_OFFCPU = 1,
	/* The record ends (before the off-CPU time, if any) in two __u64:
	 * the user instruction pointer at the call's entry (at its exit when
	 * its entry was not seen) and at its exit (SF_IP). */
	EVF_IP = 2,
};

/* Capture flags. */
enum {
	CAPF_FAULT = 1, /* the memory could not be read: print the address */
	CAPF_TRUNC = 2, /* there was more than was captured */
	CAPF_PART = 4,  /* with CAPF_FAULT: the bytes before the first page that could not be read;
			 * alone on CK_PCOUNT: the count up to where the array could not be read */
	/* With CAPF_FAULT, no bytes: a struct cap_want instead. A page the
	 * task never touched is not mapped yet, and a BPF read cannot fault it
	 * in (write(fd, "literal", n) to /dev/null, or with a bad fd: the
	 * kernel never read it either); strace's read at the exit does.
	 * User space reads it then (the decoder, process_vm_readv). */
	CAPF_WANT = 8,
};

struct cap_want {
	__u32 size; /* bytes wanted (CK_STR: at most size-1 characters and the NUL) */
	__u32 kind; /* CK_MEM or CK_STR; CK_STR | WANT_SHOWN: a string shown cut at -s;
		     * | WANT_CROSS: its first byte was readable */
	__u64 ptr;  /* where */
};

#define WANT_SHOWN 256
/* A string whose first byte the program could read: its read failed past
 * the first page, which held no NUL (a string running into a page not
 * there, or not mapped: the end of a buffer before a guard page). A NUL
 * user space finds there later was written since (strace/refetch.go). */
#define WANT_CROSS 512
/* CK_MEM: size is one byte more than the capture keeps (PUT_PROBE). */
#define WANT_PROBE 1024

/* put_mem's size, bit 32: the buffer is longer than the capture (TRUNC);
 * bit 33 (PUT_PROBE), with it: read one byte past what is kept, as
 * strace's printstr does for a buffer longer than -s (it reads -s + 1
 * bytes): a buffer that cannot be read that far prints as its address. */
#define PUT_TRUNC (1ULL << 32)
#define PUT_PROBE (1ULL << 33)

/* A captured argument: header, then len bytes, padded to 8. */
struct ev_cap {
	__u8 arg;   /* argument index */
	__u8 flags; /* CAPF_* */
	__u16 idx;  /* element index for array captures (argv, iov) */
	__u32 len;  /* bytes that follow, before padding */
};

struct ev_signal {
	struct ev_hdr h;
	__s32 sig;
	__u32 flags;   /* SIGF_* */
	__u8 info[48]; /* struct kernel_siginfo as the kernel has it */
	__u64 ip;      /* with SIGF_IP: the user instruction pointer the signal found */
};

/* ev_signal.flags */
enum {
	/* The thread stopped (group stop) by signal sig, outside any call;
	 * no siginfo. strace: "--- stopped by SIGSTOP ---". */
	SIGF_STOPPED = 1,
	/* ip is set (SF_IP, and the record made in the thread's own context). */
	SIGF_IP = 2,
};

enum {
	EXIT_THREAD = 0,   /* a thread ended; its process goes on */
	EXIT_GROUP = 1,    /* the process ended */
	EXIT_DETACHED = 2, /* the process left the session (a setuid execve) */
	EXIT_SUPERSEDED = 3, /* a leader ended by another thread's execve; code: that thread's id */
};

struct ev_exit {
	struct ev_hdr h;
	__s32 code; /* wait status as the kernel stores it: exit<<8 or signal|0x80;
		     * EXIT_SUPERSEDED: the id of the thread that exec'd */
	__u32 group_dead; /* EXIT_* */
	__u64 start;      /* the process's start time in clock ticks since boot (/proc/PID/stat's 22nd field) */
	/* Who it was, for its record after it is gone: its command name and
	 * real, effective and saved ids (EXIT_GROUP only). */
	char comm[16];
	__u32 uid[3];
	__u32 gid[3];
};

struct ev_fork {
	struct ev_hdr h; /* tid/tgid: the parent */
	__u32 child_tid;
	__u32 child_tgid;
	__u32 thread; /* 1: a thread of the parent's process */
	/* The child's pid namespace as it is born, for --decode-pids=pidns
	 * (a child that has ended before its records are decoded has no
	 * /proc entry to read it from): its depth (0: the initial one), its
	 * inode and the child's ids there. */
	__u32 ns_level;
	__u32 ns_inum;
	__u32 ns_tid;
	__u32 ns_tgid;
	/* Its id in the namespace's parent (level - 1; 0 at level 0): a
	 * tracer there (eproc mount's client, unshare -p) prints it. */
	__u32 ns_ptid;
};

/* EV_EXEC; followed by captures: arg 0 the filename, arg 1 the argv area
 * (the new program's: an interpreter's, binfmt_script's or binfmt_misc's,
 * stands in front of what the call was given, whose argv[0] is gone), arg 2
 * the environment's (-v), arg 3 an interpreted program's original argv[0]
 * (orig_argc >= 0). */
struct ev_exec {
	struct ev_hdr h;
	__s32 argc;
	__s32 envc;
	__u32 old_tid;
	__u16 ncaps;
	__u16 pad;
	/* An interpreted program's: the argc its execve was given (the argv
	 * area's last orig_argc - 1 strings are its argv[1...]); -1: not
	 * interpreted, or not known. */
	__s32 orig_argc;
	__u32 pad2;
};

/* EV_STACK (strace -k): a returned call's user registers and the top of
 * its thread's stack, len bytes from sp, for user space to unwind with the
 * binaries' .eh_frame: Debian's libc has no frame pointers, so the
 * kernel's own user stack walk (bpf_get_stack's BPF_F_USER_STACK) stops
 * after the first frame. Sent by stack_exit, after the call's EV_SYSCALL
 * of the same thread and number, and by stack_signal after an EV_SIGNAL. */
#define STACK_SIGNAL 65536 /* ev_stack.nr: a signal's stack (stack_signal), | the signal */

struct ev_stack {
	struct ev_hdr h;
	__u32 nr; /* the call's number, or STACK_SIGNAL | the signal delivered */
	__u32 len; /* stack bytes that follow, from sp: up to EPROC_STACK, less where the stack's mapping ends */
	__u64 ip;
	__u64 sp;
	__u64 fp; /* x86 rbp, arm64 x29 */
};

/* EV_MAP (strace -k): how a traced process's code moved, for user space
 * to name the frames of its stacks without /proc/PID/maps, which is gone
 * once the process is (a short command has ended before its records are
 * read). Sent by stack_exit after the call's own record, whatever the
 * session's filter: a successful mmap of a file with PROT_EXEC, a munmap,
 * a successful execve. Followed by plen bytes: the file's path, its
 * components last first, each NUL-terminated (the walk from the dentry up
 * to the root, across mounts); a component cut at 255 bytes, or a walk
 * deeper than EPROC_PATH_DEPTH, sets MAPF_CUT. */
enum {
	MAPK_MMAP = 1,  /* addr, len, off: the mapping */
	MAPK_UNMAP = 2, /* addr, len: what went */
	MAPK_EXEC = 3,  /* addr: mm->start_code; len: the entry the thread starts at (the interpreter's, or the program's); path: the program */
};

#define MAPF_CUT 1
#define EPROC_PATH_DEPTH 16 /* path components an EV_MAP walks up at most */

struct ev_map {
	struct ev_hdr h;
	__u16 kind;  /* MAPK_* */
	__u16 flags; /* MAPF_* */
	__u32 plen;
	__u64 addr;
	__u64 len;
	__u64 off;
};

/* EV_DROPS: how many of the session's records this CPU could not put in the
 * ring since the last one it did; it comes just before the next record the
 * CPU puts there (its header is that record's), so a reader learns of a loss
 * where it happened in the stream. */
struct ev_drops {
	struct ev_hdr h;
	__u64 calls; /* syscall records (the calls are lost) */
	__u64 other; /* other records: announcements, signals, exits, forks */
};

/* EV_KVM: the fields of kvm:kvm_exit. */
enum {
	KVM_ISA_VMX = 1,
	KVM_ISA_SVM = 2,
};

struct ev_kvm {
	struct ev_hdr h;
	__u32 reason; /* exit code as the ISA gives it (VMX: basic reason | flags) */
	__u32 isa;    /* KVM_ISA_* */
	__u32 vcpu;
	__u32 pad;
	__u64 rip; /* guest RIP */
	__u64 info1;
	__u64 info2;
};

/* kvm_counts: exits per (VMM process, ISA, reason), per CPU, kept for every
 * process that runs a guest, traced or not, until it exits. */
struct kvm_key {
	__u32 tgid;
	__u32 isa;
	__u32 reason;
	__u32 pad;
};

/* traced: tgid -> membership. */
enum {
	TF_INHERIT = 1,  /* children join the session at fork */
	TF_SPAWNER = 2,  /* eproc itself while spawning: not traced, its children join */
	TF_WAITEXEC = 4, /* traced from its next execve on */
	TF_SIGPEND = 8,  /* an ignored signal waits in sigpend for a thread's syscall exit */
	TF_ONE_THREAD = 16, /* only thread tid is shown (strace without -f: the thread it started or attached) */
};

struct tracee {
	__u32 sid;
	__u32 gen;
	__u32 flags; /* TF_* */
	__u32 sigshown; /* the ignored signal sys_exit just told of (flush_sigpend), for stack_exit (-k); 0: none */
	__u32 tid;      /* with TF_ONE_THREAD, the thread shown */
};

/* cgroups: cgroup v2 id (its directory's inode number) -> the entry a
 * process that runs in it, or below it, gets in `traced` when it is not
 * traced yet (see cgroup_join). */

/* held_exits: an exit record that found its session's ring full, kept
 * aside until the session's reader takes it when the session ends: a
 * process's end is never lost. */
struct held_key {
	__u32 sid;
	__u32 gen;
	__u32 tid;
	__u32 pad;
};

/* sessions: sid -> configuration, written by user space only. */
enum {
	SF_TIME = 1,    /* timestamp records (-t, -T, -c) */
	SF_LATENCY = 2, /* entry times too (-T, -c): sys_enter is attached */
	SF_UNPRIV = 4,  /* the owner may not trace setuid/setgid/file-capability programs */
	/* strace -z / -Z: a returned call with the other result makes no
	 * record (execve's always does: later lines depend on it). */
	SF_OKONLY = 8,    /* only calls that succeeded */
	SF_FAILONLY = 16, /* only calls that failed (-1 ERRNO) */
	SF_STACK = 32,    /* -k: an EV_STACK after each returned call (stack_exit is attached) */
	/* -v (or -e abbrev= without execve): EV_EXEC has the environment's
	 * strings. A call's own plan case for -v is sess_cfg.whole's. */
	SF_WHOLE = 64,
	/* strace -c without -w: a returned call's record carries its time
	 * off the CPU (EVF_OFFCPU), so its CPU time is known. With SF_LATENCY. */
	SF_CPUTIME = 128,
	/* strace -i: records carry the user instruction pointer (EVF_IP,
	 * SIGF_IP); sys_enter is attached for the entry's. */
	SF_IP = 256,
};

struct sess_cfg {
	__u32 gen;        /* bumped each time the slot is reused */
	__u32 strsize;    /* strace -s */
	__u32 wake_every; /* wake the reader every this many records per CPU; 0: the session records (rec_*) */
	__u32 flags;      /* SF_* */
	/* strace -e read=SET, -e write=SET: bit k (k < 63) is descriptor k,
	 * bit 63 any descriptor from 63 on that the set holds. A call on such
	 * a descriptor by a PF_DUMPR (PF_DUMPW) call captures its data whole,
	 * up to EPROC_MAX_CAP - 2 bytes, for strace's hex dump; otherwise
	 * strsize bytes. */
	__u64 dump_read;
	__u64 dump_write;
	__u64 filter[EPROC_MAX_SYSCALLS / 64]; /* bit set: the syscall's records are wanted */
	__u64 whole[EPROC_MAX_SYSCALLS / 64];  /* bit set: the syscall's PF_WHOLE case (-v) */
};

/* The flight recorder (ctl record). A recording session's records go to an
 * array of fixed-size slots used as a circular buffer, the oldest
 * overwritten, instead of its ring; a record takes as many consecutive
 * slots as it needs. A slot's seq is its position + 1 once written, 0 while
 * it is being written: a reader takes a record only when every slot of it
 * has the seq its position says. */
#define EPROC_REC_SLOT 256
#define EPROC_REC_DATA (EPROC_REC_SLOT - 16)

struct rec_slot {
	__u64 seq;
	__u16 len;   /* bytes of the record in this slot */
	__u16 part;  /* 0: the record's first slot; k: its k-th continuation */
	__u16 parts; /* slots the record takes */
	__u16 pad;
	__u8 data[EPROC_REC_DATA];
};

/* rec_meta: per session, its recorder's positions and counters. */
struct rec_meta {
	__u64 head;    /* slots taken so far */
	__u64 records; /* records written */
	__u64 calls;   /* syscall records among them */
	__u32 nslots;  /* a power of two; 0: the session has no recorder */
	__u32 pad;
};

/* stats: per CPU, per session. */
struct sess_stats {
	__u64 seen;    /* syscalls entered */
	__u64 dropped; /* syscall records lost to a full ring */
	__u64 lost;    /* other records lost to a full ring */
	__u64 since_wake; /* records since this CPU last woke the reader */
	__u64 unrep_calls; /* dropped, not yet reported by an EV_DROPS record */
	__u64 unrep_other; /* lost, likewise */
};

/* Capture kinds. */
enum {
	CK_NONE = 0,
	CK_STR = 1,    /* NUL-terminated string; max 0 means strsize+2 (one more than shown) */
	CK_MEM = 2,    /* bytes, size from size_from */
	CK_IOV = 3,    /* struct iovec array (count from size_arg) and each element's data */
	CK_STRV = 4,   /* NULL-terminated array of strings (argv), each as CK_STR max 0 */
	CK_PCOUNT = 5, /* count of a NULL-terminated pointer array (envp): a __u32 */
	CK_DENTS = 6,  /* count of the directory entries in the ret bytes returned
			* (getdents, getdents64): a __u32; elem is the entries'
			* header size (offsetof d_name). CAPF_TRUNC: bytes were left
			* uncounted (strace's "N+ entries") */
	CK_MSGHDR = 7, /* struct msghdr and what it points to (MSG_*); SZ_RET: the
			* iovecs' data is bounded by ret, else by nothing */
	CK_DEREF = 9,  /* what a pointer in the struct at arg points to: count
			* elem-byte elements (see struct capspec), at most max
			* bytes (0: strsize + 1 elements), element DEREF_IDX |
			* ptr_off of the argument's captures */
	CK_MMSG = 8,   /* struct mmsghdr vector, size_arg's count of them (SZ_RET:
			* ret's, each message's data bounded by its msg_len),
			* message j's captures as CK_MSGHDR's at j << MSG_SHIFT */
	CK_FDINO = 10, /* what the descriptors a call made are, from the task's
			* file table (a process that ends at once leaves no
			* /proc/PID/fd to read): a struct fd_ino each, element
			* FDINO_IDX of arg; SZ_RET: the descriptor is ret, else
			* the two ints at arg (pipe's, socketpair's) */
	CK_DEREF_ITEMS = 11, /* what each element of a CK_DEREF array points to
			* (the pointer two levels down): the array as CK_DEREF's
			* (ptr_off, cnt_off, cnt_size; elem: an element's bytes,
			* at most 255), and in its element j (of the first
			* EPROC_ITEMS_MAX) the pointer at item_ptr and the
			* item_len_size-byte length at item_len: that many bytes,
			* at most max (0: strsize + 1), as element
			* DEREF_ITEM_IDX + j: empty where the pointer or the
			* length is 0; the walk ends at an element it cannot read */
};

#define FDINO_IDX 32765 /* 0x7ffd: a CK_FDINO capture */

/* CK_FDINO's data, per descriptor. */
struct fd_ino {
	__u64 ino;     /* its inode's number; 0: no such descriptor */
	__u32 mode;    /* its inode's i_mode */
	__u32 pad;
	char name[16]; /* a socket's dentry name: its protocol (system.sockprotoname), cut at 15 bytes; else "" */
};

/* CK_MSGHDR's captures: element indexes (| j << MSG_SHIFT for message j
 * of CK_MMSG). The iovec array is MSG_IOV, element i's data MSG_IOV + 1 + i. */
enum {
	MSG_HDR = 0,     /* the struct (56 bytes; CK_MMSG: 64, with msg_len) */
	MSG_NAME = 1,    /* msg_name, msg_namelen bytes (at most 128) */
	MSG_CONTROL = 2, /* msg_control, msg_controllen bytes (at most EPROC_CMSG_MAX) */
	MSG_IOV = 3,
	MSG_SHIFT = 6,
};

#define DEREF_IDX 28672    /* 0x7000: | ptr_off, a CK_DEREF capture */
#define DEREF_ITEM_IDX 28928 /* 0x7100: + j, what element j of a CK_DEREF_ITEMS array points to */
#define ENTRY_IDX 32767    /* 0x7fff: an element holding a value as the call entered */
#define MMSG_INLENS 32766  /* 0x7ffe: recvmmsg's argument 1: each message's msg_namelen as it entered (__u32s) */
#define EPROC_CMSG_MAX 2048 /* control bytes a msghdr capture reads at most */
#define EPROC_MMSG_MAX 32   /* messages of a CK_MMSG vector captured: as many as strace prints */

#define EPROC_DENTS_MAX 16384 /* directory entries CK_DENTS counts at most */

/* Where a capture's size comes from. */
enum {
	SZ_CONST = 0,  /* elem bytes */
	SZ_ARG = 1,    /* args[size_arg] * elem */
	SZ_RET = 2,    /* ret * elem */
	SZ_ARGPTR = 3, /* *(__u32 *)args[size_arg] * elem, read at capture time */
	SZ_STRSIZE = 4,
	SZ_IOC = 5,    /* _IOC_SIZE(args[size_arg]) bytes: an ioctl request's size bits */
	SZ_ARG32 = 6,  /* (__u32)args[size_arg] * elem: an int count, upper bits ignored as the kernel does */
};

/* When a capture is taken. */
enum {
	CW_IN = 1,  /* an input: also in EV_ENTER records */
	CW_OK = 2,  /* only when the call succeeded (ret >= 0) */
	CW_ENTRY = 4, /* read as the call enters (its syscalls:sys_enter_* tracepoint,
		       * attached for plans with PF_ENTRY): the
		       * value the call was given, which it may overwrite (strace's
		       * [in => out]), in an EV_ARGVALS record before the call's.
		       * CK_MEM of elem <= 8 bytes, at most EPROC_ENTRY_CAPS per
		       * plan, in the base plan (not a case); the kernel's plan
		       * holds them in entry_arg/entry_size. */
	CW_NETLINK = 8, /* max is for a netlink socket's buffers: it holds when
			 * the call's descriptor (args[0]) is an AF_NETLINK
			 * socket (or strsize, if larger); else the session's
			 * strsize, as for max 0; a CK_MEM CW_OK capture on a
			 * netlink socket, at most ret bytes. CK_MEM, CK_IOV,
			 * CK_MSGHDR, CK_MMSG. The socket is looked up for these captures
			 * only: any other pays a flag test. */
};


/* The subplans key (nr, WHOLE_SEL) of a PF_WHOLE plan's case. */
#define WHOLE_SEL 4294967295U /* ~0U: no request or command selects it */

struct capspec {
	__u8 kind;
	__u8 arg;
	__u8 size_from;
	__u8 size_arg;
	__u16 elem;
	__u16 max; /* bytes; 0: the session's strsize */
	__u8 when;
	/* CK_DEREF: the pointer's offset in the struct at arg, and the count's
	 * offset and width (0: the count is args[size_arg] with SZ_ARG, as
	 * many as max allows with SZ_STRSIZE, 1 with SZ_CONST). CK_MEM:
	 * ptr_off is the capture's element index (0 mostly). */
	__u8 ptr_off;
	__u8 cnt_off;
	__u8 cnt_size;
	/* CK_DEREF_ITEMS: in an element of the array, the pointer's offset,
	 * and its length's offset and width (1-8 bytes). */
	__u8 item_ptr;
	__u8 item_len;
	__u8 item_len_size;
	__u8 pad;
};

/* plans: syscall nr -> what to capture. */
enum {
	PF_NORETURN = 1, /* exit, exit_group: the entry is the record */
	PF_EXEC = 2,     /* execve, execveat: a successful call's captures come from EV_EXEC */
	PF_SELECT = 4,   /* a case in subplans may replace the caps: see struct plan */
	PF_ENTRY = 8,    /* a cap is CW_ENTRY */
	/* strace's dumpio() calls: args[0] is a descriptor, and with it in
	 * the session's dump_read (dump_write) the call's captures take
	 * EPROC_MAX_CAP - 2 for strsize. */
	PF_DUMPR = 16,
	PF_DUMPW = 32,
	PF_WHOLE = 64, /* a case WHOLE_SEL for sessions with the call in sess_cfg.whole
			* (what strace prints of its structures unabbreviated:
			* getdents' entries, execve's environment); never with
			* PF_SELECT */
};

/* With PF_SELECT, the call's (args[sel_arg] >> sel_shift) & sel_mask picks
 * a plan from subplans (ioctl's request, fcntl's and prctl's command...), as
 * strace picks a decoder; a value without a case keeps this plan. */
struct plan {
	struct capspec caps[EPROC_NCAPS];
	__u32 flags; /* PF_* */
	__u8 sel_arg;
	__u8 sel_shift;
	__u16 pad;
	__u32 sel_mask;
	/* CW_ENTRY captures (PF_ENTRY): argument (low 4 bits; high 4: the
	 * 8-byte words past the address it holds to read at) and bytes (0:
	 * none). Not
	 * in caps, so that the exit's capture loop never meets them. */
	__u8 entry_arg[EPROC_ENTRY_CAPS];
	__u8 entry_size[EPROC_ENTRY_CAPS];
};

struct subkey {
	__u32 nr;
	__u32 sel;
};

#define EPROC_MAX_SUBPLANS 4096

/* entry_ts: per traced thread, when its call began (task storage). */
struct call {
	__u64 ts;
	__u32 nr;
	__u32 pad;
	__u64 run; /* run_mark() as it first left the CPU in the call */
	__u64 ip;  /* the user instruction pointer at the entry (-i) */
};

/* execorig: per thread, what an interpreted program's execve was given,
 * read while the calling program's memory is still in (sched_prepare_exec;
 * on older kernels, the syscall's entry, for every execve): the count of
 * its argv, and its argv[0] (len bytes, cut at EPROC_ARGV0_MAX - 1). */
#define EPROC_ARGV0_MAX 256
#define EPROC_ARGC_WALK (1 << 17) /* argv's pointers looked at, 8 at a time */

struct execorig {
	__s32 argc; /* -1: its end not found */
	__u16 len;
	__u8 trunc; /* argv[0] is longer than len */
	__u8 pad;
	char argv0[EPROC_ARGV0_MAX];
};

/* execargs: per thread, execve's arguments from its entry. */
struct execargs {
	__u64 args[6];
	__u64 nr; /* the call's number at entry: a successful execveat reads as execve at its exit */
};

/* EV_ARGVALS: the values a call was given, read as it entered (its plan's
 * CW_ENTRY captures), for the call's EV_SYSCALL record of the same thread
 * and number, which comes after it. */
struct ev_argvals {
	struct ev_hdr h;
	__u32 nr;
	__u8 n;     /* values */
	__u8 fault; /* bit k: value k could not be read */
	__u8 arg[EPROC_ENTRY_CAPS]; /* argument | bytes << 4 */
	__u64 data[EPROC_ENTRY_CAPS];
};

/* EV_ATTRMEM: an ev_syscall (exit_ts and ret 0) whose captures are the
 * memory bpf(2)'s attr points to (the license, paths, instructions, log
 * of the command), read as the call entered, as strace reads them: each
 * is argument 1's, element ATTRMEM_IDX | the pointer's offset in the
 * attr (kprobe_multi's symbols: ATTRMEM_IDX | ATTRMEM_ELEM | i). The
 * bytes read by a string's rule end with its NUL when one was read; an
 * array that runs into a page that cannot be read keeps the bytes before
 * it (CAPF_FAULT | CAPF_PART). Made by entry_capture, which only bpf's plan sends it; sys_exit
 * follows no pointer. */
#define ATTRMEM_IDX 16384 /* 0x4000 */
#define ATTRMEM_ELEM 4096 /* | i: the string of element i of the array at offset 24 */
#define ATTRMEM_EXIT 8192 /* | 8: BPF_OBJ_GET_INFO_BY_FD's info struct, read at the call's exit
			   * (sys_exit's bpf_info_exit; its record has exit_ts 1);
			   * | 56: a program's map_ids then; | 16: BPF_PROG_QUERY's prog_ids */
#define ATTRMEM_OFF_MAX 8176 /* where a capture may start */
#define ATTRMEM_BUF (8192 + 16 + 8192 + 64) /* bounds the verifier can check; the last 64: the attr's words */
#define ATTRMEM_WORDS 6 /* the attr's first words attr_mem reads */

/* Batches (batch_hdrs, batch_bufs; per CPU). A CPU gathers the records it
 * makes for a session and puts them in the session's ring as one ring
 * record, records back to back (each h.len long, padded to 8): a ring
 * reservation costs a spin lock, a header and a commit, ~90 ns a record
 * on an Intel Xeon here, which a batch pays once per ~30 records. A batch
 * goes out when it reaches EPROC_BATCH bytes, before a record that must
 * go out at once (a process's end, a fork), before a record of another session,
 * when a task blocks (leaves the CPU's run queue: it may wake anywhere),
 * when a task that left the CPU runnable (preempted, sched_yield) moves to
 * another CPU (sched_migrate_task takes what the batch holds then, from
 * whichever CPU moves it: batch_take, claim), so that a thread's records
 * are in the ring before it runs on another CPU (each thread's order
 * holds), and when user space runs flush_batch on the CPU (a thread that
 * made calls and then ran on without switching; the loader looks every
 * few milliseconds, and before a session's last pass). */
#define EPROC_BATCH 4096      /* a batch this full goes out */
#define EPROC_BATCH_BUF 32768 /* a batch under EPROC_BATCH plus a record under EPROC_SCRATCH */

struct batch_hdr {
	__u32 len;   /* bytes in the CPU's batch_bufs entry */
	__u32 sid;   /* whose records they are */
	__u32 gen;   /* that session's generation: a reused slot does not get them */
	__u32 busy;  /* this CPU is changing the batch: a program that interrupts it (in an interrupt) keeps off */
	__u32 calls; /* syscall records in the batch (lost with it: dropped calls) */
	__u32 other; /* other records */
	__u32 wake;  /* wake the reader when the batch goes out */
	__u32 pad;
	__u64 left;  /* bit (tid & 63) of each task that left the CPU runnable since the batch began */
	/* The batch's number (+1 each time one goes out) << 32 | the bytes
	 * another CPU put out (batch_take), or CLAIM_CLOSED: going out. */
	__u64 claim;
};

#define CLAIM_CLOSED 0xffffffffULL

#endif
