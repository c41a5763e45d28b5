package contextstore

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadPxctlFile(t *testing.T) {
	s, _ := newStore(t, pxctlFile)
	cfg := mustLoad(t, s)

	if cfg.Current != "admin" {
		t.Errorf("Current = %q, want admin", cfg.Current)
	}
	if got := contextNames(cfg); got != "admin,dev" {
		t.Errorf("contexts = %q, want admin,dev", got)
	}
	admin := cfg.Contexts[0]
	if admin.Storage != StorageFile {
		t.Errorf("admin storage = %q, want file (inline token)", admin.Storage)
	}
	if admin.Identity != (Identity{Subject: "6f1c2b9e-4d1a-4f5e-9b8a-1c2d3e4f5a6b", Name: "Storage Administrator", Email: "storage-admin@example.com"}) {
		t.Errorf("admin identity = %+v", admin.Identity)
	}
	if admin.Endpoint != "http://localhost:9001" {
		t.Errorf("admin endpoint = %q", admin.Endpoint)
	}
	if admin.Line != 6 {
		t.Errorf("admin line = %d, want 6", admin.Line)
	}
	if dev := cfg.Contexts[1]; dev.Storage != StorageKeyring {
		t.Errorf("dev storage = %q, want keyring (empty token)", dev.Storage)
	}
}

func TestLoadMissingFile(t *testing.T) {
	s := &Store{Path: filepath.Join(t.TempDir(), "no", "such", "contextconfig")}
	cfg := mustLoad(t, s)
	if len(cfg.Contexts) != 0 || cfg.Current != "" {
		t.Errorf("Load of a missing file = %+v, want no contexts", cfg)
	}

	current, err := s.Current()
	if err != nil || current != "" {
		t.Errorf("Current of a missing file = %q, %v; want \"\", nil", current, err)
	}
}

// unknownFields lists keys of pxctlFile that pxauth does not know, with
// their values.
var unknownFields = []struct {
	path  []string
	value any
}{
	{[]string{"clusters", "default"}, "px1"},
	{[]string{"contextconfig", "viewmode"}, "compact"},
	{[]string{"contextconfig", "configurations", "0", "tlsdata", "cacert"}, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"},
	{[]string{"contextconfig", "configurations", "0", "secure"}, true},
	{[]string{"contextconfig", "configurations", "0", "kubeconfig"}, "/home/user/.kube/config"},
	{[]string{"contextconfig", "configurations", "0", "identity", "department"}, "storage"},
}

func TestChangesKeepUnknownFields(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Store) error
	}{
		{"save update", func(s *Store) error {
			_, err := s.Save(Context{Name: "admin", Endpoint: "http://px:9001"}, "new-token", StorageFile, false)
			return err
		}},
		{"save new", func(s *Store) error {
			_, err := s.Save(Context{Name: "ops"}, "tok", StorageKeyring, true)
			return err
		}},
		{"use", func(s *Store) error { _, err := s.Use("dev"); return err }},
		{"unset", func(s *Store) error { _, err := s.Unset(); return err }},
		{"rename", func(s *Store) error { _, err := s.Rename("admin", "root"); return err }},
		{"delete", func(s *Store) error { _, err := s.Delete("dev"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, pxctlFile)
			if err := tt.change(s); err != nil {
				t.Fatal(err)
			}

			content := readString(t, s.Path)
			doc := generic(t, content)
			for _, f := range unknownFields {
				got, ok := lookupPath(doc, f.path...)
				if !ok {
					t.Errorf("%s lost after %s:\n%s", strings.Join(f.path, "."), tt.name, content)
					continue
				}
				if !reflect.DeepEqual(got, f.value) {
					t.Errorf("%s = %#v after %s, want %#v", strings.Join(f.path, "."), got, tt.name, f.value)
				}
			}
			if !strings.Contains(content, "# written by pxctl") {
				t.Errorf("head comment lost after %s:\n%s", tt.name, content)
			}
		})
	}
}

