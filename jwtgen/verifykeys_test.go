package jwtgen

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// selfSignedPEM returns a self-signed certificate for key, as
// `openssl req -x509` writes it.
func selfSignedPEM(key crypto.Signer) []byte {
	template := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "pxauth verify test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}

	return pemBytes("CERTIFICATE", mustDER(x509.CreateCertificate(rand.Reader, template, template, key.Public(), key)), nil)
}

func pkcs1PublicPEM(key *rsa.PublicKey) []byte {
	return pemBytes("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(key), nil)
}

// publicKeyInfoDER builds a SubjectPublicKeyInfo under any algorithm OID
// and parameters, for keys crypto/x509 cannot marshal.
func publicKeyInfoDER(algorithm asn1.ObjectIdentifier, parameters []byte, key []byte) []byte {
	identifier := pkix.AlgorithmIdentifier{Algorithm: algorithm}
	if parameters != nil {
		identifier.Parameters = asn1.RawValue{FullBytes: parameters}
	}

	return mustDER(asn1.Marshal(publicKeyInfo{Algorithm: identifier, PublicKey: asn1.BitString{Bytes: key, BitLength: 8 * len(key)}}))
}

// certificateWithKeyDER builds a certificate around any DER
// SubjectPublicKeyInfo. Its signature is random bytes, which the parsers
// do not check.
func certificateWithKeyDER(spki []byte) []byte {
	raw := func(value any) asn1.RawValue {
		return asn1.RawValue{FullBytes: mustDER(asn1.Marshal(value))}
	}

	validity := struct{ NotBefore, NotAfter time.Time }{time.Now().UTC().Truncate(time.Second), time.Now().UTC().Add(time.Hour).Truncate(time.Second)}
	signatureAlgorithm := pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}}

	return mustDER(asn1.Marshal(struct {
		TBSCertificate struct {
			Version      int `asn1:"explicit,tag:0"`
			SerialNumber int
			Signature    pkix.AlgorithmIdentifier
			Issuer       asn1.RawValue
			Validity     asn1.RawValue
			Subject      asn1.RawValue
			PublicKey    asn1.RawValue
		}
		SignatureAlgorithm pkix.AlgorithmIdentifier
		Signature          asn1.BitString
	}{
		TBSCertificate: struct {
			Version      int `asn1:"explicit,tag:0"`
			SerialNumber int
			Signature    pkix.AlgorithmIdentifier
			Issuer       asn1.RawValue
			Validity     asn1.RawValue
			Subject      asn1.RawValue
			PublicKey    asn1.RawValue
		}{2, 3, signatureAlgorithm, raw(pkix.Name{}.ToRDNSequence()), raw(validity), raw(pkix.Name{}.ToRDNSequence()), asn1.RawValue{FullBytes: spki}},
		SignatureAlgorithm: signatureAlgorithm,
		Signature:          asn1.BitString{Bytes: randomBytes(64), BitLength: 512},
	}))
}

// checkVerifyOnlyKey checks that key is a verify-only Key for want.
func checkVerifyOnlyKey(t *testing.T, key Key, algorithm string, want crypto.PublicKey) {
	t.Helper()

	if got := key.Algorithm(); got != algorithm {
		t.Errorf("Algorithm() = %q, want %q", got, algorithm)
	}

	if key.Sign != nil {
		t.Errorf("Sign is %T, want nil", key.Sign)
	}

	public, ok := key.Verify.(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		t.Fatalf("Verify is %T, want a public key", key.Verify)
	}

	if !public.Equal(want) {
		t.Error("Verify is not the public key in the file")
	}
}

