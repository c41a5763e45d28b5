package contextstore

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// limitedBackend is an in-memory keyring that rejects a secret over limit
// bytes with keyring.ErrSetDataTooBig, as Credential Manager does over 2560
// bytes. A limit of 0 means no limit.
type limitedBackend struct {
	mu      sync.Mutex
	limit   int
	items   map[string]string // by keyring user
	failSet map[string]error  // Set of these users fails
	calls   int

	// blockAt, when set, makes call number blockAt wait for release.
	blockAt int
	release chan struct{}
}

func newLimitedBackend(limit int) *limitedBackend {
	return &limitedBackend{limit: limit, items: map[string]string{}, failSet: map[string]error{}}
}

func (b *limitedBackend) enter(service string) error {
	b.mu.Lock()
	b.calls++
	block := b.blockAt > 0 && b.calls == b.blockAt
	b.mu.Unlock()
	if block {
		<-b.release
	}
	if service != KeyringService {
		return fmt.Errorf("service %q, want %q", service, KeyringService)
	}
	return nil
}

func (b *limitedBackend) Get(service, user string) (string, error) {
	if err := b.enter(service); err != nil {
		return "", err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	item, ok := b.items[user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return item, nil
}

func (b *limitedBackend) Set(service, user, password string) error {
	if err := b.enter(service); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.failSet[user]; err != nil {
		return err
	}
	if b.limit > 0 && len(password) > b.limit {
		return keyring.ErrSetDataTooBig
	}
	b.items[user] = password
	return nil
}

func (b *limitedBackend) Delete(service, user string) error {
	if err := b.enter(service); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.items[user]; !ok {
		return keyring.ErrNotFound
	}
	delete(b.items, user)
	return nil
}

// users returns the keyring users that hold an item, sorted.
func (b *limitedBackend) users() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	users := make([]string, 0, len(b.items))
	for u := range b.items {
		users = append(users, u)
	}
	sort.Strings(users)
	return users
}

func (b *limitedBackend) snapshot() map[string]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	items := make(map[string]string, len(b.items))
	for u, item := range b.items {
		items[u] = item
	}
	return items
}

func (b *limitedBackend) callCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls
}

func newSplitKeyring(limit int) (*osKeyring, *limitedBackend) {
	backend := newLimitedBackend(limit)
	return &osKeyring{timeout: 5 * time.Second, backend: backend, itemLimit: limit}, backend
}

// testToken returns a JWT-shaped token of size bytes whose characters vary,
// so that a slice of it in a message can be found.
func testToken(size int, seed uint64) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	r := rand.New(rand.NewPCG(seed, uint64(size)))
	b := make([]byte, size)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	if size > 40 {
		b[size/3], b[2*size/3] = '.', '.'
	}
	return string(b)
}

// wantUsers returns name and its first parts up to count items.
func wantUsers(name string, count int) []string {
	users := []string{}
	for i := range count {
		if i == 0 {
			users = append(users, name)
		} else {
			users = append(users, name+"#"+strconv.Itoa(i))
		}
	}
	sort.Strings(users)
	return users
}

// containsSlice reports whether msg contains any 12-byte slice of token.
func containsSlice(msg, token string) bool {
	for i := 0; i+12 <= len(token); i++ {
		if strings.Contains(msg, token[i:i+12]) {
			return true
		}
	}
	return false
}

const testLimit = 256

func TestSplitRoundTrip(t *testing.T) {
	tests := []struct {
		name      string
		token     string
		wantItems int
	}{
		{"one byte", "e", 1},
		{"one byte under", testToken(testLimit-1, 1), 1},
		{"at the limit", testToken(testLimit, 2), 1},
		{"one byte over", testToken(testLimit+1, 3), 2},
		{"five times over", testToken(5*testLimit, 4), 6},
		{"split prefix", splitPrefix + "2:0123456789abcdef:x", 1},
		{"part prefix", partPrefix + "0123456789abcdef:x", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, backend := newSplitKeyring(testLimit)

			if err := k.Set("big", tt.token); err != nil {
				t.Fatalf("Set: %v", err)
			}
			got, err := k.Get("big")
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if got != tt.token {
				t.Errorf("Get returned %d bytes, want the %d of the token", len(got), len(tt.token))
			}
			if users := backend.users(); !slices.Equal(users, wantUsers("big", tt.wantItems)) {
				t.Errorf("items = %q, want %d", users, tt.wantItems)
			}
		})
	}
}

