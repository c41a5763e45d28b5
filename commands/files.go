package commands

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// maxInput caps what pxauth reads from one input file or stdin. User files,
// keys, secrets and tokens are a few kilobytes; the cap keeps a mistaken
// path such as /dev/zero from filling memory.
const maxInput = 1 << 20

// displayName is how an input path appears in messages.
func displayName(path string) string {
	if path == "-" {
		return "<stdin>"
	}
	return path
}

// readInput reads the file at path, or stdin when path is "-". flag names
// the flag the path came from, for the error message.
func (e *env) readInput(path, flag string) ([]byte, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", flag, err)
		}
		defer f.Close()
		r = f
	}

	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s %q: %w", flag, displayName(path), err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s %q is larger than %d bytes; is it the right file?", flag, displayName(path), maxInput)
	}
	return data, nil
}

// checkOutput fails early when path exists and force is off, so that no
// work is done for a token that cannot be written.
func checkOutput(path string, force bool) error {
	if force {
		return nil
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("output file %q already exists; use --force to replace it", path)
	}
	return nil
}

// writeSecretFile writes data to path with mode 0600 so that the file is
// either absent or complete: the data goes to a temporary file in the same
// directory, is synced, and then takes the final name. Without force an
// existing file is an error and is left alone.
func writeSecretFile(path string, data []byte, force bool) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".pxauth-*.tmp")
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot write output file %q: directory %q does not exist", path, dir)
	}
	if err != nil {
		// The temporary name means nothing to the user; the reason does.
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return fmt.Errorf("cannot write output file %q: %w", path, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			os.Remove(tmpName)
		}
	}()

	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write output file %q: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write output file %q: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write output file %q: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write output file %q: %w", path, err)
	}

	if force {
		err = os.Rename(tmpName, path)
	} else {
		// A hard link fails when path exists, so no file is ever replaced
		// by a race between checkOutput and here.
		err = os.Link(tmpName, path)
		if err == nil {
			os.Remove(tmpName)
		}
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("output file %q already exists; use --force to replace it", path)
	}
	if err != nil {
		return fmt.Errorf("cannot write output file %q: %w", path, err)
	}

	syncDir(dir)
	return nil
}

// syncDir flushes a directory entry change to disk. Some platforms and file
// systems do not support syncing a directory; the rename itself has been
// done by then, so a failure here is not reported.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
