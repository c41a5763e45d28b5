package commands

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// quietFlag is the global -q/--quiet. It silences what pxauth writes on
// stderr besides errors: notes, warnings and confirmations such as
// "created context". token generate --save-context also leaves out the
// token, because it is in the context.
func quietFlag() cli.Flag {
	return &cli.BoolFlag{
		Name:    "quiet",
		Aliases: []string{"q"},
		Usage:   "print no notes, warnings or confirmations, only errors; with token generate --save-context, print no token either",
	}
}

// readGlobalFlags records the global flags that change how every command
// prints. It runs before the command does.
func (e *env) readGlobalFlags(c *cli.Context) error {
	e.quiet = c.Bool("quiet")

	// --version with a command would run the command and drop the flag
	// silently, printing, say, a token where a version was expected.
	if c.Bool("version") && c.Args().Present() && findCommand(c.App.Commands, c.Args().First()) != nil {
		return usagef("--version goes alone, as 'pxauth --version' or 'pxauth version'")
	}
	return nil
}

// confirmf writes a confirmation of a change, such as a switched context,
// on stderr unless -q is given.
func (e *env) confirmf(format string, args ...any) {
	if e.quiet {
		return
	}
	fmt.Fprintf(e.stderr, "pxauth: "+format+"\n", args...)
}
