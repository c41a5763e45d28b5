//go:build !windows

package contextstore

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// matchOwner gives path the owner and group of like when the process runs as
// root. Errors are ignored: the file stays usable by root, and a failed
// chown must not fail a write that succeeded.
func matchOwner(path string, like fs.FileInfo) {
	if uid, gid, ok := ownerToSet(like); ok {
		_ = os.Lchown(path, uid, gid)
	}
}

// matchOwnerOfFile is matchOwner for an open file.
func matchOwnerOfFile(f *os.File, like fs.FileInfo) {
	if uid, gid, ok := ownerToSet(like); ok {
		_ = f.Chown(uid, gid)
	}
}

func ownerToSet(like fs.FileInfo) (uid, gid int, ok bool) {
	if like == nil || os.Geteuid() != 0 {
		return 0, 0, false
	}
	st, ok := like.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// tightenDir removes group and other permissions from dir when it is a
// directory named .pxctl (not a symlink) that the current user owns. Other
// directories are left alone: a contextconfig file given by path may sit in
// a home or project directory whose mode is the user's choice.
func tightenDir(dir string) {
	if filepath.Base(dir) != ".pxctl" {
		return
	}

	info, err := os.Lstat(dir)
	if err != nil || !info.IsDir() {
		return
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Geteuid() {
		return
	}

	mode := info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	if mode&0o077 != 0 {
		_ = os.Chmod(dir, mode&^0o077)
	}
}
