package jwtgen

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxTokenSize is the largest token Decode and Verify accept, in bytes
// after CleanToken. A Portworx token is typically a few hundred bytes, so
// the limit leaves room for long role and group lists while it bounds the
// work and memory that hostile input can cost.
const MaxTokenSize = 64 << 10

// CleanToken trims surrounding spaces, tabs, CR and LF, then one leading
// "Bearer " prefix in any letter case and the blanks after it, as when a
// token is pasted from an Authorization header.
func CleanToken(s string) string {
	s = strings.Trim(s, " \t\r\n")

	const prefix = "bearer"
	if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) && (s[len(prefix)] == ' ' || s[len(prefix)] == '\t') {
		s = strings.TrimLeft(s[len(prefix):], " \t")
	}

	return s
}

// Decoded is a token split and decoded without verification.
type Decoded struct {
	// Header is the JOSE header, decoded with json.Decoder.UseNumber.
	Header map[string]any

	// Claims is the claim set, decoded with json.Decoder.UseNumber so that
	// large integers stay exact.
	Claims map[string]any

	// RawHeader is the header JSON as it is in the token.
	RawHeader []byte

	// RawClaims is the claims JSON as it is in the token.
	RawClaims []byte

	// Algorithm is the header's "alg".
	Algorithm string

	// IssuedAt is the "iat" claim in UTC, or nil when it is absent.
	IssuedAt *time.Time

	// ExpiresAt is the "exp" claim in UTC, or nil when it is absent.
	ExpiresAt *time.Time
}

// DecodeError is a token that Decode cannot split or decode. Its message
// quotes no token segment. At most it shows the one invalid character or
// an alg value of "none".
type DecodeError struct {
	// Segment is the part that is wrong: "header", "claims", "signature", or
	// "" for the token as a whole.
	Segment string

	// Reason is the problem, such as "is empty".
	Reason string
}

// Error returns the reason with the segment and its position.
func (e *DecodeError) Error() string {
	switch e.Segment {
	case "header":
		return "invalid token header (1st segment): " + e.Reason
	case "claims":
		return "invalid token claims (2nd segment): " + e.Reason
	case "signature":
		return "invalid token signature (3rd segment): " + e.Reason
	default:
		return "invalid token: " + e.Reason
	}
}

// Decode splits a token, after CleanToken, into its three base64url
// segments and decodes the header and claims JSON without checking the
// signature. It returns a *DecodeError for any of these:
//   - the token is empty;
//   - it has white space or a line break inside, as when two tokens are
//     passed at once or one is wrapped across lines;
//   - it is larger than MaxTokenSize;
//   - it does not have three segments, or a segment is empty or not base64url;
//   - the header or the claims are not one JSON object;
//   - "alg" is missing, not a string, or "none" in any letter case;
//   - "iat" or "exp" is present but not a number.
func Decode(token string) (*Decoded, error) {
	decoded, _, _, err := decodeToken(token)
	if err != nil {
		return nil, err
	}

	return decoded, nil
}

// decodeToken is Decode that also returns the signing input (the first two
// segments with their dot) and the decoded signature for Verify.
func decodeToken(token string) (decoded *Decoded, signingInput string, signature []byte, err error) {
	token = CleanToken(token)
	if token == "" {
		return nil, "", nil, &DecodeError{Reason: "token is empty"}
	}

	if reason := innerWhitespaceReason(token); reason != "" {
		return nil, "", nil, &DecodeError{Reason: reason}
	}

	if len(token) > MaxTokenSize {
		return nil, "", nil, &DecodeError{Reason: fmt.Sprintf("token is %d bytes, more than the limit of %d bytes", len(token), MaxTokenSize)}
	}

	segments := strings.Count(token, ".") + 1
	if segments != 3 {
		reason := fmt.Sprintf("found %d segments separated by \".\", but a JWT has 3 (header.claims.signature)", segments)
		if segments == 1 {
			reason = "found no \".\", but a JWT has 3 segments separated by \".\" (header.claims.signature)"
		}
		if segments == 5 {
			reason += "; 5 segments is an encrypted token (JWE), which Portworx does not use"
		}

		return nil, "", nil, &DecodeError{Reason: reason}
	}

	headerSegment, rest, _ := strings.Cut(token, ".")
	claimsSegment, signatureSegment, _ := strings.Cut(rest, ".")

	decoded = &Decoded{}

	decoded.RawHeader, decoded.Header, err = decodeJSONSegment(headerSegment, "header")
	if err != nil {
		return nil, "", nil, err
	}

	decoded.Algorithm, err = headerAlgorithm(decoded.Header)
	if err != nil {
		return nil, "", nil, err
	}

	decoded.RawClaims, decoded.Claims, err = decodeJSONSegment(claimsSegment, "claims")
	if err != nil {
		return nil, "", nil, err
	}

	decoded.IssuedAt, err = numericDateClaim(decoded.Claims, "iat")
	if err != nil {
		return nil, "", nil, err
	}

	decoded.ExpiresAt, err = numericDateClaim(decoded.Claims, "exp")
	if err != nil {
		return nil, "", nil, err
	}

	signature, reason := decodeSegment(signatureSegment)
	if reason != "" {
		if signatureSegment == "" {
			reason = "is empty, so the token is unsigned"
		}

		return nil, "", nil, &DecodeError{Segment: "signature", Reason: reason}
	}

	signingInput = token[:len(headerSegment)+1+len(claimsSegment)]

	return decoded, signingInput, signature, nil
}

