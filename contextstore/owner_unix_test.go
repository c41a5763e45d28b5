//go:build !windows

package contextstore

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestDirectoryModeTightened(t *testing.T) {
	tests := []struct {
		name  string
		dir   string
		mode  os.FileMode
		owner int // uid to give the directory, -1 to keep the current user
		want  os.FileMode
	}{
		{".pxctl 0755", ".pxctl", 0o755, -1, 0o700},
		{".pxctl 0750", ".pxctl", 0o750, -1, 0o700},
		{".pxctl 0700", ".pxctl", 0o700, -1, 0o700},
		{".pxctl 0555", ".pxctl", 0o555, -1, 0o500},
		{"other directory", "project", 0o755, -1, 0o755},
		{".pxctl of another user", ".pxctl", 0o755, 12345, 0o755},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.owner >= 0 && os.Geteuid() != 0 {
				t.Skip("changing the owner of a directory needs root")
			}
			if tt.mode&0o200 == 0 && os.Geteuid() != 0 {
				t.Skip("writing into a read-only directory needs root")
			}
			dir := filepath.Join(t.TempDir(), tt.dir)
			path := filepath.Join(dir, "contextconfig")
			writeFile(t, path, pxctlFile)
			if err := os.Chmod(dir, tt.mode); err != nil {
				t.Fatal(err)
			}
			if tt.owner >= 0 {
				if err := os.Chown(dir, tt.owner, tt.owner); err != nil {
					t.Fatal(err)
				}
			}
			defer os.Chmod(dir, 0o700)

			s := &Store{Path: path, Secrets: newFakeSecrets()}
			if _, err := s.Use("dev"); err != nil {
				t.Fatal(err)
			}
			assertMode(t, dir, tt.want)
		})
	}
}

func TestOwnerKept(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changing the owner of a file needs root")
	}
	const uid, gid = 12345, 23456

	tests := []struct {
		name    string
		content string // "" for no file before the change
		change  func(s *Store) error
	}{
		{"use", pxctlFile, func(s *Store) error { _, err := s.Use("dev"); return err }},
		{"save", pxctlFile, func(s *Store) error {
			_, err := s.Save(Context{Name: "new"}, "tok", StorageFile, false)
			return err
		}},
		{"save keyring", pxctlFile, func(s *Store) error {
			_, err := s.Save(Context{Name: "new"}, "tok", StorageKeyring, false)
			return err
		}},
		{"delete", pxctlFile, func(s *Store) error { _, err := s.Delete("dev"); return err }},
		{"rename", pxctlFile, func(s *Store) error { _, err := s.Rename("dev", "staging"); return err }},
		{"new file", "", func(s *Store) error {
			_, err := s.Save(Context{Name: "new"}, "tok", StorageFile, false)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, tt.content)
			dir := filepath.Dir(s.Path)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			chownAll(t, uid, gid, dir)
			if tt.content != "" {
				chownAll(t, uid, gid, s.Path)
			}

			if err := tt.change(s); err != nil {
				t.Fatal(err)
			}
			assertOwner(t, s.Path, uid, gid)
			assertOwner(t, s.Path+fileLockSuffix, uid, gid)
			if _, err := os.Stat(s.Path + keyringLockSuffix); err == nil {
				assertOwner(t, s.Path+keyringLockSuffix, uid, gid)
			}
		})
	}
}

func TestNewDirectoryOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changing the owner of a directory needs root")
	}
	home := t.TempDir()
	chownAll(t, 12345, 23456, home)
	s := &Store{Path: filepath.Join(home, ".pxctl", "contextconfig"), Secrets: newFakeSecrets()}

	if _, err := s.Save(Context{Name: "a"}, "tok", StorageFile, false); err != nil {
		t.Fatal(err)
	}
	assertOwner(t, filepath.Dir(s.Path), 12345, 23456)
	assertOwner(t, s.Path, 12345, 23456)
}

func chownAll(t *testing.T, uid, gid int, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
}

func assertOwner(t *testing.T, path string, uid, gid int) {
	t.Helper()
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if int(st.Uid) != uid || int(st.Gid) != gid {
		t.Errorf("owner of %s = %d:%d, want %d:%d", filepath.Base(path), st.Uid, st.Gid, uid, gid)
	}
}
