package integration

import (
	"bytes"
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// catalogueSecret is the shared secret of every catalogue row. No message
// may contain it.
const catalogueSecret = "catalogue-shared-secret-5e0c9a7d41b2f86e"

// catalogueEnvSecret is the shared secret that rows put in
// PORTWORX_AUTH_SHARED_SECRET. No message may contain it either.
const catalogueEnvSecret = "environment-shared-secret-0b7f3e95c2d84a61"

// badInput is one row of the bad-input catalogue: a command line that
// pxauth must reject, its input files and how it must fail.
type badInput struct {
	name string
	args []string

	// files are created in the row's directory, relative to it, on top of
	// the files every row has (see writeCommonFiles). Paths under home/ are
	// in HOME.
	files map[string][]byte
	env   []string
	stdin []byte

	exit   int    // 1 for invalid input, 2 for a usage error (README, "Exit codes")
	stderr string // regexp that a line of stderr must match after "pxauth: "
}

// catalogueFixtures holds the tokens and keys the rows are built from.
// Every token is signed with catalogueSecret.
type catalogueFixtures struct {
	validToken    string // an admin token, inline in contextFile
	fileToken     string // another valid token, in the file admin.token
	twoSegments   string // the header and claims of validToken, no signature
	badBase64     string // claims with characters of standard base64
	headerNotJSON string
	claimsNotJSON string
	claimsArray   string
	algNone       string
	hugeToken     string // more than 64 KiB

	// tokens lists every token above, for the check that no message
	// contains one.
	tokens []string

	contextFile []byte // a good contextconfig with contexts admin and kube

	// truncatedContextFile ends inside the quoted token of its first context.
	truncatedContextFile []byte

	rsaTruncated, rsaPublic, rsaCert, rsaWrongBlock, rsaEncrypted []byte
	rsa1024, dsaPKCS8, dsaLegacy, ed25519Key, ecP256, ecP224      []byte
	encryptedPKCS8                                                []byte
}

// TestCatalogueBadInput runs pxauth with malformed input for every command.
// Each run must exit with the documented code and a message naming the
// cause, print nothing on stdout and change no file. No message may contain
// the shared secret, a token or part of a token's signature.
func TestCatalogueBadInput(t *testing.T) {
	if err := touchSources(".."); err != nil {
		t.Fatal(err)
	}

	fx := newCatalogueFixtures(t)
	rows := catalogueRows(fx)
	if len(rows) < 40 {
		t.Fatalf("the catalogue has %d rows, expected at least 40", len(rows))
	}
	t.Logf("%d catalogue rows", len(rows))

	names := map[string]bool{}
	for _, row := range rows {
		if names[row.name] {
			t.Fatalf("two rows are called %q", row.name)
		}
		names[row.name] = true

		t.Run(row.name, func(t *testing.T) {
			s := newSandbox(t)
			writeCommonFiles(t, s, fx)
			for rel, data := range row.files {
				s.write(t, rel, data)
			}
			before := snapshot(t, s.dir)

			res := s.run(t, row.stdin, row.env, row.args...)

			if res.exit != row.exit {
				t.Errorf("exit code %d, expected %d; stderr: %s", res.exit, row.exit, res.stderr)
			}
			if res.stdout != "" {
				t.Errorf("stdout is not empty: %q", res.stdout)
			}
			if !regexp.MustCompile(`(?m)^pxauth: .*` + row.stderr).MatchString(res.stderr) {
				t.Errorf("stderr %q does not match %q", res.stderr, row.stderr)
			}
			for _, line := range strings.Split(strings.TrimSuffix(res.stderr, "\n"), "\n") {
				if !strings.HasPrefix(line, "pxauth: ") {
					t.Errorf("stderr line %q does not start with \"pxauth: \"", line)
				}
			}
			for _, leak := range findSecrets(res.stderr, fx.tokens) {
				t.Errorf("stderr contains %s", leak)
			}
			for _, change := range compareSnapshots(before, snapshot(t, s.dir), s.dir, s.contextConfig()) {
				t.Errorf("file changed: %s", change)
			}
		})
	}
}

// writeCommonFiles creates the files every row has: the shared secret, a
// valid user file and a valid token, so that a row that breaks one input
// leaves the others good.
func writeCommonFiles(t *testing.T, s *sandbox, fx catalogueFixtures) {
	t.Helper()
	s.write(t, "secret", []byte(catalogueSecret+"\n"))
	s.write(t, "user.yaml", []byte(validUserFile))
	s.write(t, "admin.token", []byte(fx.fileToken+"\n"))
}

const validUserFile = `name: Storage Administrator
email: storage-admin@example.com
sub: 6f1c2b9e-4d1a-4f5e-9b8a-1c2d3e4f5a6b
roles: ["system.admin"]
groups: ["*"]
`

// catalogueRows returns the catalogue. Each group follows the inputs of
// one kind: user files, durations, key files, tokens, context names,
// context files, preferences and flags in conflict.
func catalogueRows(fx catalogueFixtures) []badInput {
	gen := func(extra ...string) []string {
		return append([]string{"token", "generate", "--auth-config", "user.yaml", "--issuer", "portworx.com", "--shared-secret-file", "secret"}, extra...)
	}
	genUser := func(file string) []string {
		return []string{"token", "generate", "--auth-config", file, "--issuer", "portworx.com", "--shared-secret-file", "secret"}
	}
	genKey := func(flag, file string) []string {
		return []string{"token", "generate", "--auth-config", "user.yaml", "--issuer", "portworx.com", flag, file}
	}
	file := func(name string, data []byte) map[string][]byte { return map[string][]byte{name: data} }
	text := func(name, data string) map[string][]byte { return file(name, []byte(data)) }
	withContexts := func(data []byte) map[string][]byte { return file("home/.pxctl/contextconfig", data) }
	contextText := func(data string) map[string][]byte { return withContexts([]byte(data)) }
	secretEnv := []string{"PORTWORX_AUTH_SHARED_SECRET=" + catalogueEnvSecret}

	hugeUser := "name: " + strings.Repeat("A", 100<<10) + "\nsub: a\nroles: [system.admin]\n"
	oversizedUser := "name: a\nsub: a\nroles: [system.admin]\n# " + strings.Repeat("x", 2<<20) + "\n"

	rows := []badInput{
		// User files.
		{name: "user typo key", args: genUser("u.yaml"), files: text("u.yaml", "name: Ops\nemail: ops@example.com\nsub: ops\nrole: [system.admin]\n"),
			exit: 1, stderr: `u\.yaml:4: .*"role".*"roles"`},
		{name: "user star alias", args: genUser("u.yaml"), files: text("u.yaml", "name: Ops\nsub: ops\nroles: [system.admin]\ngroups: [*]\n"),
			exit: 1, stderr: `u\.yaml:4: .*\["\*"\]`},
		{name: "user star scalar", args: genUser("u.yaml"), files: text("u.yaml", "name: Ops\nsub: ops\nroles: [system.admin]\ngroups: *\n"),
			exit: 1, stderr: `u\.yaml:4: .*groups: \["\*"\]`},
		{name: "user placeholder email", args: genUser("u.yaml"), files: text("u.yaml", "name: Ops\nemail: ${EMAIL}\nsub: ops\nroles: [system.user]\n"),
			exit: 1, stderr: `u\.yaml:2: invalid email "\$\{EMAIL\}"`},
		{name: "user duplicate key", args: genUser("u.yaml"), files: text("u.yaml", "name: Ops\nsub: ops\nname: Other\nroles: [system.admin]\n"),
			exit: 1, stderr: `u\.yaml:3: .*name`},
		{name: "user not a mapping", args: genUser("u.yaml"), files: text("u.yaml", "- name: Ops\n"),
			exit: 1, stderr: `u\.yaml:1: .*mapping`},
		{name: "user empty", args: genUser("u.yaml"), files: text("u.yaml", "# only a comment\n"),
			exit: 1, stderr: `u\.yaml: user file is empty`},
		{name: "user issuer key", args: genUser("u.yaml"), files: text("u.yaml", "name: Ops\nsub: ops\nroles: [system.admin]\nissuer: portworx.com\n"),
			exit: 1, stderr: `u\.yaml:4: .*issuer.*--issuer`},
		{name: "user role with space", args: genUser("u.yaml"), files: text("u.yaml", "name: Ops\nsub: ops\nroles: [\"system admin\"]\n"),
			exit: 1, stderr: `u\.yaml:3: .*"system admin"`},
		{name: "user without roles", args: genUser("u.yaml"), files: text("u.yaml", "name: Ops\nsub: ops\n"),
			exit: 1, stderr: `u\.yaml: missing roles`},
		{name: "user anchors", args: genUser("u.yaml"), files: text("u.yaml", "name: &a lol\nsub: ops\nroles: [*a, *a]\n"),
			exit: 1, stderr: `u\.yaml:1: YAML anchor "&a"`},
		{name: "user huge", args: genUser("u.yaml"), files: text("u.yaml", hugeUser),
			exit: 1, stderr: `u\.yaml: file is too large \([0-9]+ bytes, the maximum is 65536\)`},
		{name: "user over the read limit", args: genUser("u.yaml"), files: text("u.yaml", oversizedUser),
			exit: 1, stderr: `--auth-config "u\.yaml" is larger than 1048576 bytes`},
		{name: "user file missing", args: genUser("missing.yaml"),
			exit: 1, stderr: `cannot read --auth-config "missing\.yaml": no such file`},
		{name: "user file a directory", args: genUser("home"),
			exit: 2, stderr: `--auth-config "home" is a directory; add --output-dir`},

		// Durations.
		{name: "duration trailing garbage", args: gen("--token-duration", "1habc"), exit: 1, stderr: `--token-duration: invalid duration "1habc": unknown unit "habc"`},
		{name: "duration fraction", args: gen("--token-duration", "1.5h"), exit: 1, stderr: `--token-duration: invalid duration "1\.5h": fractions are not allowed`},
		{name: "duration zero", args: gen("--token-duration", "0s"), exit: 1, stderr: `--token-duration: invalid duration "0s": a token must be valid for at least 1s`},
		{name: "duration negative", args: gen("--token-duration=-1h"), exit: 1, stderr: `--token-duration: invalid duration "-1h": signs are not allowed`},
		{name: "duration overflow", args: gen("--token-duration", "293y"), exit: 1, stderr: `--token-duration: invalid duration "293y": too long`},
		{name: "duration empty", args: gen("--token-duration", ""), exit: 1, stderr: `--token-duration: invalid duration "": empty value`},
		{name: "duration two units", args: gen("--token-duration", "1y6m"), exit: 1, stderr: `--token-duration: invalid duration "1y6m": d and y cannot be combined`},
		{name: "duration from environment", args: genUser("user.yaml"), env: []string{"PXAUTH_TOKEN_DURATION=1w"},
			exit: 1, stderr: `PXAUTH_TOKEN_DURATION: invalid duration "1w": unknown unit "w"`},
		{name: "clock skew too large", args: gen("--clock-skew", "25h"), exit: 1, stderr: `--clock-skew: invalid clock skew "25h": the maximum is 24h`},

		// Key files.
		{name: "key truncated PEM", args: genKey("--rsa-private-keyfile", "k.pem"), files: file("k.pem", fx.rsaTruncated),
			exit: 1, stderr: `key file "k\.pem" has a "-----BEGIN" line but no complete PEM block`},
		{name: "key wrong block type", args: genKey("--rsa-private-keyfile", "k.pem"), files: file("k.pem", fx.rsaWrongBlock),
			exit: 1, stderr: `key file "k\.pem" contains no private key, only a PEM block of type "X509 CRL"`},
		{name: "key public", args: genKey("--rsa-private-keyfile", "k.pem"), files: file("k.pem", fx.rsaPublic),
			exit: 1, stderr: `key file "k\.pem" contains a public key, but signing needs the private key`},
		{name: "key certificate", args: genKey("--rsa-private-keyfile", "k.pem"), files: file("k.pem", fx.rsaCert),
			exit: 1, stderr: `key file "k\.pem" contains a certificate, but signing needs the private key`},
		{name: "key DSA PKCS8", args: genKey("--rsa-private-keyfile", "k.pem"), files: file("k.pem", fx.dsaPKCS8),
			exit: 1, stderr: `key file "k\.pem" contains a private key of type DSA`},
		{name: "key DSA legacy", args: genKey("--ecdsa-private-keyfile", "k.pem"), files: file("k.pem", fx.dsaLegacy),
			exit: 1, stderr: `key file "k\.pem" contains a private key of type DSA`},
		{name: "key RSA 1024", args: genKey("--rsa-private-keyfile", "k.pem"), files: file("k.pem", fx.rsa1024),
			exit: 1, stderr: `key file "k\.pem" contains a 1024-bit RSA key, .*at least 2048 bits`},
		{name: "key encrypted", args: genKey("--rsa-private-keyfile", "k.pem"), files: file("k.pem", fx.rsaEncrypted),
			exit: 1, stderr: "key file \"k\\.pem\" contains an encrypted private key; decrypt it with `openssl pkey -in k\\.pem"},
		{name: "key encrypted PKCS8", args: genKey("--ecdsa-private-keyfile", "k.pem"), files: file("k.pem", fx.encryptedPKCS8),
			exit: 1, stderr: `key file "k\.pem" contains an encrypted private key`},
		{name: "key Ed25519", args: genKey("--ecdsa-private-keyfile", "k.pem"), files: file("k.pem", fx.ed25519Key),
			exit: 1, stderr: `key file "k\.pem" contains a private key of type Ed25519`},
		{name: "key ECDSA for RSA flag", args: genKey("--rsa-private-keyfile", "k.pem"), files: file("k.pem", fx.ecP256),
			exit: 1, stderr: `key file "k\.pem" contains an ECDSA private key, not an RSA key; pass it with --ecdsa-private-keyfile`},
		{name: "key curve P-224", args: genKey("--ecdsa-private-keyfile", "k.pem"), files: file("k.pem", fx.ecP224),
			exit: 1, stderr: `key file "k\.pem" uses the elliptic curve P-224`},
		{name: "key not PEM", args: genKey("--rsa-private-keyfile", "user.yaml"),
			exit: 1, stderr: `key file "user\.yaml" is not a PEM file`},
		{name: "key empty", args: genKey("--ecdsa-private-keyfile", "k.pem"), files: text("k.pem", ""),
			exit: 1, stderr: `key file "k\.pem" is empty`},
		{name: "key file missing", args: genKey("--rsa-private-keyfile", "missing.pem"),
			exit: 1, stderr: `cannot read --rsa-private-keyfile "missing\.pem": no such file`},
		{name: "shared secret empty", args: genKey("--shared-secret-file", "empty"), files: text("empty", "\n"),
			exit: 1, stderr: `shared secret from --shared-secret-file "empty" is empty`},
		{name: "shared secret env empty", args: genUser("user.yaml")[:6], env: []string{"PORTWORX_AUTH_SHARED_SECRET="},
			exit: 1, stderr: `shared secret from PORTWORX_AUTH_SHARED_SECRET is empty`},
		{name: "verify wrong secret", args: []string{"token", "inspect", "--verify", "--issuer", "portworx.com", "--shared-secret-file", "other"},
			files: text("other", catalogueEnvSecret+"\n"), stdin: []byte(fx.validToken),
			exit: 1, stderr: `signature does not match the shared secret`},

		// Tokens.
		{name: "token two segments", args: []string{"token", "inspect", fx.twoSegments}, exit: 1, stderr: `invalid token: found 2 segments`},
		{name: "token bad base64", args: []string{"token", "inspect", fx.badBase64}, exit: 1, stderr: `invalid token claims \(2nd segment\): invalid base64url: '\+'`},
		{name: "token header not JSON", args: []string{"token", "inspect", fx.headerNotJSON}, exit: 1, stderr: `invalid token header \(1st segment\): not valid JSON`},
		{name: "token claims not JSON", args: []string{"token", "inspect", fx.claimsNotJSON}, exit: 1, stderr: `invalid token claims \(2nd segment\): not valid JSON`},
		{name: "token alg none", args: []string{"token", "inspect", fx.algNone}, exit: 1, stderr: `invalid token header \(1st segment\): algorithm "none"`},
		{name: "token huge", stdin: []byte(fx.hugeToken), args: []string{"token", "inspect"}, exit: 1, stderr: `invalid token: token is [0-9]+ bytes, more than the limit of 65536 bytes`},
		{name: "token claims array", args: []string{"token", "inspect", fx.claimsArray}, exit: 1, stderr: `invalid token claims \(2nd segment\): JSON array, not an object`},
		{name: "token empty", args: []string{"token", "inspect", ""}, exit: 1, stderr: `the token argument is empty`},
		{name: "token two on stdin", stdin: []byte(fx.validToken + "\n" + fx.validToken + "\n"), args: []string{"token", "inspect"},
			exit: 1, stderr: `invalid token: .*2 tokens`},
		{name: "ctx create alg none", args: []string{"ctx", "create", "x", "--token-file", "t", "--storage", "file"}, files: text("t", fx.algNone),
			exit: 1, stderr: `invalid token header \(1st segment\): algorithm "none"`},
		{name: "ctx create two segments", args: []string{"ctx", "create", "x", "--token-file", "-", "--storage", "file"}, stdin: []byte(fx.twoSegments),
			exit: 1, stderr: `invalid token: found 2 segments`},
		{name: "ctx create huge token", args: []string{"ctx", "create", "x", "--token-file", "t", "--storage", "file"}, files: text("t", fx.hugeToken),
			exit: 1, stderr: `invalid token: token is [0-9]+ bytes, more than the limit of 65536 bytes`},
		{name: "ctx create token path is a token", args: []string{"ctx", "create", "x", "--token-file", fx.validToken, "--storage", "file"},
			exit: 1, stderr: `cannot read --token-file: file name too long \(the path is not shown`},

		// Context names.
		{name: "name empty", args: []string{"ctx", "create", "", "--token-file", "admin.token", "--storage", "file"},
			exit: 1, stderr: `invalid context name: the name is empty`},
		{name: "name with space", args: []string{"ctx", "create", "a b", "--token-file", "admin.token", "--storage", "file"},
			exit: 1, stderr: `invalid context name: "a b" contains white space`},
		{name: "name with slash", args: []string{"ctx", "create", "a/b", "--token-file", "admin.token", "--storage", "file"},
			exit: 1, stderr: `invalid context name: "a/b" contains "/"`},
		{name: "name dash", args: []string{"ctx", "create", "-", "--token-file", "admin.token", "--storage", "file"},
			exit: 1, stderr: `invalid context name: "-" is reserved`},
		{name: "name is a token", args: []string{"ctx", "create", fx.validToken, "--token-file", "admin.token", "--storage", "file"},
			exit: 1, stderr: `the context name looks like a token`},
		{name: "use name is a token", args: []string{"ctx", "use", fx.validToken}, files: withContexts(fx.contextFile),
			exit: 1, stderr: `the context name looks like a token`},
		{name: "save-context name with space", args: gen("--save-context", "a b", "--storage", "file"),
			exit: 1, stderr: `invalid context name: "a b" contains white space`},
		{name: "context flag with space", args: []string{"--context", "a b", "ctx", "token"}, files: withContexts(fx.contextFile),
			exit: 1, stderr: `context not found: "a b".*--context`},
		{name: "use unknown name", args: []string{"ctx", "use", "nosuch"}, files: withContexts(fx.contextFile),
			exit: 1, stderr: `context not found: "nosuch"`},
		{name: "rename onto existing", args: []string{"ctx", "rename", "admin", "kube"}, files: withContexts(fx.contextFile),
			exit: 1, stderr: `context already exists: "kube"`},
		{name: "rename to invalid name", args: []string{"ctx", "rename", "admin", "a b"}, files: withContexts(fx.contextFile),
			exit: 1, stderr: `invalid context name: "a b" contains white space`},
		{name: "delete unknown name", args: []string{"ctx", "delete", "admin", "nosuch"}, files: withContexts(fx.contextFile),
			exit: 1, stderr: `context not found: "nosuch"`},
		{name: "inspect unknown name", args: []string{"ctx", "inspect", "nosuch"}, files: withContexts(fx.contextFile),
			exit: 1, stderr: `context not found: "nosuch"`},
		{name: "token from unknown env context", args: []string{"ctx", "token"}, files: withContexts(fx.contextFile), env: []string{"PXCTL_CONTEXT=typo"},
			exit: 1, stderr: `context not found: "typo".*PXCTL_CONTEXT`},

		// Context files.
		{name: "contexts truncated YAML", args: []string{"ctx", "list"}, files: withContexts(fx.truncatedContextFile),
			exit: 1, stderr: `contextconfig:5: invalid YAML: found unexpected end of stream`},
		{name: "contexts tab indented", args: []string{"ctx", "use", "a"}, files: contextText("contextconfig:\n  current: a\n  configurations:\n  - context: a\n\ttoken: x\n"),
			exit: 1, stderr: `contextconfig:4: invalid YAML: found a tab character`},
		{name: "contexts current a list", args: []string{"ctx", "current"}, files: contextText("contextconfig:\n  current: [a, b]\n  configurations: []\n"),
			exit: 1, stderr: `contextconfig:2: current is a list, expected a scalar`},
		{name: "contexts name a mapping", args: []string{"ctx", "list"}, files: contextText("contextconfig:\n  configurations:\n  - context: {a: 1}\n    token: x\n"),
			exit: 1, stderr: `contextconfig:3: context is a mapping, expected a scalar`},
		{name: "contexts configurations a map", args: []string{"ctx", "list"}, files: contextText("contextconfig:\n  configurations:\n    admin:\n      token: x\n"),
			exit: 1, stderr: `contextconfig:3: configurations is a mapping, expected a list`},
		{name: "contexts root a list", args: []string{"ctx", "create", "x", "--token-file", "admin.token", "--storage", "file"}, files: contextText("- a\n- b\n"),
			exit: 1, stderr: `contextconfig:1: the file is a list, expected a mapping`},
		{name: "contexts section a scalar", args: []string{"ctx", "unset"}, files: contextText("contextconfig: 5\n"),
			exit: 1, stderr: `contextconfig:1: contextconfig is a scalar, expected a mapping`},
		{name: "contexts duplicate use", args: []string{"ctx", "use", "a"}, files: contextText(duplicateContexts(fx.validToken)),
			exit: 1, stderr: `.*"a".*lines 3 and 5`},
		{name: "contexts duplicate token", args: []string{"ctx", "token", "a"}, files: contextText(duplicateContexts(fx.validToken)),
			exit: 1, stderr: `.*"a".*lines 3 and 5`},
		{name: "contexts duplicate delete", args: []string{"ctx", "delete", "a"}, files: contextText(duplicateContexts(fx.validToken)),
			exit: 1, stderr: `.*"a".*lines 3 and 5`},
		{name: "contexts duplicate rename", args: []string{"ctx", "rename", "a", "c"}, files: contextText(duplicateContexts(fx.validToken)),
			exit: 1, stderr: `.*"a".*lines 3 and 5`},
		{name: "contexts duplicate inspect", args: []string{"ctx", "inspect", "a"}, files: contextText(duplicateContexts(fx.validToken)),
			exit: 1, stderr: `.*"a".*lines 3 and 5`},
		{name: "contexts path a directory", args: []string{"--contextconfig", "home", "ctx", "list"},
			exit: 1, stderr: `home: the contextconfig path is a directory`},
		{name: "contexts dir a file", args: []string{"--contextconfig", "user.yaml/contextconfig", "ctx", "create", "x", "--token-file", "admin.token", "--storage", "file"},
			exit: 1, stderr: `read contextconfig "user\.yaml/contextconfig": .*not a directory`},

		// Preferences.
		{name: "preferences unknown key", args: []string{"config", "view"}, files: text("home/.config/pxauth/config.yaml", "isuer: portworx.com\n"),
			exit: 1, stderr: `config\.yaml:1: unknown key "isuer"; did you mean "issuer"`},
		{name: "preferences bad duration", args: genUser("user.yaml"), files: text("home/.config/pxauth/config.yaml", "token-duration: soon\n"),
			exit: 1, stderr: `config\.yaml:1: token-duration: invalid duration "soon"`},
		{name: "keyring timeout invalid", args: []string{"ctx", "create", "x", "--token-file", "admin.token"}, files: withContexts(fx.contextFile), env: []string{"PXAUTH_KEYRING_TIMEOUT=soon"},
			exit: 1, stderr: `invalid PXAUTH_KEYRING_TIMEOUT "soon"`},

		// Flags in conflict and other usage errors.
		{name: "conflict secret value and file", args: gen("--shared-secret", catalogueSecret), exit: 2,
			stderr: `--shared-secret and --shared-secret-file given together`},
		{name: "conflict RSA and ECDSA", args: append(genKey("--rsa-private-keyfile", "a.pem"), "--ecdsa-private-keyfile", "b.pem"),
			exit: 2, stderr: `--rsa-private-keyfile and --ecdsa-private-keyfile given together`},
		{name: "conflict token and token file", args: []string{"ctx", "create", "x", "--token", fx.validToken, "--token-file", "admin.token"},
			exit: 2, stderr: `--token and --token-file given together`},
		{name: "conflict two inputs on stdin", args: []string{"token", "generate", "--auth-config", "-", "--issuer", "portworx.com", "--shared-secret-file", "-"},
			exit: 2, stderr: `--auth-config and --shared-secret-file cannot both read stdin`},
		{name: "conflict force without output", args: gen("--force"), exit: 2, stderr: `--force goes with --output`},
		{name: "conflict endpoint without context", args: gen("--endpoint", "http://localhost:9001"), exit: 2, stderr: `--endpoint, --storage and --use go with --save-context`},
		{name: "conflict use without context", args: gen("--use"), exit: 2, stderr: `--endpoint, --storage and --use go with --save-context`},
		{name: "missing issuer", args: []string{"token", "generate", "--auth-config", "user.yaml", "--shared-secret-file", "secret"},
			exit: 2, stderr: `--issuer is required`},
		{name: "missing signing key", args: []string{"token", "generate", "--auth-config", "user.yaml", "--issuer", "portworx.com"},
			exit: 2, stderr: `no signing key`},
		{name: "missing token", args: []string{"ctx", "create", "x"}, exit: 2, stderr: `a token is required`},
		{name: "verify without issuer", args: []string{"token", "inspect", "--verify", "--shared-secret-file", "secret", fx.validToken},
			exit: 2, stderr: `--verify needs --issuer`},
		{name: "unknown flag", args: gen("--no-such-flag"), exit: 2, stderr: `unknown flag --no-such-flag`},
		{name: "unknown command", args: []string{"token", "frobnicate"}, exit: 2, stderr: `unknown command "frobnicate"`},
		{name: "unknown list format", args: []string{"ctx", "list", "-o", "yaml-please"}, exit: 2, stderr: `invalid --output "yaml-please"`},
		{name: "unknown storage", args: []string{"ctx", "create", "x", "--token-file", "admin.token", "--storage", "vault"},
			exit: 1, stderr: `invalid token storage "vault"; use auto, keyring or file`},
		{name: "unknown shell", args: []string{"completion", "tcsh"}, exit: 2, stderr: `unknown shell "tcsh"`},
		{name: "extra argument", args: gen("extra-arg"), exit: 2, stderr: `token generate takes no arguments`},
		{name: "version extra argument", args: []string{"version", "now"}, exit: 2, stderr: `version takes no arguments, got "now"`},
		{name: "config path extra argument", args: []string{"config", "path", "now"}, exit: 2, stderr: `config path takes no arguments, got "now"`},
		{name: "rename one argument", args: []string{"ctx", "rename", "admin"}, files: withContexts(fx.contextFile), exit: 2, stderr: `ctx rename needs OLD and NEW`},
		{name: "secret env with bad flag", args: []string{"token", "generate", "--auth-config", "user.yaml", "--issuer", "portworx.com", "--bogus"},
			env: secretEnv, exit: 2, stderr: `unknown flag --bogus`},
		{name: "secret env with bad duration", args: []string{"token", "generate", "--auth-config", "user.yaml", "--issuer", "portworx.com", "--token-duration", "1D"},
			env: secretEnv, exit: 1, stderr: `--token-duration: .*"1D"`},
	}
	return rows
}

// duplicateContexts is a contextconfig file, as another tool could write
// it, that defines context "a" twice (lines 3 and 5).
func duplicateContexts(token string) string {
	return "contextconfig:\n  configurations:\n  - context: a\n    token: " + token +
		"\n  - context: a\n    token: " + token + "\n  - context: b\n    token: " + token + "\n"
}

func newCatalogueFixtures(t *testing.T) catalogueFixtures {
	t.Helper()
	var fx catalogueFixtures

	now := time.Now().Unix()
	claims := fmt.Sprintf(`{"email":"storage-admin@example.com","exp":4102444800,"groups":["*"],"iat":%d,"iss":"portworx.com",`+
		`"name":"Storage Administrator","roles":["system.admin"],"sub":"6f1c2b9e-4d1a-4f5e-9b8a-1c2d3e4f5a6b"}`, now)
	header := `{"alg":"HS256","typ":"JWT"}`
	fx.validToken = signedToken(header, claims)

	b64 := base64.RawURLEncoding.EncodeToString
	fx.twoSegments = b64([]byte(header)) + "." + b64([]byte(claims))
	fx.badBase64 = signedRaw(b64([]byte(header)), b64([]byte(claims))[:20]+"+/"+b64([]byte(claims))[20:])
	fx.headerNotJSON = signedRaw(b64([]byte("{alg: HS256}")), b64([]byte(claims)))
	fx.claimsNotJSON = signedRaw(b64([]byte(header)), b64([]byte("name: Storage Administrator")))
	fx.claimsArray = signedToken(header, `[{"sub":"ops"}]`)
	fx.algNone = b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + b64([]byte(claims)) + "." + hmacSignature("none")
	fx.hugeToken = signedToken(header, fmt.Sprintf(`{"iss":"portworx.com","sub":"ops","groups":["%s"],"exp":4102444800}`, strings.Repeat("g", 70<<10)))
	fx.fileToken = signedToken(header, `{"email":"ops@example.com","exp":4102444800,"groups":[],"iat":1700000000,`+
		`"iss":"portworx.com","name":"Ops","roles":["system.user"],"sub":"ops"}`)
	fx.tokens = []string{fx.validToken, fx.fileToken, fx.twoSegments, fx.badBase64, fx.headerNotJSON,
		fx.claimsNotJSON, fx.claimsArray, fx.algNone, fx.hugeToken}

	fx.contextFile = []byte(fmt.Sprintf(`contextconfig:
  current: admin
  configurations:
  - context: admin
    token: %s
    identity:
      subject: 6f1c2b9e-4d1a-4f5e-9b8a-1c2d3e4f5a6b
      name: Storage Administrator
      email: storage-admin@example.com
    endpoint: http://localhost:9001
  - context: kube
    token: %s
    endpoint: http://localhost:9001
`, fx.validToken, fx.validToken))

	quoted := fmt.Sprintf("contextconfig:\n  current: admin\n  configurations:\n  - context: admin\n    token: %q\n", fx.validToken)
	fx.truncatedContextFile = []byte(quoted[:strings.Index(quoted, ".")+20])

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaDER := x509.MarshalPKCS1PrivateKey(rsaKey)
	rsaPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: rsaDER})
	fx.rsaTruncated = rsaPEM[:len(rsaPEM)/2]
	fx.rsaWrongBlock = pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: rsaDER})
	fx.rsaEncrypted = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: rsaDER,
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"}})
	pubDER, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	fx.rsaPublic = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	fx.rsaCert = selfSignedCert(t, rsaKey)

	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	fx.rsa1024 = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsa1024)})

	fx.dsaPKCS8, fx.dsaLegacy = dsaKeys(t)

	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fx.ed25519Key = pkcs8PEM(t, edKey)

	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fx.ecP256 = pkcs8PEM(t, p256)
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p224DER, err := x509.MarshalECPrivateKey(p224)
	if err != nil {
		t.Fatal(err)
	}
	fx.ecP224 = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: p224DER})

	// The content is not a real encrypted key: the block type alone is
	// what the loader must recognise.
	fx.encryptedPKCS8 = pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("not a real encrypted key")})
	return fx
}

