package commands

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pxauth/pxauth/jwtgen"
)

// batchSuffix is the extension of the user files that a batch run mints
// tokens for, and tokenSuffix the extension of the token files it writes.
const (
	batchSuffix = ".yaml"
	tokenSuffix = ".token"
)

// batchEntry is one user file of a batch run and the token minted from it.
type batchEntry struct {
	name   string // file name without .yaml
	input  string // path of the user file
	output string // path of the token file

	token   string
	notices []jwtgen.Notice
	err     error
}

// checkBatchFlags rejects flag combinations that a batch run cannot honour:
// the per-token outputs and a directory on only one side.
func checkBatchFlags(o generateOptions, dirInput bool) error {
	if o.outputDir == "" {
		if dirInput {
			return usagef("--auth-config %q is a directory; add --output-dir DIR to mint one token per *.yaml file in it", o.authConfig)
		}
		return nil
	}

	if !dirInput {
		return usagef("--output-dir needs --auth-config to be a directory of *.yaml user files, got %q", displayName(o.authConfig))
	}
	conflicts := []struct {
		flag string
		set  bool
	}{
		{"--output", o.output != ""},
		{"--json", o.json},
		{"--save-context", o.saveContext != ""},
		{"--endpoint", o.endpointSet},
		{"--storage", o.storageSet},
		{"--use", o.use},
		{"--kube-secret", o.kubeSecret != nil},
	}
	for _, c := range conflicts {
		if c.set {
			return usagef("--output-dir and %s given together; a directory run writes only token files", c.flag)
		}
	}
	return nil
}

// isDir reports whether path names a directory, following symbolic links.
func isDir(path string) bool {
	if path == "" || path == "-" {
		return false
	}
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// generateBatch mints one token per *.yaml file in o.authConfig into
// o.outputDir. Every file is read, validated and signed before the first
// token file is written, so invalid input leaves the output directory as
// it was.
func (e *env) generateBatch(o generateOptions) error {
	start := time.Now()

	if o.issuer == "" {
		return usagef("--issuer is required and must equal the cluster's -jwt-issuer, such as --issuer portworx.com")
	}
	if err := e.checkKeySources(o.key); err != nil {
		return err
	}
	duration, skew, err := o.validity()
	if err != nil {
		return err
	}

	entries, err := listUserFiles(o.authConfig, o.outputDir)
	if err != nil {
		return err
	}
	if err := checkBatchOutputs(o.outputDir, entries, o.force); err != nil {
		return err
	}

	key, err := e.loadKey(o.key)
	if err != nil {
		return err
	}

	progress := e.startProgress(len(entries))
	now := e.now()
	parallel(len(entries), func(i int) {
		entries[i].token, entries[i].notices, entries[i].err = e.mintEntry(entries[i], key, o.issuer, now, duration, skew)
		progress.add()
	})
	if err := e.reportBatchErrors(entries); err != nil {
		progress.stop()
		return err
	}

	if err := os.MkdirAll(o.outputDir, 0o700); err != nil {
		progress.stop()
		return fmt.Errorf("cannot create output directory %q: %w", o.outputDir, err)
	}
	var written atomic.Int64
	errs := make([]error, len(entries))
	parallel(len(entries), func(i int) {
		errs[i] = writeTokenFile(entries[i].output, entries[i].token, o.force)
		if errs[i] == nil {
			written.Add(1)
		}
		progress.add()
	})
	progress.stop()

	// The token files have new names but were not synced one by one: a
	// sync per file costs more than minting, so the directory is synced
	// once instead.
	syncDir(o.outputDir)
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("wrote %d of %d tokens to %q, then: %w", written.Load(), len(entries), o.outputDir, err)
		}
	}

	e.confirmf("minted %d tokens in %s in %.2fs", len(entries), o.outputDir, time.Since(start).Seconds())
	return nil
}