func TestParseRSAVerifyKeyValid(t *testing.T) {
	keys := loadKeyFixtures()
	public := &keys.rsa2048.PublicKey
	pkix := publicKeyPEM(public)
	certificate := selfSignedPEM(keys.rsa2048)
	trusted := pemBytes("TRUSTED CERTIFICATE", concat(pemDER(certificate), mustDER(asn1.Marshal([]int{1}))), nil)

	tests := []struct {
		name string
		data []byte
	}{
		{"pkix", pkix},
		{"pkcs1", pkcs1PublicPEM(public)},
		{"pkix under pkcs1 label", pemBytes("RSA PUBLIC KEY", mustDER(x509.MarshalPKIXPublicKey(public)), nil)},
		{"pkcs1 under pkix label", pemBytes("PUBLIC KEY", x509.MarshalPKCS1PublicKey(public), nil)},
		{"pkix crlf", toCRLF(pkix)},
		{"pkcs1 bom", withBOM(pkcs1PublicPEM(public))},
		{"pkix bom crlf", withBOM(toCRLF(pkix))},
		{"text around block", concat([]byte("subject=CN = signer\n"), pkix, []byte("end of file\n"))},
		{"no final newline", bytes.TrimSuffix(pkix, []byte("\n"))},
		{"certificate", certificate},
		{"certificate crlf bom", withBOM(toCRLF(certificate))},
		{"chain leaf first", concat(certificate, selfSignedPEM(keys.rsaOther))},
		{"x509 certificate label", pemBytes("X509 CERTIFICATE", pemDER(certificate), nil)},
		{"trusted certificate", trusted},
		{"pkcs1 private key", pkcs1PEM(keys.rsa2048)},
		{"pkcs8 private key", pkcs8PEM(keys.rsa2048)},
		{"private key wins over certificate", concat(selfSignedPEM(keys.rsaOther), pkcs8PEM(keys.rsa2048))},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseRSAVerifyKey(tt.data, keyTestFile)
			if err != nil {
				t.Fatalf("ParseRSAVerifyKey: %v", err)
			}

			checkVerifyOnlyKey(t, key, "RS256", public)
		})
	}
}

// pemDER returns the bytes of the first PEM block in data.
func pemDER(data []byte) []byte {
	block, _ := pem.Decode(data)
	if block == nil {
		panic("no PEM block")
	}

	return block.Bytes
}

