package jwtgen

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// encodedHeader returns the base64url JOSE header {"alg":ALG,"typ":"JWT"}
// of alg. ok is false for an algorithm Sign does not accept. Sign accepts
// the HS, RS and ES families that OpenStorage servers verify and leaves out
// PS, EdDSA and none, which the servers reject. The headers are constants
// (TestEncodedHeader checks them against encoding/base64), so neither
// signing nor package initialization does header work.
func encodedHeader(alg string) (header string, ok bool) {
	switch alg {
	case "HS256":
		return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", true
	case "HS384":
		return "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9", true
	case "HS512":
		return "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9", true
	case "RS256":
		return "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", true
	case "RS384":
		return "eyJhbGciOiJSUzM4NCIsInR5cCI6IkpXVCJ9", true
	case "RS512":
		return "eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9", true
	case "ES256":
		return "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9", true
	case "ES384":
		return "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCJ9", true
	case "ES512":
		return "eyJhbGciOiJFUzUxMiIsInR5cCI6IkpXVCJ9", true
	}
	return "", false
}

// maxSignatureBytes is the longest signature of the algorithms that
// encodedHeader accepts, which Sign preallocates for: 512 bytes for a
// 4096-bit RSA key. Longer signatures still work but cost one more
// allocation.
const maxSignatureBytes = 512

// Sign encodes the claims as JSON and signs them with k. The header is
// exactly {"alg":ALG,"typ":"JWT"}, and nil Groups or Roles are encoded as
// empty arrays. The claims are not validated here.
//
// Sign encodes the claims with encoding/json itself and calls golang-jwt
// only for the signature, which skips the header map and claims interface
// work of jwt.NewWithClaims.
func Sign(c Claims, k Key) (string, error) {
	if k.Method != nil && k.Sign == nil && k.Verify != nil {
		return "", fmt.Errorf("sign token: %w", errVerifyOnlyKey)
	}

	if k.Method == nil || k.Sign == nil {
		return "", fmt.Errorf("sign token: %w", errNoKey)
	}

	alg := k.Method.Alg()
	header, ok := encodedHeader(alg)
	if !ok {
		return "", fmt.Errorf("sign token: algorithm %s is not supported; use HS256, RS256, ES256, ES384 or ES512", quoteLimited(alg))
	}

	if err := checkSigningKey(k); err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}

	if c.Groups == nil {
		c.Groups = []string{}
	}
	if c.Roles == nil {
		c.Roles = []string{}
	}

	payload, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("sign token: encode claims: %w", err)
	}

	encoding := base64.RawURLEncoding
	size := len(header) + 1 + encoding.EncodedLen(len(payload)) + 1 + encoding.EncodedLen(maxSignatureBytes)
	token := make([]byte, 0, size)
	token = append(token, header...)
	token = append(token, '.')
	token = encoding.AppendEncode(token, payload)

	signature, err := k.Method.Sign(string(token), k.Sign)
	if err != nil {
		return "", fmt.Errorf("sign token with %s: %w", alg, err)
	}

	token = append(token, '.')
	token = encoding.AppendEncode(token, signature)

	return string(token), nil
}

// checkSigningKey checks that the signing key has the type, and for ECDSA
// the curve, that k.Method needs. golang-jwt reports only "key is invalid"
// for a curve that does not match.
func checkSigningKey(k Key) error {
	alg := k.Method.Alg()

	switch method := k.Method.(type) {
	case *jwt.SigningMethodHMAC:
		secret, ok := k.Sign.([]byte)
		if !ok {
			return fmt.Errorf("%s needs a shared secret ([]byte), not %T", alg, k.Sign)
		}
		if len(secret) == 0 {
			return fmt.Errorf("%s needs a shared secret, but the secret is empty", alg)
		}

	case *jwt.SigningMethodRSA:
		key, ok := k.Sign.(*rsa.PrivateKey)
		if !ok {
			return fmt.Errorf("%s needs an RSA private key, not %T", alg, k.Sign)
		}
		if key == nil || key.N == nil {
			return fmt.Errorf("%s needs an RSA private key, but the key is empty", alg)
		}

	case *jwt.SigningMethodECDSA:
		key, ok := k.Sign.(*ecdsa.PrivateKey)
		if !ok {
			return fmt.Errorf("%s needs an ECDSA private key, not %T", alg, k.Sign)
		}
		if key == nil || key.Curve == nil {
			return fmt.Errorf("%s needs an ECDSA private key, but the key is empty", alg)
		}

		bits := key.Curve.Params().BitSize
		if bits != method.CurveBits {
			return fmt.Errorf("%s needs a P-%d key, but the key is on %s", alg, method.CurveBits, key.Curve.Params().Name)
		}

	default:
		return fmt.Errorf("signing method %T is not supported", k.Method)
	}

	return nil
}
