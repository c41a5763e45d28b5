package jwtgen

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// ParseRSAVerifyKey parses a PEM file that contains an RSA public key,
// PKIX ("PUBLIC KEY") or PKCS #1 ("RSA PUBLIC KEY"), a certificate or an
// RSA private key, and returns an RS256 Key with only Verify set. Sign is
// nil, so Sign rejects the Key. The key must have at least 2048 bits. file
// is the path named in error messages. The PEM rules are those of
// ParseECDSAVerifyKey.
func ParseRSAVerifyKey(data []byte, file string) (Key, error) {
	if hasPrivateKeyBlock(data) {
		key, err := ParseRSAPrivateKey(data, file)
		if err != nil {
			return Key{}, err
		}

		return Key{Method: key.Method, Verify: key.Verify}, nil
	}

	parsed, source, err := readPublicKey(data, file)
	if err != nil {
		return Key{}, err
	}

	switch parsed.family {
	case familyRSA:
	case familyECDSA:
		return Key{}, fmt.Errorf("key file %q contains %s, not an RSA key; pass it with --ecdsa-private-keyfile",
			file, describePublicKey(source, "an ECDSA public key"))
	default:
		return Key{}, unsupportedAlgorithmError(file, describePublicKey(source, "a public key"), parsed.family)
	}

	key := parsed.key.(*rsa.PublicKey)

	bits := key.N.BitLen()
	if bits < minRSABits {
		return Key{}, fmt.Errorf("key file %q contains %s, but RFC 7518 section 3.3 requires at least %d bits for RS256; "+
			"generate a new key with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem`",
			file, describePublicKey(source, fmt.Sprintf("a %d-bit RSA public key", bits)), minRSABits)
	}

	return Key{Method: jwt.SigningMethodRS256, Verify: key}, nil
}

// ParseECDSAVerifyKey parses a PEM file that contains an ECDSA public key
// (PKIX, "PUBLIC KEY"), a certificate or an ECDSA private key, and returns
// a Key with only Verify set. Sign is nil, so Sign rejects the Key. The
// curve picks the algorithm: P-256 gives ES256, P-384 ES384 and P-521
// ES512. file is the path named in error messages.
//
// A file with a private key block is read by the matching private key
// parser, with all its rules, and any certificate or public key next to
// the key is ignored. Otherwise the file needs one public key or one or
// more certificates. Of several certificates, such as a chain, the first
// is used, because chain files list the leaf first. Only the certificate's
// public key is read: its dates, issuer and signature are not checked. A
// leading UTF-8 BOM, CRLF line ends, "EC PARAMETERS" blocks and text
// outside PEM blocks are accepted. Two public keys, or a public key and a
// certificate, are an error, because either could be the one meant.
func ParseECDSAVerifyKey(data []byte, file string) (Key, error) {
	if hasPrivateKeyBlock(data) {
		key, err := ParseECDSAPrivateKey(data, file)
		if err != nil {
			return Key{}, err
		}

		return Key{Method: key.Method, Verify: key.Verify}, nil
	}

	parsed, source, err := readPublicKey(data, file)
	if err != nil {
		return Key{}, err
	}

	switch parsed.family {
	case familyECDSA:
	case familyRSA:
		return Key{}, fmt.Errorf("key file %q contains %s, not an ECDSA key; pass it with --rsa-private-keyfile",
			file, describePublicKey(source, "an RSA public key"))
	default:
		return Key{}, unsupportedAlgorithmError(file, describePublicKey(source, "a public key"), parsed.family)
	}

	method := curveMethods[parsed.curve]
	if method == nil || parsed.key == nil {
		return Key{}, fmt.Errorf("key file %q contains %s on the elliptic curve %s, which JWT signing does not support; "+
			"ES256 uses P-256 (prime256v1), ES384 P-384 (secp384r1) and ES512 P-521 (secp521r1), "+
			"so pass the public key of the key that signs the tokens, which must be on one of these curves",
			file, describePublicKey(source, "an ECDSA public key"), parsed.curve)
	}

	return Key{Method: method, Verify: parsed.key.(*ecdsa.PublicKey)}, nil
}

// Sources of a public key, named in messages.
const (
	sourcePublicKey   = "public key"
	sourceCertificate = "certificate"
)

// describePublicKey phrases a key for a message. key is the key's own
// phrase, such as "an RSA public key", and a key from a certificate
// becomes "a certificate with an RSA public key".
func describePublicKey(source, key string) string {
	if source == sourceCertificate {
		return "a certificate with " + key
	}

	return key
}

// hasPrivateKeyBlock reports whether data has a PEM block whose type ends
// in "PRIVATE KEY". Such a file goes to the private key parsers.
func hasPrivateKeyBlock(data []byte) bool {
	rest := bytes.TrimPrefix(data, utf8BOM)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return false
		}

		if strings.HasSuffix(block.Type, "PRIVATE KEY") {
			return true
		}
	}
}

