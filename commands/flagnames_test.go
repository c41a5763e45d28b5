package commands

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// appFlags returns every flag of the application, its commands and their
// subcommands, with the command path of each.
func appFlags(app *cli.App) map[string][]cli.Flag {
	flags := map[string][]cli.Flag{"pxauth": app.Flags}
	var walk func(prefix string, commands []*cli.Command)
	walk = func(prefix string, commands []*cli.Command) {
		for _, cmd := range commands {
			path := prefix + " " + cmd.Name
			flags[path] = cmd.Flags
			walk(path, cmd.Subcommands)
		}
	}
	walk("pxauth", app.Commands)
	return flags
}

func TestFixedNamesWrapEveryFlag(t *testing.T) {
	app := (&env{}).newApp()

	for path, flags := range appFlags(app) {
		for _, f := range flags {
			var name string
			var aliases []string
			switch f := f.(type) {
			case *stringFlag:
				name, aliases = f.Name, f.Aliases
			case *boolFlag:
				name, aliases = f.Name, f.Aliases
				// urfave/cli's help checks DisableDefaultText on
				// *cli.BoolFlag only, so a wrapped flag would lose it.
				if f.DisableDefaultText {
					t.Errorf("%s: --%s sets DisableDefaultText, which the wrapper hides from the help", path, f.Name)
				}
			default:
				t.Errorf("%s: flag %q is a %T, which withFixedNames does not wrap", path, f.Names()[0], f)
				continue
			}

			if want := cli.FlagNames(name, aliases); !slices.Equal(f.Names(), want) {
				t.Errorf("%s: --%s Names() = %q, want %q", path, name, f.Names(), want)
			}
		}
	}
}

func TestFixedNamesKeepInterfaces(t *testing.T) {
	flags := withFixedNames([]cli.Flag{
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Required: true, Category: "Output"},
		&cli.BoolFlag{Name: "json"},
	})

	for _, f := range flags {
		if _, ok := f.(cli.DocGenerationFlag); !ok {
			t.Errorf("%T is not a cli.DocGenerationFlag", f)
		}
		if _, ok := f.(cli.RequiredFlag); !ok {
			t.Errorf("%T is not a cli.RequiredFlag", f)
		}
		if _, ok := f.(cli.VisibleFlag); !ok {
			t.Errorf("%T is not a cli.VisibleFlag", f)
		}
		if _, ok := f.(cli.CategorizableFlag); !ok {
			t.Errorf("%T is not a cli.CategorizableFlag", f)
		}
		if _, ok := f.(cli.ActionableFlag); !ok {
			t.Errorf("%T is not a cli.ActionableFlag", f)
		}
	}
	if got := flags[0].Names(); !slices.Equal(got, []string{"output", "o"}) {
		t.Errorf("Names() = %q, want [output o]", got)
	}
	if !flags[0].(cli.RequiredFlag).IsRequired() {
		t.Error("the wrapped --output is no longer required")
	}
}

// BenchmarkRunGenerate runs the whole application for one token generate,
// as the pxauth process does after start-up.
func BenchmarkRunGenerate(b *testing.B) {
	args := append([]string{"pxauth"}, strings.Fields(generateKube+" --issuer portworx.com")...)
	e := &env{
		stdin:           strings.NewReader(""),
		lookupEnv:       func(string) (string, bool) { return "", false },
		now:             time.Now,
		stdinIsTerminal: func() bool { return true },
	}

	b.ReportAllocs()
	for b.Loop() {
		e.stdout, e.stderr = io.Discard, io.Discard
		if code := e.run(args); code != exitOK {
			b.Fatalf("token generate exit code %d", code)
		}
	}
}
