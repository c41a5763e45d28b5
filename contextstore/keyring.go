package contextstore

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/zalando/go-keyring"
)

// KeyringService is the keyring service name under which every token is
// stored; the keyring user is the context name.
const KeyringService = "pxauth"

// DefaultKeyringTimeout bounds each keyring call when no other timeout is
// given. A locked or stuck Secret Service can otherwise block forever.
const DefaultKeyringTimeout = 5 * time.Second

// errNoSessionBus reports that no D-Bus session bus is reachable on a
// system whose keyring is the Secret Service. findSessionBus wraps it with
// the socket path it looked for.
var errNoSessionBus = errors.New("no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set")

// Secrets stores one token per context name. Get and Delete return an error
// matching ErrTokenNotFound when no token is stored under the name.
type Secrets interface {
	Get(name string) (string, error)
	Set(name, token string) error
	Delete(name string) error
}

// NewKeyring returns Secrets backed by the OS keyring (Secret Service on
// Linux and BSD, Keychain on macOS, Credential Manager on Windows). A token
// longer than one item of the platform takes is stored in several items,
// NAME and NAME#1, NAME#2 and so on (see splitToken); Get and Delete always
// read and remove all of them. One timeout covers each Get, Set or Delete
// with all the items it touches. A call that takes longer returns an error
// matching ErrKeyringTimeout and touches no further item. A timeout of 0 or
// less means DefaultKeyringTimeout. Other backend errors are returned as
// *KeyringError.
//
// The environment variable PXAUTH_TEST_KEYRING_ITEM_LIMIT is a test hook:
// it replaces the item limit of the platform with a number of bytes (at
// least 128, or 0 for no limit), so that tests can split tokens on any
// keyring. An invalid value fails every call.
//
// NOTE: a call that times out keeps running in its goroutine until the
// backend returns, because go-keyring calls cannot be cancelled. For a
// command-line process that exits soon after, this is harmless.
func NewKeyring(timeout time.Duration) Secrets {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	limit, err := itemLimit(os.Getenv(testItemLimitEnv))
	return &osKeyring{timeout: timeout, backend: goKeyring{}, findBus: findSessionBus, itemLimit: limit, limitErr: err}
}

// testItemLimitEnv names the test hook that overrides platformItemLimit.
const testItemLimitEnv = "PXAUTH_TEST_KEYRING_ITEM_LIMIT"

