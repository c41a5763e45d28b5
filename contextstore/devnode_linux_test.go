package contextstore

import (
	"os"
	"syscall"
	"testing"
)

// makeCharDevice creates a character device like /dev/null at path, or
// skips the test when that is not allowed.
func makeCharDevice(t *testing.T, path string) {
	if os.Geteuid() != 0 {
		t.Skip("creating a device node needs root")
	}
	var null syscall.Stat_t
	if err := syscall.Stat("/dev/null", &null); err != nil {
		t.Skipf("stat /dev/null: %v", err)
	}
	if err := syscall.Mknod(path, syscall.S_IFCHR|0o666, int(null.Rdev)); err != nil {
		t.Skipf("mknod: %v", err)
	}
}
