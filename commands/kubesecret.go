package commands

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"
)

// Defaults of the Kubernetes Secret output: the namespace Portworx runs in
// and the key its operator and CSI driver read tokens from.
const (
	defaultKubeNamespace = "portworx"
	defaultKubeSecretKey = "auth-token"
)

// Limits Kubernetes puts on names (k8s.io/apimachinery validation, as of
// Kubernetes 1.32): a DNS-1123 subdomain for object names, a DNS-1123
// label for namespaces, and the same length as a subdomain for data keys.
const (
	maxSubdomainLength = 253
	maxLabelLength     = 63
	maxSecretKeyLength = 253
)

// kubeSecret names the Secret that --kube-secret prints.
type kubeSecret struct {
	name      string
	namespace string
	key       string
}

func kubeSecretFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name:  "kube-secret",
			Usage: "print a Kubernetes Secret manifest called `NAME` that holds the token, for kubectl apply -f -, instead of the bare token",
		},
		&cli.StringFlag{
			Name:    "namespace",
			Aliases: []string{"n"},
			Value:   defaultKubeNamespace,
			Usage:   "with --kube-secret: the Secret's `NAMESPACE`",
		},
		&cli.StringFlag{
			Name:  "kube-secret-key",
			Value: defaultKubeSecretKey,
			Usage: "with --kube-secret: the `KEY` under stringData that holds the token",
		},
	}
}

// readKubeSecretOptions returns the Secret the flags ask for, or nil when
// --kube-secret is not given. Names Kubernetes would reject are errors here,
// before a token is minted or read.
func readKubeSecretOptions(c *cli.Context) (*kubeSecret, error) {
	if !c.IsSet("kube-secret") {
		if c.IsSet("namespace") || c.IsSet("kube-secret-key") {
			return nil, usagef("--namespace and --kube-secret-key go with --kube-secret NAME")
		}
		return nil, nil
	}

	s := &kubeSecret{
		name:      c.String("kube-secret"),
		namespace: c.String("namespace"),
		key:       c.String("kube-secret-key"),
	}
	for flag, value := range map[string]string{"--kube-secret": s.name, "--namespace": s.namespace, "--kube-secret-key": s.key} {
		if looksLikeToken(value) {
			return nil, fmt.Errorf("invalid %s: the value looks like a token; give the Secret's name, namespace or key there", flag)
		}
	}
	if err := validateSubdomain(s.name); err != nil {
		return nil, fmt.Errorf("invalid --kube-secret %q: %w", s.name, err)
	}
	if err := validateLabel(s.namespace); err != nil {
		return nil, fmt.Errorf("invalid --namespace %q: %w", s.namespace, err)
	}
	if err := validateSecretKey(s.key); err != nil {
		return nil, fmt.Errorf("invalid --kube-secret-key %q: %w", s.key, err)
	}
	return s, nil
}

// validateSubdomain checks a Secret name as Kubernetes does: a DNS-1123
// subdomain, such as px-k8s-user.
func validateSubdomain(name string) error {
	const rule = "a Secret name must be at most 253 lowercase letters, digits, '-' and '.', and each dot-separated part must start and end with a letter or digit"
	if name == "" {
		return fmt.Errorf("empty; %s", rule)
	}
	if len(name) > maxSubdomainLength {
		return fmt.Errorf("%d characters; %s", len(name), rule)
	}
	for _, part := range strings.Split(name, ".") {
		if !isLabel(part) {
			return withLowercaseHint(name, rule, validateSubdomain)
		}
	}
	return nil
}

// validateLabel checks a namespace as Kubernetes does: a DNS-1123 label,
// such as portworx or kube-system.
func validateLabel(name string) error {
	const rule = "a namespace must be at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"
	if name == "" {
		return fmt.Errorf("empty; %s", rule)
	}
	if len(name) > maxLabelLength {
		return fmt.Errorf("%d characters; %s", len(name), rule)
	}
	if !isLabel(name) {
		return withLowercaseHint(name, rule, validateLabel)
	}
	return nil
}

// isLabel reports whether s is a DNS-1123 label without the length limit:
// lowercase letters, digits and '-', starting and ending with a letter or
// digit.
func isLabel(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		alnum := b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
		if !alnum && (b != '-' || i == 0 || i == len(s)-1) {
			return false
		}
	}
	return true
}

// withLowercaseHint returns the rule as an error, with the lowercase form
// of name as a suggestion when that form is valid.
func withLowercaseHint(name, rule string, validate func(string) error) error {
	if lower := strings.ToLower(name); lower != name && validate(lower) == nil {
		return fmt.Errorf("%s; did you mean %q?", rule, lower)
	}
	return errors.New(rule)
}

// validateSecretKey checks a key of a Secret's data as Kubernetes does:
// letters, digits, '-', '_' and '.', not "." or "..", and not starting
// with "..".
func validateSecretKey(key string) error {
	const rule = "a Secret key must be at most 253 letters, digits, '-', '_' and '.', such as auth-token"
	switch {
	case key == "":
		return fmt.Errorf("empty; %s", rule)
	case len(key) > maxSecretKeyLength:
		return fmt.Errorf("%d characters; %s", len(key), rule)
	case key == "." || key == "..":
		return fmt.Errorf("%q is reserved; %s", key, rule)
	case strings.HasPrefix(key, ".."):
		return fmt.Errorf("must not start with \"..\"; %s", rule)
	}
	for i := 0; i < len(key); i++ {
		b := key[i]
		ok := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.'
		if !ok {
			return errors.New(rule)
		}
	}
	return nil
}

// secretManifest is a core/v1 Secret as kubectl apply reads it. The token
// goes in stringData, which the API server encodes into data, so the
// manifest shows the token as pxauth prints it elsewhere.
type secretManifest struct {
	APIVersion string            `yaml:"apiVersion"`
	Kind       string            `yaml:"kind"`
	Metadata   secretMetadata    `yaml:"metadata"`
	Type       string            `yaml:"type"`
	StringData map[string]string `yaml:"stringData"`
}

type secretMetadata struct {
	Name      string `yaml:"name"`
	Namespace string `yaml:"namespace"`
}

// manifest returns the Secret holding token as a YAML document.
func (s *kubeSecret) manifest(token string) ([]byte, error) {
	m := secretManifest{
		APIVersion: "v1",
		Kind:       "Secret",
		Metadata:   secretMetadata{Name: s.name, Namespace: s.namespace},
		Type:       "Opaque",
		StringData: map[string]string{s.key: token},
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("cannot encode the Secret manifest: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("cannot encode the Secret manifest: %w", err)
	}
	return buf.Bytes(), nil
}

// tokenOutput returns what a command prints for token: the token and a
// newline, or the Secret manifest when --kube-secret is given.
func tokenOutput(token string, secret *kubeSecret) ([]byte, error) {
	if secret == nil {
		return []byte(token + "\n"), nil
	}
	return secret.manifest(token)
}

// printTokenOutput writes tokenOutput to stdout.
func (e *env) printTokenOutput(token string, secret *kubeSecret) error {
	text, err := tokenOutput(token, secret)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(text)
	return err
}
