package jwtgen

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	durationDay  = 24 * time.Hour
	durationYear = 365 * durationDay

	// clockSkewLimit bounds how far iat may be back-dated. Components that
	// mint tokens for Portworx back-date by 1 to 10 minutes, so a day or
	// more points to a wrong unit or to a clock that needs fixing.
	clockSkewLimit     = 24 * time.Hour
	clockSkewLimitText = "24h"

	// durationForms is the fix given with every rejected token duration.
	durationForms = "use a whole number and one unit (s, m, h, d, y), such as 90m, 12h, 30d or 1y, or combine h, m and s as in 1h30m"

	// clockSkewForms is the fix given with every rejected clock skew. Its
	// examples are all within clockSkewLimit.
	clockSkewForms = "use a whole number and one unit, such as 0s, 30s, 1m or 10m, or combine h, m and s as in 1m30s; the maximum is " + clockSkewLimitText
)

// maxTokenExpiry is the latest expiry a token may have: four-digit years keep
// every tool that prints the date in RFC 3339 working.
var maxTokenExpiry = time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC)

// errDurationZero marks a well-formed duration of zero, which only
// ParseClockSkew accepts.
var errDurationZero = errors.New("duration is zero")

// errDurationOverflow marks a well-formed duration past the range of
// time.Duration. Each caller names its own maximum.
var errDurationOverflow = errors.New("duration overflows time.Duration")

// ParseDuration parses a token duration. It accepts pxctl's form: a whole
// number and one unit out of s, m (minutes), h, d (24h) and y (365d), as in
// 30d or 1y. It also accepts Go's compound form with whole numbers of h, m
// and s, as in 1h30m. Signs, spaces, fractions, other units and sub-second
// units are rejected. So is anything shorter than 1s, because such a token
// is expired when it is issued. Values past the range of time.Duration
// (about 292 years) are rejected rather than wrapped.
func ParseDuration(s string) (time.Duration, error) {
	d, err := parseWholeSeconds(s, durationForms)
	if errors.Is(err, errDurationZero) {
		return 0, fmt.Errorf("invalid duration %s: a token must be valid for at least 1s; %s", quoteInput(s), durationForms)
	}

	if errors.Is(err, errDurationOverflow) {
		return 0, fmt.Errorf("invalid duration %s: too long, the maximum is %s (about 292 years); %s",
			quoteInput(s), formatTokenDuration(maxWholeDays()), durationForms)
	}

	if err != nil {
		return 0, fmt.Errorf("invalid duration %s: %w", quoteInput(s), err)
	}

	return d, nil
}

// ParseClockSkew parses the time by which iat is back-dated so that a
// server whose clock runs behind still accepts a new token. It takes the
// forms ParseDuration takes and also zero ("0" or "0s"), and it rejects
// values over 24h: components that mint tokens for Portworx back-date by
// 1 to 10 minutes, so more than a day points to a wrong unit.
func ParseClockSkew(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}

	d, err := parseWholeSeconds(s, clockSkewForms)

	switch {
	case errors.Is(err, errDurationZero):
		return 0, nil
	case errors.Is(err, errDurationOverflow), err == nil && d > clockSkewLimit:
		return 0, fmt.Errorf("invalid clock skew %s: the maximum is %s; use a few minutes, such as 1m or 10m", quoteInput(s), clockSkewLimitText)
	case err != nil:
		return 0, fmt.Errorf("invalid clock skew %s: %w", quoteInput(s), err)
	}

	return d, nil
}

// ExpiryTime returns now+d, the expiry of a token issued at now that is
// valid for d. It returns an error when d is shorter than 1s or when the
// expiry would pass 9999-12-31T23:59:59Z, the last instant that keeps a
// four-digit year.
func ExpiryTime(now time.Time, d time.Duration) (time.Time, error) {
	if d < time.Second {
		return time.Time{}, fmt.Errorf("invalid token duration %s: a token must be valid for at least 1s", formatTokenDuration(d))
	}

	// The check works on Unix seconds because comparing time.Time values
	// goes wrong for instants whose internal seconds overflow, such as
	// time.Unix(math.MaxInt64, 0). The unsigned difference is exact, since
	// any two int64 values are less than 2^64 apart.
	nowUnix := now.Unix()
	limit := maxTokenExpiry.Unix()
	seconds := uint64(d / time.Second)
	nanoseconds := int64(now.Nanosecond()) + int64(d%time.Second)

	tooLate := nowUnix > limit
	if !tooLate {
		remaining := uint64(limit) - uint64(nowUnix)
		tooLate = seconds > remaining || (seconds == remaining && nanoseconds > 0)
	}

	if tooLate {
		return time.Time{}, fmt.Errorf("invalid token duration %s: the expiry would be after year 9999; use a shorter duration", formatTokenDuration(d))
	}

	return now.Add(d), nil
}

