package commands

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/contextstore"
)

// contextView is the part of a context that ctx inspect and ctx list
// show, in the shape of their --json output. It never holds the token.
type contextView struct {
	Name      string       `json:"name"`
	Current   bool         `json:"current"`
	Endpoint  string       `json:"endpoint"`
	Identity  identityView `json:"identity"`
	Issuer    string       `json:"issuer"`
	Roles     []string     `json:"roles"`
	Groups    []string     `json:"groups"`
	IssuedAt  *time.Time   `json:"issued_at"`
	ExpiresAt *time.Time   `json:"expires_at"`
	Expired   bool         `json:"expired"`
	Status    string       `json:"status"`
	Storage   string       `json:"storage"`
}

type identityView struct {
	Subject string `json:"subject"`
	Name    string `json:"name"`
	Email   string `json:"email"`
}

func newContextView(ctx contextstore.Context, current string, now time.Time) contextView {
	ctx = withClaims(ctx)
	v := contextView{
		Name:     ctx.Name,
		Current:  ctx.Name == current,
		Endpoint: ctx.Endpoint,
		Identity: identityView(ctx.Identity),
		Issuer:   ctx.Issuer,
		Roles:    nonNil(ctx.Roles),
		Groups:   nonNil(ctx.Groups),
		Status:   "unknown",
		Storage:  string(ctx.Storage),
	}
	if !ctx.IssuedAt.IsZero() {
		t := ctx.IssuedAt.UTC()
		v.IssuedAt = &t
	}
	if !ctx.ExpiresAt.IsZero() {
		t := ctx.ExpiresAt.UTC()
		v.ExpiresAt = &t
		v.Expired = !t.After(now)
		v.Status = "valid, " + expiryStatus(t, now)
		if v.Expired {
			v.Status = expiryStatus(t, now)
		}
	}
	return v
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

func (e *env) ctxInspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show a context: identity, issuer, roles, groups, expiry, where the token is stored",
		ArgsUsage: "[NAME]",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the context as JSON"},
		},
		Action: func(c *cli.Context) error {
			s, err := e.fileStore(c)
			if err != nil {
				return err
			}
			name, source, err := e.contextArg(c, s)
			if err != nil {
				return err
			}
			cfg, err := s.Load()
			if err != nil {
				return err
			}
			ctx, err := cfg.Lookup(name)
			if err != nil {
				return explainSource(err, source)
			}

			current, _, _ := e.effectiveContext(c, s)
			view := newContextView(*ctx, current, e.now())
			if c.Bool("json") {
				return writeJSON(e.stdout, view)
			}
			printContext(e.stdout, view, cfg.Path)
			return nil
		},
	}
}

func printContext(w io.Writer, v contextView, path string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(label, value string) {
		if value == "" {
			value = "-"
		}
		fmt.Fprintf(tw, "%s:\t%s\n", label, value)
	}

	name := cell(v.Name)
	if v.Current {
		name += " (current)"
	}
	row("Context", name)
	row("Endpoint", cell(v.Endpoint))
	row("Subject", cell(v.Identity.Subject))
	row("Name", cell(v.Identity.Name))
	row("Email", cell(v.Identity.Email))
	row("Issuer", cell(v.Issuer))
	row("Roles", joinList(v.Roles, ", "))
	row("Groups", joinList(v.Groups, ", "))
	if v.IssuedAt != nil {
		row("Issued", localTime(*v.IssuedAt))
	} else {
		row("Issued", "")
	}
	if v.ExpiresAt != nil {
		row("Expires", localTime(*v.ExpiresAt))
	} else {
		row("Expires", "")
	}
	row("Status", v.Status)
	row("Token", storageText(v, path))
	tw.Flush()
}

func storageText(v contextView, path string) string {
	if v.Storage == string(contextstore.StorageFile) {
		return "inline in " + path
	}
	return fmt.Sprintf("keyring (service %q, user %q)", contextstore.KeyringService, v.Name)
}

func (e *env) ctxListCommand() *cli.Command {
	return &cli.Command{
		Name:    "list",
		Aliases: []string{"ls"},
		Usage:   "list contexts; the current one is marked *",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the contexts as JSON"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "output `FORMAT`: table, name (names only) or json"},
		},
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			format := c.String("output")
			if c.Bool("json") && format != "" && format != "json" {
				return usagef("--json and --output %s given together; use one", format)
			}
			if c.Bool("json") {
				format = "json"
			}
			if format == "" {
				format = "table"
			}
			if format != "table" && format != "name" && format != "json" {
				return usagef("invalid --output %q; use table, name or json", format)
			}

			s, err := e.fileStore(c)
			if err != nil {
				return err
			}
			cfg, err := s.Load()
			if err != nil {
				return err
			}
			if dups := cfg.Duplicates(); len(dups) > 0 {
				e.warnf("%s defines these contexts more than once: %s; edit the file so each name appears once", cfg.Path, strings.Join(dups, ", "))
			}

			current, source, _ := e.effectiveContext(c, s)
			if source != "current" && current != "" && !slices.Contains(cfg.Names(), current) {
				e.warnf("%s names context %q, which %s does not have", source, current, cfg.Path)
			}
			now := e.now()
			views := make([]contextView, 0, len(cfg.Contexts))
			for _, ctx := range cfg.Contexts {
				views = append(views, newContextView(ctx, current, now))
			}

			switch format {
			case "json":
				return writeJSON(e.stdout, views)
			case "name":
				for _, v := range views {
					fmt.Fprintln(e.stdout, v.Name)
				}
				return nil
			}
			printContextTable(e.stdout, views, now)
			return nil
		},
	}
}

func printContextTable(w io.Writer, views []contextView, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CURRENT\tNAME\tSUBJECT\tROLES\tEXPIRES\tSTORAGE")
	for _, v := range views {
		mark := ""
		if v.Current {
			mark = "*"
		}
		expires := "-"
		if v.ExpiresAt != nil {
			if v.Expired {
				expires = "EXPIRED " + shortDuration(now.Sub(*v.ExpiresAt)) + " ago"
			} else {
				expires = "in " + shortDuration(v.ExpiresAt.Sub(now))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", mark, cell(v.Name), cell(v.Identity.Subject), dash(joinList(v.Roles, ",")), expires, v.Storage)
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// cell renders a value from the file or a token for a table or a
// "label: value" line: quoted when it could break the layout or the
// terminal, "-" when empty.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return quoteIfNeeded(s)
}

// joinList joins list items, each quoted when needed, with sep.
func joinList(list []string, sep string) string {
	parts := make([]string, len(list))
	for i, item := range list {
		parts[i] = quoteIfNeeded(item)
	}
	return strings.Join(parts, sep)
}