func TestSplitPlainItemWhenItFits(t *testing.T) {
	k, backend := newSplitKeyring(testLimit)
	token := testToken(testLimit, 5)

	if err := k.Set("a", token); err != nil {
		t.Fatal(err)
	}
	if item := backend.snapshot()["a"]; item != token {
		t.Error("a token that fits is not stored as it is")
	}
}

func TestSplitResize(t *testing.T) {
	tests := []struct {
		name      string
		from, to  int
		wantItems int
	}{
		{"shrink to one item", 5 * testLimit, testLimit - 1, 1},
		{"shrink to three items", 5 * testLimit, 600, 3},
		{"grow from one item", testLimit - 1, 5 * testLimit, 6},
		{"same size", 5 * testLimit, 5 * testLimit, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, backend := newSplitKeyring(testLimit)
			if err := k.Set("big", testToken(tt.from, 1)); err != nil {
				t.Fatal(err)
			}

			token := testToken(tt.to, 2)
			if err := k.Set("big", token); err != nil {
				t.Fatalf("Set: %v", err)
			}
			if got, err := k.Get("big"); err != nil || got != token {
				t.Errorf("Get = %d bytes, %v; want the new token", len(got), err)
			}
			if users := backend.users(); !slices.Equal(users, wantUsers("big", tt.wantItems)) {
				t.Errorf("items = %q, want %d", users, tt.wantItems)
			}
		})
	}
}

func TestSplitDelete(t *testing.T) {
	split, _ := splitToken(testToken(5*testLimit, 1), testLimit)
	short, _ := splitToken(testToken(testLimit+1, 2), testLimit)
	tests := []struct {
		name    string
		items   []string // items of users big, big#1, …; "" leaves one out
		wantErr error
	}{
		{"split token", split, nil},
		{"plain token", []string{"tok"}, nil},
		{"plain token over the limit", []string{testToken(3*testLimit, 2)}, nil},
		{"missing middle part", []string{split[0], split[1], "", split[3], split[4], split[5]}, nil},
		{"parts without a header", append([]string{""}, split[1:]...), ErrTokenNotFound},
		{"parts past the count", append([]string{short[0], short[1]}, split[2:]...), nil},
		{"damaged header", append([]string{splitPrefix + "x"}, split[1:]...), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, backend := newSplitKeyring(testLimit)
			for i, item := range tt.items {
				if item == "" {
					continue
				}
				user := "big"
				if i > 0 {
					user = partUser("big", i)
				}
				backend.items[user] = item
			}

			err := k.Delete("big")
			if tt.wantErr == nil && err != nil {
				t.Errorf("Delete: %v", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Delete: %v, want %v", err, tt.wantErr)
			}
			if users := backend.users(); len(users) != 0 {
				t.Errorf("items left: %q", users)
			}
		})
	}
}

func TestSplitDamaged(t *testing.T) {
	token := testToken(5*testLimit, 1)
	other, _ := splitToken(testToken(5*testLimit, 2), testLimit)

	tests := []struct {
		name   string
		damage func(items map[string]string)
		want   string
	}{
		{"missing middle part", func(items map[string]string) { delete(items, "big#2") },
			`part 2 (user "big#2") is missing`},
		{"missing last part", func(items map[string]string) { delete(items, "big#5") },
			`part 5 (user "big#5") is missing`},
		{"part of another token", func(items map[string]string) { items["big#2"] = other[2] },
			`part 2 (user "big#2") belongs to another token`},
		{"token in a part", func(items map[string]string) { items["big#2"] = "tok" },
			`part 2 (user "big#2") belongs to another token`},
		{"changed chunk", func(items map[string]string) {
			items["big#2"] = items["big#2"][:len(items["big#2"])-1] + "!"
		}, "do not add up"},
		{"count too low", func(items map[string]string) {
			items["big"] = strings.Replace(items["big"], splitPrefix+"6:", splitPrefix+"5:", 1)
		}, "do not add up"},
		{"count too high", func(items map[string]string) {
			items["big"] = strings.Replace(items["big"], splitPrefix+"6:", splitPrefix+"7:", 1)
		}, `part 6 (user "big#6") is missing`},
		{"header without id", func(items map[string]string) { items["big"] = splitPrefix + "6:" },
			"no valid header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, backend := newSplitKeyring(testLimit)
			if err := k.Set("big", token); err != nil {
				t.Fatal(err)
			}
			tt.damage(backend.items)

			got, err := k.Get("big")
			if got != "" {
				t.Errorf("Get returned %d bytes of a damaged token", len(got))
			}
			var ke *KeyringError
			if !errors.As(err, &ke) || ke.Context != "big" || ke.Op != "read" {
				t.Fatalf("error = %v, want a *KeyringError reading context big", err)
			}
			if !errors.Is(err, errDamagedToken) {
				t.Errorf("error %q does not match errDamagedToken", err)
			}
			if errors.Is(err, ErrTokenNotFound) {
				t.Errorf("error %q matches ErrTokenNotFound", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "create the context again") {
				t.Errorf("error %q has no hint", err)
			}
			if containsSlice(err.Error(), token) {
				t.Errorf("error %q contains part of the token", err)
			}
		})
	}
}

