package buildinfo

import (
	"runtime"
	"testing"
)

func record(version string, settings ...string) *Recorded {
	rec := &Recorded{ModuleVersion: version, Settings: map[string]string{}}
	for i := 0; i+1 < len(settings); i += 2 {
		rec.Settings[settings[i]] = settings[i+1]
	}
	return rec
}

func TestRead(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name                    string
		version, commit, date   string
		rec                     *Recorded
		wantVersion, wantCommit string
		wantDate                string
	}{
		{
			name:    "linker values win",
			version: "1.2.0", commit: rev, date: "2026-01-02T03:04:05Z",
			rec:         record("v9.9.9", "vcs.revision", "ffff", "vcs.time", "2020-01-01T00:00:00Z"),
			wantVersion: "1.2.0", wantCommit: rev, wantDate: "2026-01-02T03:04:05Z",
		},
		{
			name:        "go install of a tag",
			rec:         record("v1.2.0"),
			wantVersion: "1.2.0", wantCommit: Unknown, wantDate: Unknown,
		},
		{
			name:        "go build in a checkout",
			rec:         record("v0.0.0-20260102030405-0123456789ab", "vcs.revision", rev, "vcs.time", "2026-01-02T03:04:05Z", "vcs.modified", "false"),
			wantVersion: "0.0.0-20260102030405-0123456789ab", wantCommit: rev, wantDate: "2026-01-02T03:04:05Z",
		},
		{
			name:        "modified checkout",
			rec:         record("(devel)", "vcs.revision", rev, "vcs.modified", "true"),
			wantVersion: Dev, wantCommit: rev + "-dirty", wantDate: Unknown,
		},
		{
			name:        "devel without vcs",
			rec:         record("(devel)"),
			wantVersion: Dev, wantCommit: Unknown, wantDate: Unknown,
		},
		{
			name:        "empty module version",
			rec:         record(""),
			wantVersion: Dev, wantCommit: Unknown, wantDate: Unknown,
		},
		{
			name:        "no build info",
			rec:         nil,
			wantVersion: Dev, wantCommit: Unknown, wantDate: Unknown,
		},
		{
			name:        "linker version keeps vcs commit",
			version:     "1.3.0-next",
			rec:         record("(devel)", "vcs.revision", rev),
			wantVersion: "1.3.0-next", wantCommit: rev, wantDate: Unknown,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := read(tt.version, tt.commit, tt.date, tt.rec)

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
	got := Read(nil)

	for name, value := range map[string]string{
		"Version": got.Version, "Commit": got.Commit, "Date": got.Date,
		"GoVersion": got.GoVersion, "Platform": got.Platform,
	} {
		if value == "" {
			t.Errorf("Read().%s is empty", name)
		}
	}
}

func TestRelease(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name                  string
		version, commit, date string
		wantOK                bool
		wantVersion           string
	}{
		{name: "all set", version: "v1.2.0", commit: rev, date: "2026-01-02T03:04:05Z", wantOK: true, wantVersion: "1.2.0"},
		{name: "no version", commit: rev, date: "2026-01-02T03:04:05Z"},
		{name: "no commit", version: "1.2.0", date: "2026-01-02T03:04:05Z"},
		{name: "no date", version: "1.2.0", commit: rev},
		{name: "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oldVersion, oldCommit, oldDate := version, commit, date
			t.Cleanup(func() { version, commit, date = oldVersion, oldCommit, oldDate })
			version, commit, date = tt.version, tt.commit, tt.date

			got, ok := Release()

			if ok != tt.wantOK {
				t.Fatalf("Release() ok = %v, want %v", ok, tt.wantOK)
			}
			if !ok {
				return
			}
			if got.Version != tt.wantVersion {
				t.Errorf("Version = %q, want %q", got.Version, tt.wantVersion)
			}
			if got != Read(nil) {
				t.Errorf("Release() = %+v, differs from Read(nil) = %+v", got, Read(nil))
			}
		})
	}
}
