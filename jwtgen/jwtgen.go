// Package jwtgen builds and checks the JSON Web Tokens that Portworx and
// OpenStorage clusters accept: it parses and validates user files and token
// durations, loads signing keys, fills the claims, signs, decodes and
// verifies tokens. It never prints or exits; every finding is returned,
// either as an error or as a Notice for the caller to show.
package jwtgen

// Claims is the claim set OpenStorage reads from a self-signed token. The
// JSON names are the ones its pkg/auth package expects; roles and groups
// are always encoded as arrays, never null.
type Claims struct {
	Email     string   `json:"email"`
	ExpiresAt int64    `json:"exp"`
	Groups    []string `json:"groups"`
	IssuedAt  int64    `json:"iat"`
	Issuer    string   `json:"iss"`
	Name      string   `json:"name"`
	Roles     []string `json:"roles"`
	Subject   string   `json:"sub"`
}

// NoticeLevel is the weight of a Notice.
type NoticeLevel int

const (
	// LevelNote is information the user may want, such as a derived value.
	LevelNote NoticeLevel = iota
	// LevelWarning is a finding that still gives a working token but is
	// likely a mistake, such as a short shared secret.
	LevelWarning
)

// Notice is a non-fatal finding for the caller to show on stderr.
type Notice struct {
	Level   NoticeLevel
	Message string
}
