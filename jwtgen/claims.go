package jwtgen

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// NewClaims fills the claims of a token for u, issued by issuer at now and
// valid for duration. The times are whole seconds: iat is now minus
// clockSkew, so that a server whose clock runs behind still accepts the
// token, and exp is now plus duration, so exp-iat equals duration when
// clockSkew is 0. Fractions of a second in now are dropped.
//
// It returns an error for an invalid issuer (see ValidateIssuer) and for a
// duration under 1s or not in whole seconds. It also rejects an expiry after
// year 9999, a clockSkew that is negative, over 24h or not in whole seconds,
// an iat before 1970, and a user without a subject or roles. Roles and
// Groups of the result are new slices, never nil.
func NewClaims(u User, issuer string, now time.Time, duration, clockSkew time.Duration) (Claims, error) {
	if err := ValidateIssuer(issuer); err != nil {
		return Claims{}, err
	}

	if duration < time.Second || duration%time.Second != 0 {
		return Claims{}, fmt.Errorf("invalid token duration %s: use a whole number of seconds, at least 1s", formatTokenDuration(duration))
	}

	if clockSkew < 0 || clockSkew > clockSkewLimit || clockSkew%time.Second != 0 {
		return Claims{}, fmt.Errorf("invalid clock skew %s: use a whole number of seconds from 0s to %s", formatTokenDuration(clockSkew), clockSkewLimitText)
	}

	if strings.TrimSpace(u.Subject) == "" {
		return Claims{}, errors.New("missing subject: a server rejects a token without sub; set sub in the user file")
	}

	if len(u.Roles) == 0 {
		return Claims{}, errors.New("missing roles: a token without roles is denied every call; add roles to the user file")
	}

	// A clock before 1970 is broken, and a negative iat would make every
	// server reject the token.
	nowUnix := now.Unix()
	issuedAtUnix := nowUnix - int64(clockSkew/time.Second)
	if nowUnix < 0 || issuedAtUnix < 0 {
		return Claims{}, fmt.Errorf("invalid issue time %s: before 1970; check the system clock", now.UTC().Format(time.RFC3339))
	}

	expiresAt, err := ExpiryTime(time.Unix(nowUnix, 0), duration)
	if err != nil {
		return Claims{}, err
	}

	claims := Claims{
		Email:     u.Email,
		ExpiresAt: expiresAt.Unix(),
		Groups:    append(make([]string, 0, len(u.Groups)), u.Groups...),
		IssuedAt:  issuedAtUnix,
		Issuer:    issuer,
		Name:      u.Name,
		Roles:     append(make([]string, 0, len(u.Roles)), u.Roles...),
		Subject:   u.Subject,
	}

	return claims, nil
}
