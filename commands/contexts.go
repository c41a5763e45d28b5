package commands

import (
	"fmt"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/contextstore"
	"github.com/pxauth/pxauth/jwtgen"
)

// Environment variables of the context commands. PXCTL_CONTEXT and
// PXCTL_CONTEXTCONFIG have the names pxctl users know.
const (
	contextEnv        = "PXCTL_CONTEXT"
	contextConfigEnv  = "PXCTL_CONTEXTCONFIG"
	keyringTimeoutEnv = "PXAUTH_KEYRING_TIMEOUT"
)

func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name:  "context",
			Usage: "run this command as context `NAME` (overrides " + contextEnv + " and the current context)",
		},
		&cli.StringFlag{
			Name:      "contextconfig",
			Usage:     "contexts `FILE` (default $HOME/.pxctl/contextconfig, or " + contextConfigEnv + ")",
			TakesFile: true,
		},
	}
}

// store returns the context store the global flags and the environment
// name, for commands that read or write tokens. The keyring timeout is
// PXAUTH_KEYRING_TIMEOUT, else keyring-timeout in the preferences file.
// The keyring is not contacted until a command needs a token.
func (e *env) store(c *cli.Context) (*contextstore.Store, error) {
	return &contextstore.Store{
		Path:    e.contextConfigPath(c),
		Secrets: &lazyKeyring{timeout: e.keyringTimeout},
	}, nil
}

// lazyKeyring opens the OS keyring at its first call. The keyring timeout,
// and with it the preferences file, is thus read only by a command that
// really calls the keyring. So ctx token of an inline token, ctx delete of
// a missing context and ctx create --storage file work even when the
// preferences file is broken.
type lazyKeyring struct {
	timeout func() (time.Duration, error)

	once    sync.Once
	secrets contextstore.Secrets
	err     error
}

func (k *lazyKeyring) open() (contextstore.Secrets, error) {
	k.once.Do(func() {
		timeout, err := k.timeout()
		if err != nil {
			k.err = err
			return
		}
		k.secrets = contextstore.NewKeyring(timeout)
	})
	return k.secrets, k.err
}

func (k *lazyKeyring) Get(name string) (string, error) {
	secrets, err := k.open()
	if err != nil {
		return "", err
	}
	return secrets.Get(name)
}

func (k *lazyKeyring) Set(name, token string) error {
	secrets, err := k.open()
	if err != nil {
		return err
	}
	return secrets.Set(name, token)
}

func (k *lazyKeyring) Delete(name string) error {
	secrets, err := k.open()
	if err != nil {
		return err
	}
	return secrets.Delete(name)
}

// fileStore returns the context store for commands that only read or
// switch contexts and never need a token (ctx current, use, unset, list
// and inspect). It reads no preferences, so those commands stay fast and
// work even when the preferences file is broken.
func (e *env) fileStore(c *cli.Context) (*contextstore.Store, error) {
	return &contextstore.Store{
		Path:    e.contextConfigPath(c),
		Secrets: contextstore.NewKeyring(contextstore.DefaultKeyringTimeout),
	}, nil
}

func (e *env) contextConfigPath(c *cli.Context) string {
	if path := c.String("contextconfig"); path != "" {
		return path
	}
	if path, ok := e.lookupEnv(contextConfigEnv); ok && path != "" {
		return path
	}
	return contextstore.DefaultPath()
}

// effectiveContext returns the context a command acts as: the --context
// flag, else PXCTL_CONTEXT, else the file's current context. The second
// value names where the choice came from, for messages.
func (e *env) effectiveContext(c *cli.Context, s *contextstore.Store) (string, string, error) {
	if name := c.String("context"); name != "" {
		return name, "--context", checkContextName(name)
	}
	if name, ok := e.lookupEnv(contextEnv); ok && name != "" {
		return name, contextEnv, checkContextName(name)
	}

	name, err := s.Current()
	if err != nil {
		return "", "", err
	}
	if name == "" {
		return "", "", fmt.Errorf("no current context; choose one with 'pxauth ctx use NAME', or name one with --context or %s", contextEnv)
	}
	return name, "current", nil
}

// contextToken returns the token of context name. Keyring items are keyed
// by context name alone, so two contextconfig files with a context of the
// same name share one item, which may hold the other file's token. A
// keyring item is therefore checked against the subject and expiry that
// the file records.
func (e *env) contextToken(s *contextstore.Store, name string) (string, error) {
	cfg, err := s.Load()
	if err != nil {
		return "", err
	}
	ctx, err := cfg.Lookup(name)
	if err != nil {
		return "", err
	}

	token, err := s.Token(name)
	if err != nil {
		return "", err
	}
	if ctx.Storage != contextstore.StorageKeyring || ctx.ExpiresAt.IsZero() {
		return token, nil
	}

	d, err := jwtgen.Decode(token)
	if err != nil {
		return "", fmt.Errorf("the keyring item of context %q does not hold a valid token (%w); create the context again", name, err)
	}
	sameExpiry := d.ExpiresAt != nil && d.ExpiresAt.Unix() == ctx.ExpiresAt.Unix()
	if !sameExpiry || stringClaim(d.Claims, "sub") != ctx.Identity.Subject {
		return "", fmt.Errorf("the keyring item of context %q holds a token for another subject or expiry than %s records; "+
			"another contextconfig file may have a context of the same name (keyring items are keyed by name), so create the context again", name, cfg.Path)
	}
	return token, nil
}

