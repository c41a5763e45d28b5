package contextstore

import (
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestEncodeRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		input string
		// block is true when the rewrite still contains a block scalar.
		block bool
	}{
		{"literal", "a: |\n  x\n  y\n", true},
		{"literal kept lines", "a: |+\n  x\n\n", true},
		{"folded", "a: >\n  x\n  y\n", true},
		{"literal leading break", "a: |\n\n  x\n", false},
		{"literal leading break no newline", "0: |\n\n 0", false},
		{"literal leading break stripped", "a: |-\n\n\n  x\n", false},
		{"folded leading break", "a: >\n\n  x\n", false},
		{"folded more indented", "a: >2\n   x\n  y\n  z\n", true},
		{"nested literal leading break", "a:\n  - b: |\n\n      x\n", false},
		{"list literal leading break", "a:\n- |\n\n  x\n", false},
		{"tagged literal leading break", "a: !note |\n\n  x\n", false},
		{"null key", "? \n: a\n", false},
		{"null in flow", "a: {b}\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.input), &doc); err != nil {
				t.Fatal(err)
			}
			out, err := encode(&doc)
			if err != nil {
				t.Fatal(err)
			}

			var want, got any
			if err := yaml.Unmarshal([]byte(tt.input), &want); err != nil {
				t.Fatal(err)
			}
			if err := yaml.Unmarshal(out, &got); err != nil {
				t.Fatalf("invalid YAML in rewrite: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(want, got) {
				t.Errorf("rewrite changed the content\ninput: %q\nrewritten: %q\nexpected %#v\ngot      %#v", tt.input, out, want, got)
			}
			if block := strings.ContainsAny(string(out), "|>"); block != tt.block {
				t.Errorf("block scalar in rewrite = %v, expected %v\nrewritten: %q", block, tt.block, out)
			}
		})
	}
}
