package integration

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// commandTimeout bounds one run of pxauth in the Go tests, so that a hang
// fails the test instead of the whole test binary.
const commandTimeout = 30 * time.Second

// sandbox is a temporary directory with HOME and the XDG folders inside it,
// for Go tests that run the pxauth binary. The keyring bus address leads
// nowhere, so pxauth never reaches the keyring of the user who runs the
// tests.
type sandbox struct {
	dir  string
	home string
	env  []string
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()

	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	s := &sandbox{dir: dir, home: home}
	for _, d := range []string{home, s.configHome(), s.dataHome(), filepath.Join(dir, "run")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}

	s.env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + s.configHome(),
		"XDG_DATA_HOME=" + s.dataHome(),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
		"XDG_RUNTIME_DIR=" + filepath.Join(dir, "run"),
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(dir, "no-bus"),
		"TZ=UTC",
	}
	return s
}

func (s *sandbox) configHome() string { return filepath.Join(s.home, ".config") }
func (s *sandbox) dataHome() string   { return filepath.Join(s.home, ".local", "share") }

// contextConfig is the default contextconfig path inside the sandbox.
func (s *sandbox) contextConfig() string { return filepath.Join(s.home, ".pxctl", "contextconfig") }

// path returns the absolute path of a file given relative to the sandbox.
func (s *sandbox) path(rel string) string { return filepath.Join(s.dir, filepath.FromSlash(rel)) }

// write creates the file rel (relative to the sandbox) with mode 0600,
// creating its directories.
func (s *sandbox) write(t *testing.T, rel string, data []byte) {
	t.Helper()
	p := s.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// runResult is what one run of pxauth produced.
type runResult struct {
	stdout  string
	stderr  string
	exit    int
	elapsed time.Duration
}

// run runs pxauth in the sandbox directory with the sandbox environment,
// then extraEnv (later entries win), and stdin.
func (s *sandbox) run(t *testing.T, stdin []byte, extraEnv []string, args ...string) runResult {
	t.Helper()
	return s.runProgram(t, stdin, extraEnv, pxauthPath(), args...)
}

// runShell runs script with sh -c in the sandbox, with the path of pxauth
// as $0 and args as $1 and on.
func (s *sandbox) runShell(t *testing.T, script string, args ...string) runResult {
	t.Helper()
	return s.runProgram(t, nil, nil, "sh", append([]string{"-c", script, pxauthPath()}, args...)...)
}

func (s *sandbox) runProgram(t *testing.T, stdin []byte, extraEnv []string, program string, args ...string) runResult {
	t.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Dir = s.dir
	cmd.Env = append(append([]string{}, s.env...), extraEnv...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr

	start := time.Now()
	err := cmd.Run()
	res := runResult{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}

	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.Exited():
		res.exit = exitErr.ExitCode()
	default:
		t.Fatalf("%s %q: %v (after %v)", program, args, err, res.elapsed)
	}
	return res
}

// pxauthPath is the binary that TestMain built.
func pxauthPath() string {
	bin := filepath.Join(binDir, "pxauth")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	return bin
}
