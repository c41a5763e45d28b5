package integration

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// batchCrashRounds is how many directory runs TestBatchKilledRun starts and
// kills, each after a random delay of up to maxBatchKillDelay.
const (
	batchCrashRounds  = 20
	batchCrashUsers   = 300
	maxBatchKillDelay = 60 * time.Millisecond
)

// TestBatchKilledRun kills token generate --output-dir with SIGKILL at
// random points and checks that every token file it left is complete: one
// line with three segments. Files that a killed run leaves under a
// temporary name do not count as tokens.
func TestBatchKilledRun(t *testing.T) {
	s := newSandbox(t)
	s.write(t, "secret", []byte("a-batch-shared-secret-that-is-long-enough-0123"))
	for i := range batchCrashUsers {
		user := fmt.Sprintf("name: User %d\nemail: user%d@example.com\nsub: user-%d\nroles: [\"system.user\"]\n", i, i, i)
		s.write(t, fmt.Sprintf("users/user%d.yaml", i), []byte(user))
	}

	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed>>1))

	var finished, partial int
	for round := range batchCrashRounds {
		out := fmt.Sprintf("out%d", round)
		run := &writerRun{args: []string{"token", "generate", "--auth-config", "users", "--output-dir", out,
			"--issuer", "portworx.com", "--shared-secret-file", "secret"}}
		runAndKill(s, run, time.Duration(rng.Int64N(int64(maxBatchKillDelay)+1)))
		if run.err != nil {
			t.Fatalf("round %d: %v: %s", round, run.err, run.stderr.String())
		}

		tokens, err := filepath.Glob(filepath.Join(s.path(out), "*.token"))
		if err != nil {
			t.Fatal(err)
		}
		if run.finished {
			finished++
			if len(tokens) != batchCrashUsers {
				t.Errorf("round %d: finished run wrote %d token files, expected %d", round, len(tokens), batchCrashUsers)
			}
		} else if len(tokens) > 0 && len(tokens) < batchCrashUsers {
			partial++
		}

		for _, path := range tokens {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			line, ok := bytes.CutSuffix(data, []byte("\n"))
			if !ok || bytes.Contains(line, []byte("\n")) {
				t.Errorf("round %d: %s is not one complete line (%d bytes)", round, path, len(data))
				continue
			}
			if segments := strings.Split(string(line), "."); len(segments) != 3 || segments[2] == "" {
				t.Errorf("round %d: %s is not a complete token (%d segments)", round, path, len(segments))
			}
		}
	}
	t.Logf("%d rounds: %d finished, %d killed while writing tokens", batchCrashRounds, finished, partial)
}
