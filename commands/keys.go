package commands

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/jwtgen"
)

// secretEnv is the environment variable the Portworx docs keep the shared
// secret in; pxauth reads it when no key flag is given.
const secretEnv = "PORTWORX_AUTH_SHARED_SECRET"

// keyOptions holds the key flags shared by token generate and token
// inspect --verify. At most one source may be given. The set fields record
// a flag given with an empty value, as an unset shell variable gives, so
// that it is an error rather than a fall back to the environment.
type keyOptions struct {
	sharedSecret        string
	sharedSecretSet     bool
	sharedSecretFile    string
	sharedSecretFileSet bool
	rsaKeyFile          string
	rsaKeyFileSet       bool
	ecdsaKeyFile        string
	ecdsaKeyFileSet     bool

	// verify is true for token inspect --verify, which also takes public
	// keys and certificates.
	verify bool
}

// keyFlags returns the key flags; verb is "sign" or "verify" for the help.
func keyFlags(verb string) []cli.Flag {
	keyKind := "private key"
	if verb == "verify" {
		keyKind = "private key, public key or certificate"
	}
	return []cli.Flag{
		&cli.StringFlag{
			Name:      "shared-secret-file",
			Usage:     verb + " with HS256 and the shared secret in `FILE` (- for stdin); one trailing newline is dropped",
			TakesFile: true,
		},
		&cli.StringFlag{
			Name:  "shared-secret",
			Usage: "HS256 shared secret `VALUE`; visible in ps and shell history, so prefer --shared-secret-file or " + secretEnv,
		},
		&cli.StringFlag{
			Name:      "rsa-private-keyfile",
			Usage:     verb + " with RS256 and the RSA " + keyKind + " in PEM `FILE`",
			TakesFile: true,
		},
		&cli.StringFlag{
			Name:      "ecdsa-private-keyfile",
			Usage:     verb + " with the ECDSA " + keyKind + " in PEM `FILE`; P-256, P-384 and P-521 give ES256, ES384 and ES512",
			TakesFile: true,
		},
	}
}

func readKeyOptions(c *cli.Context) keyOptions {
	return keyOptions{
		sharedSecret:        c.String("shared-secret"),
		sharedSecretSet:     c.IsSet("shared-secret"),
		sharedSecretFile:    c.String("shared-secret-file"),
		sharedSecretFileSet: c.IsSet("shared-secret-file"),
		rsaKeyFile:          c.String("rsa-private-keyfile"),
		rsaKeyFileSet:       c.IsSet("rsa-private-keyfile"),
		ecdsaKeyFile:        c.String("ecdsa-private-keyfile"),
		ecdsaKeyFileSet:     c.IsSet("ecdsa-private-keyfile"),
	}
}

// sources lists the key flags that were given, for conflict messages.
func (o keyOptions) sources() []string {
	var given []string
	if o.sharedSecretSet {
		given = append(given, "--shared-secret")
	}
	if o.sharedSecretFileSet {
		given = append(given, "--shared-secret-file")
	}
	if o.rsaKeyFileSet {
		given = append(given, "--rsa-private-keyfile")
	}
	if o.ecdsaKeyFileSet {
		given = append(given, "--ecdsa-private-keyfile")
	}
	return given
}

// readsStdin reports whether a key flag reads from stdin.
func (o keyOptions) readsStdin() bool {
	return o.sharedSecretFile == "-" || o.rsaKeyFile == "-" || o.ecdsaKeyFile == "-"
}

// checkKeySources rejects two key sources at once, rather than choosing
// one silently, and no key source at all.
func (e *env) checkKeySources(o keyOptions) error {
	given := o.sources()
	if len(given) > 1 {
		return usagef("%s given together; use exactly one signing key", strings.Join(given, " and "))
	}
	for _, file := range []struct {
		flag, path string
		set        bool
	}{
		{"--shared-secret-file", o.sharedSecretFile, o.sharedSecretFileSet},
		{"--rsa-private-keyfile", o.rsaKeyFile, o.rsaKeyFileSet},
		{"--ecdsa-private-keyfile", o.ecdsaKeyFile, o.ecdsaKeyFileSet},
	} {
		if file.set && file.path == "" {
			return usagef("%s is empty; pass a file path, or - for stdin", file.flag)
		}
	}
	if len(given) == 0 {
		if _, ok := e.lookupEnv(secretEnv); !ok {
			return usagef("no signing key; give --shared-secret-file FILE, --rsa-private-keyfile FILE or --ecdsa-private-keyfile FILE, or set %s", secretEnv)
		}
	}
	return nil
}

