package commands

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Exit codes, chosen here and nowhere else.
const (
	exitOK      = 0
	exitFailure = 1 // invalid input, I/O, failed verification
	exitUsage   = 2 // command-line usage error
)

// usageError is a mistake in how the command line was written: an unknown
// flag or command, a missing required flag, flags in conflict.
type usageError struct {
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitCode maps an error returned by a command to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}

	var usage *usageError
	if errors.As(err, &usage) {
		return exitUsage
	}
	return exitFailure
}

// printError writes err as one line on w, prefixed with the program name.
// Library errors are already single lines; line breaks that slip through
// from wrapped errors are replaced by spaces so that the message stays one line.
func printError(w io.Writer, err error) {
	msg := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(err.Error())
	fmt.Fprintf(w, "pxauth: %s\n", msg)
}
