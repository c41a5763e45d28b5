package commands

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/contextstore"
	"github.com/pxauth/pxauth/jwtgen"
)

func (e *env) tokenCommand() *cli.Command {
	return &cli.Command{
		Name:  "token",
		Usage: "mint and inspect tokens",
		Subcommands: []*cli.Command{
			e.generateCommand(),
			e.inspectCommand(),
		},
	}
}

// generateOptions holds the flags of token generate.
type generateOptions struct {
	authConfig string
	issuer     string
	key        keyOptions
	duration   string
	clockSkew  string
	output     string
	outputDir  string
	force      bool
	json       bool

	saveContext string
	endpoint    string
	endpointSet bool
	storage     string
	storageSet  bool
	use         bool
	quiet       bool
	store       func() (*contextstore.Store, error)

	// kubeSecret is the Secret to print the token in, nil for the bare
	// token.
	kubeSecret *kubeSecret
}

func (e *env) generateCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{
			Name:      "auth-config",
			Usage:     "user `FILE` in YAML with name, email, sub, roles and groups (- for stdin), or with --output-dir a directory of such *.yaml files",
			TakesFile: true,
		},
		&cli.StringFlag{
			Name:  "issuer",
			Usage: "issuer `NAME`; must equal the cluster's -jwt-issuer exactly, such as portworx.com",
		},
	}
	flags = append(flags, keyFlags("sign")...)
	flags = append(flags,
		&cli.StringFlag{
			Name:  "token-duration",
			Value: "1d",
			Usage: "how long the token is valid: a whole number and a unit s, m, h, d (24h) or y (365d), or a Go duration such as 1h30m",
		},
		&cli.StringFlag{
			Name:  "clock-skew",
			Value: "1m",
			Usage: "set iat this far in the past so that servers with a clock behind this one accept the token (0s turns it off)",
		},
		&cli.StringFlag{
			Name:      "output",
			Usage:     "write the token to `FILE` (mode 0600) instead of stdout; - is stdout",
			TakesFile: true,
		},
		&cli.StringFlag{
			Name:      "output-dir",
			Usage:     "with a directory --auth-config: write one token per user file to `DIR`/NAME.token (created with mode 0700 when missing)",
			TakesFile: true,
		},
		&cli.BoolFlag{
			Name:  "force",
			Usage: "replace the --output file, or the token files in --output-dir, when they exist",
		},
		&cli.BoolFlag{
			Name:  "json",
			Usage: "print the token, its claims and its expiry as JSON",
		},
		&cli.StringFlag{
			Name:  "save-context",
			Usage: "also save the token as context `NAME` (created or updated)",
		},
		&cli.StringFlag{
			Name:  "endpoint",
			Usage: "with --save-context: the cluster's SDK `URL`, such as http://localhost:9001",
		},
		storageFlag(),
		&cli.BoolFlag{
			Name:  "use",
			Usage: "with --save-context: make the context current",
		},
	)
	flags = append(flags, kubeSecretFlags()...)

	return &cli.Command{
		Name:  "generate",
		Usage: "mint a signed token from a user file",
		UsageText: "pxauth token generate --auth-config FILE --issuer NAME (--shared-secret-file FILE | --rsa-private-keyfile FILE | --ecdsa-private-keyfile FILE) [options]\n" +
			"pxauth token generate --auth-config DIR --output-dir DIR --issuer NAME (--shared-secret-file FILE | ...) [--force]",
		Description: "Signs a token with exactly one key: --shared-secret-file (HS256), --rsa-private-keyfile (RS256),\n" +
			"--ecdsa-private-keyfile (ES256, ES384 or ES512 by curve), or, when no key flag is given,\n" +
			"the shared secret in " + secretEnv + ". The token and one newline go to stdout.\n\n" +
			"With --auth-config DIR --output-dir OUT, every *.yaml file directly in DIR (not in subdirectories,\n" +
			"not names starting with a dot) becomes OUT/NAME.token, mode 0600, for NAME.yaml. All files are read,\n" +
			"validated and signed before any token is written; each invalid file is named on stderr with its line,\n" +
			"and then nothing is written. Existing token files are an error unless --force is given. The work runs\n" +
			"on all CPU cores. Each token file gets its name only when complete, so a killed run leaves no partial\n" +
			"file, but token files are not synced one by one: the directory is synced once at the end, and after a\n" +
			"power loss some token files of the last run may be missing or empty. A summary goes to stderr (not with -q).",
		Flags: flags,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				// The arguments are not echoed: they may be the rest of an
				// unquoted --shared-secret value.
				return usagef("token generate takes no arguments, got %d; quote flag values that contain spaces", c.NArg())
			}
			if c.IsSet("output") && c.String("output") == "" {
				return usagef("--output is empty; pass a file path, or leave the flag out for stdout")
			}
			secret, err := readKubeSecretOptions(c)
			if err != nil {
				return err
			}
			o := generateOptions{
				authConfig: c.String("auth-config"),
				issuer:     c.String("issuer"),
				key:        readKeyOptions(c),
				duration:   c.String("token-duration"),
				clockSkew:  c.String("clock-skew"),
				output:     outputPath(c.String("output")),
				outputDir:  c.String("output-dir"),
				force:      c.Bool("force"),
				json:       c.Bool("json"),

				saveContext: c.String("save-context"),
				endpoint:    c.String("endpoint"),
				endpointSet: c.IsSet("endpoint"),
				storage:     c.String("storage"),
				storageSet:  c.IsSet("storage"),
				use:         c.Bool("use"),
				quiet:       c.Bool("quiet"),
				store:       func() (*contextstore.Store, error) { return e.store(c) },
				kubeSecret:  secret,
			}
			if err := e.generatePreferences(c, &o); err != nil {
				return err
			}
			return e.generate(o)
		},
	}
}

