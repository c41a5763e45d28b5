package commands

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/contextstore"
	"github.com/pxauth/pxauth/jwtgen"
)

func (e *env) ctxCommand() *cli.Command {
	return &cli.Command{
		Name:    "ctx",
		Aliases: []string{"context"},
		Usage:   "keep named contexts (token and endpoint) and switch between them",
		Description: "Contexts live in $HOME/.pxctl/contextconfig, the file pxctl uses; tokens go to the OS keyring.\n" +
			"A command acts as the --context flag, else " + contextEnv + ", else the current context.",
		Subcommands: []*cli.Command{
			e.ctxCreateCommand(),
			e.ctxUseCommand(),
			e.ctxUnsetCommand(),
			e.ctxCurrentCommand(),
			e.ctxInspectCommand(),
			e.ctxListCommand(),
			e.ctxTokenCommand(),
			e.ctxDeleteCommand(),
			e.ctxRenameCommand(),
		},
	}
}

func (e *env) ctxCreateCommand() *cli.Command {
	return &cli.Command{
		Name:      "create",
		Usage:     "create a context, or update an existing one",
		ArgsUsage: "NAME",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "token-file", Usage: "read the token from `FILE` (- for stdin)", TakesFile: true},
			&cli.StringFlag{Name: "token", Aliases: []string{"t"}, Usage: "the token `VALUE`; visible in ps and shell history, so prefer --token-file"},
			&cli.StringFlag{Name: "endpoint", Aliases: []string{"e"}, Usage: "the cluster's SDK `URL`, such as http://localhost:9001"},
			storageFlag(),
			&cli.BoolFlag{Name: "use", Usage: "make the context current"},
		},
		Action: func(c *cli.Context) error {
			name, err := oneArg(c, "NAME")
			if err != nil {
				return err
			}
			if err := contextstore.ValidateName(name); err != nil {
				return err
			}
			storage, err := e.storageSetting(c)
			if err != nil {
				return err
			}
			raw, err := e.readTokenFlag(c)
			if err != nil {
				return err
			}
			token, decoded, err := e.decodeForContext(raw)
			if err != nil {
				return err
			}
			s, err := e.store(c)
			if err != nil {
				return err
			}
			return e.saveContext(s, name, c.String("endpoint"), c.IsSet("endpoint"), token, decoded, storage, c.Bool("use"))
		},
	}
}

func (e *env) ctxUseCommand() *cli.Command {
	return &cli.Command{
		Name:      "use",
		Aliases:   []string{"set"},
		Usage:     "make a context current; - switches to the previous one",
		ArgsUsage: "NAME | -",
		Action: func(c *cli.Context) error {
			name, err := oneArg(c, "NAME")
			if err != nil {
				return err
			}
			s, err := e.fileStore(c)
			if err != nil {
				return err
			}
			result, err := s.Use(name)
			if err != nil {
				return err
			}

			e.confirmf("switched to context %q", result.Current)
			e.warnIfContextEnv(result.Current)
			return nil
		},
	}
}

func (e *env) ctxUnsetCommand() *cli.Command {
	return &cli.Command{
		Name:  "unset",
		Usage: "leave no context current",
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			s, err := e.fileStore(c)
			if err != nil {
				return err
			}
			if _, err := s.Unset(); err != nil {
				return err
			}
			e.confirmf("no context is current now")
			e.warnIfContextEnv("")
			return nil
		},
	}
}

func (e *env) ctxCurrentCommand() *cli.Command {
	return &cli.Command{
		Name:  "current",
		Usage: "print the name of the context commands act as",
		Description: "Prints the --context flag, else " + contextEnv + ", else the current context of the file,\n" +
			"so a shell prompt shows the identity commands in that shell use. It reads only\n" +
			"the current key of the file and never the keyring.",
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			s, err := e.fileStore(c)
			if err != nil {
				return err
			}
			name, _, err := e.effectiveContext(c, s)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, name)
			return nil
		},
	}
}

