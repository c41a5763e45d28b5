package commands

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestQuietMessageHelpers(t *testing.T) {
	tests := []struct {
		name  string
		print func(e *env)
		want  string
	}{
		{"warning", func(e *env) { e.warnf("short secret %d", 1) }, "pxauth: warning: short secret 1\n"},
		{"note", func(e *env) { e.notef("derived sub") }, "pxauth: note: derived sub\n"},
		{"confirmation", func(e *env) { e.confirmf("switched to context %q", "kube") }, "pxauth: switched to context \"kube\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loud, quiet := testEnv(), testEnv()
			quiet.quiet = true

			tt.print(loud)
			tt.print(quiet)

			if got := loud.stderr.(*bytes.Buffer).String(); got != tt.want {
				t.Errorf("without -q: %q, want %q", got, tt.want)
			}
			if got := quiet.stderr.(*bytes.Buffer).String(); got != "" {
				t.Errorf("with -q: %q, want nothing", got)
			}
		})
	}
}

func TestQuietGenerateSaveContext(t *testing.T) {
	tests := []struct {
		name       string
		before     string // global flags before the command
		after      string // flags after the command
		wantStdout string // "token", "json", "secret" or ""
		wantStderr string // a substring, or "" for no stderr at all
	}{
		{"loud", "", "", "token", `created context "kube", token inline in`},
		{"quiet after command", "", "-q", "", ""},
		{"quiet long form", "", "--quiet", "", ""},
		{"quiet before command", "-q", "", "", ""},
		{"quiet with json", "", "-q --json", "json", ""},
		{"quiet with secret", "", "-q --kube-secret px-k8s-user", "secret", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t)

			r := s.run(tt.before + " " + generateKube + " --issuer portworx.com --save-context kube --storage file " + tt.after)

			if r.code != exitOK {
				t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
			}
			switch tt.wantStdout {
			case "":
				if r.stdout != "" {
					t.Errorf("stdout %q, want nothing", r.stdout)
				}
			case "token":
				if !strings.HasPrefix(r.stdout, "eyJ") {
					t.Errorf("stdout %q, want the token", r.stdout)
				}
			case "json":
				if !json.Valid([]byte(r.stdout)) {
					t.Errorf("stdout %q, want JSON", r.stdout)
				}
			case "secret":
				if !strings.HasPrefix(r.stdout, "apiVersion: v1\n") {
					t.Errorf("stdout %q, want a Secret manifest", r.stdout)
				}
			}
			if tt.wantStderr == "" && r.stderr != "" {
				t.Errorf("stderr %q, want nothing", r.stderr)
			}
			if !strings.Contains(r.stderr, tt.wantStderr) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, tt.wantStderr)
			}

			list := s.run("ctx list -o name")
			if list.stdout != "kube\n" {
				t.Errorf("ctx list -o name printed %q, want the saved context", list.stdout)
			}
		})
	}
}

func TestQuietKeepsErrors(t *testing.T) {
	tests := []struct {
		name string
		args string
		code int
		want string
	}{
		{"failure", "-q ctx use nosuch", exitFailure, "nosuch"},
		{"usage", "-q ctx rename a", exitUsage, "ctx rename needs OLD and NEW"},
		{"bad flag value", "-q " + generateKube + " --issuer portworx.com --token-duration 0", exitFailure, "--token-duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newSandbox(t).run(tt.args)

			if r.code != tt.code {
				t.Errorf("exit code %d, want %d", r.code, tt.code)
			}
			if !strings.HasPrefix(r.stderr, "pxauth: ") || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q, want an error containing %q", r.stderr, tt.want)
			}
		})
	}
}

func TestQuietSilencesConfirmations(t *testing.T) {
	s := newSandbox(t)
	for _, name := range []string{"a", "b"} {
		if r := s.run(generateKube + " --issuer portworx.com --storage file -q --save-context " + name); r.code != exitOK {
			t.Fatalf("saving context %s: exit code %d, stderr %q", name, r.code, r.stderr)
		}
	}

	tests := []struct {
		args string
		want string
	}{
		{"ctx use b", `switched to context "b"`},
		{"ctx unset", "no context is current now"},
		{"ctx rename b c", `renamed context "b" to "c"`},
		{"ctx delete c", `deleted context "c"`},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			loud := s.run(tt.args)
			if !strings.Contains(loud.stderr, tt.want) {
				t.Errorf("%s: stderr %q, want it to contain %q", tt.args, loud.stderr, tt.want)
			}

			// Undo where needed, then run the same change with -q.
			switch tt.args {
			case "ctx rename b c":
				s.run("ctx rename c b")
			case "ctx delete c":
				s.run(generateKube + " --issuer portworx.com --storage file -q --save-context c")
			}
			quiet := s.run("-q " + tt.args)
			if quiet.code != exitOK {
				t.Fatalf("-q %s: exit code %d, stderr %q", tt.args, quiet.code, quiet.stderr)
			}
			if quiet.stderr != "" {
				t.Errorf("-q %s: stderr %q, want nothing", tt.args, quiet.stderr)
			}
		})
	}
}
