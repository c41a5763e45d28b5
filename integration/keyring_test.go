package integration

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/rogpeppe/go-internal/testscript"
)

// busConfig is a private session bus that activates only the services in
// its own service directory, so no system-wide keyring is ever started.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=%s</listen>
  <servicedir>%s</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// stuckService is a Secret Service that D-Bus starts on demand but that
// never registers its name, as a hung keyring daemon does.
const stuckService = `[D-BUS Service]
Name=org.freedesktop.secrets
Exec=/bin/sleep 15
`

// keyringAvailable reports whether the real-keyring scripts can run. With
// CI set, missing programs are an error rather than a reason to skip.
func keyringAvailable() (bool, error) {
	var missing []string
	for _, prog := range []string{"dbus-daemon", "gnome-keyring-daemon", "secret-tool"} {
		if _, err := exec.LookPath(prog); err != nil {
			missing = append(missing, prog)
		}
	}
	if len(missing) == 0 {
		return true, nil
	}
	if os.Getenv("CI") != "" {
		return false, fmt.Errorf("CI is set but %s not installed (apt-get install dbus gnome-keyring libsecret-tools)", strings.Join(missing, ", "))
	}
	return false, nil
}

func scriptCondition(cond string) (bool, error) {
	switch cond {
	case "keyring":
		return keyringAvailable()
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// cmdKeyring starts a private D-Bus session for the script and sets
// DBUS_SESSION_BUS_ADDRESS; the bus is killed when the script ends, and the
// keyring daemon exits with it.
//
//	keyring start   a bus with an unlocked gnome-keyring
//	keyring stuck   a bus whose Secret Service never replies
func cmdKeyring(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: keyring start|stuck")
	}

	// Unix socket paths are limited to about 100 bytes, and script work
	// directories can be longer, so the sockets live in a short temp dir.
	runtimeDir, err := os.MkdirTemp("", "pxkr-")
	ts.Check(err)
	ts.Defer(func() { os.RemoveAll(runtimeDir) })

	services := filepath.Join(runtimeDir, "services")
	ts.Check(os.Mkdir(services, 0o700))
	if args[0] == "stuck" {
		ts.Check(os.WriteFile(filepath.Join(services, "org.freedesktop.secrets.service"), []byte(stuckService), 0o600))
	}
	config := filepath.Join(runtimeDir, "bus.conf")
	ts.Check(os.WriteFile(config, []byte(fmt.Sprintf(busConfig, runtimeDir, services)), 0o600))

	address, pid := startBus(ts, config)
	ts.Defer(func() { syscall.Kill(pid, syscall.SIGTERM) })
	ts.Setenv("DBUS_SESSION_BUS_ADDRESS", address)
	ts.Setenv("XDG_RUNTIME_DIR", runtimeDir)

	switch args[0] {
	case "start":
		startKeyring(ts)
	case "stuck":
	default:
		ts.Fatalf("usage: keyring start|stuck")
	}
}

func startBus(ts *testscript.TestScript, config string) (string, int) {
	cmd := exec.Command("dbus-daemon", "--config-file="+config, "--fork", "--print-address=1", "--print-pid=1")
	out, err := cmd.Output()
	if err != nil {
		ts.Fatalf("starting dbus-daemon: %v", err)
	}

	scanner := bufio.NewScanner(strings.NewReader(string(out)))
	var lines []string
	for scanner.Scan() {
		lines = append(lines, scanner.Text())
	}
	if len(lines) < 2 {
		ts.Fatalf("dbus-daemon printed %q, expected an address and a pid", out)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(lines[1]))
	ts.Check(err)
	return strings.TrimSpace(lines[0]), pid
}

// startKeyring starts gnome-keyring-daemon on the script's bus with a login
// keyring in the script's HOME, created and unlocked with a fixed password.
func startKeyring(ts *testscript.TestScript) {
	cmd := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets")
	cmd.Env = []string{
		"HOME=" + ts.Getenv("HOME"),
		"XDG_DATA_HOME=" + ts.Getenv("XDG_DATA_HOME"),
		"XDG_RUNTIME_DIR=" + ts.Getenv("XDG_RUNTIME_DIR"),
		"DBUS_SESSION_BUS_ADDRESS=" + ts.Getenv("DBUS_SESSION_BUS_ADDRESS"),
		"PATH=" + os.Getenv("PATH"),
	}
	cmd.Stdin = strings.NewReader("a-password")
	out, err := cmd.CombinedOutput()
	if err != nil {
		ts.Fatalf("starting gnome-keyring-daemon: %v: %s", err, out)
	}

	// The daemon forks and registers its bus name after the command above
	// returns, so wait until the Secret Service is on the bus.
	ts.Check(waitForName(ts.Getenv("DBUS_SESSION_BUS_ADDRESS"), "org.freedesktop.secrets", 10*time.Second))
}

func waitForName(address, name string, timeout time.Duration) error {
	conn, err := dbus.Connect(address)
	if err != nil {
		return err
	}
	defer conn.Close()

	deadline := time.Now().Add(timeout)
	for {
		var owned bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&owned)
		if err != nil {
			return err
		}
		if owned {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not appear on the bus within %v", name, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
