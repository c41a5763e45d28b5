package contextstore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Keys of the contextconfig file. pxctl writes the first group; pxauth adds
// keyPrevious and the keyPxauth mapping.
const (
	keyContextConfig  = "contextconfig"
	keyCurrent        = "current"
	keyConfigurations = "configurations"
	keyContext        = "context"
	keyToken          = "token"
	keyIdentity       = "identity"
	keySubject        = "subject"
	keyName           = "name"
	keyEmail          = "email"
	keyEndpoint       = "endpoint"

	keyPrevious     = "previous"
	keyPxauth       = "pxauth"
	keyTokenStorage = "tokenstorage"
	keyIssuer       = "issuer"
	keyRoles        = "roles"
	keyGroups       = "groups"
	keyIssuedAt     = "issuedat"
	keyExpiresAt    = "expiresat"
)

// parseYAML parses data with yaml.v3, keeping comments for a rewrite. An
// empty file gives a nil node. A file with a second document is rejected
// because a rewrite would drop it.
func parseYAML(path string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))

	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, yamlFileError(path, err)
	}

	var extra yaml.Node
	err = dec.Decode(&extra)
	if err == nil {
		return nil, &FileError{Path: path, Line: extra.Line, Err: errors.New("the file contains a second YAML document; keep only the first")}
	}
	if !errors.Is(err, io.EOF) {
		return nil, yamlFileError(path, err)
	}
	return &doc, nil
}

func yamlFileError(path string, err error) error {
	line, message, ok := yamlErrorLine(err.Error())
	if !ok {
		return &FileError{Path: path, Err: fmt.Errorf("invalid YAML: %w", err)}
	}
	return &FileError{Path: path, Line: line, Err: fmt.Errorf("invalid YAML: %s", message)}
}

// yamlErrorLine splits a yaml.v3 syntax error of the form
// "yaml: line N: message" into its line and a one-line message. It is
// plain string code rather than a regular expression compiled when the
// package is initialized, which every pxauth command would pay for.
func yamlErrorLine(text string) (line int, message string, ok bool) {
	rest, ok := strings.CutPrefix(text, "yaml: line ")
	if !ok {
		return 0, "", false
	}
	number, message, ok := strings.Cut(rest, ": ")
	if !ok || number == "" || strings.Trim(number, "0123456789") != "" || strings.Contains(message, "\n") {
		return 0, "", false
	}
	line, err := strconv.Atoi(number)
	if err != nil {
		return 0, "", false
	}
	return line, message, true
}

// topMapping returns the root mapping of doc, or nil for an empty document.
func topMapping(path string, doc *yaml.Node) (*yaml.Node, error) {
	if doc == nil || doc.Kind == 0 {
		return nil, nil
	}

	top := doc
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil, nil
		}
		top = doc.Content[0]
	}

	if isNull(top) {
		return nil, nil
	}
	if top.Kind != yaml.MappingNode {
		return nil, &FileError{Path: path, Line: top.Line, Err: fmt.Errorf("the file is %s, expected a mapping with a %q key", kindName(top), keyContextConfig)}
	}
	return top, nil
}

// contextConfigMapping returns the contextconfig mapping of doc, or nil when
// the file has none.
func contextConfigMapping(path string, doc *yaml.Node) (*yaml.Node, error) {
	top, err := topMapping(path, doc)
	if top == nil || err != nil {
		return nil, err
	}

	cc, err := mappingValue(path, top, keyContextConfig)
	if err != nil {
		return nil, err
	}
	return cc, nil
}

// currentOf returns contextconfig.current, checking only the nodes on the
// way to it.
func currentOf(path string, doc *yaml.Node) (string, error) {
	cc, err := contextConfigMapping(path, doc)
	if cc == nil || err != nil {
		return "", err
	}
	return stringValue(path, cc, keyCurrent)
}

