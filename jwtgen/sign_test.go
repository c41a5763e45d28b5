package jwtgen

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// signTestSecret is a 32-byte shared secret, the HS256 minimum.
var signTestSecret = []byte("pxauth-test-secret-0123456789abc")

func sampleClaims() Claims {
	return Claims{
		Email:     "jane@example.com",
		ExpiresAt: 1767312000,
		Groups:    []string{"*"},
		IssuedAt:  1767225600,
		Issuer:    "openstorage.io",
		Name:      "Jane <Admin> & Co",
		Roles:     []string{"system.admin", "system.user"},
		Subject:   "jane@example.com/jane",
	}
}

// signTestKeys returns a key of every algorithm Sign is used with, and the
// public key go-jose verifies each with.
func signTestKeys(t testing.TB) []struct {
	key       Key
	algorithm jose.SignatureAlgorithm
	verify    any
} {
	t.Helper()

	fixtures := loadKeyFixtures()

	hmacKey, _, err := SharedSecretKey(signTestSecret, "test")
	if err != nil {
		t.Fatal(err)
	}

	rsaKey, err := ParseRSAPrivateKey(pkcs8PEM(fixtures.rsa2048), "rsa.pem")
	if err != nil {
		t.Fatal(err)
	}

	var keys []struct {
		key       Key
		algorithm jose.SignatureAlgorithm
		verify    any
	}

	add := func(key Key, algorithm jose.SignatureAlgorithm, verify any) {
		keys = append(keys, struct {
			key       Key
			algorithm jose.SignatureAlgorithm
			verify    any
		}{key, algorithm, verify})
	}

	add(hmacKey, jose.HS256, signTestSecret)
	add(rsaKey, jose.RS256, &fixtures.rsa2048.PublicKey)

	for _, ec := range []struct {
		key       *ecdsa.PrivateKey
		algorithm jose.SignatureAlgorithm
	}{
		{fixtures.p256, jose.ES256},
		{fixtures.p384, jose.ES384},
		{fixtures.p521, jose.ES512},
	} {
		key, err := ParseECDSAPrivateKey(sec1PEM(ec.key), "ec.pem")
		if err != nil {
			t.Fatal(err)
		}

		add(key, ec.algorithm, &ec.key.PublicKey)
	}

	return keys
}

func decodeJSONMap(t *testing.T, data []byte) map[string]any {
	t.Helper()

	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()

	var object map[string]any
	if err := decoder.Decode(&object); err != nil {
		t.Fatalf("decode %q: %v", data, err)
	}

	return object
}

func TestSignVerifiedByGoJose(t *testing.T) {
	claims := sampleClaims()

	want, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range signTestKeys(t) {
		t.Run(string(tt.algorithm), func(t *testing.T) {
			token, err := Sign(claims, tt.key)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}

			signed, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{tt.algorithm})
			if err != nil {
				t.Fatalf("go-jose cannot parse the token: %v", err)
			}

			payload, err := signed.Verify(tt.verify)
			if err != nil {
				t.Fatalf("go-jose rejects the signature: %v", err)
			}

			if got, want := decodeJSONMap(t, payload), decodeJSONMap(t, want); !reflect.DeepEqual(got, want) {
				t.Errorf("claims = %v, want %v", got, want)
			}

			header, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
			if err != nil {
				t.Fatalf("decode header: %v", err)
			}

			if want := `{"alg":"` + string(tt.algorithm) + `","typ":"JWT"}`; string(header) != want {
				t.Errorf("header = %s, want %s", header, want)
			}
		})
	}
}

func TestSignClaimsJSON(t *testing.T) {
	key, _, err := SharedSecretKey(signTestSecret, "test")
	if err != nil {
		t.Fatal(err)
	}

	claims := sampleClaims()
	claims.Groups = nil
	claims.Roles = nil

	token, err := Sign(claims, key)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}

	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	if err != nil {
		t.Fatalf("decode claims: %v", err)
	}

	tests := []struct {
		name string
		want string
	}{
		{"groups empty array", `"groups":[]`},
		{"roles empty array", `"roles":[]`},
		{"exp integer", `"exp":1767312000`},
		{"iat integer", `"iat":1767225600`},
		{"keys in order", `{"email":"jane@example.com","exp":`},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(string(payload), tt.want) {
				t.Errorf("claims %s do not contain %s", payload, tt.want)
			}
		})
	}

	if claims.Groups != nil || claims.Roles != nil {
		t.Error("Sign changed the caller's claims")
	}
}

func TestSignVerifiedByGolangJWT(t *testing.T) {
	claims := sampleClaims()

	for _, tt := range signTestKeys(t) {
		t.Run(string(tt.algorithm), func(t *testing.T) {
			token, err := Sign(claims, tt.key)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}

			parser := jwt.NewParser(jwt.WithValidMethods([]string{string(tt.algorithm)}), jwt.WithoutClaimsValidation())
			parsed, err := parser.Parse(token, func(*jwt.Token) (any, error) { return tt.key.Verify, nil })
			if err != nil {
				t.Fatalf("golang-jwt rejects the token: %v", err)
			}

			if subject, _ := parsed.Claims.GetSubject(); subject != claims.Subject {
				t.Errorf("sub = %q, want %q", subject, claims.Subject)
			}
		})
	}
}

