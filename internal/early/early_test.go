package early

import "testing"

func TestVersionOnly(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{args: []string{"pxauth", "--version"}, want: true},
		{args: []string{"pxauth", "version"}, want: true},
		{args: []string{"pxauth"}},
		{args: []string{"pxauth", "-version"}},
		{args: []string{"pxauth", "--version", "extra"}},
		{args: []string{"pxauth", "version", "--json"}},
		{args: []string{"pxauth", "--context", "kube", "--version"}},
		{args: []string{"pxauth", "Version"}},
		{args: nil},
	}
	for _, tt := range tests {
		if got := versionOnly(tt.args); got != tt.want {
			t.Errorf("versionOnly(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}
