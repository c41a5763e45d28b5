package contextstore

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

// lockTestFile has a context with its token in the keyring (k), two with
// inline tokens (a from pxctl, u stored by pxauth) and one to switch to (b).
const lockTestFile = `contextconfig:
  current: a
  configurations:
  - context: a
    token: inline-a
  - context: b
    token: inline-b
  - context: k
    token: ""
  - context: u
    token: inline-u
    pxauth:
      tokenstorage: file
`

func TestKeyringCallsOutsideFileLock(t *testing.T) {
	tests := []struct {
		name string
		op   func(s *Store) error
	}{
		{"delete keyring context", func(s *Store) error { _, err := s.Delete("k"); return err }},
		{"delete inline context", func(s *Store) error { _, err := s.Delete("u"); return err }},
		{"rename keyring context", func(s *Store) error { _, err := s.Rename("k", "k2"); return err }},
		{"rename inline context", func(s *Store) error { _, err := s.Rename("u", "u2"); return err }},
		{"save keyring", func(s *Store) error {
			_, err := s.Save(Context{Name: "n"}, "tok", StorageKeyring, false)
			return err
		}},
		{"save auto update", func(s *Store) error {
			_, err := s.Save(Context{Name: "k"}, "tok", StorageAuto, false)
			return err
		}},
		{"save file over keyring context", func(s *Store) error {
			_, err := s.Save(Context{Name: "k"}, "tok", StorageFile, false)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, secrets := newStore(t, lockTestFile)
			s.LockTimeout = 10 * time.Second
			secrets.items["k"] = "k-token"
			secrets.items["u"] = "stale"
			secrets.block = make(chan struct{})
			secrets.entered = make(chan struct{}, 1)

			done := make(chan error, 1)
			go func() { done <- tt.op(s) }()
			select {
			case <-secrets.entered:
			case err := <-done:
				t.Fatalf("returned %v without calling the keyring", err)
			case <-time.After(5 * time.Second):
				t.Fatal("no keyring call within 5s")
			}

			other := &Store{Path: s.Path, LockTimeout: time.Second, Secrets: newFakeSecrets()}
			if _, err := other.Use("b"); err != nil {
				t.Errorf("Use while a keyring call hangs: %v", err)
			}

			close(secrets.block)
			if err := <-done; err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			if cfg := mustLoad(t, s); cfg.Current != "b" {
				t.Errorf("current = %q, want b from the Use", cfg.Current)
			}
		})
	}
}

func TestDeleteKeepsItemSavedMeanwhile(t *testing.T) {
	s, secrets := newStore(t, pxctlFile)
	s.LockTimeout = 10 * time.Second
	secrets.items["dev"] = "old"
	secrets.block = make(chan struct{})
	secrets.entered = make(chan struct{}, 1)

	// The Save takes the keyring lock and hangs in the keyring.
	saver := &Store{Path: s.Path, LockTimeout: 10 * time.Second, Secrets: secrets}
	saved := make(chan error, 1)
	go func() {
		_, err := saver.Save(Context{Name: "dev"}, "new", StorageKeyring, false)
		saved <- err
	}()
	<-secrets.entered

	// The Delete writes the file and waits for the keyring lock.
	deleted := make(chan error, 1)
	go func() {
		_, err := s.Delete("dev")
		deleted <- err
	}()
	waitUntil(t, func() bool {
		_, err := mustLoad(t, s).Lookup("dev")
		return errors.Is(err, ErrContextNotFound)
	})

	close(secrets.block)
	if err := <-saved; err != nil {
		t.Fatalf("Save: %v", err)
	}
	if err := <-deleted; err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if tok, ok := secrets.item("dev"); tok != "new" {
		t.Errorf("keyring item of dev = %q (present %v), want the token of the Save", tok, ok)
	}
	if tok, err := s.Token("dev"); err != nil || tok != "new" {
		t.Errorf("Token(dev) = %q, %v", tok, err)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDeleteStaleItem(t *testing.T) {
	tests := []struct {
		name         string
		context      string
		err          error
		wantWarnings int
	}{
		{"inline token, item removed", "admin", nil, 0},
		{"inline token, keyring fails", "admin", errBackend, 0},
		{"inline token, no session bus", "admin", errNoSessionBus, 0},
		{"keyring token, keyring fails", "dev", errBackend, 1},
		{"keyring token, no session bus", "dev", errNoSessionBus, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, secrets := newStore(t, pxauthInlineFile)
			secrets.items[tt.context] = "stale"
			secrets.err = tt.err

			res, err := s.Delete(tt.context)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Warnings) != tt.wantWarnings {
				t.Errorf("warnings = %q, want %d", res.Warnings, tt.wantWarnings)
			}
			if _, ok := secrets.item(tt.context); ok == (tt.err == nil) {
				t.Errorf("keyring item present = %v with keyring error %v", ok, tt.err)
			}
		})
	}
}

