package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// landlock_create_ruleset and landlock_add_rule, as strace 6.1's tests of
// the same names print them.
func TestFamLandlock(t *testing.T) {
	checkLine(t, decodeLine(t, "landlock_create_ruleset", 7, [6]uint64{0, 0, 0xd1efaced00000001}),
		`landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) = 7`)
	checkLine(t, decodeLine(t, "landlock_create_ruleset", -22, [6]uint64{0x7f34da292ff8, 7, 0}, wire.Cap{Arg: 0, Flags: wire.CapFault}),
		`landlock_create_ruleset(0x7f34da292ff8, 7, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "landlock_create_ruleset", -22, [6]uint64{0x7f34da293000, 0xbadfaceddecaffee, 0xbadcaffe}),
		`landlock_create_ruleset(0x7f34da293000, 13465671548506144750, 0xbadcaffe /* LANDLOCK_CREATE_RULESET_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "landlock_create_ruleset", 3, [6]uint64{0x1000, 8, 0}, wire.Cap{Arg: 0, Data: u64s(1)}),
		`landlock_create_ruleset({handled_access_fs=LANDLOCK_ACCESS_FS_EXECUTE}, 8, 0) = 3`)
	checkLine(t, decodeLine(t, "landlock_create_ruleset", -14, [6]uint64{0x1000, 12, 0}, wire.Cap{Arg: 0, Data: u64s(0xdebeefeddecac000)}),
		`landlock_create_ruleset({handled_access_fs=0xdebeefeddecac000 /* LANDLOCK_ACCESS_FS_??? */, ...}, 12, 0) = -1 EFAULT (Bad address)`)

	checkLine(t, decodeLine(t, "landlock_add_rule", -77, [6]uint64{0xd1efaced00000000, 0xd1efaced00000000, 0, 0xd1efaced00000000}),
		`landlock_add_rule(0, 0 /* LANDLOCK_RULE_??? */, NULL, 0) = -1 EBADFD (File descriptor in bad state)`)
	checkLine(t, decodeLine(t, "landlock_add_rule", -22, [6]uint64{0x6c1, 2, 0x7fd8dad6f000, 0xffffffff}),
		`landlock_add_rule(1729, 0x2 /* LANDLOCK_RULE_??? */, 0x7fd8dad6f000, 0xffffffff) = -1 EINVAL (Invalid argument)`)
	attr := append(u64s(1), 0x6e, 0x2d, 0, 0)
	checkLine(t, decodeLine(t, "landlock_add_rule", -9, [6]uint64{0xffffffff, 1, 0x1000, 0}, wire.Cap{Arg: 2, Data: attr}),
		`landlock_add_rule(-1, LANDLOCK_RULE_PATH_BENEATH, {allowed_access=LANDLOCK_ACCESS_FS_EXECUTE, parent_fd=11630}, 0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "landlock_add_rule", -9, [6]uint64{0xffffffff, 1, 0x7fd8dad6eff8, 0}, wire.Cap{Arg: 2, Flags: wire.CapFault}),
		`landlock_add_rule(-1, LANDLOCK_RULE_PATH_BENEATH, 0x7fd8dad6eff8, 0) = -1 EBADF (Bad file descriptor)`)
}
