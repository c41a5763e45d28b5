package jwtgen

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// verifyTestNow is the fixed time the Verify tests check tokens at.
var verifyTestNow = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)

const verifyTestIssuer = "openstorage.io"

// verifyTestClaims returns valid claims at verifyTestNow as a map, so that
// a test can drop or retype any claim.
func verifyTestClaims() map[string]any {
	return map[string]any{
		"email":  "jane@example.com",
		"exp":    verifyTestNow.Add(time.Hour).Unix(),
		"groups": []string{"*"},
		"iat":    verifyTestNow.Add(-time.Minute).Unix(),
		"iss":    verifyTestIssuer,
		"name":   "Jane",
		"roles":  []string{"system.admin"},
		"sub":    "jane",
	}
}

// craftToken signs any header and claims with golang-jwt directly, for
// tokens that Sign would never produce.
func craftToken(t *testing.T, header string, claims map[string]any, method jwt.SigningMethod, key any) string {
	t.Helper()

	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}

	signingInput := b64(header) + "." + b64(string(payload))

	signature, err := method.Sign(signingInput, key)
	if err != nil {
		t.Fatalf("sign test token: %v", err)
	}

	return signingInput + "." + b64(string(signature))
}

// withClaim returns verifyTestClaims with one claim set, or deleted when
// value is nil.
func withClaim(name string, value any) map[string]any {
	claims := verifyTestClaims()
	if value == nil {
		delete(claims, name)
	} else {
		claims[name] = value
	}

	return claims
}

