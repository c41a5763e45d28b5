package contextstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/adrg/xdg"
	"github.com/gofrs/flock"
	"gopkg.in/yaml.v3"
)

// DefaultLockTimeout is how long a writer waits for the lock on the
// contextconfig file when Store.LockTimeout is 0.
const DefaultLockTimeout = 5 * time.Second

// lockRetry is the pause between two attempts to take the lock.
const lockRetry = 10 * time.Millisecond

// DefaultPath returns $HOME/.pxctl/contextconfig, the file pxctl uses.
func DefaultPath() string {
	return filepath.Join(xdg.Home, ".pxctl", "contextconfig")
}

// lockedFile is the contextconfig file while this process holds its lock.
type lockedFile struct {
	path   string // the path as configured, used in messages
	target string // the file that is read and replaced: path with symlinks resolved
	lock   *flock.Flock
	data   []byte // nil when the file does not exist yet

	// beforeRename, when set, runs after the temporary file is complete and
	// before it replaces the target. Tests use it to make the write fail.
	beforeRename func(tmpPath string) error
}

// openLocked resolves symlinks, creates the directory, takes the lock,
// removes temporary files left by killed writers and reads the file. With
// create false and no file, it returns an empty file without a lock and
// creates nothing: the caller only reports errors or does nothing then.
func (s *Store) openLocked(create bool) (*lockedFile, error) {
	path := s.path()
	target, err := resolveSymlink(path)
	if err != nil {
		return nil, err
	}

	if !create {
		if _, err := os.Stat(target); errors.Is(err, fs.ErrNotExist) {
			return &lockedFile{path: path, target: target}, nil
		}
	}

	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create directory %q for the contextconfig file: %w", dir, err)
	}

	lockPath := target + ".lock"
	lk := flock.New(lockPath, flock.SetPermissions(0o600))
	timeout := s.lockTimeout()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	locked, err := lk.TryLockContext(ctx, lockRetry)
	if !locked {
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			return nil, &LockTimeoutError{LockPath: lockPath, Timeout: timeout}
		}
		return nil, fmt.Errorf("lock %q: %w", lockPath, err)
	}

	f := &lockedFile{path: path, target: target, lock: lk, beforeRename: s.beforeRename}
	removeTempFiles(target)

	f.data, err = os.ReadFile(target)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		f.unlock()
		return nil, fmt.Errorf("read contextconfig %q: %w", path, err)
	}
	return f, nil
}

// unlock releases the lock. The lock file stays: deleting it while another
// process waits on the old inode would let two writers in at once.
func (f *lockedFile) unlock() {
	if f.lock != nil {
		_ = f.lock.Unlock()
	}
}

// parse reads the file into a yaml.v3 tree (comments kept) and its Config.
func (f *lockedFile) parse() (*yaml.Node, *Config, error) {
	doc, err := parseYAML(f.path, f.data)
	if err != nil {
		return nil, nil, err
	}
	if doc == nil {
		doc = &yaml.Node{}
	}

	cfg, err := decodeConfig(f.path, doc)
	if err != nil {
		return nil, nil, err
	}
	return doc, cfg, nil
}

// writeDoc encodes doc and replaces the file with it.
func (f *lockedFile) writeDoc(doc *yaml.Node) error {
	data, err := encode(doc)
	if err != nil {
		return err
	}
	return f.write(data)
}

// write replaces the file atomically: a temporary file in the same
// directory is written, synced, made 0600 and renamed over the old file,
// then the directory is synced. On failure the old file is untouched and the
// temporary file is removed.
func (f *lockedFile) write(data []byte) (err error) {
	if f.lock == nil {
		return fmt.Errorf("write contextconfig %q: the file was opened without the lock", f.path)
	}

	dir := filepath.Dir(f.target)
	tmp, err := os.CreateTemp(dir, tempPattern(f.target))
	if err != nil {
		return fmt.Errorf("write contextconfig %q: %w", f.path, err)
	}
	tmpPath := tmp.Name()
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmpPath)
			err = fmt.Errorf("write contextconfig %q: %w", f.path, err)
		}
	}()

	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if f.beforeRename != nil {
		if err = f.beforeRename(tmpPath); err != nil {
			return err
		}
	}
	if err = os.Rename(tmpPath, f.target); err != nil {
		return err
	}

	f.data = data
	return syncDir(dir)
}

// tempPattern is the os.CreateTemp pattern for temporary files beside
// target, for example ".contextconfig.tmp-*".
func tempPattern(target string) string {
	return "." + filepath.Base(target) + ".tmp-*"
}

// removeTempFiles removes temporary files that a killed writer left. The
// caller holds the lock, so no other writer is using one.
func removeTempFiles(target string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(target), tempPattern(target)))
	for _, m := range matches {
		_ = os.Remove(m)
	}
}

// resolveSymlink returns the file that path points to, so that a rewrite
// replaces the target and keeps the link. A missing path is returned as is.
func resolveSymlink(path string) (string, error) {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil
	}
	if err != nil {
		return "", fmt.Errorf("read contextconfig %q: %w", path, err)
	}
	if info.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}

	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("contextconfig %q is a symlink that cannot be followed: %w; point it at an existing file or remove it", path, err)
	}
	return target, nil
}

// readFile returns the file's content, nil when it does not exist.
func readFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read contextconfig %q: %w", path, err)
	}
	return data, nil
}