// tokenWhitespace is the white space that cannot occur in a token.
// CleanToken trims it from both ends, so what is left is inside.
const tokenWhitespace = " \t\r\n\v\f"

// innerWhitespaceReason describes white space inside a cleaned token, or
// returns "" when there is none. It is checked before the segments are
// counted, because two tokens on separate lines have 5 dots and would be
// reported as an encrypted token. The message gives only offsets, never
// token text.
func innerWhitespaceReason(token string) string {
	offset := strings.IndexAny(token, tokenWhitespace)
	if offset < 0 {
		return ""
	}

	parts := strings.FieldsFunc(token, func(r rune) bool {
		return strings.ContainsRune(tokenWhitespace, r)
	})

	tokens := 0
	for _, part := range parts {
		if strings.Count(part, ".") == 2 {
			tokens++
		}
	}

	if tokens > 1 {
		return fmt.Sprintf("found white space or line breaks between what look like %d tokens; pass exactly one token", tokens)
	}

	return fmt.Sprintf("found %s inside the token at offset %d; a JWT has no white space or line breaks, so join the token onto one line and pass exactly one token",
		whitespaceName(token[offset]), offset)
}

// whitespaceName names a byte of tokenWhitespace for a message.
func whitespaceName(c byte) string {
	switch c {
	case ' ':
		return "a space"
	case '\t':
		return "a tab"
	case '\r', '\n':
		return "a line break"
	default:
		return fmt.Sprintf("white space (byte 0x%02x)", c)
	}
}

// decodeJSONSegment decodes a base64url segment that holds a JSON object.
func decodeJSONSegment(segment, name string) ([]byte, map[string]any, error) {
	raw, reason := decodeSegment(segment)
	if reason != "" {
		return nil, nil, &DecodeError{Segment: name, Reason: reason}
	}

	object, reason := decodeJSONObject(raw)
	if reason != "" {
		return nil, nil, &DecodeError{Segment: name, Reason: reason}
	}

	return raw, object, nil
}

// decodeSegment decodes unpadded base64url (RFC 7515 section 2). It returns
// the reason when segment is not valid. The decoder of encoding/base64
// skips CR and LF, so every byte is checked first: a line break inside a
// token breaks the Authorization header it travels in.
func decodeSegment(segment string) ([]byte, string) {
	if segment == "" {
		return nil, "is empty"
	}

	for i := 0; i < len(segment); i++ {
		if !isBase64URL(segment[i]) {
			return nil, fmt.Sprintf("invalid base64url: %s at offset %d", describeByte(segment[i]), i)
		}
	}

	if len(segment)%4 == 1 {
		return nil, fmt.Sprintf("invalid base64url: a length of %d cannot be base64url, so the segment is truncated or has an extra character", len(segment))
	}

	data, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		var corrupt base64.CorruptInputError
		if errors.As(err, &corrupt) {
			return nil, fmt.Sprintf("invalid base64url at offset %d", int64(corrupt))
		}

		return nil, "invalid base64url"
	}

	return data, ""
}

