package contextstore

import (
	"errors"
	"fmt"
)

// Rename renames context oldName to newName, which must not exist, and
// moves its keyring item: the item is copied to the new name, the file is
// written, and the old item is removed (a failure there is a warning). If
// the file write fails, the new item is removed again. current and
// previous follow the rename.
//
// Rename holds the keyring lock (see lockKeyring) throughout and the file
// lock only while the file is rewritten. Like Delete, it also tries to
// remove an item under oldName when the token is in the file, and such a
// failure is silent.
func (s *Store) Rename(oldName, newName string) (ChangeResult, error) {
	var res ChangeResult
	if err := ValidateName(newName); err != nil {
		return res, err
	}

	lk, err := s.lockKeyring(false)
	if err != nil {
		return res, err
	}
	if lk == nil {
		return res, (&Config{Path: s.path()}).notFound(oldName)
	}
	defer func() { _ = lk.Unlock() }()

	// Check the names before the keyring is touched; writeRename checks
	// them again under the file lock.
	cfg, err := s.Load()
	if err != nil {
		return res, err
	}
	ctx, err := cfg.Lookup(oldName)
	if err != nil {
		return res, err
	}
	if oldName == newName {
		return res, nil
	}
	if cfg.index(newName) >= 0 {
		return res, fmt.Errorf("%w: %q in %s; delete it first or choose another name", ErrContextExists, newName, cfg.Path)
	}

	secrets := s.secrets()
	moved := false
	if ctx.Storage == StorageKeyring {
		token, err := secrets.Get(oldName)
		switch {
		case errors.Is(err, ErrTokenNotFound):
			res.Warnings = append(res.Warnings, fmt.Sprintf("context %q had no token in the keyring; store one with pxauth ctx create %s", oldName, newName))
		case err != nil:
			return res, err
		default:
			if err := secrets.Set(newName, token); err != nil {
				return res, err
			}
			moved = true
		}
	}

	after, err := s.writeRename(oldName, newName)
	if err != nil {
		if moved {
			if derr := secrets.Delete(newName); derr != nil && !errors.Is(derr, ErrTokenNotFound) {
				return res, fmt.Errorf("%w; removing the copied keyring item of context %q also failed: %v", err, newName, derr)
			}
		}
		return res, err
	}

	var items []staleItem
	if after.storedByPxauth {
		items = append(items, staleItem{name: oldName, expected: moved || after.marked})
	}
	if moved && !after.inKeyring {
		// The token moved to the file between the copy and the file lock.
		items = append(items, staleItem{name: newName, expected: true})
	}
	res.Warnings = append(res.Warnings, s.removeItems(true, items)...)
	return res, nil
}

// renamedContext is the storage of a renamed context as the file recorded
// it under the file lock.
type renamedContext struct {
	inKeyring      bool // the token is in the keyring
	marked         bool // the token is inline but a stale keyring item may exist
	storedByPxauth bool // see storedByPxauth
}

// writeRename renames the context in the file under the file lock.
func (s *Store) writeRename(oldName, newName string) (renamedContext, error) {
	var after renamedContext

	f, err := s.openLocked(false)
	if err != nil {
		return after, err
	}
	defer f.unlock()

	doc, cfg, err := f.parse()
	if err != nil {
		return after, err
	}

	ctx, err := cfg.Lookup(oldName)
	if err != nil {
		return after, err
	}
	if cfg.index(newName) >= 0 {
		return after, fmt.Errorf("%w: %q in %s; delete it first or choose another name", ErrContextExists, newName, cfg.Path)
	}
	after = renamedContext{
		inKeyring:      ctx.Storage == StorageKeyring,
		marked:         cfg.keyringMarked[oldName],
		storedByPxauth: storedByPxauth(cfg, ctx),
	}
	entry := cfg.entries[cfg.index(oldName)]

	ed := editor{doc: doc}
	setKey(entry, keyContext, newName)
	if cfg.Current == oldName {
		ed.setPointer(keyCurrent, newName)
	}
	if cfg.Previous == oldName {
		ed.setPointer(keyPrevious, newName)
	}
	if err := f.writeDoc(doc); err != nil {
		return renamedContext{}, err
	}
	return after, nil
}
