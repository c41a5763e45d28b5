package contextstore

import (
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

	// LockTimeout bounds each wait of a writer for a lock (the file lock or
	// the keyring lock); 0 means DefaultLockTimeout.
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

// Load reads the file without taking a lock and without calling the
// keyring. A missing file (or directory) gives a Config with no contexts. A
// path that is not a regular file, or a file larger than 64 MiB, is a
// *FileError.
func (s *Store) Load() (*Config, error) {
	path := s.path()
	data, _, err := readContextFile(path, path)
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
// call the keyring, and it rejects the same paths as Load.
func (s *Store) Current() (string, error) {
	path := s.path()
	data, _, err := readContextFile(path, path)
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
		if p, ok := patchPointers(f.data, scan, cfg, current, previous); ok {
			if err := f.write(p.pieces()...); err != nil {
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
