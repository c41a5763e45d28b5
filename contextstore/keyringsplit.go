package contextstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/zalando/go-keyring"
)

// A token longer than the item limit (platformItemLimit) is stored in
// several keyring items of service KeyringService. User NAME holds a header
// and the first chunk, and users NAME#1 to NAME#(N-1) hold the other chunks
// in order:
//
//	NAME     pxauth-split:N:ID:chunk0
//	NAME#i   pxauth-part:ID:chunki
//
// ID is the first 16 hex digits of the SHA-256 of the whole token. A reader
// checks that every part carries the ID of the header and that the joined
// token hashes to it. A missing part, a part left from an older token or a
// write that stopped half way is thus an error, never a wrong token. A JWT
// has no ':', and a token that starts with either prefix is always stored
// with a header, so an item with neither prefix is a whole token. Items
// that earlier versions wrote therefore still read.
//
// A part item is only ever written over a missing item or another part, so
// a context whose name looks like a part (such as "big#1") never loses its
// token to the parts of context "big", and removing parts never removes it.
const (
	splitPrefix = "pxauth-split:"
	partPrefix  = "pxauth-part:"

	// idLength is the number of hex digits of ID.
	idLength = 16

	// maxKeyringItems bounds the items of one token, so that reading or
	// removing parts always ends. A 64 KiB token at minItemLimit needs
	// 663.
	maxKeyringItems = 1000

	// minItemLimit is the smallest item limit: a header with its first
	// chunk must fit in one item.
	minItemLimit = 128
)

var (
	// errDamagedToken is matched by the error for a split token whose
	// items are missing or do not belong together.
	errDamagedToken = errors.New("damaged split token")

	// errItemInUse is matched by the error for a keyring item that one
	// context needs and another context uses.
	errItemInUse = errors.New("keyring item in use by another context")
)

// splitError is an error about the items of a split token; kind is
// errDamagedToken or errItemInUse.
type splitError struct {
	msg  string
	kind error
}

func (e *splitError) Error() string        { return e.msg }
func (e *splitError) Is(target error) bool { return target == e.kind }

func damagedToken(format string, args ...any) error {
	return &splitError{msg: fmt.Sprintf(format, args...), kind: errDamagedToken}
}

func itemInUse(format string, args ...any) error {
	return &splitError{msg: fmt.Sprintf(format, args...), kind: errItemInUse}
}

// partError is a failed backend call on a part item; user is the keyring
// user of the part.
type partError struct {
	user string
	err  error
}

func (e *partError) Error() string { return fmt.Sprintf("keyring user %q: %v", e.user, e.err) }
func (e *partError) Unwrap() error { return e.err }

// partUser returns the keyring user of part i of the token of context name.
func partUser(name string, i int) string {
	return name + "#" + strconv.Itoa(i)
}

// partOwner returns the context whose part the keyring user name would
// hold: the name before the last "#", when digits without a leading zero
// follow it.
func partOwner(name string) string {
	i := strings.LastIndexByte(name, '#')
	if i < 0 {
		return ""
	}
	if _, ok := parseCount(name[i+1:]); !ok {
		return ""
	}
	return name[:i]
}

// partHeld returns the error for the item of user name that holds a part
// of another context's token.
func partHeld(name string) error {
	if owner := partOwner(name); owner != "" {
		return itemInUse("the keyring item of user %q holds part of the token of context %q, not a token of its own", name, owner)
	}
	return itemInUse("the keyring item of user %q holds part of a split token, not a token of its own", name)
}

func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:idLength/2])
}

