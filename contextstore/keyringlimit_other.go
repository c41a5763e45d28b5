//go:build !darwin && !windows

package contextstore

// platformItemLimit is the largest secret, in bytes, that one keyring item
// holds; 0 means no limit, so tokens are never split. go-keyring v0.2.8 sets
// no size limit for the Secret Service (its ErrSetDataTooBig doc in
// keyring.go only warns that values over 100 KiB are slow), tokens are at
// most 64 KiB, and a token in one item stays readable with
// `secret-tool lookup service pxauth username NAME`. A token split by
// another build or by PXAUTH_TEST_KEYRING_ITEM_LIMIT is still read and
// removed in full.
const platformItemLimit = 0
