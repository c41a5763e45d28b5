package contextstore

import (
	"bytes"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// patchPointers sets contextconfig.current and .previous by editing only
// their lines in data, which scanFile has parsed into scan. Use and Unset
// then cost one scan instead of a yaml.v3 parse and encode of the whole
// file. ok is false when the layout does not allow a patch, so the caller
// rewrites the tree: no contextconfig mapping, a block scalar value, or a
// value that needs more than one line. The result is parsed again and
// checked before it is returned.
func patchPointers(data []byte, scan *scanResult, cfg *Config, current, previous string) ([]byte, bool) {
	cc, err := contextConfigMapping("", scan.doc)
	if cc == nil || err != nil || len(cc.Content) == 0 {
		return nil, false
	}

	var edits []textEdit
	curKey, curValue := findKey(cc, keyCurrent)
	prevKey, prevValue := findKey(cc, keyPrevious)

	if curValue != nil {
		e, ok := replaceValue(scan, curValue, current)
		if !ok {
			return nil, false
		}
		edits = append(edits, e...)
	}
	if prevValue != nil {
		e, ok := replaceValue(scan, prevValue, previous)
		if !ok {
			return nil, false
		}
		edits = append(edits, e...)
	}

	// New lines: current goes before the first key of contextconfig and
	// previous right after current, where the tree rewrite puts them too.
	var added []string
	if curKey == nil && current != "" {
		line, ok := pointerLine(cc.Content[0].Column, keyCurrent, current)
		if !ok {
			return nil, false
		}
		added = append(added, line)
	}
	if prevKey == nil && previous != "" {
		line, ok := pointerLine(cc.Content[0].Column, keyPrevious, previous)
		if !ok {
			return nil, false
		}
		if curKey == nil {
			added = append(added, line)
		} else {
			at, prefix := lineAfter(data, scan, curValue)
			edits = append(edits, textEdit{start: at, end: at, text: prefix + line})
		}
	}
	if len(added) > 0 {
		at := scan.lineStart[cc.Content[0].Line-1]
		edits = append(edits, textEdit{start: at, end: at, text: strings.Join(added, "")})
	}

	if !printableEdits(data, edits) {
		return nil, false
	}
	patched := applyEdits(data, edits)
	if !patchedCorrectly(patched, scan, current, previous) {
		return nil, false
	}
	return patched, true
}

// printableEdits reports whether data stays printableText after the
// edits. data passed printableText in scanFile, so it is enough to check the
// new text and that each edit starts and ends next to an ASCII byte (or the
// start or end of data), where no UTF-8 sequence can be cut.
func printableEdits(data []byte, edits []textEdit) bool {
	for _, e := range edits {
		if !printableText([]byte(e.text)) {
			return false
		}
		if e.start > 0 && data[e.start-1] >= 0x80 {
			return false
		}
		if e.end < len(data) && data[e.end] >= 0x80 {
			return false
		}
	}
	return true
}

// textEdit replaces data[start:end] with text.
type textEdit struct {
	start, end int
	text       string
}

// replaceValue returns the edit that sets scalar node v to value, keeping
// the quote style the file used.
func replaceValue(scan *scanResult, v *yaml.Node, value string) ([]textEdit, bool) {
	if v.Kind != yaml.ScalarNode || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) != 0 {
		return nil, false
	}
	if holdsString(v, value) {
		return nil, true
	}

	start := scan.offset(v.Line, v.Column)
	var end int
	switch {
	case v.Style&yaml.DoubleQuotedStyle != 0:
		end = start + len(v.Value) + 2
	case v.Style&yaml.SingleQuotedStyle != 0:
		end = start + len(v.Value) + strings.Count(v.Value, "'") + 2
	default:
		end = start + len(v.Value)
	}

	node := &yaml.Node{Kind: yaml.ScalarNode, Style: v.Style}
	setScalar(node, value)
	text, ok := renderScalar(node)
	if !ok {
		return nil, false
	}
	if v.Style == 0 && v.Value == "" {
		// An empty null ("current:") has no space after the colon yet.
		text = " " + text
	}
	return []textEdit{{start: start, end: end, text: text}}, true
}

