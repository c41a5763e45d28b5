//go:build !darwin && !windows

package contextstore

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestFindSessionBusNamesSocket(t *testing.T) {
	runtimeDir := fmt.Sprintf("/run/user/%d", os.Getuid())
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(runtimeDir + "/" + name); err == nil {
			t.Skipf("%s/%s exists", runtimeDir, name)
		}
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")

	err := findSessionBus()
	if !errors.Is(err, errNoSessionBus) {
		t.Fatalf("error = %v, want errNoSessionBus", err)
	}
	if !strings.Contains(err.Error(), runtimeDir+"/bus does not exist") {
		t.Errorf("error %q does not name %s/bus", err, runtimeDir)
	}
	if strings.Contains(err.Error(), "UID") {
		t.Errorf("error %q has a placeholder for the uid", err)
	}
}