// loadKey reads and parses the one signing key the flags or the
// environment name.
func (e *env) loadKey(o keyOptions) (jwtgen.Key, error) {
	if err := e.checkKeySources(o); err != nil {
		return jwtgen.Key{}, err
	}

	var (
		key     jwtgen.Key
		notices []jwtgen.Notice
		err     error

		// keyFile and keyData are the path and content of an RSA or
		// ECDSA key file.
		keyFile string
		keyData []byte
	)
	switch {
	case o.sharedSecretSet:
		key, notices, err = jwtgen.SharedSecretKey([]byte(o.sharedSecret), "--shared-secret")

	case o.sharedSecretFileSet:
		var data []byte
		data, err = e.readInput(o.sharedSecretFile, "--shared-secret-file")
		if err != nil {
			return jwtgen.Key{}, err
		}
		source := fmt.Sprintf("--shared-secret-file %q", displayName(o.sharedSecretFile))
		key, notices, err = jwtgen.SharedSecretKey(jwtgen.TrimSecret(data), source)

	case o.rsaKeyFileSet:
		var data []byte
		data, err = e.readInput(o.rsaKeyFile, "--rsa-private-keyfile")
		if err != nil {
			return jwtgen.Key{}, err
		}
		keyFile, keyData = o.rsaKeyFile, data
		if o.verify {
			key, err = jwtgen.ParseRSAVerifyKey(data, o.rsaKeyFile)
		} else {
			key, err = jwtgen.ParseRSAPrivateKey(data, o.rsaKeyFile)
		}

	case o.ecdsaKeyFileSet:
		var data []byte
		data, err = e.readInput(o.ecdsaKeyFile, "--ecdsa-private-keyfile")
		if err != nil {
			return jwtgen.Key{}, err
		}
		keyFile, keyData = o.ecdsaKeyFile, data
		if o.verify {
			key, err = jwtgen.ParseECDSAVerifyKey(data, o.ecdsaKeyFile)
		} else {
			key, err = jwtgen.ParseECDSAPrivateKey(data, o.ecdsaKeyFile)
		}

	default:
		secret, _ := e.lookupEnv(secretEnv)
		key, notices, err = jwtgen.SharedSecretKey([]byte(secret), secretEnv)
	}
	if err != nil {
		return jwtgen.Key{}, err
	}

	if keyFile != "" {
		e.warnIfKeyFileOpen(keyFile, keyData)
	}
	e.printNotices(notices)
	return key, nil
}

// warnIfKeyFileOpen warns, as ssh does, when the key file at path (with
// content data) contains a private key and group or other users have any
// access to it. The key is still used. Public keys and certificates, which
// token inspect --verify also takes, are not secret. Windows file modes do
// not describe access, so nothing is checked there.
func (e *env) warnIfKeyFileOpen(path string, data []byte) {
	if path == "-" || runtime.GOOS == "windows" || !bytes.Contains(data, []byte("PRIVATE KEY-----")) {
		return
	}
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return
	}
	perm := info.Mode().Perm()
	if perm&0o077 == 0 {
		return
	}

	access := "readable"
	if perm&0o044 == 0 {
		access = "accessible"
	}
	e.warnf("key file %q is %s by other users (mode %04o); chmod 600 %q", path, access, perm, path)
}

func (e *env) printNotices(notices []jwtgen.Notice) {
	for _, n := range notices {
		if n.Level == jwtgen.LevelWarning {
			e.warnf("%s", n.Message)
		} else {
			e.notef("%s", n.Message)
		}
	}
}
