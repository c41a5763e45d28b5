// Package commands defines the pxauth command line with urfave/cli/v2. Each
// command reads its flags into a plain options struct, calls jwtgen or
// contextstore, and prints the result; the decisions live in those packages.
package commands

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/adrg/xdg"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// env is the process state the commands use (streams, environment, clock),
// kept in one value so tests can run the application with buffers.
type env struct {
	stdin     io.Reader
	stdout    io.Writer
	stderr    io.Writer
	lookupEnv func(string) (string, bool)
	now       func() time.Time

	// stdinIsTerminal reports whether stdin is an interactive terminal, in
	// which case commands do not wait for a token on it.
	stdinIsTerminal func() bool

	// quiet is set by -q/--quiet: notes, warnings and confirmations are
	// not printed; errors always are.
	quiet bool

	// configHome is the XDG config home that adrg/xdg found when the
	// process started, where the preferences file lives unless
	// XDG_CONFIG_HOME is set through lookupEnv. Tests leave it empty, so
	// they read no preferences file unless they set XDG_CONFIG_HOME.
	configHome string

	// prefs holds the preferences file once a command has read it.
	prefs prefsCache
}

// Main runs pxauth with args (args[0] is the program name) and returns the
// process exit code: 0 on success, 1 on failure, 2 on a usage error.
func Main(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	tuneGC()

	e := &env{
		stdin:           stdin,
		stdout:          stdout,
		stderr:          stderr,
		lookupEnv:       os.LookupEnv,
		now:             time.Now,
		stdinIsTerminal: func() bool { return term.IsTerminal(int(stdin.Fd())) },
		configHome:      xdg.ConfigHome,
	}
	return e.run(args)
}

func (e *env) run(args []string) int {
	// A token that could not be written to stdout (a full disk, a closed
	// descriptor) is a failure, not a silent success.
	out := &errorWriter{w: e.stdout}
	e.stdout = out
	defer func() { e.stdout = out.w }()

	app := e.newApp()
	if isCompletionRequest(args) {
		return e.complete(app, args)
	}
	err := app.Run(reorderArgs(app, args))
	if err == nil && out.err != nil {
		err = fmt.Errorf("cannot write to stdout: %w", out.err)
	}
	if err != nil {
		printError(e.stderr, err)
	}
	return exitCode(err)
}

// errorWriter keeps the first error of the writes to w.
type errorWriter struct {
	w   io.Writer
	err error
}

func (w *errorWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.Write(p)
	if err != nil {
		w.err = err
	}
	return n, err
}

func (e *env) newApp() *cli.App {
	app := &cli.App{
		Name:                   "pxauth",
		Usage:                  "mint Portworx and OpenStorage tokens and switch between identities",
		HideVersion:            true,
		Reader:                 e.stdin,
		Writer:                 e.stdout,
		ErrWriter:              e.stderr,
		UseShortOptionHandling: true,
		Suggest:                true,
		Flags:                  append(globalFlags(), quietFlag(), versionFlag()),
		Commands: []*cli.Command{
			e.tokenCommand(),
			e.ctxCommand(),
			e.configCommand(),
			e.completionCommand(),
			e.versionCommand(),
		},
		Before: e.readGlobalFlags,
		// Errors are printed and mapped to exit codes by run, in one place,
		// so urfave/cli must neither print them nor exit.
		ExitErrHandler: func(*cli.Context, error) {},
		Action:         e.rootAction,
	}
	app.OnUsageError = onUsageError
	app.Flags = withFixedNames(app.Flags)
	prepareCommands(app.Commands)
	return app
}

// prepareCommands makes every command report flag errors as usage errors
// and gives its flags names computed once (see withFixedNames).
func prepareCommands(commands []*cli.Command) {
	for _, cmd := range commands {
		cmd.OnUsageError = onUsageError
		cmd.Flags = withFixedNames(cmd.Flags)
		if len(cmd.Subcommands) > 0 && cmd.Action == nil {
			cmd.Action = unknownCommand
		}
		prepareCommands(cmd.Subcommands)
	}
}

func onUsageError(c *cli.Context, err error, _ bool) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		msg = "unknown flag -" + strings.TrimLeft(name, "-")
		if len(strings.TrimLeft(name, "-")) > 1 {
			msg = "unknown flag --" + strings.TrimLeft(name, "-")
		}
	}
	if name := commandName(c); name != c.App.Name {
		msg = name + ": " + msg
	}
	return usagef("%s; see '%s --help'", msg, helpName(c))
}

// commandName is the command path without the program name, as in
// "token generate".
func commandName(c *cli.Context) string {
	return strings.TrimPrefix(helpName(c), c.App.Name+" ")
}

// unknownCommand shows the help of a command group called without a
// subcommand, and rejects a subcommand it does not have.
func unknownCommand(c *cli.Context) error {
	if c.Args().Present() {
		if looksLikeToken(c.Args().First()) {
			return usagef("unknown command for '%s': the argument looks like a token; see '%s --help'", helpName(c), helpName(c))
		}
		return usagef("unknown command %q for '%s'; see '%s --help'", c.Args().First(), helpName(c), helpName(c))
	}
	return cli.ShowSubcommandHelp(c)
}

func helpName(c *cli.Context) string {
	if c.Command == nil || c.Command.HelpName == "" {
		return c.App.Name
	}
	return c.Command.HelpName
}

// warnf writes a warning on stderr unless -q is given.
func (e *env) warnf(format string, args ...any) {
	if e.quiet {
		return
	}
	fmt.Fprintf(e.stderr, "pxauth: warning: "+format+"\n", args...)
}

// notef writes a note on stderr unless -q is given.
func (e *env) notef(format string, args ...any) {
	if e.quiet {
		return
	}
	fmt.Fprintf(e.stderr, "pxauth: note: "+format+"\n", args...)
}
