package commands

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/jwtgen"
)

// inspectOptions holds the flags and argument of token inspect.
type inspectOptions struct {
	token     string
	fromStdin bool
	verify    bool
	issuer    string
	key       keyOptions
	clockSkew string
	json      bool
}

func (e *env) inspectCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.BoolFlag{
			Name:  "verify",
			Usage: "check the signature, algorithm, issuer, exp and iat with the given key and --issuer",
		},
		&cli.StringFlag{
			Name:  "issuer",
			Usage: "with --verify: the issuer `NAME` the token must carry",
		},
	}
	flags = append(flags, keyFlags("verify")...)
	flags = append(flags,
		&cli.StringFlag{
			Name:  "clock-skew",
			Value: "1m",
			Usage: "with --verify: accept an iat up to this far ahead of this machine's clock",
		},
		&cli.BoolFlag{
			Name:  "json",
			Usage: "print header, claims and status as JSON",
		},
	)

	return &cli.Command{
		Name:      "inspect",
		Usage:     "decode a token and show its claims and expiry",
		ArgsUsage: "[TOKEN | -]",
		Description: "Decodes without verifying unless --verify is given. The token comes from the argument,\n" +
			"or from stdin for - or when no argument is given and stdin is not a terminal.\n" +
			"Prefer stdin: an argument is visible in ps and shell history.",
		Flags: flags,
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return usagef("token inspect takes one token, got %d arguments", c.NArg())
			}
			o := inspectOptions{
				verify:    c.Bool("verify"),
				issuer:    c.String("issuer"),
				key:       readKeyOptions(c),
				clockSkew: c.String("clock-skew"),
				json:      c.Bool("json"),
			}
			o.key.verify = true
			if err := e.inspectPreferences(c, &o); err != nil {
				return err
			}
			switch arg := c.Args().First(); {
			case c.NArg() == 1 && arg == "":
				return fmt.Errorf("the token argument is empty; is the variable that should hold it set?")
			case arg == "-":
				o.fromStdin = true
			case arg != "":
				o.token = arg
			case !e.stdinIsTerminal():
				o.fromStdin = true
			default:
				return usagef("no token; give one as an argument or pipe it on stdin, as in: pxauth ctx token | pxauth token inspect")
			}
			return e.inspect(o)
		},
	}
}

// inspectResult is the --json output of token inspect.
type inspectResult struct {
	Header    json.RawMessage `json:"header"`
	Claims    json.RawMessage `json:"claims"`
	IssuedAt  *string         `json:"issued_at"`
	ExpiresAt *string         `json:"expires_at"`
	Expired   bool            `json:"expired"`
	Verified  bool            `json:"verified"`
}

func (e *env) inspect(o inspectOptions) error {
	if o.fromStdin && o.key.readsStdin() {
		return usagef("the token and --shared-secret-file cannot both read stdin")
	}
	if !o.verify && (o.issuer != "" || len(o.key.sources()) > 0) {
		return usagef("--issuer and key flags go with --verify")
	}
	if o.verify && o.issuer == "" {
		return usagef("--verify needs --issuer, the issuer the cluster expects")
	}

	skew, err := jwtgen.ParseClockSkew(o.clockSkew)
	if err != nil {
		return fmt.Errorf("--clock-skew: %w", err)
	}
	if o.verify {
		if err := e.checkKeySources(o.key); err != nil {
			return err
		}
	}

	token := o.token
	if o.fromStdin {
		data, err := e.readInput("-", "token")
		if err != nil {
			return err
		}
		token = string(data)
	}

	decoded, err := jwtgen.Decode(token)
	if err != nil {
		return err
	}

	if roles, ok := decoded.Claims["roles"].([]any); !ok || len(roles) == 0 {
		e.warnf("the token has no roles, so servers deny every call it makes")
	}

	now := e.now()
	if o.verify {
		key, err := e.loadKey(o.key)
		if err != nil {
			return err
		}
		opts := jwtgen.VerifyOptions{Issuer: o.issuer, ClockSkew: skew, Now: now}
		if err := jwtgen.Verify(token, key, opts); err != nil {
			return err
		}
	}

	if o.json {
		return writeJSON(e.stdout, newInspectResult(decoded, now, o.verify))
	}
	return printDecoded(e.stdout, decoded, now, o.verify)
}

