package loader

// forkNrs are the fork-family syscalls this architecture has besides clone:
// arm64 has neither fork nor vfork.
var forkNrs = map[string]uint32{}
