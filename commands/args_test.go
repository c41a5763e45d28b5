package commands

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

func testEnv() *env {
	return &env{
		stdin:           strings.NewReader(""),
		stdout:          &bytes.Buffer{},
		stderr:          &bytes.Buffer{},
		lookupEnv:       func(string) (string, bool) { return "", false },
		now:             func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		stdinIsTerminal: func() bool { return true },
	}
}

func TestReorderArgs(t *testing.T) {
	tests := []struct {
		name string
		args string
		want string
	}{
		{"no arguments", "pxauth", "pxauth"},
		{"flags already first", "pxauth ctx create --token T admin", "pxauth ctx create --token T admin"},
		{"flag after argument", "pxauth ctx create admin --token T", "pxauth ctx create --token T admin"},
		{"flag with equals", "pxauth ctx create admin --token=T --use", "pxauth ctx create --token=T --use admin"},
		{"bool flag takes no value", "pxauth ctx create admin --use --token T", "pxauth ctx create --use --token T admin"},
		{"global flag after command", "pxauth ctx token --context kube", "pxauth --context kube ctx token"},
		{"global flag before command", "pxauth --context kube ctx token", "pxauth --context kube ctx token"},
		{"stdin dash is an argument", "pxauth token inspect - --json", "pxauth token inspect --json -"},
		{"double dash ends flags", "pxauth ctx delete -- --weird", "pxauth ctx delete -- --weird"},
		{"unknown flag stays with command", "pxauth token generate --nope", "pxauth token generate --nope"},
		{"help flag", "pxauth token generate -h", "pxauth token generate -h"},
		{"alias command", "pxauth context rm a --context x", "pxauth --context x context rm a"},
		{"completion flag stays last", "pxauth ctx use --generate-bash-completion", "pxauth ctx use --generate-bash-completion"},
		{"command name as value", "pxauth token generate --issuer ctx --auth-config f", "pxauth token generate --issuer ctx --auth-config f"},
	}

	app := testEnv().newApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reorderArgs(app, strings.Fields(tt.args))
			if want := strings.Fields(tt.want); !slices.Equal(got, want) {
				t.Errorf("reorderArgs(%q) = %q, want %q", tt.args, got, want)
			}
		})
	}
}
