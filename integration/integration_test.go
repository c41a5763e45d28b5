// Package integration drives the built pxauth binary with testscript
// scripts in testdata/. Each script runs in its own work directory with
// HOME and the XDG folders inside it, so no script reads the user's files,
// keyring or environment.
package integration

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// binDir holds the pxauth binary built once for all scripts.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "pxauth-integration-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	bin := filepath.Join(dir, "pxauth")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin, "github.com/pxauth/pxauth")
	build.Stdout = os.Stderr
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "integration: building pxauth:", err)
		return 1
	}

	if err := os.WriteFile(filepath.Join(dir, "expect-exit"), []byte(expectExitScript), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "integration:", err)
		return 1
	}

	binDir = dir
	return m.Run()
}

// touchSources reads every Go source and module file of the repository.
// go test caches a test result until a file that a test opened changes;
// the binary under test comes from a separate go build, so without this a
// change to pxauth would not rerun these tests. Only files opened while
// tests run count, so TestMain cannot do this.
func touchSources(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "dist") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum" {
			_, err := os.ReadFile(path)
			return err
		}
		return nil
	})
}

// expectExitScript runs a command and succeeds only when it exits with the
// given code, so scripts can tell a usage error (2) from a failure (1):
//
//	exec expect-exit 2 pxauth token generate
const expectExitScript = `#!/bin/sh
want=$1
shift
"$@"
got=$?
if [ "$got" -ne "$want" ]; then
	echo "expect-exit: exit code $got, expected $want" >&2
	exit 1
fi
`

func TestScripts(t *testing.T) {
	if err := touchSources(".."); err != nil {
		t.Fatal(err)
	}

	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		Setup:               setupScript,
		Cmds:                scriptCommands(),
		Condition:           scriptCondition,
		RequireExplicitExec: true,
	})
}

// setupScript puts the binary on PATH and points HOME and the XDG folders
// into the script's work directory.
func setupScript(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	for _, dir := range []string{home, filepath.Join(home, ".config"), filepath.Join(home, ".local", "share")} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}

	env.Setenv("PATH", binDir+string(os.PathListSeparator)+env.Getenv("PATH"))
	env.Setenv("HOME", home)
	env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	env.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	env.Setenv("XDG_RUNTIME_DIR", filepath.Join(env.WorkDir, ".tmp"))
	env.Setenv("TZ", "UTC")

	// A bus address that leads nowhere, so that pxauth (and godbus, which
	// would otherwise try /run/user/UID/bus) can never reach the keyring of
	// the user who runs the tests. "keyring start" replaces it.
	env.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(env.WorkDir, "no-bus"))

	examples, err := filepath.Abs(filepath.Join("..", "examples"))
	if err != nil {
		return err
	}
	env.Setenv("EXAMPLES", examples)
	return nil
}

func scriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"genkey":     cmdGenkey,
		"jwtverify":  cmdJWTVerify,
		"jwtsign":    cmdJWTSign,
		"keyring":    cmdKeyring,
		"kubesecret": cmdKubeSecret,
	}
}
