package commands

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBatchFlags(t *testing.T) {
	tests := []struct {
		name     string
		options  generateOptions
		dirInput bool
		wantErr  string
	}{
		{"single file", generateOptions{authConfig: "user.yaml"}, false, ""},
		{"directory run", generateOptions{authConfig: "users", outputDir: "out"}, true, ""},
		{"directory without output dir", generateOptions{authConfig: "users"}, true, "add --output-dir"},
		{"output dir with file", generateOptions{authConfig: "user.yaml", outputDir: "out"}, false, "needs --auth-config to be a directory"},
		{"output dir with stdin", generateOptions{authConfig: "-", outputDir: "out"}, false, `"<stdin>"`},
		{"with output", generateOptions{authConfig: "users", outputDir: "out", output: "x"}, true, "--output given"},
		{"with json", generateOptions{authConfig: "users", outputDir: "out", json: true}, true, "--json given"},
		{"with save context", generateOptions{authConfig: "users", outputDir: "out", saveContext: "lab"}, true, "--save-context given"},
		{"with use", generateOptions{authConfig: "users", outputDir: "out", use: true}, true, "--use given"},
		{"with kube secret", generateOptions{authConfig: "users", outputDir: "out", kubeSecret: &kubeSecret{}}, true, "--kube-secret given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkBatchFlags(tt.options, tt.dirInput)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("checkBatchFlags: %v, expected no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("checkBatchFlags: no error, expected one containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("checkBatchFlags: %q, expected it to contain %q", err, tt.wantErr)
			}
			if exitCode(err) != exitUsage {
				t.Errorf("exit code %d, expected %d", exitCode(err), exitUsage)
			}
		})
	}
}

func TestBatchUserFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.yaml", "a.yaml", ".hidden.yaml", ".yaml", "notes.txt", "a.yml"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o700); err != nil {
		t.Fatal(err)
	}

	entries, err := listUserFiles(dir, "out")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, entry := range entries {
		names = append(names, entry.name)
	}
	if got := strings.Join(names, ","); got != "a,b" {
		t.Errorf("names %q, expected %q", got, "a,b")
	}
	if got := entries[0].output; got != filepath.Join("out", "a.token") {
		t.Errorf("output %q, expected %q", got, filepath.Join("out", "a.token"))
	}
}

// BenchmarkBatchMint measures a whole directory run: reading and
// validating 1,000 user files, signing with HS256 and writing the tokens.
func BenchmarkBatchMint(b *testing.B) {
	const users = 1000
	dir := b.TempDir()
	input := filepath.Join(dir, "users")
	if err := os.Mkdir(input, 0o700); err != nil {
		b.Fatal(err)
	}
	for i := range users {
		user := fmt.Sprintf("name: User %d\nemail: user%d@example.com\nsub: user-%d\nroles: [\"system.user\"]\ngroups: [\"tenant-%d\"]\n", i, i, i, i)
		if err := os.WriteFile(filepath.Join(input, fmt.Sprintf("user%d.yaml", i)), []byte(user), 0o600); err != nil {
			b.Fatal(err)
		}
	}

	run := 0
	for b.Loop() {
		run++
		output := filepath.Join(dir, fmt.Sprintf("out%d", run))
		e := &env{
			stdin:  strings.NewReader(""),
			stdout: io.Discard,
			stderr: io.Discard,
			lookupEnv: func(name string) (string, bool) {
				if name == secretEnv {
					return "a-benchmark-shared-secret-that-is-long-enough", true
				}
				return "", false
			},
			now:             time.Now,
			stdinIsTerminal: func() bool { return true },
		}
		if code := e.run([]string{"pxauth", "token", "generate", "--auth-config", input, "--output-dir", output, "--issuer", "portworx.com"}); code != exitOK {
			b.Fatalf("exit code %d", code)
		}
	}
	b.ReportMetric(float64(users*b.N)/b.Elapsed().Seconds(), "tokens/s")
}
