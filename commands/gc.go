package commands

import (
	"os"
	"runtime/debug"
)

// gcMemoryLimit is the heap size at which the garbage collector starts when
// GOGC and GOMEMLIMIT are unset.
const gcMemoryLimit = 256 << 20

// tuneGC turns off the proportional garbage collector and keeps only the
// memory limit. A run of pxauth lasts milliseconds and allocates a few
// megabytes, about 6 MB for `ctx use` on a file with 1,000 contexts. In such
// a run the collections cost more than the memory they free, and on a
// 2-core VM they took a third of the run time. The limit still bounds a
// long batch run. GOGC or GOMEMLIMIT in the environment take precedence.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(gcMemoryLimit)
	debug.SetGCPercent(-1)
}
