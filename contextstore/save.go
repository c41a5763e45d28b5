package contextstore

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
	"gopkg.in/yaml.v3"
)

// Save creates context ctx.Name or updates it. An update replaces the
// fields Context has and keeps every other key of the entry. An empty
// ctx.Endpoint means "keep": the update keeps the endpoint that the entry
// has under the file lock, so it cannot undo a concurrent update that sets
// one. The token is the token argument; ctx.Token and ctx.Storage are
// ignored.
//
// The keyring is written first and the file second, both under the keyring
// lock (see lockKeyring); the file lock is held only while the file is
// rewritten. With StorageKeyring a failing keyring fails Save and nothing is
// stored. With StorageAuto a failing keyring puts the token inline in the
// file and adds a warning. StorageFile never calls the keyring for the new
// token; after the file write it removes a keyring item the context had, and
// a failure there is a warning. When the file write fails, the keyring item
// is restored to its old value (or removed when there was none), so the file
// never names a keyring item that is missing.
//
// The first context of a file becomes current; use makes the context
// current, and the old current context becomes the previous one. On error
// the result is the zero SaveResult.
func (s *Store) Save(ctx Context, token string, storage Storage, use bool) (SaveResult, error) {
	if storage == "" {
		storage = StorageAuto
	}
	if _, err := ParseStorage(string(storage)); err != nil {
		return SaveResult{}, err
	}
	if token == "" {
		return SaveResult{}, fmt.Errorf("empty token for context %q; pass the token to store", ctx.Name)
	}

	res := SaveResult{Storage: StorageFile}
	keyringLocked := false
	keyringFailed := false
	var rollback func() error
	if storage != StorageFile {
		lk, err := s.lockKeyring(true)
		if err != nil {
			return SaveResult{}, err
		}
		defer func() { _ = lk.Unlock() }()
		keyringLocked = true

		// Check the file before the keyring is touched, and learn whether
		// the context has an item that a rollback must restore.
		hadItem, err := s.checkSave(ctx.Name)
		if err != nil {
			return SaveResult{}, err
		}

		rollback, err = s.storeInKeyring(ctx.Name, token, hadItem)
		switch {
		case err == nil:
			res.Storage = StorageKeyring
		case storage == StorageKeyring:
			return SaveResult{}, err
		default:
			keyringFailed = true
			res.Warnings = append(res.Warnings, fallbackWarning(ctx.Name, s.path(), err))
		}
	}

	hadItem, err := s.writeContext(ctx, token, res.Storage, use, &res)
	if err != nil {
		if rollback != nil {
			if rerr := rollback(); rerr != nil {
				return SaveResult{}, fmt.Errorf("%w; restoring the keyring item of context %q also failed: %v", err, ctx.Name, rerr)
			}
		}
		return SaveResult{}, err
	}

	// A context moved to the file leaves its old keyring item behind.
	if res.Storage == StorageFile && hadItem {
		if keyringFailed {
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"the old token of context %q may still be in the keyring (service %q); remove it when the keyring works again", ctx.Name, KeyringService))
		} else {
			res.Warnings = append(res.Warnings, s.removeItems(keyringLocked, []staleItem{{name: ctx.Name, expected: true}})...)
		}
	}
	return res, nil
}

// checkSave reads the file without the file lock and returns the error Save
// would meet for context name: a damaged file, a duplicate name or an
// invalid new name. hadItem reports whether the context has (or may have) a
// keyring item.
func (s *Store) checkSave(name string) (hadItem bool, err error) {
	cfg, err := s.Load()
	if err != nil {
		return false, err
	}
	if cfg.index(name) < 0 {
		return false, ValidateName(name)
	}

	old, err := cfg.Lookup(name)
	if err != nil {
		return false, err
	}
	return old.Storage == StorageKeyring || cfg.keyringMarked[name], nil
}

// writeContext writes ctx into the file under the file lock and fills
// Created and BecameCurrent of res. hadItem reports whether the context had
// (or may have had) a keyring item before.
func (s *Store) writeContext(ctx Context, token string, storage Storage, use bool, res *SaveResult) (hadItem bool, err error) {
	f, err := s.openLocked(true)
	if err != nil {
		return false, err
	}
	defer f.unlock()

	doc, cfg, err := f.parse()
	if err != nil {
		return false, err
	}

	var old *Context
	var entry *yaml.Node
	ed := editor{doc: doc}
	if i := cfg.index(ctx.Name); i >= 0 {
		if old, err = cfg.Lookup(ctx.Name); err != nil {
			return false, err
		}
		entry = cfg.entries[i]
		hadItem = old.Storage == StorageKeyring || cfg.keyringMarked[old.Name]
		if ctx.Endpoint == "" {
			ctx.Endpoint = old.Endpoint
		}
	} else {
		if err := ValidateName(ctx.Name); err != nil {
			return false, err
		}
		entry = ed.addContext(ctx.Name)
	}
	setEntry(entry, ctx, token, storage)

	becomeCurrent := use || len(cfg.Contexts) == 0
	becameCurrent := becomeCurrent && cfg.Current != ctx.Name
	if becameCurrent {
		ed.setPointer(keyCurrent, ctx.Name)
		if cfg.Current != "" {
			ed.setPointer(keyPrevious, cfg.Current)
		}
	}

	if err := f.writeDoc(doc); err != nil {
		return false, err
	}
	res.Created = old == nil
	res.BecameCurrent = becameCurrent
	return hadItem, nil
}

// fallbackWarning returns the warning that StorageAuto put the token of
// context name inline in the file at path because the keyring failed with
// err.
func fallbackWarning(name, path string, err error) string {
	reason := err
	var ke *KeyringError
	if errors.As(err, &ke) {
		reason = ke.Err
	}

	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return fmt.Sprintf("the token of context %q is too large for the keyring (%v), so it is stored inline in %s (mode 0600)", name, reason, path)
	}
	if errors.Is(err, errItemInUse) {
		return fmt.Sprintf("the keyring items for the token of context %q are in use (%v), so it is stored inline in %s (mode 0600)", name, reason, path)
	}
	return fmt.Sprintf("the keyring is unavailable (%v), so the token of context %q is stored inline in %s (mode 0600)", reason, name, path)
}

// storeInKeyring sets the keyring item of name and returns a function that
// undoes it: it restores the old token when the context had one and removes
// the item otherwise. The caller holds the keyring lock until the undo is
// no longer needed.
func (s *Store) storeInKeyring(name, token string, hadItem bool) (rollback func() error, err error) {
	secrets := s.secrets()

	oldToken := ""
	if hadItem {
		oldToken, err = secrets.Get(name)
		if err != nil && !errors.Is(err, ErrTokenNotFound) {
			return nil, err
		}
	}

	if err := secrets.Set(name, token); err != nil {
		return nil, err
	}

	return func() error {
		if oldToken != "" {
			return secrets.Set(name, oldToken)
		}
		err := secrets.Delete(name)
		if errors.Is(err, ErrTokenNotFound) {
			return nil
		}
		return err
	}, nil
}
