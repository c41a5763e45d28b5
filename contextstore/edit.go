package contextstore

import (
	"bytes"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"
)

// editor changes a yaml.v3 node tree in place. It touches only the value
// nodes of keys pxauth reads, so every other key, the key order and the
// comments stay as they were.
type editor struct {
	doc *yaml.Node
}

// contextConfig returns the contextconfig mapping, creating the document,
// the root mapping and the mapping itself when the file has none.
func (e *editor) contextConfig() *yaml.Node {
	if e.doc.Kind == 0 {
		*e.doc = yaml.Node{Kind: yaml.DocumentNode}
	}
	if len(e.doc.Content) == 0 || isNull(e.doc.Content[0]) {
		e.doc.Content = []*yaml.Node{newMapping()}
	}

	top := e.doc.Content[0]
	_, cc := findKey(top, keyContextConfig)
	if cc == nil {
		cc = newMapping()
		appendPair(top, keyContextConfig, cc)
	} else if isNull(cc) {
		*cc = *newMapping()
	}
	return cc
}

// configurations returns the configurations list, creating it when absent.
func (e *editor) configurations() *yaml.Node {
	cc := e.contextConfig()
	_, list := findKey(cc, keyConfigurations)
	if list == nil {
		list = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		appendPair(cc, keyConfigurations, list)
	} else if isNull(list) {
		*list = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	}
	return list
}

// setPointer sets contextconfig.current or .previous. A value node that
// already reads as value is left alone (so "current:" stays null when
// cleared again), and an empty value on an absent key adds nothing.
func (e *editor) setPointer(key, value string) {
	if value == "" {
		cc, _ := contextConfigMapping("", e.doc)
		if cc == nil {
			return
		}
		if _, v := findKey(cc, key); v != nil && !holdsString(v, "") {
			setScalar(v, "")
		}
		return
	}

	cc := e.contextConfig()
	if _, v := findKey(cc, key); v != nil {
		if !holdsString(v, value) {
			setScalar(v, value)
		}
		return
	}

	pair := []*yaml.Node{scalarNode(key), scalarNode(value)}
	at := 0
	if key == keyPrevious {
		// previous goes right after current, where a reader looks for it.
		if i := keyIndex(cc, keyCurrent); i >= 0 {
			at = i + 2
		}
	}
	cc.Content = append(cc.Content[:at], append(pair, cc.Content[at:]...)...)
}

// addContext appends a new entry and returns its mapping.
func (e *editor) addContext(name string) *yaml.Node {
	list := e.configurations()
	entry := newMapping()
	appendPair(entry, keyContext, scalarNode(name))
	list.Content = append(list.Content, entry)
	return entry
}

// removeEntries removes the given entry mappings from configurations.
func (e *editor) removeEntries(entries map[*yaml.Node]bool) {
	list := e.configurations()
	kept := list.Content[:0]
	for _, item := range list.Content {
		if !entries[item] {
			kept = append(kept, item)
		}
	}
	list.Content = kept
}

// setEntry writes the fields of ctx into entry: the inline token (empty for
// keyring storage), the identity, the endpoint and the pxauth mapping.
func setEntry(entry *yaml.Node, ctx Context, token string, storage Storage) {
	if storage != StorageFile {
		token = ""
	}
	setKey(entry, keyToken, token)

	identity := mappingKey(entry, keyIdentity)
	setKey(identity, keySubject, ctx.Identity.Subject)
	setKey(identity, keyName, ctx.Identity.Name)
	setKey(identity, keyEmail, ctx.Identity.Email)

	setKey(entry, keyEndpoint, ctx.Endpoint)

	px := mappingKey(entry, keyPxauth)
	setKey(px, keyTokenStorage, string(storage))
	setOptional(px, keyIssuer, ctx.Issuer)
	setList(px, keyRoles, ctx.Roles)
	setList(px, keyGroups, ctx.Groups)
	setOptional(px, keyIssuedAt, formatTime(ctx.IssuedAt))
	setOptional(px, keyExpiresAt, formatTime(ctx.ExpiresAt))
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// encode writes the tree with two-space indentation.
func encode(doc *yaml.Node) ([]byte, error) {
	prepareForEncoder(doc, false, false)
	return encodeTree(doc)
}

// encodeTree writes the tree as it is, with two-space indentation.
func encodeTree(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode contextconfig: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode contextconfig: %w", err)
	}
	return buf.Bytes(), nil
}

