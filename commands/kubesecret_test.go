package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pxauth/pxauth/jwtgen"
)

func TestValidateSubdomain(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		wantErr string // "" for valid
	}{
		{"portworx name", "px-k8s-user", ""},
		{"dotted", "px.user.v1", ""},
		{"digits", "0user9", ""},
		{"one character", "a", ""},
		{"longest", strings.Repeat("a", 253), ""},
		{"too long", strings.Repeat("a", 254), "254 characters"},
		{"empty", "", "empty"},
		{"capitals", "PX-User", `did you mean "px-user"?`},
		{"underscore", "px_user", "lowercase letters, digits"},
		{"leading dash", "-px", "start and end"},
		{"trailing dash", "px-", "start and end"},
		{"empty part", "px..user", "start and end"},
		{"trailing dot", "px.", "start and end"},
		{"dash before dot", "px-.user", "start and end"},
		{"slash", "px/user", "lowercase letters"},
		{"space", "px user", "lowercase letters"},
		{"unicode", "pxü", "lowercase letters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkValidation(t, validateSubdomain(tt.value), tt.wantErr)
		})
	}
}

func TestValidateLabel(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		wantErr string
	}{
		{"portworx", "portworx", ""},
		{"kube-system", "kube-system", ""},
		{"longest", strings.Repeat("a", 63), ""},
		{"too long", strings.Repeat("a", 64), "64 characters"},
		{"empty", "", "empty"},
		{"dot", "kube.system", "letters, digits and '-'"},
		{"capitals", "Portworx", `did you mean "portworx"?`},
		{"trailing dash", "portworx-", "starting and ending"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkValidation(t, validateLabel(tt.value), tt.wantErr)
		})
	}
}

func TestValidateSecretKey(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		wantErr string
	}{
		{"default", "auth-token", ""},
		{"capitals and underscore", "AUTH_TOKEN", ""},
		{"dotted", "token.jwt", ""},
		{"leading dot", ".token", ""},
		{"longest", strings.Repeat("k", 253), ""},
		{"too long", strings.Repeat("k", 254), "254 characters"},
		{"empty", "", "empty"},
		{"dot", ".", "reserved"},
		{"dot dot", "..", "reserved"},
		{"leading dot dot", "..token", `must not start with ".."`},
		{"slash", "auth/token", "letters, digits"},
		{"colon", "auth:token", "letters, digits"},
		{"space", "auth token", "letters, digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkValidation(t, validateSecretKey(tt.value), tt.wantErr)
		})
	}
}

func checkValidation(t *testing.T, err error, wantErr string) {
	t.Helper()
	if wantErr == "" {
		if err != nil {
			t.Errorf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want one containing %q", wantErr)
	}
	if !strings.Contains(err.Error(), wantErr) {
		t.Errorf("error %q, want it to contain %q", err, wantErr)
	}
}

// parsedSecret is a Secret manifest decoded strictly: a field that a
// Secret of this shape does not have is an error.
type parsedSecret struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Type       string `yaml:"type"`
	Metadata   struct {
		Name      string `yaml:"name"`
		Namespace string `yaml:"namespace"`
	} `yaml:"metadata"`
	StringData map[string]string `yaml:"stringData"`
}

func parseSecret(t *testing.T, manifest string) parsedSecret {
	t.Helper()
	dec := yaml.NewDecoder(strings.NewReader(manifest))
	dec.KnownFields(true)
	var s parsedSecret
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("manifest does not parse as a Secret: %v\n%s", err, manifest)
	}
	return s
}

func TestKubeSecretManifest(t *testing.T) {
	secret := &kubeSecret{name: "px-k8s-user", namespace: "portworx", key: "auth-token"}

	out, err := secret.manifest("eyJ.a.b")
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	got := parseSecret(t, string(out))

	if got.APIVersion != "v1" {
		t.Errorf("apiVersion %q, want v1", got.APIVersion)
	}
	if got.Kind != "Secret" {
		t.Errorf("kind %q, want Secret", got.Kind)
	}
	if got.Type != "Opaque" {
		t.Errorf("type %q, want Opaque", got.Type)
	}
	if got.Metadata.Name != "px-k8s-user" {
		t.Errorf("metadata.name %q, want px-k8s-user", got.Metadata.Name)
	}
	if got.Metadata.Namespace != "portworx" {
		t.Errorf("metadata.namespace %q, want portworx", got.Metadata.Namespace)
	}
	if len(got.StringData) != 1 || got.StringData["auth-token"] != "eyJ.a.b" {
		t.Errorf("stringData %v, want only auth-token: eyJ.a.b", got.StringData)
	}
	if !bytes.HasSuffix(out, []byte("\n")) || bytes.Contains(out, []byte("---")) {
		t.Errorf("manifest %q, want one document ending in a newline", out)
	}
}

