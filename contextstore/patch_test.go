package contextstore

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// bytes returns the patched file, which Use writes in pieces.
func (p *patch) bytes() []byte {
	return bytes.Join(p.pieces(), nil)
}

func TestPatchedCorrectly(t *testing.T) {
	const before = "contextconfig:\n  current: a\n  previous: b\n  configurations:\n  - context: a\n  - context: b\n"
	// edit replaces the first old after offset from with text.
	edit := func(old, text string, from int) textEdit {
		start := strings.Index(before[from:], old) + from
		return textEdit{start: start, end: start + len(old), text: text}
	}
	swap := []textEdit{edit("a", "b", 20), edit("b", "a", 30)}
	tests := []struct {
		name  string
		edits []textEdit
		want  bool
	}{
		{"pointers swapped", swap, true},
		{"wrong current", []textEdit{edit("b", "a", 30)}, false},
		{"wrong previous", []textEdit{edit("a", "b", 20)}, false},
		{"key added", append(swap[:2:2], edit("  configurations:", "  other: x\n  configurations:", 0)), false},
		{"configurations became a scalar", append(swap[:2:2], edit("configurations:\n  - context: a\n  - context: b\n", "configurations: x\n", 0)), false},
		{"top key added", append(swap[:2:2], textEdit{start: len(before), end: len(before), text: "other: 1\n"}), false},
		{"layout broken", append(swap[:2:2], edit("  configurations:", "   configurations:", 0)), false},
		{"sequence indented deeper", append(swap[:2:2], edit("  - context: a", "    - context: a", 0)), false},
		{"block scalar opened", []textEdit{edit("a", "b", 20), edit("b", "|", 30)}, false},
		{"flow layout", []textEdit{{start: 0, end: len(before), text: "contextconfig: {current: b, previous: a}\n"}}, false},
		{"comment added", append(swap[:2:2], edit("  configurations:", "  # note\n  configurations:", 0)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &patch{data: []byte(before), edits: slices.Clone(tt.edits)}
			slices.SortFunc(p.edits, func(a, b textEdit) int { return a.start - b.start })

			if got := patchedCorrectly(p, "b", "a"); got != tt.want {
				t.Errorf("patchedCorrectly = %v, want %v; patched file:\n%s", got, tt.want, p.bytes())
			}
		})
	}
}

func TestEditedPrefix(t *testing.T) {
	const data = "contextconfig:\n  current: a\n  configurations:\n  - context: a\n"
	tests := []struct {
		name                  string
		edits                 []textEdit
		wantBefore, wantAfter int
	}{
		{"value replaced", []textEdit{{start: 26, end: 27, text: "bb"}}, 28, 29},
		{"line inserted", []textEdit{{start: 28, end: 28, text: "  previous: a\n"}}, 46, 60},
		{"inserted at the end", []textEdit{{start: len(data), end: len(data), text: "x: 1\n"}}, len(data), len(data) + 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, after := (&patch{data: []byte(data), edits: tt.edits}).editedPrefix()

			if before != tt.wantBefore {
				t.Errorf("before = %d, want %d", before, tt.wantBefore)
			}
			if after != tt.wantAfter {
				t.Errorf("after = %d, want %d", after, tt.wantAfter)
			}
		})
	}
}

func TestPrintableEdits(t *testing.T) {
	data := []byte("a: é\nb: x\n")
	tests := []struct {
		name string
		edit textEdit
		want bool
	}{
		{"ascii text at ascii bounds", textEdit{start: 8, end: 9, text: "yz"}, true},
		{"unicode text", textEdit{start: 8, end: 9, text: "ü"}, true},
		{"control character", textEdit{start: 8, end: 9, text: "\x01"}, false},
		{"line separator", textEdit{start: 8, end: 9, text: "\u2028"}, false},
		{"start inside a character", textEdit{start: 4, end: 5, text: "x"}, false},
		{"end inside a character", textEdit{start: 3, end: 4, text: "x"}, false},
		{"insert at end", textEdit{start: len(data), end: len(data), text: "c: d\n"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := printableEdits(data, []textEdit{tt.edit}); got != tt.want {
				t.Errorf("printableEdits = %v, want %v", got, tt.want)
			}
		})
	}
}
