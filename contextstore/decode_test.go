package contextstore

import "testing"

func TestYAMLErrorLine(t *testing.T) {
	tests := []struct {
		text        string
		wantLine    int
		wantMessage string
		wantOK      bool
	}{
		{"yaml: line 3: mapping values are not allowed in this context", 3, "mapping values are not allowed in this context", true},
		{"yaml: line 12: did not find expected key: here", 12, "did not find expected key: here", true},
		{"yaml: line 0: x", 0, "x", true},
		{"yaml: line 3: ", 3, "", true},
		{"yaml: unmarshal errors:\n  line 3: cannot unmarshal", 0, "", false},
		{"yaml: line : missing number", 0, "", false},
		{"yaml: line 3x: not a number", 0, "", false},
		{"yaml: line 3: two\nlines", 0, "", false},
		{"yaml: line 3", 0, "", false},
		{"yaml: line 99999999999999999999: too large", 0, "", false},
		{"yaml: control characters are not allowed", 0, "", false},
	}
	for _, tt := range tests {
		line, message, ok := yamlErrorLine(tt.text)

		if ok != tt.wantOK {
			t.Errorf("yamlErrorLine(%q) ok = %v, want %v", tt.text, ok, tt.wantOK)
		}
		if line != tt.wantLine {
			t.Errorf("yamlErrorLine(%q) line = %d, want %d", tt.text, line, tt.wantLine)
		}
		if message != tt.wantMessage {
			t.Errorf("yamlErrorLine(%q) message = %q, want %q", tt.text, message, tt.wantMessage)
		}
	}
}
