package jwtgen

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"
)

// keyTestFile is the path passed to the parsers; the space checks that
// shell commands in messages quote it.
const keyTestFile = "/etc/px keys/signing.pem"

// keyFixtures are private keys generated once per test binary, because
// generating RSA keys is slow.
type keyFixtures struct {
	rsa2048   *rsa.PrivateKey
	rsaOther  *rsa.PrivateKey
	rsa1024   *rsa.PrivateKey
	p224      *ecdsa.PrivateKey
	p256      *ecdsa.PrivateKey
	p256Other *ecdsa.PrivateKey
	p384      *ecdsa.PrivateKey
	p521      *ecdsa.PrivateKey
	ed25519   ed25519.PrivateKey
	x25519    *ecdh.PrivateKey
}

var loadKeyFixtures = sync.OnceValue(func() keyFixtures {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}

	var keys keyFixtures
	var err error

	keys.rsa2048, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	keys.rsaOther, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	keys.rsa1024, err = rsa.GenerateKey(rand.Reader, 1024)
	must(err)
	keys.p224, err = ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	must(err)
	keys.p256, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	keys.p256Other, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	keys.p384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	must(err)
	keys.p521, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	must(err)
	_, keys.ed25519, err = ed25519.GenerateKey(rand.Reader)
	must(err)
	keys.x25519, err = ecdh.X25519().GenerateKey(rand.Reader)
	must(err)

	return keys
})

func pemBytes(blockType string, der []byte, headers map[string]string) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: blockType, Headers: headers, Bytes: der})
}

func mustDER(der []byte, err error) []byte {
	if err != nil {
		panic(err)
	}

	return der
}

func pkcs1PEM(key *rsa.PrivateKey) []byte {
	return pemBytes("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), nil)
}

func pkcs8PEM(key any) []byte {
	return pemBytes("PRIVATE KEY", mustDER(x509.MarshalPKCS8PrivateKey(key)), nil)
}

func sec1PEM(key *ecdsa.PrivateKey) []byte {
	return pemBytes("EC PRIVATE KEY", mustDER(x509.MarshalECPrivateKey(key)), nil)
}

func publicKeyPEM(key any) []byte {
	return pemBytes("PUBLIC KEY", mustDER(x509.MarshalPKIXPublicKey(key)), nil)
}

// ecParametersPEM is the block `openssl ecparam -genkey` writes before the
// key when -noout is left out: the curve's OID.
func ecParametersPEM(curve asn1.ObjectIdentifier) []byte {
	return pemBytes("EC PARAMETERS", mustDER(asn1.Marshal(curve)), nil)
}

func certificatePEM(key *rsa.PrivateKey) []byte {
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "pxauth test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}

	return pemBytes("CERTIFICATE", mustDER(x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)), nil)
}

// encryptedPEM encrypts a block the legacy OpenSSL way, with a Proc-Type
// header.
func encryptedPEM(blockType string, der []byte) []byte {
	block, err := x509.EncryptPEMBlock(rand.Reader, blockType, der, []byte("password"), x509.PEMCipherAES256)
	if err != nil {
		panic(err)
	}

	return pem.EncodeToMemory(block)
}

func randomBytes(n int) []byte {
	data := make([]byte, n)
	if _, err := rand.Read(data); err != nil {
		panic(err)
	}

	return data
}

// sec1WithCurve builds an SEC 1 key that names any curve OID, for curves
// crypto/ecdsa cannot generate.
func sec1WithCurve(curve asn1.ObjectIdentifier) []byte {
	return mustDER(asn1.Marshal(struct {
		Version    int
		PrivateKey []byte
		Curve      asn1.ObjectIdentifier `asn1:"explicit,tag:0"`
	}{1, randomBytes(32), curve}))
}

