package loader

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// Cgroup tracing: a session may trace cgroup v2 directories. The programs
// decide membership in the kernel: a process that is not traced and makes a
// syscall (or forks, or execs) while it runs in such a cgroup, or in one
// below it, joins the session then (bpf/eproc.c, cgroup_join), with -f's
// inheritance. Processes already in the cgroup join at their next call.
// Once a member, a process stays one until it exits, wherever it moves, and
// the children it forks join when forked, as under strace -f.

// ErrNotCgroup2 is a directory that is not a cgroup on a cgroup2 file
// system.
var ErrNotCgroup2 = errors.New("not a cgroup v2 directory")

// Cgroup is a cgroup v2 directory as the programs know it.
type Cgroup struct {
	Dir   string // as given
	ID    uint64 // the cgroup's id: its directory's inode number
	Level int    // its depth below the hierarchy's root (the root: 0)
}

// cgroupRule is a traced cgroup: its session and level.
type cgroupRule struct {
	s     *Session
	level int
}

// ResolveCgroup finds the cgroup v2 directory dir's id and level. A dir
// that is not a directory on a cgroup2 mount is ErrNotCgroup2. Levels are
// counted from the hierarchy's root as the mount table shows it: eproc is
// expected in the initial cgroup namespace, as the kernel counts them.
func ResolveCgroup(dir string) (Cgroup, error) {
	cg := Cgroup{Dir: dir}
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return cg, fmt.Errorf("cgroup %s: %w", dir, err)
	}
	var fs unix.Statfs_t
	if err := unix.Statfs(abs, &fs); err != nil {
		return cg, fmt.Errorf("cgroup %s: %w", dir, err)
	}
	var st unix.Stat_t
	if err := unix.Stat(abs, &st); err != nil {
		return cg, fmt.Errorf("cgroup %s: %w", dir, err)
	}
	if fs.Type != unix.CGROUP2_SUPER_MAGIC || st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return cg, fmt.Errorf("cgroup %s: %w", dir, ErrNotCgroup2)
	}
	cg.ID = st.Ino
	mnt, root, err := cgroup2Mount(abs)
	if err != nil {
		return cg, fmt.Errorf("cgroup %s: %w", dir, err)
	}
	rel, err := filepath.Rel(mnt, abs)
	if err != nil {
		return cg, fmt.Errorf("cgroup %s: %w", dir, err)
	}
	cg.Level = depth(root) + depth(rel)
	if cg.Level >= CgroupLevels {
		return cg, fmt.Errorf("cgroup %s: %d levels deep, at most %d: %w", dir, cg.Level, CgroupLevels-1, unix.EINVAL)
	}
	return cg, nil
}

// depth counts a relative or absolute path's components ("/" and ".": 0).
func depth(p string) int {
	n := 0
	for _, c := range strings.Split(filepath.Clean(p), "/") {
		if c != "" && c != "." {
			n++
		}
	}
	return n
}