func TestVerify(t *testing.T) {
	fixtures := loadKeyFixtures()

	secret := []byte("verify-test-secret-0123456789abc")
	hmacKey, _, err := SharedSecretKey(secret, "test")
	if err != nil {
		t.Fatal(err)
	}

	rsaKey, err := ParseRSAPrivateKey(pkcs1PEM(fixtures.rsa2048), "rsa.pem")
	if err != nil {
		t.Fatal(err)
	}

	p256Key, err := ParseECDSAPrivateKey(sec1PEM(fixtures.p256), "p256.pem")
	if err != nil {
		t.Fatal(err)
	}

	p384Key, err := ParseECDSAPrivateKey(sec1PEM(fixtures.p384), "p384.pem")
	if err != nil {
		t.Fatal(err)
	}

	otherRSA, err := ParseRSAPrivateKey(pkcs8PEM(fixtures.rsaOther), "other-rsa.pem")
	if err != nil {
		t.Fatal(err)
	}

	otherP256, err := ParseECDSAPrivateKey(pkcs8PEM(fixtures.p256Other), "other-p256.pem")
	if err != nil {
		t.Fatal(err)
	}

	hs256 := func(claims map[string]any) string {
		return craftToken(t, `{"alg":"HS256","typ":"JWT"}`, claims, jwt.SigningMethodHS256, secret)
	}
	valid := verifyTestClaims()
	options := VerifyOptions{Issuer: verifyTestIssuer, Now: verifyTestNow}
	skewed := VerifyOptions{Issuer: verifyTestIssuer, Now: verifyTestNow, ClockSkew: time.Minute}

	signedClaims := sampleClaims()
	signedClaims.IssuedAt = verifyTestNow.Unix()
	signedClaims.ExpiresAt = verifyTestNow.Add(24 * time.Hour).Unix()
	signedClaims.Issuer = verifyTestIssuer

	sign := func(key Key) string {
		token, err := Sign(signedClaims, key)
		if err != nil {
			t.Fatal(err)
		}

		return token
	}

	hmacToken := hs256(valid)
	headerAndClaims := hmacToken[:strings.LastIndex(hmacToken, ".")]
	tampered := b64(`{"alg":"HS256","typ":"JWT"}`) + "." + b64(`{"sub":"root"}`) + hmacToken[strings.LastIndex(hmacToken, "."):]

	tests := []struct {
		name    string
		token   string
		key     Key
		options VerifyOptions
		target  error
		want    string
	}{
		{"hs256 valid", hmacToken, hmacKey, options, nil, ""},
		{"hs384 with shared secret", craftToken(t, `{"alg":"HS384"}`, valid, jwt.SigningMethodHS384, secret), hmacKey, options, nil, ""},
		{"rs256 valid", craftToken(t, `{"alg":"RS256"}`, valid, jwt.SigningMethodRS256, fixtures.rsa2048), rsaKey, options, nil, ""},
		{"rs512 with rsa key", craftToken(t, `{"alg":"RS512"}`, valid, jwt.SigningMethodRS512, fixtures.rsa2048), rsaKey, options, nil, ""},
		{"es256 valid", craftToken(t, `{"alg":"ES256"}`, valid, jwt.SigningMethodES256, fixtures.p256), p256Key, options, nil, ""},
		{"es384 valid", craftToken(t, `{"alg":"ES384"}`, valid, jwt.SigningMethodES384, fixtures.p384), p384Key, options, nil, ""},
		{"signed hs256", sign(hmacKey), hmacKey, options, nil, ""},
		{"signed rs256", sign(rsaKey), rsaKey, options, nil, ""},
		{"signed es256", sign(p256Key), p256Key, options, nil, ""},
		{"bearer prefix", "Bearer " + hmacToken + "\n", hmacKey, options, nil, ""},
		{"empty issuer option skips check", hs256(withClaim("iss", "someone-else")), hmacKey, VerifyOptions{Now: verifyTestNow}, nil, ""},
		{"iat within skew", hs256(withClaim("iat", verifyTestNow.Add(30*time.Second).Unix())), hmacKey, skewed, nil, ""},
		{"iat at skew limit", hs256(withClaim("iat", verifyTestNow.Add(time.Minute).Unix())), hmacKey, skewed, nil, ""},
		{"iat equal to now", hs256(withClaim("iat", verifyTestNow.Unix())), hmacKey, options, nil, ""},
		{"negative skew counts as zero", hs256(withClaim("iat", verifyTestNow.Unix())), hmacKey, VerifyOptions{Issuer: verifyTestIssuer, Now: verifyTestNow, ClockSkew: -time.Hour}, nil, ""},
		{"nbf in the past", hs256(withClaim("nbf", verifyTestNow.Add(-time.Hour).Unix())), hmacKey, options, nil, ""},
		{"empty name allowed", hs256(withClaim("name", "")), hmacKey, options, nil, ""},

		{"wrong secret", craftToken(t, `{"alg":"HS256"}`, valid, jwt.SigningMethodHS256, []byte("another-secret-0123456789abcdefg")), hmacKey, options,
			jwt.ErrTokenSignatureInvalid, "signature does not match the shared secret: the token was signed with a different secret or changed after signing"},
		{"wrong rsa key", sign(otherRSA), rsaKey, options,
			jwt.ErrTokenSignatureInvalid, "signature does not match the key: the token was signed with a different key"},
		{"wrong ecdsa key", craftToken(t, `{"alg":"ES256"}`, valid, jwt.SigningMethodES256, fixtures.p256), otherP256, options,
			jwt.ErrTokenSignatureInvalid, "signature does not match the key"},
		{"tampered claims", tampered, hmacKey, options, jwt.ErrTokenSignatureInvalid, "signature does not match"},
		{"signature of other token", headerAndClaims + "." + b64("0123456789abcdef0123456789abcdef"), hmacKey, options, jwt.ErrTokenSignatureInvalid, "signature does not match"},
		{"expired", hs256(withClaim("exp", verifyTestNow.Add(-2*time.Hour).Unix())), hmacKey, options,
			jwt.ErrTokenExpired, "token expired 2h ago at 2026-01-02T10:00:00Z; generate a new token"},
		{"expired with skew", hs256(withClaim("exp", verifyTestNow.Add(-30*time.Second).Unix())), hmacKey, skewed,
			jwt.ErrTokenExpired, "token expired 30s ago"},
		{"expires now", hs256(withClaim("exp", verifyTestNow.Unix())), hmacKey, options, jwt.ErrTokenExpired, "token expired 0s ago at 2026-01-02T12:00:00Z"},
		{"expired days ago", hs256(withClaim("exp", verifyTestNow.Add(-75*time.Hour).Unix())), hmacKey, options, jwt.ErrTokenExpired, "token expired 3d3h ago"},
		{"exp missing", hs256(withClaim("exp", nil)), hmacKey, options, jwt.ErrTokenRequiredClaimMissing, `token has no expiry time ("exp" claim)`},
		{"iat in the future", hs256(withClaim("iat", verifyTestNow.Add(5*time.Minute).Unix())), hmacKey, skewed,
			jwt.ErrTokenUsedBeforeIssued, "token issued in the future, at 2026-01-02T12:05:00Z, 5m ahead of this clock with 1m of clock skew allowed"},
		{"iat future without skew", hs256(withClaim("iat", verifyTestNow.Add(time.Second).Unix())), hmacKey, options,
			jwt.ErrTokenUsedBeforeIssued, "used before issued"},
		{"iat missing", hs256(withClaim("iat", nil)), hmacKey, options, jwt.ErrTokenRequiredClaimMissing, `token has no issue time ("iat" claim)`},
		{"nbf in the future", hs256(withClaim("nbf", verifyTestNow.Add(time.Hour).Unix())), hmacKey, options,
			jwt.ErrTokenNotValidYet, "token is not valid before 2026-01-02T13:00:00Z, 1h from now"},
		{"nbf string", hs256(withClaim("nbf", "later")), hmacKey, options, nil, `"nbf" is a string`},
		{"nbf array", hs256(withClaim("nbf", []int{1})), hmacKey, options, nil, `"nbf" is an array, not a number`},
		{"nbf object", hs256(withClaim("nbf", map[string]any{})), hmacKey, options, nil, `"nbf" is an object, not a number`},
		{"wrong issuer", hs256(withClaim("iss", "portworx")), hmacKey, options,
			jwt.ErrTokenInvalidIssuer, `token issuer "portworx" does not match the expected issuer "openstorage.io"`},
		{"issuer case differs", hs256(withClaim("iss", "OpenStorage.io")), hmacKey, options, jwt.ErrTokenInvalidIssuer, `"OpenStorage.io" does not match`},
		{"issuer with scheme", hs256(withClaim("iss", "https://openstorage.io")), hmacKey, options, jwt.ErrTokenInvalidIssuer, "does not match"},
		{"issuer missing", hs256(withClaim("iss", nil)), hmacKey, options, jwt.ErrTokenRequiredClaimMissing, `token has no issuer ("iss" claim)`},
		{"issuer number", hs256(withClaim("iss", 7)), hmacKey, options, jwt.ErrTokenInvalidIssuer, `issuer ("iss") is a number, not a string`},
		{"issuer array", hs256(withClaim("iss", []string{verifyTestIssuer})), hmacKey, options, jwt.ErrTokenInvalidIssuer, `issuer ("iss") is an array, not a string`},
		{"issuer object", hs256(withClaim("iss", map[string]any{})), hmacKey, options, jwt.ErrTokenInvalidIssuer, `issuer ("iss") is an object, not a string`},
		{"issuer null", hs256(withClaim("iss", json.RawMessage("null"))), hmacKey, options, jwt.ErrTokenInvalidIssuer, `issuer ("iss") is null, not a string`},
		{"long issuer shortened", hs256(withClaim("iss", strings.Repeat("x", 500))), hmacKey, options, jwt.ErrTokenInvalidIssuer, `xxx"... does not match`},
		{"subject empty", hs256(withClaim("sub", "")), hmacKey, options, jwt.ErrTokenRequiredClaimMissing, `token has no subject ("sub" claim)`},
		{"subject missing", hs256(withClaim("sub", nil)), hmacKey, options, jwt.ErrTokenRequiredClaimMissing, `("sub" claim)`},
		{"subject number", hs256(withClaim("sub", 5)), hmacKey, options, jwt.ErrTokenInvalidSubject, `subject ("sub") is a number, not a string`},
		{"subject array", hs256(withClaim("sub", []string{"jane"})), hmacKey, options, jwt.ErrTokenInvalidSubject, `subject ("sub") is an array, not a string`},
		{"subject object", hs256(withClaim("sub", map[string]any{"id": "jane"})), hmacKey, options, jwt.ErrTokenInvalidSubject, `subject ("sub") is an object, not a string`},
		{"subject boolean", hs256(withClaim("sub", true)), hmacKey, options, jwt.ErrTokenInvalidSubject, `subject ("sub") is a boolean, not a string`},
		{"subject null", hs256(withClaim("sub", json.RawMessage("null"))), hmacKey, options, jwt.ErrTokenInvalidSubject, `subject ("sub") is null, not a string`},
		{"email missing", hs256(withClaim("email", nil)), hmacKey, options, jwt.ErrTokenRequiredClaimMissing, `("email" claim)`},
		{"name missing", hs256(withClaim("name", nil)), hmacKey, options, jwt.ErrTokenRequiredClaimMissing, `("name" claim)`},
		{"alg none", b64(`{"alg":"none","typ":"JWT"}`) + "." + b64(`{"sub":"jane"}`) + ".", hmacKey, options, nil, `algorithm "none" marks an unsigned token`},
		{"alg none with signature", b64(`{"alg":"none"}`) + "." + b64(`{"sub":"jane"}`) + "." + b64("sig"), hmacKey, options, nil, `algorithm "none"`},
		{"hs256 token with rsa key", hmacToken, rsaKey, options,
			jwt.ErrTokenSignatureInvalid, `algorithm "HS256" does not match the key (an RSA key verifies RS256, RS384 and RS512)`},
		{"rs256 token with shared secret", sign(rsaKey), hmacKey, options,
			jwt.ErrTokenSignatureInvalid, `algorithm "RS256" does not match the key (a shared secret verifies HS256, HS384 and HS512)`},
		{"es384 token with p256 key", craftToken(t, `{"alg":"ES384"}`, valid, jwt.SigningMethodES384, fixtures.p384), p256Key, options,
			jwt.ErrTokenSignatureInvalid, `algorithm "ES384" does not match the key (an ECDSA P-256 key verifies ES256 only)`},
		{"ps256 token with rsa key", craftToken(t, `{"alg":"PS256"}`, valid, jwt.SigningMethodPS256, fixtures.rsa2048), rsaKey, options,
			jwt.ErrTokenSignatureInvalid, `algorithm "PS256" does not match the key`},
		{"unknown alg", b64(`{"alg":"XY999"}`) + "." + b64(`{}`) + "." + b64("sig"), hmacKey, options, jwt.ErrTokenSignatureInvalid, `algorithm "XY999" does not match`},
		{"two segments", headerAndClaims, hmacKey, options, nil, `invalid token: found 2 segments`},
		{"bad claims json", b64(`{"alg":"HS256"}`) + "." + b64("[") + "." + b64("sig"), hmacKey, options, nil, "invalid token claims (2nd segment): not valid JSON"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.token, tt.key, tt.options)

			if tt.want == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}

				return
			}

			if err == nil {
				t.Fatalf("Verify succeeded, want an error containing %q", tt.want)
			}

			var verifyError *VerifyError
			if !errors.As(err, &verifyError) {
				t.Fatalf("error %q is %T, want *VerifyError", err, err)
			}

			if !strings.Contains(verifyError.Reason, tt.want) {
				t.Errorf("Reason %q does not contain %q", verifyError.Reason, tt.want)
			}

			if err.Error() != verifyError.Reason {
				t.Errorf("Error() = %q, want the Reason %q", err.Error(), verifyError.Reason)
			}

			if tt.target != nil && !errors.Is(err, tt.target) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.target)
			}

			if tt.target == nil {
				var decodeError *DecodeError
				if !errors.As(err, &decodeError) {
					t.Errorf("error %q does not wrap a *DecodeError", err)
				}
			}

			checkDecodeError(t, err, CleanToken(tt.token))
		})
	}
}

