package commands

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// viewSettings runs config view --json and returns the settings by key.
func viewSettings(t *testing.T, s *sandbox, extra ...string) (configView, map[string]setting) {
	t.Helper()
	r := s.run("config view --json", extra...)
	if r.code != exitOK {
		t.Fatalf("config view: exit code %d, stderr %q", r.code, r.stderr)
	}
	var view configView
	if err := json.Unmarshal([]byte(r.stdout), &view); err != nil {
		t.Fatalf("config view --json printed %q: %v", r.stdout, err)
	}
	byKey := map[string]setting{}
	for _, st := range view.Settings {
		byKey[st.Key] = st
	}
	return view, byKey
}

func TestSettingSources(t *testing.T) {
	tests := []struct {
		key        string
		env        string
		fileValue  string
		envValue   string
		defaultVal string
	}{
		{"issuer", "PXAUTH_ISSUER", "file.example", "env.example", ""},
		{"token-duration", "PXAUTH_TOKEN_DURATION", "1y", "2h", "1d"},
		{"clock-skew", "PXAUTH_CLOCK_SKEW", "0s", "5m", "1m"},
		{"storage", "PXAUTH_STORAGE", "file", "keyring", "auto"},
		{"keyring-timeout", "PXAUTH_KEYRING_TIMEOUT", "10s", "500ms", "5s"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			s := newSandbox(t)

			_, defaults := viewSettings(t, s)
			if got := defaults[tt.key]; got.Value != tt.defaultVal || got.Source != sourceDefault || got.Origin != "" {
				t.Errorf("without env or file: %+v, want %q from default", got, tt.defaultVal)
			}

			path := s.writePreferences("# preferences\n" + tt.key + ": " + tt.fileValue + "\n")
			_, fromFile := viewSettings(t, s)
			if got := fromFile[tt.key]; got.Value != tt.fileValue || got.Source != sourceFile || got.Origin != path+":2" {
				t.Errorf("with the file: %+v, want %q from %s:2", got, tt.fileValue, path)
			}

			_, fromEnv := viewSettings(t, s, tt.env+"="+tt.envValue)
			if got := fromEnv[tt.key]; got.Value != tt.envValue || got.Source != sourceEnv || got.Origin != tt.env {
				t.Errorf("with env and file: %+v, want %q from %s", got, tt.envValue, tt.env)
			}

			_, emptyEnv := viewSettings(t, s, tt.env+"=")
			if got := emptyEnv[tt.key]; got.Source != sourceFile {
				t.Errorf("with an empty %s: source %q, want file", tt.env, got.Source)
			}
		})
	}
}

