package commands

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVersionFlagMatchesCommand(t *testing.T) {
	s := newSandbox(t)

	flag := s.run("--version")
	command := s.run("version")

	if flag.code != exitOK {
		t.Errorf("--version exit code %d, stderr %q", flag.code, flag.stderr)
	}
	if command.code != exitOK {
		t.Errorf("version exit code %d, stderr %q", command.code, command.stderr)
	}
	if flag.stdout != command.stdout {
		t.Errorf("--version printed %q, version printed %q", flag.stdout, command.stdout)
	}
	if strings.Count(flag.stdout, "\n") != 1 || !strings.HasPrefix(flag.stdout, "pxauth ") {
		t.Errorf("--version printed %q, want one line starting with pxauth", flag.stdout)
	}
	if !strings.Contains(flag.stdout, "go1.") {
		t.Errorf("--version printed %q, want the Go version in it", flag.stdout)
	}
}

func TestVersionJSON(t *testing.T) {
	s := newSandbox(t)

	r := s.run("version --json")

	var got map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("version --json printed %q: %v", r.stdout, err)
	}
	for _, field := range []string{"version", "commit", "date", "go_version", "platform"} {
		if got[field] == "" {
			t.Errorf("version --json has no %s: %s", field, r.stdout)
		}
	}
	if len(got) != 5 {
		t.Errorf("version --json has %d fields, want 5: %s", len(got), r.stdout)
	}
}

func TestVersionUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args string
		want string
	}{
		{"argument to command", "version extra", `version takes no arguments, got "extra"`},
		{"argument to flag", "--version extra", `--version takes no arguments, got "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newSandbox(t).run(tt.args)

			if r.code != exitUsage {
				t.Errorf("exit code %d, want %d", r.code, exitUsage)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}
