package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func TestFamIoctlPerf(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	const a = 0x7f06d27d6000
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2400, 0xdeadbeefbadc0ded}),
		`ioctl(-1, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP|0xbadc0dec) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2402, 0xdeadbeefbadc0ded}),
		`ioctl(-1, PERF_EVENT_IOC_REFRESH, -1159983635) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40082404, a}, wire.Cap{Arg: 2, Data: u64s(18072662652281012446)}),
		`ioctl(-1, PERF_EVENT_IOC_PERIOD, [18072662652281012446]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40082406, a}, wire.Cap{Arg: 2, Data: []byte("89abcdef0123456789abcdef")}),
		`ioctl(-1, PERF_EVENT_IOC_SET_FILTER, "89abcdef0123456789abcdef") = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x80082407, a}, wire.Cap{Arg: 2, Data: u64s(1)}),
		`ioctl(-1, PERF_EVENT_IOC_ID, 0x7f06d27d6000) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc008240a, a}, wire.Cap{Arg: 2, Data: []byte{0xed, 0x0d, 0xdc, 0xba}}),
		`ioctl(-1, PERF_EVENT_IOC_QUERY_BPF, {ids_len=3134983661, ...}) = -1 EBADF (Bad file descriptor)`)
	attr := make([]byte, 48)
	binary.LittleEndian.PutUint32(attr, 0xadacabaa)
	binary.LittleEndian.PutUint32(attr[4:], 0xb1b0afae)
	copy(attr[8:], u64s(0xb9b8b7b6b5b4b3b2, 13961369670796491706, 0xc9c8c7c6c5c4c3c2, 0xd1d0cfcecdcccbca, 0xd9d8d7d6d5d4d3d2))
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4008240b, a}, wire.Cap{Arg: 2, Data: attr}),
		`ioctl(-1, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, {type=0xadacabaa /* PERF_TYPE_??? */, size=0xb1b0afae /* PERF_ATTR_SIZE_??? */, config=0xb9b8b7b6b5b4b3b2, sample_period=13961369670796491706, sample_type=PERF_SAMPLE_TID|PERF_SAMPLE_ID|PERF_SAMPLE_CPU|PERF_SAMPLE_PERIOD|PERF_SAMPLE_STREAM_ID|PERF_SAMPLE_WEIGHT|PERF_SAMPLE_DATA_SRC|PERF_SAMPLE_REGS_INTR|PERF_SAMPLE_DATA_PAGE_SIZE|PERF_SAMPLE_CODE_PAGE_SIZE|PERF_SAMPLE_WEIGHT_STRUCT|0xc9c8c7c6c4000000, read_format=PERF_FORMAT_TOTAL_TIME_RUNNING|PERF_FORMAT_GROUP|0xd1d0cfcecdcccbc0, inherit=1, exclude_user=1, exclude_hv=1, exclude_idle=1, mmap=1, comm=1, enable_on_exec=1, watermark=1, precise_ip=1 /* constant skid */, sample_id_all=1, exclude_guest=1, exclude_callchain_user=1, mmap2=1, comm_exec=1, context_switch=1, namespaces=1, bpf_event=1, aux_output=1, text_poke=1, build_id=1, remove_on_exec=1, __reserved_1=0x367635f /* Bits 63..38 */, ...}) = -1 EBADF (Bad file descriptor)`)
	attr[0], attr[1], attr[2], attr[3] = 1, 0, 0, 0 // PERF_TYPE_SOFTWARE
	copy(attr[8:], u64s(6))
	binary.LittleEndian.PutUint32(attr[4:], 0x70)
	copy(attr[24:], u64s(0, 0, 0))
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4008240b, a}, wire.Cap{Arg: 2, Data: attr}),
		`ioctl(-1, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, {type=PERF_TYPE_SOFTWARE, size=PERF_ATTR_SIZE_VER5, config=PERF_COUNT_SW_PAGE_FAULTS_MAJ, sample_period=13961369670796491706, sample_type=0, read_format=0, precise_ip=0 /* arbitrary skid */, ...}) = -1 EBADF (Bad file descriptor)`)
}

// TestIoctlStrCase: a def's string argument is captured as kStr's.
func TestIoctlStrCase(t *testing.T) {
	if r := ioctlCases()[0x40082406&ioctlSelMask][2]; r != capStr {
		t.Errorf("PERF_EVENT_IOC_SET_FILTER captures %+v, want capStr", r)
	}
}
