package commands

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/contextstore"
)

// Completion scripts. Each one calls pxauth with the words before the
// cursor, the word being completed (possibly empty) and completionFlag, and
// offers the lines pxauth prints. When pxauth prints none, the shell
// completes file names.
var (
	//go:embed completion/pxauth.bash
	bashCompletion string

	//go:embed completion/pxauth.zsh
	zshCompletion string

	//go:embed completion/pxauth.fish
	fishCompletion string
)

var completionScripts = map[string]*string{
	"bash": &bashCompletion,
	"zsh":  &zshCompletion,
	"fish": &fishCompletion,
}

func (e *env) completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh or fish",
		ArgsUsage: "bash | zsh | fish",
		Description: "Completes commands, flags, context names (ctx use, inspect, token, delete, rename and --context)\n" +
			"and --storage values. Completion reads context names from the contextconfig file and never\n" +
			"calls the keyring. For bash, add 'source <(pxauth completion bash)' to ~/.bashrc; for zsh,\n" +
			"add 'source <(pxauth completion zsh)' to ~/.zshrc after compinit; for fish, run\n" +
			"'pxauth completion fish > ~/.config/fish/completions/pxauth.fish' once.",
		Action: func(c *cli.Context) error {
			shell, err := oneArg(c, "shell (bash, zsh or fish)")
			if err != nil {
				return err
			}
			script, ok := completionScripts[shell]
			if !ok {
				return usagef("unknown shell %q; use bash, zsh or fish", shell)
			}
			_, err = io.WriteString(e.stdout, *script)
			return err
		},
	}
}

// isCompletionRequest reports whether a completion script is asking for
// candidates: completionFlag is the last argument.
func isCompletionRequest(args []string) bool {
	return len(args) >= 2 && args[len(args)-1] == completionFlag
}

// complete prints the completion candidates for a request from one of the
// completion scripts, one a line, each either "candidate" or
// "candidate<TAB>description". args are pxauth's arguments: the words
// before the cursor, then the word being completed, then completionFlag.
// It always returns exit code 0, because a shell has nothing to do with an
// error, and it never calls the keyring.
func (e *env) complete(app *cli.App, args []string) int {
	words := args[1 : len(args)-1]
	current := ""
	if len(words) > 0 {
		current = words[len(words)-1]
		words = words[:len(words)-1]
	}

	line := parseCompletionLine(app, words)
	for _, c := range e.completionCandidates(line, current) {
		if strings.HasPrefix(c.value, current) {
			fmt.Fprintln(e.stdout, c.String())
		}
	}
	return exitOK
}

// candidate is one completion with an optional description.
type candidate struct {
	value       string
	description string
}

func (c candidate) String() string {
	if c.description == "" {
		return c.value
	}
	return c.value + "\t" + c.description
}

// completionLine is the state of the command line before the word being
// completed: the command, its flags and its arguments so far.
type completionLine struct {
	commands   []*cli.Command // subcommands of the innermost command
	scopes     [][]cli.Flag   // global flags first, then each command's flags
	path       string         // command path by primary names, such as "ctx use"
	positional []string

	// pendingFlag is a flag that takes a value and is the last word, so the
	// word being completed is its value.
	pendingFlag cli.Flag

	// afterDashDash is true after "--", where every word is positional.
	afterDashDash bool

	// contextConfig is the --contextconfig value, if given.
	contextConfig string
}

// parseCompletionLine walks the words before the cursor as reorderArgs
// does: command names until the first positional argument, flags of every
// command on the way, and positional arguments.
func parseCompletionLine(app *cli.App, words []string) completionLine {
	line := completionLine{commands: app.Commands, scopes: [][]cli.Flag{app.Flags}}
	var names []string

	for _, word := range words {
		if line.pendingFlag != nil {
			if slices.Contains(line.pendingFlag.Names(), "contextconfig") {
				line.contextConfig = word
			}
			line.pendingFlag = nil
			continue
		}

		switch {
		case line.afterDashDash:
			line.positional = append(line.positional, word)

		case word == "--":
			line.afterDashDash = true

		case isFlag(word):
			flag, _ := lookupFlag(line.scopes, flagName(word))
			name, value, hasValue := strings.Cut(strings.TrimLeft(word, "-"), "=")
			if hasValue && name == "contextconfig" {
				line.contextConfig = value
			}
			if takesValue(flag) && !hasValue {
				line.pendingFlag = flag
			}

		default:
			if cmd := findCommand(line.commands, word); cmd != nil && len(line.positional) == 0 {
				names = append(names, cmd.Name)
				line.commands = cmd.Subcommands
				line.scopes = append(line.scopes, cmd.Flags)
				continue
			}
			line.positional = append(line.positional, word)
		}
	}

	line.path = strings.Join(names, " ")
	return line
}

// contextArgCommands are the commands whose arguments are context names,
// with how many of their arguments are: ctx delete takes any number.
var contextArgCommands = map[string]int{
	"ctx use":     1,
	"ctx inspect": 1,
	"ctx token":   1,
	"ctx delete":  -1,
	"ctx rename":  1,
}