func TestSaveWritesFields(t *testing.T) {
	s, secrets := newStore(t, "")
	iat := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	in := Context{
		Name:      "admin",
		Endpoint:  "http://localhost:9001",
		Identity:  Identity{Subject: "sub-1", Name: "Admin", Email: "admin@example.com"},
		Issuer:    "openstorage.io",
		Roles:     []string{"system.admin"},
		Groups:    []string{"*"},
		IssuedAt:  iat,
		ExpiresAt: iat.Add(24 * time.Hour),
	}

	res, err := s.Save(in, "tok-1", StorageKeyring, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Storage != StorageKeyring || !res.BecameCurrent {
		t.Errorf("SaveResult = %+v, want created, keyring, became current", res)
	}
	if tok, _ := secrets.item("admin"); tok != "tok-1" {
		t.Errorf("keyring item = %q, want tok-1", tok)
	}

	got := mustLoad(t, s).Contexts[0]
	in.Storage, in.Line = StorageKeyring, got.Line
	if !reflect.DeepEqual(got, in) {
		t.Errorf("loaded context = %+v\nwant %+v", got, in)
	}

	content := readString(t, s.Path)
	for _, want := range []string{`token: ""`, "tokenstorage: keyring", `issuedat: "2025-01-02T03:04:05Z"`, "- system.admin"} {
		if !strings.Contains(content, want) {
			t.Errorf("file lacks %q:\n%s", want, content)
		}
	}
	if strings.Contains(content, "tok-1") {
		t.Errorf("file contains the keyring token:\n%s", content)
	}
}

func TestSaveCurrent(t *testing.T) {
	tests := []struct {
		name         string
		saves        []string // names saved in order; a "+" prefix means use=true
		wantCurrent  string
		wantPrevious string
	}{
		{"first becomes current", []string{"a"}, "a", ""},
		{"second does not", []string{"a", "b"}, "a", ""},
		{"use switches", []string{"a", "+b"}, "b", "a"},
		{"use current again", []string{"a", "+a"}, "a", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, "")
			for _, name := range tt.saves {
				use := strings.HasPrefix(name, "+")
				if _, err := s.Save(Context{Name: strings.TrimPrefix(name, "+")}, "tok", StorageFile, use); err != nil {
					t.Fatal(err)
				}
			}
			cfg := mustLoad(t, s)
			if cfg.Current != tt.wantCurrent {
				t.Errorf("current = %q, want %q", cfg.Current, tt.wantCurrent)
			}
			if cfg.Previous != tt.wantPrevious {
				t.Errorf("previous = %q, want %q", cfg.Previous, tt.wantPrevious)
			}
		})
	}
}

func TestSaveRejects(t *testing.T) {
	tests := []struct {
		name    string
		ctx     Context
		token   string
		storage Storage
		want    error
	}{
		{"invalid name", Context{Name: "a b"}, "tok", StorageFile, ErrInvalidName},
		{"reserved name", Context{Name: "-"}, "tok", StorageFile, ErrInvalidName},
		{"empty token", Context{Name: "a"}, "", StorageFile, nil},
		{"bad storage", Context{Name: "a"}, "tok", "disk", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, "")
			_, err := s.Save(tt.ctx, tt.token, tt.storage, false)
			if err == nil {
				t.Fatal("Save succeeded")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			if _, err := os.Stat(s.Path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("file exists after a rejected Save: %v", err)
			}
		})
	}
}

func TestUse(t *testing.T) {
	tests := []struct {
		name         string
		steps        []string // "-" is `use -`, "!" is unset
		wantCurrent  string
		wantPrevious string
		wantErr      error
	}{
		{"switch", []string{"dev"}, "dev", "admin", nil},
		{"switch back", []string{"dev", "-"}, "admin", "dev", nil},
		{"dash twice", []string{"dev", "-", "-"}, "dev", "admin", nil},
		{"same context", []string{"admin"}, "admin", "", nil},
		{"unset", []string{"!"}, "", "admin", nil},
		{"unset then use", []string{"!", "dev"}, "dev", "admin", nil},
		{"unset then dash", []string{"!", "-"}, "admin", "", nil},
		{"no previous", []string{"-"}, "", "", ErrNoPrevious},
		{"unknown", []string{"prod"}, "", "", ErrContextNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, pxctlFile)
			var err error
			for _, step := range tt.steps {
				if step == "!" {
					_, err = s.Unset()
				} else {
					_, err = s.Use(step)
				}
				if err != nil {
					break
				}
			}

			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("error = %v, want %v", err, tt.wantErr)
				}
				if got := readString(t, s.Path); got != pxctlFile {
					t.Errorf("file changed after a failed use:\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg := mustLoad(t, s)
			if cfg.Current != tt.wantCurrent {
				t.Errorf("current = %q, want %q", cfg.Current, tt.wantCurrent)
			}
			if cfg.Previous != tt.wantPrevious {
				t.Errorf("previous = %q, want %q", cfg.Previous, tt.wantPrevious)
			}
		})
	}
}

