package contextstore

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestSaveStorageAutoFallsBackToFile(t *testing.T) {
	s, secrets := newStore(t, "")
	secrets.err = errBackend

	res, err := s.Save(Context{Name: "a"}, "tok-a", StorageAuto, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Storage != StorageFile {
		t.Errorf("storage = %q, want file", res.Storage)
	}
	if len(res.Warnings) != 1 {
		t.Fatalf("warnings = %q, want one", res.Warnings)
	}
	for _, want := range []string{errBackend.Error(), s.Path, `"a"`} {
		if !strings.Contains(res.Warnings[0], want) {
			t.Errorf("warning %q does not contain %q", res.Warnings[0], want)
		}
	}
	if strings.Contains(res.Warnings[0], "tok-a") {
		t.Errorf("warning contains the token: %q", res.Warnings[0])
	}
	if tok, err := s.Token("a"); err != nil || tok != "tok-a" {
		t.Errorf("Token = %q, %v; want the inline token", tok, err)
	}
}

func TestSaveStorageAutoUsesKeyring(t *testing.T) {
	s, secrets := newStore(t, "")

	res, err := s.Save(Context{Name: "a"}, "tok-a", StorageAuto, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Storage != StorageKeyring {
		t.Errorf("storage = %q, want keyring", res.Storage)
	}
	if tok, _ := secrets.item("a"); tok != "tok-a" {
		t.Errorf("keyring item = %q", tok)
	}
	if strings.Contains(readString(t, s.Path), "tok-a") {
		t.Error("file contains the token")
	}
}

func TestSaveStorageKeyringFailure(t *testing.T) {
	tests := []struct {
		name    string
		content string
	}{
		{"new file", ""},
		{"existing file", pxctlFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, secrets := newStore(t, tt.content)
			secrets.setErr = errBackend

			_, err := s.Save(Context{Name: "new"}, "tok", StorageKeyring, false)
			if !errors.Is(err, errBackend) {
				t.Errorf("error = %v, want the keyring error", err)
			}
			if tt.content == "" {
				if _, err := os.Stat(s.Path); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("file created: %v", err)
				}
			} else if got := readString(t, s.Path); got != tt.content {
				t.Errorf("file changed:\n%s", got)
			}
			if _, ok := secrets.item("new"); ok {
				t.Error("keyring item stored")
			}
		})
	}
}

func TestSaveStorageFileNeverCallsKeyring(t *testing.T) {
	s, secrets := newStore(t, pxctlFile)

	if _, err := s.Save(Context{Name: "new"}, "tok", StorageFile, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(Context{Name: "admin"}, "tok2", StorageFile, false); err != nil {
		t.Fatal(err)
	}
	if n := secrets.callCount(); n != 0 {
		t.Errorf("keyring calls = %d, want 0", n)
	}
}

func TestSaveStorageFileRemovesKeyringItem(t *testing.T) {
	s, secrets := newStore(t, pxctlFile)
	secrets.items["dev"] = "old"

	res, err := s.Save(Context{Name: "dev"}, "new", StorageFile, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := secrets.item("dev"); ok {
		t.Error("old keyring item still there")
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings = %q", res.Warnings)
	}
	if tok, _ := s.Token("dev"); tok != "new" {
		t.Errorf("Token = %q, want new", tok)
	}
}

func TestSaveWriteFailureRollsBackKeyring(t *testing.T) {
	tests := []struct {
		name     string
		context  string
		old      string // keyring item before, "" for none
		wantItem string // keyring item after, "" for none
	}{
		{"new context", "new", "", ""},
		{"update restores", "dev", "old-token", "old-token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, secrets := newStore(t, pxctlFile)
			if tt.old != "" {
				secrets.items[tt.context] = tt.old
			}
			s.beforeRename = func(string) error { return errors.New("disk full") }

			_, err := s.Save(Context{Name: tt.context}, "tok", StorageKeyring, false)
			if err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Errorf("error = %v, want the write error", err)
			}
			item, ok := secrets.item(tt.context)
			if tt.wantItem == "" && ok {
				t.Errorf("keyring item %q left after a failed write", item)
			}
			if tt.wantItem != "" && item != tt.wantItem {
				t.Errorf("keyring item = %q, want %q", item, tt.wantItem)
			}
			if got := readString(t, s.Path); got != pxctlFile {
				t.Errorf("file changed:\n%s", got)
			}
			assertNoTempFiles(t, s.Path)
		})
	}
}

func TestRenameWriteFailureRollsBackKeyring(t *testing.T) {
	s, secrets := newStore(t, pxctlFile)
	secrets.items["dev"] = "dev-token"
	s.beforeRename = func(string) error { return errors.New("disk full") }

	if _, err := s.Rename("dev", "staging"); err == nil {
		t.Fatal("Rename succeeded")
	}
	if _, ok := secrets.item("staging"); ok {
		t.Error("copied keyring item left after a failed write")
	}
	if tok, _ := secrets.item("dev"); tok != "dev-token" {
		t.Errorf("keyring item of dev = %q, want dev-token", tok)
	}
}

// blockingBackend is a keyring backend whose calls never return until
// release is closed, like a Secret Service waiting for an unlock prompt.
type blockingBackend struct {
	release chan struct{}
}

func (b blockingBackend) Get(service, user string) (string, error) {
	<-b.release
	return "", nil
}

func (b blockingBackend) Set(service, user, password string) error {
	<-b.release
	return nil
}

func (b blockingBackend) Delete(service, user string) error {
	<-b.release
	return nil
}

