package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runResult is what one run of the application printed and returned.
type runResult struct {
	code   int
	stdout string
	stderr string
}

// sandbox is a HOME with a contextconfig path and an XDG config home in a
// temporary directory, and the environment variables each run gets.
type sandbox struct {
	t          *testing.T
	dir        string
	configHome string
	vars       map[string]string
}

func newSandbox(t *testing.T) *sandbox {
	dir := t.TempDir()
	s := &sandbox{t: t, dir: dir, configHome: filepath.Join(dir, "config")}
	s.vars = map[string]string{
		"HOME":                     dir,
		"XDG_CONFIG_HOME":          s.configHome,
		contextConfigEnv:           filepath.Join(dir, "contextconfig"),
		"DBUS_SESSION_BUS_ADDRESS": "unix:path=" + filepath.Join(dir, "no-bus"),
	}
	return s
}

// writePreferences writes the preferences file.
func (s *sandbox) writePreferences(content string) string {
	path := filepath.Join(s.configHome, "pxauth", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		s.t.Fatal(err)
	}
	return path
}

// run runs pxauth with the words of args and the sandbox's variables plus
// extra ones given as NAME=VALUE.
func (s *sandbox) run(args string, extra ...string) runResult {
	return s.runArgs(strings.Fields(args), extra...)
}

func (s *sandbox) runArgs(args []string, extra ...string) runResult {
	vars := map[string]string{}
	for k, v := range s.vars {
		vars[k] = v
	}
	for _, kv := range extra {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}

	var stdout, stderr bytes.Buffer
	e := &env{
		stdin:  strings.NewReader(""),
		stdout: &stdout,
		stderr: &stderr,
		lookupEnv: func(name string) (string, bool) {
			v, ok := vars[name]
			return v, ok
		},
		now:             time.Now,
		stdinIsTerminal: func() bool { return true },
	}
	code := e.run(append([]string{"pxauth"}, args...))
	return runResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// Example inputs of the repository, relative to this package.
var (
	kubeUser     = filepath.Join("..", "examples", "kube.yaml")
	adminUser    = filepath.Join("..", "examples", "admin.yaml")
	demoSecret   = filepath.Join("..", "examples", "demo-shared-secret")
	generateKube = "token generate --auth-config " + kubeUser + " --shared-secret-file " + demoSecret
)