func TestSplitLegacyPlainItem(t *testing.T) {
	tests := []struct {
		name  string
		token string
	}{
		{"under the limit", testToken(100, 1)},
		{"over the limit", testToken(4*testLimit, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, backend := newSplitKeyring(testLimit)
			backend.items["old"] = tt.token

			got, err := k.Get("old")
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if got != tt.token {
				t.Errorf("Get returned %d bytes, want the plain item", len(got))
			}
			if n := backend.callCount(); n != 1 {
				t.Errorf("Get of a plain item made %d keyring calls, want 1", n)
			}
		})
	}
}

func TestSplitNameCollision(t *testing.T) {
	big := testToken(5*testLimit, 1)
	tests := []struct {
		name    string
		setup   func(k *osKeyring, items map[string]string)
		op      func(k *osKeyring) error
		wantErr error
		keep    map[string]string // items that must be unchanged
	}{
		{
			"part over a token",
			func(k *osKeyring, items map[string]string) { items["big#2"] = "tok-of-big#2" },
			func(k *osKeyring) error { return k.Set("big", big) },
			errItemInUse,
			map[string]string{"big#2": "tok-of-big#2"},
		},
		{
			"token over a part",
			func(k *osKeyring, items map[string]string) { _ = k.Set("big", big) },
			func(k *osKeyring) error { return k.Set("big#1", "tok") },
			errItemInUse,
			nil,
		},
		{
			"read of a part",
			func(k *osKeyring, items map[string]string) { _ = k.Set("big", big) },
			func(k *osKeyring) error { _, err := k.Get("big#1"); return err },
			errItemInUse,
			nil,
		},
		{
			"delete of a part",
			func(k *osKeyring, items map[string]string) { _ = k.Set("big", big) },
			func(k *osKeyring) error { return k.Delete("big#1") },
			ErrTokenNotFound,
			nil,
		},
		{
			"delete keeps the next context",
			func(k *osKeyring, items map[string]string) {
				items["big"] = "tok-of-big"
				items["big#1"] = "tok-of-big#1"
			},
			func(k *osKeyring) error { return k.Delete("big") },
			nil,
			map[string]string{"big#1": "tok-of-big#1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, backend := newSplitKeyring(testLimit)
			tt.setup(k, backend.items)
			before := backend.snapshot()

			err := tt.op(k)
			if tt.wantErr == nil && err != nil {
				t.Errorf("error = %v", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			if err != nil && containsSlice(err.Error(), big) {
				t.Errorf("error %q contains part of the token", err)
			}

			after := backend.snapshot()
			for user, item := range tt.keep {
				if after[user] != item {
					t.Errorf("item of user %q = %q, want %q", user, after[user], item)
				}
			}
			if tt.wantErr != nil && !maps.Equal(before, after) {
				t.Errorf("a failed call changed the items: %q, was %q", slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)))
			}
		})
	}
}

