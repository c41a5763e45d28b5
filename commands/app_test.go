package commands

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"success", nil, exitOK},
		{"failure", errors.New("invalid duration"), exitFailure},
		{"usage", usagef("--issuer is required"), exitUsage},
		{"wrapped usage", fmt.Errorf("token generate: %w", usagef("x")), exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCode(tt.err); got != tt.want {
				t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestPrintErrorOneLine(t *testing.T) {
	var buf bytes.Buffer
	printError(&buf, errors.New("first\nsecond\r\nthird"))

	if got, want := buf.String(), "pxauth: first second third\n"; got != want {
		t.Errorf("printError wrote %q, want %q", got, want)
	}
}

func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		name       string
		args       string
		wantCode   int
		wantStderr string
	}{
		{"help", "pxauth --help", exitOK, ""},
		{"unknown flag", "pxauth token generate --nope", exitUsage, "pxauth: token generate: unknown flag --nope; see 'pxauth token generate --help'"},
		{"unknown subcommand", "pxauth token nope", exitUsage, `pxauth: unknown command "nope"`},
		{"unknown command", "pxauth nope", exitUsage, `pxauth: unknown command "nope"`},
		{"missing auth config", "pxauth token generate --issuer x", exitUsage, "pxauth: --auth-config is required"},
		{"missing issuer", "pxauth token generate --auth-config f", exitUsage, "pxauth: --issuer is required"},
		{"missing user file", "pxauth token generate --auth-config /nonexistent/user.yaml --issuer x --shared-secret-file /nonexistent/s", exitFailure, "/nonexistent/user.yaml"},
		{"inspect without token on a terminal", "pxauth token inspect", exitUsage, "pxauth: no token"},
		{"inspect malformed", "pxauth token inspect a.b", exitFailure, "pxauth: invalid token"},
		{"ctx create without token", "pxauth ctx create admin", exitUsage, "pxauth: a token is required"},
		{"ctx rename one argument", "pxauth ctx rename a", exitUsage, "pxauth: ctx rename needs OLD and NEW"},
		{"ctx list bad output", "pxauth ctx list -o yaml", exitUsage, `pxauth: invalid --output "yaml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := testEnv()
			code := e.run(strings.Fields(tt.args))
			stderr := e.stderr.(*bytes.Buffer).String()

			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.wantStderr)
			}
			if tt.wantCode != exitOK && e.stdout.(*bytes.Buffer).Len() != 0 {
				t.Errorf("stdout %q, want nothing on failure", e.stdout.(*bytes.Buffer).String())
			}
		})
	}
}
