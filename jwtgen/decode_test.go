package jwtgen

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// b64 encodes a token segment.
func b64(s string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

const (
	decodeTestHeader = `{"alg":"HS256","typ":"JWT"}`
	decodeTestClaims = `{"email":"jane@example.com","exp":1767312000,"groups":["*"],"iat":1767225600,"iss":"openstorage.io","name":"Jane","roles":["system.admin"],"sub":"jane","big":9007199254740993}`
)

// decodeTestSignature is 32 arbitrary bytes, the size of an HS256 MAC.
var decodeTestSignature = b64("0123456789abcdef0123456789abcdef")

// decodeTestToken joins encoded segments.
func decodeTestToken(header, claims string) string {
	return b64(header) + "." + b64(claims) + "." + decodeTestSignature
}

func TestDecodeValid(t *testing.T) {
	token := decodeTestToken(decodeTestHeader, decodeTestClaims)

	decoded, err := Decode(token)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}

	if decoded.Algorithm != "HS256" {
		t.Errorf("Algorithm = %q, want HS256", decoded.Algorithm)
	}

	if string(decoded.RawHeader) != decodeTestHeader {
		t.Errorf("RawHeader = %s, want %s", decoded.RawHeader, decodeTestHeader)
	}

	if string(decoded.RawClaims) != decodeTestClaims {
		t.Errorf("RawClaims = %s, want %s", decoded.RawClaims, decodeTestClaims)
	}

	if got := decoded.Header["typ"]; got != "JWT" {
		t.Errorf(`Header["typ"] = %v, want JWT`, got)
	}

	if got := decoded.Claims["sub"]; got != "jane" {
		t.Errorf(`Claims["sub"] = %v, want jane`, got)
	}

	if got := decoded.Claims["big"]; got != json.Number("9007199254740993") {
		t.Errorf(`Claims["big"] = %#v, want the exact json.Number 9007199254740993`, got)
	}

	if want := time.Unix(1767225600, 0).UTC(); decoded.IssuedAt == nil || !decoded.IssuedAt.Equal(want) {
		t.Errorf("IssuedAt = %v, want %v", decoded.IssuedAt, want)
	}

	if want := time.Unix(1767312000, 0).UTC(); decoded.ExpiresAt == nil || !decoded.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", decoded.ExpiresAt, want)
	}

	if decoded.ExpiresAt != nil && decoded.ExpiresAt.Location() != time.UTC {
		t.Errorf("ExpiresAt is in %v, want UTC", decoded.ExpiresAt.Location())
	}
}

func TestDecodeNumericDates(t *testing.T) {
	tests := []struct {
		name    string
		claims  string
		iat     *time.Time
		exp     *time.Time
		wantNil bool
	}{
		{"absent", `{"sub":"jane"}`, nil, nil, true},
		{"fraction", `{"exp":1767312000.5}`, nil, timePointer(time.Unix(1767312000, 500_000_000)), false},
		{"exponent", `{"iat":1.7672256e9}`, timePointer(time.Unix(1767225600, 0)), nil, false},
		{"negative", `{"iat":-1}`, timePointer(time.Unix(-1, 0)), nil, false},
		{"milliseconds by mistake", `{"exp":1767312000000}`, nil, timePointer(time.Unix(1767312000000, 0)), false},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			decoded, err := Decode(decodeTestToken(decodeTestHeader, tt.claims))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}

			if !sameTime(decoded.IssuedAt, tt.iat) {
				t.Errorf("IssuedAt = %v, want %v", decoded.IssuedAt, tt.iat)
			}

			if !sameTime(decoded.ExpiresAt, tt.exp) {
				t.Errorf("ExpiresAt = %v, want %v", decoded.ExpiresAt, tt.exp)
			}
		})
	}
}

func timePointer(t time.Time) *time.Time {
	return &t
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}

	return a.Equal(*b)
}

func TestDecodeCleansToken(t *testing.T) {
	token := decodeTestToken(decodeTestHeader, decodeTestClaims)

	tests := []struct {
		name  string
		input string
	}{
		{"bearer prefix", "Bearer " + token},
		{"lower case bearer", "bearer " + token},
		{"upper case bearer", "BEARER " + token},
		{"bearer tab", "Bearer\t" + token},
		{"bearer two spaces", "Bearer  " + token},
		{"trailing newline", token + "\n"},
		{"crlf", token + "\r\n"},
		{"surrounding blanks", " \t" + token + " \t\r\n"},
		{"everything", "\n  Bearer " + token + "\r\n"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			decoded, err := Decode(tt.input)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}

			if decoded.Algorithm != "HS256" {
				t.Errorf("Algorithm = %q, want HS256", decoded.Algorithm)
			}
		})
	}
}

