package jwtgen

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// VerifyOptions controls Verify.
type VerifyOptions struct {
	// Issuer is the "iss" the token must have, compared exactly. An empty
	// Issuer skips the issuer check.
	Issuer string

	// ClockSkew is how far after Now the "iat" and "nbf" claims may be, for
	// a signer whose clock runs ahead. OpenStorage servers allow none. A
	// negative value counts as zero.
	ClockSkew time.Duration

	// Now is the time the token is checked at; the zero value means
	// time.Now().
	Now time.Time
}

// VerifyError is a token that fails Verify. Reason is a complete message
// that describes the problem and, where there is one, the fix. It contains
// no token segment and no key material, but it may quote the token's "iss"
// or "alg" value, shortened.
type VerifyError struct {
	// Reason is the message Error returns.
	Reason string

	// Err is the cause: a *DecodeError, or a golang-jwt error such as
	// jwt.ErrTokenExpired, jwt.ErrTokenSignatureInvalid,
	// jwt.ErrTokenInvalidIssuer, jwt.ErrTokenUsedBeforeIssued,
	// jwt.ErrTokenNotValidYet, jwt.ErrTokenInvalidSubject or
	// jwt.ErrTokenRequiredClaimMissing, for errors.Is and errors.As.
	Err error
}

// Error returns Reason.
func (e *VerifyError) Error() string {
	return e.Reason
}

// Unwrap returns Err.
func (e *VerifyError) Unwrap() error {
	return e.Err
}

// Verify checks a token the way an OpenStorage server does and returns a
// *VerifyError for the first check that fails, in this order:
//   - the token decodes (see Decode, which rejects alg "none");
//   - its alg is in the key's family: HS256, HS384 or HS512 for a shared
//     secret, RS256, RS384 or RS512 for an RSA key, and only the curve's
//     algorithm for an ECDSA key;
//   - the signature matches the key;
//   - "iss" equals opts.Issuer;
//   - "exp" is present and after Now;
//   - "iat" is present and not after Now+ClockSkew, and so is "nbf" if present;
//   - "sub" is a non-empty string, and "name" and "email" are present,
//     because the servers require them.
//
// Only k.Verify is used, so a Key from ParseRSAVerifyKey or
// ParseECDSAVerifyKey works. A key that cannot verify at all, such as the
// zero Key, gives a plain error.
func Verify(token string, k Key, opts VerifyOptions) error {
	if k.Verify == nil {
		return fmt.Errorf("verify token: %w", errNoKey)
	}

	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}

	decoded, signingInput, signature, err := decodeToken(token)
	if err != nil {
		return &VerifyError{Reason: err.Error(), Err: err}
	}

	method, err := methodForKey(decoded.Algorithm, k.Verify)
	if err != nil {
		return err
	}

	if err := method.Verify(signingInput, signature, k.Verify); err != nil {
		reason := "signature does not match the key: the token was signed with a different key or changed after signing"
		if _, ok := k.Verify.([]byte); ok {
			reason = "signature does not match the shared secret: the token was signed with a different secret or changed after signing"
		}

		return &VerifyError{Reason: reason, Err: fmt.Errorf("%w: %w", jwt.ErrTokenSignatureInvalid, err)}
	}

	return checkClaims(decoded, opts, now)
}

// methodForKey returns the signing method for the token's alg when the key
// can verify it.
func methodForKey(alg string, key any) (jwt.SigningMethod, error) {
	var allowed []string
	var description string

	switch key := key.(type) {
	case []byte:
		if len(key) == 0 {
			return nil, fmt.Errorf("verify token: the shared secret is empty")
		}

		allowed = []string{"HS256", "HS384", "HS512"}
		description = "a shared secret verifies HS256, HS384 and HS512"

	case *rsa.PublicKey:
		if key == nil || key.N == nil {
			return nil, fmt.Errorf("verify token: the RSA public key is empty")
		}

		allowed = []string{"RS256", "RS384", "RS512"}
		description = "an RSA key verifies RS256, RS384 and RS512"

	case *ecdsa.PublicKey:
		if key == nil || key.Curve == nil {
			return nil, fmt.Errorf("verify token: the ECDSA public key is empty")
		}

		curve := key.Curve.Params().Name
		method := curveMethods[curve]
		if method == nil {
			return nil, fmt.Errorf("verify token: ECDSA keys on curve %s are not supported", curve)
		}

		allowed = []string{method.Alg()}
		description = fmt.Sprintf("an ECDSA %s key verifies %s only", curve, method.Alg())

	default:
		return nil, fmt.Errorf("verify token: key type %T is not supported", key)
	}

	for _, name := range allowed {
		if alg == name {
			return jwt.GetSigningMethod(alg), nil
		}
	}

	return nil, &VerifyError{
		Reason: fmt.Sprintf("algorithm %s does not match the key (%s); verify with the key that signed the token", quoteLimited(alg), description),
		Err:    jwt.ErrTokenSignatureInvalid,
	}
}