func TestSplitWriteFailureRestores(t *testing.T) {
	tests := []struct {
		name     string
		oldToken string
		newToken string
		failUser string
	}{
		{"new part fails", testToken(100, 1), testToken(5*testLimit, 2), "big#2"},
		{"replaced part fails", testToken(5*testLimit, 1), testToken(6*testLimit, 2), "big#3"},
		{"added part fails", testToken(3*testLimit, 1), testToken(6*testLimit, 2), "big#5"},
		{"header fails", testToken(5*testLimit, 1), testToken(6*testLimit, 2), "big"},
		{"header fails, no old token", "", testToken(5*testLimit, 2), "big"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, backend := newSplitKeyring(testLimit)
			if tt.oldToken != "" {
				if err := k.Set("big", tt.oldToken); err != nil {
					t.Fatal(err)
				}
			}
			before := backend.snapshot()
			backend.failSet[tt.failUser] = errBackend

			err := k.Set("big", tt.newToken)
			if !errors.Is(err, errBackend) {
				t.Errorf("error = %v, want the backend error", err)
			}
			if err != nil && containsSlice(err.Error(), tt.newToken) {
				t.Errorf("error %q contains part of the token", err)
			}
			if after := backend.snapshot(); !maps.Equal(before, after) {
				t.Errorf("items after the failure = %q, want %q as before", slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)))
			}
			if tt.oldToken != "" {
				if got, err := k.Get("big"); err != nil || got != tt.oldToken {
					t.Errorf("Get = %d bytes, %v; want the old token", len(got), err)
				}
			}
		})
	}
}

func TestSplitItemLimitTooBig(t *testing.T) {
	k, backend := newSplitKeyring(minItemLimit)
	backend.limit = minItemLimit - 1

	err := k.Set("big", testToken(3*minItemLimit, 1))
	if !errors.Is(err, keyring.ErrSetDataTooBig) {
		t.Errorf("error = %v, want ErrSetDataTooBig", err)
	}
	if users := backend.users(); len(users) != 0 {
		t.Errorf("items left after the failure: %q", users)
	}
	if err != nil && !strings.Contains(err.Error(), "too large") {
		t.Errorf("error %q does not say the token is too large", err)
	}
}

func TestSplitTooManyItems(t *testing.T) {
	_, err := splitToken(testToken(maxKeyringItems*minItemLimit, 1), minItemLimit)
	if !errors.Is(err, keyring.ErrSetDataTooBig) {
		t.Errorf("error = %v, want ErrSetDataTooBig", err)
	}
}

func TestSplitTimeoutStopsCalls(t *testing.T) {
	tests := []struct {
		name string
		op   func(k *osKeyring) error
	}{
		{"set", func(k *osKeyring) error { return k.Set("big", testToken(5*testLimit, 2)) }},
		{"get", func(k *osKeyring) error { _, err := k.Get("big"); return err }},
		{"delete", func(k *osKeyring) error { return k.Delete("big") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, backend := newSplitKeyring(testLimit)
			if err := k.Set("big", testToken(5*testLimit, 1)); err != nil {
				t.Fatal(err)
			}
			k.timeout = 100 * time.Millisecond
			backend.blockAt = backend.callCount() + 3
			backend.release = make(chan struct{})

			err := tt.op(k)
			if !errors.Is(err, ErrKeyringTimeout) {
				t.Fatalf("error = %v, want ErrKeyringTimeout", err)
			}

			close(backend.release)
			time.Sleep(100 * time.Millisecond)
			if n := backend.callCount(); n != backend.blockAt {
				t.Errorf("%d keyring calls after the timeout", n-backend.blockAt)
			}
		})
	}
}

func TestItemLimit(t *testing.T) {
	tests := []struct {
		value   string
		want    int
		wantErr bool
	}{
		{"", platformItemLimit, false},
		{"0", 0, false},
		{"128", 128, false},
		{"2560", 2560, false},
		{"127", 0, true},
		{"-1", 0, true},
		{"2k", 0, true},
		{"2000000", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, err := itemLimit(tt.value)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("limit = %d, want %d", got, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), testItemLimitEnv) {
				t.Errorf("error %q does not name %s", err, testItemLimitEnv)
			}
		})
	}
}

func TestItemLimitHookFailsCalls(t *testing.T) {
	t.Setenv(testItemLimitEnv, "small")
	k := NewKeyring(time.Second).(*osKeyring)
	k.findBus = nil
	backend := newLimitedBackend(0)
	k.backend = backend

	err := k.Set("a", "tok")
	if err == nil || !strings.Contains(err.Error(), testItemLimitEnv) {
		t.Errorf("error = %v, want one naming %s", err, testItemLimitEnv)
	}
	if n := backend.callCount(); n != 0 {
		t.Errorf("%d keyring calls with an invalid hook", n)
	}
}

