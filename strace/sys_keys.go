package strace

// The key management calls add_key and request_key, as strace 6.1 prints
// them (keyctl.c); keyctl is sys_keys_ctl.go.

var keySpecs = []flag{{uint64(0xffffffffffffffff), "KEY_SPEC_THREAD_KEYRING"}, {0xfffffffffffffffe, "KEY_SPEC_PROCESS_KEYRING"},
	{0xfffffffffffffffd, "KEY_SPEC_SESSION_KEYRING"}, {0xfffffffffffffffc, "KEY_SPEC_USER_KEYRING"},
	{0xfffffffffffffffb, "KEY_SPEC_USER_SESSION_KEYRING"}, {0xfffffffffffffffa, "KEY_SPEC_GROUP_KEYRING"},
	{0xfffffffffffffff9, "KEY_SPEC_REQKEY_AUTH_KEY"}, {0xfffffffffffffff8, "KEY_SPEC_REQUESTOR_KEYRING"}}

// kKeySerial is a key_serial_t: a KEY_SPEC_* name, or the number.
var kKeySerial = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	xlatDecOrUnknown(p, int64(int32(c.Args[i])), keySpecs, "")
}})

func init() {
	registerSigs(map[string]sig{
		"add_key":     {args: []kind{kStr, kStr, kBufIn, kUlong, kKeySerial}},
		"request_key": {args: []kind{kStr, kStr, kStr, kKeySerial}},
	})
}
