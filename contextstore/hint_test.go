package contextstore

import (
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestKeyringHint(t *testing.T) {
	timeout := &keyringTimeoutError{}
	tests := []struct {
		op   string
		err  error
		want string
	}{
		{"store", errBackend, "check that a keyring service is running and unlocked, or keep the token in the contextconfig file with --storage file"},
		{"store", timeout, "unlock the keyring, or keep the token in the contextconfig file with --storage file"},
		{"store", keyring.ErrSetDataTooBig, "the token is too large for this keyring; keep it in the contextconfig file with --storage file"},
		{"read", errBackend, "unlock the keyring or check that a keyring service is running"},
		{"read", timeout, "unlock the keyring or check that a keyring service is running"},
		{"delete", errBackend, removeItemHint(runtime.GOOS, "dev")},
		{"delete", timeout, "unlock the keyring, or " + removeItemHint(runtime.GOOS, "dev")},
		{"delete", &partError{user: "dev#2", err: errBackend}, removeItemHint(runtime.GOOS, "dev#2")},
		{"read", damagedToken("part 2 is missing"), "create the context again to store its token"},
		{"store", itemInUse("in use"), "rename one of the two contexts, or keep the token in the contextconfig file with --storage file"},
		{"read", itemInUse("in use"), "create this context again under another name"},
	}
	for _, tt := range tests {
		t.Run(tt.op+"/"+tt.err.Error(), func(t *testing.T) {
			if got := keyringHint(tt.op, "dev", tt.err); got != tt.want {
				t.Errorf("hint = %q\nwant   %q", got, tt.want)
			}
		})
	}
}

func TestRemoveItemCommand(t *testing.T) {
	tests := []struct {
		goos string
		name string
		want string
	}{
		{"linux", "dev", "secret-tool clear service pxauth username dev"},
		{"freebsd", "prod-eu.1_x", "secret-tool clear service pxauth username prod-eu.1_x"},
		{"linux", "#x", "secret-tool clear service pxauth username '#x'"},
		{"linux", "it's", `secret-tool clear service pxauth username 'it'\''s'`},
		{"darwin", "dev", "security delete-generic-password -s pxauth -a dev"},
		{"darwin", "a b", "security delete-generic-password -s pxauth -a 'a b'"},
		{"windows", "dev", "cmdkey /delete:pxauth:dev"},
		{"windows", "a&b", `cmdkey /delete:"pxauth:a&b"`},
	}
	for _, tt := range tests {
		t.Run(tt.goos+"/"+tt.name, func(t *testing.T) {
			if got := removeItemCommand(tt.goos, tt.name); got != tt.want {
				t.Errorf("command = %q\nwant      %q", got, tt.want)
			}
		})
	}
}

func TestRemoveItemHint(t *testing.T) {
	tests := []struct {
		goos string
		want string
	}{
		{"linux", "remove the item by hand: secret-tool clear service pxauth username dev"},
		{"windows", `remove the item by hand: cmdkey /delete:pxauth:dev, then the items of users "dev#1", "dev#2" and so on that a long token has`},
		{"darwin", `remove the item by hand: security delete-generic-password -s pxauth -a dev, then the items of users "dev#1", "dev#2" and so on that a long token has`},
	}
	for _, tt := range tests {
		t.Run(tt.goos, func(t *testing.T) {
			if got := removeItemHint(tt.goos, "dev"); got != tt.want {
				t.Errorf("hint = %q\nwant   %q", got, tt.want)
			}
		})
	}
}

func TestRemoveItemHintUnprintableName(t *testing.T) {
	hint := removeItemHint("linux", "a\x1b[2Jb")
	if strings.Contains(hint, "\x1b") {
		t.Errorf("hint %q contains a raw escape character", hint)
	}
	if strings.Contains(hint, "secret-tool") {
		t.Errorf("hint %q offers a command line for an unprintable name", hint)
	}
	if !strings.Contains(hint, `"a\x1b[2Jb"`) {
		t.Errorf("hint %q does not quote the name", hint)
	}
}

func TestFallbackWarning(t *testing.T) {
	const path = "/home/u/.pxctl/contextconfig"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"keyring error", &KeyringError{Op: "store", Context: "admin", Err: errBackend},
			`the keyring is unavailable (org.freedesktop.DBus.Error.ServiceUnknown), so the token of context "admin" is stored inline in /home/u/.pxctl/contextconfig (mode 0600)`},
		{"other error", errBackend,
			`the keyring is unavailable (org.freedesktop.DBus.Error.ServiceUnknown), so the token of context "admin" is stored inline in /home/u/.pxctl/contextconfig (mode 0600)`},
		{"token too large", &KeyringError{Op: "store", Context: "admin", Err: keyring.ErrSetDataTooBig},
			`the token of context "admin" is too large for the keyring (data passed to Set was too big), so it is stored inline in /home/u/.pxctl/contextconfig (mode 0600)`},
		{"item in use", &KeyringError{Op: "store", Context: "admin", Err: itemInUse("item taken")},
			`the keyring items for the token of context "admin" are in use (item taken), so it is stored inline in /home/u/.pxctl/contextconfig (mode 0600)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fallbackWarning("admin", path, tt.err); got != tt.want {
				t.Errorf("warning = %q\nwant      %q", got, tt.want)
			}
		})
	}
}