// warnIfContextEnv warns when PXCTL_CONTEXT overrides the current context
// that a command just changed, because the change has no effect in this
// shell until the variable is unset.
func (e *env) warnIfContextEnv(current string) {
	if v, ok := e.lookupEnv(contextEnv); ok && v != "" && v != current {
		e.warnf("%s=%s still wins in this shell; unset it to use the current context", contextEnv, v)
	}
}

// contextFromToken fills the parts of a context that come from the token:
// the identity pxctl shows and the non-secret claims pxauth lists.
func contextFromToken(name, endpoint string, d *jwtgen.Decoded) contextstore.Context {
	ctx := contextstore.Context{
		Name:     name,
		Endpoint: endpoint,
		Identity: contextstore.Identity{
			Subject: stringClaim(d.Claims, "sub"),
			Name:    stringClaim(d.Claims, "name"),
			Email:   stringClaim(d.Claims, "email"),
		},
		Issuer: stringClaim(d.Claims, "iss"),
		Roles:  listClaim(d.Claims, "roles"),
		Groups: listClaim(d.Claims, "groups"),
	}
	if d.IssuedAt != nil {
		ctx.IssuedAt = *d.IssuedAt
	}
	if d.ExpiresAt != nil {
		ctx.ExpiresAt = *d.ExpiresAt
	}
	return ctx
}

func stringClaim(claims map[string]any, name string) string {
	s, _ := claims[name].(string)
	return s
}

// listClaim reads a claim that should be a list of strings. A single
// string counts as a one-item list; other values are left out.
func listClaim(claims map[string]any, name string) []string {
	switch v := claims[name].(type) {
	case string:
		return []string{v}
	case []any:
		list := make([]string, 0, len(v))
		for _, item := range v {
			if s, ok := item.(string); ok {
				list = append(list, s)
			}
		}
		return list
	}
	return nil
}

// withClaims completes a context written by pxctl, which has an inline
// token but none of the claims pxauth records, by decoding that token.
func withClaims(ctx contextstore.Context) contextstore.Context {
	if ctx.Token == "" || !ctx.ExpiresAt.IsZero() {
		return ctx
	}
	d, err := jwtgen.Decode(ctx.Token)
	if err != nil {
		return ctx
	}

	full := contextFromToken(ctx.Name, ctx.Endpoint, d)
	full.Token = ctx.Token
	full.Storage = ctx.Storage
	full.Line = ctx.Line
	if ctx.Identity != (contextstore.Identity{}) {
		full.Identity = ctx.Identity
	}
	return full
}

// decodeForContext reads a token for a context and checks that it decodes
// as a JWT; nothing is stored otherwise.
func (e *env) decodeForContext(raw string) (string, *jwtgen.Decoded, error) {
	token := jwtgen.CleanToken(raw)
	d, err := jwtgen.Decode(token)
	if err != nil {
		return "", nil, err
	}
	return token, d, nil
}

// saveContext stores token as context name and reports what happened on
// stderr.
func (e *env) saveContext(s *contextstore.Store, name, endpoint string, endpointSet bool, token string, d *jwtgen.Decoded, storage contextstore.Storage, use bool) error {
	if endpointSet {
		if err := checkEndpoint(endpoint); err != nil {
			return err
		}
	}
	if storage != contextstore.StorageFile {
		// A broken preferences file must fail the command rather than
		// count as a keyring that failed, which would put the token
		// inline under --storage auto.
		if _, err := e.keyringTimeout(); err != nil {
			return err
		}
	}

	// An empty endpoint makes Save keep the one the context has, decided
	// under the file lock so that a concurrent update cannot undo it.
	ctx := contextFromToken(name, endpoint, d)

	if !ctx.ExpiresAt.IsZero() && !ctx.ExpiresAt.After(e.now()) {
		e.warnf("the token for context %q %s; it is stored anyway", name, expiryStatus(ctx.ExpiresAt, e.now()))
	}

	result, err := s.Save(ctx, token, storage, use)
	if err != nil {
		return err
	}
	for _, w := range result.Warnings {
		e.warnf("%s", w)
	}
	if use {
		e.warnIfContextEnv(name)
	}

	verb := "updated"
	if result.Created {
		verb = "created"
	}
	where := "in the keyring"
	if result.Storage == contextstore.StorageFile {
		where = "inline in " + s.Path
	}
	msg := fmt.Sprintf("%s context %q, token %s", verb, name, where)
	if result.BecameCurrent {
		msg += "; it is now the current context"
	}
	e.confirmf("%s", msg)
	return nil
}

func storageFlag() cli.Flag {
	return &cli.StringFlag{
		Name:  "storage",
		Value: string(contextstore.StorageAuto),
		Usage: "where the token goes: auto (the keyring when it responds, else inline in the file), keyring, or file",
	}
}

// readTokenFlag reads --token or --token-file; exactly one is required.
func (e *env) readTokenFlag(c *cli.Context) (string, error) {
	token, file := c.String("token"), c.String("token-file")
	switch {
	case c.IsSet("token") && file != "":
		return "", usagef("--token and --token-file given together; use one")
	case c.IsSet("token"):
		return token, nil
	case file != "":
		data, err := e.readInput(file, "--token-file")
		return string(data), err
	}
	return "", usagef("a token is required: --token-file FILE, --token-file - for stdin, or --token TOKEN")
}