// parseWholeSeconds parses the forms ParseDuration accepts, zero included.
// It returns errDurationZero for a zero value and errDurationOverflow for
// one past the range of time.Duration. Its other errors give the reason
// and then forms, the fix, but leave naming the value to the caller.
func parseWholeSeconds(s, forms string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("empty value; " + forms)
	}

	if strings.ContainsAny(s, " \t\r\n\v\f") {
		return 0, errors.New("spaces are not allowed; " + forms)
	}

	if strings.ContainsAny(s, "+-") {
		return 0, errors.New("signs are not allowed; " + forms)
	}

	if strings.ContainsAny(s, ".,") {
		return 0, errors.New("fractions are not allowed; " + forms)
	}

	var total time.Duration
	terms := 0
	rest := s
	for rest != "" {
		digits := leadingDigits(rest)
		if digits == 0 {
			return 0, errors.New("expected a whole number before each unit; " + forms)
		}

		number, unitText := rest[:digits], rest[digits:]
		unitLength := leadingNonDigits(unitText)
		if unitLength == 0 {
			return 0, fmt.Errorf("missing unit after %s; %s", number, forms)
		}

		unitText, rest = unitText[:unitLength], unitText[unitLength:]
		unit, err := durationUnit(unitText, forms)
		if err != nil {
			return 0, err
		}

		value, ok := multiplyDuration(number, unit)
		if !ok || total > math.MaxInt64-value {
			return 0, errDurationOverflow
		}

		total += value
		terms++
	}

	// Days and years exist only in pxctl's one-term form: Go's compound form
	// has no such units, and "1y6m" once meant 6 minutes to OpenStorage.
	if terms > 1 && !onlyClockUnits(s) {
		return 0, errors.New("d and y cannot be combined with other units; " + forms)
	}

	if total == 0 {
		return 0, errDurationZero
	}

	return total, nil
}

// durationUnit maps a unit to its length, rejecting sub-second units with
// their own reason because they look valid to Go programmers.
func durationUnit(unit, forms string) (time.Duration, error) {
	switch unit {
	case "s":
		return time.Second, nil
	case "m":
		return time.Minute, nil
	case "h":
		return time.Hour, nil
	case "d":
		return durationDay, nil
	case "y":
		return durationYear, nil
	case "ms", "us", "µs", "μs", "ns":
		return 0, fmt.Errorf("unit %q is shorter than a second; %s", unit, forms)
	}

	if strings.EqualFold(unit, "s") || strings.EqualFold(unit, "m") || strings.EqualFold(unit, "h") ||
		strings.EqualFold(unit, "d") || strings.EqualFold(unit, "y") {
		return 0, fmt.Errorf("unknown unit %q, units are lowercase; %s", unit, forms)
	}

	return 0, fmt.Errorf("unknown unit %s; %s", quoteInput(unit), forms)
}

// multiplyDuration returns number*unit, with ok false when the product
// does not fit in a time.Duration. number holds ASCII digits only.
func multiplyDuration(number string, unit time.Duration) (time.Duration, bool) {
	limit := math.MaxInt64 / int64(unit)

	var n int64
	for i := 0; i < len(number); i++ {
		digit := int64(number[i] - '0')
		if n > (limit-digit)/10 {
			return 0, false
		}

		n = n*10 + digit
	}

	return time.Duration(n) * unit, true
}

// maxWholeDays is the longest whole number of days that fits in a
// time.Duration, shown in the message for an overlong value.
func maxWholeDays() time.Duration {
	return time.Duration(math.MaxInt64) / durationDay * durationDay
}

func leadingDigits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}

	return i
}

func leadingNonDigits(s string) int {
	i := 0
	for i < len(s) && (s[i] < '0' || s[i] > '9') {
		i++
	}

	return i
}

// onlyClockUnits reports whether s, already split into number-unit terms,
// uses no unit other than h, m and s.
func onlyClockUnits(s string) bool {
	return !strings.ContainsAny(s, "dy")
}

// formatTokenDuration writes d in the largest unit ParseDuration accepts that
// divides it, such as 1y, 30d or 1h30m, and falls back to Go's form for
// values that are not whole seconds.
func formatTokenDuration(d time.Duration) string {
	switch {
	case d <= 0 || d%time.Second != 0:
		return d.String()
	case d%durationYear == 0:
		return strconv.FormatInt(int64(d/durationYear), 10) + "y"
	case d%durationDay == 0:
		return strconv.FormatInt(int64(d/durationDay), 10) + "d"
	}

	var b strings.Builder
	if h := d / time.Hour; h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10) + "h")
	}

	if m := d % time.Hour / time.Minute; m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10) + "m")
	}

	if s := d % time.Minute / time.Second; s > 0 {
		b.WriteString(strconv.FormatInt(int64(s), 10) + "s")
	}

	return b.String()
}

// quoteInput quotes s for a message, cut to its first 64 bytes so that a
// huge input cannot flood the terminal.
func quoteInput(s string) string {
	const maxShown = 64
	if len(s) <= maxShown {
		return strconv.Quote(s)
	}

	cut := maxShown
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}

	return strconv.Quote(s[:cut]) + "..."
}
