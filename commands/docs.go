package commands

import (
	"os"
	"time"

	"github.com/adrg/xdg"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// App returns pxauth's command definitions, for tools that generate the
// reference documentation from them. Running it is the same as Main with
// the process's standard streams, except that exit codes are not mapped.
func App() *cli.App {
	e := &env{
		stdin:           os.Stdin,
		stdout:          os.Stdout,
		stderr:          os.Stderr,
		lookupEnv:       os.LookupEnv,
		now:             time.Now,
		stdinIsTerminal: func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		configHome:      xdg.ConfigHome,
	}
	return e.newApp()
}
