package integration

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdGenkey writes a freshly generated private key in the format a test
// needs:
//
//	genkey TYPE FILE [FORMAT ...]
//
// TYPE is rsa2048, rsa1024, p224, p256, p384, p521 or ed25519. FORMAT words:
// pkcs1, pkcs8, sec1 (the encoding), params (an EC PARAMETERS block first),
// crlf, bom, encrypted (a legacy Proc-Type header), encrypted-pkcs8, public
// (the public key only) and cert (a self-signed certificate only).
func cmdGenkey(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("genkey does not support !")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: genkey TYPE FILE [FORMAT ...]")
	}

	key := generateKey(ts, args[0])
	formats := map[string]bool{}
	for _, f := range args[2:] {
		formats[f] = true
	}

	data := encodeKey(ts, key, formats)
	if formats["crlf"] {
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	}
	if formats["bom"] {
		data = append([]byte("\xef\xbb\xbf"), data...)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o600))
}

func generateKey(ts *testscript.TestScript, kind string) any {
	var (
		key any
		err error
	)
	switch kind {
	case "rsa2048":
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	case "rsa1024":
		key, err = rsa.GenerateKey(rand.Reader, 1024)
	case "p224":
		key, err = ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	case "p256":
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "p384":
		key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "p521":
		key, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case "ed25519":
		_, key, err = ed25519.GenerateKey(rand.Reader)
	default:
		ts.Fatalf("genkey: unknown key type %q", kind)
	}
	ts.Check(err)
	return key
}

func encodeKey(ts *testscript.TestScript, key any, formats map[string]bool) []byte {
	signer := key.(crypto.Signer)

	switch {
	case formats["public"]:
		der, err := x509.MarshalPKIXPublicKey(signer.Public())
		ts.Check(err)
		return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})

	case formats["cert"]:
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: "pxauth test"},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, signer.Public(), key)
		ts.Check(err)
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})

	case formats["encrypted-pkcs8"]:
		// The content is not a real encrypted key; the block type alone is
		// what a loader must recognise.
		return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("not a real encrypted key")})
	}

	var block *pem.Block
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if formats["pkcs8"] {
			block = pkcs8Block(ts, k)
		} else {
			block = &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}
		}
	case *ecdsa.PrivateKey:
		if formats["pkcs8"] {
			block = pkcs8Block(ts, k)
		} else {
			der, err := x509.MarshalECPrivateKey(k)
			ts.Check(err)
			block = &pem.Block{Type: "EC PRIVATE KEY", Bytes: der}
		}
	default:
		block = pkcs8Block(ts, key)
	}

	if formats["encrypted"] {
		block.Headers = map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"}
	}

	data := pem.EncodeToMemory(block)
	if formats["params"] {
		params := pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: curveOID(ts, key)})
		data = append(params, data...)
	}
	return data
}

func pkcs8Block(ts *testscript.TestScript, key any) *pem.Block {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	ts.Check(err)
	return &pem.Block{Type: "PRIVATE KEY", Bytes: der}
}

// curveOID returns the DER of the named-curve OID, which is what
// `openssl ecparam -genkey` writes in its EC PARAMETERS block.
func curveOID(ts *testscript.TestScript, key any) []byte {
	k, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		ts.Fatalf("genkey: params goes with an ECDSA key")
	}
	oids := map[elliptic.Curve][]byte{
		elliptic.P224(): {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x21},
		elliptic.P256(): {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07},
		elliptic.P384(): {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22},
		elliptic.P521(): {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23},
	}
	return oids[k.Curve]
}

// cmdJWTVerify checks a token with go-jose, an implementation independent
// of the one pxauth signs with:
//
//	jwtverify [-secret FILE | -key FILE] -alg ALG [-duration D] [-skew D] TOKENFILE CLAIMSFILE
//
// The signature must verify, the header must be exactly {"alg":ALG,"typ":"JWT"},
// and the claims must equal CLAIMSFILE (JSON) except iat and exp, which must
// be integers with exp-iat = duration+skew and exp about now+duration.
func cmdJWTVerify(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("jwtverify", flag.ContinueOnError)
	secretFile := fs.String("secret", "", "file with the HS shared secret")
	keyFile := fs.String("key", "", "PEM private key file")
	alg := fs.String("alg", "HS256", "expected algorithm")
	duration := fs.Duration("duration", 24*time.Hour, "expected token duration")
	skew := fs.Duration("skew", time.Minute, "expected clock skew")
	ts.Check(fs.Parse(args))
	if fs.NArg() != 2 {
		ts.Fatalf("usage: jwtverify [-secret FILE | -key FILE] -alg ALG TOKENFILE CLAIMSFILE")
	}

	err := verifyToken(ts, *secretFile, *keyFile, *alg, *duration, *skew, fs.Arg(0), fs.Arg(1))
	if neg {
		if err == nil {
			ts.Fatalf("jwtverify: token verified, expected a failure")
		}
		ts.Logf("jwtverify: %v", err)
		return
	}
	ts.Check(err)
}

