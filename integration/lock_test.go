package integration

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/pxauth/pxauth/contextstore"
)

// holdLockEnv names the file that TestLockHolderProcess locks when the
// test binary runs as a lock holder.
const holdLockEnv = "PXAUTH_TEST_HOLD_LOCK"

// lockMargin is how much longer than the lock timeout a writer may take to
// give up: process start, the file read and scheduling on a busy machine.
const lockMargin = 3 * time.Second

// TestLockHolderProcess only does work in a process that startLockHolder
// starts: it takes the flock on the file in PXAUTH_TEST_HOLD_LOCK, prints
// "locked" and sleeps until it is killed.
func TestLockHolderProcess(t *testing.T) {
	path := os.Getenv(holdLockEnv)
	if path == "" {
		return
	}

	lock := flock.New(path)
	if err := lock.Lock(); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("locked")
	time.Sleep(time.Minute)
	os.Exit(1)
}

// startLockHolder starts this test binary as a process that holds the flock
// on path, and returns once the lock is taken. The process is killed when
// the test ends.
func startLockHolder(t *testing.T, path string) *exec.Cmd {
	t.Helper()

	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHolderProcess$")
	cmd.Env = append(os.Environ(), holdLockEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("the lock holder printed %q (%v), expected \"locked\"", line, err)
	}
	return cmd
}

// TestLockHeldByLiveProcess checks that every writer waits for a lock that
// another live process holds and gives up after the lock timeout. The
// message names the lock file and the contextconfig file stays as it was.
// Readers take no lock, so they work meanwhile.
func TestLockHeldByLiveProcess(t *testing.T) {
	if err := touchSources(".."); err != nil {
		t.Fatal(err)
	}

	s := newSandbox(t)
	seedContexts(t, s, "a", "b")
	before, err := os.ReadFile(s.contextConfig())
	if err != nil {
		t.Fatal(err)
	}
	startLockHolder(t, s.contextConfig()+".lock")

	writers := [][]string{
		{"ctx", "create", "x", "--token-file", "ops.token", "--storage", "file"},
		{"ctx", "use", "b"},
		{"ctx", "unset"},
		{"ctx", "rename", "a", "c"},
		{"ctx", "delete", "a"},
	}
	results := make([]runResult, len(writers))
	var wg sync.WaitGroup
	for i, args := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = s.run(t, nil, nil, args...)
		}()
	}

	// Readers take no lock, so they return while the writers wait.
	for _, args := range [][]string{{"ctx", "list"}, {"ctx", "current"}, {"ctx", "inspect", "a"}} {
		res := s.run(t, nil, nil, args...)
		if res.exit != 0 {
			t.Errorf("pxauth %q while the lock is held: exit %d: %s", args, res.exit, res.stderr)
		}
		if res.elapsed > lockMargin {
			t.Errorf("pxauth %q took %v while the lock is held; readers must not wait for it", args, res.elapsed)
		}
	}
	wg.Wait()

	timeout := contextstore.DefaultLockTimeout
	message := regexp.MustCompile(`^pxauth: timed out after 5s waiting for the lock on ".*/\.pxctl/contextconfig\.lock"; another pxauth process holds it\n$`)
	for i, args := range writers {
		res := results[i]
		if res.exit != 1 {
			t.Errorf("pxauth %q: exit %d, expected 1; stderr: %s", args, res.exit, res.stderr)
		}
		if !message.MatchString(res.stderr) {
			t.Errorf("pxauth %q: stderr %q does not match %q", args, res.stderr, message)
		}
		if res.stdout != "" {
			t.Errorf("pxauth %q: stdout is not empty: %q", args, res.stdout)
		}
		if res.elapsed < timeout {
			t.Errorf("pxauth %q gave up after %v, before the lock timeout of %v", args, res.elapsed, timeout)
		}
		if res.elapsed > timeout+lockMargin {
			t.Errorf("pxauth %q gave up after %v, more than the lock timeout of %v and %v", args, res.elapsed, timeout, lockMargin)
		}
	}

	after, err := os.ReadFile(s.contextConfig())
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("the contextconfig file changed while another process held the lock:\n%s", after)
	}
}

// TestLockLeftByKilledProcess checks that a lock file whose holder was
// killed blocks no writer. flock releases the lock when the process dies,
// and the lock file itself stays.
func TestLockLeftByKilledProcess(t *testing.T) {
	if err := touchSources(".."); err != nil {
		t.Fatal(err)
	}

	s := newSandbox(t)
	seedContexts(t, s, "a", "b")
	lockPath := s.contextConfig() + ".lock"
	holder := startLockHolder(t, lockPath)
	if err := holder.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = holder.Wait()
	if _, err := os.Stat(lockPath); err != nil {
		t.Fatalf("the lock file is gone after its holder was killed: %v", err)
	}

	for _, args := range [][]string{
		{"ctx", "create", "x", "--token-file", "ops.token", "--storage", "file"},
		{"ctx", "use", "b"},
		{"ctx", "rename", "a", "c"},
		{"ctx", "delete", "x"},
		{"ctx", "unset"},
	} {
		res := s.run(t, nil, nil, args...)
		if res.exit != 0 {
			t.Errorf("pxauth %q after the lock holder was killed: exit %d: %s", args, res.exit, res.stderr)
		}
		if res.elapsed > lockMargin {
			t.Errorf("pxauth %q took %v after the lock holder was killed; the lock must be free", args, res.elapsed)
		}
	}

	cfg, err := (&contextstore.Store{Path: s.contextConfig()}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if names := fmt.Sprint(cfg.Names()); names != "[c b]" {
		t.Errorf("contexts are %s, expected [c b]", names)
	}
}

// seedContexts writes ops.token and creates the named contexts with their
// tokens in the file.
func seedContexts(t *testing.T, s *sandbox, names ...string) {
	t.Helper()
	s.write(t, "ops.token", []byte(signedToken(`{"alg":"HS256","typ":"JWT"}`,
		`{"email":"ops@example.com","exp":4102444800,"groups":[],"iat":1700000000,"iss":"portworx.com","name":"Ops","roles":["system.user"],"sub":"ops"}`)))
	for _, name := range names {
		if res := s.run(t, nil, nil, "ctx", "create", name, "--token-file", "ops.token", "--storage", "file"); res.exit != 0 {
			t.Fatalf("ctx create %s: exit %d: %s", name, res.exit, res.stderr)
		}
	}
}