// cgroup2Mount finds the cgroup2 mount that holds path: its mount point and
// the root of the hierarchy it shows (mountinfo's root field).
func cgroup2Mount(path string) (mnt, root string, err error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// id parent maj:min root mountpoint opts [optional...] - fstype src superopts
		fields := strings.Fields(sc.Text())
		sep := -1
		for i, w := range fields {
			if w == "-" {
				sep = i
				break
			}
		}
		if sep < 5 || sep+1 >= len(fields) || fields[sep+1] != "cgroup2" {
			continue
		}
		mp := unescapeMount(fields[4])
		if (path == mp || strings.HasPrefix(path, strings.TrimSuffix(mp, "/")+"/")) && len(mp) >= len(mnt) {
			mnt, root = mp, unescapeMount(fields[3])
		}
	}
	if mnt == "" {
		return "", "", ErrNotCgroup2
	}
	return mnt, root, sc.Err()
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var v byte
			ok := true
			for _, c := range []byte(s[i+1 : i+4]) {
				if c < '0' || c > '7' {
					ok = false
				}
				v = v<<3 | (c - '0')
			}
			if ok {
				b.WriteByte(v)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TraceCgroup makes every process of the cgroup v2 directory dir, and of
// the cgroups below it, a member of the session from its next syscall on
// (see the top of this file). The session then lives on, with or without
// processes, until Close or UntraceCgroup. A cgroup traced by another
// session is EBUSY.
func (s *Session) TraceCgroup(dir string) (Cgroup, error) {
	cg, err := ResolveCgroup(dir)
	if err != nil {
		return cg, err
	}
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.slots[s.sid] != s || s.closing.Load() {
		return cg, fmt.Errorf("session %d has ended: %w", s.sid, unix.ESRCH)
	}
	if r := e.cgroups[cg.ID]; r != nil {
		return cg, fmt.Errorf("cgroup %s is traced by session %d: %w", dir, r.s.sid, unix.EBUSY)
	}
	t := eprocTracee{Sid: s.sid, Gen: s.gen, Flags: TFInherit}
	if err := e.objs.Cgroups.Update(cg.ID, t, ebpf.UpdateNoExist); err != nil {
		return cg, fmt.Errorf("trace cgroup %s: %w", dir, err)
	}
	if e.cgroups == nil {
		e.cgroups = map[uint64]*cgroupRule{}
	}
	e.cgroups[cg.ID] = &cgroupRule{s: s, level: cg.Level}
	s.ncgroups.Add(1)
	if err := e.setCgroupLevelsLocked(); err != nil {
		e.untraceCgroupLocked(cg.ID)
		return cg, err
	}
	return cg, nil
}

// UntraceCgroup stops adding the processes of cgroup id to the session;
// those that joined stay. When the session has no process left, it ends.
func (s *Session) UntraceCgroup(id uint64) error {
	e := s.e
	e.mu.Lock()
	r := e.cgroups[id]
	if r == nil || r.s != s {
		e.mu.Unlock()
		return fmt.Errorf("cgroup %d is not traced by session %d: %w", id, s.sid, unix.ESRCH)
	}
	e.untraceCgroupLocked(id)
	e.mu.Unlock()
	if s.Alive() <= 0 {
		s.wake()
	}
	return nil
}

// untraceCgroups drops every cgroup rule of the session (Close).
func (s *Session) untraceCgroups() {
	if s.ncgroups.Load() == 0 {
		return
	}
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	for id, r := range e.cgroups {
		if r.s == s {
			e.untraceCgroupLocked(id)
		}
	}
}

func (e *Engine) untraceCgroupLocked(id uint64) {
	r := e.cgroups[id]
	if r == nil {
		return
	}
	delete(e.cgroups, id)
	if err := e.objs.Cgroups.Delete(id); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
		e.log.Warn("untrace cgroup", errField(err), sidField(r.s.sid))
	}
	r.s.ncgroups.Add(-1)
	if err := e.setCgroupLevelsLocked(); err != nil {
		e.log.Warn("cgroup levels", errField(err))
	}
}

// setCgroupLevelsLocked tells the programs at which depths traced cgroups
// are: 0, none, keeps the cgroup check off every untraced syscall.
func (e *Engine) setCgroupLevelsLocked() error {
	var levels, top uint32
	for _, r := range e.cgroups {
		levels |= 1 << r.level
		top = max(top, uint32(r.level)+1)
	}
	// The top first: the programs look at it only once levels is not 0.
	if err := e.objs.CgroupTop.Set(top); err != nil {
		return fmt.Errorf("set cgroup_top: %w", err)
	}
	if err := e.objs.CgroupLevels.Set(levels); err != nil {
		return fmt.Errorf("set cgroup_levels: %w", err)
	}
	return nil
}

// Cgroups is how many cgroups the session traces.
func (s *Session) Cgroups() int { return int(s.ncgroups.Load()) }