func TestUseResult(t *testing.T) {
	s, _ := newStore(t, pxctlFile)
	res, err := s.Use("dev")
	if err != nil {
		t.Fatal(err)
	}
	if res != (SwitchResult{Current: "dev", Previous: "admin", Changed: true}) {
		t.Errorf("Use result = %+v", res)
	}

	res, err = s.Use("dev")
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed {
		t.Errorf("Use of the current context reports a change: %+v", res)
	}
}

func TestUsePatchesInPlace(t *testing.T) {
	s, _ := newStore(t, pxctlFile)
	if _, err := s.Use("dev"); err != nil {
		t.Fatal(err)
	}

	want := strings.Replace(pxctlFile, "  current: admin\n", "  current: dev\n  previous: admin\n", 1)
	if got := readString(t, s.Path); got != want {
		t.Errorf("file after use =\n%s\nwant only the pointer lines changed:\n%s", got, want)
	}
}

func TestDelete(t *testing.T) {
	tests := []struct {
		name         string
		first        string // context to use before deleting
		names        []string
		wantNames    string
		wantCurrent  string
		wantPrevious string
	}{
		{"other", "", []string{"dev"}, "admin", "admin", ""},
		{"current", "", []string{"admin"}, "dev", "", ""},
		{"previous", "dev", []string{"admin"}, "dev", "dev", ""},
		{"both", "", []string{"admin", "dev"}, "", "", ""},
		{"repeated name", "", []string{"dev", "dev"}, "admin", "admin", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, pxctlFile)
			if tt.first != "" {
				if _, err := s.Use(tt.first); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Delete(tt.names...); err != nil {
				t.Fatal(err)
			}

			cfg := mustLoad(t, s)
			if got := contextNames(cfg); got != tt.wantNames {
				t.Errorf("contexts = %q, want %q", got, tt.wantNames)
			}
			if cfg.Current != tt.wantCurrent {
				t.Errorf("current = %q, want %q", cfg.Current, tt.wantCurrent)
			}
			if cfg.Previous != tt.wantPrevious {
				t.Errorf("previous = %q, want %q", cfg.Previous, tt.wantPrevious)
			}
		})
	}
}

func TestDeleteUnknownChangesNothing(t *testing.T) {
	s, secrets := newStore(t, pxctlFile)
	secrets.items["dev"] = "dev-token"

	_, err := s.Delete("dev", "prod")
	if !errors.Is(err, ErrContextNotFound) {
		t.Errorf("error = %v, want ErrContextNotFound", err)
	}
	if !strings.Contains(err.Error(), `"admin", "dev"`) {
		t.Errorf("error %q does not list the known contexts", err)
	}
	if got := readString(t, s.Path); got != pxctlFile {
		t.Errorf("file changed:\n%s", got)
	}
	if _, ok := secrets.item("dev"); !ok {
		t.Error("keyring item of dev removed")
	}
}

func TestDeleteKeyringItems(t *testing.T) {
	tests := []struct {
		name    string
		context string
		item    bool // whether the keyring has an item for the context
	}{
		{"keyring token", "dev", true},
		{"inline token with stale item", "admin", true},
		{"inline token without item", "admin", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, secrets := newStore(t, pxauthInlineFile)
			secrets.items["other"] = "other-token"
			if tt.item {
				secrets.items[tt.context] = "token"
			}

			res, err := s.Delete(tt.context)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := secrets.item(tt.context); ok {
				t.Errorf("keyring item of %s still there", tt.context)
			}
			if _, ok := secrets.item("other"); !ok {
				t.Error("keyring item of another name removed")
			}
			if len(res.Warnings) != 0 {
				t.Errorf("warnings = %q", res.Warnings)
			}
		})
	}
}

func TestDeleteKeyringFailureWarns(t *testing.T) {
	s, secrets := newStore(t, pxctlFile)
	secrets.err = errBackend

	res, err := s.Delete("dev")
	if err != nil {
		t.Fatal(err)
	}
	if got := contextNames(mustLoad(t, s)); got != "admin" {
		t.Errorf("contexts = %q, want admin", got)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], errBackend.Error()) {
		t.Errorf("warnings = %q, want one naming the keyring error", res.Warnings)
	}
}

func TestRename(t *testing.T) {
	tests := []struct {
		name         string
		first        string
		from, to     string
		wantNames    string
		wantCurrent  string
		wantPrevious string
	}{
		{"current", "", "admin", "root", "root,dev", "root", ""},
		{"previous", "dev", "admin", "root", "root,dev", "dev", "root"},
		{"other", "", "dev", "staging", "admin,staging", "admin", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, pxctlFile)
			if tt.first != "" {
				if _, err := s.Use(tt.first); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Rename(tt.from, tt.to); err != nil {
				t.Fatal(err)
			}

			cfg := mustLoad(t, s)
			if got := contextNames(cfg); got != tt.wantNames {
				t.Errorf("contexts = %q, want %q", got, tt.wantNames)
			}
			if cfg.Current != tt.wantCurrent {
				t.Errorf("current = %q, want %q", cfg.Current, tt.wantCurrent)
			}
			if cfg.Previous != tt.wantPrevious {
				t.Errorf("previous = %q, want %q", cfg.Previous, tt.wantPrevious)
			}
		})
	}
}

