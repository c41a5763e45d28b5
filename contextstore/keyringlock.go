package contextstore

import (
	"errors"
	"fmt"

	"github.com/gofrs/flock"
)

// lockKeyring takes the keyring lock of the file, contextconfig.keyring.lock
// beside it. The keyring items of a file's contexts change only under this
// lock. The file lock is held only for a read-modify-write of the file and
// never during a keyring call, so a hung keyring never makes Use, Unset or a
// Save with StorageFile wait for the file lock:
//
//   - a writer that sets an item (Save, Rename) takes the keyring lock first
//     and holds it until its file write and any rollback are done;
//   - a writer that removes items after its file write (Delete, Rename, Save
//     with StorageFile) takes it after releasing the file lock and rereads
//     the file first (see removeItems).
//
// With create false and no contextconfig file, it returns nil and creates
// nothing.
func (s *Store) lockKeyring(create bool) (*flock.Flock, error) {
	target, exists, err := resolveTarget(s.path())
	if err != nil {
		return nil, err
	}
	if !create && !exists {
		return nil, nil
	}
	return s.lock(target, keyringLockSuffix)
}

// staleItem is a keyring item that a file write left without a context that
// uses it.
type staleItem struct {
	name string

	// expected is true when the file stored the token in the keyring, so
	// the item probably exists and a failure to remove it is a warning.
	// Otherwise the item may be left from an earlier fallback to the file
	// and probably does not exist, so every failure is silent.
	expected bool
}

// removeItems removes stale keyring items after a file write and returns
// warnings for expected items it could not remove. It takes the keyring lock
// unless the caller holds it, then rereads the file. It keeps the item of a
// name that the file now stores in the keyring, because a Save of that name
// ran between the file write and the lock.
func (s *Store) removeItems(lockHeld bool, items []staleItem) []string {
	if len(items) == 0 {
		return nil
	}

	if !lockHeld {
		lk, err := s.lockKeyring(false)
		if err != nil {
			return staleWarnings(items, err)
		}
		if lk != nil {
			defer func() { _ = lk.Unlock() }()
		}
	}

	cfg, err := s.Load()
	if err != nil {
		return staleWarnings(items, err)
	}

	secrets := s.secrets()
	var warnings []string
	for _, item := range items {
		if storedInKeyring(cfg, item.name) {
			continue
		}

		err := secrets.Delete(item.name)
		if err == nil || errors.Is(err, ErrTokenNotFound) || !item.expected {
			continue
		}
		warnings = append(warnings, staleWarning(item.name, err))
	}
	return warnings
}

// storedInKeyring reports whether cfg has a context called name whose token
// is in the keyring.
func storedInKeyring(cfg *Config, name string) bool {
	for _, ctx := range cfg.Contexts {
		if ctx.Name == name && ctx.Storage == StorageKeyring {
			return true
		}
	}
	return false
}

// staleWarnings returns a warning for every expected item when removeItems
// could not even try to remove them.
func staleWarnings(items []staleItem, err error) []string {
	var warnings []string
	for _, item := range items {
		if item.expected {
			warnings = append(warnings, staleWarning(item.name, err))
		}
	}
	return warnings
}

func staleWarning(name string, err error) string {
	return fmt.Sprintf("the old token of context %q may still be in the keyring (service %q): %v", name, KeyringService, err)
}
