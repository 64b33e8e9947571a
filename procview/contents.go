package procview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"syscall"

	"github.com/eproc/eproc/strace"
	"github.com/hanwen/go-fuse/v2/fs"
	"go.uber.org/zap"
)

func (f *pidFile) readAs(c *caller, name string) ([]byte, syscall.Errno) {
	var b []byte
	if err := c.as(func() (err error) { b, err = os.ReadFile(f.id.path(name)); return }); err != nil {
		return nil, fs.ToErrno(err)
	}
	return b, 0
}

// status is Linux's status, plus, while the process is traced, its
// session's numbers.
func (f *pidFile) status(c *caller) ([]byte, syscall.Errno) {
	b, e := f.readAs(c, "status")
	if e != 0 {
		return nil, e
	}
	if st := f.v.streamOf(f.id.pid); st != nil {
		n := st.sess.Stats()
		b = fmt.Appendf(b, "StraceSession:\t%d\nStraceReaders:\t%d\nStraceProcs:\t%d\nStraceSeen:\t%d\nStraceDropped:\t%d\nStraceLost:\t%d\n",
			st.sess.ID(), st.q.Readers(), st.sess.Alive(), n.Seen, n.Dropped, n.Lost)
	}
	return b, 0
}

// vmstatus is how often the process's guests left the CPU, by reason, as
// Akaros' vmstatus: a JSON object from the kernel's name of each exit
// reason to its count, reasons never seen left out; {} for a process that
// never ran a guest.
func (f *pidFile) vmstatus() ([]byte, syscall.Errno) {
	counts, err := f.v.eng.KVMCounts(f.id.pid)
	if err != nil {
		f.v.log.Error("vmstatus", zap.Int("pid", f.id.pid), zap.Error(err))
		return nil, syscall.EIO
	}
	byName := make(map[string]uint64, len(counts))
	for r, n := range counts {
		byName[strace.KVMExitName(r.ISA, r.Reason)] += n
	}
	b, err := json.Marshal(byName) // keys sorted
	if err != nil {
		return nil, syscall.EIO
	}
	return append(b, '\n'), 0
}

// user is the name of the process's owner (its real uid).
func (f *pidFile) user() ([]byte, syscall.Errno) {
	cr, err := readCreds(f.id.pid)
	if err != nil {
		return nil, syscall.ESRCH
	}
	id := strconv.FormatUint(uint64(cr.uid[0]), 10)
	name := id
	if u, err := user.LookupId(id); err == nil {
		name = u.Username
	}
	return []byte(name + "\n"), 0
}

// args is the command line, Plan 9 style: words separated by spaces,
// quoted where needed.
func (f *pidFile) args(c *caller) ([]byte, syscall.Errno) {
	b, e := f.readAs(c, "cmdline")
	if e != 0 {
		return nil, e
	}
	b = bytes.TrimSuffix(b, []byte{0})
	var out []byte
	if len(b) > 0 {
		for i, w := range bytes.Split(b, []byte{0}) {
			if i > 0 {
				out = append(out, ' ')
			}
			out = append(out, quote9(string(w))...)
		}
	}
	return append(out, '\n'), 0
}

// quote9 quotes a word as Plan 9's quote(2) does: in single quotes, with
// quotes doubled, when it is empty or holds blanks, quotes or control
// characters.
func quote9(w string) string {
	if w != "" && !strings.ContainsFunc(w, func(r rune) bool { return r <= ' ' || r == '\'' || r == 0x7f }) {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", "''") + "'"
}

// namespace is the process's mount table in Plan 9's notation: `mount`
// for a file system mounted whole, `bind` for a part of one mounted
// elsewhere (a bind mount), in mount order.
func (f *pidFile) namespace(c *caller) ([]byte, syscall.Errno) {
	b, e := f.readAs(c, "mountinfo")
	if e != 0 {
		return nil, e
	}
	var out strings.Builder
	for _, l := range strings.Split(string(b), "\n") {
		fl := strings.Fields(l)
		sep := -1
		for i := 6; i < len(fl); i++ {
			if fl[i] == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || sep+2 >= len(fl) {
			continue
		}
		root, mnt, opts := unescapeMount(fl[3]), unescapeMount(fl[4]), fl[5]
		fstype, src := fl[sep+1], unescapeMount(fl[sep+2])
		flag := ""
		if strings.HasPrefix(opts, "ro") {
			flag = "-r "
		}
		if root != "/" {
			fmt.Fprintf(&out, "bind %s%s %s\n", flag, quote9(src+":"+root), quote9(mnt))
		} else {
			fmt.Fprintf(&out, "mount %s%s %s %s\n", flag, quote9("#"+fstype), quote9(mnt), quote9(src))
		}
	}
	return []byte(out.String()), 0
}
