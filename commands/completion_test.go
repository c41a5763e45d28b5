package commands

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// completionContexts is a contextconfig file with three contexts, kube
// current. The tokens are inline so no keyring is involved.
const completionContexts = `contextconfig:
  current: kube
  configurations:
    - context: admin
      token: eyJhbGciOiJIUzI1NiJ9.e30.c2ln
    - context: kube
      token: eyJhbGciOiJIUzI1NiJ9.e30.c2ln
    - context: tenant:a
      token: eyJhbGciOiJIUzI1NiJ9.e30.c2ln
`

// completeWords requests completions of the words, the last being the word
// at the cursor, and returns the candidates without descriptions.
func completeWords(t *testing.T, s *sandbox, words ...string) []string {
	t.Helper()
	r := s.runArgs(append(words, completionFlag))
	if r.code != exitOK {
		t.Errorf("completion of %q: exit code %d", words, r.code)
	}
	if r.stderr != "" {
		t.Errorf("completion of %q: stderr %q, want nothing", words, r.stderr)
	}
	var values []string
	for _, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		if line != "" {
			value, _, _ := strings.Cut(line, "\t")
			values = append(values, value)
		}
	}
	return values
}

func TestComplete(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		want  []string
	}{
		{"commands", []string{""}, []string{"token", "ctx", "config", "completion", "version"}},
		{"command prefix", []string{"co"}, []string{"config", "completion"}},
		{"subcommands", []string{"token", ""}, []string{"generate", "inspect"}},
		{"subcommands of alias", []string{"context", "re"}, []string{"rename"}},
		{"ctx use", []string{"ctx", "use", ""}, []string{"admin", "kube", "tenant:a"}},
		{"ctx use prefix", []string{"ctx", "use", "k"}, []string{"kube"}},
		{"ctx use second argument", []string{"ctx", "use", "kube", ""}, nil},
		{"ctx set alias", []string{"ctx", "set", "a"}, []string{"admin"}},
		{"ctx inspect", []string{"ctx", "inspect", "t"}, []string{"tenant:a"}},
		{"ctx token", []string{"ctx", "token", ""}, []string{"admin", "kube", "tenant:a"}},
		{"ctx token after flag", []string{"ctx", "token", "--kube-secret", "s", ""}, []string{"admin", "kube", "tenant:a"}},
		{"ctx delete skips given", []string{"ctx", "rm", "kube", ""}, []string{"admin", "tenant:a"}},
		{"ctx rename old", []string{"ctx", "rename", ""}, []string{"admin", "kube", "tenant:a"}},
		{"ctx rename new", []string{"ctx", "rename", "kube", ""}, nil},
		{"ctx create takes a new name", []string{"ctx", "create", ""}, nil},
		{"context flag", []string{"--context", ""}, []string{"admin", "kube", "tenant:a"}},
		{"context flag after command", []string{"ctx", "token", "--context", "a"}, []string{"admin"}},
		{"context flag with equals", []string{"ctx", "inspect", "--context=k"}, []string{"--context=kube"}},
		{"storage flag", []string{"ctx", "create", "x", "--storage", ""}, []string{"auto", "keyring", "file"}},
		{"storage flag with equals", []string{"token", "generate", "--storage=f"}, []string{"--storage=file"}},
		{"list output", []string{"ctx", "list", "-o", ""}, []string{"table", "name", "json"}},
		{"file flag", []string{"token", "generate", "--auth-config", ""}, nil},
		{"value of other flag", []string{"token", "generate", "--issuer", ""}, nil},
		{"flag value is not a command", []string{"--context", "ctx", ""}, []string{"token", "ctx", "config", "completion", "version"}},
		{"flags", []string{"ctx", "list", "--"}, []string{"--json", "--output", "--context", "--contextconfig", "--quiet", "--version", "--help"}},
		{"flag prefix", []string{"token", "generate", "--kube"}, []string{"--kube-secret", "--kube-secret-key"}},
		{"short flags", []string{"ctx", "list", "-"}, []string{"--json", "--output", "-o", "--context", "--contextconfig", "--quiet", "-q", "--version", "--help"}},
		{"unknown flag value", []string{"--nope=x"}, nil},
		{"after double dash", []string{"ctx", "delete", "--", "-"}, nil},
		{"shells", []string{"completion", ""}, []string{"bash", "fish", "zsh"}},
		{"config", []string{"config", ""}, []string{"path", "view"}},
		{"no word", nil, []string{"token", "ctx", "config", "completion", "version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t)
			if err := os.WriteFile(s.vars[contextConfigEnv], []byte(completionContexts), 0o600); err != nil {
				t.Fatal(err)
			}

			got := completeWords(t, s, tt.words...)

			if !slices.Equal(got, tt.want) {
				t.Errorf("completion of %q = %q, want %q", tt.words, got, tt.want)
			}
		})
	}
}

