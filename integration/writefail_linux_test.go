package integration

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
)

// writers are the commands that rewrite the contextconfig file. The tests
// run them against a file with contexts a and b, where a is current.
var writers = [][]string{
	{"ctx", "create", "x", "--token-file", "ops.token", "--storage", "file"},
	{"ctx", "use", "b"},
	{"ctx", "unset"},
	{"ctx", "rename", "a", "c"},
	{"ctx", "delete", "a"},
}

// TestWriteFailureKeepsFile makes every rewrite of the contextconfig file
// fail through a file size limit, a full file system and a read-only file
// system. Each writer must report the cause, keep the old file byte for
// byte and leave no temporary file.
func TestWriteFailureKeepsFile(t *testing.T) {
	if err := touchSources(".."); err != nil {
		t.Fatal(err)
	}

	t.Run("file size limit", func(t *testing.T) {
		s := newSandbox(t)
		seedContexts(t, s, "a", "b")
		before := readFile(t, s.contextConfig())

		// The file contains two inline tokens, more than the one 512-byte
		// block that ulimit -f 1 allows in sh, so writing the new file fails
		// with EFBIG. The Go runtime ignores SIGXFSZ, so the write returns
		// that error instead of killing pxauth.
		for _, args := range writers {
			script := `ulimit -f 1 && exec "$0" "$@"`
			res := s.runShell(t, script, args...)
			checkWriteFailure(t, s.contextConfig(), before, args, res, `file too large`)
		}
	})

	t.Run("disk full", func(t *testing.T) {
		s := newSandbox(t)
		dir := mountTmpfs(t, s.path("full"))
		config := filepath.Join(dir, "contextconfig")
		s.env = append(s.env, "PXCTL_CONTEXTCONFIG="+config)
		seedContexts(t, s, "a", "b")
		before := readFile(t, config)
		fillFileSystem(t, filepath.Join(dir, "filler"))

		for _, args := range writers {
			res := s.run(t, nil, nil, args...)
			checkWriteFailure(t, config, before, args, res, `no space left on device`)
		}
	})

	t.Run("read-only file system", func(t *testing.T) {
		s := newSandbox(t)
		dir := mountTmpfs(t, s.path("ro"))
		config := filepath.Join(dir, "contextconfig")
		s.env = append(s.env, "PXCTL_CONTEXTCONFIG="+config)
		seedContexts(t, s, "a", "b")
		before := readFile(t, config)
		if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, "size=64k"); err != nil {
			t.Fatalf("remount %s read-only: %v", dir, err)
		}

		for _, args := range writers {
			res := s.run(t, nil, nil, args...)
			checkWriteFailure(t, config, before, args, res, `read-only file system`)
		}
	})
}

// checkWriteFailure checks one writer that could not write the file.
func checkWriteFailure(t *testing.T, config string, before []byte, args []string, res runResult, reason string) {
	t.Helper()

	if res.exit != 1 {
		t.Errorf("pxauth %q: exit %d, expected 1; stderr: %s", args, res.exit, res.stderr)
	}
	message := regexp.MustCompile(`^pxauth: .*` + regexp.QuoteMeta(filepath.Base(config)) + `.*: ` + reason + `\n$`)
	if !message.MatchString(res.stderr) {
		t.Errorf("pxauth %q: stderr %q does not match %q", args, res.stderr, message)
	}
	if res.stdout != "" {
		t.Errorf("pxauth %q: stdout is not empty: %q", args, res.stdout)
	}
	if after := readFile(t, config); string(after) != string(before) {
		t.Errorf("pxauth %q changed the file:\n%s", args, after)
	}
	if tmps, _ := filepath.Glob(filepath.Join(filepath.Dir(config), ".contextconfig.tmp-*")); len(tmps) != 0 {
		t.Errorf("pxauth %q left temporary files: %q", args, tmps)
	}
}

// mountTmpfs mounts a 64 KiB tmpfs on dir, which it creates, and unmounts it
// when the test ends. Root can write to any directory, so only a small or
// read-only file system makes a write fail for root.
func mountTmpfs(t *testing.T, dir string) string {
	t.Helper()

	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=0700"); err != nil {
		// Without CAP_SYS_ADMIN (a normal user, most containers) no file
		// system can be mounted; the file size limit case still runs.
		t.Skipf("cannot mount a tmpfs on %s (%v); this case needs root or CAP_SYS_ADMIN", dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fillFileSystem writes path until the file system that holds it is full.
func fillFileSystem(t *testing.T, path string) {
	t.Helper()

	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	block := make([]byte, 512)
	for {
		if _, err := f.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling %s: %v", path, err)
			}
			return
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
