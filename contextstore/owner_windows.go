//go:build windows

package contextstore

import (
	"io/fs"
	"os"
)

// matchOwner does nothing on Windows, where files have no Unix owner.
func matchOwner(path string, like fs.FileInfo) {}

// matchOwnerOfFile does nothing on Windows, where files have no Unix owner.
func matchOwnerOfFile(f *os.File, like fs.FileInfo) {}

// tightenDir does nothing on Windows, where access is set by ACLs.
func tightenDir(dir string) {}
