package commands

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/contextstore"
	"github.com/pxauth/pxauth/internal/preferences"
	"github.com/pxauth/pxauth/jwtgen"
)

// Where a setting's value came from, in the order they win.
const (
	sourceFlag    = "flag"
	sourceEnv     = "env"
	sourceFile    = "file"
	sourceDefault = "default"
)

// preference is a setting that the preferences file may give a default
// for. A flag beats the environment variable, which beats the file, which
// beats the built-in default.
type preference struct {
	key string // key in the preferences file
	// flag is the flag that sets it, "" for keyring-timeout, which has none.
	flag         string
	env          string
	defaultValue string

	// validate checks a value from the environment or the file; name is
	// the environment variable or the key, for the message. Flag values
	// are checked by the command that reads them.
	validate func(name, value string) error
}

// preferenceList has one entry for each of preferences.Keys, in that order.
var preferenceList = []preference{
	{key: "issuer", flag: "issuer", env: "PXAUTH_ISSUER", validate: validateIssuerSetting},
	{key: "token-duration", flag: "token-duration", env: "PXAUTH_TOKEN_DURATION", defaultValue: "1d", validate: validateDurationSetting},
	{key: "clock-skew", flag: "clock-skew", env: "PXAUTH_CLOCK_SKEW", defaultValue: "1m", validate: validateClockSkewSetting},
	{key: "storage", flag: "storage", env: "PXAUTH_STORAGE", defaultValue: string(contextstore.StorageAuto), validate: validateStorageSetting},
	{key: "keyring-timeout", env: keyringTimeoutEnv, defaultValue: contextstore.DefaultKeyringTimeout.String(), validate: validateKeyringTimeoutSetting},
}

func validateIssuerSetting(name, value string) error {
	if err := jwtgen.ValidateIssuer(value); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func validateDurationSetting(name, value string) error {
	if _, err := jwtgen.ParseDuration(value); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func validateClockSkewSetting(name, value string) error {
	if _, err := jwtgen.ParseClockSkew(value); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func validateStorageSetting(name, value string) error {
	if _, err := contextstore.ParseStorage(value); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func validateKeyringTimeoutSetting(name, value string) error {
	if _, err := parseKeyringTimeout(value); err != nil {
		return fmt.Errorf("invalid %s %q; use a positive duration such as 5s or 500ms", name, value)
	}
	return nil
}

func parseKeyringTimeout(value string) (time.Duration, error) {
	d, err := time.ParseDuration(value)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("duration %q is not positive", value)
	}
	return d, nil
}

func findPreference(key string) preference {
	for _, p := range preferenceList {
		if p.key == key {
			return p
		}
	}
	panic("commands: no preference " + key)
}

// setting is the effective value of a preference and where it came from.
type setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source"`

	// Origin is the flag (--issuer), the environment variable
	// (PXAUTH_ISSUER) or FILE:LINE; empty for a default.
	Origin string `json:"origin"`
}

// prefsCache keeps the preferences file for the rest of the process once a
// command has needed it, so that it is read at most once and only by
// commands that use a preference.
type prefsCache struct {
	file *preferences.File
	err  error
	read bool
}

// preferencesPath returns $XDG_CONFIG_HOME/pxauth/config.yaml, or "" when
// there is no config home (in tests). adrg/xdg reads the environment when
// the process starts, so XDG_CONFIG_HOME is looked up through env first,
// where tests can set it. A relative value is ignored, as the XDG Base
// Directory Specification requires.
func (e *env) preferencesPath() string {
	if dir, ok := e.lookupEnv("XDG_CONFIG_HOME"); ok && filepath.IsAbs(dir) {
		return preferences.Path(dir)
	}
	if e.configHome == "" {
		return ""
	}
	return preferences.Path(e.configHome)
}

func (e *env) preferencesFile() (*preferences.File, error) {
	if !e.prefs.read {
		e.prefs.file, e.prefs.err = e.readPreferences()
		e.prefs.read = true
	}
	return e.prefs.file, e.prefs.err
}

func (e *env) readPreferences() (*preferences.File, error) {
	path := e.preferencesPath()
	if path == "" {
		return &preferences.File{}, nil
	}
	return preferences.Read(path)
}

// setting returns the effective value of the preference key for command c:
// the flag when it is given, else the environment variable, else the
// preferences file, else the built-in default. The file is read only when
// neither a flag nor the environment sets the value. c may be nil for a
// preference without a flag.
func (e *env) setting(c *cli.Context, key string) (setting, error) {
	p := findPreference(key)

	if p.flag != "" && c != nil && c.IsSet(p.flag) {
		return setting{Key: key, Value: c.String(p.flag), Source: sourceFlag, Origin: "--" + p.flag}, nil
	}

	if v, ok := e.lookupEnv(p.env); ok && v != "" {
		if err := p.validate(p.env, v); err != nil {
			return setting{}, err
		}
		return setting{Key: key, Value: v, Source: sourceEnv, Origin: p.env}, nil
	}

	file, err := e.preferencesFile()
	if err != nil {
		return setting{}, err
	}
	if v, ok := file.Lookup(key); ok {
		origin := fmt.Sprintf("%s:%d", file.Path, v.Line)
		if err := p.validate(key, v.Text); err != nil {
			return setting{}, fmt.Errorf("%s: %w", origin, err)
		}
		return setting{Key: key, Value: v.Text, Source: sourceFile, Origin: origin}, nil
	}

	return setting{Key: key, Value: p.defaultValue, Source: sourceDefault}, nil
}

// settingValue returns the effective value of the preference key, for
// callers that do not need its origin.
func (e *env) settingValue(c *cli.Context, key string) (string, error) {
	s, err := e.setting(c, key)
	return s.Value, err
}

// keyringTimeout returns the timeout of each keyring call:
// PXAUTH_KEYRING_TIMEOUT, else keyring-timeout in the preferences file,
// else contextstore.DefaultKeyringTimeout.
func (e *env) keyringTimeout() (time.Duration, error) {
	value, err := e.settingValue(nil, "keyring-timeout")
	if err != nil {
		return 0, err
	}
	return parseKeyringTimeout(value)
}

// storageSetting returns the --storage flag, else PXAUTH_STORAGE, else
// storage in the preferences file, else auto, as a Storage.
func (e *env) storageSetting(c *cli.Context) (contextstore.Storage, error) {
	value, err := e.settingValue(c, "storage")
	if err != nil {
		return "", err
	}
	return contextstore.ParseStorage(value)
}

func (e *env) configCommand() *cli.Command {
	return &cli.Command{
		Name:  "config",
		Usage: "show the preferences file and the settings it gives defaults for",
		Description: "The preferences file, $XDG_CONFIG_HOME/pxauth/config.yaml, may set issuer, token-duration,\n" +
			"clock-skew, storage and keyring-timeout. A flag beats the environment variable\n" +
			"(PXAUTH_ISSUER, PXAUTH_TOKEN_DURATION, PXAUTH_CLOCK_SKEW, PXAUTH_STORAGE, PXAUTH_KEYRING_TIMEOUT),\n" +
			"which beats the file, which beats the built-in default.",
		Subcommands: []*cli.Command{
			{
				Name:  "path",
				Usage: "print the path of the preferences file, whether or not it exists",
				Action: func(c *cli.Context) error {
					if err := noArgs(c); err != nil {
						return err
					}
					fmt.Fprintln(e.stdout, e.preferencesPath())
					return nil
				},
			},
			{
				Name:  "view",
				Usage: "print the effective settings and where each comes from: env, file or default",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "json", Usage: "print the path and the settings as JSON"},
				},
				Action: func(c *cli.Context) error {
					if err := noArgs(c); err != nil {
						return err
					}
					return e.viewConfig(c.Bool("json"))
				},
			},
		},
	}
}

