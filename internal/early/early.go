// Package early prints the version line for `pxauth --version` and
// `pxauth version` of a release build before the rest of pxauth is
// initialized. The main package imports it for that side effect only.
//
// Go initializes every imported package before main runs. The libraries
// pxauth needs (yaml.v3, adrg/xdg, urfave/cli, and godbus with the net
// package) do work in their init functions. On a 2-core Xeon VM a whole
// run of `pxauth --version` took 1.75 ms with that work and 1.25 ms
// without it (hyperfine means). Since Go 1.21 the order is fixed:
// of the packages whose imports are initialized, the one first in import
// path order goes next. This package imports only os and internal/buildinfo, which imports
// only runtime, so it runs right after os and before those libraries.
// TestReleaseBuild in integration checks that it still does.
//
// Only those two exact command lines are handled here, and only when the
// linker set the version, commit and date (see internal/buildinfo). Every
// other case, including a failed write, goes on to the full program,
// which prints the same line.
package early

import (
	"os"

	"github.com/pxauth/pxauth/internal/buildinfo"
)

func init() {
	if !versionOnly(os.Args) {
		return
	}
	info, ok := buildinfo.Release()
	if !ok {
		return
	}
	if _, err := os.Stdout.WriteString(info.String() + "\n"); err != nil {
		return
	}
	os.Exit(0)
}

// versionOnly reports whether args, the whole command line, requests the
// version line and nothing else.
func versionOnly(args []string) bool {
	return len(args) == 2 && (args[1] == "--version" || args[1] == "version")
}