func TestRenameMovesKeyringItem(t *testing.T) {
	s, secrets := newStore(t, pxctlFile)
	secrets.items["dev"] = "dev-token"

	if _, err := s.Rename("dev", "staging"); err != nil {
		t.Fatal(err)
	}
	if tok, _ := secrets.item("staging"); tok != "dev-token" {
		t.Errorf("keyring item of staging = %q, want dev-token", tok)
	}
	if _, ok := secrets.item("dev"); ok {
		t.Error("keyring item of dev still there")
	}
	if tok, err := s.Token("staging"); err != nil || tok != "dev-token" {
		t.Errorf("Token(staging) = %q, %v", tok, err)
	}
}

func TestRenameRejects(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     error
	}{
		{"existing target", "admin", "dev", ErrContextExists},
		{"unknown source", "prod", "x", ErrContextNotFound},
		{"invalid target", "admin", "a/b", ErrInvalidName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, pxctlFile)
			_, err := s.Rename(tt.from, tt.to)
			if !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			if got := readString(t, s.Path); got != pxctlFile {
				t.Errorf("file changed:\n%s", got)
			}
		})
	}
}

func TestToken(t *testing.T) {
	const fileMarked = "contextconfig:\n  configurations:\n  - context: x\n    token: \"\"\n    pxauth:\n      tokenstorage: file\n"
	tests := []struct {
		name    string
		content string
		context string
		want    string
		wantErr error
	}{
		{"inline", pxctlFile, "admin", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl", nil},
		{"keyring", pxctlFile, "dev", "dev-token", nil},
		{"keyring item missing", pxctlFile + "", "dev", "", ErrTokenNotFound},
		{"file storage without token", fileMarked, "x", "", ErrTokenNotFound},
		{"unknown", pxctlFile, "prod", "", ErrContextNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, secrets := newStore(t, tt.content)
			if tt.want == "dev-token" {
				secrets.items["dev"] = "dev-token"
			}
			got, err := s.Token(tt.context)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("token = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name  string
		valid bool
	}{
		{"admin", true},
		{"prod-eu.1_x", true},
		{"Grüße", true},
		{"", false},
		{"-", false},
		{"a b", false},
		{"a\u00a0b", false},
		{"a/b", false},
		{"a\x7fb", false},
		{"a\nb", false},
		{"\xff", false},
	}
	for _, tt := range tests {
		err := ValidateName(tt.name)
		if (err == nil) != tt.valid {
			t.Errorf("ValidateName(%q) = %v, want valid %v", tt.name, err, tt.valid)
		}
		if err != nil && !errors.Is(err, ErrInvalidName) {
			t.Errorf("ValidateName(%q) error %v does not match ErrInvalidName", tt.name, err)
		}
	}
}

func TestParseStorage(t *testing.T) {
	for _, s := range []string{"auto", "keyring", "file"} {
		if got, err := ParseStorage(s); err != nil || string(got) != s {
			t.Errorf("ParseStorage(%q) = %q, %v", s, got, err)
		}
	}
	if _, err := ParseStorage("disk"); err == nil {
		t.Error("ParseStorage(disk) succeeded")
	}
}

func TestMissingFileCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".pxctl")
	s := &Store{Path: filepath.Join(dir, "contextconfig"), Secrets: newFakeSecrets()}

	if _, err := s.Use("a"); !errors.Is(err, ErrContextNotFound) {
		t.Errorf("Use: %v, want ErrContextNotFound", err)
	}
	if _, err := s.Use("-"); !errors.Is(err, ErrNoPrevious) {
		t.Errorf("Use(-): %v, want ErrNoPrevious", err)
	}
	if _, err := s.Delete("a"); !errors.Is(err, ErrContextNotFound) {
		t.Errorf("Delete: %v, want ErrContextNotFound", err)
	}
	if _, err := s.Rename("a", "b"); !errors.Is(err, ErrContextNotFound) {
		t.Errorf("Rename: %v, want ErrContextNotFound", err)
	}
	if _, err := s.Unset(); err != nil {
		t.Errorf("Unset: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory created: %v", err)
	}
}
