//go:build windows

package contextstore

// platformItemLimit is the largest secret, in bytes, that one keyring item
// holds; a longer token is split over several items (see splitToken).
// Credential Manager caps a credential blob at 2560 bytes
// (CRED_MAX_CREDENTIAL_BLOB_SIZE), and go-keyring v0.2.8 returns
// ErrSetDataTooBig above that (keyring_windows.go, windowsKeychain.Set).
const platformItemLimit = 2560
