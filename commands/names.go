package commands

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// looksLikeToken reports whether s has the shape of a JWT: three dot-
// separated parts, the first a base64url JSON object ("eyJ" encodes `{"`).
// A token pasted where a context name or a path goes must not be echoed
// in a message or stored as a name.
func looksLikeToken(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) > 16 && strings.HasPrefix(s, "eyJ") && strings.Count(s, ".") == 2
}

// errTokenAsName is returned when a token is given where a context name
// goes; the value is not repeated.
var errTokenAsName = errors.New("the context name looks like a token; give the name of a context, and the token with --token-file")

// checkContextName rejects a token given as a context name.
func checkContextName(name string) error {
	if looksLikeToken(name) {
		return errTokenAsName
	}
	return nil
}

// checkEndpoint accepts the http and https URLs that pxctl contexts hold,
// such as http://localhost:9001.
func checkEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(endpoint, " \t\r\n") {
		return fmt.Errorf("invalid --endpoint %q; use the cluster's URL with http:// or https://, such as http://localhost:9001", endpoint)
	}
	return nil
}

// dedupe returns names without repeats, in their first order.
func dedupe(names []string) []string {
	seen := make(map[string]bool, len(names))
	out := names[:0:0]
	for _, name := range names {
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}
