package strace

// struct rusage's fields past its times, printed under -v
// (printrusage.c).

// rusageSize is struct rusage's size on 64-bit: two timevals, 14 longs.
const rusageSize = 144

var rusageFields = [14]string{", ru_maxrss=", ", ru_ixrss=", ", ru_idrss=", ", ru_isrss=",
	", ru_minflt=", ", ru_majflt=", ", ru_nswap=", ", ru_inblock=", ", ru_oublock=",
	", ru_msgsnd=", ", ru_msgrcv=", ", ru_nsignals=", ", ru_nvcsw=", ", ru_nivcsw="}

// rusageRest prints the longs after ru_stime, unsigned as strace does,
// and the closing brace.
func rusageRest(p *printer, b []byte) {
	for k, name := range rusageFields {
		p.s(name)
		p.u(le.Uint64(b[32+8*k:]))
	}
	p.c('}')
}