// pkcs8WithAlgorithm wraps inner in PKCS #8 under any algorithm OID and
// parameters.
func pkcs8WithAlgorithm(algorithm asn1.ObjectIdentifier, parameters []byte, inner []byte) []byte {
	identifier := pkix.AlgorithmIdentifier{Algorithm: algorithm}
	if parameters != nil {
		identifier.Parameters = asn1.RawValue{FullBytes: parameters}
	}

	return mustDER(asn1.Marshal(pkcs8{Version: 0, Algorithm: identifier, PrivateKey: inner}))
}

func toCRLF(data []byte) []byte {
	return bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
}

func withBOM(data []byte) []byte {
	return append([]byte("\xef\xbb\xbf"), data...)
}

func concat(parts ...[]byte) []byte {
	return bytes.Join(parts, nil)
}

// truncate cuts a PEM file in the middle of its base64 body.
func truncate(data []byte) []byte {
	return data[:len(data)/2]
}

// dropBodyLines removes base64 lines from the middle of a PEM body, which
// leaves a block that decodes to a damaged key.
func dropBodyLines(data []byte) []byte {
	lines := bytes.Split(data, []byte("\n"))
	kept := append([][]byte{}, lines[:3]...)
	kept = append(kept, lines[len(lines)/2:]...)

	return bytes.Join(kept, []byte("\n"))
}

// isZeroKey reports whether k is the zero Key. Key is not comparable with
// == when Sign holds a []byte.
func isZeroKey(k Key) bool {
	return k.Method == nil && k.Sign == nil && k.Verify == nil
}

// checkKeyError checks the rules every key loading error follows.
func checkKeyError(t *testing.T, err error, data []byte, want []string) {
	t.Helper()

	if err == nil {
		t.Fatalf("error = nil, want one containing %q", want)
	}

	message := err.Error()
	for _, fragment := range want {
		if !strings.Contains(message, fragment) {
			t.Errorf("error %q does not contain %q", message, fragment)
		}
	}

	if !strings.Contains(message, `"`+keyTestFile+`"`) {
		t.Errorf("error %q does not name the file %q", message, keyTestFile)
	}

	if strings.ContainsAny(message, "\r\n") {
		t.Errorf("error %q is not a single line", message)
	}

	if message != strings.ToLower(message[:1])+message[1:] {
		t.Errorf("error %q does not start in lower case", message)
	}

	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(message, line) {
			t.Errorf("error %q contains the key file line %q", message, line)
		}
	}
}

func TestParseRSAPrivateKeyValid(t *testing.T) {
	keys := loadKeyFixtures()
	pkcs1 := pkcs1PEM(keys.rsa2048)
	pkcs8 := pkcs8PEM(keys.rsa2048)

	tests := []struct {
		name string
		data []byte
	}{
		{"pkcs1", pkcs1},
		{"pkcs8", pkcs8},
		{"pkcs1 crlf", toCRLF(pkcs1)},
		{"pkcs8 bom", withBOM(pkcs8)},
		{"bom and crlf", withBOM(toCRLF(pkcs1))},
		{"text around block", concat([]byte("Bag Attributes\n    localKeyID: 01 02\n"), pkcs8, []byte("trailing note\n"))},
		{"key then certificate", concat(pkcs1, certificatePEM(keys.rsa2048))},
		{"certificate then key", concat(certificatePEM(keys.rsa2048), pkcs8)},
		{"pkcs8 under pkcs1 label", pemBytes("RSA PRIVATE KEY", mustDER(x509.MarshalPKCS8PrivateKey(keys.rsa2048)), nil)},
		{"no final newline", bytes.TrimSuffix(pkcs1, []byte("\n"))},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseRSAPrivateKey(tt.data, keyTestFile)
			if err != nil {
				t.Fatalf("ParseRSAPrivateKey: %v", err)
			}

			if got := key.Algorithm(); got != "RS256" {
				t.Errorf("Algorithm() = %q, want RS256", got)
			}

			private, ok := key.Sign.(*rsa.PrivateKey)
			if !ok {
				t.Fatalf("Sign is %T, want *rsa.PrivateKey", key.Sign)
			}

			if !private.Equal(keys.rsa2048) {
				t.Error("Sign is not the key in the file")
			}

			public, ok := key.Verify.(*rsa.PublicKey)
			if !ok {
				t.Fatalf("Verify is %T, want *rsa.PublicKey", key.Verify)
			}

			if !public.Equal(&keys.rsa2048.PublicKey) {
				t.Error("Verify is not the public half of the key")
			}
		})
	}
}

