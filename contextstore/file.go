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

// DefaultLockTimeout is how long a writer waits for a lock on the
// contextconfig file when Store.LockTimeout is 0.
const DefaultLockTimeout = 5 * time.Second

// lockRetry is the pause between two attempts to take a lock.
const lockRetry = 10 * time.Millisecond

// Suffixes of the two lock files beside the contextconfig file. The file
// lock guards a read-modify-write of the file; the keyring lock is described
// at lockKeyring.
const (
	fileLockSuffix    = ".lock"
	keyringLockSuffix = ".keyring.lock"
)

// DefaultPath returns $HOME/.pxctl/contextconfig, the file pxctl uses.
func DefaultPath() string {
	return filepath.Join(xdg.Home, ".pxctl", "contextconfig")
}

// lockedFile is the contextconfig file while this process holds its lock.
type lockedFile struct {
	path   string // the path as configured, used in messages
	target string // the file that is read and replaced: path with symlinks resolved
	lock   *flock.Flock
	data   []byte      // as read, never changed (see scanLines); nil when the file does not exist yet or after write
	info   fs.FileInfo // of the file that was read; nil when it does not exist

	// beforeRename, when set, runs after the temporary file is complete and
	// before it replaces the target. Tests use it to make the write fail.
	beforeRename func(tmpPath string) error
}

// openLocked resolves symlinks, checks that the target is a regular file (or
// missing), creates the directory, takes the file lock, removes temporary
// files left by killed writers and reads the file. With create false and no
// file, it returns an empty file without a lock and creates nothing: the
// caller only reports errors or does nothing then.
func (s *Store) openLocked(create bool) (*lockedFile, error) {
	path := s.path()
	target, exists, err := resolveTarget(path)
	if err != nil {
		return nil, err
	}
	if !create && !exists {
		return &lockedFile{path: path, target: target}, nil
	}

	lk, err := s.lock(target, fileLockSuffix)
	if err != nil {
		return nil, err
	}

	f := &lockedFile{path: path, target: target, lock: lk, beforeRename: s.beforeRename}
	removeTempFiles(target)

	f.data, f.info, err = readContextFile(path, target)
	if err != nil {
		f.unlock()
		return nil, err
	}
	return f, nil
}

// resolveTarget returns the file that path names with symlinks resolved, and
// whether it exists. An existing target that is not a regular file is an
// error, so no writer locks, reads or replaces a device, FIFO or directory.
func resolveTarget(path string) (target string, exists bool, err error) {
	target, err = resolveSymlink(path)
	if err != nil {
		return "", false, err
	}

	info, err := os.Stat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return target, false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read contextconfig %q: %w", path, err)
	}
	if err := checkFile(path, info); err != nil {
		return "", false, err
	}
	return target, true, nil
}

// lock creates the directory of target when needed and takes the lock file
// target+suffix, waiting at most the lock timeout. When the process runs as
// root, the lock file gets the owner of the directory, so the user can still
// take the lock after a run with sudo.
func (s *Store) lock(target, suffix string) (*flock.Flock, error) {
	dir := filepath.Dir(target)
	if err := makeDir(dir); err != nil {
		return nil, err
	}

	lockPath := target + suffix
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

	if dirInfo, err := os.Stat(dir); err == nil {
		matchOwner(lockPath, dirInfo)
	}
	return lk, nil
}

// makeDir creates dir with mode 0700 when it does not exist. A directory
// that root creates gets the owner of its parent.
func makeDir(dir string) error {
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create directory %q for the contextconfig file: %w", dir, err)
	}

	if errors.Is(statErr, fs.ErrNotExist) {
		if parent, err := os.Stat(filepath.Dir(dir)); err == nil {
			matchOwner(dir, parent)
		}
	}
	return nil
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

// write replaces the file atomically with the concatenation of pieces: a
// temporary file in the same directory is written, synced, made 0600 and
// renamed over the old file, then the directory is synced. On failure the
// old file is untouched and the
// temporary file is removed.
//
// When the process runs as root, the new file gets the owner of the old file
// (or of the directory for a new file), so a run with sudo leaves the user's
// file readable by the user. A directory named .pxctl that the current user
// owns loses its group and other permissions (see tightenDir), because the
// file holds tokens.
func (f *lockedFile) write(pieces ...[]byte) (err error) {
	if f.lock == nil {
		return fmt.Errorf("write contextconfig %q: the file was opened without the lock", f.path)
	}

	dir := filepath.Dir(f.target)
	tightenDir(dir)
	owner := f.info
	if owner == nil {
		owner, _ = os.Stat(dir)
	}

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

	for _, piece := range pieces {
		if _, err = tmp.Write(piece); err != nil {
			return err
		}
	}
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	matchOwnerOfFile(tmp, owner)
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

	f.data = nil
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