// generateResult is the --json output of token generate.
type generateResult struct {
	Token     string        `json:"token,omitempty"`
	Output    string        `json:"output,omitempty"`
	Claims    jwtgen.Claims `json:"claims"`
	ExpiresAt string        `json:"expires_at"`
}

func (e *env) generate(o generateOptions) error {
	if o.authConfig == "" {
		return usagef("--auth-config is required; see 'pxauth token generate --help'")
	}
	dirInput := isDir(o.authConfig)
	if err := checkBatchFlags(o, dirInput); err != nil {
		return err
	}
	if o.outputDir != "" {
		return e.generateBatch(o)
	}
	if o.issuer == "" {
		return usagef("--issuer is required and must equal the cluster's -jwt-issuer, such as --issuer portworx.com")
	}
	if o.authConfig == "-" && o.key.readsStdin() {
		return usagef("--auth-config and --shared-secret-file cannot both read stdin")
	}
	if o.force && o.output == "" {
		return usagef("--force goes with --output")
	}
	if o.kubeSecret != nil && o.json {
		return usagef("--kube-secret and --json given together; use one")
	}
	if err := e.checkKeySources(o.key); err != nil {
		return err
	}
	if o.saveContext == "" && (o.endpointSet || o.storageSet || o.use) {
		return usagef("--endpoint, --storage and --use go with --save-context")
	}
	storage, err := contextstore.ParseStorage(o.storage)
	if err != nil {
		return err
	}
	if o.saveContext != "" {
		if err := checkContextName(o.saveContext); err != nil {
			return err
		}
		if err := contextstore.ValidateName(o.saveContext); err != nil {
			return err
		}
	}

	duration, skew, err := o.validity()
	if err != nil {
		return err
	}
	if o.output != "" {
		if err := checkOutput(o.output, o.force); err != nil {
			return err
		}
	}

	data, err := e.readInput(o.authConfig, "--auth-config")
	if err != nil {
		return err
	}
	user, notices, err := jwtgen.ParseUser(data, displayName(o.authConfig))
	if err != nil {
		return err
	}

	key, err := e.loadKey(o.key)
	if err != nil {
		return err
	}

	claims, err := jwtgen.NewClaims(user, o.issuer, e.now(), duration, skew)
	if err != nil {
		return err
	}
	token, err := jwtgen.Sign(claims, key)
	if err != nil {
		return err
	}
	if len(token) > jwtgen.MaxTokenSize {
		return fmt.Errorf("the token for %s would be %d bytes, more than the %d that pxauth and most servers accept; shorten the name or the list of groups",
			displayName(o.authConfig), len(token), jwtgen.MaxTokenSize)
	}
	e.printNotices(notices)

	if o.saveContext != "" {
		if err := e.saveGenerated(o, token, storage); err != nil {
			return err
		}
		// The global -q leaves out the token, which is in the context now,
		// unless --output, --json or --kube-secret requests it.
		if o.quiet && o.output == "" && !o.json && o.kubeSecret == nil {
			return nil
		}
	}
	return e.printToken(o, token, claims)
}

// saveGenerated stores a freshly signed token as a context.
func (e *env) saveGenerated(o generateOptions, token string, storage contextstore.Storage) error {
	decoded, err := jwtgen.Decode(token)
	if err != nil {
		return err
	}
	s, err := o.store()
	if err != nil {
		return err
	}
	return e.saveContext(s, o.saveContext, o.endpoint, o.endpointSet, token, decoded, storage, o.use)
}

func (e *env) printToken(o generateOptions, token string, claims jwtgen.Claims) error {
	text, err := tokenOutput(token, o.kubeSecret)
	if err != nil {
		return err
	}

	if o.output != "" {
		if err := writeSecretFile(o.output, text, o.force); err != nil {
			return err
		}
		what := "token"
		if o.kubeSecret != nil {
			what = "Secret manifest"
		}
		e.confirmf("%s written to %s", what, o.output)
	}

	if o.json {
		result := generateResult{
			Output:    o.output,
			Claims:    claims,
			ExpiresAt: time.Unix(claims.ExpiresAt, 0).UTC().Format(time.RFC3339),
		}
		if o.output == "" {
			result.Token = token
		}
		return writeJSON(e.stdout, result)
	}

	if o.output == "" {
		e.stdout.Write(text)
	}
	return nil
}

// validity checks the issuer and returns the token duration and the clock
// skew, shared by single and directory runs.
func (o generateOptions) validity() (duration, skew time.Duration, err error) {
	if err := jwtgen.ValidateIssuer(o.issuer); err != nil {
		return 0, 0, err
	}
	duration, err = jwtgen.ParseDuration(o.duration)
	if err != nil {
		return 0, 0, fmt.Errorf("--token-duration: %w", err)
	}
	skew, err = jwtgen.ParseClockSkew(o.clockSkew)
	if err != nil {
		return 0, 0, fmt.Errorf("--clock-skew: %w", err)
	}
	return duration, skew, nil
}

// outputPath maps "-", which kubectl and gh users write for stdout, to no
// output file.
func outputPath(path string) string {
	if path == "-" {
		return ""
	}
	return path
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