// splitToken returns the items that store token under limit bytes each:
// the item of user NAME first, then the parts. A limit of 0 or less means no
// limit. A token that needs more than maxKeyringItems items gives an error
// matching keyring.ErrSetDataTooBig.
func splitToken(token string, limit int) ([]string, error) {
	marked := strings.HasPrefix(token, splitPrefix) || strings.HasPrefix(token, partPrefix)
	if !marked && (limit <= 0 || len(token) <= limit) {
		return []string{token}, nil
	}

	id := tokenID(token)
	if limit <= 0 {
		return []string{splitHeader(1, id) + token}, nil
	}

	partHeader := partPrefix + id + ":"
	partSize := limit - len(partHeader)
	for count := 1; count <= maxKeyringItems; count++ {
		header := splitHeader(count, id)
		firstSize := limit - len(header)
		if firstSize+(count-1)*partSize < len(token) {
			continue
		}

		firstSize = min(firstSize, len(token))
		items := []string{header + token[:firstSize]}
		for rest := token[firstSize:]; rest != ""; {
			n := min(partSize, len(rest))
			items = append(items, partHeader+rest[:n])
			rest = rest[n:]
		}
		return items, nil
	}
	return nil, fmt.Errorf("the token of %d bytes needs more than %d keyring items of %d bytes: %w", len(token), maxKeyringItems, limit, keyring.ErrSetDataTooBig)
}

func splitHeader(count int, id string) string {
	return splitPrefix + strconv.Itoa(count) + ":" + id + ":"
}

// parseHeader splits the item of user NAME of a split token. ok is false
// for an item that has the split prefix but no valid header.
func parseHeader(item string) (count int, id, chunk string, ok bool) {
	rest, _ := strings.CutPrefix(item, splitPrefix)
	countText, rest, found := strings.Cut(rest, ":")
	if !found {
		return 0, "", "", false
	}
	count, ok = parseCount(countText)
	if !ok || count > maxKeyringItems {
		return 0, "", "", false
	}

	id, chunk, found = strings.Cut(rest, ":")
	if !found || !validID(id) {
		return 0, "", "", false
	}
	return count, id, chunk, true
}

// parsePart splits a part item. ok is false for an item that is not a part.
func parsePart(item string) (id, chunk string, ok bool) {
	rest, found := strings.CutPrefix(item, partPrefix)
	if !found {
		return "", "", false
	}
	id, chunk, found = strings.Cut(rest, ":")
	if !found || !validID(id) {
		return "", "", false
	}
	return id, chunk, true
}