func TestParseRSAPrivateKeyErrors(t *testing.T) {
	keys := loadKeyFixtures()
	pkcs1 := pkcs1PEM(keys.rsa2048)
	decrypt := "`openssl pkey -in '" + keyTestFile + "' -out plain.pem`"

	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", nil, []string{"is empty"}},
		{"only whitespace", []byte("\n \r\n\t"), []string{"is empty"}},
		{"only bom", []byte("\xef\xbb\xbf"), []string{"is empty"}},
		{"garbage", []byte("this is not a key\n"), []string{"is not a PEM file", "-----BEGIN"}},
		{"binary garbage", randomBytes(64), []string{"PEM"}},
		{"der", x509.MarshalPKCS1PrivateKey(keys.rsa2048), []string{"binary DER", "openssl pkey -inform DER -in '" + keyTestFile + "' -out converted.pem"}},
		{"truncated", truncate(pkcs1), []string{"truncated or damaged"}},
		{"body lines missing", dropBodyLines(pkcs1), []string{"export the key again"}},
		{"damaged block after key", concat(pkcs1, truncate(certificatePEM(keys.rsa2048))), []string{"truncated or damaged"}},
		{"empty block", pemBytes("RSA PRIVATE KEY", nil, nil), []string{`the "RSA PRIVATE KEY" block in key file`, "is not a valid private key"}},
		{"proc-type encrypted", encryptedPEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(keys.rsa2048)), []string{"encrypted", decrypt}},
		{"pkcs8 encrypted", pemBytes("ENCRYPTED PRIVATE KEY", randomBytes(256), nil), []string{"encrypted", decrypt}},
		{"public key", publicKeyPEM(&keys.rsa2048.PublicKey), []string{"contains a public key", "private key"}},
		{"pkcs1 public key", pemBytes("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&keys.rsa2048.PublicKey), nil), []string{"contains a public key"}},
		{"certificate", certificatePEM(keys.rsa2048), []string{"contains a certificate", "private key"}},
		{"other block", pemBytes("DH PARAMETERS", randomBytes(16), nil), []string{`no private key, only a PEM block of type "DH PARAMETERS"`}},
		{"rsa 1024", pkcs1PEM(keys.rsa1024), []string{"1024-bit", "at least 2048 bits", "rsa_keygen_bits:2048"}},
		{"ec sec1", sec1PEM(keys.p256), []string{"ECDSA private key", "--ecdsa-private-keyfile"}},
		{"ec pkcs8", pkcs8PEM(keys.p384), []string{"ECDSA private key", "--ecdsa-private-keyfile"}},
		{"ec unsupported curve", pemBytes("EC PRIVATE KEY", sec1WithCurve(oidSecp256k1), nil), []string{"--ecdsa-private-keyfile"}},
		{"ed25519", pkcs8PEM(keys.ed25519), []string{"type Ed25519", "does not accept", "RSA or ECDSA"}},
		{"x25519", pkcs8PEM(keys.x25519), []string{"type X25519"}},
		{"dsa block", pemBytes("DSA PRIVATE KEY", randomBytes(64), nil), []string{"type DSA"}},
		{"dsa pkcs8", pemBytes("PRIVATE KEY", pkcs8WithAlgorithm(oidDSA, nil, randomBytes(32)), nil), []string{"type DSA"}},
		{"unknown pkcs8 algorithm", pemBytes("PRIVATE KEY", pkcs8WithAlgorithm(asn1.ObjectIdentifier{1, 2, 3, 4}, nil, randomBytes(32)), nil), []string{"unknown algorithm 1.2.3.4"}},
		{"damaged pkcs8 rsa", pemBytes("PRIVATE KEY", pkcs8WithAlgorithm(oidRSA, nil, randomBytes(32)), nil), []string{"PKCS #8 RSA key that is not valid"}},
		{"two keys", concat(pkcs1, pkcs8PEM(keys.rsa2048)), []string{"2 private keys"}},
		{"openssh private key", pemBytes("OPENSSH PRIVATE KEY", randomBytes(64), nil), []string{"OpenSSH format", "ssh-keygen -p -m PKCS8"}},
		{"openssh public key", []byte("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host\n"), []string{"OpenSSH public key"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseRSAPrivateKey(tt.data, keyTestFile)

			checkKeyError(t, err, tt.data, tt.want)

			if !isZeroKey(key) {
				t.Errorf("key = %v, want the zero Key", key)
			}
		})
	}
}