func TestCompleteContextFile(t *testing.T) {
	s := newSandbox(t)
	other := filepath.Join(s.dir, "other")
	if err := os.WriteFile(other, []byte(strings.ReplaceAll(completionContexts, "admin", "other-admin")), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		words []string
		extra []string
		want  []string
	}{
		{"flag", []string{"--contextconfig", other, "ctx", "use", "o"}, nil, []string{"other-admin"}},
		{"flag with equals", []string{"ctx", "use", "--contextconfig=" + other, "o"}, nil, []string{"other-admin"}},
		{"environment", []string{"ctx", "use", "o"}, []string{contextConfigEnv + "=" + other}, []string{"other-admin"}},
		{"missing file", []string{"ctx", "use", ""}, []string{contextConfigEnv + "=" + filepath.Join(s.dir, "none")}, nil},
		{"damaged file", []string{"ctx", "use", ""}, []string{contextConfigEnv + "=" + s.dir}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.runArgs(append(tt.words, completionFlag), tt.extra...)
			var got []string
			for _, line := range strings.Fields(r.stdout) {
				got = append(got, line)
			}

			if r.code != exitOK {
				t.Errorf("exit code %d", r.code)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("completion of %q = %q, want %q", tt.words, got, tt.want)
			}
			if r.stderr != "" {
				t.Errorf("stderr %q, want nothing", r.stderr)
			}
		})
	}
}

func TestCompleteDescriptions(t *testing.T) {
	s := newSandbox(t)
	if err := os.WriteFile(s.vars[contextConfigEnv], []byte(completionContexts), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"ctx", "use", "k"}, "kube\tcurrent context\n"},
		{[]string{"tok"}, "token\tmint and inspect tokens\n"},
		{[]string{"ctx", "create", "x", "--storage", "f"}, "file\tinline in the contextconfig file\n"},
		{[]string{"token", "generate", "--save"}, "--save-context\talso save the token as context NAME (created or updated)\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.words, " "), func(t *testing.T) {
			r := s.runArgs(append(tt.words, completionFlag))

			if r.stdout != tt.want {
				t.Errorf("completion printed %q, want %q", r.stdout, tt.want)
			}
		})
	}
}

func TestNoKeyring(t *testing.T) {
	var k noKeyring

	if _, err := k.Get("a"); err != errNoKeyring {
		t.Errorf("Get: %v, want errNoKeyring", err)
	}
	if err := k.Set("a", "t"); err != errNoKeyring {
		t.Errorf("Set: %v, want errNoKeyring", err)
	}
	if err := k.Delete("a"); err != errNoKeyring {
		t.Errorf("Delete: %v, want errNoKeyring", err)
	}
}

func TestCompletionScripts(t *testing.T) {
	tests := []struct {
		shell string
		want  []string
	}{
		{"bash", []string{"complete -o default -F _pxauth_completions pxauth", completionFlag}},
		{"zsh", []string{"#compdef pxauth", "compdef _pxauth pxauth", completionFlag}},
		{"fish", []string{"complete -c pxauth", completionFlag}},
	}
	for _, tt := range tests {
		t.Run(tt.shell, func(t *testing.T) {
			r := newSandbox(t).run("completion " + tt.shell)

			if r.code != exitOK {
				t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("completion %s does not contain %q", tt.shell, want)
				}
			}
		})
	}
}

func TestCompletionCommandErrors(t *testing.T) {
	tests := []struct {
		args string
		want string
	}{
		{"completion", "completion needs one shell"},
		{"completion powershell", `unknown shell "powershell"; use bash, zsh or fish`},
		{"completion bash zsh", "completion needs one shell"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			r := newSandbox(t).run(tt.args)

			if r.code != exitUsage {
				t.Errorf("exit code %d, want %d", r.code, exitUsage)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, tt.want)
			}
		})
	}
}