func TestParseRSAVerifyKeyErrors(t *testing.T) {
	keys := loadKeyFixtures()
	public := &keys.rsa2048.PublicKey
	certificate := selfSignedPEM(keys.rsa2048)
	quoted := "'" + keyTestFile + "'"

	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", nil, []string{"is empty", "public key, certificate or private key"}},
		{"only whitespace", []byte(" \r\n\t"), []string{"is empty"}},
		{"only bom", []byte("\xef\xbb\xbf"), []string{"is empty"}},
		{"garbage", []byte("this is not a key\n"), []string{"is not a PEM file", "-----BEGIN PUBLIC KEY-----", "-----BEGIN CERTIFICATE-----"}},
		{"binary garbage", append([]byte{0x01}, randomBytes(64)...), []string{"is not a PEM file"}},
		{"der public key", mustDER(x509.MarshalPKIXPublicKey(public)), []string{"binary DER public key", "openssl pkey -pubin -inform DER -in " + quoted + " -out converted.pem"}},
		{"der pkcs1 public key", x509.MarshalPKCS1PublicKey(public), []string{"binary DER public key"}},
		{"der certificate", pemDER(certificate), []string{"binary DER certificate", "openssl x509 -inform DER -in " + quoted + " -out converted.pem"}},
		{"der private key", x509.MarshalPKCS1PrivateKey(keys.rsa2048), []string{"binary DER, not PEM", "openssl pkey -inform DER"}},
		{"begin line only", []byte("-----BEGIN PUBLIC KEY-----\nMIIB\n"), []string{"no complete PEM block"}},
		{"truncated certificate after key", concat(publicKeyPEM(public), truncate(certificate)), []string{"truncated or damaged"}},
		{"truncated private key", truncate(pkcs1PEM(keys.rsa2048)), []string{"truncated or damaged"}},
		{"damaged public key", dropBodyLines(publicKeyPEM(public)), []string{"is not a valid public key", "export the public key again"}},
		{"random public key block", pemBytes("PUBLIC KEY", randomBytes(40), nil), []string{`the "PUBLIC KEY" block in key file`, "is not a valid public key"}},
		{"random pkcs1 public key block", pemBytes("RSA PUBLIC KEY", randomBytes(40), nil), []string{`the "RSA PUBLIC KEY" block`}},
		{"damaged rsa key info", pemBytes("PUBLIC KEY", publicKeyInfoDER(oidRSA, []byte{5, 0}, randomBytes(20)), nil), []string{"contains an RSA public key that is not valid", "export the public key again"}},
		{"damaged certificate", pemBytes("CERTIFICATE", randomBytes(100), nil), []string{"contains a certificate that is not valid", "export the certificate again"}},
		{"certificate with damaged key", pemBytes("CERTIFICATE", certificateWithKeyDER(publicKeyInfoDER(oidRSA, []byte{5, 0}, randomBytes(20))), nil), []string{"contains a certificate with an RSA public key that is not valid", "export the certificate again"}},
		{"rsa 1024 public key", publicKeyPEM(&keys.rsa1024.PublicKey), []string{"contains a 1024-bit RSA public key", "at least 2048 bits", "rsa_keygen_bits:2048"}},
		{"rsa 1024 pkcs1 public key", pkcs1PublicPEM(&keys.rsa1024.PublicKey), []string{"1024-bit RSA public key"}},
		{"rsa 1024 certificate", selfSignedPEM(keys.rsa1024), []string{"contains a certificate with a 1024-bit RSA public key", "at least 2048 bits"}},
		{"rsa 1024 private key", pkcs1PEM(keys.rsa1024), []string{"1024-bit RSA key", "at least 2048 bits"}},
		{"ecdsa public key", publicKeyPEM(&keys.p256.PublicKey), []string{"contains an ECDSA public key, not an RSA key", "--ecdsa-private-keyfile"}},
		{"ecdsa certificate", selfSignedPEM(keys.p384), []string{"contains a certificate with an ECDSA public key, not an RSA key", "--ecdsa-private-keyfile"}},
		{"ecdsa private key", sec1PEM(keys.p256), []string{"ECDSA private key", "--ecdsa-private-keyfile"}},
		{"secp256k1 public key", pemBytes("PUBLIC KEY", publicKeyInfoDER(oidECPublic, mustDER(asn1.Marshal(oidSecp256k1)), randomBytes(65)), nil), []string{"--ecdsa-private-keyfile"}},
		{"ed25519 public key", publicKeyPEM(keys.ed25519.Public()), []string{"contains a public key of type Ed25519", "does not accept", "RSA or ECDSA"}},
		{"ed25519 certificate", selfSignedPEM(keys.ed25519), []string{"contains a certificate with a public key of type Ed25519"}},
		{"x25519 public key", publicKeyPEM(keys.x25519.PublicKey()), []string{"type X25519"}},
		{"rsa-pss public key", pemBytes("PUBLIC KEY", publicKeyInfoDER(oidRSAPSS, nil, randomBytes(20)), nil), []string{"type RSASSA-PSS"}},
		{"unknown algorithm", pemBytes("PUBLIC KEY", publicKeyInfoDER(asn1.ObjectIdentifier{1, 2, 3, 4}, nil, randomBytes(20)), nil), []string{"unknown algorithm 1.2.3.4"}},
		{"two public keys", concat(publicKeyPEM(public), pkcs1PublicPEM(&keys.rsaOther.PublicKey)), []string{"contains 2 public keys"}},
		{"public key and certificate", concat(certificate, publicKeyPEM(public)), []string{"both a public key and a certificate"}},
		{"ec parameters only", ecParametersPEM(oidP256), []string{"EC parameters but no key"}},
		{"certificate request", pemBytes("CERTIFICATE REQUEST", randomBytes(64), nil), []string{`only a PEM block of type "CERTIFICATE REQUEST"`}},
		{"encrypted private key", pemBytes("ENCRYPTED PRIVATE KEY", randomBytes(128), nil), []string{"encrypted private key", "openssl pkey -in " + quoted}},
		{"two private keys", concat(pkcs1PEM(keys.rsa2048), pkcs8PEM(keys.rsaOther)), []string{"2 private keys"}},
		{"openssh public key", []byte("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host\n"), []string{"OpenSSH public key", "ssh-keygen -e -m PKCS8 -f " + quoted + " > converted.pem"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseRSAVerifyKey(tt.data, keyTestFile)

			checkKeyError(t, err, tt.data, tt.want)

			if !isZeroKey(key) {
				t.Errorf("key = %v, want the zero Key", key)
			}
		})
	}
}

