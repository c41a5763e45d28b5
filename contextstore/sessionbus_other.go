//go:build darwin || windows

package contextstore

// findSessionBus returns nil: macOS and Windows keyrings do not use D-Bus.
func findSessionBus() error { return nil }