// decodeConfig reads the contexts from doc and checks the type of every key
// pxauth reads. Other keys are ignored.
func decodeConfig(path string, doc *yaml.Node) (*Config, error) {
	cfg := &Config{Path: path}

	cc, err := contextConfigMapping(path, doc)
	if cc == nil || err != nil {
		return cfg, err
	}

	if cfg.Current, err = stringValue(path, cc, keyCurrent); err != nil {
		return nil, err
	}
	if cfg.Previous, err = stringValue(path, cc, keyPrevious); err != nil {
		return nil, err
	}

	_, list, err := lookup(path, cc, keyConfigurations)
	if err != nil {
		return nil, err
	}
	if list == nil || isNull(list) {
		return cfg, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, typeError(path, list, keyConfigurations, "a list")
	}

	cfg.Contexts = make([]Context, 0, len(list.Content))
	cfg.entries = make([]*yaml.Node, 0, len(list.Content))
	for _, entry := range list.Content {
		ctx, marked, recorded, err := decodeContext(path, entry)
		if err != nil {
			return nil, err
		}
		if recorded {
			if cfg.storageRecorded == nil {
				cfg.storageRecorded = make(map[string]bool)
			}
			cfg.storageRecorded[ctx.Name] = true
		}
		if marked {
			if cfg.keyringMarked == nil {
				cfg.keyringMarked = make(map[string]bool)
			}
			cfg.keyringMarked[ctx.Name] = true
		}
		cfg.Contexts = append(cfg.Contexts, ctx)
		cfg.entries = append(cfg.entries, entry)
	}
	return cfg, nil
}

// decodeContext reads one entry of configurations. marked reports an entry
// whose pxauth.tokenstorage is keyring while its token is inline; recorded
// reports an entry with any pxauth.tokenstorage, that is one pxauth stored.
func decodeContext(path string, entry *yaml.Node) (ctx Context, marked, recorded bool, err error) {
	if entry.Kind != yaml.MappingNode {
		return ctx, false, false, &FileError{Path: path, Line: entry.Line, Err: fmt.Errorf("each entry of %s must be a mapping, found %s", keyConfigurations, kindName(entry))}
	}
	ctx.Line = entry.Line

	keyNode, nameNode, err := lookup(path, entry, keyContext)
	if err != nil {
		return ctx, false, false, err
	}
	if nameNode == nil {
		return ctx, false, false, &FileError{Path: path, Line: entry.Line, Err: fmt.Errorf("entry of %s has no %q key; add the context name or remove the entry", keyConfigurations, keyContext)}
	}
	if ctx.Name, err = scalarString(path, nameNode, keyContext); err != nil {
		return ctx, false, false, err
	}
	if ctx.Name == "" {
		return ctx, false, false, &FileError{Path: path, Line: keyNode.Line, Err: errors.New("empty context name; add the name or remove the entry")}
	}

	if ctx.Token, err = stringValue(path, entry, keyToken); err != nil {
		return ctx, false, false, err
	}
	if ctx.Endpoint, err = stringValue(path, entry, keyEndpoint); err != nil {
		return ctx, false, false, err
	}
	if ctx.Identity, err = decodeIdentity(path, entry); err != nil {
		return ctx, false, false, err
	}

	storage, err := decodePxauth(path, entry, &ctx)
	if err != nil {
		return ctx, false, false, err
	}

	switch {
	case ctx.Token != "":
		ctx.Storage = StorageFile
		marked = storage == StorageKeyring
	case storage == StorageFile:
		ctx.Storage = StorageFile
	default:
		ctx.Storage = StorageKeyring
	}
	return ctx, marked, storage != "", nil
}

func decodeIdentity(path string, entry *yaml.Node) (Identity, error) {
	var id Identity

	m, err := mappingValue(path, entry, keyIdentity)
	if m == nil || err != nil {
		return id, err
	}

	if id.Subject, err = stringValue(path, m, keySubject); err != nil {
		return id, err
	}
	if id.Name, err = stringValue(path, m, keyName); err != nil {
		return id, err
	}
	if id.Email, err = stringValue(path, m, keyEmail); err != nil {
		return id, err
	}
	return id, nil
}