func TestKeyringTimeout(t *testing.T) {
	const timeout = 100 * time.Millisecond
	backend := blockingBackend{release: make(chan struct{})}
	defer close(backend.release)
	secrets := &osKeyring{timeout: timeout, backend: backend}

	calls := []struct {
		name     string
		call     func() error
		wantHint string
	}{
		{"get", func() error { _, err := secrets.Get("a"); return err }, "unlock the keyring or check that a keyring service is running"},
		{"set", func() error { return secrets.Set("a", "tok") }, "unlock the keyring, or keep the token in the contextconfig file with --storage file"},
		{"delete", func() error { return secrets.Delete("a") }, "unlock the keyring, or remove the item by hand: "},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := c.call()
			elapsed := time.Since(start)

			if !errors.Is(err, ErrKeyringTimeout) {
				t.Fatalf("error = %v, want ErrKeyringTimeout", err)
			}
			if elapsed > timeout+time.Second {
				t.Errorf("returned after %s, timeout %s", elapsed, timeout)
			}
			for _, want := range []string{"did not answer within 100ms", c.wantHint, `"a"`} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestSaveKeyringTimeout(t *testing.T) {
	backend := blockingBackend{release: make(chan struct{})}
	defer close(backend.release)

	s, _ := newStore(t, pxctlFile)
	s.Secrets = &osKeyring{timeout: 100 * time.Millisecond, backend: backend}

	_, err := s.Save(Context{Name: "new"}, "tok", StorageKeyring, false)
	if !errors.Is(err, ErrKeyringTimeout) {
		t.Errorf("keyring storage: error = %v, want ErrKeyringTimeout", err)
	}

	res, err := s.Save(Context{Name: "new"}, "tok", StorageAuto, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Storage != StorageFile || len(res.Warnings) != 1 {
		t.Errorf("auto storage result = %+v, want file with a warning", res)
	}
}

// The tests below swap go-keyring's global provider for its mock.

// newMockedKeyring is NewKeyring without the session bus check, which would
// fail where no D-Bus session runs although the mock needs none.
func newMockedKeyring() Secrets {
	k := NewKeyring(time.Second).(*osKeyring)
	k.findBus = nil
	return k
}

func TestKeyringNoSessionBus(t *testing.T) {
	calls := 0
	k := &osKeyring{
		timeout: time.Second,
		backend: countingBackend{calls: &calls},
		findBus: func() error { return errNoSessionBus },
	}

	err := k.Set("a", "tok-secret")

	var ke *KeyringError
	if !errors.As(err, &ke) {
		t.Fatalf("error = %v, want a *KeyringError", err)
	}
	if !strings.Contains(err.Error(), "DBUS_SESSION_BUS_ADDRESS") {
		t.Errorf("error %q does not name DBUS_SESSION_BUS_ADDRESS", err)
	}
	if calls != 0 {
		t.Errorf("backend called %d times, want 0", calls)
	}
}

// countingBackend counts calls and stores nothing.
type countingBackend struct{ calls *int }

func (b countingBackend) Get(string, string) (string, error) { *b.calls++; return "", nil }
func (b countingBackend) Set(string, string, string) error   { *b.calls++; return nil }
func (b countingBackend) Delete(string, string) error        { *b.calls++; return nil }

func TestKeyringMock(t *testing.T) {
	keyring.MockInit()
	secrets := newMockedKeyring()

	if err := secrets.Set("a", "tok-a"); err != nil {
		t.Fatal(err)
	}
	if tok, err := secrets.Get("a"); err != nil || tok != "tok-a" {
		t.Errorf("Get = %q, %v", tok, err)
	}
	if tok, err := keyring.Get(KeyringService, "a"); err != nil || tok != "tok-a" {
		t.Errorf("item under service %q = %q, %v", KeyringService, tok, err)
	}
	if err := secrets.Delete("a"); err != nil {
		t.Errorf("Delete: %v", err)
	}

	_, err := secrets.Get("a")
	if !errors.Is(err, ErrTokenNotFound) {
		t.Errorf("Get after Delete: %v, want ErrTokenNotFound", err)
	}
	if err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("error %v does not name the context", err)
	}
	if err := secrets.Delete("a"); !errors.Is(err, ErrTokenNotFound) {
		t.Errorf("Delete of a missing item: %v, want ErrTokenNotFound", err)
	}
}

func TestKeyringMockError(t *testing.T) {
	tests := []struct {
		name     string
		backend  error
		wantHint string
	}{
		{"unavailable", errBackend, "keyring service is running"},
		{"too big", keyring.ErrSetDataTooBig, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyring.MockInitWithError(tt.backend)
			err := newMockedKeyring().Set("a", "tok-secret")

			var ke *KeyringError
			if !errors.As(err, &ke) {
				t.Fatalf("error = %v, want a *KeyringError", err)
			}
			if ke.Op != "store" || ke.Context != "a" {
				t.Errorf("KeyringError = %+v", ke)
			}
			if !errors.Is(err, tt.backend) {
				t.Errorf("error does not wrap the backend error")
			}
			if !strings.Contains(err.Error(), tt.wantHint) {
				t.Errorf("error %q lacks hint %q", err, tt.wantHint)
			}
			if strings.Contains(err.Error(), "tok-secret") {
				t.Errorf("error contains the token: %q", err)
			}
		})
	}
}

func TestStoreWithKeyringMock(t *testing.T) {
	keyring.MockInit()
	s, _ := newStore(t, "")
	s.Secrets = newMockedKeyring()

	if _, err := s.Save(Context{Name: "a"}, "tok-a", StorageKeyring, false); err != nil {
		t.Fatal(err)
	}
	if tok, err := s.Token("a"); err != nil || tok != "tok-a" {
		t.Errorf("Token = %q, %v", tok, err)
	}
	if _, err := s.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(KeyringService, "a"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("keyring item after Delete: %v", err)
	}
}
