package contextstore

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// damagedFiles are files no change may rewrite, with the line their error
// names.
var damagedFiles = []struct {
	name    string
	content string
	line    int
}{
	{"truncated", "contextconfig:\n  current: admin\n  configurations:\n  - context: admin\n    token: \"eyJhbGci", 5},
	{"configurations a mapping", "contextconfig:\n  current: a\n  configurations:\n    a:\n      token: x\n", 4},
	{"current a list", "contextconfig:\n  current:\n  - a\n  configurations:\n  - context: a\n", 3},
	{"contextconfig a list", "contextconfig:\n- a\n", 2},
	{"root a list", "- contextconfig\n", 1},
	{"entry without name", "contextconfig:\n  configurations:\n  - context: a\n  - token: x\n    endpoint: y\n", 4},
	{"entry a string", "contextconfig:\n  configurations:\n  - a\n", 3},
	{"empty name", "contextconfig:\n  configurations:\n  - context: \"\"\n", 3},
	{"duplicate current", "contextconfig:\n  current: a\n  configurations:\n  - context: a\n  current: b\n", 5},
	{"identity a string", "contextconfig:\n  configurations:\n  - context: a\n    identity: bob\n", 4},
	{"roles a string", "contextconfig:\n  configurations:\n  - context: a\n    pxauth:\n      roles: system.admin\n", 5},
	{"bad tokenstorage", "contextconfig:\n  configurations:\n  - context: a\n    pxauth:\n      tokenstorage: disk\n", 5},
	{"bad time", "contextconfig:\n  configurations:\n  - context: a\n    pxauth:\n      expiresat: tomorrow\n", 5},
	{"second document", "contextconfig:\n  current: a\n---\nother: 1\n", 3},
	{"tab indentation", "contextconfig:\n\tcurrent: a\n", 2},
}

func TestDamagedFileNeverRewritten(t *testing.T) {
	changes := []struct {
		name   string
		change func(s *Store) error
	}{
		{"save", func(s *Store) error {
			_, err := s.Save(Context{Name: "new"}, "tok", StorageFile, false)
			return err
		}},
		{"use", func(s *Store) error { _, err := s.Use("a"); return err }},
		{"unset", func(s *Store) error { _, err := s.Unset(); return err }},
		{"delete", func(s *Store) error { _, err := s.Delete("a"); return err }},
		{"rename", func(s *Store) error { _, err := s.Rename("a", "b2"); return err }},
	}
	for _, file := range damagedFiles {
		for _, c := range changes {
			t.Run(file.name+"/"+c.name, func(t *testing.T) {
				s, secrets := newStore(t, file.content)
				err := c.change(s)

				var fe *FileError
				if !errors.As(err, &fe) {
					t.Fatalf("error = %v, want a *FileError", err)
				}
				if fe.Line != file.line {
					t.Errorf("line = %d, want %d (%v)", fe.Line, file.line, err)
				}
				if want := fmt.Sprintf("%s:%d: ", s.Path, file.line); !strings.HasPrefix(err.Error(), want) {
					t.Errorf("error %q does not start with %q", err, want)
				}
				if got := readString(t, s.Path); got != file.content {
					t.Errorf("file changed:\n%s", got)
				}
				if n := secrets.callCount(); n != 0 {
					t.Errorf("%d keyring calls for a damaged file", n)
				}
			})
		}
	}
}

func TestDamagedFileLoad(t *testing.T) {
	for _, file := range damagedFiles {
		t.Run(file.name, func(t *testing.T) {
			s, _ := newStore(t, file.content)
			_, err := s.Load()

			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a *FileError", err)
			}
			if fe.Line != file.line {
				t.Errorf("line = %d, want %d (%v)", fe.Line, file.line, err)
			}
		})
	}
}

const duplicateFile = `contextconfig:
  current: a
  configurations:
  - context: a
    token: first
  - context: b
    token: other
  - context: a
    token: second
`

func TestDuplicateNames(t *testing.T) {
	s, _ := newStore(t, duplicateFile)
	cfg := mustLoad(t, s)

	if got := contextNames(cfg); got != "a,b,a" {
		t.Errorf("contexts = %q, want both copies of a", got)
	}
	if got := cfg.Duplicates(); len(got) != 1 || got[0] != "a" {
		t.Errorf("Duplicates = %q, want [a]", got)
	}
	if got := cfg.Names(); strings.Join(got, ",") != "a,b" {
		t.Errorf("Names = %q, want a,b", got)
	}

	_, err := cfg.Lookup("a")
	if !errors.Is(err, ErrDuplicateContext) {
		t.Errorf("Lookup error = %v, want ErrDuplicateContext", err)
	}
	for _, want := range []string{s.Path, "lines 4 and 8"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Lookup error %v does not contain %q", err, want)
		}
	}
	if _, err := cfg.Lookup("b"); err != nil {
		t.Errorf("Lookup of the unique name: %v", err)
	}
}

func TestDuplicateNameChanges(t *testing.T) {
	changes := []struct {
		name   string
		change func(s *Store) error
	}{
		{"save", func(s *Store) error {
			_, err := s.Save(Context{Name: "a"}, "tok", StorageFile, false)
			return err
		}},
		{"use", func(s *Store) error { _, err := s.Use("a"); return err }},
		{"delete", func(s *Store) error { _, err := s.Delete("a"); return err }},
		{"rename", func(s *Store) error { _, err := s.Rename("a", "c"); return err }},
		{"rename onto", func(s *Store) error { _, err := s.Rename("b", "a"); return err }},
		{"token", func(s *Store) error { _, err := s.Token("a"); return err }},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			s, _ := newStore(t, strings.Replace(duplicateFile, "current: a", "current: b", 1))
			before := readString(t, s.Path)

			err := c.change(s)
			if !errors.Is(err, ErrDuplicateContext) && !errors.Is(err, ErrContextExists) {
				t.Errorf("error = %v, want ErrDuplicateContext or ErrContextExists", err)
			}
			if got := readString(t, s.Path); got != before {
				t.Errorf("file changed:\n%s", got)
			}
		})
	}
}