func (e *env) completionCandidates(line completionLine, current string) []candidate {
	if line.pendingFlag != nil {
		return e.flagValueCandidates(line, line.pendingFlag, "")
	}

	if !line.afterDashDash && strings.HasPrefix(current, "-") {
		if name, _, ok := strings.Cut(strings.TrimLeft(current, "-"), "="); ok {
			flag, _ := lookupFlag(line.scopes, name)
			if flag == nil {
				return nil
			}
			prefix := current[:strings.IndexByte(current, '=')+1]
			return e.flagValueCandidates(line, flag, prefix)
		}
		return flagCandidates(line.scopes)
	}

	if len(line.commands) > 0 && len(line.positional) == 0 {
		return commandCandidates(line.commands)
	}

	if line.path == "completion" && len(line.positional) == 0 {
		return []candidate{{value: "bash"}, {value: "fish"}, {value: "zsh"}}
	}

	if limit, ok := contextArgCommands[line.path]; ok && (limit < 0 || len(line.positional) < limit) {
		var list []candidate
		for _, c := range e.contextCandidates(line) {
			if !slices.Contains(line.positional, c.value) {
				list = append(list, c)
			}
		}
		return list
	}
	return nil
}

// flagValueCandidates lists the values of flag, each after prefix (for the
// --flag=value form). A flag that takes a file gets none, so the shell
// completes file names.
func (e *env) flagValueCandidates(line completionLine, flag cli.Flag, prefix string) []candidate {
	var list []candidate
	switch {
	case slices.Contains(flag.Names(), "context"):
		list = e.contextCandidates(line)
	case slices.Contains(flag.Names(), "storage"):
		list = []candidate{
			{value: string(contextstore.StorageAuto), description: "the keyring when it responds, else inline in the file"},
			{value: string(contextstore.StorageKeyring), description: "the OS keyring, or fail"},
			{value: string(contextstore.StorageFile), description: "inline in the contextconfig file"},
		}
	case line.path == "ctx list" && slices.Contains(flag.Names(), "output"):
		list = []candidate{{value: "table"}, {value: "name"}, {value: "json"}}
	}

	for i := range list {
		list[i].value = prefix + list[i].value
	}
	return list
}

// contextCandidates lists the context names of the contextconfig file the
// line names. It reads only the file: Store.Load never calls the keyring,
// and the store has noKeyring in case that changes.
func (e *env) contextCandidates(line completionLine) []candidate {
	path := line.contextConfig
	if path == "" {
		if v, ok := e.lookupEnv(contextConfigEnv); ok && v != "" {
			path = v
		}
	}
	store := &contextstore.Store{Path: path, Secrets: noKeyring{}}

	cfg, err := store.Load()
	if err != nil {
		return nil
	}
	var list []candidate
	for _, name := range cfg.Names() {
		c := candidate{value: name}
		if name == cfg.Current {
			c.description = "current context"
		}
		list = append(list, c)
	}
	return list
}

func commandCandidates(commands []*cli.Command) []candidate {
	var list []candidate
	for _, cmd := range commands {
		if cmd.Hidden {
			continue
		}
		list = append(list, candidate{value: cmd.Name, description: cmd.Usage})
	}
	return list
}

// flagCandidates lists the flags of the innermost command first, then
// those of the commands around it, then --help.
func flagCandidates(scopes [][]cli.Flag) []candidate {
	var list []candidate
	for i := len(scopes) - 1; i >= 0; i-- {
		for _, flag := range scopes[i] {
			if v, ok := flag.(cli.VisibleFlag); ok && !v.IsVisible() {
				continue
			}
			description := flagDescription(flag)
			for _, name := range flag.Names() {
				dashes := "--"
				if len(name) == 1 {
					dashes = "-"
				}
				list = append(list, candidate{value: dashes + name, description: description})
			}
		}
	}
	return append(list, candidate{value: "--help", description: "show help"})
}

// flagDescription is the first clause of a flag's usage, without the
// backquotes that mark its placeholder.
func flagDescription(flag cli.Flag) string {
	f, ok := flag.(cli.DocGenerationFlag)
	if !ok {
		return ""
	}
	usage := strings.ReplaceAll(f.GetUsage(), "`", "")
	if i := strings.IndexByte(usage, ';'); i >= 0 {
		usage = usage[:i]
	}
	return usage
}

// errNoKeyring is returned by noKeyring.
var errNoKeyring = errors.New("completion does not use the keyring")

// noKeyring is the Secrets of completion: every call fails at once, so a
// locked or hung keyring can never delay a shell.
type noKeyring struct{}

func (noKeyring) Get(string) (string, error) { return "", errNoKeyring }
func (noKeyring) Set(string, string) error   { return errNoKeyring }
func (noKeyring) Delete(string) error        { return errNoKeyring }