func newInspectResult(d *jwtgen.Decoded, now time.Time, verified bool) inspectResult {
	r := inspectResult{
		Header:   validJSON(d.RawHeader, d.Header),
		Claims:   validJSON(d.RawClaims, d.Claims),
		Verified: verified,
	}
	if d.IssuedAt != nil {
		s := d.IssuedAt.UTC().Format(time.RFC3339)
		r.IssuedAt = &s
	}
	if d.ExpiresAt != nil {
		s := d.ExpiresAt.UTC().Format(time.RFC3339)
		r.ExpiresAt = &s
		r.Expired = !d.ExpiresAt.After(now)
	}
	return r
}

// validJSON returns raw, the JSON as the token has it, unless it holds
// invalid UTF-8; then the decoded value is encoded again, with each bad
// byte replaced by U+FFFD, so that the output stays valid JSON.
func validJSON(raw []byte, decoded map[string]any) json.RawMessage {
	if utf8.Valid(raw) {
		return raw
	}
	b, err := json.Marshal(decoded)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return b
}

// claimOrder is the order claims are shown in; others follow by name.
var claimOrder = []string{"iss", "sub", "name", "email", "roles", "groups", "iat", "nbf", "exp"}

func printDecoded(w io.Writer, d *jwtgen.Decoded, now time.Time, verified bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)

	fmt.Fprintln(tw, "Header")
	for _, k := range sortedKeys(d.Header, []string{"alg", "typ", "kid"}) {
		fmt.Fprintf(tw, "  %s\t%s\n", k, claimText(d.Header[k]))
	}

	fmt.Fprintln(tw, "Claims")
	for _, k := range sortedKeys(d.Claims, claimOrder) {
		text := claimText(d.Claims[k])
		switch {
		case k == "iat" && d.IssuedAt != nil:
			text = localTime(*d.IssuedAt) + " (" + issuedStatus(*d.IssuedAt, now) + ")"
		case k == "exp" && d.ExpiresAt != nil:
			text = localTime(*d.ExpiresAt) + " (" + expiryStatus(*d.ExpiresAt, now) + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", k, text)
	}
	tw.Flush()

	fmt.Fprintf(w, "Status: %s\n", tokenStatus(d, now, verified))
	return nil
}

func tokenStatus(d *jwtgen.Decoded, now time.Time, verified bool) string {
	var status string
	switch {
	case d.ExpiresAt == nil:
		status = "no exp claim, so servers reject it"
	case !d.ExpiresAt.After(now):
		status = expiryStatus(*d.ExpiresAt, now)
	default:
		status = "valid, " + expiryStatus(*d.ExpiresAt, now)
	}

	if verified {
		return status + "; signature verified"
	}
	return status + "; signature not verified (use --verify)"
}

// sortedKeys lists the keys of m, those in first in that order, then the
// rest by name.
func sortedKeys(m map[string]any, first []string) []string {
	keys := make([]string, 0, len(m))
	for _, k := range first {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}

	var rest []string
	for k := range m {
		if !slices.Contains(first, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// claimText renders a decoded JSON value on one line: strings bare, lists
// joined with commas, anything else as compact JSON.
func claimText(v any) string {
	switch v := v.(type) {
	case string:
		return quoteIfNeeded(v)
	case []any:
		parts := make([]string, len(v))
		for i, item := range v {
			parts[i] = claimText(item)
		}
		return strings.Join(parts, ", ")
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}

// quoteIfNeeded quotes strings that would be ambiguous or misleading on a
// terminal: empty ones, those that contain a comma (lists are joined with
// commas), surrounding spaces, and characters that are not printable or
// that change how text around them looks, such as U+202E, which reverses
// it.
func quoteIfNeeded(s string) string {
	if s == "" || strings.Contains(s, ",") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			return strconv.Quote(s)
		}
	}
	return s
}
