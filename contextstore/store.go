package contextstore

import (
	"errors"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"
)

// Store reads and changes one contextconfig file and the keyring items of
// its contexts. The zero value uses DefaultPath, DefaultLockTimeout and the
// OS keyring with DefaultKeyringTimeout. Separate Store values, in one
// process or several, may change the same file at the same time: the lock is
// flock on Linux, macOS and BSD and LockFileEx on Windows, both held per open
// file.
type Store struct {
	// Path is the contextconfig file; "" means DefaultPath().
	Path string

	// LockTimeout bounds the wait for the lock of a writer; 0 means
	// DefaultLockTimeout.
	LockTimeout time.Duration

	// Secrets stores tokens of keyring contexts; nil means
	// NewKeyring(DefaultKeyringTimeout).
	Secrets Secrets

	// beforeRename is passed to every write; see lockedFile.
	beforeRename func(tmpPath string) error
}

// SaveResult describes what Save did.
type SaveResult struct {
	// Created is true for a new context, false for an update.
	Created bool

	// Storage is the token's place after Save: StorageKeyring or
	// StorageFile.
	Storage Storage

	// BecameCurrent is true when the context was not current before and is
	// now.
	BecameCurrent bool

	// Warnings are for the user: a keyring that failed under StorageAuto, or
	// an old keyring item that could not be removed. They never contain a
	// token.
	Warnings []string
}

// SwitchResult describes the pointers after Use or Unset.
type SwitchResult struct {
	// Current is the current context afterwards ("" after Unset).
	Current string

	// Previous is the previous context afterwards, the one "use -"
	// switches to ("" when there is none).
	Previous string

	// Changed is false when the file was already in the requested state and
	// was not written.
	Changed bool
}

// ChangeResult carries warnings from Delete and Rename, which change the
// file even when removing an old keyring item fails.
type ChangeResult struct {
	Warnings []string
}

func (s *Store) path() string {
	if s.Path != "" {
		return s.Path
	}
	return DefaultPath()
}

func (s *Store) lockTimeout() time.Duration {
	if s.LockTimeout > 0 {
		return s.LockTimeout
	}
	return DefaultLockTimeout
}

func (s *Store) secrets() Secrets {
	if s.Secrets != nil {
		return s.Secrets
	}
	return NewKeyring(DefaultKeyringTimeout)
}

// Load reads the file without taking the lock and without calling the
// keyring. A missing file (or directory) gives a Config with no contexts.
func (s *Store) Load() (*Config, error) {
	path := s.path()
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}

	doc, err := parseForRead(path, data)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeConfig(path, doc)
	if err != nil {
		return nil, err
	}
	cfg.entries = nil
	return cfg, nil
}

// Current returns the name of the current context, "" when none is set or
// the file does not exist. It checks only the keys on the way to
// contextconfig.current, so a file whose contexts are damaged still gives
// its current name; Load reports that damage. It takes no lock and does not
// call the keyring.
func (s *Store) Current() (string, error) {
	path := s.path()
	data, err := readFile(path)
	if err != nil {
		return "", err
	}

	if name, ok := scanCurrent(data); ok {
		return name, nil
	}
	doc, err := parseYAML(path, data)
	if err != nil {
		return "", err
	}
	return currentOf(path, doc)
}

// Token returns the token of context name: the inline token from the file
// or the one in the keyring.
func (s *Store) Token(name string) (string, error) {
	cfg, err := s.Load()
	if err != nil {
		return "", err
	}
	ctx, err := cfg.Lookup(name)
	if err != nil {
		return "", err
	}

	if ctx.Token != "" {
		return ctx.Token, nil
	}
	if ctx.Storage == StorageFile {
		return "", fmt.Errorf("%w: context %q has no token in %s; create the context again with a token", ErrTokenNotFound, name, cfg.Path)
	}
	return s.secrets().Get(name)
}

