// Command pxauth mints and checks the JSON Web Tokens that Portworx and
// OpenStorage clusters accept, and keeps named contexts for switching
// between identities.
package main

import (
	"os"
	"runtime/debug"

	"github.com/pxauth/pxauth/commands"
)

// gcMemoryLimit is the heap size at which the garbage collector starts when
// GOGC and GOMEMLIMIT are unset.
const gcMemoryLimit = 256 << 20

func main() {
	tuneGC()
	os.Exit(commands.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

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