// signedToken encodes header and claims and signs them with HS256 and
// catalogueSecret.
func signedToken(header, claims string) string {
	b64 := base64.RawURLEncoding.EncodeToString
	return signedRaw(b64([]byte(header)), b64([]byte(claims)))
}

// signedRaw signs two already encoded segments, which need not be valid.
func signedRaw(header, claims string) string {
	return header + "." + claims + "." + hmacSignature(header+"."+claims)
}

func hmacSignature(input string) string {
	mac := hmac.New(sha256.New, []byte(catalogueSecret))
	mac.Write([]byte(input))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func selfSignedCert(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "pxauth catalogue"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func pkcs8PEM(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// dsaKeys returns a new DSA key as PKCS#8 ("PRIVATE KEY") and in OpenSSL's
// legacy form ("DSA PRIVATE KEY"). crypto/x509 cannot marshal DSA keys, so
// the DER is built here: RFC 5958 PrivateKeyInfo with the id-dsa algorithm
// (RFC 3279) and, for the legacy form, OpenSSL's SEQUENCE of version, p, q,
// g, y and x.
func dsaKeys(t *testing.T) (pkcs8, legacy []byte) {
	t.Helper()

	var key dsa.PrivateKey
	if err := dsa.GenerateParameters(&key.Parameters, rand.Reader, dsa.L1024N160); err != nil {
		t.Fatal(err)
	}
	if err := dsa.GenerateKey(&key, rand.Reader); err != nil {
		t.Fatal(err)
	}

	type dssParams struct{ P, Q, G *big.Int }
	type algorithm struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters dssParams
	}
	x, err := asn1.Marshal(key.X)
	if err != nil {
		t.Fatal(err)
	}
	info, err := asn1.Marshal(struct {
		Version    int
		Algorithm  algorithm
		PrivateKey []byte
	}{0, algorithm{asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 1}, dssParams{key.P, key.Q, key.G}}, x})
	if err != nil {
		t.Fatal(err)
	}
	old, err := asn1.Marshal(struct {
		Version       int
		P, Q, G, Y, X *big.Int
	}{0, key.P, key.Q, key.G, key.Y, key.X})
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: info}),
		pem.EncodeToMemory(&pem.Block{Type: "DSA PRIVATE KEY", Bytes: old})
}