func TestCleanToken(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"a.b.c", "a.b.c"},
		{"  a.b.c\r\n", "a.b.c"},
		{"Bearer a.b.c", "a.b.c"},
		{"bEaReR a.b.c", "a.b.c"},
		{"Bearer Bearer a.b.c", "Bearer a.b.c"},
		{"Bearer", "Bearer"},
		{"Bearer ", "Bearer"},
		{"Bearera.b.c", "Bearera.b.c"},
		{"Token a.b.c", "Token a.b.c"},
		{"a.b.c\n\n", "a.b.c"},
		{"", ""},
	}

	for _, tt := range tests {
		if got := CleanToken(tt.in); got != tt.want {
			t.Errorf("CleanToken(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// checkDecodeError checks the rules every Decode error follows: one line,
// and no token segment of 8 bytes or more in the message.
func checkDecodeError(t *testing.T, err error, token string) {
	t.Helper()

	message := err.Error()
	if strings.ContainsAny(message, "\r\n") {
		t.Errorf("error %q is not a single line", message)
	}

	for _, segment := range strings.Split(token, ".") {
		if len(segment) >= 8 && strings.Contains(message, segment) {
			t.Errorf("error %q contains the token segment %q", message, segment)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	header := b64(decodeTestHeader)
	claims := b64(decodeTestClaims)
	signature := decodeTestSignature
	token := header + "." + claims + "." + signature
	hugeToken := header + "." + strings.Repeat("A", MaxTokenSize) + "." + signature

	tests := []struct {
		name    string
		token   string
		segment string
		want    string
	}{
		{"empty", "", "", "token is empty"},
		{"blank", " \r\n\t", "", "token is empty"},
		{"only bearer", "Bearer ", "", `found no "."`},
		{"one segment", header, "", `found no ".", but a JWT has 3 segments`},
		{"two segments", header + "." + claims, "", "found 2 segments"},
		{"four segments", header + "." + claims + "." + signature + "." + signature, "", "found 4 segments"},
		{"five segments", header + "." + claims + ".a.b.c", "", "encrypted token (JWE)"},
		{"too large", header + "." + strings.Repeat("A", MaxTokenSize) + "." + signature, "", "more than the limit of 65536 bytes"},
		{"empty header", "." + claims + "." + signature, "header", "is empty"},
		{"empty claims", header + ".." + signature, "claims", "is empty"},
		{"empty signature", header + "." + claims + ".", "signature", "the token is unsigned"},
		{"header standard base64", "eyJhbGciOiJIUzI1NiJ9+." + claims + "." + signature, "header", `invalid base64url: '+' from standard base64 (JWT uses base64url, with "-" and "_") at offset 20`},
		{"claims padding", header + "." + claims + "==." + signature, "claims", `padding "=" (JWT segments are unpadded) at offset`},
		{"claims slash", header + ".ab/d." + signature, "claims", `'/' from standard base64`},
		{"signature line break", header + "." + claims + ".abcd\nefgh", "", "found a line break inside the token at offset " + strconv.Itoa(len(header+claims)+6)},
		{"signature space", header + "." + claims + ".abcd efgh", "", "found a space inside the token at offset " + strconv.Itoa(len(header+claims)+6)},
		{"header tab", "ab\tcd." + claims + "." + signature, "", "found a tab inside the token at offset 2"},
		{"header carriage return", "ab\rcd." + claims + "." + signature, "", "found a line break inside the token at offset 2"},
		{"vertical tab", "ab\vcd." + claims + "." + signature, "", "found white space (byte 0x0b) inside the token at offset 2"},
		{"form feed", "ab\fcd." + claims + "." + signature, "", "found white space (byte 0x0c) inside the token at offset 2"},
		{"wrapped token", header + "." + claims[:10] + "\n" + claims[10:] + "." + signature, "", "join the token onto one line and pass exactly one token"},
		{"two tokens on lines", token + "\n" + token, "", "found white space or line breaks between what look like 2 tokens; pass exactly one token"},
		{"two tokens crlf", token + "\r\n" + token + "\r\n", "", "between what look like 2 tokens"},
		{"two tokens space", token + " " + token, "", "between what look like 2 tokens"},
		{"three tokens", token + "\n" + token + "\n\n" + token, "", "between what look like 3 tokens"},
		{"two bearer lines", "Bearer " + token + "\nBearer " + token, "", "between what look like 2 tokens"},
		{"token and note", token + "\nexpires tomorrow", "", "found a line break inside the token at offset " + strconv.Itoa(len(token))},
		{"two huge tokens", hugeToken + "\n" + hugeToken, "", "between what look like 2 tokens"},
		{"header control byte", "ab\x01d." + claims + "." + signature, "header", "byte 0x01 at offset 2"},
		{"header high byte", "ab\xffd." + claims + "." + signature, "header", "byte 0xff at offset 2"},
		{"header bad length", "abcde." + claims + "." + signature, "header", "a length of 5 cannot be base64url"},
		{"signature bad length", header + "." + claims + ".abcde", "signature", "a length of 5 cannot be base64url"},
		{"header not json", b64("alg=HS256") + "." + claims + "." + signature, "header", "not valid JSON: invalid character"},
		{"claims not json", header + "." + b64("sub: jane") + "." + signature, "claims", "not valid JSON"},
		{"claims truncated json", header + "." + b64(`{"sub":"ja`) + "." + signature, "claims", "the data ends inside a value"},
		{"claims only whitespace", header + "." + b64("  ") + "." + signature, "claims", "not valid JSON: no data"},
		{"claims array", header + "." + b64(`[{"sub":"jane"}]`) + "." + signature, "claims", "JSON array, not an object"},
		{"claims string", header + "." + b64(`"jane"`) + "." + signature, "claims", "JSON string, not an object"},
		{"claims null", header + "." + b64(`null`) + "." + signature, "claims", "JSON null, not an object"},
		{"header number", b64(`42`) + "." + claims + "." + signature, "header", "JSON number, not an object"},
		{"claims trailing data", header + "." + b64(`{"sub":"jane"}{}`) + "." + signature, "claims", "data after the end of the JSON object"},
		{"claims trailing garbage", header + "." + b64(`{"sub":"jane"} x`) + "." + signature, "claims", "data after the end of the JSON object"},
		{"alg missing", b64(`{"typ":"JWT"}`) + "." + claims + "." + signature, "header", `no "alg" (algorithm) member`},
		{"alg number", b64(`{"alg":256}`) + "." + claims + "." + signature, "header", `"alg" is a number, not a string`},
		{"alg null", b64(`{"alg":null}`) + "." + claims + "." + signature, "header", `"alg" is null, not a string`},
		{"alg array", b64(`{"alg":["HS256"]}`) + "." + claims + "." + signature, "header", `"alg" is an array, not a string`},
		{"alg object", b64(`{"alg":{}}`) + "." + claims + "." + signature, "header", `"alg" is an object, not a string`},
		{"alg boolean", b64(`{"alg":true}`) + "." + claims + "." + signature, "header", `"alg" is a boolean, not a string`},
		{"alg empty", b64(`{"alg":""}`) + "." + claims + "." + signature, "header", `"alg" is empty`},
		{"alg none", b64(`{"alg":"none","typ":"JWT"}`) + "." + claims + ".", "header", `algorithm "none" marks an unsigned token`},
		{"alg none upper case", b64(`{"alg":"NONE"}`) + "." + claims + "." + signature, "header", `algorithm "NONE" marks an unsigned token`},
		{"alg none mixed case", b64(`{"alg":"nOnE"}`) + "." + claims + "." + signature, "header", `algorithm "nOnE"`},
		{"exp string", header + "." + b64(`{"exp":"1767312000"}`) + "." + signature, "claims", `"exp" is a string, not a number of seconds since 1970-01-01 UTC`},
		{"iat boolean", header + "." + b64(`{"iat":true}`) + "." + signature, "claims", `"iat" is a boolean, not a number`},
		{"exp null", header + "." + b64(`{"exp":null}`) + "." + signature, "claims", `"exp" is null, not a number`},
		{"exp array", header + "." + b64(`{"exp":[1767312000]}`) + "." + signature, "claims", `"exp" is an array, not a number`},
		{"iat object", header + "." + b64(`{"iat":{"t":1}}`) + "." + signature, "claims", `"iat" is an object, not a number`},
		{"exp out of range", header + "." + b64(`{"exp":1e300}`) + "." + signature, "claims", `"exp" is out of range for a time`},
		{"iat huge integer", header + "." + b64(`{"iat":99999999999999999999}`) + "." + signature, "claims", `"iat" is out of range for a time`},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			decoded, err := Decode(tt.token)
			if err == nil {
				t.Fatalf("Decode succeeded with alg %q, want an error containing %q", decoded.Algorithm, tt.want)
			}

			var decodeError *DecodeError
			if !errors.As(err, &decodeError) {
				t.Fatalf("error %q is %T, want *DecodeError", err, err)
			}

			if decodeError.Segment != tt.segment {
				t.Errorf("Segment = %q, want %q", decodeError.Segment, tt.segment)
			}

			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}

			if decoded != nil {
				t.Errorf("Decoded = %v with an error, want nil", decoded)
			}

			checkDecodeError(t, err, tt.token)
		})
	}
}

func TestDecodeErrorMessage(t *testing.T) {
	tests := []struct {
		err  DecodeError
		want string
	}{
		{DecodeError{Segment: "header", Reason: "is empty"}, "invalid token header (1st segment): is empty"},
		{DecodeError{Segment: "claims", Reason: "is empty"}, "invalid token claims (2nd segment): is empty"},
		{DecodeError{Segment: "signature", Reason: "is empty"}, "invalid token signature (3rd segment): is empty"},
		{DecodeError{Reason: "token is empty"}, "invalid token: token is empty"},
	}

	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestDecodeSizeLimit(t *testing.T) {
	header := b64(decodeTestHeader)
	signature := decodeTestSignature
	fill := MaxTokenSize - len(header) - len(signature) - 2 - len(b64(`{"x":""}`))
	claims := b64(`{"x":"` + strings.Repeat("a", fill*3/4) + `"}`)
	token := header + "." + claims + "." + signature

	if len(token) > MaxTokenSize {
		t.Fatalf("test token is %d bytes, want at most %d", len(token), MaxTokenSize)
	}

	if _, err := Decode(token); err != nil {
		t.Errorf("Decode of a %d-byte token: %v", len(token), err)
	}

	if _, err := Decode("Bearer " + token + "\n"); err != nil {
		t.Errorf("Decode of a %d-byte token with a Bearer prefix: %v", len(token), err)
	}
}

func FuzzDecode(f *testing.F) {
	seeds := []string{
		decodeTestToken(decodeTestHeader, decodeTestClaims),
		"Bearer " + decodeTestToken(decodeTestHeader, `{"exp":1.5,"iat":-3}`),
		decodeTestToken(`{"alg":"none"}`, `{}`),
		decodeTestToken(`{"alg":"NoNe"}`, `{}`),
		decodeTestToken(`{"alg":1}`, `[]`),
		decodeTestToken(`{"alg":"HS256"}`, `{"exp":"soon"}`),
		decodeTestToken(`{"alg":"HS256"}`, `{"exp":1e999}`),
		decodeTestToken(`{"alg":"HS256"}{}`, `{}`),
		b64(`{"alg":"HS256"}`) + "." + b64(`{}`) + ".",
		"eyJhbGciOiJIUzI1NiJ9.e30.abc=",
		"a.b",
		"a.b.c.d.e",
		"....",
		"\xff\xfe.\x00.\n",
		"",
		decodeTestToken(decodeTestHeader, decodeTestClaims) + "\n" + decodeTestToken(decodeTestHeader, decodeTestClaims) + "\n",
		"Bearer a.b.c\r\nBearer a.b.c",
		"a.b\n.c",
		"a.b.c \v\f",
	}
	for _, seed := range seeds {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, token string) {
		decoded, err := Decode(token)
		if err != nil {
			if decoded != nil {
				t.Errorf("Decoded = %v with error %q, want nil", decoded, err)
			}

			var decodeError *DecodeError
			if !errors.As(err, &decodeError) {
				t.Errorf("error %q is %T, want *DecodeError", err, err)
			}

			checkDecodeError(t, err, token)
			checkDecodeError(t, err, CleanToken(token))

			if strings.ContainsAny(CleanToken(token), tokenWhitespace) && !strings.Contains(err.Error(), "pass exactly one token") {
				t.Errorf("error %q for a token with white space inside does not say to pass exactly one token", err)
			}

			return
		}

		if strings.ContainsAny(CleanToken(token), tokenWhitespace) {
			t.Errorf("Decode accepted a token with white space inside")
		}

		if decoded.Algorithm == "" || strings.EqualFold(decoded.Algorithm, "none") {
			t.Errorf("Decode accepted alg %q", decoded.Algorithm)
		}

		if decoded.Header["alg"] != decoded.Algorithm {
			t.Errorf(`Header["alg"] = %v, want %q`, decoded.Header["alg"], decoded.Algorithm)
		}

		if decoded.Header == nil || decoded.Claims == nil {
			t.Error("Decode succeeded without a header or claims map")
		}

		if len(CleanToken(token)) > MaxTokenSize {
			t.Errorf("Decode accepted a %d-byte token", len(CleanToken(token)))
		}

		if strings.Count(token, ".") != 2 {
			t.Errorf("Decode accepted a token with %d dots", strings.Count(token, "."))
		}
	})
}