func TestStoreSplitToken(t *testing.T) {
	s, _ := newStore(t, pxctlFile)
	k, backend := newSplitKeyring(testLimit)
	s.Secrets = k
	token := testToken(5*testLimit, 1)

	if _, err := s.Save(Context{Name: "big"}, token, StorageKeyring, false); err != nil {
		t.Fatalf("Save: %v", err)
	}
	if got, err := s.Token("big"); err != nil || got != token {
		t.Errorf("Token = %d bytes, %v; want the token", len(got), err)
	}

	if _, err := s.Rename("big", "large"); err != nil {
		t.Fatalf("Rename: %v", err)
	}
	if users := backend.users(); !slices.Equal(users, wantUsers("large", 6)) {
		t.Errorf("items after Rename = %q", users)
	}
	if got, err := s.Token("large"); err != nil || got != token {
		t.Errorf("Token after Rename = %d bytes, %v; want the token", len(got), err)
	}

	if _, err := s.Save(Context{Name: "large"}, "short", StorageKeyring, false); err != nil {
		t.Fatalf("Save of a shorter token: %v", err)
	}
	if users := backend.users(); !slices.Equal(users, []string{"large"}) {
		t.Errorf("items after a shorter token = %q", users)
	}

	if _, err := s.Delete("large"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if users := backend.users(); len(users) != 0 {
		t.Errorf("items after Delete = %q", users)
	}
}

func TestStoreSplitWriteFailureRollsBack(t *testing.T) {
	tests := []struct {
		name     string
		oldToken string
	}{
		{"new context", ""},
		{"split old token", testToken(5*testLimit, 1)},
		{"plain old token", "old-token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, pxctlFile)
			k, backend := newSplitKeyring(testLimit)
			s.Secrets = k
			if tt.oldToken != "" {
				if err := k.Set("dev", tt.oldToken); err != nil {
					t.Fatal(err)
				}
			}
			before := backend.snapshot()
			s.beforeRename = func(string) error { return errors.New("disk full") }

			_, err := s.Save(Context{Name: "dev"}, testToken(4*testLimit, 2), StorageKeyring, false)
			if err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Errorf("error = %v, want the write error", err)
			}
			if after := backend.snapshot(); !maps.Equal(before, after) {
				t.Errorf("items after the rollback = %q, want %q", slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)))
			}
		})
	}
}

func TestStoreSplitNameCollision(t *testing.T) {
	s, _ := newStore(t, "")
	k, _ := newSplitKeyring(testLimit)
	s.Secrets = k
	token := testToken(5*testLimit, 1)
	if _, err := s.Save(Context{Name: "big"}, token, StorageKeyring, false); err != nil {
		t.Fatal(err)
	}

	_, err := s.Save(Context{Name: "big#1"}, "tok-1", StorageKeyring, false)
	if !errors.Is(err, errItemInUse) {
		t.Errorf("keyring storage: error = %v, want errItemInUse", err)
	}

	res, err := s.Save(Context{Name: "big#1"}, "tok-1", StorageAuto, false)
	if err != nil {
		t.Fatalf("auto storage: %v", err)
	}
	if res.Storage != StorageFile {
		t.Errorf("storage = %q, want file", res.Storage)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "in use") {
		t.Errorf("warnings = %q, want one saying the items are in use", res.Warnings)
	}
	if got, err := s.Token("big#1"); err != nil || got != "tok-1" {
		t.Errorf("Token(big#1) = %q, %v", got, err)
	}

	if _, err := s.Delete("big#1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if got, err := s.Token("big"); err != nil || got != token {
		t.Errorf("Token(big) after deleting big#1 = %d bytes, %v; want the token", len(got), err)
	}
}

// expectedItems is the number of items a token of size bytes takes under
// limit, from the format: a header of splitPrefix, the count, ":", the ID
// and ":" in the first item and partPrefix, the ID and ":" in every part.
func expectedItems(size, limit int, marked bool) int {
	if limit <= 0 || !marked && size <= limit {
		return 1
	}
	partSize := limit - len(partPrefix) - idLength - 1
	for count := 1; ; count++ {
		firstSize := limit - len(splitPrefix) - len(strconv.Itoa(count)) - 1 - idLength - 1
		if firstSize+(count-1)*partSize >= size {
			return count
		}
	}
}

