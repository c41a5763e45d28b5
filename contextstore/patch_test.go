package contextstore

import (
	"testing"
)

func TestPatchedCorrectly(t *testing.T) {
	const before = "contextconfig:\n  current: a\n  previous: b\n  configurations:\n  - context: a\n  - context: b\n"
	tests := []struct {
		name    string
		patched string
		want    bool
	}{
		{"pointers swapped", "contextconfig:\n  current: b\n  previous: a\n  configurations:\n  - context: a\n  - context: b\n", true},
		{"wrong current", "contextconfig:\n  current: a\n  previous: a\n  configurations:\n  - context: a\n  - context: b\n", false},
		{"wrong previous", "contextconfig:\n  current: b\n  previous: b\n  configurations:\n  - context: a\n  - context: b\n", false},
		{"key added", "contextconfig:\n  current: b\n  previous: a\n  other: x\n  configurations:\n  - context: a\n  - context: b\n", false},
		{"configurations became a scalar", "contextconfig:\n  current: b\n  previous: a\n  configurations: x\n", false},
		{"top key added", "contextconfig:\n  current: b\n  previous: a\n  configurations:\n  - context: a\n  - context: b\nother: 1\n", false},
		{"layout broken", "contextconfig:\n  current: b\n  previous: a\n   configurations:\n  - context: a\n", false},
		{"flow layout", "contextconfig: {current: b, previous: a}\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scan, ok := scanFile([]byte(before))
			if !ok {
				t.Fatal("scanFile fell back on the original")
			}
			if got := patchedCorrectly([]byte(tt.patched), scan, "b", "a"); got != tt.want {
				t.Errorf("patchedCorrectly = %v, want %v", got, tt.want)
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