func TestVerifyUsesClockWhenNowIsZero(t *testing.T) {
	secret := []byte("verify-test-secret-0123456789abc")
	key, _, err := SharedSecretKey(secret, "test")
	if err != nil {
		t.Fatal(err)
	}

	claims := sampleClaims()
	claims.IssuedAt = time.Now().Add(-time.Minute).Unix()
	claims.ExpiresAt = time.Now().Add(time.Hour).Unix()

	token, err := Sign(claims, key)
	if err != nil {
		t.Fatal(err)
	}

	if err := Verify(token, key, VerifyOptions{Issuer: claims.Issuer}); err != nil {
		t.Errorf("Verify of a fresh token at the current time: %v", err)
	}

	claims.ExpiresAt = time.Now().Add(-time.Minute).Unix()

	token, err = Sign(claims, key)
	if err != nil {
		t.Fatal(err)
	}

	if err := Verify(token, key, VerifyOptions{Issuer: claims.Issuer}); !errors.Is(err, jwt.ErrTokenExpired) {
		t.Errorf("Verify of a token that expired a minute ago = %v, want jwt.ErrTokenExpired", err)
	}
}

func TestVerifyKeyErrors(t *testing.T) {
	fixtures := loadKeyFixtures()
	token := b64(`{"alg":"ES256"}`) + "." + b64(`{}`) + "." + b64("sig")

	tests := []struct {
		name string
		key  Key
		want string
	}{
		{"zero key", Key{}, "verify token: no key loaded"},
		{"empty secret", Key{Method: jwt.SigningMethodHS256, Verify: []byte{}}, "shared secret is empty"},
		{"p224 key", Key{Method: jwt.SigningMethodES256, Verify: &fixtures.p224.PublicKey}, "curve P-224 are not supported"},
		{"private key as verify key", Key{Method: jwt.SigningMethodES256, Verify: fixtures.p256}, "key type *ecdsa.PrivateKey is not supported"},
		{"nil rsa public key", Key{Method: jwt.SigningMethodRS256, Verify: (*rsa.PublicKey)(nil)}, "the RSA public key is empty"},
		{"zero rsa public key", Key{Method: jwt.SigningMethodRS256, Verify: &rsa.PublicKey{}}, "the RSA public key is empty"},
		{"nil ecdsa public key", Key{Method: jwt.SigningMethodES256, Verify: (*ecdsa.PublicKey)(nil)}, "the ECDSA public key is empty"},
		{"zero ecdsa public key", Key{Method: jwt.SigningMethodES256, Verify: &ecdsa.PublicKey{}}, "the ECDSA public key is empty"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(token, tt.key, VerifyOptions{Now: verifyTestNow})
			if err == nil {
				t.Fatalf("Verify succeeded, want an error containing %q", tt.want)
			}

			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}

			var verifyError *VerifyError
			if errors.As(err, &verifyError) {
				t.Errorf("error %q is a *VerifyError, but the key is at fault, not the token", err)
			}
		})
	}
}

