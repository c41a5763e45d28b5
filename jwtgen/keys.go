package jwtgen

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// Key is a signing key with the JWT algorithm it implies.
type Key struct {
	// Method is the JWT signing method: HS256, RS256, ES256, ES384 or ES512.
	Method jwt.SigningMethod

	// Sign is the signing key: []byte for HMAC, *rsa.PrivateKey or
	// *ecdsa.PrivateKey.
	Sign any

	// Verify is the key that checks signatures: []byte for HMAC,
	// *rsa.PublicKey or *ecdsa.PublicKey.
	Verify any
}

// Algorithm returns the JWT "alg" name of the key, or "" for the zero Key.
func (k Key) Algorithm() string {
	if k.Method == nil {
		return ""
	}

	return k.Method.Alg()
}

// minSharedSecretBytes is the HS256 key size that RFC 7518 section 3.2
// requires: at least the 256-bit output of SHA-256.
const minSharedSecretBytes = 32

// minRSABits is the RSA key size that RFC 7518 section 3.3 requires for
// RS256.
const minRSABits = 2048

// TrimSecret drops one trailing "\n" or "\r\n" from a secret read from a
// file or stdin, the line end that editors and echo add. Other whitespace
// is kept because it is part of the secret.
func TrimSecret(data []byte) []byte {
	if bytes.HasSuffix(data, []byte("\r\n")) {
		return data[:len(data)-2]
	}

	if bytes.HasSuffix(data, []byte("\n")) {
		return data[:len(data)-1]
	}

	return data
}

// SharedSecretKey makes an HS256 key from a copy of secret. An empty secret
// is an error. A secret shorter than 32 bytes, or one that starts or ends
// with whitespace, gives a LevelWarning Notice. source names where the
// secret came from, such as `--shared-secret-file "secret.txt"` or
// PORTWORX_AUTH_SHARED_SECRET, and is used in messages in place of the
// value.
func SharedSecretKey(secret []byte, source string) (Key, []Notice, error) {
	name := "shared secret"
	if source != "" {
		name = "shared secret from " + source
	}

	if len(secret) == 0 {
		return Key{}, nil, fmt.Errorf("%s is empty; set it to the shared secret the cluster was configured with", name)
	}

	var notices []Notice
	if len(secret) < minSharedSecretBytes {
		notices = append(notices, Notice{
			Level: LevelWarning,
			Message: fmt.Sprintf("%s is shorter than %d bytes, the HS256 minimum that RFC 7518 section 3.2 sets; "+
				"a short secret is easier to guess, so consider a random secret of %d bytes or more on the cluster",
				name, minSharedSecretBytes, minSharedSecretBytes),
		})
	}

	if len(bytes.TrimSpace(secret)) != len(secret) {
		notices = append(notices, Notice{
			Level: LevelWarning,
			Message: fmt.Sprintf("%s starts or ends with whitespace; tokens verify only if the cluster's secret has the same whitespace",
				name),
		})
	}

	key := bytes.Clone(secret)

	return Key{Method: jwt.SigningMethodHS256, Sign: key, Verify: key}, notices, nil
}

// ParseRSAPrivateKey parses a PEM file that contains one RSA private key in
// PKCS #1 ("RSA PRIVATE KEY") or PKCS #8 ("PRIVATE KEY") form and returns an
// RS256 key. The key must have at least 2048 bits. file is the path named in
// error messages. The PEM rules are those of ParseECDSAPrivateKey.
func ParseRSAPrivateKey(data []byte, file string) (Key, error) {
	parsed, err := readPrivateKey(data, file)
	if err != nil {
		return Key{}, err
	}

	switch parsed.family {
	case familyRSA:
	case familyECDSA:
		return Key{}, fmt.Errorf("key file %q contains an ECDSA private key, not an RSA key; pass it with --ecdsa-private-keyfile", file)
	default:
		return Key{}, unsupportedAlgorithmError(file, "a private key", parsed.family)
	}

	key := parsed.key.(*rsa.PrivateKey)

	bits := key.N.BitLen()
	if bits < minRSABits {
		return Key{}, fmt.Errorf("key file %q contains a %d-bit RSA key, but RFC 7518 section 3.3 requires at least %d bits for RS256; "+
			"generate a new key with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem`",
			file, bits, minRSABits)
	}

	if err := key.Validate(); err != nil {
		return Key{}, fmt.Errorf("key file %q contains an invalid RSA private key (%w); generate a new key", file, err)
	}

	return Key{Method: jwt.SigningMethodRS256, Sign: key, Verify: &key.PublicKey}, nil
}