func TestParseECDSAVerifyKeyValid(t *testing.T) {
	keys := loadKeyFixtures()
	p256 := publicKeyPEM(&keys.p256.PublicKey)

	tests := []struct {
		name      string
		data      []byte
		key       *ecdsa.PrivateKey
		algorithm string
	}{
		{"p256 public key", p256, keys.p256, "ES256"},
		{"p384 public key", publicKeyPEM(&keys.p384.PublicKey), keys.p384, "ES384"},
		{"p521 public key", publicKeyPEM(&keys.p521.PublicKey), keys.p521, "ES512"},
		{"p256 certificate", selfSignedPEM(keys.p256), keys.p256, "ES256"},
		{"p384 certificate", selfSignedPEM(keys.p384), keys.p384, "ES384"},
		{"p521 certificate", selfSignedPEM(keys.p521), keys.p521, "ES512"},
		{"crlf", toCRLF(p256), keys.p256, "ES256"},
		{"bom", withBOM(p256), keys.p256, "ES256"},
		{"bom crlf certificate", withBOM(toCRLF(selfSignedPEM(keys.p384))), keys.p384, "ES384"},
		{"ec parameters first", concat(ecParametersPEM(oidP256), p256), keys.p256, "ES256"},
		{"chain leaf first", concat(selfSignedPEM(keys.p256), selfSignedPEM(keys.p384), selfSignedPEM(keys.rsa2048)), keys.p256, "ES256"},
		{"sec1 private key", sec1PEM(keys.p256), keys.p256, "ES256"},
		{"pkcs8 private key", pkcs8PEM(keys.p521), keys.p521, "ES512"},
		{"private key with ec parameters", concat(ecParametersPEM(oidP384), sec1PEM(keys.p384)), keys.p384, "ES384"},
		{"private key wins over public key", concat(publicKeyPEM(&keys.p256Other.PublicKey), sec1PEM(keys.p256)), keys.p256, "ES256"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseECDSAVerifyKey(tt.data, keyTestFile)
			if err != nil {
				t.Fatalf("ParseECDSAVerifyKey: %v", err)
			}

			checkVerifyOnlyKey(t, key, tt.algorithm, &tt.key.PublicKey)
		})
	}
}