// Save creates context ctx.Name or updates it. An update replaces the
// fields Context has and keeps every other key of the entry. The token is
// the token argument; ctx.Token and ctx.Storage are ignored.
//
// The keyring is written first and the file second. With StorageKeyring a
// failing keyring fails Save and nothing is stored. With StorageAuto a
// failing keyring puts the token inline in the file and adds a warning.
// StorageFile never calls the keyring for the new token; afterwards it
// removes a keyring item the context had, and a failure there is a warning.
// When the file write fails, the keyring item is restored to its old value
// (or removed when there was none).
//
// The first context of a file becomes current; use makes the context
// current, and the old current context becomes the previous one. On error
// the result is the zero SaveResult.
//
// NOTE: keyring calls run while the file lock is held, so a keyring that
// hangs until its timeout can make a concurrent writer time out on the lock.
func (s *Store) Save(ctx Context, token string, storage Storage, use bool) (SaveResult, error) {
	var res SaveResult

	if storage == "" {
		storage = StorageAuto
	}
	if _, err := ParseStorage(string(storage)); err != nil {
		return SaveResult{}, err
	}
	if token == "" {
		return SaveResult{}, fmt.Errorf("empty token for context %q; pass the token to store", ctx.Name)
	}

	f, err := s.openLocked(true)
	if err != nil {
		return SaveResult{}, err
	}
	defer f.unlock()

	doc, cfg, err := f.parse()
	if err != nil {
		return SaveResult{}, err
	}

	var old *Context
	var entry *yaml.Node
	if i := cfg.index(ctx.Name); i >= 0 {
		if old, err = cfg.Lookup(ctx.Name); err != nil {
			return SaveResult{}, err
		}
		entry = cfg.entries[i]
	} else if err := ValidateName(ctx.Name); err != nil {
		return SaveResult{}, err
	}
	res.Created = old == nil
	hadKeyringItem := old != nil && (old.Storage == StorageKeyring || cfg.keyringMarked[old.Name])

	// Keyring first, so the file never names a keyring item that is missing.
	res.Storage = storage
	keyringFailed := false
	var rollback func() error
	if storage != StorageFile {
		rollback, err = s.storeInKeyring(ctx.Name, token, hadKeyringItem)
		if err != nil {
			if storage == StorageKeyring {
				return SaveResult{}, err
			}
			keyringFailed = true
			res.Storage = StorageFile
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"the keyring did not store the token of context %q (%v); the token is inline in %s, which only you can read (mode 0600)",
				ctx.Name, err, f.path))
		} else {
			res.Storage = StorageKeyring
		}
	}

	// Then the file.
	ed := editor{doc: doc}
	if entry == nil {
		entry = ed.addContext(ctx.Name)
	}
	setEntry(entry, ctx, token, res.Storage)

	becomeCurrent := use || len(cfg.Contexts) == 0
	if becomeCurrent && cfg.Current != ctx.Name {
		res.BecameCurrent = true
		ed.setPointer(keyCurrent, ctx.Name)
		if cfg.Current != "" {
			ed.setPointer(keyPrevious, cfg.Current)
		}
	}

	if err := f.writeDoc(doc); err != nil {
		if rollback != nil {
			if rerr := rollback(); rerr != nil {
				return SaveResult{}, fmt.Errorf("%w; restoring the keyring item of context %q also failed: %v", err, ctx.Name, rerr)
			}
		}
		return SaveResult{}, err
	}

	// A context moved to the file leaves its old keyring item behind.
	if res.Storage == StorageFile && hadKeyringItem {
		if keyringFailed {
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"the old token of context %q may still be in the keyring (service %q); remove it when the keyring works again", ctx.Name, KeyringService))
		} else if w := s.deleteKeyringItem(ctx.Name); w != "" {
			res.Warnings = append(res.Warnings, w)
		}
	}
	return res, nil
}

// storeInKeyring sets the keyring item of name and returns a function that
// undoes it: it restores the old token when the context had one and removes
// the item otherwise.
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

// deleteKeyringItem removes the keyring item of name and returns a warning
// when that fails. A missing item is not a failure.
func (s *Store) deleteKeyringItem(name string) string {
	err := s.secrets().Delete(name)
	if err == nil || errors.Is(err, ErrTokenNotFound) {
		return ""
	}
	return fmt.Sprintf("the old token of context %q is still in the keyring (service %q): %v", name, KeyringService, err)
}

// Use makes context name current and the old current context the previous
// one. The name "-" switches to the previous context.
func (s *Store) Use(name string) (SwitchResult, error) {
	return s.switchTo(name, false)
}

// Unset clears the current context; the old current context becomes the
// previous one. A missing file is left missing.
func (s *Store) Unset() (SwitchResult, error) {
	return s.switchTo("", true)
}