// ParseECDSAPrivateKey parses a PEM file that contains one ECDSA private key in
// SEC 1 ("EC PRIVATE KEY") or PKCS #8 ("PRIVATE KEY") form. The curve picks
// the algorithm: P-256 gives ES256, P-384 ES384 and P-521 ES512. file is the
// path named in error messages.
//
// A leading UTF-8 BOM and CRLF line ends are accepted. Blocks that are not
// private keys, such as the "EC PARAMETERS" block that `openssl ecparam
// -genkey` writes without -noout or a certificate next to the key, are
// skipped, and so is text outside PEM blocks, as OpenSSL does. A file with
// no private key, two private keys, an encrypted key or a damaged PEM block
// is an error.
func ParseECDSAPrivateKey(data []byte, file string) (Key, error) {
	parsed, err := readPrivateKey(data, file)
	if err != nil {
		return Key{}, err
	}

	switch parsed.family {
	case familyECDSA:
	case familyRSA:
		return Key{}, fmt.Errorf("key file %q contains an RSA private key, not an ECDSA key; pass it with --rsa-private-keyfile", file)
	default:
		return Key{}, unsupportedAlgorithmError(file, "a private key", parsed.family)
	}

	method := curveMethods[parsed.curve]
	if method == nil || parsed.key == nil {
		return Key{}, fmt.Errorf("key file %q uses the elliptic curve %s, which JWT signing does not support; "+
			"ES256 needs P-256 (prime256v1), ES384 P-384 (secp384r1) and ES512 P-521 (secp521r1), "+
			"so generate a key with `openssl ecparam -name prime256v1 -genkey -noout -out key.pem`",
			file, parsed.curve)
	}

	key := parsed.key.(*ecdsa.PrivateKey)

	return Key{Method: method, Sign: key, Verify: &key.PublicKey}, nil
}

// Private key algorithm families as named in messages.
const (
	familyRSA     = "RSA"
	familyECDSA   = "ECDSA"
	familyRSAPSS  = "RSASSA-PSS"
	familyDSA     = "DSA"
	familyEd25519 = "Ed25519"
)

// parsedKey is a private or public key read from a PEM file. key is nil
// when the algorithm or the curve is one this package cannot use.
type parsedKey struct {
	family string
	curve  string
	key    any
}

var utf8BOM = []byte("\xef\xbb\xbf")

// readPrivateKey finds the one private key block in a PEM file and parses
// it. The key's content, not the block type, decides its format, so a
// PKCS #8 key under an "RSA PRIVATE KEY" label still parses.
func readPrivateKey(data []byte, file string) (parsedKey, error) {
	block, err := findPrivateKeyBlock(data, file)
	if err != nil {
		return parsedKey{}, err
	}

	if block.Type == "DSA PRIVATE KEY" {
		return parsedKey{family: familyDSA}, nil
	}

	if parsed, ok, err := parsePKCS8(block.Bytes, file); ok {
		return parsed, err
	}

	if parsed, ok, err := parseSEC1(block.Bytes, file); ok {
		return parsed, err
	}

	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return parsedKey{}, fmt.Errorf("the %s block in key file %q is not a valid private key; the file is damaged or in an unknown format, so export the key again",
			quoteLimited(block.Type), file)
	}

	return parsedKey{family: familyRSA, key: key}, nil
}

