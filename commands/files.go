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

// displayName returns the name of an input path in messages: <stdin>
// for "-", else the path itself.
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
			return nil, inputError(flag, path, err)
		}
		defer f.Close()
		r = f
	}

	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, inputError(flag, path, err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s %q is larger than %d bytes; is it the right file?", flag, displayName(path), maxInput)
	}
	return data, nil
}

// inputError describes a file that cannot be read. The path of a missing
// --shared-secret-file, or one that looks like a token, is left out,
// because a secret passed there by mistake would otherwise be printed.
func inputError(flag, path string, err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		err = pathErr.Err
	}

	hidden := looksLikeToken(path) || (flag == "--shared-secret-file" && errors.Is(err, fs.ErrNotExist))
	if hidden {
		return fmt.Errorf("cannot read %s: %v (the path is not shown, in case it is a secret or token); pass the path of a file that holds it", flag, reason(err))
	}
	return fmt.Errorf("cannot read %s %q: %v", flag, displayName(path), reason(err))
}

// reason returns the common file errors in plain words, and any other
// error as it is.
func reason(err error) any {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err
}

// checkOutput fails early when path cannot take a token, so that no work
// is done and no context is saved for a token that cannot be written.
func checkOutput(path string, force bool) error {
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("cannot write output file %q: directory %q does not exist", path, dir)
	}

	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot write output file %q: %w", path, err)
	}

	switch {
	case info.IsDir():
		return fmt.Errorf("output file %q is a directory; pass a file path", path)
	case !info.Mode().IsRegular() && info.Mode()&fs.ModeSymlink == 0:
		return fmt.Errorf("output file %q is not a regular file (%v); pass a file path", path, info.Mode().Type())
	case !force:
		return fmt.Errorf("output file %q already exists; use --force to replace it", path)
	}
	return nil
}

// writeSecretFile writes data to path with mode 0600 so that the file is
// either absent or complete, and syncs the file and its directory. Without
// force an existing file is an error and is left alone.
func writeSecretFile(path string, data []byte, force bool) error {
	if err := writeWhole(path, data, force, true); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// writeWhole writes data to a temporary file in the directory of path,
// which os.CreateTemp creates with mode 0600, optionally syncs it, and then
// gives it the final name, so that path is either absent or complete.
// Without force an existing path is an error and is left alone.
func writeWhole(path string, data []byte, force, sync bool) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".pxauth-*.tmp")
	if err != nil {
		return outputError(path, dir, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			os.Remove(tmpName)
		}
	}()

	_, err = tmp.Write(data)
	if err == nil && sync {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return outputError(path, dir, err)
	}

	if force {
		err = os.Rename(tmpName, path)
	} else {
		err = linkNew(tmpName, path, data)
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("output file %q already exists; use --force to replace it", path)
	}
	if err != nil {
		return outputError(path, dir, err)
	}
	return nil
}

// linkNew gives the complete temporary file tmp the name path unless path
// exists. A hard link fails when path exists, so a file that appeared
// since checkOutput is never replaced. File systems without hard links
// (FAT, some network mounts) get an exclusive create of path instead.
func linkNew(tmp, path string, data []byte) error {
	err := os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		if err == nil {
			os.Remove(tmp)
		}
		return err
	}

	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	os.Remove(tmp)
	return nil
}

// outputError describes a failed write of the output file. The temporary
// file's name means nothing to the user, so only the reason is kept.
func outputError(path, dir string, err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		err = pathErr.Err
	}
	var linkErr *os.LinkError
	if errors.As(err, &linkErr) {
		err = linkErr.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot write output file %q: directory %q does not exist", path, dir)
	}
	return fmt.Errorf("cannot write output file %q: %w", path, err)
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
