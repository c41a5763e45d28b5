package commands

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pxauth/pxauth/jwtgen"
)

// secretEnv is the environment variable the Portworx docs keep the shared
// secret in; pxauth reads it when no key flag is given.
const secretEnv = "PORTWORX_AUTH_SHARED_SECRET"

// keyOptions holds the signing-key flags shared by token generate and token
// inspect --verify. At most one source may be given.
type keyOptions struct {
	sharedSecret     string
	sharedSecretSet  bool
	sharedSecretFile string
	rsaKeyFile       string
	ecdsaKeyFile     string
}

func keyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name:      "shared-secret-file",
			Usage:     "read the HS256 shared secret from `FILE` (- for stdin); one trailing newline is dropped",
			TakesFile: true,
		},
		&cli.StringFlag{
			Name:  "shared-secret",
			Usage: "HS256 shared secret `VALUE`; visible in ps and shell history, so prefer --shared-secret-file or " + secretEnv,
		},
		&cli.StringFlag{
			Name:      "rsa-private-keyfile",
			Usage:     "sign with RS256 using the RSA private key in PEM `FILE` (PKCS#1 or PKCS#8)",
			TakesFile: true,
		},
		&cli.StringFlag{
			Name:      "ecdsa-private-keyfile",
			Usage:     "sign with the ECDSA private key in PEM `FILE` (SEC1 or PKCS#8); P-256, P-384 and P-521 give ES256, ES384 and ES512",
			TakesFile: true,
		},
	}
}

func readKeyOptions(c *cli.Context) keyOptions {
	return keyOptions{
		sharedSecret:     c.String("shared-secret"),
		sharedSecretSet:  c.IsSet("shared-secret"),
		sharedSecretFile: c.String("shared-secret-file"),
		rsaKeyFile:       c.String("rsa-private-keyfile"),
		ecdsaKeyFile:     c.String("ecdsa-private-keyfile"),
	}
}

// sources lists the key flags that were given, for conflict messages.
func (o keyOptions) sources() []string {
	var given []string
	if o.sharedSecretSet {
		given = append(given, "--shared-secret")
	}
	if o.sharedSecretFile != "" {
		given = append(given, "--shared-secret-file")
	}
	if o.rsaKeyFile != "" {
		given = append(given, "--rsa-private-keyfile")
	}
	if o.ecdsaKeyFile != "" {
		given = append(given, "--ecdsa-private-keyfile")
	}
	return given
}

// readsStdin reports whether a key flag reads from stdin.
func (o keyOptions) readsStdin() bool {
	return o.sharedSecretFile == "-"
}

// checkKeySources rejects two key sources at once, rather than choosing
// one silently, and no key source at all.
func (e *env) checkKeySources(o keyOptions) error {
	given := o.sources()
	if len(given) > 1 {
		return usagef("%s given together; use exactly one signing key", strings.Join(given, " and "))
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
	)
	switch {
	case o.sharedSecretSet:
		key, notices, err = jwtgen.SharedSecretKey([]byte(o.sharedSecret), "--shared-secret")

	case o.sharedSecretFile != "":
		var data []byte
		data, err = e.readInput(o.sharedSecretFile, "--shared-secret-file")
		if err != nil {
			return jwtgen.Key{}, err
		}
		source := fmt.Sprintf("--shared-secret-file %q", displayName(o.sharedSecretFile))
		key, notices, err = jwtgen.SharedSecretKey(jwtgen.TrimSecret(data), source)

	case o.rsaKeyFile != "":
		var data []byte
		data, err = e.readInput(o.rsaKeyFile, "--rsa-private-keyfile")
		if err != nil {
			return jwtgen.Key{}, err
		}
		key, err = jwtgen.ParseRSAPrivateKey(data, o.rsaKeyFile)

	case o.ecdsaKeyFile != "":
		var data []byte
		data, err = e.readInput(o.ecdsaKeyFile, "--ecdsa-private-keyfile")
		if err != nil {
			return jwtgen.Key{}, err
		}
		key, err = jwtgen.ParseECDSAPrivateKey(data, o.ecdsaKeyFile)

	default:
		secret, _ := e.lookupEnv(secretEnv)
		key, notices, err = jwtgen.SharedSecretKey([]byte(secret), secretEnv)
	}
	if err != nil {
		return jwtgen.Key{}, err
	}

	e.printNotices(notices)
	return key, nil
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