// findPrivateKeyBlock returns the single private key block of a PEM file, or
// an error that describes what the file contains instead.
func findPrivateKeyBlock(data []byte, file string) (*pem.Block, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("key file %q is empty; pass a PEM file with a private key", file)
	}

	blocks := splitPEM(data)
	keys := blocks.privateKeys

	if blocks.count == 0 {
		return nil, notPEMError(data, file)
	}

	// pem.Decode skips a block it cannot read, so a BEGIN line without a
	// decoded block is a truncated or damaged block.
	if countBeginLines(data) > blocks.count {
		return nil, fmt.Errorf("key file %q contains a truncated or damaged PEM block; export the key again", file)
	}

	if len(keys) > 1 {
		return nil, fmt.Errorf("key file %q contains %d private keys; keep only the key that signs tokens", file, len(keys))
	}

	if len(keys) == 0 {
		switch {
		case len(blocks.publicKeys) > 0:
			return nil, fmt.Errorf("key file %q contains a public key, but signing needs the private key; pass the private key file", file)
		case len(blocks.certificates) > 0:
			return nil, fmt.Errorf("key file %q contains a certificate, but signing needs the private key; pass the private key file", file)
		case blocks.hasECParameters:
			return nil, fmt.Errorf("key file %q contains EC parameters but no private key; "+
				"generate a key with `openssl ecparam -name prime256v1 -genkey -noout -out key.pem`", file)
		default:
			return nil, fmt.Errorf("key file %q contains no private key, only a PEM block of type %s; pass a PEM file with a private key",
				file, quoteLimited(blocks.otherType))
		}
	}

	key := keys[0]

	if key.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(key.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, fmt.Errorf("key file %q contains an encrypted private key; decrypt it with `openssl pkey -in %s -out plain.pem` and pass plain.pem",
			file, shellQuote(file))
	}

	if key.Type == "OPENSSH PRIVATE KEY" {
		return nil, fmt.Errorf("key file %q is in OpenSSH format; convert a copy to PEM with `ssh-keygen -p -m PKCS8 -f COPY` and pass the copy", file)
	}

	return key, nil
}

// pemContents lists the blocks of a PEM file by kind.
type pemContents struct {
	privateKeys  []*pem.Block
	publicKeys   []*pem.Block
	certificates []*pem.Block

	// count is the number of blocks decoded, of every kind.
	count int

	hasECParameters bool

	// otherType is the type of the last block of no kind above.
	otherType string
}

// splitPEM decodes every PEM block in data and sorts it by kind. Text
// outside blocks is skipped, as OpenSSL does.
func splitPEM(data []byte) pemContents {
	var contents pemContents

	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return contents
		}

		contents.count++

		switch {
		case strings.HasSuffix(block.Type, "PRIVATE KEY"):
			contents.privateKeys = append(contents.privateKeys, block)
		case strings.HasSuffix(block.Type, "PUBLIC KEY"):
			contents.publicKeys = append(contents.publicKeys, block)
		case isCertificateType(block.Type):
			contents.certificates = append(contents.certificates, block)
		case block.Type == "EC PARAMETERS":
			contents.hasECParameters = true
		default:
			contents.otherType = block.Type
		}
	}
}

// notPEMError describes data in which pem.Decode found no block.
func notPEMError(data []byte, file string) error {
	switch {
	case countBeginLines(data) > 0:
		return fmt.Errorf("key file %q has a \"-----BEGIN\" line but no complete PEM block; the file is truncated or damaged, so export the key again", file)
	case bytes.HasPrefix(data, []byte("ssh-")) || bytes.HasPrefix(data, []byte("ecdsa-sha2-")):
		return fmt.Errorf("key file %q contains an OpenSSH public key, but signing needs the private key in PEM form; pass the private key file", file)
	case data[0] == 0x30:
		// 0x30 starts an ASN.1 SEQUENCE, the first byte of every DER key.
		return fmt.Errorf("key file %q is binary DER, not PEM; convert it with `openssl pkey -inform DER -in %s -out converted.pem` and pass converted.pem",
			file, shellQuote(file))
	default:
		return fmt.Errorf("key file %q is not a PEM file; expected a block that starts with a \"-----BEGIN ... PRIVATE KEY-----\" line", file)
	}
}

// countBeginLines counts the lines that start with "-----BEGIN", the only
// places where pem.Decode looks for a block.
func countBeginLines(data []byte) int {
	begin := []byte("-----BEGIN")

	count := bytes.Count(data, append([]byte("\n"), begin...))
	if bytes.HasPrefix(data, begin) {
		count++
	}

	return count
}

// pkcs8 is the outer structure of a PKCS #8 private key (RFC 5208). Trailing
// attributes are ignored.
type pkcs8 struct {
	Version    int
	Algorithm  pkix.AlgorithmIdentifier
	PrivateKey []byte
}