func TestParseECDSAPrivateKeyValid(t *testing.T) {
	keys := loadKeyFixtures()
	p256 := sec1PEM(keys.p256)

	tests := []struct {
		name      string
		data      []byte
		key       *ecdsa.PrivateKey
		algorithm string
	}{
		{"p256 sec1", p256, keys.p256, "ES256"},
		{"p384 sec1", sec1PEM(keys.p384), keys.p384, "ES384"},
		{"p521 sec1", sec1PEM(keys.p521), keys.p521, "ES512"},
		{"p256 pkcs8", pkcs8PEM(keys.p256), keys.p256, "ES256"},
		{"p384 pkcs8", pkcs8PEM(keys.p384), keys.p384, "ES384"},
		{"p521 pkcs8", pkcs8PEM(keys.p521), keys.p521, "ES512"},
		{"ec parameters first", concat(ecParametersPEM(oidP256), p256), keys.p256, "ES256"},
		{"p384 ec parameters first", concat(ecParametersPEM(oidP384), sec1PEM(keys.p384)), keys.p384, "ES384"},
		{"crlf", toCRLF(p256), keys.p256, "ES256"},
		{"bom", withBOM(p256), keys.p256, "ES256"},
		{"bom crlf ec parameters", withBOM(toCRLF(concat(ecParametersPEM(oidP256), p256))), keys.p256, "ES256"},
		{"sec1 under pkcs8 label", pemBytes("PRIVATE KEY", mustDER(x509.MarshalECPrivateKey(keys.p521)), nil), keys.p521, "ES512"},
		{"key then certificate", concat(p256, certificatePEM(keys.rsa2048)), keys.p256, "ES256"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseECDSAPrivateKey(tt.data, keyTestFile)
			if err != nil {
				t.Fatalf("ParseECDSAPrivateKey: %v", err)
			}

			if got := key.Algorithm(); got != tt.algorithm {
				t.Errorf("Algorithm() = %q, want %q", got, tt.algorithm)
			}

			private, ok := key.Sign.(*ecdsa.PrivateKey)
			if !ok {
				t.Fatalf("Sign is %T, want *ecdsa.PrivateKey", key.Sign)
			}

			if !private.Equal(tt.key) {
				t.Error("Sign is not the key in the file")
			}

			public, ok := key.Verify.(*ecdsa.PublicKey)
			if !ok {
				t.Fatalf("Verify is %T, want *ecdsa.PublicKey", key.Verify)
			}

			if !public.Equal(&tt.key.PublicKey) {
				t.Error("Verify is not the public half of the key")
			}
		})
	}
}