// decodePxauth fills the claims of ctx from the pxauth mapping and returns
// its tokenstorage value ("" when absent).
func decodePxauth(path string, entry *yaml.Node, ctx *Context) (Storage, error) {
	m, err := mappingValue(path, entry, keyPxauth)
	if m == nil || err != nil {
		return "", err
	}

	keyNode, storageNode, err := lookup(path, m, keyTokenStorage)
	if err != nil {
		return "", err
	}
	storage, err := scalarString(path, storageNode, keyTokenStorage)
	if err != nil {
		return "", err
	}
	switch Storage(storage) {
	case "", StorageKeyring, StorageFile:
	default:
		return "", &FileError{Path: path, Line: keyNode.Line, Err: fmt.Errorf("%s is %q, expected %q or %q", keyTokenStorage, storage, StorageKeyring, StorageFile)}
	}

	if ctx.Issuer, err = stringValue(path, m, keyIssuer); err != nil {
		return "", err
	}
	if ctx.Roles, err = stringList(path, m, keyRoles); err != nil {
		return "", err
	}
	if ctx.Groups, err = stringList(path, m, keyGroups); err != nil {
		return "", err
	}
	if ctx.IssuedAt, err = timeValue(path, m, keyIssuedAt); err != nil {
		return "", err
	}
	if ctx.ExpiresAt, err = timeValue(path, m, keyExpiresAt); err != nil {
		return "", err
	}
	return Storage(storage), nil
}

// lookup returns the key and value nodes of key in mapping m, nil when
// absent. A key defined twice is an error, because pxctl and pxauth might
// read different copies.
func lookup(path string, m *yaml.Node, key string) (keyNode, value *yaml.Node, err error) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind != yaml.ScalarNode || k.Value != key {
			continue
		}
		if keyNode != nil {
			return nil, nil, &FileError{Path: path, Line: k.Line, Err: fmt.Errorf("key %q is defined twice (lines %d and %d); remove one of them", key, keyNode.Line, k.Line)}
		}
		keyNode, value = k, m.Content[i+1]
	}
	return keyNode, value, nil
}

// mappingValue returns the mapping under key, nil when the key is absent or
// null.
func mappingValue(path string, m *yaml.Node, key string) (*yaml.Node, error) {
	_, v, err := lookup(path, m, key)
	if v == nil || err != nil || isNull(v) {
		return nil, err
	}
	if v.Kind != yaml.MappingNode {
		return nil, typeError(path, v, key, "a mapping")
	}
	return v, nil
}

// stringValue returns the scalar under key, "" when absent or null.
func stringValue(path string, m *yaml.Node, key string) (string, error) {
	_, v, err := lookup(path, m, key)
	if err != nil {
		return "", err
	}
	return scalarString(path, v, key)
}

func scalarString(path string, v *yaml.Node, key string) (string, error) {
	if v == nil || isNull(v) {
		return "", nil
	}
	if v.Kind != yaml.ScalarNode {
		return "", typeError(path, v, key, "a scalar")
	}
	return v.Value, nil
}

func stringList(path string, m *yaml.Node, key string) ([]string, error) {
	_, v, err := lookup(path, m, key)
	if v == nil || err != nil || isNull(v) {
		return nil, err
	}
	if v.Kind != yaml.SequenceNode {
		return nil, typeError(path, v, key, "a list of scalars")
	}

	list := make([]string, 0, len(v.Content))
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode {
			return nil, typeError(path, item, key, "a list of scalars")
		}
		list = append(list, item.Value)
	}
	return list, nil
}

// timeValue reads an RFC 3339 time or integer Unix seconds.
func timeValue(path string, m *yaml.Node, key string) (time.Time, error) {
	_, v, err := lookup(path, m, key)
	if err != nil {
		return time.Time{}, err
	}
	s, err := scalarString(path, v, key)
	if s == "" || err != nil {
		return time.Time{}, err
	}

	if secs, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(secs, 0).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, &FileError{Path: path, Line: v.Line, Err: fmt.Errorf("%s is %q, expected an RFC 3339 time or Unix seconds", key, s)}
	}
	return t, nil
}

func typeError(path string, v *yaml.Node, key, want string) error {
	return &FileError{Path: path, Line: v.Line, Err: fmt.Errorf("%s is %s, expected %s", key, kindName(v), want)}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a scalar"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	return "an empty node"
}