// sec1 is an elliptic curve private key in SEC 1 form (RFC 5915).
type sec1 struct {
	Version    int
	PrivateKey []byte
	Parameters asn1.RawValue  `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString `asn1:"optional,explicit,tag:1"`
}

var (
	oidRSA        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSAPSS     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidECPublic   = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidDSA        = asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 1}
	oidDH         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 3, 1}
	oidX942DH     = asn1.ObjectIdentifier{1, 2, 840, 10046, 2, 1}
	oidX25519     = asn1.ObjectIdentifier{1, 3, 101, 110}
	oidX448       = asn1.ObjectIdentifier{1, 3, 101, 111}
	oidEd25519    = asn1.ObjectIdentifier{1, 3, 101, 112}
	oidEd448      = asn1.ObjectIdentifier{1, 3, 101, 113}
	oidP256       = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidP384       = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidP521       = asn1.ObjectIdentifier{1, 3, 132, 0, 35}
	oidP224       = asn1.ObjectIdentifier{1, 3, 132, 0, 33}
	oidP192       = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 1}
	oidSecp256k1  = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
	oidBrainpool1 = asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7}
	oidBrainpool2 = asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 11}
	oidBrainpool3 = asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 13}
	oidSM2        = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}
)

// algorithmNames names the PKCS #8 algorithms this package recognizes but
// cannot sign with, for error messages.
var algorithmNames = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{oidRSAPSS, familyRSAPSS},
	{oidDSA, familyDSA},
	{oidDH, "Diffie-Hellman"},
	{oidX942DH, "Diffie-Hellman"},
	{oidX25519, "X25519"},
	{oidX448, "X448"},
	{oidEd25519, familyEd25519},
	{oidEd448, "Ed448"},
}

// curveNames lists the elliptic curves a key file may use, supported or
// not, so that an error can name the curve it found.
var curveNames = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{oidP256, "P-256"},
	{oidP384, "P-384"},
	{oidP521, "P-521"},
	{oidP224, "P-224"},
	{oidP192, "P-192"},
	{oidSecp256k1, "secp256k1"},
	{oidBrainpool1, "brainpoolP256r1"},
	{oidBrainpool2, "brainpoolP384r1"},
	{oidBrainpool3, "brainpoolP512r1"},
	{oidSM2, "SM2"},
}

// curveMethods maps the curves JWT defines to their algorithms (RFC 7518
// section 3.4).
var curveMethods = map[string]jwt.SigningMethod{
	"P-256": jwt.SigningMethodES256,
	"P-384": jwt.SigningMethodES384,
	"P-521": jwt.SigningMethodES512,
}

// parsePKCS8 parses der as a PKCS #8 private key. ok is false when der does
// not have the PKCS #8 structure, so the caller can try other formats.
func parsePKCS8(der []byte, file string) (parsed parsedKey, ok bool, err error) {
	var info pkcs8
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		return parsedKey{}, false, nil
	}

	algorithm := info.Algorithm.Algorithm
	switch {
	case algorithm.Equal(oidRSA):
		key, err := x509.ParsePKCS8PrivateKey(der)
		rsaKey, isRSA := key.(*rsa.PrivateKey)
		if err != nil || !isRSA {
			return parsedKey{}, true, fmt.Errorf("key file %q contains a PKCS #8 RSA key that is not valid; the file is damaged, so export the key again", file)
		}

		return parsedKey{family: familyRSA, key: rsaKey}, true, nil

	case algorithm.Equal(oidECPublic):
		curve, err := curveName(info.Algorithm.Parameters.FullBytes, file)
		if err != nil {
			return parsedKey{family: familyECDSA}, true, err
		}

		if curveMethods[curve] == nil {
			return parsedKey{family: familyECDSA, curve: curve}, true, nil
		}

		key, err := x509.ParsePKCS8PrivateKey(der)
		ecKey, isEC := key.(*ecdsa.PrivateKey)
		if err != nil || !isEC {
			return parsedKey{}, true, fmt.Errorf("key file %q contains a PKCS #8 ECDSA key that is not valid; the file is damaged, so export the key again", file)
		}

		return parsedKey{family: familyECDSA, curve: curve, key: ecKey}, true, nil
	}

	for _, known := range algorithmNames {
		if algorithm.Equal(known.oid) {
			return parsedKey{family: known.name}, true, nil
		}
	}

	return parsedKey{family: "unknown algorithm " + algorithm.String()}, true, nil
}

// parseSEC1 parses der as an SEC 1 elliptic curve private key. ok is false
// when der does not have the SEC 1 structure.
func parseSEC1(der []byte, file string) (parsed parsedKey, ok bool, err error) {
	var info sec1
	if _, err := asn1.Unmarshal(der, &info); err != nil || info.Version != 1 {
		return parsedKey{}, false, nil
	}

	curve, err := curveName(info.Parameters.Bytes, file)
	if err != nil {
		return parsedKey{family: familyECDSA}, true, err
	}

	if curveMethods[curve] == nil {
		return parsedKey{family: familyECDSA, curve: curve}, true, nil
	}

	key, err := x509.ParseECPrivateKey(der)
	if err != nil {
		return parsedKey{}, true, fmt.Errorf("key file %q contains an EC private key that is not valid; the file is damaged, so export the key again", file)
	}

	return parsedKey{family: familyECDSA, curve: curve, key: key}, true, nil
}

// curveName returns the name of the named curve in the DER parameters of an
// EC key, or "OID x.y.z" for a curve it does not know.
func curveName(parameters []byte, file string) (string, error) {
	if len(parameters) == 0 {
		return "", fmt.Errorf("key file %q contains an EC private key that does not name its curve; export it again with OpenSSL", file)
	}

	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(parameters, &oid); err != nil {
		return "", fmt.Errorf("key file %q contains an EC key with explicit curve parameters instead of a named curve; "+
			"convert it with `openssl ec -in %s -param_enc named_curve -out converted.pem` and pass converted.pem", file, shellQuote(file))
	}

	return curveNameOf(oid), nil
}

// curveNameOf returns the name of a named curve, or "OID x.y.z" for a curve
// it does not know.
func curveNameOf(oid asn1.ObjectIdentifier) string {
	for _, known := range curveNames {
		if oid.Equal(known.oid) {
			return known.name
		}
	}

	return "OID " + oid.String()
}

// unsupportedAlgorithmError rejects a key whose algorithm the servers do
// not accept. key describes what the file contains, such as "a private key".
func unsupportedAlgorithmError(file, key, family string) error {
	return fmt.Errorf("key file %q contains %s of type %s, which Portworx does not accept; "+
		"tokens must be signed with HMAC (HS256), RSA (RS256) or ECDSA (ES256, ES384, ES512), so use an RSA or ECDSA key",
		file, key, family)
}

// shellQuote quotes a path for a shell command shown in a message. A path
// with control characters is replaced by KEY, so that the message stays on
// one line.
func shellQuote(path string) string {
	for _, r := range path {
		if r < 0x20 || r == 0x7f {
			return "KEY"
		}
	}

	safe := path != "" && strings.IndexFunc(path, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:@%+=,", r))
	}) < 0
	if safe {
		return path
	}

	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}

// maxQuotedLength is the number of bytes of an untrusted value that
// quoteLimited keeps.
const maxQuotedLength = 64

// quoteLimited quotes a value read from a file or token for a message,
// shortened to maxQuotedLength bytes so that hostile input cannot flood
// the message.
func quoteLimited(s string) string {
	if len(s) <= maxQuotedLength {
		return fmt.Sprintf("%q", s)
	}

	return fmt.Sprintf("%q...", strings.ToValidUTF8(s[:maxQuotedLength], ""))
}

// errNoKey is returned by Sign and Verify for the zero Key.
var errNoKey = errors.New("no key loaded; load one with SharedSecretKey, ParseRSAPrivateKey or ParseECDSAPrivateKey")

// errVerifyOnlyKey is returned by Sign for a Key that has Verify but no
// Sign, such as one from ParseRSAVerifyKey or ParseECDSAVerifyKey.
var errVerifyOnlyKey = errors.New("the key can only verify tokens because it has no private key; " +
	"load the private key with ParseRSAPrivateKey or ParseECDSAPrivateKey to sign")