func isBase64URL(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// describeByte names a byte that is not base64url, with the likely cause.
func describeByte(c byte) string {
	switch {
	case c == '=':
		return `padding "=" (JWT segments are unpadded)`
	case c == '+' || c == '/':
		return fmt.Sprintf(`%q from standard base64 (JWT uses base64url, with "-" and "_")`, c)
	case c == ' ':
		return "a space"
	case c == '\t':
		return "a tab"
	case c == '\r' || c == '\n':
		return "a line break (join the token onto one line)"
	case c > 0x20 && c < 0x7f:
		return fmt.Sprintf("%q", c)
	default:
		return fmt.Sprintf("byte 0x%02x", c)
	}
}

// decodeJSONObject decodes data as one JSON object with numbers kept as
// json.Number. It returns the reason when data is not such an object.
func decodeJSONObject(data []byte) (map[string]any, string) {
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()

	var value any
	if err := decoder.Decode(&value); err != nil {
		return nil, jsonErrorReason(err)
	}

	if _, err := decoder.Token(); err != io.EOF {
		return nil, "not valid JSON: data after the end of the JSON object"
	}

	object, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Sprintf("JSON %s, not an object", jsonTypeName(value))
	}

	return object, ""
}

// jsonErrorReason turns an encoding/json decode error into a reason.
func jsonErrorReason(err error) string {
	var syntax *json.SyntaxError

	switch {
	case errors.Is(err, io.EOF):
		return "not valid JSON: no data"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "not valid JSON: the data ends inside a value"
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON: %s at byte %d", syntax.Error(), syntax.Offset)
	default:
		return "not valid JSON"
	}
}

// jsonTypeName names the JSON type of a value decoded with UseNumber.
func jsonTypeName(value any) string {
	switch value.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", value)
	}
}

// jsonTypePhrase names the JSON type of a value with its article, such as
// "an array" or "a number", for messages of the form "X is ...". null
// takes no article.
func jsonTypePhrase(value any) string {
	name := jsonTypeName(value)

	switch {
	case name == "null":
		return name
	case strings.ContainsRune("aeiou", rune(name[0])):
		return "an " + name
	default:
		return "a " + name
	}
}

// headerAlgorithm returns the header's "alg", which must be a non-empty
// string other than "none".
func headerAlgorithm(header map[string]any) (string, error) {
	value, ok := header["alg"]
	if !ok {
		return "", &DecodeError{Segment: "header", Reason: `no "alg" (algorithm) member`}
	}

	alg, ok := value.(string)
	if !ok {
		return "", &DecodeError{Segment: "header", Reason: fmt.Sprintf(`"alg" is %s, not a string`, jsonTypePhrase(value))}
	}

	if alg == "" {
		return "", &DecodeError{Segment: "header", Reason: `"alg" is empty`}
	}

	if strings.EqualFold(alg, "none") {
		return "", &DecodeError{Segment: "header", Reason: fmt.Sprintf(`algorithm %q marks an unsigned token, which is rejected`, alg)}
	}

	return alg, nil
}

// numericDateClaim reads a NumericDate claim (RFC 7519 section 2), seconds
// since 1970-01-01 UTC that may have a fraction. It returns nil when the
// claim is absent.
func numericDateClaim(claims map[string]any, name string) (*time.Time, error) {
	value, ok := claims[name]
	if !ok {
		return nil, nil
	}

	number, ok := value.(json.Number)
	if !ok {
		return nil, &DecodeError{Segment: "claims", Reason: fmt.Sprintf("%q is %s, not a number of seconds since 1970-01-01 UTC", name, jsonTypePhrase(value))}
	}

	date, ok := parseNumericDate(number)
	if !ok {
		return nil, &DecodeError{Segment: "claims", Reason: fmt.Sprintf("%q is out of range for a time", name)}
	}

	return &date, nil
}

// maxNumericDate bounds the seconds parseNumericDate accepts, about 1.5e11
// years either side of 1970, so that time.Unix does not overflow.
const maxNumericDate = 1 << 62

// parseNumericDate converts a JSON number of seconds to a UTC time. ok is
// false when the number is beyond maxNumericDate.
func parseNumericDate(number json.Number) (time.Time, bool) {
	if seconds, err := strconv.ParseInt(number.String(), 10, 64); err == nil {
		if seconds > maxNumericDate || seconds < -maxNumericDate {
			return time.Time{}, false
		}

		return time.Unix(seconds, 0).UTC(), true
	}

	seconds, err := strconv.ParseFloat(number.String(), 64)
	if err != nil || seconds > maxNumericDate || seconds < -maxNumericDate {
		return time.Time{}, false
	}

	whole, fraction := math.Modf(seconds)

	return time.Unix(int64(whole), int64(fraction*1e9)).UTC(), true
}