func TestParseECDSAPrivateKeyErrors(t *testing.T) {
	keys := loadKeyFixtures()
	p256Parameters := mustDER(asn1.Marshal(oidP256))
	explicitParameters := asn1.RawValue{
		Class:      asn1.ClassContextSpecific,
		Tag:        0,
		IsCompound: true,
		Bytes:      mustDER(asn1.Marshal(struct{ FieldType int }{1})),
	}
	explicitCurve := mustDER(asn1.Marshal(struct {
		Version    int
		PrivateKey []byte
		Parameters asn1.RawValue
	}{1, randomBytes(32), explicitParameters}))
	noCurve := mustDER(asn1.Marshal(struct {
		Version    int
		PrivateKey []byte
	}{1, randomBytes(32)}))

	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", []byte{}, []string{"is empty"}},
		{"garbage", []byte("-----BEGIN\n"), []string{"truncated or damaged"}},
		{"truncated", truncate(sec1PEM(keys.p256)), []string{"truncated or damaged"}},
		{"body lines missing", dropBodyLines(sec1PEM(keys.p521)), []string{"export the key again"}},
		{"p224", sec1PEM(keys.p224), []string{"curve P-224", "ES256 needs P-256", "openssl ecparam -name prime256v1 -genkey -noout"}},
		{"p224 pkcs8", pkcs8PEM(keys.p224), []string{"curve P-224"}},
		{"secp256k1 sec1", pemBytes("EC PRIVATE KEY", sec1WithCurve(oidSecp256k1), nil), []string{"curve secp256k1"}},
		{"secp256k1 pkcs8", pemBytes("PRIVATE KEY", pkcs8WithAlgorithm(oidECPublic, mustDER(asn1.Marshal(oidSecp256k1)), sec1WithCurve(oidSecp256k1)), nil), []string{"curve secp256k1"}},
		{"brainpool", pemBytes("EC PRIVATE KEY", sec1WithCurve(oidBrainpool1), nil), []string{"curve brainpoolP256r1"}},
		{"unknown curve", pemBytes("EC PRIVATE KEY", sec1WithCurve(asn1.ObjectIdentifier{1, 2, 3, 4, 5}), nil), []string{"curve OID 1.2.3.4.5"}},
		{"explicit curve", pemBytes("EC PRIVATE KEY", explicitCurve, nil), []string{"explicit curve parameters", "openssl ec -in '" + keyTestFile + "' -param_enc named_curve"}},
		{"no curve", pemBytes("EC PRIVATE KEY", noCurve, nil), []string{"does not name its curve"}},
		{"pkcs8 no curve", pemBytes("PRIVATE KEY", pkcs8WithAlgorithm(oidECPublic, nil, noCurve), nil), []string{"does not name its curve"}},
		{"damaged p256 sec1", pemBytes("EC PRIVATE KEY", sec1WithCurve(oidP256)[:20], nil), []string{"not a valid private key"}},
		{"damaged p256 pkcs8", pemBytes("PRIVATE KEY", pkcs8WithAlgorithm(oidECPublic, p256Parameters, randomBytes(8)), nil), []string{"PKCS #8 ECDSA key that is not valid"}},
		{"rsa pkcs1", pkcs1PEM(keys.rsa2048), []string{"RSA private key", "--rsa-private-keyfile"}},
		{"rsa pkcs8", pkcs8PEM(keys.rsa2048), []string{"RSA private key", "--rsa-private-keyfile"}},
		{"rsa 1024", pkcs1PEM(keys.rsa1024), []string{"--rsa-private-keyfile"}},
		{"encrypted sec1", encryptedPEM("EC PRIVATE KEY", mustDER(x509.MarshalECPrivateKey(keys.p256))), []string{"encrypted", "openssl pkey -in '" + keyTestFile + "' -out plain.pem"}},
		{"encrypted pkcs8", pemBytes("ENCRYPTED PRIVATE KEY", randomBytes(128), nil), []string{"encrypted"}},
		{"ec parameters only", ecParametersPEM(oidP256), []string{"EC parameters but no private key", "-noout"}},
		{"public key", publicKeyPEM(&keys.p256.PublicKey), []string{"contains a public key"}},
		{"certificate", certificatePEM(keys.rsa2048), []string{"contains a certificate"}},
		{"ed25519", pkcs8PEM(keys.ed25519), []string{"type Ed25519", "does not accept"}},
		{"two keys", concat(sec1PEM(keys.p256), sec1PEM(keys.p384)), []string{"2 private keys"}},
		{"ecdsa openssh public key", []byte("ecdsa-sha2-nistp256 AAAAE2VjZHNh user@host\n"), []string{"OpenSSH public key"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseECDSAPrivateKey(tt.data, keyTestFile)

			checkKeyError(t, err, tt.data, tt.want)

			if !isZeroKey(key) {
				t.Errorf("key = %v, want the zero Key", key)
			}
		})
	}
}

