package contextstore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// maxFileSize bounds the contextconfig file that pxauth reads. A file with
// 10,000 contexts, each with an inline token of about 900 bytes, is about
// 11 MB (benchFile in bench_test.go). The bound leaves room above that and
// still stops a path that names a log or a disk image from being read whole.
const maxFileSize = 64 << 20

// readContextFile returns the content of the contextconfig file target, nil
// when it does not exist, and its FileInfo. path is the configured path, for
// messages. A file that is not regular or is larger than maxFileSize is a
// *FileError.
func readContextFile(path, target string) ([]byte, fs.FileInfo, error) {
	info, err := os.Stat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read contextconfig %q: %w", path, err)
	}

	// Check before opening: opening a FIFO blocks until a writer comes.
	if err := checkFile(path, info); err != nil {
		return nil, nil, err
	}

	file, err := os.Open(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read contextconfig %q: %w", path, err)
	}
	defer file.Close()

	// The path may name another file since the Stat above.
	if info, err = file.Stat(); err != nil {
		return nil, nil, fmt.Errorf("read contextconfig %q: %w", path, err)
	}
	if err := checkFile(path, info); err != nil {
		return nil, nil, err
	}

	// One buffer of the size Stat gave, with room to see EOF, instead of
	// the doubling of io.ReadAll: on a 1 MB file that saves 2 MB of
	// allocation, which a short-lived process pays for in page faults.
	var buf bytes.Buffer
	buf.Grow(int(min(info.Size(), maxFileSize)) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(file, maxFileSize+1)); err != nil {
		return nil, nil, fmt.Errorf("read contextconfig %q: %w", path, err)
	}
	if buf.Len() > maxFileSize {
		return nil, nil, tooLargeError(path)
	}
	return buf.Bytes(), info, nil
}

// checkFile rejects a contextconfig path that is not a regular file or is
// larger than maxFileSize. info describes the file that path resolves to.
func checkFile(path string, info fs.FileInfo) error {
	if info.Mode().IsRegular() {
		if info.Size() > maxFileSize {
			return tooLargeError(path)
		}
		return nil
	}

	kind := "is " + fileKind(info.Mode())
	if link, err := os.Lstat(path); err == nil && link.Mode()&fs.ModeSymlink != 0 {
		if target, err := filepath.EvalSymlinks(path); err == nil {
			kind = fmt.Sprintf("links to %q, which is %s", target, fileKind(info.Mode()))
		}
	}
	return &FileError{Path: path, Err: fmt.Errorf("the contextconfig path %s, not a regular file; point --contextconfig or PXCTL_CONTEXTCONFIG at a file", kind)}
}

func tooLargeError(path string) error {
	return &FileError{Path: path, Err: fmt.Errorf("the file is larger than %d MiB, too large for a contextconfig file; check that --contextconfig or PXCTL_CONTEXTCONFIG names the right file", maxFileSize>>20)}
}

// fileKind names the type of a file that is not regular.
func fileKind(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	}
	return "a special file"
}
