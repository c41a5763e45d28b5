//go:build darwin

package contextstore

// platformItemLimit is the largest secret, in bytes, that one keyring item
// holds; a longer token is split over several items (see splitToken).
//
// go-keyring v0.2.8 (keyring_darwin.go, macOSXKeychain.Set) encodes the
// secret as "go-keyring-base64:" plus standard base64 and writes it on one
// add-generic-password line to `security -i`; a line over 4096 bytes gets
// ErrSetDataTooBig. A 2048-byte secret encodes to 2750 bytes and the fixed
// words of the line take 42, which leaves 1304 bytes for the quoted account
// name (the context name, plus "#N" for a part).
//
// NOTE: a context name longer than about 1300 bytes still gets
// ErrSetDataTooBig, and StorageAuto then keeps its token in the file.
const platformItemLimit = 2048
