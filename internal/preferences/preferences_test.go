package preferences

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseValues(t *testing.T) {
	data := "# pxauth preferences\n" +
		"issuer: portworx.com\n" +
		"token-duration: 1y\n" +
		"clock-skew: 0\n" +
		"storage: \"file\"\n" +
		"keyring-timeout: 10s # a slow keyring\n"

	f, err := Parse([]byte(data), "config.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}

	tests := []struct {
		key  string
		text string
		line int
	}{
		{"issuer", "portworx.com", 2},
		{"token-duration", "1y", 3},
		{"clock-skew", "0", 4},
		{"storage", "file", 5},
		{"keyring-timeout", "10s", 6},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			v, ok := f.Lookup(tt.key)
			if !ok {
				t.Fatalf("Lookup(%q) found nothing", tt.key)
			}
			if v.Text != tt.text {
				t.Errorf("Lookup(%q).Text = %q, want %q", tt.key, v.Text, tt.text)
			}
			if v.Line != tt.line {
				t.Errorf("Lookup(%q).Line = %d, want %d", tt.key, v.Line, tt.line)
			}
		})
	}
	if !f.Exists {
		t.Errorf("Exists = false for a parsed file")
	}
}

func TestParseEmpty(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"no bytes", ""},
		{"comments only", "# issuer: portworx.com\n\n"},
		{"document marker", "---\n"},
		{"null document", "~\n"},
		{"empty mapping", "{}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.data), "config.yaml")
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.data, err)
			}
			if _, ok := f.Lookup("issuer"); ok {
				t.Errorf("Parse(%q) set issuer", tt.data)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"unknown key", "issuer: x\nisuer: y\n", `config.yaml:2: unknown key "isuer"; did you mean "issuer"?`},
		{"underscore key", "token_duration: 1d\n", `config.yaml:1: unknown key "token_duration"; did you mean "token-duration"?`},
		{"capital key", "Storage: file\n", `config.yaml:1: unknown key "Storage"; did you mean "storage"?`},
		{"unrelated key", "\n\ncolour: always\n", `config.yaml:3: unknown key "colour"; the keys are issuer, token-duration`},
		{"flag spelling", "--issuer: x\n", `config.yaml:1: unknown key "--issuer"; did you mean "issuer"?`},
		{"merge key", "base: &b {issuer: x}\n", `config.yaml:1: unknown key "base"`},
		{"list value", "issuer:\n  - a\n  - b\n", "config.yaml:2: issuer must be a single value, not a list"},
		{"mapping value", "storage: {mode: file}\n", "config.yaml:1: storage must be a single value, not a mapping"},
		{"null value", "issuer:\n", "config.yaml:1: issuer has no value"},
		{"tilde value", "storage: ~\n", "config.yaml:1: storage has no value"},
		{"blank string", "issuer: '  '\n", "config.yaml:1: issuer has no value"},
		{"alias value", "issuer: &i x\nstorage: *i\n", "config.yaml:2: storage: write the value itself, not an alias"},
		{"duplicate key", "storage: file\nissuer: x\nstorage: auto\n", "config.yaml:3: storage is set twice, first on line 1"},
		{"list document", "- issuer\n", "config.yaml:1: the file must be a mapping"},
		{"scalar document", "portworx.com\n", "config.yaml:1: the file must be a mapping"},
		{"two documents", "issuer: x\n---\nissuer: y\n", "config.yaml:2: more than one YAML document"},
		{"bad indentation", "issuer: x\n  storage: file\n", "config.yaml:2: invalid YAML: mapping values are not allowed"},
		{"tab indentation", "issuer: x\n\tstorage: file\n", "config.yaml:2: invalid YAML: found a tab character"},
		{"unclosed quote", "issuer: \"x\n", "invalid YAML: found unexpected end of stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data), "config.yaml")
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want an error containing %q", tt.data, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error %q, want it to contain %q", tt.data, err, tt.want)
			}
		})
	}
}

func TestReadMissing(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		path string
	}{
		{"missing file", filepath.Join(dir, "config.yaml")},
		{"missing directory", filepath.Join(dir, "pxauth", "config.yaml")},
		{"file in the way", filepath.Join(notDir, "config.yaml")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(tt.path)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if f.Exists {
				t.Errorf("Exists = true for %s", tt.path)
			}
			if f.Path != tt.path {
				t.Errorf("Path = %q, want %q", f.Path, tt.path)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("issuer: portworx.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	f, err := Read(path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if v, _ := f.Lookup("issuer"); v.Text != "portworx.com" {
		t.Errorf("issuer = %q, want portworx.com", v.Text)
	}
	if !f.Exists {
		t.Errorf("Exists = false")
	}
}

func TestReadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	data := "# " + strings.Repeat("x", MaxSize) + "\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}

	_, err := Read(path)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Read of %d bytes: error %v, want one that says larger than", len(data), err)
	}
}

func TestReadDirectory(t *testing.T) {
	dir := t.TempDir()

	_, err := Read(dir)
	if err == nil {
		t.Errorf("Read of a directory succeeded")
	}
}

func TestPath(t *testing.T) {
	got := Path(filepath.Join("home", ".config"))

	if want := filepath.Join("home", ".config", "pxauth", "config.yaml"); got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	seeds := []string{
		"issuer: portworx.com\ntoken-duration: 1y\n",
		"storage: file\nkeyring-timeout: 10s\nclock-skew: 0\n",
		"isuer: x\n",
		"issuer: &a x\nstorage: *a\n",
		"issuer:\n  - a\n",
		"a: &a [*a]\n",
		"issuer: x\n---\nstorage: y\n",
		"\t- bad",
		"{issuer: x, issuer: y}",
		"!!binary aXNzdWVy: x\n",
		"? [a, b]\n: c\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data, "config.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "config.yaml:") && !strings.HasPrefix(err.Error(), "config.yaml ") {
				t.Errorf("error %q does not start with the file name", err)
			}
			return
		}

		for key, v := range file.values {
			if !isKey(key) {
				t.Errorf("accepted unknown key %q", key)
			}
			if strings.TrimSpace(v.Text) == "" {
				t.Errorf("accepted an empty value for %q", key)
			}
			if v.Line < 1 {
				t.Errorf("value of %q has line %d", key, v.Line)
			}
		}
	})
}
