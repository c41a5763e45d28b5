package contextstore

import (
	"strings"
	"testing"
)

func TestScanFileMatchesYAML(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		accept bool // whether scanFile must accept, not fall back
	}{
		{"pxctl file", pxctlFile, true},
		{"empty", "", true},
		{"only comments", "# a\n\n# b\n", true},
		{"indented list", "contextconfig:\n  configurations:\n    - context: a\n      token: x\n    - context: b\n", true},
		{"indentless list", "a:\n- x\n- y\nb: 1\n", true},
		{"null values", "a:\nb: ~\nc: null\nd:\n  e:\n", true},
		{"null list items", "a:\n  -\n  - x\n  -\n", true},
		{"quoted values", "a: \"x: y # z\"\nb: 'it''s'\nc: \"\"\nd: ''\n", true},
		{"comments after values", "a: x # c\nb: \"y\" # c\nc: # c\n  d: 1\n", true},
		{"hash inside plain", "a: x#y\n", true},
		{"url value", "a: http://localhost:9001/x?y=z\n", true},
		{"literal block", "a: |\n  x\n    y\n\n  z\nb: 1\n", true},
		{"literal strip", "a: |-\n  x\n\n\nb: 1\n", true},
		{"literal keep", "a: |+\n  x\n\n\nb: 1\n", true},
		{"literal leading blank", "a: |\n\n  x\n", true},
		{"literal in list", "- |\n  x\n- y\n", true},
		{"literal in list map", "- a: |\n    x\n  b: 1\n", true},
		{"numbers and bools", "a: 1\nb: 0x1F\nc: true\nd: 1.5\ne: 2025-01-02T03:04:05Z\nf: -1x\n", false},
		{"digit-led strings", "a: 6f1c2b9e-4d1a-4f5e-9b8a-000000000001\nb: 12ab\nc: 3 apples\nd: 1x\n", true},
		{"digit-led numbers", "a: 0x1F\nb: 0o17\nc: 0b101\nd: 1e5\ne: 1.5E3\nf: 1_000\ng: 0XfF\nh: 0B11\ni: 0_B0\nj: 0__x1f\n", false},
		{"digit-led times", "a: 2025-01-02t03:04:05z\nb: 2025-01-02T03:04:05Z\nc: 2025-01-02 03:04:05\nd: 2025-01-02\n", false},
		{"unicode", "a: Grüße ✓\n\"b\": 1\n", false},
		{"spaces after dash", "-   a: 1\n    b: 2\n", true},
		{"no final newline", "a: 1\nb: x", true},
		{"multi-line double quoted", "a: \"x\ncurrent: y\"\n", false},
		{"multi-line plain", "a: x\n  y\n", false},
		{"flow", "a: [1, 2]\nb: {c: d}\n", false},
		{"anchor alias", "a: &x 1\nb: *x\n", false},
		{"tag", "a: !!str 1\n", false},
		{"folded", "a: >\n  x\n", false},
		{"document marker", "---\na: 1\n", false},
		{"two documents", "a: 1\n---\nb: 2\n", false},
		{"tab", "a:\n\tb: 1\n", false},
		{"crlf", "a: 1\r\nb: 2\r\n", false},
		{"bad indentation", "a:\n    b: 1\n  c: 2\n", false},
		{"key after list", "a:\n  - x\n  b: 1\n", false},
		{"colon in value", "a: b: c\n", false},
		{"whitespace line", "a: 1\n  \nb: 2\n", false},
		{"nested dash", "- - a\n", false},
		{"escape", "a: \"x\\ny\"\n", false},
		{"unterminated", "a: \"x\n", false},
		{"line separator", "a: x\u2028y\n", false},
		{"bom", "\ufeffa: 1\n", false},
		{"control char", "a: x\x01y\n", false},
		{"literal without content", "a: |\nb: 1\n", false},
		{"literal at end without newline", "a: |\n  x", false},
		{"root indented", "  a: 1\n", false},
		{"duplicate keys", "a: 1\na: 2\n", true},
		{"empty key value then list", "a:\n-\n", true},
		{"deep", "a:\n  b:\n    c:\n      - d: 1\n        e:\n          - f\n  g: 2\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			accepted, err := checkScan([]byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if tt.accept && !accepted {
				t.Errorf("scanFile fell back on %q", tt.input)
			}
			mustFallBack := strings.Contains(tt.name, "multi-line") || tt.name == "flow" || tt.name == "tab" || tt.name == "two documents" || tt.name == "bom"
			if mustFallBack && accepted {
				t.Errorf("scanFile accepted %q", tt.input)
			}
		})
	}
}
