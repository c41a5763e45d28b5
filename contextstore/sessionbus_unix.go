//go:build !darwin && !windows

package contextstore

import (
	"fmt"
	"os"
)

// findSessionBus checks that a D-Bus session bus can be found the way
// godbus looks for one, without its last resort: godbus runs dbus-launch,
// which starts a new bus daemon that outlives pxauth, once per call.
func findSessionBus() error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}

	runtimeDir := fmt.Sprintf("/run/user/%d", os.Getuid())
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(runtimeDir + "/" + name); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%w and %s/bus does not exist", errNoSessionBus, runtimeDir)
}