// generatedLifetime runs token generate --json and returns exp-iat, which is
// the token duration plus the clock skew.
func generatedLifetime(t *testing.T, s *sandbox, flags string, extra ...string) (time.Duration, string) {
	t.Helper()
	r := s.run(generateKube+" --json "+flags, extra...)
	if r.code != exitOK {
		t.Fatalf("token generate %s: exit code %d, stderr %q", flags, r.code, r.stderr)
	}
	var out struct {
		Claims struct {
			Issuer    string `json:"iss"`
			IssuedAt  int64  `json:"iat"`
			ExpiresAt int64  `json:"exp"`
		} `json:"claims"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("token generate --json printed %q: %v", r.stdout, err)
	}
	return time.Duration(out.Claims.ExpiresAt-out.Claims.IssuedAt) * time.Second, out.Claims.Issuer
}

func TestSettingPrecedenceGenerate(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		name       string
		file       string
		env        []string
		flags      string
		wantLife   time.Duration
		wantIssuer string
	}{
		{"defaults", "", nil, "--issuer flag.example", day + time.Minute, "flag.example"},
		{"file", "issuer: file.example\ntoken-duration: 2d\nclock-skew: 0s\n", nil, "", 2 * day, "file.example"},
		{"env over file", "issuer: file.example\ntoken-duration: 2d\nclock-skew: 0s\n",
			[]string{"PXAUTH_ISSUER=env.example", "PXAUTH_TOKEN_DURATION=3d", "PXAUTH_CLOCK_SKEW=2m"}, "", 3*day + 2*time.Minute, "env.example"},
		{"flag over env", "issuer: file.example\ntoken-duration: 2d\n",
			[]string{"PXAUTH_ISSUER=env.example", "PXAUTH_TOKEN_DURATION=3d", "PXAUTH_CLOCK_SKEW=2m"},
			"--issuer flag.example --token-duration 4d --clock-skew 0s", 4 * day, "flag.example"},
		{"flag equal to default", "token-duration: 2d\nclock-skew: 5m\n", nil,
			"--issuer flag.example --token-duration 1d --clock-skew 1m", day + time.Minute, "flag.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t)
			if tt.file != "" {
				s.writePreferences(tt.file)
			}

			life, issuer := generatedLifetime(t, s, tt.flags, tt.env...)

			if life != tt.wantLife {
				t.Errorf("exp-iat = %v, want %v", life, tt.wantLife)
			}
			if issuer != tt.wantIssuer {
				t.Errorf("iss = %q, want %q", issuer, tt.wantIssuer)
			}
		})
	}
}

func TestSettingStorage(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		env   []string
		flags string
	}{
		{"file", "storage: file\n", nil, ""},
		{"env", "", []string{"PXAUTH_STORAGE=file"}, ""},
		{"flag over file", "storage: keyring\n", nil, "--storage file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t)
			if tt.file != "" {
				s.writePreferences(tt.file)
			}

			// The bus address leads nowhere: only file storage succeeds
			// without a warning.
			r := s.run(generateKube+" --issuer portworx.com --save-context kube "+tt.flags, tt.env...)

			if r.code != exitOK {
				t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, "warning") {
				t.Errorf("stderr %q, want no keyring warning with file storage", r.stderr)
			}
			if !strings.Contains(r.stderr, "token inline in") {
				t.Errorf("stderr %q, want the token stored inline", r.stderr)
			}
		})
	}
}

func TestSettingKeyringTimeoutFromFile(t *testing.T) {
	s := newSandbox(t)
	path := s.writePreferences("keyring-timeout: soon\n")

	// Saving to the keyring reads the keyring timeout; commands that may
	// not need the keyring read it only at their first keyring call.
	r := s.run(generateKube + " --issuer x --save-context kube")

	if r.code != exitFailure {
		t.Errorf("exit code %d, want %d", r.code, exitFailure)
	}
	if want := path + `:1: invalid keyring-timeout "soon"`; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q, want it to contain %q", r.stderr, want)
	}
}

func TestSettingErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		env  []string
		args string
		want string // after the path of the preferences file, or the whole message
	}{
		{"unknown key", "issuer: portworx.com\ntoken_duration: 1d\n", nil, generateKube, `:2: unknown key "token_duration"; did you mean "token-duration"?`},
		{"bad duration in file", "token-duration: forever\n", nil, generateKube + " --issuer x", `:1: token-duration: invalid duration "forever"`},
		{"bad issuer in file", "issuer: https://portworx.com\n", nil, generateKube, ":1: issuer: "},
		{"bad storage in file", "storage: vault\n", nil, "ctx create k --token x", `:1: storage: invalid token storage "vault"`},
		{"bad skew in env", "", []string{"PXAUTH_CLOCK_SKEW=1w"}, generateKube + " --issuer x", `PXAUTH_CLOCK_SKEW: invalid clock skew "1w"`},
		{"bad timeout in env", "", []string{"PXAUTH_KEYRING_TIMEOUT=-1s"}, generateKube + " --issuer x --save-context k", `invalid PXAUTH_KEYRING_TIMEOUT "-1s"; use a positive duration`},
		{"view checks values", "clock-skew: 2d\n", nil, "config view", `:1: clock-skew: invalid clock skew "2d"`},
		{"view reports unknown keys", "colour: never\n", nil, "config view --json", `:1: unknown key "colour"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t)
			path := ""
			if tt.file != "" {
				path = s.writePreferences(tt.file)
			}

			r := s.run(tt.args, tt.env...)

			if r.code != exitFailure {
				t.Errorf("exit code %d, want %d (stderr %q)", r.code, exitFailure, r.stderr)
			}
			if want := "pxauth: " + path + tt.want; !strings.Contains(r.stderr, want) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

// TestPreferencesReadLazily checks that commands which use no preference,
// or get every one they use from flags, do not read the file: a broken
// file does not break them.
func TestPreferencesReadLazily(t *testing.T) {
	const contexts = "contextconfig:\n  current: a\n  configurations:\n" +
		"    - context: a\n      token: eyJhbGciOiJIUzI1NiJ9.e30.c2ln\n" +
		"    - context: b\n      token: eyJhbGciOiJIUzI1NiJ9.e30.c2ln\n"
	tests := []string{
		"--version",
		"version",
		"ctx current",
		"ctx current --context kube",
		"ctx use b",
		"ctx list",
		"ctx inspect a",
		"ctx unset",
		"config path",
		"completion bash",
		generateKube + " --issuer portworx.com --token-duration 1d --clock-skew 1m",
		"token inspect eyJhbGciOiJIUzI1NiJ9.eyJyb2xlcyI6WyJ4Il19.c2ln",
	}
	for _, args := range tests {
		t.Run(args, func(t *testing.T) {
			s := newSandbox(t)
			s.writePreferences("this is: [not valid\n")
			if err := os.WriteFile(s.vars[contextConfigEnv], []byte(contexts), 0o600); err != nil {
				t.Fatal(err)
			}

			r := s.run(args)

			if r.code != exitOK {
				t.Errorf("exit code %d, stderr %q", r.code, r.stderr)
			}
		})
	}
}

func TestConfigPath(t *testing.T) {
	tests := []struct {
		name  string
		extra []string
		want  func(s *sandbox) string
	}{
		{"XDG_CONFIG_HOME", nil, func(s *sandbox) string { return filepath.Join(s.configHome, "pxauth", "config.yaml") }},
		{"relative XDG_CONFIG_HOME ignored", []string{"XDG_CONFIG_HOME=relative"}, func(*sandbox) string { return "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t)

			r := s.run("config path", tt.extra...)

			if want := tt.want(s) + "\n"; r.stdout != want {
				t.Errorf("config path printed %q, want %q", r.stdout, want)
			}
			if _, err := os.Stat(filepath.Join(s.configHome, "pxauth")); err == nil {
				t.Errorf("config path created the pxauth directory")
			}
		})
	}
}

func TestConfigViewText(t *testing.T) {
	s := newSandbox(t)
	path := s.writePreferences("issuer: portworx.com\n")

	r := s.run("config view", "PXAUTH_STORAGE=file")

	tests := []string{
		"Preferences file: " + path + "\n",
		"KEY ", "VALUE ", "SOURCE\n",
		"issuer           portworx.com  file (" + path + ":1)\n",
		"storage          file          env (PXAUTH_STORAGE)\n",
		"token-duration   1d            default\n",
		"keyring-timeout  5s            default\n",
	}
	for _, want := range tests {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("config view printed\n%s\nwant it to contain %q", r.stdout, want)
		}
	}
}

