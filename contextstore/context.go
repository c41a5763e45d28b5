package contextstore

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Storage is the place a context's token is kept in.
type Storage string

// Storage modes. StorageAuto is only a request to Save, which then stores
// the token in the keyring when the keyring works and inline in the file
// otherwise.
const (
	StorageAuto    Storage = "auto"
	StorageKeyring Storage = "keyring"
	StorageFile    Storage = "file"
)

// ParseStorage converts a storage name ("auto", "keyring" or "file") into a
// Storage.
func ParseStorage(s string) (Storage, error) {
	switch Storage(s) {
	case StorageAuto, StorageKeyring, StorageFile:
		return Storage(s), nil
	}
	return "", fmt.Errorf("invalid token storage %q; use auto, keyring or file", s)
}

// Identity is the owner of a context's token as pxctl records it.
type Identity struct {
	Subject string
	Name    string
	Email   string
}

// Context is one entry of the contextconfig file.
type Context struct {
	Name     string
	Endpoint string
	Identity Identity

	// Token is the inline token from the file, empty when the token is in
	// the keyring. Save ignores it and takes the token as an argument.
	Token string

	// Storage is StorageFile for an inline token (or a context marked as
	// file storage) and StorageKeyring otherwise.
	Storage Storage

	// Issuer, Roles, Groups, IssuedAt and ExpiresAt are the token's claims
	// as pxauth recorded them. A context written by pxctl has none of them;
	// times are zero when unknown.
	Issuer    string
	Roles     []string
	Groups    []string
	IssuedAt  time.Time
	ExpiresAt time.Time

	// Line is the line of the entry in the file, 0 for a context that was
	// not read from a file.
	Line int
}

// Config is the content of a contextconfig file.
type Config struct {
	// Path is the file that was read.
	Path string

	// Current is the current context, empty when none is set.
	Current string

	// Previous is the context that was current before the last switch.
	Previous string

	// Contexts lists the contexts in file order, including every copy of
	// a name that the file defines more than once.
	Contexts []Context

	// keyringMarked lists contexts whose pxauth.tokenstorage is keyring
	// even though their Storage is file, so a stale keyring item may exist.
	keyringMarked map[string]bool

	// storageRecorded lists contexts with a pxauth.tokenstorage key, the
	// ones pxauth stored; contexts that pxctl wrote have none.
	storageRecorded map[string]bool

	// entries holds the mapping node of each context, in the order of
	// Contexts, for the rewrite. It is nil for a Config from Load.
	entries []*yaml.Node
}

// Lookup returns the context called name. It fails with ErrContextNotFound
// when the file has no such context and with ErrDuplicateContext when the
// file defines the name more than once.
func (c *Config) Lookup(name string) (*Context, error) {
	var found []int
	for i := range c.Contexts {
		if c.Contexts[i].Name == name {
			found = append(found, i)
		}
	}

	switch len(found) {
	case 0:
		return nil, c.notFound(name)
	case 1:
		return &c.Contexts[found[0]], nil
	}

	lines := make([]string, len(found))
	for i, idx := range found {
		lines[i] = fmt.Sprint(c.Contexts[idx].Line)
	}
	return nil, fmt.Errorf("%w: %q is defined on lines %s of %s; edit the file to remove or rename all but one",
		ErrDuplicateContext, name, strings.Join(lines, " and "), c.Path)
}

func (c *Config) notFound(name string) error {
	if len(c.Contexts) == 0 {
		return fmt.Errorf("%w: %q (%s has no contexts); create one with pxauth ctx create", ErrContextNotFound, name, c.Path)
	}

	names := c.Names()
	const shown = 10
	list := strings.Join(quoteAll(names), ", ")
	if len(names) > shown {
		list = strings.Join(quoteAll(names[:shown]), ", ") + fmt.Sprintf(" and %d more", len(names)-shown)
	}
	return fmt.Errorf("%w: %q; known contexts: %s (see pxauth ctx list)", ErrContextNotFound, name, list)
}

// Names returns the context names in file order, each name once.
func (c *Config) Names() []string {
	seen := make(map[string]bool, len(c.Contexts))
	names := make([]string, 0, len(c.Contexts))
	for _, ctx := range c.Contexts {
		if !seen[ctx.Name] {
			seen[ctx.Name] = true
			names = append(names, ctx.Name)
		}
	}
	return names
}

// Duplicates returns the names that the file defines more than once, in
// file order.
func (c *Config) Duplicates() []string {
	count := make(map[string]int, len(c.Contexts))
	var dups []string
	for _, ctx := range c.Contexts {
		count[ctx.Name]++
		if count[ctx.Name] == 2 {
			dups = append(dups, ctx.Name)
		}
	}
	return dups
}

func (c *Config) index(name string) int {
	for i := range c.Contexts {
		if c.Contexts[i].Name == name {
			return i
		}
	}
	return -1
}

func quoteAll(names []string) []string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return quoted
}

// ValidateName checks a name for a new context: it must be non-empty and
// must not contain white space, control characters or "/", and "-" is
// reserved for switching to the previous context.
func ValidateName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: the name is empty", ErrInvalidName)
	}
	if name == "-" {
		return fmt.Errorf("%w: %q is reserved for switching to the previous context", ErrInvalidName, name)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrInvalidName, name)
	}
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			return fmt.Errorf("%w: %q contains white space", ErrInvalidName, name)
		case unicode.IsControl(r):
			return fmt.Errorf("%w: %q contains a control character", ErrInvalidName, name)
		case r == '/':
			return fmt.Errorf("%w: %q contains \"/\"", ErrInvalidName, name)
		}
	}
	return nil
}
