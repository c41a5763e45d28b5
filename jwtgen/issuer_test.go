package jwtgen

import (
	"strings"
	"testing"
)

func TestValidateIssuerValid(t *testing.T) {
	for _, issuer := range []string{"portworx.com", "openstorage.io", "Portworx.COM", "my issuer", "issuer-ü", "a"} {
		t.Run(issuer, func(t *testing.T) {
			if err := ValidateIssuer(issuer); err != nil {
				t.Errorf("ValidateIssuer(%q): unexpected error: %v", issuer, err)
			}
		})
	}
}

func TestValidateIssuerInvalid(t *testing.T) {
	tests := []struct {
		name     string
		issuer   string
		wantText []string
	}{
		{"empty", "", []string{"missing issuer", "-jwt-issuer", "portworx.com"}},
		{"https", "https://portworx.com", []string{`"https://portworx.com"`, "URL scheme", "literally", "-jwt-issuer", "bare name", "portworx.com"}},
		{"http", "http://portworx.com", []string{`"http://portworx.com"`, "URL scheme"}},
		{"upper case scheme", "HTTPS://portworx.com", []string{"URL scheme"}},
		{"scheme inside", "issuer-https://x", []string{"URL scheme"}},
		{"leading space", " portworx.com", []string{`" portworx.com"`, "whitespace"}},
		{"trailing newline", "portworx.com\n", []string{`"portworx.com\n"`, "whitespace"}},
		{"non-breaking space", "portworx.com\u00a0", []string{"whitespace"}},
		{"control character", "portworx\x00.com", []string{"control character U+0000"}},
		{"escape character", "portworx\x1b[31m.com", []string{"control character U+001B"}},
		{"c1 control", "portworx\u0085x", []string{"control character U+0085"}},
		{"invalid utf8", "portworx\xff", []string{"UTF-8"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateIssuer(tt.issuer)
			if err == nil {
				t.Fatalf("ValidateIssuer(%q): want an error", tt.issuer)
			}

			message := err.Error()
			for _, text := range tt.wantText {
				if !strings.Contains(message, text) {
					t.Errorf("message %q does not contain %q", message, text)
				}
			}

			if strings.ContainsAny(message, "\r\n\x00\x1b") {
				t.Errorf("message %q contains a raw control character", message)
			}
		})
	}
}
