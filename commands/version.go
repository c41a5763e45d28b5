package commands

import (
	"fmt"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/internal/buildinfo"
)

// versionFlag is pxauth's own --version. urfave/cli's built-in flag needs
// App.Version set before every run, and computing the version from the
// build information costs start-up time that only --version needs.
func versionFlag() cli.Flag {
	return &cli.BoolFlag{
		Name:  "version",
		Usage: "print the version, commit, date and Go version, as the version command does",
	}
}

func (e *env) versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version, commit, date and Go version of this binary",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the build information as JSON"},
		},
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			return e.printVersion(c.Bool("json"))
		},
	}
}

func (e *env) printVersion(asJSON bool) error {
	info := buildinfo.Read(buildRecord())
	if asJSON {
		return writeJSON(e.stdout, info)
	}
	_, err := fmt.Fprintln(e.stdout, info)
	return err
}

// rootAction runs for pxauth without a command: --version prints the
// version, anything else shows the help or rejects an unknown command.
func (e *env) rootAction(c *cli.Context) error {
	if c.Bool("version") {
		if c.Args().Present() {
			return usagef("--version takes no arguments, got %q", c.Args().First())
		}
		return e.printVersion(false)
	}
	return unknownCommand(c)
}

// buildRecord returns what the go command recorded in the binary, or nil
// when it recorded nothing.
func buildRecord() *buildinfo.Recorded {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}

	rec := &buildinfo.Recorded{ModuleVersion: bi.Main.Version, Settings: make(map[string]string, len(bi.Settings))}
	for _, s := range bi.Settings {
		rec.Settings[s.Key] = s.Value
	}
	return rec
}