func TestParseECDSAVerifyKeyErrors(t *testing.T) {
	keys := loadKeyFixtures()
	quoted := "'" + keyTestFile + "'"
	p256Parameters := mustDER(asn1.Marshal(oidP256))
	explicitParameters := mustDER(asn1.Marshal(struct{ FieldType int }{1}))
	secp256k1 := publicKeyInfoDER(oidECPublic, mustDER(asn1.Marshal(oidSecp256k1)), randomBytes(65))

	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", []byte{}, []string{"is empty"}},
		{"garbage", []byte("-----BEGIN\n"), []string{"truncated or damaged"}},
		{"p224 public key", publicKeyPEM(&keys.p224.PublicKey), []string{"contains an ECDSA public key on the elliptic curve P-224", "ES256 uses P-256"}},
		{"p224 certificate", selfSignedPEM(keys.p224), []string{"contains a certificate with an ECDSA public key on the elliptic curve P-224"}},
		{"p224 private key", sec1PEM(keys.p224), []string{"curve P-224", "openssl ecparam -name prime256v1 -genkey -noout"}},
		{"secp256k1 public key", pemBytes("PUBLIC KEY", secp256k1, nil), []string{"curve secp256k1"}},
		{"secp256k1 certificate", pemBytes("CERTIFICATE", certificateWithKeyDER(secp256k1), nil), []string{"certificate with an ECDSA public key on the elliptic curve secp256k1"}},
		{"brainpool public key", pemBytes("PUBLIC KEY", publicKeyInfoDER(oidECPublic, mustDER(asn1.Marshal(oidBrainpool2)), randomBytes(97)), nil), []string{"curve brainpoolP384r1"}},
		{"unknown curve", pemBytes("PUBLIC KEY", publicKeyInfoDER(oidECPublic, mustDER(asn1.Marshal(asn1.ObjectIdentifier{1, 2, 3, 4, 5})), randomBytes(65)), nil), []string{"curve OID 1.2.3.4.5"}},
		{"explicit curve public key", pemBytes("PUBLIC KEY", publicKeyInfoDER(oidECPublic, explicitParameters, randomBytes(65)), nil),
			[]string{"contains an EC public key that has explicit curve parameters", "openssl ec -pubin -in " + quoted + " -param_enc named_curve -pubout -out converted.pem"}},
		{"explicit curve certificate", pemBytes("CERTIFICATE", certificateWithKeyDER(publicKeyInfoDER(oidECPublic, explicitParameters, randomBytes(65))), nil),
			[]string{"contains a certificate with an EC public key that has explicit curve parameters", "openssl x509 -in " + quoted + " -pubkey -noout -out public.pem"}},
		{"no curve", pemBytes("PUBLIC KEY", publicKeyInfoDER(oidECPublic, nil, randomBytes(65)), nil), []string{"EC public key that does not name its curve"}},
		{"damaged p256 point", pemBytes("PUBLIC KEY", publicKeyInfoDER(oidECPublic, p256Parameters, randomBytes(65)), nil), []string{"contains an ECDSA public key that is not valid"}},
		{"rsa public key", publicKeyPEM(&keys.rsa2048.PublicKey), []string{"contains an RSA public key, not an ECDSA key", "--rsa-private-keyfile"}},
		{"rsa pkcs1 public key", pkcs1PublicPEM(&keys.rsa2048.PublicKey), []string{"--rsa-private-keyfile"}},
		{"rsa 1024 public key", publicKeyPEM(&keys.rsa1024.PublicKey), []string{"--rsa-private-keyfile"}},
		{"rsa certificate", selfSignedPEM(keys.rsa2048), []string{"contains a certificate with an RSA public key, not an ECDSA key", "--rsa-private-keyfile"}},
		{"rsa private key", pkcs1PEM(keys.rsa2048), []string{"RSA private key", "--rsa-private-keyfile"}},
		{"ed25519 public key", publicKeyPEM(keys.ed25519.Public()), []string{"type Ed25519", "does not accept"}},
		{"two public keys", concat(publicKeyPEM(&keys.p256.PublicKey), publicKeyPEM(&keys.p256Other.PublicKey)), []string{"contains 2 public keys"}},
		{"ecdsa openssh public key", []byte("ecdsa-sha2-nistp256 AAAAE2VjZHNh user@host\n"), []string{"OpenSSH public key", "ssh-keygen -e -m PKCS8"}},
		{"der certificate", pemDER(selfSignedPEM(keys.p256)), []string{"binary DER certificate"}},
		{"encrypted private key", encryptedPEM("EC PRIVATE KEY", mustDER(x509.MarshalECPrivateKey(keys.p256))), []string{"encrypted private key"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseECDSAVerifyKey(tt.data, keyTestFile)

			checkKeyError(t, err, tt.data, tt.want)

			if !isZeroKey(key) {
				t.Errorf("key = %v, want the zero Key", key)
			}
		})
	}
}

