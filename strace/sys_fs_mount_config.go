package strace

import "github.com/eproc/eproc/loader/wire"

// fsconfig, as strace 6.1's fsconfig.c prints it: what its key, value
// and aux are depends on the command (its captures: a case per command).

const (
	fsconfigSetFlag = iota
	fsconfigSetString
	fsconfigSetBinary
	fsconfigSetPath
	fsconfigSetPathEmpty
	fsconfigSetFd
	fsconfigCmdCreate
	fsconfigCmdReconfigure
)

var fsconfigCmds = []flag{
	{fsconfigSetFlag, "FSCONFIG_SET_FLAG"}, {fsconfigSetString, "FSCONFIG_SET_STRING"},
	{fsconfigSetBinary, "FSCONFIG_SET_BINARY"}, {fsconfigSetPath, "FSCONFIG_SET_PATH"},
	{fsconfigSetPathEmpty, "FSCONFIG_SET_PATH_EMPTY"}, {fsconfigSetFd, "FSCONFIG_SET_FD"},
	{fsconfigCmdCreate, "FSCONFIG_CMD_CREATE"}, {fsconfigCmdReconfigure, "FSCONFIG_CMD_RECONFIGURE"},
}

// fsconfigStrMax is the length strace's printstr_ex is given for the key
// and a string value: at most 256 bytes, up to the NUL.
const fsconfigStrMax = 256

// fsconfigBinMax: a binary value longer (or a negative aux) prints as
// its address.
const fsconfigBinMax = 1 << 20

func fsconfigCmd(c *Call) uint32 { return uint32(c.Args[1]) }

// fmtFsconfigStr prints a NUL-terminated string of at most 256 bytes as
// printstr_ex(addr, 256, QUOTE_0_TERMINATED): cut at -s or at 256 bytes
// without a NUL ("..."); a string of exactly -s bytes is whole only when
// -s is under 256 (strace looks one byte past it then).
func fmtFsconfigStr(p *printer, c *Call, i int) {
	cp := capturedAlways(p, c, i, 0)
	if cp == nil {
		return
	}
	if p.strsize < fsconfigStrMax {
		quoteLimited(p, cp.Data, cp.Trunc())
		return
	}
	if len(cp.Data) >= fsconfigStrMax {
		p.quote(cp.Data[:fsconfigStrMax], true)
		return
	}
	p.quote(cp.Data, false)
}

var (
	kFsconfigCmd = xlatKind(fsconfigCmds, "FSCONFIG_???")
	kFsconfigKey = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		if fsconfigCmd(c) <= fsconfigSetFd {
			fmtFsconfigStr(p, c, i)
			return
		}
		p.ptr(c.Args[i])
	}})
	kFsconfigValue = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		switch fsconfigCmd(c) {
		case fsconfigSetString:
			fmtFsconfigStr(p, c, i)
		case fsconfigSetPath, fsconfigSetPathEmpty:
			fmtPathExact(p, c, i)
		case fsconfigSetBinary:
			if aux := int32(c.Args[i+1]); aux >= 0 && aux <= fsconfigBinMax {
				fmtFsconfigBlob(p, c, i, int(aux))
				return
			}
			p.ptr(c.Args[i])
		default:
			p.ptr(c.Args[i])
		}
	}})
	kFsconfigAux = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		switch fsconfigCmd(c) {
		case fsconfigSetPath, fsconfigSetPathEmpty:
			kinds[kDirfd].fmt(p, c, i)
		case fsconfigSetFd:
			p.fd(c, int32(c.Args[i]))
		default:
			p.d(int64(int32(c.Args[i])))
		}
	}})
)

// fmtFsconfigBlob prints FSCONFIG_SET_BINARY's n bytes in hex, cut at -s.
func fmtFsconfigBlob(p *printer, c *Call, i, n int) {
	cp := capturedAlways(p, c, i, min(n, p.strsize))
	if cp == nil {
		return
	}
	shown := min(n, p.strsize, len(cp.Data))
	p.quoteHex(cp.Data[:shown], n > shown)
}

// fsconfigCases: the key is a string but for the commands; the value a
// string, a path or aux bytes.
func fsconfigCases() map[uint32]map[int]capRule {
	blob := capRule{kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 1, when: wire.CWIn}
	return map[uint32]map[int]capRule{
		fsconfigSetFlag:      {2: capStr},
		fsconfigSetString:    {2: capStr, 3: capStr},
		fsconfigSetBinary:    {2: capStr, 3: blob},
		fsconfigSetPath:      {2: capStr, 3: capPathExact},
		fsconfigSetPathEmpty: {2: capStr, 3: capPathExact},
		fsconfigSetFd:        {2: capStr},
	}
}

func init() {
	registerSigs(map[string]sig{
		"fsconfig": {args: []kind{kFd, kFsconfigCmd, kFsconfigKey, kFsconfigValue, kFsconfigAux}, class: ClassDesc | ClassFile,
			sel: &selector{arg: 1, mask: 0xffffffff, cases: fsconfigCases}},
	})
}