func (e *env) ctxTokenCommand() *cli.Command {
	return &cli.Command{
		Name:      "token",
		Usage:     "print a context's token, for Authorization: Bearer headers",
		ArgsUsage: "[NAME]",
		Flags:     kubeSecretFlags(),
		Action: func(c *cli.Context) error {
			secret, err := readKubeSecretOptions(c)
			if err != nil {
				return err
			}
			s, err := e.store(c)
			if err != nil {
				return err
			}
			name, source, err := e.contextArg(c, s)
			if err != nil {
				return err
			}
			token, err := e.contextToken(s, name)
			if err != nil {
				return explainSource(err, source)
			}
			if d, err := jwtgen.Decode(token); err == nil && d.ExpiresAt != nil && !d.ExpiresAt.After(e.now()) {
				e.warnf("the token of context %q %s; servers reject it", name, expiryStatus(*d.ExpiresAt, e.now()))
			}
			return e.printTokenOutput(token, secret)
		},
	}
}

func (e *env) ctxDeleteCommand() *cli.Command {
	return &cli.Command{
		Name:      "delete",
		Aliases:   []string{"rm"},
		Usage:     "delete contexts and their keyring items",
		ArgsUsage: "NAME...",
		Action: func(c *cli.Context) error {
			if !c.Args().Present() {
				return usagef("ctx delete needs at least one context NAME")
			}
			names := dedupe(c.Args().Slice())
			for _, name := range names {
				if err := checkContextName(name); err != nil {
					return err
				}
			}
			s, err := e.store(c)
			if err != nil {
				return err
			}
			result, err := s.Delete(names...)
			if err != nil {
				return err
			}
			for _, w := range result.Warnings {
				e.warnf("%s", w)
			}
			for _, name := range names {
				e.confirmf("deleted context %q", name)
			}
			return nil
		},
	}
}

func (e *env) ctxRenameCommand() *cli.Command {
	return &cli.Command{
		Name:      "rename",
		Usage:     "rename a context, moving its keyring item",
		ArgsUsage: "OLD NEW",
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return usagef("ctx rename needs OLD and NEW, got %d arguments", c.NArg())
			}
			oldName, newName := c.Args().Get(0), c.Args().Get(1)
			if err := checkContextName(oldName); err != nil {
				return err
			}
			if err := checkContextName(newName); err != nil {
				return err
			}
			if err := contextstore.ValidateName(newName); err != nil {
				return err
			}
			s, err := e.store(c)
			if err != nil {
				return err
			}
			result, err := s.Rename(oldName, newName)
			if err != nil {
				return err
			}
			for _, w := range result.Warnings {
				e.warnf("%s", w)
			}
			e.confirmf("renamed context %q to %q", oldName, newName)
			return nil
		},
	}
}

// contextArg returns the context named by the optional argument, or the
// effective context when there is none, with where the name came from.
func (e *env) contextArg(c *cli.Context, s *contextstore.Store) (string, string, error) {
	switch c.NArg() {
	case 0:
		return e.effectiveContext(c, s)
	case 1:
		return c.Args().First(), "argument", checkContextName(c.Args().First())
	}
	return "", "", usagef("%s takes at most one context NAME, got %d arguments", commandName(c), c.NArg())
}

// explainSource adds to a context-not-found error where the name came
// from when it was not written on the command line, because a stale
// PXCTL_CONTEXT is easy to forget.
func explainSource(err error, source string) error {
	if errors.Is(err, contextstore.ErrContextNotFound) && (source == contextEnv || source == "--context") {
		return fmt.Errorf("%w (the name comes from %s)", err, source)
	}
	return err
}

func oneArg(c *cli.Context, what string) (string, error) {
	if c.NArg() != 1 {
		return "", usagef("%s needs one %s, got %d arguments; see '%s --help'", commandName(c), what, c.NArg(), helpName(c))
	}
	return c.Args().First(), checkContextName(c.Args().First())
}

func noArgs(c *cli.Context) error {
	if first := c.Args().First(); c.Args().Present() && !looksLikeToken(first) {
		return usagef("%s takes no arguments, got %q", commandName(c), first)
	}
	if c.Args().Present() {
		return usagef("%s takes no arguments, got %d", commandName(c), c.NArg())
	}
	return nil
}