// isCertificateType reports whether a PEM block of this type contains an
// X.509 certificate. "TRUSTED CERTIFICATE" is OpenSSL's certificate followed by
// trust settings.
func isCertificateType(blockType string) bool {
	return blockType == "CERTIFICATE" || blockType == "X509 CERTIFICATE" || blockType == "TRUSTED CERTIFICATE"
}

// readPublicKey finds the public key or first certificate of a PEM file
// without private keys and parses its key. source is sourcePublicKey or
// sourceCertificate.
func readPublicKey(data []byte, file string) (parsed parsedKey, source string, err error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return parsedKey{}, "", fmt.Errorf("key file %q is empty; pass a PEM file with the public key, certificate or private key that verifies the tokens", file)
	}

	blocks := splitPEM(data)
	publicKeys, certificates := blocks.publicKeys, blocks.certificates

	if blocks.count == 0 {
		return parsedKey{}, "", notPEMVerifyError(data, file)
	}

	// pem.Decode skips a block it cannot read, so a BEGIN line without a
	// decoded block is a truncated or damaged block.
	if countBeginLines(data) > blocks.count {
		return parsedKey{}, "", fmt.Errorf("key file %q contains a truncated or damaged PEM block; export the key again", file)
	}

	switch {
	case len(publicKeys) > 1:
		return parsedKey{}, "", fmt.Errorf("key file %q contains %d public keys; keep only the public key of the key that signs the tokens", file, len(publicKeys))
	case len(publicKeys) == 1 && len(certificates) > 0:
		return parsedKey{}, "", fmt.Errorf("key file %q contains both a public key and a certificate; keep only the one for the key that signs the tokens", file)
	case len(publicKeys) == 1:
		parsed, err := parsePublicKeyBlock(publicKeys[0], file)
		return parsed, sourcePublicKey, err
	case len(certificates) > 0:
		parsed, err := parseCertificateKey(certificates[0].Bytes, file)
		return parsed, sourceCertificate, err
	case blocks.hasECParameters:
		return parsedKey{}, "", fmt.Errorf("key file %q contains EC parameters but no key; pass the public key, certificate or private key that verifies the tokens", file)
	default:
		return parsedKey{}, "", fmt.Errorf("key file %q contains no public key, certificate or private key, only a PEM block of type %s; "+
			"pass the public key, certificate or private key that verifies the tokens", file, quoteLimited(blocks.otherType))
	}
}

// notPEMVerifyError describes data in which pem.Decode found no block.
func notPEMVerifyError(data []byte, file string) error {
	switch {
	case countBeginLines(data) > 0:
		return notPEMError(data, file)
	case bytes.HasPrefix(data, []byte("ssh-")) || bytes.HasPrefix(data, []byte("ecdsa-sha2-")):
		return fmt.Errorf("key file %q contains an OpenSSH public key; convert it with `ssh-keygen -e -m PKCS8 -f %s > converted.pem` and pass converted.pem",
			file, shellQuote(file))
	case isDERCertificate(data):
		return fmt.Errorf("key file %q is a binary DER certificate, not PEM; convert it with `openssl x509 -inform DER -in %s -out converted.pem` and pass converted.pem",
			file, shellQuote(file))
	case isDERPublicKey(data):
		return fmt.Errorf("key file %q is a binary DER public key, not PEM; convert it with `openssl pkey -pubin -inform DER -in %s -out converted.pem` and pass converted.pem",
			file, shellQuote(file))
	case data[0] == 0x30:
		return notPEMError(data, file)
	default:
		return fmt.Errorf("key file %q is not a PEM file; expected a block that starts with a \"-----BEGIN PUBLIC KEY-----\", "+
			"\"-----BEGIN CERTIFICATE-----\" or \"-----BEGIN ... PRIVATE KEY-----\" line", file)
	}
}

// publicKeyInfo is a SubjectPublicKeyInfo (RFC 5280 section 4.1), the
// structure of a "PUBLIC KEY" block and of the key in a certificate.
type publicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

// certificateOutline is the start of an X.509 certificate (RFC 5280
// section 4.1), as far as its public key. encoding/asn1 ignores the
// fields after the last one named here.
type certificateOutline struct {
	TBSCertificate struct {
		Version      int `asn1:"optional,explicit,default:0,tag:0"`
		SerialNumber asn1.RawValue
		Signature    asn1.RawValue
		Issuer       asn1.RawValue
		Validity     asn1.RawValue
		Subject      asn1.RawValue
		PublicKey    asn1.RawValue
	}
}

// unmarshalPublicKeyInfo decodes der as exactly one SubjectPublicKeyInfo.
func unmarshalPublicKeyInfo(der []byte) (publicKeyInfo, bool) {
	var info publicKeyInfo

	rest, err := asn1.Unmarshal(der, &info)
	if err != nil || len(rest) != 0 {
		return publicKeyInfo{}, false
	}

	return info, true
}