// switchTo implements Use and Unset. It patches the two lines in place
// when the file has the plain layout scanFile accepts and rewrites the
// whole tree otherwise.
func (s *Store) switchTo(name string, unset bool) (SwitchResult, error) {
	var res SwitchResult

	f, err := s.openLocked(false)
	if err != nil {
		return res, err
	}
	defer f.unlock()

	if f.data == nil && unset {
		return res, nil
	}

	var cfg *Config
	scan, fast := scanFile(f.data)
	if fast {
		cfg, err = decodeConfig(f.path, scan.doc)
	} else {
		var doc *yaml.Node
		doc, cfg, err = f.parse()
		scan = &scanResult{doc: doc}
	}
	if err != nil {
		return res, err
	}

	current, previous, err := nextPointers(cfg, name, unset)
	if err != nil {
		return res, err
	}
	res = SwitchResult{Current: current, Previous: previous}
	if current == cfg.Current && previous == cfg.Previous {
		return res, nil
	}
	res.Changed = true

	if fast {
		if data, ok := patchPointers(f.data, scan, cfg, current, previous); ok {
			if err := f.write(data); err != nil {
				return SwitchResult{}, err
			}
			return res, nil
		}
		doc, _, err := f.parse()
		if err != nil {
			return res, err
		}
		scan.doc = doc
	}

	ed := editor{doc: scan.doc}
	ed.setPointer(keyCurrent, current)
	ed.setPointer(keyPrevious, previous)
	if err := f.writeDoc(scan.doc); err != nil {
		return SwitchResult{}, err
	}
	return res, nil
}

// nextPointers returns current and previous after a switch to name (or
// after Unset).
func nextPointers(cfg *Config, name string, unset bool) (current, previous string, err error) {
	current, previous = cfg.Current, cfg.Previous

	target := name
	switch {
	case unset:
		target = ""
	case name == "-":
		if cfg.Previous == "" {
			return "", "", fmt.Errorf("%w: %s records no previous context; switch to a context by name", ErrNoPrevious, cfg.Path)
		}
		target = cfg.Previous
	}

	if target != "" {
		if _, err := cfg.Lookup(target); err != nil {
			return "", "", err
		}
	}

	if target == current {
		return current, previous, nil
	}
	switch {
	case current != "":
		previous = current
	case previous == target:
		// After Unset, "use -" returns to the previous context, which then
		// is current and no longer previous.
		previous = ""
	}
	return target, previous, nil
}

// Delete removes the named contexts and the keyring items of those stored
// there. Unless every name exists exactly once, Delete changes nothing.
// Deleting the current or previous context clears that pointer. The file is
// written first, and a keyring item that cannot be removed afterwards is
// reported as a warning.
func (s *Store) Delete(names ...string) (ChangeResult, error) {
	var res ChangeResult
	if len(names) == 0 {
		return res, errors.New("no context name given to delete")
	}

	f, err := s.openLocked(false)
	if err != nil {
		return res, err
	}
	defer f.unlock()

	doc, cfg, err := f.parse()
	if err != nil {
		return res, err
	}

	remove := make(map[*yaml.Node]bool, len(names))
	removed := make(map[string]bool, len(names))
	var inKeyring []string
	for _, name := range names {
		ctx, err := cfg.Lookup(name)
		if err != nil {
			return res, err
		}
		if removed[name] {
			continue
		}
		removed[name] = true
		remove[cfg.entries[cfg.index(name)]] = true
		if ctx.Storage == StorageKeyring || cfg.keyringMarked[name] {
			inKeyring = append(inKeyring, name)
		}
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
		return res, err
	}

	for _, name := range inKeyring {
		if w := s.deleteKeyringItem(name); w != "" {
			res.Warnings = append(res.Warnings, w)
		}
	}
	return res, nil
}

// Rename renames context oldName to newName, which must not exist, and
// moves its keyring item: the item is copied to the new name, the file is
// written, and the old item is removed (a failure there is a warning). If
// the file write fails, the new item is removed again. current and
// previous follow the rename.
func (s *Store) Rename(oldName, newName string) (ChangeResult, error) {
	var res ChangeResult
	if err := ValidateName(newName); err != nil {
		return res, err
	}

	f, err := s.openLocked(false)
	if err != nil {
		return res, err
	}
	defer f.unlock()

	doc, cfg, err := f.parse()
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
	entry := cfg.entries[cfg.index(oldName)]

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

	ed := editor{doc: doc}
	setKey(entry, keyContext, newName)
	if cfg.Current == oldName {
		ed.setPointer(keyCurrent, newName)
	}
	if cfg.Previous == oldName {
		ed.setPointer(keyPrevious, newName)
	}
	if err := f.writeDoc(doc); err != nil {
		if moved {
			if derr := secrets.Delete(newName); derr != nil && !errors.Is(derr, ErrTokenNotFound) {
				return res, fmt.Errorf("%w; removing the copied keyring item of context %q also failed: %v", err, newName, derr)
			}
		}
		return res, err
	}

	if moved || cfg.keyringMarked[oldName] {
		if w := s.deleteKeyringItem(oldName); w != "" {
			res.Warnings = append(res.Warnings, w)
		}
	}
	return res, nil
}
