package integration

import (
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"gopkg.in/yaml.v3"
)

// cmdKubeSecret parses a Kubernetes Secret manifest and compares its
// fields:
//
//	kubesecret MANIFEST NAME NAMESPACE KEY TOKENFILE
//
// The manifest must be one YAML document with exactly apiVersion v1, kind
// Secret, type Opaque, metadata.name NAME, metadata.namespace NAMESPACE and
// stringData with the one key KEY holding the token in TOKENFILE.
func cmdKubeSecret(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("kubesecret does not support !")
	}
	if len(args) != 5 {
		ts.Fatalf("usage: kubesecret MANIFEST NAME NAMESPACE KEY TOKENFILE")
	}

	var secret struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Type       string `yaml:"type"`
		Metadata   struct {
			Name      string `yaml:"name"`
			Namespace string `yaml:"namespace"`
		} `yaml:"metadata"`
		StringData map[string]string `yaml:"stringData"`
	}
	dec := yaml.NewDecoder(strings.NewReader(ts.ReadFile(args[0])))
	dec.KnownFields(true)
	if err := dec.Decode(&secret); err != nil {
		ts.Fatalf("kubesecret: %s is not a Secret of the expected shape: %v", args[0], err)
	}

	token := strings.TrimSpace(ts.ReadFile(args[4]))
	checks := []struct {
		field, got, want string
	}{
		{"apiVersion", secret.APIVersion, "v1"},
		{"kind", secret.Kind, "Secret"},
		{"type", secret.Type, "Opaque"},
		{"metadata.name", secret.Metadata.Name, args[1]},
		{"metadata.namespace", secret.Metadata.Namespace, args[2]},
		{"stringData." + args[3], secret.StringData[args[3]], token},
	}
	for _, c := range checks {
		if c.got != c.want {
			ts.Fatalf("kubesecret: %s is %q, expected %q", c.field, c.got, c.want)
		}
	}
	if len(secret.StringData) != 1 {
		ts.Fatalf("kubesecret: stringData has %d keys, expected only %q", len(secret.StringData), args[3])
	}
}
