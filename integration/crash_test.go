package integration

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pxauth/pxauth/contextstore"
)

// crashRounds is how many times TestCrashKilledWriters starts one ctx
// create, one ctx use and one ctx rename together and kills each of them.
const crashRounds = 200

// maxKillDelay is the longest a writer runs before it is killed. A writer
// needs a few milliseconds, so some finish and the others die at any step.
const maxKillDelay = 15 * time.Millisecond

// writerRun is one writer of a round and how it ended.
type writerRun struct {
	args     []string
	finished bool // exited with code 0 before the kill
	stderr   bytes.Buffer
	err      error // an exit other than 0 or SIGKILL
}

// TestCrashKilledWriters kills writers with SIGKILL at random points and
// checks after every round that the contextconfig file parses, keeps every
// context it had, holds every context a finished writer reported, and
// shows each rename either done or not done. Temporary files that killed
// writers leave are removed by the next writer.
func TestCrashKilledWriters(t *testing.T) {
	if err := touchSources(".."); err != nil {
		t.Fatal(err)
	}

	s := newSandbox(t)
	store := &contextstore.Store{Path: s.contextConfig()}
	seedContexts(t, s, "seed1", "seed2", "seed3")

	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed>>1))

	start := time.Now()
	var rounds, finished, killed, leftovers int
	for round := 0; round < crashRounds && !t.Failed(); round++ {
		rounds++
		before, err := store.Load()
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		names := before.Names()
		renameFrom := names[rng.IntN(len(names))]
		useName := names[rng.IntN(len(names))]
		for useName == renameFrom {
			useName = names[rng.IntN(len(names))]
		}
		created, renamed := fmt.Sprintf("c%d", round), fmt.Sprintf("r%d", round)

		create := &writerRun{args: []string{"ctx", "create", created, "--token-file", "ops.token", "--storage", "file"}}
		use := &writerRun{args: []string{"ctx", "use", useName}}
		rename := &writerRun{args: []string{"ctx", "rename", renameFrom, renamed}}
		writers := []*writerRun{create, use, rename}
		var wg sync.WaitGroup
		for _, w := range writers {
			delay := time.Duration(rng.Int64N(int64(maxKillDelay) + 1))
			wg.Add(1)
			go func() {
				defer wg.Done()
				runAndKill(s, w, delay)
			}()
		}
		wg.Wait()

		for _, w := range writers {
			if w.err != nil {
				t.Errorf("round %d: pxauth %q: %v: %s", round, w.args, w.err, w.stderr.String())
			}
			if w.finished {
				finished++
			} else {
				killed++
			}
		}

		tmps, _ := filepath.Glob(filepath.Join(filepath.Dir(store.Path), ".contextconfig.tmp-*"))
		leftovers += len(tmps)

		after, err := store.Load()
		if err != nil {
			t.Fatalf("round %d: the file does not parse after the kills: %v", round, err)
		}
		checkRound(t, round, before, after, create, use, rename, renameFrom, renamed, created, useName)
	}
	t.Logf("%d rounds, %d writers finished, %d killed, %d temporary files left by killed writers, in %v",
		rounds, finished, killed, leftovers, time.Since(start).Round(time.Millisecond))
	if finished == 0 || killed == 0 {
		t.Errorf("%d writers finished and %d were killed; the delays no longer cover both cases", finished, killed)
	}

	// A temporary file as a writer killed before its rename leaves it;
	// the next writer removes it under the lock.
	planted := filepath.Join(filepath.Dir(store.Path), ".contextconfig.tmp-123456")
	if err := os.WriteFile(planted, []byte("contextconfig:\n  current: half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if res := s.run(t, nil, nil, "ctx", "create", "final", "--token-file", "ops.token", "--storage", "file"); res.exit != 0 {
		t.Fatalf("ctx create final: exit %d: %s", res.exit, res.stderr)
	}
	if tmps, _ := filepath.Glob(filepath.Join(filepath.Dir(store.Path), ".contextconfig.tmp-*")); len(tmps) != 0 {
		t.Errorf("%d temporary files remain after a finished write, such as %s", len(tmps), tmps[0])
	}

	res := s.run(t, nil, nil, "ctx", "list", "-o", "name")
	if res.exit != 0 {
		t.Errorf("ctx list: exit %d: %s", res.exit, res.stderr)
	}
	if !bytes.Contains([]byte(res.stdout), []byte("final\n")) {
		t.Errorf("ctx list does not show context final:\n%s", res.stdout)
	}
}

// runAndKill starts pxauth, kills it with SIGKILL after delay and records
// whether it had already finished.
func runAndKill(s *sandbox, w *writerRun, delay time.Duration) {
	cmd := exec.Command(pxauthPath(), w.args...)
	cmd.Dir = s.dir
	cmd.Env = s.env
	cmd.Stderr = &w.stderr
	if err := cmd.Start(); err != nil {
		w.err = err
		return
	}

	time.Sleep(delay)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()

	var exitErr *exec.ExitError
	switch {
	case err == nil:
		w.finished = true
	case errors.As(err, &exitErr):
		status, ok := exitErr.Sys().(syscall.WaitStatus)
		if !ok || !status.Signaled() || status.Signal() != syscall.SIGKILL {
			w.err = err
		}
	default:
		w.err = err
	}
}

// checkRound compares the file before and after one round of writers.
func checkRound(t *testing.T, round int, before, after *contextstore.Config, create, use, rename *writerRun,
	renameFrom, renamed, created, useName string) {
	t.Helper()

	names := after.Names()
	has := func(name string) bool { return slices.Contains(names, name) }

	if dups := after.Duplicates(); len(dups) != 0 {
		t.Errorf("round %d: contexts defined more than once: %q", round, dups)
	}
	for _, name := range before.Names() {
		if name != renameFrom && !has(name) {
			t.Errorf("round %d: context %q was lost", round, name)
		}
	}
	if create.finished && !has(created) {
		t.Errorf("round %d: ctx create %s exited 0 but the file does not have it", round, created)
	}
	if has(renameFrom) == has(renamed) {
		t.Errorf("round %d: after ctx rename %s %s the file has both or neither: %q", round, renameFrom, renamed, names)
	}
	if rename.finished && !has(renamed) {
		t.Errorf("round %d: ctx rename %s %s exited 0 but the file does not have %s", round, renameFrom, renamed, renamed)
	}
	if use.finished && after.Current != useName {
		t.Errorf("round %d: ctx use %s exited 0 but the current context is %q", round, useName, after.Current)
	}
}