// pointerLine returns "  key: value\n" with the key at the 1-based column.
func pointerLine(column int, key, value string) (string, bool) {
	text, ok := renderScalar(scalarNode(value))
	if !ok {
		return "", false
	}
	return strings.Repeat(" ", column-1) + key + ": " + text + "\n", true
}

// lineAfter returns the offset of the line after the one holding v, and
// the line break to add first when v is on the last line.
func lineAfter(data []byte, scan *scanResult, v *yaml.Node) (int, string) {
	start := scan.offset(v.Line, v.Column)
	if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
		return start + i + 1, ""
	}
	return len(data), "\n"
}

// renderScalar returns the one-line YAML text yaml.v3 writes for node.
func renderScalar(node *yaml.Node) (string, bool) {
	out, err := yaml.Marshal(node)
	if err != nil {
		return "", false
	}
	text := strings.TrimSuffix(string(out), "\n")
	if strings.ContainsAny(text, "\n") {
		return "", false
	}
	return text, true
}

func applyEdits(data []byte, edits []textEdit) []byte {
	slices.SortFunc(edits, func(a, b textEdit) int { return a.start - b.start })

	out := make([]byte, 0, len(data)+64)
	pos := 0
	for _, e := range edits {
		out = append(out, data[pos:e.start]...)
		out = append(out, e.text...)
		pos = e.end
	}
	return append(out, data[pos:]...)
}

// patchedCorrectly checks the patched file with a sparse scan, which
// checks every line as scanFile does but builds only the keys and scalar
// values of contextconfig. That is enough to prove the contexts unchanged:
// the edits only replace single-line scalar values of contextconfig keys or
// add such key lines, so after each edited line the scanner is in the same
// state as before it, and every other line is the same bytes. The check
// then requires that the patched file still has the same layout, the new
// pointers, and the same keys of contextconfig (plus the added pointer keys)
// with the same value kinds. A full scan and decode here would double the
// cost of Use on a large file.
func patchedCorrectly(patched []byte, before *scanResult, current, previous string) bool {
	res, ok := scanLines(patched, true)
	if !ok {
		return false
	}
	after, err := contextConfigMapping("", res.doc)
	if after == nil || err != nil {
		return false
	}
	if cur, err := stringValue("", after, keyCurrent); err != nil || cur != current {
		return false
	}
	if prev, err := stringValue("", after, keyPrevious); err != nil || prev != previous {
		return false
	}

	beforeTop, err := topMapping("", before.doc)
	if err != nil || beforeTop == nil {
		return false
	}
	afterTop, err := topMapping("", res.doc)
	if err != nil || afterTop == nil || !sameKeys(beforeTop, afterTop, false) {
		return false
	}
	cc, err := contextConfigMapping("", before.doc)
	if cc == nil || err != nil {
		return false
	}
	return sameKeys(cc, after, true, keyCurrent, keyPrevious)
}

// sameKeys reports whether mappings a and b have the same keys in the same
// order with values of the same kind, ignoring the keys in skip. With
// scalars set, scalar values must be equal too; a sparse scan keeps them
// only inside contextconfig.
func sameKeys(a, b *yaml.Node, scalars bool, skip ...string) bool {
	ak, bk := pairsExcept(a, skip), pairsExcept(b, skip)
	if len(ak) != len(bk) {
		return false
	}
	for i := range ak {
		ka, va := ak[i][0], ak[i][1]
		kb, vb := bk[i][0], bk[i][1]
		if ka.Value != kb.Value || va.Kind != vb.Kind {
			return false
		}
		if scalars && va.Kind == yaml.ScalarNode && (va.Value != vb.Value || va.Tag != vb.Tag) {
			return false
		}
	}
	return true
}

// pairsExcept returns the key and value nodes of mapping m, leaving out
// the keys in skip.
func pairsExcept(m *yaml.Node, skip []string) [][2]*yaml.Node {
	var pairs [][2]*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if slices.Contains(skip, m.Content[i].Value) {
			continue
		}
		pairs = append(pairs, [2]*yaml.Node{m.Content[i], m.Content[i+1]})
	}
	return pairs
}
