//go:build windows

package contextstore

// syncDir does nothing on Windows, where a directory handle from os.Open
// cannot be synced.
func syncDir(dir string) error {
	return nil
}