func TestParsePKCS8IgnoresAttributes(t *testing.T) {
	keys := loadKeyFixtures()

	var info pkcs8
	if _, err := asn1.Unmarshal(mustDER(x509.MarshalPKCS8PrivateKey(keys.p256)), &info); err != nil {
		t.Fatal(err)
	}

	// OpenSSL may append [0] attributes after the private key.
	withAttributes := mustDER(asn1.Marshal(struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
		Attributes asn1.RawValue `asn1:"tag:0"`
	}{info.Version, info.Algorithm, info.PrivateKey, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: []byte{}}}))

	key, err := ParseECDSAPrivateKey(pemBytes("PRIVATE KEY", withAttributes, nil), keyTestFile)
	if err != nil {
		t.Fatalf("ParseECDSAPrivateKey: %v", err)
	}

	if got := key.Algorithm(); got != "ES256" {
		t.Errorf("Algorithm() = %q, want ES256", got)
	}
}

func TestKeyAlgorithmZero(t *testing.T) {
	if got := (Key{}).Algorithm(); got != "" {
		t.Errorf("Algorithm() of the zero Key = %q, want \"\"", got)
	}
}

func TestTrimSecret(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"no line end", "secret", "secret"},
		{"lf", "secret\n", "secret"},
		{"crlf", "secret\r\n", "secret"},
		{"only one lf", "secret\n\n", "secret\n"},
		{"lone cr kept", "secret\r", "secret\r"},
		{"spaces kept", " secret \n", " secret "},
		{"only lf", "\n", ""},
		{"empty", "", ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(TrimSecret([]byte(tt.in))); got != tt.want {
				t.Errorf("TrimSecret(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSharedSecretKey(t *testing.T) {
	const source = `--shared-secret-file "secret.txt"`
	long := "0123456789abcdef0123456789abcdef"

	tests := []struct {
		name     string
		secret   string
		source   string
		wantErr  string
		notices  int
		warnings []string
	}{
		{"32 bytes", long, source, "", 0, nil},
		{"short", "hunter2-secret", source, "", 1, []string{"shorter than 32 bytes", "RFC 7518 section 3.2", source}},
		{"31 bytes", long[:31], source, "", 1, []string{"shorter than 32 bytes"}},
		{"trailing space", long + " ", source, "", 1, []string{"ends with whitespace"}},
		{"trailing newline", long + "\n", "PORTWORX_AUTH_SHARED_SECRET", "", 1, []string{"ends with whitespace", "PORTWORX_AUTH_SHARED_SECRET"}},
		{"short and spaced", " zq9Kp", source, "", 2, []string{"shorter than 32 bytes", "starts or ends with whitespace"}},
		{"no source", "hunter2-secret", "", "", 1, []string{"shared secret is shorter"}},
		{"empty", "", source, "shared secret from " + source + " is empty", 0, nil},
		{"empty without source", "", "", "shared secret is empty", 0, nil},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, notices, err := SharedSecretKey([]byte(tt.secret), tt.source)

			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}

				return
			}

			if err != nil {
				t.Fatalf("SharedSecretKey: %v", err)
			}

			if got := key.Algorithm(); got != "HS256" {
				t.Errorf("Algorithm() = %q, want HS256", got)
			}

			if got, _ := key.Sign.([]byte); string(got) != tt.secret {
				t.Error("Sign is not the secret")
			}

			if got, _ := key.Verify.([]byte); string(got) != tt.secret {
				t.Error("Verify is not the secret")
			}

			if len(notices) != tt.notices {
				t.Fatalf("got %d notices %v, want %d", len(notices), notices, tt.notices)
			}

			all := ""
			for _, notice := range notices {
				if notice.Level != LevelWarning {
					t.Errorf("notice %q has level %v, want LevelWarning", notice.Message, notice.Level)
				}

				if strings.TrimSpace(tt.secret) != "" && strings.Contains(notice.Message, strings.TrimSpace(tt.secret)) {
					t.Errorf("notice %q contains the secret", notice.Message)
				}

				all += notice.Message + "\n"
			}

			for _, fragment := range tt.warnings {
				if !strings.Contains(all, fragment) {
					t.Errorf("notices %q do not contain %q", all, fragment)
				}
			}
		})
	}
}

