// Package buildinfo describes the running pxauth binary: its version, the
// commit it was built from, the build date and the Go toolchain.
//
// Release builds set version, commit and date with the linker:
//
//	go build -ldflags "-X github.com/pxauth/pxauth/internal/buildinfo.version=1.2.0
//	    -X github.com/pxauth/pxauth/internal/buildinfo.commit=$(git rev-parse HEAD)
//	    -X github.com/pxauth/pxauth/internal/buildinfo.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
//
// Other builds fall back to what the go command records in the binary: the
// module version for `go install ...@v1.2.0`, and the VCS revision and
// commit time for a build inside a git checkout. The caller reads that
// record with runtime/debug.ReadBuildInfo and passes it to Read.
//
// The package imports runtime and nothing else, so that internal/early,
// which imports it, stays among the first packages Go initializes:
// runtime/debug, strings (through unicode) and most other packages would
// each move it later.
package buildinfo

import "runtime"

// Set by the linker with -X in release builds; empty otherwise.
var (
	version string
	commit  string
	date    string
)

// Unknown is the value of a field that the build did not record.
const Unknown = "unknown"

// Dev is the version of a build that has neither a linker-set version nor
// a module version, such as `go build` with -buildvcs=false.
const Dev = "dev"

// Info describes one build of pxauth. No field is ever empty.
type Info struct {
	// Version is the release version without a leading "v", such as 1.2.0,
	// a Go pseudo-version, or Dev.
	Version string `json:"version"`

	// Commit is the git commit, with "-dirty" appended when the checkout
	// had uncommitted changes, or Unknown.
	Commit string `json:"commit"`

	// Date is the build date of a release build, or else the commit time
	// the go command recorded, in RFC 3339; Unknown when neither is known.
	Date string `json:"date"`

	// GoVersion is the Go toolchain, such as go1.26.8.
	GoVersion string `json:"go_version"`

	// Platform is GOOS/GOARCH, such as linux/amd64.
	Platform string `json:"platform"`
}

// Recorded is the build record that the go command writes into a binary.
// ModuleVersion is the main module's version, such as v1.2.0 or (devel),
// and Settings maps setting keys, such as vcs.revision, to their values.
type Recorded struct {
	ModuleVersion string
	Settings      map[string]string
}

// Release returns the Info that a release build set with the linker. ok is
// false unless the version, the commit and the date are all set, because
// Read would then fill the missing ones from the build record.
func Release() (info Info, ok bool) {
	if version == "" || commit == "" || date == "" {
		return Info{}, false
	}
	return read(version, commit, date, nil), true
}

// Read returns the Info of the running binary from the values the linker
// set. Fields the linker left empty come from rec, the build record, which
// is nil when the binary has none.
func Read(rec *Recorded) Info {
	return read(version, commit, date, rec)
}

func read(version, commit, date string, rec *Recorded) Info {
	info := Info{
		Version:   version,
		Commit:    commit,
		Date:      date,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}

	if rec != nil {
		fillFromRecord(&info, rec)
	}

	if len(info.Version) > 0 && info.Version[0] == 'v' {
		info.Version = info.Version[1:]
	}
	if info.Version == "" {
		info.Version = Dev
	}
	if info.Commit == "" {
		info.Commit = Unknown
	}
	if info.Date == "" {
		info.Date = Unknown
	}
	return info
}

// fillFromRecord fills the fields the linker left empty from what the go
// command recorded.
func fillFromRecord(info *Info, rec *Recorded) {
	if info.Version == "" && rec.ModuleVersion != "(devel)" {
		info.Version = rec.ModuleVersion
	}

	if info.Commit == "" && rec.Settings["vcs.revision"] != "" {
		info.Commit = rec.Settings["vcs.revision"]
		if rec.Settings["vcs.modified"] == "true" {
			info.Commit += "-dirty"
		}
	}
	if info.Date == "" {
		info.Date = rec.Settings["vcs.time"]
	}
}

// String formats the Info as the one line that `pxauth version` and
// `pxauth --version` print, without the trailing newline.
func (i Info) String() string {
	return "pxauth " + i.Version + " (commit " + i.Commit + ", date " + i.Date + ", " + i.GoVersion + ", " + i.Platform + ")"
}
