package jwtgen

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

var testUser = User{
	Name:    "Storage Administrator",
	Email:   "admin@example.com",
	Subject: "9f0ad3c6-2a4c-4b43-9d27-93a3c7a1d4a5",
	Roles:   []string{"system.admin"},
	Groups:  []string{"*"},
}

func TestNewClaims(t *testing.T) {
	now := time.Date(2025, time.June, 1, 12, 0, 0, 750_000_000, time.UTC)
	nowUnix := now.Unix()

	claims, err := NewClaims(testUser, "portworx.com", now, 24*time.Hour, 0)
	if err != nil {
		t.Fatalf("NewClaims: unexpected error: %v", err)
	}

	if claims.Issuer != "portworx.com" {
		t.Errorf("Issuer = %q, want %q", claims.Issuer, "portworx.com")
	}

	if claims.Subject != testUser.Subject {
		t.Errorf("Subject = %q, want %q", claims.Subject, testUser.Subject)
	}

	if claims.Name != testUser.Name {
		t.Errorf("Name = %q, want %q", claims.Name, testUser.Name)
	}

	if claims.Email != testUser.Email {
		t.Errorf("Email = %q, want %q", claims.Email, testUser.Email)
	}

	if !slices.Equal(claims.Roles, testUser.Roles) {
		t.Errorf("Roles = %q, want %q", claims.Roles, testUser.Roles)
	}

	if !slices.Equal(claims.Groups, testUser.Groups) {
		t.Errorf("Groups = %q, want %q", claims.Groups, testUser.Groups)
	}

	if claims.IssuedAt != nowUnix {
		t.Errorf("IssuedAt = %d, want %d", claims.IssuedAt, nowUnix)
	}

	if claims.ExpiresAt != nowUnix+86400 {
		t.Errorf("ExpiresAt = %d, want %d", claims.ExpiresAt, nowUnix+86400)
	}

	if claims.ExpiresAt-claims.IssuedAt != 86400 {
		t.Errorf("exp - iat = %d, want exactly the duration, 86400", claims.ExpiresAt-claims.IssuedAt)
	}
}

func TestNewClaimsClockSkew(t *testing.T) {
	now := time.Unix(1_750_000_000, 0)

	claims, err := NewClaims(testUser, "portworx.com", now, time.Hour, 10*time.Minute)
	if err != nil {
		t.Fatalf("NewClaims: unexpected error: %v", err)
	}

	if claims.IssuedAt != 1_750_000_000-600 {
		t.Errorf("IssuedAt = %d, want now - 600", claims.IssuedAt)
	}

	if claims.ExpiresAt != 1_750_000_000+3600 {
		t.Errorf("ExpiresAt = %d, want now + 3600, not moved by the skew", claims.ExpiresAt)
	}
}

func TestNewClaimsEmptyLists(t *testing.T) {
	user := User{Subject: "u1", Roles: []string{"system.user"}}

	claims, err := NewClaims(user, "portworx.com", time.Unix(1_750_000_000, 0), time.Hour, 0)
	if err != nil {
		t.Fatalf("NewClaims: unexpected error: %v", err)
	}

	if claims.Groups == nil {
		t.Error("Groups is nil, want an empty slice")
	}

	encoded, err := json.Marshal(claims)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}

	if !strings.Contains(string(encoded), `"groups":[]`) {
		t.Errorf("JSON %s does not encode groups as []", encoded)
	}
}

func TestNewClaimsCopiesLists(t *testing.T) {
	user := User{Subject: "u1", Roles: []string{"system.user"}, Groups: []string{"a"}}

	claims, err := NewClaims(user, "portworx.com", time.Unix(1_750_000_000, 0), time.Hour, 0)
	if err != nil {
		t.Fatalf("NewClaims: unexpected error: %v", err)
	}

	user.Roles[0] = "changed"
	user.Groups[0] = "changed"

	if claims.Roles[0] != "system.user" {
		t.Errorf("Roles[0] = %q after changing the user, want %q", claims.Roles[0], "system.user")
	}

	if claims.Groups[0] != "a" {
		t.Errorf("Groups[0] = %q after changing the user, want %q", claims.Groups[0], "a")
	}
}

