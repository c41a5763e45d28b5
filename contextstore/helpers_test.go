package contextstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// pxctlFile is a file as pxctl and pxc write it, with keys pxauth does not
// know at every level and comments.
const pxctlFile = `# written by pxctl
contextconfig:
  current: admin
  # contexts follow
  configurations:
  - context: admin
    token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl
    identity:
      subject: 6f1c2b9e-4d1a-4f5e-9b8a-1c2d3e4f5a6b
      name: Storage Administrator
      email: storage-admin@example.com
      department: storage
    endpoint: http://localhost:9001
    tlsdata:
      cacert: |
        -----BEGIN CERTIFICATE-----
        MIIB
        -----END CERTIFICATE-----
    secure: true
    kubeconfig: /home/user/.kube/config
  - context: dev
    token: ""
    identity:
      subject: dev@example.com
      name: Developer
      email: dev@example.com
    endpoint: http://localhost:9021
  viewmode: compact
clusters:
  default: px1
`

// fakeSecrets is an in-memory Secrets that counts calls and can fail or
// block.
type fakeSecrets struct {
	mu      sync.Mutex
	items   map[string]string
	calls   int
	err     error         // returned by every call when set
	block   chan struct{} // every call waits on it when set
	entered chan struct{} // receives a value, if it has room, when a call starts
	setErr  error         // returned by Set only
}

func newFakeSecrets() *fakeSecrets {
	return &fakeSecrets{items: map[string]string{}}
}

func (f *fakeSecrets) enter() error {
	f.mu.Lock()
	f.calls++
	block := f.block
	err := f.err
	f.mu.Unlock()
	if f.entered != nil {
		select {
		case f.entered <- struct{}{}:
		default:
		}
	}
	if block != nil {
		<-block
	}
	return err
}

func (f *fakeSecrets) Get(name string) (string, error) {
	if err := f.enter(); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	tok, ok := f.items[name]
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrTokenNotFound, name)
	}
	return tok, nil
}

func (f *fakeSecrets) Set(name, token string) error {
	if err := f.enter(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.setErr != nil {
		return f.setErr
	}
	f.items[name] = token
	return nil
}

func (f *fakeSecrets) Delete(name string) error {
	if err := f.enter(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.items[name]; !ok {
		return fmt.Errorf("%w: %q", ErrTokenNotFound, name)
	}
	delete(f.items, name)
	return nil
}

func (f *fakeSecrets) item(name string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	tok, ok := f.items[name]
	return tok, ok
}

func (f *fakeSecrets) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

var errBackend = errors.New("org.freedesktop.DBus.Error.ServiceUnknown")

// newStore returns a Store on a file in a temporary directory, with content
// written to it unless content is "".
func newStore(t *testing.T, content string) (*Store, *fakeSecrets) {
	t.Helper()
	path := filepath.Join(t.TempDir(), ".pxctl", "contextconfig")
	if content != "" {
		writeFile(t, path, content)
	}
	secrets := newFakeSecrets()
	return &Store{Path: path, LockTimeout: 2 * time.Second, Secrets: secrets}, secrets
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mustLoad(t *testing.T, s *Store) *Config {
	t.Helper()
	cfg, err := s.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return cfg
}

// generic decodes YAML into plain Go values for comparing content.
func generic(t testing.TB, data string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(data), &v); err != nil {
		t.Fatalf("decode %q: %v", data, err)
	}
	return v
}

// lookupPath follows mapping keys and list indexes (as "0", "1") in a
// generic value.
func lookupPath(v any, path ...string) (any, bool) {
	for _, p := range path {
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[p]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func contextNames(cfg *Config) string {
	names := make([]string, len(cfg.Contexts))
	for i, c := range cfg.Contexts {
		names[i] = c.Name
	}
	return strings.Join(names, ",")
}

// sameTree reports the first difference between the tree from scanFile and
// the one from yaml.v3, ignoring comments.
func sameTree(got, want *yaml.Node, where string) error {
	if got.Kind != want.Kind {
		return fmt.Errorf("%s: kind %d, yaml.v3 has %d", where, got.Kind, want.Kind)
	}
	if got.Kind == 0 {
		return nil
	}
	if got.Line != want.Line || got.Column != want.Column {
		return fmt.Errorf("%s: position %d:%d, yaml.v3 has %d:%d", where, got.Line, got.Column, want.Line, want.Column)
	}
	if got.Kind != yaml.DocumentNode && got.ShortTag() != want.ShortTag() {
		return fmt.Errorf("%s: tag %s, yaml.v3 has %s", where, got.ShortTag(), want.ShortTag())
	}
	if got.Value != want.Value || got.Style != want.Style {
		return fmt.Errorf("%s: value %q style %d, yaml.v3 has %q style %d", where, got.Value, got.Style, want.Value, want.Style)
	}
	if len(got.Content) != len(want.Content) {
		return fmt.Errorf("%s: %d children, yaml.v3 has %d", where, len(got.Content), len(want.Content))
	}
	for i := range got.Content {
		if err := sameTree(got.Content[i], want.Content[i], fmt.Sprintf("%s/%d", where, i)); err != nil {
			return err
		}
	}
	return nil
}

// checkScan parses data with scanFile and yaml.v3 and reports a difference.
// accepted is false when scanFile fell back.
func checkScan(data []byte) (accepted bool, err error) {
	res, ok := scanFile(data)
	if !ok {
		return false, nil
	}

	var want yaml.Node
	if err := yaml.Unmarshal(data, &want); err != nil {
		return true, fmt.Errorf("scanFile accepted input that yaml.v3 rejects: %v", err)
	}
	return true, sameTree(res.doc, &want, "doc")
}

func assertNoTempFiles(t *testing.T, path string) {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path)))
	if err != nil {
		t.Fatal(err)
	}
	if len(matches) > 0 {
		t.Errorf("temporary files left: %q", matches)
	}
}
