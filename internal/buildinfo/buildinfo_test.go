package buildinfo

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func buildInfo(version string, settings ...string) func() (*debug.BuildInfo, bool) {
	return func() (*debug.BuildInfo, bool) {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/pxauth/pxauth", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi, true
	}
}

func noBuildInfo() (*debug.BuildInfo, bool) { return nil, false }

func TestRead(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name                    string
		version, commit, date   string
		readBuildInfo           func() (*debug.BuildInfo, bool)
		wantVersion, wantCommit string
		wantDate                string
	}{
		{
			name:    "linker values win",
			version: "1.2.0", commit: rev, date: "2026-01-02T03:04:05Z",
			readBuildInfo: buildInfo("v9.9.9", "vcs.revision", "ffff", "vcs.time", "2020-01-01T00:00:00Z"),
			wantVersion:   "1.2.0", wantCommit: rev, wantDate: "2026-01-02T03:04:05Z",
		},
		{
			name:          "go install of a tag",
			readBuildInfo: buildInfo("v1.2.0"),
			wantVersion:   "1.2.0", wantCommit: Unknown, wantDate: Unknown,
		},
		{
			name:          "go build in a checkout",
			readBuildInfo: buildInfo("v0.0.0-20260102030405-0123456789ab", "vcs.revision", rev, "vcs.time", "2026-01-02T03:04:05Z", "vcs.modified", "false"),
			wantVersion:   "0.0.0-20260102030405-0123456789ab", wantCommit: rev, wantDate: "2026-01-02T03:04:05Z",
		},
		{
			name:          "modified checkout",
			readBuildInfo: buildInfo("(devel)", "vcs.revision", rev, "vcs.modified", "true"),
			wantVersion:   Dev, wantCommit: rev + "-dirty", wantDate: Unknown,
		},
		{
			name:          "devel without vcs",
			readBuildInfo: buildInfo("(devel)"),
			wantVersion:   Dev, wantCommit: Unknown, wantDate: Unknown,
		},
		{
			name:          "empty module version",
			readBuildInfo: buildInfo(""),
			wantVersion:   Dev, wantCommit: Unknown, wantDate: Unknown,
		},
		{
			name:          "no build info",
			readBuildInfo: noBuildInfo,
			wantVersion:   Dev, wantCommit: Unknown, wantDate: Unknown,
		},
		{
			name:          "linker version keeps vcs commit",
			version:       "1.3.0-next",
			readBuildInfo: buildInfo("(devel)", "vcs.revision", rev),
			wantVersion:   "1.3.0-next", wantCommit: rev, wantDate: Unknown,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := read(tt.version, tt.commit, tt.date, tt.readBuildInfo)

			if got.Version != tt.wantVersion {
				t.Errorf("Version = %q, want %q", got.Version, tt.wantVersion)
			}
			if got.Commit != tt.wantCommit {
				t.Errorf("Commit = %q, want %q", got.Commit, tt.wantCommit)
			}
			if got.Date != tt.wantDate {
				t.Errorf("Date = %q, want %q", got.Date, tt.wantDate)
			}
			if got.GoVersion != runtime.Version() {
				t.Errorf("GoVersion = %q, want %q", got.GoVersion, runtime.Version())
			}
			if want := runtime.GOOS + "/" + runtime.GOARCH; got.Platform != want {
				t.Errorf("Platform = %q, want %q", got.Platform, want)
			}
		})
	}
}

func TestInfoString(t *testing.T) {
	info := Info{Version: "1.2.0", Commit: "abc", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.26.8", Platform: "linux/amd64"}

	want := "pxauth 1.2.0 (commit abc, date 2026-01-02T03:04:05Z, go1.26.8, linux/amd64)"
	if got := info.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestReadNeverEmpty(t *testing.T) {
	got := Read()

	for name, value := range map[string]string{
		"Version": got.Version, "Commit": got.Commit, "Date": got.Date,
		"GoVersion": got.GoVersion, "Platform": got.Platform,
	} {
		if value == "" {
			t.Errorf("Read().%s is empty", name)
		}
	}
}