func TestNewClaimsInvalid(t *testing.T) {
	now := time.Unix(1_750_000_000, 0)

	tests := []struct {
		name      string
		user      User
		issuer    string
		now       time.Time
		duration  time.Duration
		clockSkew time.Duration
		wantText  string
	}{
		{"empty issuer", testUser, "", now, time.Hour, 0, "missing issuer"},
		{"issuer with scheme", testUser, "https://portworx.com", now, time.Hour, 0, "URL scheme"},
		{"zero duration", testUser, "portworx.com", now, 0, 0, "at least 1s"},
		{"negative duration", testUser, "portworx.com", now, -time.Hour, 0, "at least 1s"},
		{"fractional duration", testUser, "portworx.com", now, 1500 * time.Millisecond, 0, "whole number of seconds"},
		{"negative skew", testUser, "portworx.com", now, time.Hour, -time.Second, "invalid clock skew -1s"},
		{"skew over limit", testUser, "portworx.com", now, time.Hour, 25 * time.Hour, "from 0s to 24h"},
		{"fractional skew", testUser, "portworx.com", now, time.Hour, 1500 * time.Millisecond, "whole number of seconds"},
		{"expiry after year 9999", testUser, "portworx.com", time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC), 2 * 24 * time.Hour, 0, "after year 9999"},
		{"now before 1970", testUser, "portworx.com", time.Unix(-1, 0), time.Hour, 0, "before 1970"},
		{"skew before 1970", testUser, "portworx.com", time.Unix(30, 0), time.Hour, time.Minute, "before 1970"},
		{"missing subject", User{Roles: []string{"system.user"}}, "portworx.com", now, time.Hour, 0, "missing subject"},
		{"blank subject", User{Subject: " ", Roles: []string{"system.user"}}, "portworx.com", now, time.Hour, 0, "missing subject"},
		{"missing roles", User{Subject: "u1"}, "portworx.com", now, time.Hour, 0, "missing roles"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims, err := NewClaims(tt.user, tt.issuer, tt.now, tt.duration, tt.clockSkew)
			if err == nil {
				t.Fatalf("NewClaims = %+v, want an error", claims)
			}

			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.wantText)
			}
		})
	}
}

// FuzzNewClaims checks that claims either fail or have whole-second times
// with exp - iat equal to the duration plus the clock skew, iat not before
// 1970 and exp not after year 9999.
func FuzzNewClaims(f *testing.F) {
	f.Add(int64(1_750_000_000), int64(750), int64(86400), int64(0))
	f.Add(int64(1_750_000_000), int64(0), int64(365*86400), int64(600))
	f.Add(int64(253402300799), int64(0), int64(1), int64(0))
	f.Add(int64(0), int64(0), int64(1), int64(1))
	f.Add(int64(math.MaxInt64), int64(0), int64(1), int64(0))
	f.Add(int64(math.MinInt64), int64(0), int64(1), int64(0))

	latestExpiry := time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC).Unix()

	f.Fuzz(func(t *testing.T, nowUnix, nowNanoseconds, durationSeconds, skewSeconds int64) {
		now := time.Unix(nowUnix, nowNanoseconds%int64(time.Second))
		duration := time.Duration(durationSeconds) * time.Second
		clockSkew := time.Duration(skewSeconds) * time.Second
		if duration/time.Second != time.Duration(durationSeconds) || clockSkew/time.Second != time.Duration(skewSeconds) {
			return
		}

		claims, err := NewClaims(testUser, "portworx.com", now, duration, clockSkew)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("message %q spans more than one line", err.Error())
			}

			return
		}

		if got := claims.ExpiresAt - claims.IssuedAt; got != durationSeconds+skewSeconds {
			t.Errorf("exp - iat = %d, want %d", got, durationSeconds+skewSeconds)
		}

		if claims.IssuedAt < 0 {
			t.Errorf("iat = %d, want not before 1970", claims.IssuedAt)
		}

		if claims.ExpiresAt > latestExpiry {
			t.Errorf("exp = %d, want not after year 9999", claims.ExpiresAt)
		}

		if claims.ExpiresAt != now.Unix()+durationSeconds {
			t.Errorf("exp = %d, want now + duration = %d", claims.ExpiresAt, now.Unix()+durationSeconds)
		}
	})
}
