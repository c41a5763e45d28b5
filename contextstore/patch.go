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

	patched := applyEdits(data, edits)
	if !patchedCorrectly(patched, cfg, current, previous) {
		return nil, false
	}
	return patched, true
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

// patchedCorrectly parses the patched file again and checks that the
// pointers are set and the contexts are the same.
func patchedCorrectly(patched []byte, before *Config, current, previous string) bool {
	scan, ok := scanFile(patched)
	if !ok {
		return false
	}
	after, err := decodeConfig(before.Path, scan.doc)
	if err != nil || after.Current != current || after.Previous != previous {
		return false
	}
	return slices.Equal(after.Names(), before.Names()) && len(after.Contexts) == len(before.Contexts)
}