// itemLimit returns the item limit for the value of testItemLimitEnv, or
// platformItemLimit when it is empty.
func itemLimit(value string) (int, error) {
	if value == "" {
		return platformItemLimit, nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n != 0 && n < minItemLimit || n > 1<<20 {
		return 0, fmt.Errorf("invalid %s %q: want a number of bytes from %d to %d, or 0 for no limit; it is a test hook, so unset it", testItemLimitEnv, value, minItemLimit, 1<<20)
	}
	return n, nil
}

// keyringBackend is the part of go-keyring's API that pxauth uses.
type keyringBackend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// goKeyring calls go-keyring's package functions, which use the OS keyring
// or the mock installed by keyring.MockInit.
type goKeyring struct{}

func (goKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (goKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}
func (goKeyring) Delete(service, user string) error { return keyring.Delete(service, user) }

// osKeyring is the only code that reads or writes keyring items, so it alone
// splits long tokens over several items.
type osKeyring struct {
	timeout time.Duration
	backend keyringBackend

	// findBus, when set, runs before each call and fails it early when
	// the keyring cannot be reached at all.
	findBus func() error

	// itemLimit is the largest secret in one item, in bytes; 0 means no
	// limit. limitErr, when set, fails every call.
	itemLimit int
	limitErr  error
}

func (k *osKeyring) Get(name string) (string, error) {
	var token string
	err := k.call(func(b keyringBackend) error {
		var err error
		token, err = readToken(b, name)
		return err
	})
	if err != nil {
		return "", k.wrap("read", name, err)
	}
	return token, nil
}

func (k *osKeyring) Set(name, token string) error {
	err := k.call(func(b keyringBackend) error {
		return writeToken(b, name, token, k.itemLimit)
	})
	return k.wrap("store", name, err)
}

func (k *osKeyring) Delete(name string) error {
	err := k.call(func(b keyringBackend) error {
		return deleteToken(b, name)
	})
	return k.wrap("delete", name, err)
}

// call runs fn in a goroutine and waits at most k.timeout for it, so one
// timeout covers every item fn touches. fn gets a backend that fails every
// call made after the timeout.
func (k *osKeyring) call(fn func(b keyringBackend) error) error {
	if k.limitErr != nil {
		return k.limitErr
	}
	if k.findBus != nil {
		if err := k.findBus(); err != nil {
			return err
		}
	}

	backend := &stoppableBackend{backend: k.backend}
	done := make(chan error, 1)
	go func() {
		done <- fn(backend)
	}()

	timer := time.NewTimer(k.timeout)
	defer timer.Stop()

	select {
	case err := <-done:
		return err
	case <-timer.C:
		backend.stopped.Store(true)
		return &keyringTimeoutError{timeout: k.timeout}
	}
}

// errStopped is returned by a stoppableBackend after the timeout. No caller
// sees it: call has returned the timeout error by then.
var errStopped = errors.New("keyring call made after the timeout")

// stoppableBackend passes calls to backend until stopped is set.
type stoppableBackend struct {
	backend keyringBackend
	stopped atomic.Bool
}

func (b *stoppableBackend) Get(service, user string) (string, error) {
	if b.stopped.Load() {
		return "", errStopped
	}
	return b.backend.Get(service, user)
}

func (b *stoppableBackend) Set(service, user, password string) error {
	if b.stopped.Load() {
		return errStopped
	}
	return b.backend.Set(service, user, password)
}

func (b *stoppableBackend) Delete(service, user string) error {
	if b.stopped.Load() {
		return errStopped
	}
	return b.backend.Delete(service, user)
}

func (k *osKeyring) wrap(op, name string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return tokenNotFoundInKeyring(name)
	}
	return &KeyringError{Op: op, Context: name, Err: err}
}

func tokenNotFoundInKeyring(name string) error {
	return fmt.Errorf("%w: the keyring has no item for context %q (service %q); create the context again to store its token", ErrTokenNotFound, name, KeyringService)
}

// keyringHint returns what the user can do about a failed keyring call. op
// is "read", "store" or "delete" and name is the context name.
func keyringHint(op, name string, err error) string {
	timedOut := errors.Is(err, ErrKeyringTimeout)

	// A failed call on a part names the part's keyring user.
	var pe *partError
	if errors.As(err, &pe) {
		name = pe.user
	}

	switch {
	case errors.Is(err, errItemInUse) && op == "store":
		return "rename one of the two contexts, or keep the token in the contextconfig file with --storage file"
	case errors.Is(err, errItemInUse):
		return "create this context again under another name"
	case errors.Is(err, errDamagedToken):
		return "create the context again to store its token"
	}

	switch op {
	case "store":
		switch {
		case timedOut:
			return "unlock the keyring, or keep the token in the contextconfig file with --storage file"
		case errors.Is(err, keyring.ErrSetDataTooBig):
			return "the token is too large for this keyring; keep it in the contextconfig file with --storage file"
		}
		return "check that a keyring service is running and unlocked, or keep the token in the contextconfig file with --storage file"

	case "delete":
		if timedOut {
			return "unlock the keyring, or " + removeItemHint(runtime.GOOS, name)
		}
		return removeItemHint(runtime.GOOS, name)
	}
	return "unlock the keyring or check that a keyring service is running"
}

// removeItemHint returns how to remove the keyring item of context name by
// hand on goos. A name with a character that is not printable is only
// quoted, never put into a command line to copy. On Windows and macOS,
// where a long token is split, the hint also names the part items.
func removeItemHint(goos, name string) string {
	var hint string
	if strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		hint = fmt.Sprintf("remove the keyring item with service %q and user %q by hand", KeyringService, name)
	} else {
		hint = "remove the item by hand: " + removeItemCommand(goos, name)
	}

	if goos == "windows" || goos == "darwin" {
		hint += fmt.Sprintf(", then the items of users %q, %q and so on that a long token has", name+"#1", name+"#2")
	}
	return hint
}

// removeItemCommand returns the command that removes the keyring item of
// context name on goos. go-keyring v0.2.8 stores the item under service and
// account on macOS, as the target "service:user" on Windows, and with the
// attributes service and username in the Secret Service elsewhere.
func removeItemCommand(goos, name string) string {
	switch goos {
	case "darwin":
		return fmt.Sprintf("security delete-generic-password -s %s -a %s", KeyringService, shellQuote(name))
	case "windows":
		return fmt.Sprintf("cmdkey /delete:%s", windowsQuote(KeyringService+":"+name))
	}
	return fmt.Sprintf("secret-tool clear service %s username %s", KeyringService, shellQuote(name))
}

// shellQuote quotes s for a POSIX shell when it contains anything but letters,
// digits and a few safe punctuation characters.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%_+=:,./-", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// windowsQuote puts s in double quotes for cmd.exe when it contains a space
// or a character that cmd.exe treats specially.
func windowsQuote(s string) string {
	if strings.ContainsAny(s, " \t&|<>^()\"%!") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