// parseCount parses a positive decimal without sign or leading zero.
func parseCount(s string) (int, bool) {
	if s == "" || len(s) > 4 || s[0] == '0' {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func validID(id string) bool {
	if len(id) != idLength {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func isPart(item string) bool {
	_, _, ok := parsePart(item)
	return ok
}

// readToken reads the token of context name and joins its parts.
func readToken(b keyringBackend, name string) (string, error) {
	first, err := b.Get(KeyringService, name)
	if err != nil {
		return "", err
	}
	if isPart(first) {
		return "", partHeld(name)
	}
	if !strings.HasPrefix(first, splitPrefix) {
		return first, nil
	}

	count, id, chunk, ok := parseHeader(first)
	if !ok {
		return "", damagedToken("the keyring item of user %q starts with %q but has no valid header", name, splitPrefix)
	}

	var token strings.Builder
	token.WriteString(chunk)
	for i := 1; i < count; i++ {
		user := partUser(name, i)
		item, err := b.Get(KeyringService, user)
		if errors.Is(err, keyring.ErrNotFound) {
			return "", damagedToken("the token is split over %d keyring items and part %d (user %q) is missing", count, i, user)
		}
		if err != nil {
			return "", &partError{user: user, err: err}
		}

		partID, chunk, ok := parsePart(item)
		if !ok || partID != id {
			return "", damagedToken("the token is split over %d keyring items and part %d (user %q) belongs to another token, left by an interrupted write", count, i, user)
		}
		token.WriteString(chunk)
	}

	if tokenID(token.String()) != id {
		return "", damagedToken("the %d keyring items of the token do not add up to the token they were written for, so a write was interrupted", count)
	}
	return token.String(), nil
}

// writeToken stores token for context name in as many items as limit
// needs. The parts are written first and the item of user name last, so the
// old token stays readable until the new one is complete. When a call
// fails before that, writeToken puts back the parts it replaced and removes
// those it added. Parts the old token had beyond the new count are removed
// afterwards; a failure there is ignored, because the new token is already
// stored and the next writeToken or deleteToken removes them.
//
// NOTE: after a timeout no call is made, so a keyring that stops answering
// between the first part and the header leaves the old token damaged; a
// later read reports that, and the context must be created again.
func writeToken(b keyringBackend, name, token string, limit int) error {
	items, err := splitToken(token, limit)
	if err != nil {
		return err
	}

	current, err := b.Get(KeyringService, name)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return err
	}
	if err == nil && isPart(current) {
		return partHeld(name)
	}

	var replaced []replacedPart
	for i := 1; i < len(items); i++ {
		user := partUser(name, i)
		old, err := b.Get(KeyringService, user)
		existed := err == nil
		switch {
		case errors.Is(err, keyring.ErrNotFound):
		case err != nil:
			return restoreParts(b, replaced, &partError{user: user, err: err})
		case !isPart(old):
			return restoreParts(b, replaced, itemInUse("part %d of the token needs keyring user %q, which holds the token of context %q", i, user, user))
		}

		if err := b.Set(KeyringService, user, items[i]); err != nil {
			return restoreParts(b, replaced, &partError{user: user, err: err})
		}
		replaced = append(replaced, replacedPart{user: user, old: old, existed: existed})
	}

	if err := b.Set(KeyringService, name, items[0]); err != nil {
		return restoreParts(b, replaced, err)
	}

	_ = removeParts(b, name, len(items))
	return nil
}

// replacedPart is a part item as it was before writeToken set it.
type replacedPart struct {
	user    string
	old     string
	existed bool
}

// restoreParts undoes the part writes of a failed writeToken and returns
// err, with the first failure of the undo added. A failed Set is taken to
// have left its item unchanged, so it is not in replaced.
func restoreParts(b keyringBackend, replaced []replacedPart, err error) error {
	var failed error
	for i := len(replaced) - 1; i >= 0; i-- {
		p := replaced[i]
		var rerr error
		if p.existed {
			rerr = b.Set(KeyringService, p.user, p.old)
		} else if rerr = b.Delete(KeyringService, p.user); errors.Is(rerr, keyring.ErrNotFound) {
			rerr = nil
		}
		if rerr != nil && failed == nil {
			failed = fmt.Errorf("%w; restoring keyring user %q also failed, so the old token may be damaged: %v", err, p.user, rerr)
		}
	}
	if failed != nil {
		return failed
	}
	return err
}

// deleteToken removes the item of context name and all its parts: those
// its header counts, even past a missing one, and any after them up to the
// first missing item, which an interrupted write may have left. It returns
// keyring.ErrNotFound when the item of user name is missing, after removing
// parts left without it.
func deleteToken(b keyringBackend, name string) error {
	count := 1
	found := true
	current, err := b.Get(KeyringService, name)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		found = false
	case err != nil:
		return err
	case isPart(current):
		// The item belongs to another context's token.
		found = false
	case strings.HasPrefix(current, splitPrefix):
		if n, _, _, ok := parseHeader(current); ok {
			count = n
		}
	}

	if found {
		err := b.Delete(KeyringService, name)
		if errors.Is(err, keyring.ErrNotFound) {
			found = false
		} else if err != nil {
			return err
		}
	}

	for i := 1; i < count; i++ {
		err := removePart(b, partUser(name, i))
		if err != nil && !errors.Is(err, keyring.ErrNotFound) && !errors.Is(err, errItemInUse) {
			return err
		}
	}
	if err := removeParts(b, name, max(count, 1)); err != nil {
		return err
	}

	if !found {
		return keyring.ErrNotFound
	}
	return nil
}

// removeParts removes the parts of context name from part from on, up to
// the first item that is missing or not a part.
func removeParts(b keyringBackend, name string, from int) error {
	for i := from; i < maxKeyringItems; i++ {
		err := removePart(b, partUser(name, i))
		if errors.Is(err, keyring.ErrNotFound) || errors.Is(err, errItemInUse) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// removePart removes the item of user when it is a part. It returns an
// error matching keyring.ErrNotFound for a missing item and errItemInUse
// for an item that is not a part.
func removePart(b keyringBackend, user string) error {
	item, err := b.Get(KeyringService, user)
	if errors.Is(err, keyring.ErrNotFound) {
		return err
	}
	if err != nil {
		return &partError{user: user, err: err}
	}
	if !isPart(item) {
		return itemInUse("keyring user %q holds a token, not a part", user)
	}

	err = b.Delete(KeyringService, user)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return &partError{user: user, err: err}
	}
	return nil
}
