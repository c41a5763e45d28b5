//go:build !windows

package contextstore

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// specialFiles lists ways to create a file that is not regular at path.
var specialFiles = []struct {
	name string
	make func(t *testing.T, path string)
}{
	{"fifo", func(t *testing.T, path string) {
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}},
	{"directory", func(t *testing.T, path string) {
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
	}},
	{"char device", makeCharDevice},
}

func TestSpecialFileRejected(t *testing.T) {
	for _, special := range specialFiles {
		for _, viaLink := range []bool{false, true} {
			for _, op := range fileOps {
				name := special.name + "/" + op.name
				if viaLink {
					name = special.name + "/link/" + op.name
				}
				t.Run(name, func(t *testing.T) {
					dir := t.TempDir()
					node := filepath.Join(dir, "contextconfig")
					special.make(t, node)
					path := node
					if viaLink {
						path = filepath.Join(dir, "link")
						if err := os.Symlink(node, path); err != nil {
							t.Fatal(err)
						}
					}
					before := lstatType(t, node)
					secrets := newFakeSecrets()
					s := &Store{Path: path, LockTimeout: time.Second, Secrets: secrets}

					err := runWithin(t, 5*time.Second, func() error { return op.run(s) })

					var fe *FileError
					if !errors.As(err, &fe) {
						t.Fatalf("error = %v, want a *FileError", err)
					}
					for _, want := range []string{"not a regular file", "PXCTL_CONTEXTCONFIG"} {
						if !strings.Contains(err.Error(), want) {
							t.Errorf("error %q does not contain %q", err, want)
						}
					}
					if viaLink && !strings.Contains(err.Error(), "links to") {
						t.Errorf("error %q does not say that the path is a link", err)
					}
					if after := lstatType(t, node); after != before {
						t.Errorf("file type changed from %v to %v", before, after)
					}
					if locks, _ := filepath.Glob(filepath.Join(dir, "*.lock")); len(locks) > 0 {
						t.Errorf("lock files created: %q", locks)
					}
					if n := secrets.callCount(); n != 0 {
						t.Errorf("%d keyring calls", n)
					}
				})
			}
		}
	}
}

func lstatType(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Type()
}

// runWithin runs fn and fails the test when fn does not return within
// timeout, for example because a read blocks on a FIFO.
func runWithin(t *testing.T, timeout time.Duration, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()

	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		t.Fatalf("no return within %s", timeout)
		return nil
	}
}