// prepareForEncoder works around two bugs of the yaml.v3 v3.0.1 encoder,
// so that a rewrite keeps every value it does not change.
func prepareForEncoder(n *yaml.Node, inFlow, isKey bool) {
	if n.Kind == yaml.ScalarNode {
		// An empty null key, or one inside a flow collection such as "{a}",
		// is encoded as '', which would turn the null into an empty string.
		if (inFlow || isKey) && n.Value == "" && isNull(n) {
			n.Value = "null"
		}

		// Some block scalars are written in a form that reads back as
		// another string. The value of "|\n\n  x", for example, loses its
		// leading line break. The double-quoted style can represent any
		// string.
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && !blockScalarSurvives(n) {
			n.Style = n.Style&^(yaml.LiteralStyle|yaml.FoldedStyle) | yaml.DoubleQuotedStyle
		}
		return
	}

	flow := inFlow || n.Style&yaml.FlowStyle != 0
	for i, child := range n.Content {
		prepareForEncoder(child, flow, n.Kind == yaml.MappingNode && i%2 == 0)
	}
}

// blockScalarSurvives reports whether the block scalar n, encoded as the
// value of a one-key mapping with the indentation encode uses, reads back
// as the same string. The values pxctl and pxauth write have no line
// breaks, so only files edited by hand have block scalars to check.
func blockScalarSurvives(n *yaml.Node) bool {
	scalar := &yaml.Node{Kind: yaml.ScalarNode, Tag: n.Tag, Value: n.Value, Style: n.Style}
	mapping := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "k"}, scalar,
	}}
	data, err := encodeTree(mapping)
	if err != nil {
		return false
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) != 1 {
		return false
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode || len(top.Content) != 2 {
		return false
	}
	decoded := top.Content[1]
	return decoded.Kind == yaml.ScalarNode && decoded.Value == n.Value
}

// findKey returns the first key and value nodes of key in m, nil when
// absent. Callers edit trees that decodeConfig accepted, and decodeConfig
// rejects a mapping with a key pxauth reads defined twice.
func findKey(m *yaml.Node, key string) (k, v *yaml.Node) {
	i := keyIndex(m, key)
	if i < 0 {
		return nil, nil
	}
	return m.Content[i], m.Content[i+1]
}

func keyIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return i
		}
	}
	return -1
}

func appendPair(m *yaml.Node, key string, value *yaml.Node) {
	m.Content = append(m.Content, scalarNode(key), value)
}

func removeKey(m *yaml.Node, key string) {
	if i := keyIndex(m, key); i >= 0 {
		m.Content = append(m.Content[:i], m.Content[i+2:]...)
	}
}

// setKey sets the scalar under key, adding the key when absent.
func setKey(m *yaml.Node, key, value string) {
	if _, v := findKey(m, key); v != nil {
		setScalar(v, value)
		return
	}
	appendPair(m, key, scalarNode(value))
}

// setOptional sets the scalar under key, or removes the key for "".
func setOptional(m *yaml.Node, key, value string) {
	if value == "" {
		removeKey(m, key)
		return
	}
	setKey(m, key, value)
}

// setList sets a list of strings under key, or removes the key for an empty
// list.
func setList(m *yaml.Node, key string, values []string) {
	if len(values) == 0 {
		removeKey(m, key)
		return
	}

	list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, v := range values {
		list.Content = append(list.Content, scalarNode(v))
	}

	if _, v := findKey(m, key); v != nil {
		list.HeadComment, list.LineComment, list.FootComment = v.HeadComment, v.LineComment, v.FootComment
		*v = *list
		return
	}
	appendPair(m, key, list)
}

// mappingKey returns the mapping under key, creating it (or replacing a
// null value) when needed.
func mappingKey(m *yaml.Node, key string) *yaml.Node {
	_, v := findKey(m, key)
	switch {
	case v == nil:
		v = newMapping()
		appendPair(m, key, v)
	case v.Kind != yaml.MappingNode:
		comments := [3]string{v.HeadComment, v.LineComment, v.FootComment}
		*v = *newMapping()
		v.HeadComment, v.LineComment, v.FootComment = comments[0], comments[1], comments[2]
	}
	return v
}

// setScalar replaces the value of a scalar node. A quoting style the file
// chose is kept; the encoder quotes anything that would not read back as
// the same string.
func setScalar(n *yaml.Node, value string) {
	style := n.Style & (yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle)
	if value == "" {
		style = yaml.DoubleQuotedStyle
	}
	n.Kind = yaml.ScalarNode
	n.Tag = "!!str"
	n.Value = value
	n.Style = style
	n.Content = nil
	n.Alias = nil
}

// holdsString reports whether scalar n reads as value, a null reading as "".
func holdsString(n *yaml.Node, value string) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	if isNull(n) {
		return value == ""
	}
	return n.Value == value
}

func scalarNode(value string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
	if value == "" {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func newMapping() *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
}
