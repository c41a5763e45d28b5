package contextstore

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// fileOps calls every Store method that reads the contextconfig file. The
// file they run on holds a context "a" where it holds any.
var fileOps = []struct {
	name string
	run  func(s *Store) error
}{
	{"load", func(s *Store) error { _, err := s.Load(); return err }},
	{"current", func(s *Store) error { _, err := s.Current(); return err }},
	{"token", func(s *Store) error { _, err := s.Token("a"); return err }},
	{"save file", func(s *Store) error {
		_, err := s.Save(Context{Name: "a"}, "tok", StorageFile, false)
		return err
	}},
	{"save keyring", func(s *Store) error {
		_, err := s.Save(Context{Name: "a"}, "tok", StorageKeyring, false)
		return err
	}},
	{"use", func(s *Store) error { _, err := s.Use("a"); return err }},
	{"unset", func(s *Store) error { _, err := s.Unset(); return err }},
	{"delete", func(s *Store) error { _, err := s.Delete("a"); return err }},
	{"rename", func(s *Store) error { _, err := s.Rename("a", "b"); return err }},
}

func TestFileTooLarge(t *testing.T) {
	for _, op := range fileOps {
		t.Run(op.name, func(t *testing.T) {
			s, secrets := newStore(t, "contextconfig:\n")
			if err := os.Truncate(s.Path, maxFileSize+1); err != nil {
				t.Fatal(err)
			}

			err := op.run(s)

			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a *FileError", err)
			}
			if !strings.Contains(err.Error(), "larger than 64 MiB") {
				t.Errorf("error %q does not name the limit", err)
			}
			info, err := os.Stat(s.Path)
			if err != nil {
				t.Fatal(err)
			}
			if info.Size() != maxFileSize+1 {
				t.Errorf("file size = %d after %s, want it unchanged", info.Size(), op.name)
			}
			if n := secrets.callCount(); n != 0 {
				t.Errorf("%d keyring calls", n)
			}
		})
	}
}
