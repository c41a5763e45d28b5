package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestReleaseBuild builds pxauth with the flags, tags and -ldflags of
// .goreleaser.yaml, goreleaser's template fields filled in, and runs the
// checks that need a release build.
func TestReleaseBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pxauth once more")
	}

	data, err := os.ReadFile(filepath.Join("..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var config struct {
		Builds []struct {
			Flags   []string `yaml:"flags"`
			Tags    []string `yaml:"tags"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
	}
	if err := yaml.Unmarshal(data, &config); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if len(config.Builds) != 1 {
		t.Fatalf(".goreleaser.yaml has %d builds, want 1", len(config.Builds))
	}
	build := config.Builds[0]

	fields := map[string]string{
		"Version":    "1.2.3",
		"FullCommit": "0123456789abcdef0123456789abcdef01234567",
		"Date":       "2026-01-02T03:04:05Z",
	}
	template := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	ldflags := template.ReplaceAllStringFunc(strings.Join(build.Ldflags, " "), func(m string) string {
		name := template.FindStringSubmatch(m)[1]
		value, ok := fields[name]
		if !ok {
			t.Errorf(".goreleaser.yaml ldflags use {{ .%s }}, which this test does not fill in", name)
		}
		return value
	})

	bin := filepath.Join(t.TempDir(), "pxauth")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	args := append([]string{"build"}, build.Flags...)
	args = append(args, "-tags", strings.Join(build.Tags, ","), "-ldflags", ldflags, "-o", bin, "github.com/pxauth/pxauth")
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}

	want := "pxauth 1.2.3 (commit " + fields["FullCommit"] + ", date " + fields["Date"] + ", " +
		runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"

	// The linker ignores -X for a variable that does not exist, so a wrong
	// package path would otherwise go unseen. The last two command lines
	// go past internal/early to the full program, which must agree.
	t.Run("LinkerFlags", func(t *testing.T) {
		for _, args := range [][]string{
			{"--version"},
			{"version"},
			{"--context", "unused", "--version"},
			{"--contextconfig", "unused", "version"},
		} {
			out, err := exec.Command(bin, args...).Output()
			if err != nil {
				t.Fatalf("pxauth %s: %v", strings.Join(args, " "), err)
			}
			if string(out) != want {
				t.Errorf("pxauth %s printed %q, want %q", strings.Join(args, " "), out, want)
			}
		}
	})

	// internal/early must print the line before the libraries run their
	// init functions. GODEBUG=inittrace=1 makes the runtime print one line for
	// each package init that does work, in the order they run.
	t.Run("VersionSkipsInit", func(t *testing.T) {
		cmd := exec.Command(bin, "--version")
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pxauth --version: %v", err)
		}
		if string(out) != want {
			t.Errorf("pxauth --version printed %q, want %q", out, want)
		}

		trace := stderr.String()
		if !strings.Contains(trace, "init os @") {
			t.Fatalf("GODEBUG=inittrace=1 printed no init line for os:\n%s", trace)
		}
		for _, pkg := range []string{
			"unicode", "reflect", "regexp", "net", "path/filepath",
			"github.com/adrg/xdg", "github.com/godbus/dbus/v5", "github.com/urfave/cli/v2",
			"gopkg.in/yaml%2ev3", "github.com/pxauth/pxauth/commands",
		} {
			if strings.Contains(trace, "init "+pkg+" @") {
				t.Errorf("%s was initialized before pxauth --version printed:\n%s", pkg, trace)
			}
		}
	})
}