// listUserFiles returns the *.yaml files directly in dir, sorted by name.
// Subdirectories and files whose name starts with a dot are skipped, as a
// shell's *.yaml skips them.
func listUserFiles(dir, outputDir string) ([]batchEntry, error) {
	dirEntries, err := os.ReadDir(dir)
	if err != nil {
		return nil, inputError("--auth-config", dir, err)
	}

	var entries []batchEntry
	for _, d := range dirEntries {
		name, ok := strings.CutSuffix(d.Name(), batchSuffix)
		if !ok || name == "" || strings.HasPrefix(name, ".") || d.IsDir() {
			continue
		}
		entries = append(entries, batchEntry{
			name:   name,
			input:  filepath.Join(dir, d.Name()),
			output: filepath.Join(outputDir, name+tokenSuffix),
		})
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("no *.yaml user files in --auth-config directory %q; subdirectories are not searched", dir)
	}

	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	return entries, nil
}

// checkBatchOutputs fails when the output directory cannot take the
// tokens: it is not a directory, or, without force, a token file exists.
// Every existing token file is reported.
func checkBatchOutputs(outputDir string, entries []batchEntry, force bool) error {
	info, err := os.Stat(outputDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot use --output-dir %q: %w", outputDir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("--output-dir %q is not a directory; pass a directory, which is created when missing", outputDir)
	}

	var existing []string
	for _, entry := range entries {
		info, err := os.Lstat(entry.output)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return fmt.Errorf("cannot write output file %q: %w", entry.output, err)
		case info.IsDir():
			return fmt.Errorf("output file %q is a directory; remove it or choose another --output-dir", entry.output)
		case !force:
			existing = append(existing, entry.output)
		}
	}
	if len(existing) > 0 {
		return fmt.Errorf("%d token files already exist, the first %q; use --force to replace them", len(existing), existing[0])
	}
	return nil
}

// mintEntry reads, validates and signs the user file of entry.
func (e *env) mintEntry(entry batchEntry, key jwtgen.Key, issuer string, now time.Time, duration, skew time.Duration) (string, []jwtgen.Notice, error) {
	data, err := e.readInput(entry.input, "--auth-config")
	if err != nil {
		return "", nil, err
	}
	user, notices, err := jwtgen.ParseUser(data, entry.input)
	if err != nil {
		return "", nil, err
	}

	claims, err := jwtgen.NewClaims(user, issuer, now, duration, skew)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", entry.input, err)
	}
	token, err := jwtgen.Sign(claims, key)
	if err != nil {
		return "", nil, err
	}
	if len(token) > jwtgen.MaxTokenSize {
		return "", nil, fmt.Errorf("the token for %s would be %d bytes, more than the %d that pxauth and most servers accept; shorten the name or the list of groups",
			entry.input, len(token), jwtgen.MaxTokenSize)
	}
	return token, notices, nil
}

// reportBatchErrors prints the notices of every file, then one line per
// invalid file, and returns an error when any file is invalid.
func (e *env) reportBatchErrors(entries []batchEntry) error {
	var bad []batchEntry
	for _, entry := range entries {
		e.printNotices(entry.notices)
		if entry.err != nil {
			bad = append(bad, entry)
		}
	}
	if len(bad) == 0 {
		return nil
	}

	if len(bad) == 1 {
		return fmt.Errorf("%w; no token written", bad[0].err)
	}
	for _, entry := range bad[:len(bad)-1] {
		printError(e.stderr, entry.err)
	}
	return fmt.Errorf("%w; %d of %d user files are invalid, no token written", bad[len(bad)-1].err, len(bad), len(entries))
}

// writeTokenFile writes token and a newline to path, mode 0600, through a
// temporary file that takes the final name only when complete, so a killed
// run leaves no partial token file. The file is not synced; the caller
// syncs the directory once. Without force an existing file is an error.
func writeTokenFile(path, token string, force bool) error {
	data := make([]byte, 0, len(token)+1)
	data = append(append(data, token...), '\n')
	return writeWhole(path, data, force, false)
}

// parallel calls work(i) for every i below n on runtime.NumCPU goroutines
// and returns when all calls have returned.
func parallel(n int, work func(i int)) {
	workers := min(runtime.NumCPU(), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				work(i)
			}
		})
	}
	wg.Wait()
}
