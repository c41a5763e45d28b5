package contextstore

import (
	"errors"

	"gopkg.in/yaml.v3"
)

// Delete removes the named contexts and then their keyring items. Unless
// every name exists exactly once, Delete changes nothing. Deleting the
// current or previous context clears that pointer.
//
// The file is written first, under the file lock. The keyring items are
// removed after the file lock is released (see removeItems), so a hung
// keyring delays this call and other writers that wait for the keyring
// lock, but not Use or Unset. Delete also tries to remove an item for a
// context that pxauth stored with its token in the file (contexts pxctl
// wrote are left alone, see storedByPxauth), because an item can be left from
// before the context moved to the file (a keyring that failed under
// StorageAuto, or an old item that could not be removed). Only a failure to
// remove the item of a context whose token was in the keyring is a warning;
// a missing item, a missing session bus and any failure for a context whose
// token was in the file are silent, since that item probably never existed.
func (s *Store) Delete(names ...string) (ChangeResult, error) {
	var res ChangeResult
	if len(names) == 0 {
		return res, errors.New("no context name given to delete")
	}

	items, err := s.deleteFromFile(names)
	if err != nil {
		return res, err
	}

	res.Warnings = s.removeItems(false, items)
	return res, nil
}

// storedByPxauth reports whether pxauth stored the context, the only kind
// that can have a keyring item: its token is in the keyring or pxauth
// recorded a tokenstorage for it. Deleting a context that pxctl wrote thus
// never calls the keyring, which on Linux may prompt to unlock it.
func storedByPxauth(cfg *Config, ctx *Context) bool {
	return ctx.Storage == StorageKeyring || cfg.storageRecorded[ctx.Name]
}

// deleteFromFile removes the contexts from the file under the file lock and
// returns the keyring items to remove afterwards.
func (s *Store) deleteFromFile(names []string) ([]staleItem, error) {
	f, err := s.openLocked(false)
	if err != nil {
		return nil, err
	}
	defer f.unlock()

	doc, cfg, err := f.parse()
	if err != nil {
		return nil, err
	}

	remove := make(map[*yaml.Node]bool, len(names))
	removed := make(map[string]bool, len(names))
	var items []staleItem
	for _, name := range names {
		ctx, err := cfg.Lookup(name)
		if err != nil {
			return nil, err
		}
		if removed[name] {
			continue
		}
		removed[name] = true
		remove[cfg.entries[cfg.index(name)]] = true
		if !storedByPxauth(cfg, ctx) {
			continue
		}
		items = append(items, staleItem{
			name:     name,
			expected: ctx.Storage == StorageKeyring || cfg.keyringMarked[name],
		})
	}

	ed := editor{doc: doc}
	ed.removeEntries(remove)
	if removed[cfg.Current] {
		ed.setPointer(keyCurrent, "")
	}
	if removed[cfg.Previous] {
		ed.setPointer(keyPrevious, "")
	}
	if err := f.writeDoc(doc); err != nil {
		return nil, err
	}
	return items, nil
}
