//go:build amd64

package procview

import (
	"debug/elf"
	"encoding/binary"
	"time"
)

// amd64's part of a core file: struct elf_prstatus (336 bytes: siginfo's
// three ints, pr_cursig, pr_sigpend, pr_sighold, pr_pid, pr_ppid,
// pr_pgrp, pr_sid, four timevals, pr_reg as user_regs_struct's 27 words,
// pr_fpvalid) and struct elf_prpsinfo (136 bytes), as the kernel's
// binfmt_elf writes them; NT_FPREGSET is user_fpregs_struct (FXSAVE's
// 512 bytes).
var coreArch = &coreMachine{
	machine: elf.EM_X86_64,
	regs: func(tid int) ([]byte, []byte, error) {
		gp := make([]byte, gpRegs.size)
		if err := gpRegs.get(tid, gp); err != nil {
			return nil, nil, err
		}
		fp := make([]byte, fpRegs.size)
		if err := fpRegs.get(tid, fp); err != nil {
			return nil, nil, err
		}
		return gp, fp, nil
	},
	prstatus: func(th *coreThread, gp []byte) []byte {
		b := make([]byte, 336)
		le := binary.LittleEndian
		le.PutUint32(b[0:], uint32(th.cursig)) // si_signo
		le.PutUint16(b[12:], uint16(th.cursig))
		le.PutUint64(b[16:], th.sigpend)
		le.PutUint64(b[24:], th.sighold)
		le.PutUint32(b[32:], uint32(th.tid))
		le.PutUint32(b[36:], uint32(th.ppid))
		le.PutUint32(b[40:], uint32(th.pgrp))
		le.PutUint32(b[44:], uint32(th.sid))
		for i, d := range []time.Duration{th.utime, th.stime, th.cutime, th.cstime} {
			le.PutUint64(b[48+16*i:], uint64(d/time.Second))
			le.PutUint64(b[56+16*i:], uint64(d%time.Second/time.Microsecond))
		}
		copy(b[112:112+27*8], gp)
		le.PutUint32(b[328:], 1) // pr_fpvalid
		return b
	},
	prpsinfo: func(p *coreProc) []byte {
		b := make([]byte, 136)
		le := binary.LittleEndian
		const states = "RSDTZW"
		b[0] = 0
		for i := range states {
			if states[i] == p.state {
				b[0] = byte(i)
			}
		}
		b[1] = p.state
		if p.state == 'Z' {
			b[2] = 1
		}
		b[3] = byte(p.nice)
		le.PutUint64(b[8:], p.flags)
		le.PutUint32(b[16:], p.uid)
		le.PutUint32(b[20:], p.gid)
		le.PutUint32(b[24:], uint32(p.pid))
		le.PutUint32(b[28:], uint32(p.ppid))
		le.PutUint32(b[32:], uint32(p.pgrp))
		le.PutUint32(b[36:], uint32(p.sid))
		copy(b[40:40+15], p.comm)
		copy(b[56:56+79], p.args)
		return b
	},
}
