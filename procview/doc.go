// Package procview serves eproc's sessions as files, in a FUSE file system
// that is a faithful /proc at the same time: every entry of the real /proc
// passes through, and each process directory gains Plan 9's files
// (strace, ctl, note, notepg, status, vmstatus, user, args, namespace,
// file, fds, segment, noteid, text, wait; proc, profile and kregs answer
// EOPNOTSUPP, as do the root's trace and ctl's trace; ctl's core writes an
// ELF core file) and FreeBSD's (map, rlimit, etype, and regs, fpregs and
// dbregs (amd64's debug registers; EOPNOTSUPP elsewhere), with ctl's
// debugging verbs attach, wait, step, run, detach and the signals').
//
// procview owns the view: its nodes (one go-fuse InodeEmbedder per kind of
// file, named by the rootTab and pidTab tables), the identity every file is
// bound to (ident.go), the access checks a root daemon must make for its
// callers (access.go, creds.go, become.go), the control language written to
// ctl, note and notepg (ctl.go; stracecgroup: cgroup.go), and the streams
// that hand each session's text to its readers (stream.go).
//
// It may not touch what lies below it: it never reads raw ring records or
// BPF maps. It asks loader for sessions (start, detach, stats, the traced
// pids and the KVM exit counts) and hands their records to a strace
// decoder, whose text sink writes into the stream's queue (the stream is
// its LineWriter); it reads of a record only its type and process, through
// package loader/wire, to leave its readers' own calls out.
//
// Files: view.go mounts and unmounts; roottab.go is the root (rootTab, with
// Plan 9's trace, EOPNOTSUPP: eproc does not trace scheduling); pidtab.go
// the process directory (pidTab) and what its files share; file_*.go the
// kinds of file it adds; contents.go, contents_p9.go and contents_bsd.go
// what the files made at open time hold; ctl_sched.go Plan 9's scheduling
// and stop commands (startsyscall and hang stop the process with SIGSTOP
// sent by BPF programs, at its next system call, after the call returns,
// and at each exec, before the new image's first instruction: loader's
// StopAtSyscall and HangAtExec); ctl_debug.go FreeBSD's debugging verbs,
// ptrace.go the thread that ptraces a process under attach (every thread
// of it, stopped and let go together; step steps the first only),
// file_regs.go and regs_*.go its registers, the first thread's (dbregs:
// regs_amd64.go); core.go and
// core_*.go ctl's core (the threads seized on a thread of its own, the ELF
// core written); file_wait.go wait (children's exits from taskstats);
// handles.go the open files; pass.go the real /proc, passed through.
package procview