// TestKubeSecretManifestQuoting checks values that YAML would read as
// another type or another structure unless the encoder quotes them.
func TestKubeSecretManifestQuoting(t *testing.T) {
	tests := []struct {
		name  string
		key   string
		token string
	}{
		{"number-like key", "1e3", "eyJ.a.b"},
		{"boolean-like key", "yes", "eyJ.a.b"},
		{"null-like token", "auth-token", "null"},
		{"dotted key", "..x", "eyJ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := &kubeSecret{name: "s", namespace: "portworx", key: tt.key}

			out, err := secret.manifest(tt.token)
			if err != nil {
				t.Fatalf("manifest: %v", err)
			}
			got := parseSecret(t, string(out))

			if got.StringData[tt.key] != tt.token {
				t.Errorf("stringData %v, want %s: %s", got.StringData, tt.key, tt.token)
			}
		})
	}
}

func TestGenerateKubeSecret(t *testing.T) {
	tests := []struct {
		name          string
		flags         string
		wantName      string
		wantNamespace string
		wantKey       string
	}{
		{"defaults", "--kube-secret px-k8s-user", "px-k8s-user", "portworx", "auth-token"},
		{"namespace", "--kube-secret px-k8s-user --namespace kube-system", "px-k8s-user", "kube-system", "auth-token"},
		{"short namespace", "--kube-secret px-k8s-user -n px", "px-k8s-user", "px", "auth-token"},
		{"key", "--kube-secret px-user-token --kube-secret-key token", "px-user-token", "portworx", "token"},
		{"equals form", "--kube-secret=a.b --namespace=c --kube-secret-key=D_E", "a.b", "c", "D_E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newSandbox(t).run(generateKube + " --issuer portworx.com " + tt.flags)
			if r.code != exitOK {
				t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
			}
			got := parseSecret(t, r.stdout)

			if got.Metadata.Name != tt.wantName {
				t.Errorf("metadata.name %q, want %q", got.Metadata.Name, tt.wantName)
			}
			if got.Metadata.Namespace != tt.wantNamespace {
				t.Errorf("metadata.namespace %q, want %q", got.Metadata.Namespace, tt.wantNamespace)
			}
			if len(got.StringData) != 1 {
				t.Errorf("stringData has %d keys, want 1: %v", len(got.StringData), got.StringData)
			}
			token := got.StringData[tt.wantKey]
			decoded, err := jwtgen.Decode(token)
			if err != nil {
				t.Fatalf("stringData.%s does not decode as a token: %v", tt.wantKey, err)
			}
			if iss := decoded.Claims["iss"]; iss != "portworx.com" {
				t.Errorf("token issuer %v, want portworx.com", iss)
			}
			if strings.Contains(r.stderr, token) {
				t.Errorf("stderr contains the token")
			}
		})
	}
}

func TestCtxTokenKubeSecret(t *testing.T) {
	s := newSandbox(t)
	if r := s.run(generateKube + " --issuer portworx.com --save-context kube --storage file"); r.code != exitOK {
		t.Fatalf("saving context: exit code %d, stderr %q", r.code, r.stderr)
	}
	token := strings.TrimSpace(s.run("ctx token kube").stdout)

	tests := []struct {
		name string
		args string
	}{
		{"named", "ctx token kube --kube-secret px-k8s-user"},
		{"current context", "ctx token --kube-secret px-k8s-user"},
		{"flag first", "ctx token --kube-secret px-k8s-user kube"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.run(tt.args)
			if r.code != exitOK {
				t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
			}
			got := parseSecret(t, r.stdout)

			if got.StringData["auth-token"] != token {
				t.Errorf("stringData.auth-token is not the context's token")
			}
			if got.Metadata.Name != "px-k8s-user" || got.Metadata.Namespace != "portworx" {
				t.Errorf("metadata %+v, want px-k8s-user in portworx", got.Metadata)
			}
		})
	}
}

func TestKubeSecretErrors(t *testing.T) {
	tests := []struct {
		name string
		args string
		code int
		want string
	}{
		{"namespace alone", generateKube + " --issuer portworx.com --namespace px", exitUsage, "--namespace and --kube-secret-key go with --kube-secret NAME"},
		{"key alone", "ctx token kube --kube-secret-key k", exitUsage, "go with --kube-secret"},
		{"with json", generateKube + " --issuer portworx.com --kube-secret s --json", exitUsage, "--kube-secret and --json given together"},
		{"bad name", generateKube + " --issuer portworx.com --kube-secret PX_User", exitFailure, `invalid --kube-secret "PX_User"`},
		{"bad namespace", generateKube + " --issuer portworx.com --kube-secret s -n kube.system", exitFailure, `invalid --namespace "kube.system"`},
		{"bad key", "ctx token kube --kube-secret s --kube-secret-key a/b", exitFailure, `invalid --kube-secret-key "a/b"`},
		{"empty name", generateKube + " --issuer portworx.com --kube-secret=", exitFailure, `invalid --kube-secret "": empty`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newSandbox(t).run(tt.args)

			if r.code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

func TestGenerateKubeSecretOutputFile(t *testing.T) {
	s := newSandbox(t)
	path := filepath.Join(s.dir, "secret.yaml")

	r := s.run(generateKube + " --issuer portworx.com --kube-secret px-k8s-user --output " + path)
	if r.code != exitOK {
		t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := parseSecret(t, string(data))

	if _, err := jwtgen.Decode(got.StringData["auth-token"]); err != nil {
		t.Errorf("stringData.auth-token in %s does not decode: %v", path, err)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing with --output", r.stdout)
	}
	if info, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, info.Mode().Perm())
	}
}