func verifyToken(ts *testscript.TestScript, secretFile, keyFile, alg string, duration, skew time.Duration, tokenFile, claimsFile string) error {
	token := strings.TrimRight(ts.ReadFile(tokenFile), "\n")

	sig, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err != nil {
		return err
	}
	payload, err := sig.Verify(verificationKey(ts, secretFile, keyFile))
	if err != nil {
		return err
	}

	header, err := base64.RawURLEncoding.DecodeString(strings.SplitN(token, ".", 2)[0])
	if err != nil {
		return err
	}
	if want := `{"alg":"` + alg + `","typ":"JWT"}`; string(header) != want {
		return fmt.Errorf("header is %s, expected %s", header, want)
	}

	return compareClaims(ts, payload, duration, skew, claimsFile)
}

func verificationKey(ts *testscript.TestScript, secretFile, keyFile string) any {
	if secretFile != "" {
		secret := ts.ReadFile(secretFile)
		secret = strings.TrimSuffix(strings.TrimSuffix(secret, "\n"), "\r")
		return []byte(secret)
	}

	data := bytes.TrimPrefix([]byte(ts.ReadFile(keyFile)), []byte("\xef\xbb\xbf"))
	block, rest := pem.Decode(data)
	if block != nil && block.Type == "EC PARAMETERS" {
		block, _ = pem.Decode(rest)
	}
	if block == nil {
		ts.Fatalf("jwtverify: no PEM block in %s", keyFile)
	}
	var (
		key any
		err error
	)
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	}
	ts.Check(err)
	return key.(crypto.Signer).Public()
}

func compareClaims(ts *testscript.TestScript, payload []byte, duration, skew time.Duration, claimsFile string) error {
	var got, want map[string]any
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(ts.ReadFile(claimsFile)), &want); err != nil {
		return err
	}

	iat, err := intClaim(got, "iat")
	if err != nil {
		return err
	}
	exp, err := intClaim(got, "exp")
	if err != nil {
		return err
	}
	if d := time.Duration(exp-iat) * time.Second; d != duration+skew {
		return fmt.Errorf("exp-iat is %v, expected %v", d, duration+skew)
	}
	if off := time.Until(time.Unix(exp, 0)) - duration; off > 10*time.Second || off < -10*time.Second {
		return fmt.Errorf("exp is %v away from now+%v", off, duration)
	}

	delete(got, "iat")
	delete(got, "exp")
	gotJSON, _ := json.Marshal(got)
	var gotPlain map[string]any
	if err := json.Unmarshal(gotJSON, &gotPlain); err != nil {
		return err
	}
	if !reflect.DeepEqual(gotPlain, want) {
		return fmt.Errorf("claims are %s, expected %s", gotJSON, ts.ReadFile(claimsFile))
	}
	return nil
}

func intClaim(claims map[string]any, name string) (int64, error) {
	n, ok := claims[name].(json.Number)
	if !ok {
		return 0, fmt.Errorf("claim %q is %v, expected an integer", name, claims[name])
	}
	return n.Int64()
}

// cmdJWTSign signs the claims in a JSON file with go-jose, for tokens pxauth
// would never mint (expired, issued in the future):
//
//	jwtsign -secret FILE [-iat-offset D] CLAIMSFILE
//
// With -iat-offset, iat is set to now plus that offset.
func cmdJWTSign(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("jwtsign does not support !")
	}
	fs := flag.NewFlagSet("jwtsign", flag.ContinueOnError)
	secretFile := fs.String("secret", "", "file with the HS256 shared secret")
	iatOffset := fs.Duration("iat-offset", 0, "set iat to now plus this offset")
	ts.Check(fs.Parse(args))
	if fs.NArg() != 1 {
		ts.Fatalf("usage: jwtsign -secret FILE [-iat-offset D] CLAIMSFILE")
	}

	var claims map[string]any
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(fs.Arg(0))), &claims))
	if *iatOffset != 0 {
		claims["iat"] = time.Now().Add(*iatOffset).Unix()
	}
	payload, err := json.Marshal(claims)
	ts.Check(err)

	key := []byte(strings.TrimSuffix(ts.ReadFile(*secretFile), "\n"))
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	ts.Check(err)
	sig, err := signer.Sign(payload)
	ts.Check(err)
	token, err := sig.CompactSerialize()
	ts.Check(err)
	fmt.Fprintln(ts.Stdout(), token)
}