func TestRenameRemovesStaleItem(t *testing.T) {
	s, secrets := newStore(t, pxauthInlineFile)
	secrets.items["admin"] = "stale"

	res, err := s.Rename("admin", "root")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings = %q", res.Warnings)
	}
	if _, ok := secrets.item("admin"); ok {
		t.Error("stale keyring item of admin still there")
	}
	if _, ok := secrets.item("root"); ok {
		t.Error("keyring item created for root, whose token is inline")
	}
}

func TestStaleItemRemovedByDelete(t *testing.T) {
	tests := []struct {
		name    string
		storage Storage
		warning string
	}{
		{"auto fell back to the file", StorageAuto, "may still be in the keyring"},
		{"file could not remove the item", StorageFile, "may still be in the keyring"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, secrets := newStore(t, pxctlFile)
			secrets.items["dev"] = "old"
			secrets.err = errBackend

			res, err := s.Save(Context{Name: "dev"}, "new", tt.storage, false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Storage != StorageFile {
				t.Errorf("storage = %q, want file", res.Storage)
			}
			if last := res.Warnings[len(res.Warnings)-1]; !strings.Contains(last, tt.warning) {
				t.Errorf("last warning %q does not contain %q", last, tt.warning)
			}

			secrets.err = nil
			res2, err := s.Delete("dev")
			if err != nil {
				t.Fatal(err)
			}
			if len(res2.Warnings) != 0 {
				t.Errorf("Delete warnings = %q", res2.Warnings)
			}
			if _, ok := secrets.item("dev"); ok {
				t.Error("keyring item of dev still there after Delete")
			}
		})
	}
}

func TestDeleteKeyringLockTimeout(t *testing.T) {
	tests := []struct {
		name         string
		context      string
		wantWarnings int
	}{
		{"keyring token", "dev", 1},
		{"inline token", "admin", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, secrets := newStore(t, pxctlFile)
			s.LockTimeout = 200 * time.Millisecond
			held := flock.New(s.Path + keyringLockSuffix)
			if err := held.Lock(); err != nil {
				t.Fatal(err)
			}
			defer held.Unlock()

			res, err := s.Delete(tt.context)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := mustLoad(t, s).Lookup(tt.context); !errors.Is(err, ErrContextNotFound) {
				t.Errorf("context still in the file: %v", err)
			}
			if len(res.Warnings) != tt.wantWarnings {
				t.Fatalf("warnings = %q, want %d", res.Warnings, tt.wantWarnings)
			}
			if tt.wantWarnings > 0 && !strings.Contains(res.Warnings[0], "keyring.lock") {
				t.Errorf("warning %q does not name the keyring lock", res.Warnings[0])
			}
			if n := secrets.callCount(); n != 0 {
				t.Errorf("%d keyring calls without the keyring lock", n)
			}
		})
	}
}

func TestSaveKeyringLockTimeout(t *testing.T) {
	s, secrets := newStore(t, pxctlFile)
	s.LockTimeout = 200 * time.Millisecond
	held := flock.New(s.Path + keyringLockSuffix)
	if err := held.Lock(); err != nil {
		t.Fatal(err)
	}
	defer held.Unlock()

	_, err := s.Save(Context{Name: "new"}, "tok", StorageKeyring, false)
	if !errors.Is(err, ErrLockTimeout) {
		t.Errorf("keyring storage: error = %v, want ErrLockTimeout", err)
	}
	if _, err := s.Save(Context{Name: "new"}, "tok", StorageFile, false); err != nil {
		t.Errorf("file storage waits for the keyring lock: %v", err)
	}
	if n := secrets.callCount(); n != 0 {
		t.Errorf("%d keyring calls", n)
	}
}

// pxauthInlineFile is pxctlFile with the admin context marked as stored by
// pxauth with its token inline, so a stale keyring item of it may exist.
var pxauthInlineFile = strings.Replace(pxctlFile, "    kubeconfig: /home/user/.kube/config\n",
	"    kubeconfig: /home/user/.kube/config\n    pxauth:\n      tokenstorage: file\n", 1)

func TestDeletePxctlContextSkipsKeyring(t *testing.T) {
	s, secrets := newStore(t, pxctlFile)
	secrets.items["admin"] = "item of another file"

	if _, err := s.Delete("admin"); err != nil {
		t.Fatal(err)
	}
	if _, ok := secrets.item("admin"); !ok {
		t.Error("Delete of a context pxctl wrote removed a keyring item")
	}
	if secrets.callCount() != 0 {
		t.Errorf("Delete of a context pxctl wrote made %d keyring calls, want 0", secrets.callCount())
	}
}
