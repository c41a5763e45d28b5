package jwtgen

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// issuerFix ends every issuer error: servers accept a token only when iss
// equals their -jwt-issuer setting byte for byte.
const issuerFix = "servers compare the issuer literally with their -jwt-issuer, so use that exact value, such as portworx.com"

// ValidateIssuer checks the issuer (the iss claim) of a token to be signed.
// It rejects an empty issuer, leading or trailing whitespace, control
// characters, invalid UTF-8, and any issuer containing http:// or https://
// in any letter case, which pxctl's help warns against and
// osd-token-generator rejects. Letter case is otherwise kept and not
// checked, because servers compare the issuer case-sensitively.
func ValidateIssuer(issuer string) error {
	if issuer == "" {
		return errors.New("missing issuer; " + issuerFix)
	}

	if !utf8.ValidString(issuer) {
		return fmt.Errorf("invalid issuer %s: not valid UTF-8; %s", quoteInput(issuer), issuerFix)
	}

	if strings.TrimSpace(issuer) != issuer {
		return fmt.Errorf("invalid issuer %s: leading or trailing whitespace; remove it, because %s", quoteInput(issuer), issuerFix)
	}

	if i := strings.IndexFunc(issuer, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(issuer[i:])
		return fmt.Errorf("invalid issuer %s: contains control character %U; %s", quoteInput(issuer), r, issuerFix)
	}

	lower := strings.ToLower(issuer)
	if strings.Contains(lower, "http://") || strings.Contains(lower, "https://") {
		return fmt.Errorf("invalid issuer %s: contains a URL scheme; servers compare the issuer literally with their -jwt-issuer, so use the bare name, such as portworx.com", quoteInput(issuer))
	}

	return nil
}
