package commands

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// completionFlag is the flag urfave/cli appends when a shell requests
// completions. It must stay the last argument.
const completionFlag = "--generate-bash-completion"

// reorderArgs moves flags to where urfave/cli v2 reads them. Like Go's flag
// package, it stops reading flags at the first positional argument, so
// `ctx create admin --token T` would leave --token unread. pxctl and kubectl
// users write flags after arguments, so the flags of the chosen command are
// moved before its positional arguments, and global flags written after a
// command name are moved before it. Arguments after "--" stay positional.
func reorderArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}

	var (
		global, path, local, positional []string
		commands                        = app.Commands
		scopes                          = [][]cli.Flag{app.Flags}
		complete                        bool
	)

	rest := args[1:]
	if n := len(rest); rest[n-1] == completionFlag {
		complete = true
		rest = rest[:n-1]
	}

	for i := 0; i < len(rest); i++ {
		arg := rest[i]

		if arg == "--" {
			positional = append(positional, rest[i:]...)
			break
		}

		if !isFlag(arg) {
			if cmd := findCommand(commands, arg); cmd != nil && len(positional) == 0 {
				path = append(path, arg)
				commands = cmd.Subcommands
				scopes = append(scopes, cmd.Flags)
				continue
			}
			positional = append(positional, arg)
			continue
		}

		flag, scope := lookupFlag(scopes, flagName(arg))
		tokens := []string{arg}
		if takesValue(flag) && !strings.Contains(arg, "=") && i+1 < len(rest) {
			tokens = append(tokens, rest[i+1])
			i++
		}

		if scope == 0 || (flag == nil && len(path) == 0) {
			global = append(global, tokens...)
		} else {
			local = append(local, tokens...)
		}
	}

	out := make([]string, 0, len(args)+1)
	out = append(out, args[0])
	out = append(out, global...)
	out = append(out, path...)
	out = append(out, local...)
	out = append(out, positional...)
	if complete {
		out = append(out, completionFlag)
	}
	return out
}

func isFlag(arg string) bool {
	return len(arg) > 1 && arg[0] == '-'
}

func flagName(arg string) string {
	name := strings.TrimLeft(arg, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	return name
}

func findCommand(commands []*cli.Command, name string) *cli.Command {
	for _, cmd := range commands {
		if cmd.HasName(name) {
			return cmd
		}
	}
	return nil
}

// lookupFlag finds a flag by name, innermost command first, and returns it
// with the index of the scope that defines it: 0 for the application's
// global flags. An unknown flag gives nil and -1.
func lookupFlag(scopes [][]cli.Flag, name string) (cli.Flag, int) {
	for i := len(scopes) - 1; i >= 0; i-- {
		for _, f := range scopes[i] {
			for _, n := range f.Names() {
				if n == name {
					return f, i
				}
			}
		}
	}
	return nil, -1
}

func takesValue(f cli.Flag) bool {
	v, ok := f.(interface{ TakesValue() bool })
	return ok && v.TakesValue()
}