// findSecrets describes each secret in text: either shared secret, a token,
// or 16 characters of a token's signature.
func findSecrets(text string, tokens []string) []string {
	var found []string
	if strings.Contains(text, catalogueSecret) {
		found = append(found, "the shared secret catalogueSecret")
	}
	if strings.Contains(text, catalogueEnvSecret) {
		found = append(found, "the shared secret catalogueEnvSecret")
	}
	for i, token := range tokens {
		if strings.Contains(text, token) {
			found = append(found, fmt.Sprintf("token %d", i))
			continue
		}
		segments := strings.Split(token, ".")
		if len(segments) != 3 {
			continue
		}
		sig := segments[2]
		for j := 0; j+16 <= len(sig); j++ {
			if strings.Contains(text, sig[j:j+16]) {
				found = append(found, fmt.Sprintf("part of the signature of token %d: %q", i, sig[j:j+16]))
				break
			}
		}
	}
	return found
}

// fileState is a file or directory as the snapshot saw it.
type fileState struct {
	mode fs.FileMode
	data []byte
	link string
}

// snapshot records every file, directory and symlink under root, with the
// content of files.
func snapshot(t *testing.T, root string) map[string]fileState {
	t.Helper()
	files := map[string]fileState{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		st := fileState{mode: info.Mode()}
		switch {
		case info.Mode().IsRegular():
			st.data, err = os.ReadFile(path)
		case info.Mode()&fs.ModeSymlink != 0:
			st.link, err = os.Readlink(path)
		}
		files[filepath.ToSlash(rel)] = st
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// compareSnapshots describes every difference between two snapshots of
// root, except the creation of the two empty lock files beside an existing
// contextconfig file. A writer takes its lock before it reads the file, so
// a command that then fails still leaves the lock files. pxauth never
// deletes them, because removing a lock file while another process waits
// on it would let two writers in at once.
func compareSnapshots(before, after map[string]fileState, root, contextConfig string) []string {
	config, _ := filepath.Rel(root, contextConfig)
	config = filepath.ToSlash(config)
	lockFiles := map[string]bool{config + ".lock": true, config + ".keyring.lock": true}

	var changes []string
	for path, b := range before {
		a, ok := after[path]
		switch {
		case !ok:
			changes = append(changes, path+" was removed")
		case a.mode != b.mode:
			changes = append(changes, fmt.Sprintf("%s changed mode from %v to %v", path, b.mode, a.mode))
		case !bytes.Equal(a.data, b.data):
			changes = append(changes, path+" changed content")
		case a.link != b.link:
			changes = append(changes, path+" points elsewhere")
		}
	}
	for path, a := range after {
		if _, ok := before[path]; ok {
			continue
		}
		_, configExisted := before[config]
		if lockFiles[path] && configExisted && a.mode == 0o600 && len(a.data) == 0 {
			continue
		}
		changes = append(changes, path+" was created")
	}
	return changes
}