// checkClaims checks the claims of a token whose signature is valid.
func checkClaims(decoded *Decoded, opts VerifyOptions, now time.Time) error {
	if opts.Issuer != "" {
		if err := checkIssuer(decoded.Claims, opts.Issuer); err != nil {
			return err
		}
	}

	if decoded.ExpiresAt == nil {
		return missingClaim("exp", "expiry time")
	}

	if !decoded.ExpiresAt.After(now) {
		return &VerifyError{
			Reason: fmt.Sprintf("token expired %s ago at %s; generate a new token", formatSpan(now.Sub(*decoded.ExpiresAt)), decoded.ExpiresAt.Format(time.RFC3339)),
			Err:    jwt.ErrTokenExpired,
		}
	}

	if decoded.IssuedAt == nil {
		return missingClaim("iat", "issue time")
	}

	skew := max(opts.ClockSkew, 0)
	latest := now.Add(skew)
	if decoded.IssuedAt.After(latest) {
		return &VerifyError{
			Reason: fmt.Sprintf("token issued in the future, at %s, %s ahead of this clock with %s of clock skew allowed; "+
				"servers reject it as used before issued, so check the clocks of both machines",
				decoded.IssuedAt.Format(time.RFC3339), formatSpan(decoded.IssuedAt.Sub(now)), formatSpan(skew)),
			Err: jwt.ErrTokenUsedBeforeIssued,
		}
	}

	notBefore, err := numericDateClaim(decoded.Claims, "nbf")
	if err != nil {
		return &VerifyError{Reason: err.Error(), Err: err}
	}

	if notBefore != nil && notBefore.After(latest) {
		return &VerifyError{
			Reason: fmt.Sprintf("token is not valid before %s, %s from now", notBefore.Format(time.RFC3339), formatSpan(notBefore.Sub(now))),
			Err:    jwt.ErrTokenNotValidYet,
		}
	}

	if err := checkSubject(decoded.Claims); err != nil {
		return err
	}

	for _, name := range []string{"name", "email"} {
		if _, ok := decoded.Claims[name]; !ok {
			return missingClaim(name, name)
		}
	}

	return nil
}

// checkIssuer checks that the "iss" claim is exactly the expected issuer.
func checkIssuer(claims map[string]any, expected string) error {
	value, ok := claims["iss"]
	if !ok {
		return missingClaim("iss", "issuer")
	}

	issuer, ok := value.(string)
	if !ok {
		return &VerifyError{
			Reason: fmt.Sprintf(`issuer ("iss") is %s, not a string`, jsonTypePhrase(value)),
			Err:    jwt.ErrTokenInvalidIssuer,
		}
	}

	if issuer != expected {
		return &VerifyError{
			Reason: fmt.Sprintf("token issuer %s does not match the expected issuer %q; the cluster accepts only the issuer it is configured with, compared exactly",
				quoteLimited(issuer), expected),
			Err: jwt.ErrTokenInvalidIssuer,
		}
	}

	return nil
}

// checkSubject checks that the "sub" claim is a non-empty string, as the
// servers require.
func checkSubject(claims map[string]any) error {
	value, ok := claims["sub"]
	if !ok {
		return missingClaim("sub", "subject")
	}

	subject, ok := value.(string)
	if !ok {
		return &VerifyError{
			Reason: fmt.Sprintf(`subject ("sub") is %s, not a string, and servers require a non-empty string; generate a new token`, jsonTypePhrase(value)),
			Err:    jwt.ErrTokenInvalidSubject,
		}
	}

	if subject == "" {
		return missingClaim("sub", "subject")
	}

	return nil
}

// missingClaim reports a claim that the servers require but the token lacks.
func missingClaim(claim, description string) error {
	return &VerifyError{
		Reason: fmt.Sprintf("token has no %s (%q claim), which servers require; generate a new token", description, claim),
		Err:    jwt.ErrTokenRequiredClaimMissing,
	}
}

// formatSpan formats a duration for a message in its two largest units,
// such as "3d4h", "2h", "5m30s" or "12s". Parts of a second are dropped
// and a negative span is formatted as its absolute value.
func formatSpan(d time.Duration) string {
	if d < 0 {
		d = -d
	}

	seconds := int64(d / time.Second)
	days := seconds / 86400
	hours := seconds % 86400 / 3600
	minutes := seconds % 3600 / 60
	seconds %= 60

	var b strings.Builder
	switch {
	case days > 0:
		fmt.Fprintf(&b, "%dd", days)
		if hours > 0 {
			fmt.Fprintf(&b, "%dh", hours)
		}
	case hours > 0:
		fmt.Fprintf(&b, "%dh", hours)
		if minutes > 0 {
			fmt.Fprintf(&b, "%dm", minutes)
		}
	case minutes > 0:
		fmt.Fprintf(&b, "%dm", minutes)
		if seconds > 0 {
			fmt.Fprintf(&b, "%ds", seconds)
		}
	default:
		fmt.Fprintf(&b, "%ds", seconds)
	}

	return b.String()
}