func TestVerifyWithVerifyKey(t *testing.T) {
	keys := loadKeyFixtures()

	privateKey := func(parse func([]byte, string) (Key, error), data []byte) Key {
		key, err := parse(data, keyTestFile)
		if err != nil {
			t.Fatal(err)
		}

		return key
	}

	rsaKey := privateKey(ParseRSAPrivateKey, pkcs1PEM(keys.rsa2048))
	p256Key := privateKey(ParseECDSAPrivateKey, sec1PEM(keys.p256))
	p384Key := privateKey(ParseECDSAPrivateKey, pkcs8PEM(keys.p384))
	p521Key := privateKey(ParseECDSAPrivateKey, sec1PEM(keys.p521))

	claims := sampleClaims()
	claims.Issuer = verifyTestIssuer
	claims.IssuedAt = verifyTestNow.Unix()
	claims.ExpiresAt = verifyTestNow.Add(time.Hour).Unix()
	options := VerifyOptions{Issuer: verifyTestIssuer, Now: verifyTestNow}

	tests := []struct {
		name   string
		signer Key
		parse  func([]byte, string) (Key, error)
		data   []byte
		target error
	}{
		{"rsa pkix public key", rsaKey, ParseRSAVerifyKey, publicKeyPEM(&keys.rsa2048.PublicKey), nil},
		{"rsa pkcs1 public key", rsaKey, ParseRSAVerifyKey, pkcs1PublicPEM(&keys.rsa2048.PublicKey), nil},
		{"rsa certificate", rsaKey, ParseRSAVerifyKey, selfSignedPEM(keys.rsa2048), nil},
		{"rsa private key file", rsaKey, ParseRSAVerifyKey, pkcs8PEM(keys.rsa2048), nil},
		{"p256 public key", p256Key, ParseECDSAVerifyKey, publicKeyPEM(&keys.p256.PublicKey), nil},
		{"p256 certificate", p256Key, ParseECDSAVerifyKey, selfSignedPEM(keys.p256), nil},
		{"p384 public key", p384Key, ParseECDSAVerifyKey, publicKeyPEM(&keys.p384.PublicKey), nil},
		{"p521 certificate", p521Key, ParseECDSAVerifyKey, selfSignedPEM(keys.p521), nil},
		{"rsa other public key", rsaKey, ParseRSAVerifyKey, publicKeyPEM(&keys.rsaOther.PublicKey), jwt.ErrTokenSignatureInvalid},
		{"rsa other pkcs1 public key", rsaKey, ParseRSAVerifyKey, pkcs1PublicPEM(&keys.rsaOther.PublicKey), jwt.ErrTokenSignatureInvalid},
		{"rsa other certificate", rsaKey, ParseRSAVerifyKey, selfSignedPEM(keys.rsaOther), jwt.ErrTokenSignatureInvalid},
		{"p256 other public key", p256Key, ParseECDSAVerifyKey, publicKeyPEM(&keys.p256Other.PublicKey), jwt.ErrTokenSignatureInvalid},
		{"p256 other certificate", p256Key, ParseECDSAVerifyKey, selfSignedPEM(keys.p256Other), jwt.ErrTokenSignatureInvalid},
		{"p384 token with p256 key", p384Key, ParseECDSAVerifyKey, publicKeyPEM(&keys.p256.PublicKey), jwt.ErrTokenSignatureInvalid},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, err := Sign(claims, tt.signer)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}

			key, err := tt.parse(tt.data, keyTestFile)
			if err != nil {
				t.Fatalf("parse verify key: %v", err)
			}

			err = Verify(token, key, options)

			if tt.target == nil && err != nil {
				t.Errorf("Verify: %v", err)
			}

			if tt.target != nil && !errors.Is(err, tt.target) {
				t.Errorf("Verify error = %v, want %v", err, tt.target)
			}
		})
	}
}

func TestSignWithVerifyKey(t *testing.T) {
	keys := loadKeyFixtures()

	tests := []struct {
		name  string
		parse func([]byte, string) (Key, error)
		data  []byte
	}{
		{"rsa public key", ParseRSAVerifyKey, publicKeyPEM(&keys.rsa2048.PublicKey)},
		{"rsa certificate", ParseRSAVerifyKey, selfSignedPEM(keys.rsa2048)},
		{"rsa private key file", ParseRSAVerifyKey, pkcs1PEM(keys.rsa2048)},
		{"ecdsa public key", ParseECDSAVerifyKey, publicKeyPEM(&keys.p256.PublicKey)},
		{"ecdsa private key file", ParseECDSAVerifyKey, sec1PEM(keys.p384)},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := tt.parse(tt.data, keyTestFile)
			if err != nil {
				t.Fatalf("parse verify key: %v", err)
			}

			token, err := Sign(sampleClaims(), key)
			if err == nil {
				t.Fatalf("Sign returned a token of %d bytes, want an error", len(token))
			}

			if !strings.Contains(err.Error(), "the key can only verify tokens") {
				t.Errorf("error %q does not say the key can only verify", err)
			}
		})
	}
}