func FuzzSplitRoundTrip(f *testing.F) {
	f.Add(uint32(1), uint16(128), uint64(0), false)
	f.Add(uint32(255), uint16(256), uint64(1), false)
	f.Add(uint32(256), uint16(256), uint64(2), false)
	f.Add(uint32(257), uint16(256), uint64(3), false)
	f.Add(uint32(9000), uint16(2560), uint64(4), false)
	f.Add(uint32(9000), uint16(2048), uint64(5), false)
	f.Add(uint32(65536), uint16(128), uint64(6), false)
	f.Add(uint32(5000), uint16(0), uint64(7), false)
	f.Add(uint32(40), uint16(128), uint64(8), true)
	f.Fuzz(func(t *testing.T, sizeSeed uint32, limitSeed uint16, seed uint64, marked bool) {
		size := 1 + int(sizeSeed%(64<<10))
		limit := 0
		if limitSeed != 0 {
			limit = minItemLimit + int(limitSeed)%4096
		}
		token := testToken(size, seed)
		if marked {
			token = splitPrefix + token
		}

		k, backend := newSplitKeyring(limit)
		if err := k.Set("t", token); err != nil {
			t.Fatalf("Set of %d bytes, limit %d: %v", len(token), limit, err)
		}
		if got, err := k.Get("t"); err != nil || got != token {
			t.Fatalf("Get = %d bytes, %v; want the %d bytes of the token", len(got), err, len(token))
		}
		want := expectedItems(len(token), limit, marked)
		if users := backend.users(); !slices.Equal(users, wantUsers("t", want)) {
			t.Fatalf("%d items for %d bytes, limit %d; want %d", len(users), len(token), limit, want)
		}

		shorter := token[:len(token)/2+1]
		if err := k.Set("t", shorter); err != nil {
			t.Fatalf("Set of the shorter token: %v", err)
		}
		if got, err := k.Get("t"); err != nil || got != shorter {
			t.Fatalf("Get of the shorter token = %d bytes, %v", len(got), err)
		}
		want = expectedItems(len(shorter), limit, strings.HasPrefix(shorter, splitPrefix))
		if users := backend.users(); !slices.Equal(users, wantUsers("t", want)) {
			t.Fatalf("%d items after shrinking to %d bytes, limit %d; want %d", len(users), len(shorter), limit, want)
		}

		if err := k.Delete("t"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if users := backend.users(); len(users) != 0 {
			t.Fatalf("items after Delete: %d", len(users))
		}
	})
}

func FuzzReadToken(f *testing.F) {
	split, _ := splitToken(testToken(600, 1), testLimit)
	f.Add(split[0], split[1], split[2])
	f.Add("eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "", "")
	f.Add(splitPrefix+"2:0123456789abcdef:", partPrefix+"0123456789abcdef:x", "")
	f.Add(splitPrefix+"0:0123456789abcdef:", "", "")
	f.Add(splitPrefix+"3:0123456789ABCDEF:x", "y", "z")
	f.Add(splitPrefix+"99999999999999999999:x:", "", "")
	f.Add(partPrefix+"0123456789abcdef:x", "", "")
	f.Add(splitPrefix+"1:"+tokenID("x")+":x", "", "")
	f.Fuzz(func(t *testing.T, first, part1, part2 string) {
		backend := newLimitedBackend(0)
		for user, item := range map[string]string{"t": first, "t#1": part1, "t#2": part2} {
			if item != "" {
				backend.items[user] = item
			}
		}

		token, err := readToken(backend, "t")
		if err != nil {
			if !errors.Is(err, errDamagedToken) && !errors.Is(err, errItemInUse) && !errors.Is(err, keyring.ErrNotFound) {
				t.Fatalf("error %v is of no known kind", err)
			}
			return
		}

		if !strings.HasPrefix(first, splitPrefix) {
			if token != first {
				t.Fatalf("plain item read as %q", token)
			}
			return
		}
		_, id, _, ok := parseHeader(first)
		if !ok {
			t.Fatal("a damaged header was read")
		}
		if tokenID(token) != id {
			t.Fatalf("token does not match the ID %q of the header", id)
		}
	})
}