// configView is the --json output of config view.
type configView struct {
	Path     string    `json:"path"`
	Exists   bool      `json:"exists"`
	Settings []setting `json:"settings"`
}

func (e *env) viewConfig(asJSON bool) error {
	file, err := e.preferencesFile()
	if err != nil {
		return err
	}

	view := configView{Path: file.Path, Exists: file.Exists}
	for _, key := range preferences.Keys {
		s, err := e.setting(nil, key)
		if err != nil {
			return err
		}
		view.Settings = append(view.Settings, s)
	}

	if asJSON {
		return writeJSON(e.stdout, view)
	}
	printConfig(e.stdout, view)
	return nil
}

func printConfig(w io.Writer, view configView) {
	state := ""
	if !view.Exists {
		state = " (does not exist)"
	}
	fmt.Fprintf(w, "Preferences file: %s%s\n\n", view.Path, state)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVALUE\tSOURCE")
	for _, s := range view.Settings {
		source := s.Source
		if s.Origin != "" {
			source += " (" + s.Origin + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Key, dash(s.Value), source)
	}
	tw.Flush()
}

// generatePreferences fills the settings of token generate that no flag
// gives from the environment, the preferences file or the defaults. The
// storage preference is read only with --save-context, the one case that
// stores a token.
func (e *env) generatePreferences(c *cli.Context, o *generateOptions) error {
	var err error
	if o.issuer, err = e.settingValue(c, "issuer"); err != nil {
		return err
	}
	if o.duration, err = e.settingValue(c, "token-duration"); err != nil {
		return err
	}
	if o.clockSkew, err = e.settingValue(c, "clock-skew"); err != nil {
		return err
	}
	if o.saveContext != "" {
		if o.storage, err = e.settingValue(c, "storage"); err != nil {
			return err
		}
	}
	return nil
}

// inspectPreferences fills the issuer and clock skew of token inspect
// --verify that no flag gives; without --verify neither is used.
func (e *env) inspectPreferences(c *cli.Context, o *inspectOptions) error {
	if !o.verify {
		return nil
	}

	var err error
	if o.issuer, err = e.settingValue(c, "issuer"); err != nil {
		return err
	}
	o.clockSkew, err = e.settingValue(c, "clock-skew")
	return err
}