func FuzzParseVerifyKey(f *testing.F) {
	keys := loadKeyFixtures()

	seeds := [][]byte{
		nil,
		[]byte("not a key"),
		[]byte("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"),
		publicKeyPEM(&keys.rsa2048.PublicKey),
		pkcs1PublicPEM(&keys.rsa2048.PublicKey),
		toCRLF(withBOM(publicKeyPEM(&keys.p256.PublicKey))),
		selfSignedPEM(keys.rsa2048),
		concat(selfSignedPEM(keys.p384), selfSignedPEM(keys.rsa2048)),
		selfSignedPEM(keys.ed25519),
		publicKeyPEM(&keys.p224.PublicKey),
		publicKeyPEM(&keys.rsa1024.PublicKey),
		pemBytes("PUBLIC KEY", publicKeyInfoDER(oidECPublic, mustDER(asn1.Marshal(oidSecp256k1)), randomBytes(65)), nil),
		pemBytes("CERTIFICATE", certificateWithKeyDER(publicKeyInfoDER(oidECPublic, []byte{0x30, 0}, randomBytes(65))), nil),
		pkcs1PEM(keys.rsa2048),
		sec1PEM(keys.p256),
		mustDER(x509.MarshalPKIXPublicKey(&keys.p256.PublicKey)),
		pemDER(selfSignedPEM(keys.p256)),
		[]byte("ssh-ed25519 AAAA user@host"),
	}
	for _, seed := range seeds {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		parsers := []struct {
			name       string
			parse      func([]byte, string) (Key, error)
			private    func([]byte, string) (Key, error)
			algorithms []string
		}{
			{"rsa", ParseRSAVerifyKey, ParseRSAPrivateKey, []string{"RS256"}},
			{"ecdsa", ParseECDSAVerifyKey, ParseECDSAPrivateKey, []string{"ES256", "ES384", "ES512"}},
		}

		for _, parser := range parsers {
			key, err := parser.parse(data, keyTestFile)
			if err != nil {
				if strings.ContainsAny(err.Error(), "\r\n") {
					t.Errorf("%s: error %q is not a single line", parser.name, err)
				}

				if !isZeroKey(key) {
					t.Errorf("%s: key with error = %v, want the zero Key", parser.name, key)
				}
			}

			if err == nil {
				checkFuzzedVerifyKey(t, parser.name, key, parser.algorithms)
			}

			private, privateErr := parser.private(data, keyTestFile)
			if privateErr == nil && (err != nil || !private.Verify.(interface{ Equal(crypto.PublicKey) bool }).Equal(key.Verify)) {
				t.Errorf("%s: the private key parser accepts the file, but the verify key parser returns %v, %v", parser.name, key, err)
			}
		}
	})
}

// checkFuzzedVerifyKey checks the properties of any Key a verify key
// parser returns.
func checkFuzzedVerifyKey(t *testing.T, parser string, key Key, algorithms []string) {
	t.Helper()

	found := false
	for _, algorithm := range algorithms {
		found = found || key.Algorithm() == algorithm
	}
	if !found {
		t.Errorf("%s: Algorithm() = %q, want one of %q", parser, key.Algorithm(), algorithms)
	}

	if key.Sign != nil {
		t.Errorf("%s: Sign is %T, want nil", parser, key.Sign)
	}

	switch public := key.Verify.(type) {
	case *rsa.PublicKey:
		if public.N.BitLen() < minRSABits {
			t.Errorf("%s: accepted a %d-bit RSA key", parser, public.N.BitLen())
		}

	case *ecdsa.PublicKey:
		if method := curveMethods[public.Curve.Params().Name]; method != key.Method {
			t.Errorf("%s: curve %s with Method %v", parser, public.Curve.Params().Name, key.Method)
		}

	default:
		t.Errorf("%s: Verify is %T, want a public key", parser, key.Verify)
	}
}