// certificatePublicKeyInfo returns the DER SubjectPublicKeyInfo of a DER
// certificate. Data after the certificate, such as OpenSSL's trust
// settings, is ignored.
func certificatePublicKeyInfo(der []byte) ([]byte, bool) {
	var outline certificateOutline
	if _, err := asn1.Unmarshal(der, &outline); err != nil {
		return nil, false
	}

	spki := outline.TBSCertificate.PublicKey.FullBytes
	if _, ok := unmarshalPublicKeyInfo(spki); !ok {
		return nil, false
	}

	return spki, true
}

func isDERCertificate(data []byte) bool {
	_, ok := certificatePublicKeyInfo(data)
	return ok
}

func isDERPublicKey(data []byte) bool {
	if _, ok := unmarshalPublicKeyInfo(data); ok {
		return true
	}

	_, err := x509.ParsePKCS1PublicKey(data)

	return err == nil
}

// parsePublicKeyBlock parses a public key block as PKIX or PKCS #1. The
// content, not the block type, decides the format, as for private keys.
func parsePublicKeyBlock(block *pem.Block, file string) (parsedKey, error) {
	if info, ok := unmarshalPublicKeyInfo(block.Bytes); ok {
		return parsePublicKeyInfo(block.Bytes, info, file, sourcePublicKey)
	}

	if key, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		return parsedKey{family: familyRSA, key: key}, nil
	}

	return parsedKey{}, fmt.Errorf("the %s block in key file %q is not a valid public key; the file is damaged or in an unknown format, so export the public key again",
		quoteLimited(block.Type), file)
}

// parseCertificateKey parses the public key of a DER certificate.
func parseCertificateKey(der []byte, file string) (parsedKey, error) {
	spki, ok := certificatePublicKeyInfo(der)
	if !ok {
		return parsedKey{}, fmt.Errorf("key file %q contains a certificate that is not valid; the file is damaged, so export the certificate again", file)
	}

	info, _ := unmarshalPublicKeyInfo(spki)

	return parsePublicKeyInfo(spki, info, file, sourceCertificate)
}

// parsePublicKeyInfo parses a SubjectPublicKeyInfo whose structure info
// has already been decoded from der. The family and curve are found first,
// so that a key this package cannot use is named in the error rather than
// failing in crypto/x509.
func parsePublicKeyInfo(der []byte, info publicKeyInfo, file, source string) (parsedKey, error) {
	algorithm := info.Algorithm.Algorithm

	switch {
	case algorithm.Equal(oidRSA):
		key, err := x509.ParsePKIXPublicKey(der)
		rsaKey, isRSA := key.(*rsa.PublicKey)
		if err != nil || !isRSA {
			return parsedKey{}, damagedPublicKeyError(file, source, "an RSA public key")
		}

		return parsedKey{family: familyRSA, key: rsaKey}, nil

	case algorithm.Equal(oidECPublic):
		curve, err := publicKeyCurve(info.Algorithm.Parameters.FullBytes, file, source)
		if err != nil {
			return parsedKey{family: familyECDSA}, err
		}

		if curveMethods[curve] == nil {
			return parsedKey{family: familyECDSA, curve: curve}, nil
		}

		key, err := x509.ParsePKIXPublicKey(der)
		ecKey, isEC := key.(*ecdsa.PublicKey)
		if err != nil || !isEC {
			return parsedKey{}, damagedPublicKeyError(file, source, "an ECDSA public key")
		}

		return parsedKey{family: familyECDSA, curve: curve, key: ecKey}, nil
	}

	for _, known := range algorithmNames {
		if algorithm.Equal(known.oid) {
			return parsedKey{family: known.name}, nil
		}
	}

	return parsedKey{family: "unknown algorithm " + algorithm.String()}, nil
}

// damagedPublicKeyError reports a public key whose algorithm is known but
// whose key data does not parse.
func damagedPublicKeyError(file, source, key string) error {
	export := "export the public key again"
	if source == sourceCertificate {
		export = "export the certificate again"
	}

	return fmt.Errorf("key file %q contains %s that is not valid; the file is damaged, so %s", file, describePublicKey(source, key), export)
}

// publicKeyCurve returns the name of the named curve in the DER parameters
// of an EC public key, or "OID x.y.z" for a curve it does not know.
func publicKeyCurve(parameters []byte, file, source string) (string, error) {
	key := describePublicKey(source, "an EC public key")

	if len(parameters) == 0 {
		return "", fmt.Errorf("key file %q contains %s that does not name its curve; export it again with OpenSSL", file, key)
	}

	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(parameters, &oid); err != nil {
		convert := fmt.Sprintf("convert it with `openssl ec -pubin -in %s -param_enc named_curve -pubout -out converted.pem` and pass converted.pem",
			shellQuote(file))
		if source == sourceCertificate {
			convert = fmt.Sprintf("extract the key with `openssl x509 -in %s -pubkey -noout -out public.pem`, "+
				"convert it with `openssl ec -pubin -in public.pem -param_enc named_curve -pubout -out converted.pem` and pass converted.pem",
				shellQuote(file))
		}

		return "", fmt.Errorf("key file %q contains %s that has explicit curve parameters instead of a named curve; %s", file, key, convert)
	}

	return curveNameOf(oid), nil
}
