package contextstore

import (
	"errors"
	"fmt"
	"time"
)

// Errors that callers can test with errors.Is.
var (
	// ErrLockTimeout is matched by the error returned when another process
	// holds the lock on the contextconfig file for longer than the lock
	// timeout.
	ErrLockTimeout = errors.New("timed out waiting for the contextconfig lock")

	// ErrKeyringTimeout is matched by the error returned when a keyring call
	// does not return within the keyring timeout.
	ErrKeyringTimeout = errors.New("keyring timed out")

	// ErrTokenNotFound is matched by the error returned when a context has no
	// token, neither inline nor in the keyring.
	ErrTokenNotFound = errors.New("token not found")

	// ErrContextNotFound is matched by the error returned for a context name
	// that the file does not contain.
	ErrContextNotFound = errors.New("context not found")

	// ErrContextExists is matched by the error returned when a rename target
	// already exists.
	ErrContextExists = errors.New("context already exists")

	// ErrDuplicateContext is matched by the error returned for a name that
	// the file defines more than once.
	ErrDuplicateContext = errors.New("context defined more than once")

	// ErrNoPrevious is matched by the error returned by Use("-") when no
	// previous context is recorded.
	ErrNoPrevious = errors.New("no previous context")

	// ErrInvalidName is matched by the error returned by ValidateName.
	ErrInvalidName = errors.New("invalid context name")
)

// FileError reports a contextconfig file that cannot be read or that has the
// wrong structure. Line is 0 when the position is unknown.
type FileError struct {
	Path string
	Line int
	Err  error
}

// Error formats the error as PATH:LINE: message, the form editors and
// compilers use for positions.
func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// LockTimeoutError reports that the lock file stayed locked for the whole
// lock timeout. It matches ErrLockTimeout.
type LockTimeoutError struct {
	LockPath string
	Timeout  time.Duration
}

// Error names the lock file and the timeout.
func (e *LockTimeoutError) Error() string {
	return fmt.Sprintf("timed out after %s waiting for the lock on %q; another pxauth process holds it", e.Timeout, e.LockPath)
}

// Is reports whether target is ErrLockTimeout.
func (e *LockTimeoutError) Is(target error) bool { return target == ErrLockTimeout }

// KeyringError reports a failed keyring call. Op is "read", "store" or
// "delete"; Context is the context name, which is also the keyring user.
type KeyringError struct {
	Op      string
	Context string
	Err     error
}

// Error names the operation, the context and the backend's reason, and adds
// a hint.
func (e *KeyringError) Error() string {
	return fmt.Sprintf("keyring %s of the token of context %q failed: %v; %s", e.Op, e.Context, e.Err, keyringHint(e.Op, e.Context, e.Err))
}

// Unwrap returns the backend's error.
func (e *KeyringError) Unwrap() error { return e.Err }

// keyringTimeoutError is the backend error for a keyring call that did not
// return in time.
type keyringTimeoutError struct {
	timeout time.Duration
}

func (e *keyringTimeoutError) Error() string {
	return fmt.Sprintf("the keyring did not answer within %s", e.timeout)
}

func (e *keyringTimeoutError) Is(target error) bool { return target == ErrKeyringTimeout }