func TestSignErrors(t *testing.T) {
	fixtures := loadKeyFixtures()

	tests := []struct {
		name string
		key  Key
		want string
	}{
		{"zero key", Key{}, "no key loaded"},
		{"method without key", Key{Method: jwt.SigningMethodHS256}, "no key loaded"},
		{"none", Key{Method: jwt.SigningMethodNone, Sign: jwt.UnsafeAllowNoneSignatureType}, `algorithm "none" is not supported`},
		{"ps256", Key{Method: jwt.SigningMethodPS256, Sign: fixtures.rsa2048}, `algorithm "PS256" is not supported`},
		{"eddsa", Key{Method: jwt.SigningMethodEdDSA, Sign: fixtures.ed25519}, `algorithm "EdDSA" is not supported`},
		{"hs256 with rsa key", Key{Method: jwt.SigningMethodHS256, Sign: fixtures.rsa2048}, "HS256 needs a shared secret"},
		{"hs256 empty secret", Key{Method: jwt.SigningMethodHS256, Sign: []byte{}}, "the secret is empty"},
		{"rs256 with ecdsa key", Key{Method: jwt.SigningMethodRS256, Sign: fixtures.p256}, "RS256 needs an RSA private key"},
		{"es256 with rsa key", Key{Method: jwt.SigningMethodES256, Sign: fixtures.rsa2048}, "ES256 needs an ECDSA private key"},
		{"es384 with p256 key", Key{Method: jwt.SigningMethodES384, Sign: fixtures.p256}, "ES384 needs a P-384 key, but the key is on P-256"},
		{"es256 with p521 key", Key{Method: jwt.SigningMethodES256, Sign: fixtures.p521}, "ES256 needs a P-256 key, but the key is on P-521"},
		{"verify-only rsa key", Key{Method: jwt.SigningMethodRS256, Verify: &fixtures.rsa2048.PublicKey}, "the key can only verify tokens"},
		{"verify-only ecdsa key", Key{Method: jwt.SigningMethodES256, Verify: &fixtures.p256.PublicKey}, "load the private key"},
		{"nil rsa key", Key{Method: jwt.SigningMethodRS256, Sign: (*rsa.PrivateKey)(nil)}, "RS256 needs an RSA private key, but the key is empty"},
		{"zero rsa key", Key{Method: jwt.SigningMethodRS256, Sign: &rsa.PrivateKey{}}, "RS256 needs an RSA private key, but the key is empty"},
		{"nil ecdsa key", Key{Method: jwt.SigningMethodES256, Sign: (*ecdsa.PrivateKey)(nil)}, "ES256 needs an ECDSA private key, but the key is empty"},
		{"ecdsa key without curve", Key{Method: jwt.SigningMethodES256, Sign: &ecdsa.PrivateKey{}}, "ES256 needs an ECDSA private key, but the key is empty"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, err := Sign(sampleClaims(), tt.key)
			if err == nil {
				t.Fatalf("Sign returned token of %d bytes, want an error containing %q", len(token), tt.want)
			}

			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}

			if !strings.HasPrefix(err.Error(), "sign token: ") {
				t.Errorf("error %q does not start with \"sign token: \"", err)
			}

			if token != "" {
				t.Errorf("token = %q with an error, want \"\"", token)
			}
		})
	}
}

func TestSignSecretNotInError(t *testing.T) {
	secret := []byte("correct-horse-battery-staple-0123")

	_, err := Sign(sampleClaims(), Key{Method: jwt.SigningMethodES256, Sign: secret})
	if err == nil {
		t.Fatal("error = nil, want a key type error")
	}

	if strings.Contains(err.Error(), string(secret)) {
		t.Errorf("error %q contains the secret", err)
	}
}

func TestSignRSAVerifiesWithStandardLibrary(t *testing.T) {
	fixtures := loadKeyFixtures()

	key, err := ParseRSAPrivateKey(pkcs1PEM(fixtures.rsa2048), "rsa.pem")
	if err != nil {
		t.Fatal(err)
	}

	token, err := Sign(sampleClaims(), key)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}

	signingInput := token[:strings.LastIndex(token, ".")]
	signature, err := base64.RawURLEncoding.DecodeString(token[len(signingInput)+1:])
	if err != nil {
		t.Fatal(err)
	}

	digest := sha256.Sum256([]byte(signingInput))
	if err := rsa.VerifyPKCS1v15(&fixtures.rsa2048.PublicKey, crypto.SHA256, digest[:], signature); err != nil {
		t.Errorf("crypto/rsa rejects the RS256 signature: %v", err)
	}
}

func BenchmarkSign(b *testing.B) {
	claims := sampleClaims()

	for _, tt := range signTestKeys(b) {
		if tt.algorithm != jose.HS256 && tt.algorithm != jose.RS256 && tt.algorithm != jose.ES256 {
			continue
		}

		b.Run(string(tt.algorithm), func(b *testing.B) {
			b.ReportAllocs()

			for b.Loop() {
				if _, err := Sign(claims, tt.key); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestEncodedHeader(t *testing.T) {
	for _, alg := range []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"} {
		want := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"` + alg + `","typ":"JWT"}`))

		got, ok := encodedHeader(alg)

		if !ok {
			t.Errorf("encodedHeader(%q) ok = false, want true", alg)
		}
		if got != want {
			t.Errorf("encodedHeader(%q) = %q, want %q", alg, got, want)
		}
	}
	for _, alg := range []string{"PS256", "EdDSA", "none", "hs256", ""} {
		if got, ok := encodedHeader(alg); ok {
			t.Errorf("encodedHeader(%q) = %q, true; want false", alg, got)
		}
	}
}
