// Command pxauth mints and checks the JSON Web Tokens that Portworx and
// OpenStorage clusters accept, and keeps named contexts for switching
// between identities.
package main

import (
	"os"

	"github.com/pxauth/pxauth/commands"

	// Prints the version of a release build before the libraries that
	// commands imports are initialized; see its package comment.
	_ "github.com/pxauth/pxauth/internal/early"
)

func main() {
	os.Exit(commands.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
