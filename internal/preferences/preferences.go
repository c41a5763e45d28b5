// Package preferences reads pxauth's preferences file, a YAML mapping of
// default values for some flags:
//
//	issuer: portworx.com
//	token-duration: 1y
//	clock-skew: 2m
//	storage: keyring
//	keyring-timeout: 10s
//
// The file lives in pxauth's directory of the XDG config home
// ($XDG_CONFIG_HOME/pxauth/config.yaml, ~/.config/pxauth/config.yaml on
// Linux by default). Only the keys above are allowed, each with a single
// value. Anything else is an error that names the file and the line, so a
// misspelt key is never ignored. The package checks the shape of the file,
// not the values, which the commands that use them parse.
package preferences

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"gopkg.in/yaml.v3"
)

// Keys lists the keys a preferences file may set, in the order pxauth
// shows them.
var Keys = []string{"issuer", "token-duration", "clock-skew", "storage", "keyring-timeout"}

// MaxSize is the largest preferences file pxauth reads. A real one is a few
// hundred bytes.
const MaxSize = 64 << 10

// File is the content of a preferences file.
type File struct {
	// Path is the file that was read.
	Path string

	// Exists is false when there is no file at Path.
	Exists bool

	values map[string]Value
}

// Value is one setting of a preferences file.
type Value struct {
	// Text is the value as written, without quotes.
	Text string

	// Line is the 1-based line of the value in the file.
	Line int
}

// Lookup returns the value of key and whether the file sets it.
func (f *File) Lookup(key string) (Value, bool) {
	v, ok := f.values[key]
	return v, ok
}

// Path returns the preferences file in configHome, the XDG config home.
func Path(configHome string) string {
	return filepath.Join(configHome, "pxauth", "config.yaml")
}

// Read reads and parses the preferences file at path. A missing file, or a
// missing directory on the way to it, gives a File with no values.
func Read(path string) (*File, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return &File{Path: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read preferences file: %w", err)
	}
	defer f.Close()

	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read preferences file %q: %w", path, err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("preferences file %q is larger than %d bytes; it should hold a few key: value lines", path, MaxSize)
	}
	return Parse(data, path)
}

// Parse parses data as the content of the preferences file at path, which
// is used in error messages. Empty data, or only comments, is a File with
// no values.
func Parse(data []byte, path string) (*File, error) {
	file := &File{Path: path, Exists: true, values: map[string]Value{}}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		return file, nil
	}
	if err != nil {
		return nil, syntaxError(path, err)
	}

	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			line = 0
		}
		return nil, lineError(path, line, "more than one YAML document; keep one mapping of key: value lines")
	}

	if len(doc.Content) == 0 {
		return file, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return file, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, lineError(path, root.Line, "the file must be a mapping of key: value lines, such as issuer: portworx.com")
	}

	for i := 0; i+1 < len(root.Content); i += 2 {
		keyNode, valueNode := root.Content[i], root.Content[i+1]
		if err := file.add(keyNode, valueNode); err != nil {
			return nil, err
		}
	}
	return file, nil
}

// add checks one key: value pair and records it.
func (f *File) add(keyNode, valueNode *yaml.Node) error {
	key := keyNode.Value
	if keyNode.Kind != yaml.ScalarNode || !isKey(key) {
		return lineError(f.Path, keyNode.Line, unknownKeyMessage(keyNode))
	}
	if old, ok := f.values[key]; ok {
		return lineError(f.Path, keyNode.Line, fmt.Sprintf("%s is set twice, first on line %d; keep one", key, old.Line))
	}

	switch {
	case valueNode.Kind == yaml.AliasNode:
		return lineError(f.Path, valueNode.Line, fmt.Sprintf("%s: write the value itself, not an alias", key))
	case valueNode.Kind != yaml.ScalarNode:
		return lineError(f.Path, valueNode.Line, fmt.Sprintf("%s must be a single value, not a %s", key, kindName(valueNode.Kind)))
	case valueNode.Tag == "!!null" || strings.TrimSpace(valueNode.Value) == "":
		return lineError(f.Path, valueNode.Line, fmt.Sprintf("%s has no value; give one or remove the line", key))
	}

	f.values[key] = Value{Text: valueNode.Value, Line: valueNode.Line}
	return nil
}

func isKey(key string) bool {
	for _, k := range Keys {
		if k == key {
			return true
		}
	}
	return false
}

func unknownKeyMessage(keyNode *yaml.Node) string {
	allowed := strings.Join(Keys, ", ")
	if keyNode.Kind != yaml.ScalarNode {
		return "a key must be one of " + allowed
	}
	if s := suggestKey(keyNode.Value); s != "" {
		return fmt.Sprintf("unknown key %q; did you mean %q? (keys: %s)", keyNode.Value, s, allowed)
	}
	return fmt.Sprintf("unknown key %q; the keys are %s", keyNode.Value, allowed)
}

// suggestKey returns the allowed key closest to key when it is a likely
// misspelling: the same key with underscores, or at most two edits away.
func suggestKey(key string) string {
	normal := strings.ToLower(strings.ReplaceAll(key, "_", "-"))
	best, bestDistance := "", 3
	for _, k := range Keys {
		if d := editDistance(normal, k); d < bestDistance {
			best, bestDistance = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func kindName(kind yaml.Kind) string {
	switch kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "YAML node"
}

// syntaxError turns a yaml.v3 error, "yaml: line 3: did not find
// expected key", into PATH:3: invalid YAML: did not find expected key.
func syntaxError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if number, after, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(number); convErr == nil {
				line, msg = n, after
			}
		}
	}
	return lineError(path, line, "invalid YAML: "+msg)
}

// lineError formats a problem at a line of the file as PATH:LINE: message,
// the form editors jump to; line 0 leaves the line out.
func lineError(path string, line int, msg string) error {
	if line <= 0 {
		return fmt.Errorf("%s: %s", path, msg)
	}
	return fmt.Errorf("%s:%d: %s", path, line, msg)
}