func TestFormatSpan(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{900 * time.Millisecond, "0s"},
		{12 * time.Second, "12s"},
		{time.Minute, "1m"},
		{5*time.Minute + 30*time.Second, "5m30s"},
		{2 * time.Hour, "2h"},
		{2*time.Hour + 5*time.Minute + 9*time.Second, "2h5m"},
		{24 * time.Hour, "1d"},
		{75 * time.Hour, "3d3h"},
		{-90 * time.Second, "1m30s"},
	}

	for _, tt := range tests {
		if got := formatSpan(tt.in); got != tt.want {
			t.Errorf("formatSpan(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzVerify(f *testing.F) {
	secret := []byte("verify-test-secret-0123456789abc")
	key, _, err := SharedSecretKey(secret, "test")
	if err != nil {
		f.Fatal(err)
	}

	claims := sampleClaims()
	claims.IssuedAt = verifyTestNow.Unix()
	claims.ExpiresAt = verifyTestNow.Add(time.Hour).Unix()

	token, err := Sign(claims, key)
	if err != nil {
		f.Fatal(err)
	}

	f.Add(token)
	f.Add("Bearer " + token)
	f.Add(b64(`{"alg":"HS256"}`) + "." + b64(`{"exp":"x"}`) + ".c2ln")
	f.Add(b64(`{"alg":"RS256"}`) + "." + b64(`{}`) + ".c2ln")
	f.Add("")

	f.Fuzz(func(t *testing.T, token string) {
		err := Verify(token, key, VerifyOptions{Issuer: claims.Issuer, Now: verifyTestNow})
		if err == nil {
			return
		}

		if strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("error %q is not a single line", err)
		}

		var verifyError *VerifyError
		if !errors.As(err, &verifyError) {
			t.Errorf("error %q is %T, want *VerifyError", err, err)
		}
	})
}