func TestSharedSecretKeyCopiesSecret(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")

	key, _, err := SharedSecretKey(secret, "test")
	if err != nil {
		t.Fatal(err)
	}

	secret[0] = 'X'

	if got := key.Sign.([]byte); got[0] != '0' {
		t.Error("changing the caller's slice changed the key")
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"key.pem", "key.pem"},
		{"/etc/pwx/key-1_a.pem", "/etc/pwx/key-1_a.pem"},
		{"my key.pem", "'my key.pem'"},
		{"it's.pem", `'it'\''s.pem'`},
		{"$(reboot).pem", "'$(reboot).pem'"},
		{"line\nbreak.pem", "KEY"},
		{"", "''"},
	}

	for _, tt := range tests {
		if got := shellQuote(tt.in); got != tt.want {
			t.Errorf("shellQuote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKeyErrorFileWithLineBreak(t *testing.T) {
	file := "bad\nname.pem"

	_, err := ParseRSAPrivateKey(pemBytes("ENCRYPTED PRIVATE KEY", randomBytes(32), nil), file)
	if err == nil {
		t.Fatal("error = nil, want an encrypted key error")
	}

	if strings.ContainsAny(err.Error(), "\r\n") {
		t.Errorf("error %q is not a single line", err)
	}
}

func FuzzParseKey(f *testing.F) {
	keys := loadKeyFixtures()

	seeds := [][]byte{
		nil,
		[]byte("not a key"),
		[]byte("-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n"),
		pkcs1PEM(keys.rsa2048),
		pkcs8PEM(keys.rsa2048),
		toCRLF(withBOM(pkcs1PEM(keys.rsa2048))),
		sec1PEM(keys.p256),
		pkcs8PEM(keys.p384),
		concat(ecParametersPEM(oidP256), sec1PEM(keys.p256)),
		sec1PEM(keys.p224),
		pkcs8PEM(keys.ed25519),
		pemBytes("EC PRIVATE KEY", sec1WithCurve(oidSecp256k1), nil),
		encryptedPEM("EC PRIVATE KEY", mustDER(x509.MarshalECPrivateKey(keys.p256))),
		publicKeyPEM(&keys.p256.PublicKey),
		certificatePEM(keys.rsa2048),
		truncate(pkcs1PEM(keys.rsa2048)),
		x509.MarshalPKCS1PrivateKey(keys.rsa2048),
		mustDER(x509.MarshalECPrivateKey(keys.p256)),
	}
	for _, seed := range seeds {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		parsers := []struct {
			name       string
			parse      func([]byte, string) (Key, error)
			algorithms []string
		}{
			{"rsa", ParseRSAPrivateKey, []string{"RS256"}},
			{"ecdsa", ParseECDSAPrivateKey, []string{"ES256", "ES384", "ES512"}},
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

				continue
			}

			found := false
			for _, algorithm := range parser.algorithms {
				found = found || key.Algorithm() == algorithm
			}
			if !found {
				t.Errorf("%s: Algorithm() = %q, want one of %q", parser.name, key.Algorithm(), parser.algorithms)
			}

			if key.Sign == nil || key.Verify == nil {
				t.Errorf("%s: key without Sign or Verify: %v", parser.name, key)
			}
		}
	})
}