func TestConfigViewMissingFile(t *testing.T) {
	s := newSandbox(t)

	view, settings := viewSettings(t, s)
	text := s.run("config view")

	if view.Exists {
		t.Errorf("exists = true without a file")
	}
	if len(settings) != 5 {
		t.Errorf("%d settings, want 5", len(settings))
	}
	if !strings.Contains(text.stdout, "(does not exist)") {
		t.Errorf("config view printed %q, want it to say the file does not exist", text.stdout)
	}
	if settings["issuer"].Value != "" {
		t.Errorf("issuer %q, want none by default", settings["issuer"].Value)
	}
}

func TestInspectVerifyUsesPreferences(t *testing.T) {
	s := newSandbox(t)
	token := strings.TrimSpace(s.run(generateKube + " --issuer portworx.com").stdout)
	s.writePreferences("issuer: portworx.com\n")

	verified := s.run("token inspect --verify --shared-secret-file " + demoSecret + " " + token)
	plain := s.run("token inspect " + token)

	if verified.code != exitOK {
		t.Errorf("inspect --verify with the issuer from the file: exit code %d, stderr %q", verified.code, verified.stderr)
	}
	if !strings.Contains(verified.stdout, "signature verified") {
		t.Errorf("inspect --verify printed %q, want a verified signature", verified.stdout)
	}
	if plain.code != exitOK {
		t.Errorf("inspect without --verify: exit code %d, stderr %q; the issuer preference must not count as --issuer", plain.code, plain.stderr)
	}
}
