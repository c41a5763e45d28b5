package contextstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

func TestLockTimeout(t *testing.T) {
	s, _ := newStore(t, pxctlFile)
	s.LockTimeout = 300 * time.Millisecond

	held := flock.New(s.Path + ".lock")
	if err := held.Lock(); err != nil {
		t.Fatal(err)
	}
	defer held.Unlock()

	start := time.Now()
	_, err := s.Save(Context{Name: "new"}, "tok", StorageFile, false)
	elapsed := time.Since(start)

	if !errors.Is(err, ErrLockTimeout) {
		t.Fatalf("error = %v, want ErrLockTimeout", err)
	}
	want := fmt.Sprintf("timed out after 300ms waiting for the lock on %q; another pxauth process holds it", s.Path+".lock")
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
	if elapsed < 300*time.Millisecond || elapsed > 2*time.Second {
		t.Errorf("waited %s for a 300ms timeout", elapsed)
	}
	if got := readString(t, s.Path); got != pxctlFile {
		t.Errorf("file changed:\n%s", got)
	}
}

func TestLockReleased(t *testing.T) {
	s, _ := newStore(t, "")
	for i := range 3 {
		if _, err := s.Save(Context{Name: fmt.Sprintf("c%d", i)}, "tok", StorageFile, false); err != nil {
			t.Fatalf("save %d: %v", i, err)
		}
	}
	if _, err := os.Stat(s.Path + ".lock"); err != nil {
		t.Errorf("lock file: %v", err)
	}
}

func TestConcurrentSaves(t *testing.T) {
	const writers = 40
	path := filepath.Join(t.TempDir(), "contextconfig")
	secrets := newFakeSecrets()

	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &Store{Path: path, LockTimeout: 30 * time.Second, Secrets: secrets}
			storage := StorageFile
			if i%2 == 0 {
				storage = StorageKeyring
			}
			_, err := s.Save(Context{Name: fmt.Sprintf("ctx-%02d", i)}, fmt.Sprintf("tok-%02d", i), storage, false)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}

	cfg := mustLoad(t, &Store{Path: path})
	if len(cfg.Contexts) != writers {
		t.Errorf("%d contexts, want %d: %s", len(cfg.Contexts), writers, contextNames(cfg))
	}
	for i := range writers {
		name := fmt.Sprintf("ctx-%02d", i)
		if _, err := cfg.Lookup(name); err != nil {
			t.Errorf("lookup %s: %v", name, err)
		}
	}
	if !strings.HasPrefix(cfg.Current, "ctx-") {
		t.Errorf("current = %q, want the first saved context", cfg.Current)
	}
}

func TestFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permission bits")
	}
	dir := filepath.Join(t.TempDir(), ".pxctl")
	path := filepath.Join(dir, "contextconfig")
	s := &Store{Path: path, Secrets: newFakeSecrets()}

	if _, err := s.Save(Context{Name: "a"}, "tok", StorageFile, false); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o700)
	assertMode(t, path, 0o600)

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Use("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(Context{Name: "b"}, "tok", StorageFile, false); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600)
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("mode of %s = %o, want %o", path, got, want)
	}
}

func TestSymlinkKept(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "contextconfig")
	writeFile(t, target, pxctlFile)
	link := filepath.Join(dir, ".pxctl", "contextconfig")
	if err := os.MkdirAll(filepath.Dir(link), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	s := &Store{Path: link, Secrets: newFakeSecrets()}

	if _, err := s.Use("dev"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(Context{Name: "new"}, "tok", StorageFile, false); err != nil {
		t.Fatal(err)
	}

	info, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	cfg := mustLoad(t, &Store{Path: target})
	if cfg.Current != "dev" || contextNames(cfg) != "admin,dev,new" {
		t.Errorf("target = current %q, contexts %q", cfg.Current, contextNames(cfg))
	}
}

func TestLeftoverTempFilesRemoved(t *testing.T) {
	s, _ := newStore(t, pxctlFile)
	leftover := filepath.Join(filepath.Dir(s.Path), ".contextconfig.tmp-123456")
	writeFile(t, leftover, "partial")
	other := filepath.Join(filepath.Dir(s.Path), "notes.tmp-1")
	writeFile(t, other, "keep")

	if _, err := s.Use("dev"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover temporary file still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("unrelated file removed: %v", err)
	}
}

func TestWriteFailureKeepsFile(t *testing.T) {
	s, _ := newStore(t, pxctlFile)
	s.beforeRename = func(string) error { return errors.New("disk full") }

	changes := []func() error{
		func() error { _, err := s.Use("dev"); return err },
		func() error { _, err := s.Delete("dev"); return err },
		func() error { _, err := s.Save(Context{Name: "x"}, "tok", StorageFile, false); return err },
	}
	for i, change := range changes {
		if err := change(); err == nil || !strings.Contains(err.Error(), s.Path) {
			t.Errorf("change %d: error = %v, want the write error naming the file", i, err)
		}
	}
	if got := readString(t, s.Path); got != pxctlFile {
		t.Errorf("file changed:\n%s", got)
	}
	assertNoTempFiles(t, s.Path)
}

func TestDirectoryIsAFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ".pxctl"), "not a directory")
	s := &Store{Path: filepath.Join(dir, ".pxctl", "contextconfig"), Secrets: newFakeSecrets()}

	if _, err := s.Save(Context{Name: "a"}, "tok", StorageKeyring, false); err == nil {
		t.Fatal("Save succeeded")
	}
	if n := s.Secrets.(*fakeSecrets).callCount(); n != 0 {
		t.Errorf("%d keyring calls before the file was readable", n)
	}
}
