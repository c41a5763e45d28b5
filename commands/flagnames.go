package commands

import "github.com/urfave/cli/v2"

// urfave/cli finds a flag by name by calling Names on each flag of the
// command, its parents and the application. Before a command's action it
// does that for every flag that is not set (runFlagActions, then
// Context.IsSet), so a command with n flags makes about n² calls. Each call
// runs FlagNames, which applies a regular expression to every name. On
// token generate, with about 30 flags in scope, that was 9% of the CPU time
// of a whole run, and BenchmarkRunGenerate took 224 µs without the wrappers
// below and 99 µs with them. They return names computed once.
//
// They embed the urfave/cli flag, so every other method and interface
// (help, documentation, Apply, required and action hooks) is the flag's
// own. urfave/cli type-asserts *cli.BoolFlag in two places: its help skips
// the default value of a bool flag that sets DisableDefaultText, which no
// pxauth flag does, and its built-in shell completion, which pxauth does
// not use, skips hidden bool flags.

// stringFlag is a cli.StringFlag with its names computed once.
type stringFlag struct {
	*cli.StringFlag
	names []string
}

// Names returns the flag's name and aliases.
func (f *stringFlag) Names() []string { return f.names }

// boolFlag is a cli.BoolFlag with its names computed once.
type boolFlag struct {
	*cli.BoolFlag
	names []string
}

// Names returns the flag's name and aliases.
func (f *boolFlag) Names() []string { return f.names }

// withFixedNames returns flags with each *cli.StringFlag and *cli.BoolFlag
// wrapped so that Names is computed once; other flags are kept as they are.
// The names are the flag's Name and Aliases as they are. FlagNames would
// only cut them at a comma or space, which no pxauth flag has
// (TestFixedNamesWrapEveryFlag), and calling it here would run its regular
// expression for every flag of the application on every run.
func withFixedNames(flags []cli.Flag) []cli.Flag {
	out := make([]cli.Flag, len(flags))
	for i, f := range flags {
		switch f := f.(type) {
		case *cli.StringFlag:
			out[i] = &stringFlag{StringFlag: f, names: flagNames(f.Name, f.Aliases)}
		case *cli.BoolFlag:
			out[i] = &boolFlag{BoolFlag: f, names: flagNames(f.Name, f.Aliases)}
		default:
			out[i] = f
		}
	}
	return out
}

func flagNames(name string, aliases []string) []string {
	return append([]string{name}, aliases...)
}
