package jwtgen

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseDurationValid(t *testing.T) {
	tests := []struct {
		input string
		want  time.Duration
	}{
		{"1s", time.Second},
		{"90s", 90 * time.Second},
		{"1m", time.Minute},
		{"90m", 90 * time.Minute},
		{"1h", time.Hour},
		{"12h", 12 * time.Hour},
		{"1d", 24 * time.Hour},
		{"30d", 30 * 24 * time.Hour},
		{"1y", 365 * 24 * time.Hour},
		{"292y", 292 * 365 * 24 * time.Hour},
		{"106751d", 106751 * 24 * time.Hour},
		{"007h", 7 * time.Hour},
		{"1h30m", 90 * time.Minute},
		{"1h30m15s", time.Hour + 30*time.Minute + 15*time.Second},
		{"0h1s", time.Second},
		{"30m1h", 90 * time.Minute},
		{"2562047h", 2562047 * time.Hour},
		{"9223372036s", 9223372036 * time.Second},
	}

	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			got, err := ParseDuration(tt.input)
			if err != nil {
				t.Fatalf("ParseDuration(%q): unexpected error: %v", tt.input, err)
			}

			if got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, want %v", tt.input, got, tt.want)
			}
		})
	}
}

func TestParseDurationInvalid(t *testing.T) {
	tests := []struct {
		input string
		// wantText lists words the message must contain besides the quoted
		// input and the accepted forms.
		wantText []string
	}{
		{"", []string{"empty"}},
		{"1habc", []string{`unknown unit "habc"`}},
		{"1.5h", []string{"fractions"}},
		{"1,5h", []string{"fractions"}},
		{"0s", []string{"at least 1s"}},
		{"0", []string{"missing unit"}},
		{"0h0m", []string{"at least 1s"}},
		{"90", []string{"missing unit after 90"}},
		{"1h30", []string{"missing unit after 30"}},
		{"-1h", []string{"signs"}},
		{"+1h", []string{"signs"}},
		{" 1h", []string{"spaces"}},
		{"1h ", []string{"spaces"}},
		{"1 h", []string{"spaces"}},
		{"1D", []string{`unknown unit "D"`, "lowercase"}},
		{"1H", []string{`unknown unit "H"`, "lowercase"}},
		{"1w", []string{`unknown unit "w"`}},
		{"1ms", []string{`unit "ms" is shorter than a second`}},
		{"1000ms", []string{`unit "ms"`}},
		{"5us", []string{`unit "us"`}},
		{"5µs", []string{`unit "µs"`}},
		{"5ns", []string{`unit "ns"`}},
		{"h", []string{"whole number"}},
		{"1y6m", []string{"d and y cannot be combined"}},
		{"1d12h", []string{"d and y cannot be combined"}},
		{"１h", []string{"whole number"}},
		{"293y", []string{"too long", "106751d"}},
		{"106752d", []string{"too long"}},
		{"2562048h", []string{"too long"}},
		{"9223372037s", []string{"too long"}},
		{"2562047h47m17s", []string{"too long"}},
		{"99999999999999999999999y", []string{"too long"}},
		{"1h1h1h" + strings.Repeat("2562047h", 2), []string{"too long"}},
	}

	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			got, err := ParseDuration(tt.input)
			if err == nil {
				t.Fatalf("ParseDuration(%q) = %v, want an error", tt.input, got)
			}

			message := err.Error()
			wantText := append([]string{"invalid duration " + quoteInput(tt.input), "such as 90m, 12h, 30d or 1y"}, tt.wantText...)
			for _, text := range wantText {
				if !strings.Contains(message, text) {
					t.Errorf("message %q does not contain %q", message, text)
				}
			}
		})
	}
}

func TestParseDurationLongInputQuotedShort(t *testing.T) {
	input := strings.Repeat("9", 100000) + "s"
	_, err := ParseDuration(input)
	if err == nil {
		t.Fatal("ParseDuration: want an error")
	}

	if len(err.Error()) > 400 {
		t.Errorf("message is %d bytes long, want the value cut short", len(err.Error()))
	}
}

func TestParseClockSkew(t *testing.T) {
	tests := []struct {
		input string
		want  time.Duration
	}{
		{"0", 0},
		{"0s", 0},
		{"0m", 0},
		{"1s", time.Second},
		{"1m", time.Minute},
		{"10m", 10 * time.Minute},
		{"1h30m", 90 * time.Minute},
		{"24h", 24 * time.Hour},
		{"1d", 24 * time.Hour},
	}

	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			got, err := ParseClockSkew(tt.input)
			if err != nil {
				t.Fatalf("ParseClockSkew(%q): unexpected error: %v", tt.input, err)
			}

			if got != tt.want {
				t.Errorf("ParseClockSkew(%q) = %v, want %v", tt.input, got, tt.want)
			}
		})
	}
}

func TestParseClockSkewInvalid(t *testing.T) {
	const hint = "use a whole number and one unit, such as 0s, 30s, 1m or 10m, or combine h, m and s as in 1m30s; the maximum is 24h"
	const maximum = "the maximum is 24h; use a few minutes, such as 1m or 10m"

	tests := []struct {
		input    string
		wantText string
	}{
		{"", "empty value; " + hint},
		{"-1m", "signs are not allowed; " + hint},
		{"-0", "signs are not allowed; " + hint},
		{"1.5m", "fractions are not allowed; " + hint},
		{"1 m", "spaces are not allowed; " + hint},
		{"1w", `unknown unit "w"; ` + hint},
		{"1M", `unknown unit "M", units are lowercase; ` + hint},
		{"500ms", `unit "ms" is shorter than a second; ` + hint},
		{"00", "missing unit after 00; " + hint},
		{"5", "missing unit after 5; " + hint},
		{"m", "expected a whole number before each unit; " + hint},
		{"1d1h", "d and y cannot be combined with other units; " + hint},
		{"24h1s", maximum},
		{"2d", maximum},
		{"1y", maximum},
		{"293y", maximum},
		{"99999999999999999999999s", maximum},
	}

	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			got, err := ParseClockSkew(tt.input)
			if err == nil {
				t.Fatalf("ParseClockSkew(%q) = %v, want an error", tt.input, got)
			}

			message := err.Error()
			if !strings.HasPrefix(message, "invalid clock skew "+quoteInput(tt.input)+": ") {
				t.Errorf("message %q does not name the value", message)
			}

			if !strings.HasSuffix(message, tt.wantText) {
				t.Errorf("message %q does not end with %q", message, tt.wantText)
			}

			if strings.Contains(message, "30d") {
				t.Errorf("message %q suggests 30d, which is over the maximum", message)
			}

			if strings.Contains(message, "1y") && tt.input != "1y" {
				t.Errorf("message %q suggests 1y, which is over the maximum", message)
			}
		})
	}
}

// TestHintExamplesAccepted checks that every example a hint offers is a
// value its parser accepts.
func TestHintExamplesAccepted(t *testing.T) {
	tests := []struct {
		name     string
		example  string
		hint     string
		parse    func(string) (time.Duration, error)
		expected time.Duration
	}{
		{"duration 90m", "90m", durationForms, ParseDuration, 90 * time.Minute},
		{"duration 12h", "12h", durationForms, ParseDuration, 12 * time.Hour},
		{"duration 30d", "30d", durationForms, ParseDuration, 30 * durationDay},
		{"duration 1y", "1y", durationForms, ParseDuration, durationYear},
		{"duration 1h30m", "1h30m", durationForms, ParseDuration, 90 * time.Minute},
		{"skew 0s", "0s", clockSkewForms, ParseClockSkew, 0},
		{"skew 30s", "30s", clockSkewForms, ParseClockSkew, 30 * time.Second},
		{"skew 1m", "1m", clockSkewForms, ParseClockSkew, time.Minute},
		{"skew 10m", "10m", clockSkewForms, ParseClockSkew, 10 * time.Minute},
		{"skew 1m30s", "1m30s", clockSkewForms, ParseClockSkew, 90 * time.Second},
		{"skew 24h", "24h", clockSkewForms, ParseClockSkew, 24 * time.Hour},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.hint, tt.example) {
				t.Errorf("hint %q does not offer %q", tt.hint, tt.example)
			}

			got, err := tt.parse(tt.example)
			if err != nil {
				t.Fatalf("parse %q: %v", tt.example, err)
			}

			if got != tt.expected {
				t.Errorf("parse %q = %v, want %v", tt.example, got, tt.expected)
			}
		})
	}
}

func TestExpiryTime(t *testing.T) {
	now := time.Date(2025, time.June, 1, 12, 0, 0, 0, time.UTC)
	latest := time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC)

	tests := []struct {
		name string
		now  time.Time
		d    time.Duration
		want time.Time
	}{
		{"one day", now, 24 * time.Hour, now.Add(24 * time.Hour)},
		{"one second", now, time.Second, now.Add(time.Second)},
		{"longest duration", now, time.Duration(math.MaxInt64) / time.Second * time.Second, now.Add(time.Duration(math.MaxInt64) / time.Second * time.Second)},
		{"exactly the last second", latest.Add(-time.Hour), time.Hour, latest},
		{"far past", time.Unix(math.MinInt64, 0), durationYear, time.Unix(math.MinInt64, 0).Add(durationYear)},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExpiryTime(tt.now, tt.d)
			if err != nil {
				t.Fatalf("ExpiryTime: unexpected error: %v", err)
			}

			if !got.Equal(tt.want) {
				t.Errorf("ExpiryTime = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestExpiryTimeInvalid(t *testing.T) {
	now := time.Date(2025, time.June, 1, 12, 0, 0, 0, time.UTC)
	latest := time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC)

	tests := []struct {
		name     string
		now      time.Time
		d        time.Duration
		wantText []string
	}{
		{"zero", now, 0, []string{"invalid token duration 0s", "at least 1s"}},
		{"negative", now, -time.Hour, []string{"invalid token duration -1h0m0s", "at least 1s"}},
		{"sub-second", now, 500 * time.Millisecond, []string{"at least 1s"}},
		{"past year 9999", latest, time.Second, []string{"invalid token duration 1s", "after year 9999", "shorter duration"}},
		{"far future now", time.Date(9800, time.January, 1, 0, 0, 0, 0, time.UTC), 292 * 365 * 24 * time.Hour,
			[]string{"invalid token duration 292y", "after year 9999"}},
		{"now after year 9999", time.Date(20000, time.January, 1, 0, 0, 0, 0, time.UTC), time.Second, []string{"after year 9999"}},
		{"now overflows", time.Unix(math.MaxInt64, 0), durationYear, []string{"after year 9999"}},
		{"fraction past the last second", latest.Add(-time.Second).Add(time.Nanosecond), time.Second, []string{"after year 9999"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExpiryTime(tt.now, tt.d)
			if err == nil {
				t.Fatalf("ExpiryTime = %v, want an error", got)
			}

			for _, text := range tt.wantText {
				if !strings.Contains(err.Error(), text) {
					t.Errorf("message %q does not contain %q", err.Error(), text)
				}
			}
		})
	}
}

func TestFormatTokenDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{365 * 24 * time.Hour, "1y"},
		{30 * 24 * time.Hour, "30d"},
		{90 * time.Minute, "1h30m"},
		{25 * time.Hour, "25h"},
		{61 * time.Second, "1m1s"},
		{1500 * time.Millisecond, "1.5s"},
		{0, "0s"},
	}

	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := formatTokenDuration(tt.d); got != tt.want {
				t.Errorf("formatTokenDuration(%d) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}

// FuzzParseDuration checks that a parsed duration is whole seconds and at
// least 1s, and that time.ParseDuration and ParseClockSkew agree with it.
// ExpiryTime must then return an error or an expiry after now and no later
// than year 9999.
func FuzzParseDuration(f *testing.F) {
	seeds := []string{
		"1s", "90m", "12h", "30d", "1y", "292y", "293y", "1h30m", "1habc", "1.5h", "0s", "0", "-1h", "+1h",
		" 1h", "1D", "1w", "1ms", "1000ms", "1y6m", "1d12h", "9223372036s", "9223372037s", "106751d",
		"2562047h47m16s", "99999999999999999999s", "1h" + strings.Repeat("0", 40) + "s", "µs", "1µs", "",
		"\x00", "1h\n", "１h", "1e3s", "0x10s",
	}
	for _, seed := range seeds {
		f.Add(seed, int64(1700000000))
	}

	f.Add("1y", int64(253402300799))
	f.Add("1s", int64(-62135596800))
	f.Add("292y", int64(math.MaxInt64))
	f.Add("1y", int64(math.MaxInt64))
	f.Add("1y", int64(math.MinInt64))
	f.Add("1s", int64(253402300798))

	f.Fuzz(func(t *testing.T, s string, nowUnix int64) {
		d, err := ParseDuration(s)
		skew, skewErr := ParseClockSkew(s)

		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("message %q spans more than one line", err.Error())
			}

			if skewErr == nil && skew != 0 {
				t.Errorf("ParseClockSkew(%q) = %v, but ParseDuration rejects it: %v", s, skew, err)
			}

			return
		}

		if d < time.Second {
			t.Errorf("ParseDuration(%q) = %v, want at least 1s", s, d)
		}

		if d%time.Second != 0 {
			t.Errorf("ParseDuration(%q) = %v, want whole seconds", s, d)
		}

		if goDuration, goErr := time.ParseDuration(s); goErr == nil && goDuration != d {
			t.Errorf("ParseDuration(%q) = %v, time.ParseDuration = %v", s, d, goDuration)
		}

		if wantSkew := d <= 24*time.Hour; wantSkew != (skewErr == nil) {
			t.Errorf("ParseClockSkew(%q) error = %v, ParseDuration = %v", s, skewErr, d)
		}

		if skewErr == nil && skew != d {
			t.Errorf("ParseClockSkew(%q) = %v, ParseDuration = %v", s, skew, d)
		}

		now := time.Unix(nowUnix, 0).UTC()
		latestExpiry := time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC)
		exp, err := ExpiryTime(now, d)
		if err != nil {
			return
		}

		if !exp.After(now) {
			t.Errorf("ExpiryTime(%v, %v) = %v, want after now", now, d, exp)
		}

		if exp.Unix() > latestExpiry.Unix() {
			t.Errorf("ExpiryTime(%v, %v) = %v, want year 9999 or earlier", now, d, exp)
		}

		if got := exp.Sub(now); got != d {
			t.Errorf("ExpiryTime(%v, %v) - now = %v, want %v", now, d, got, d)
		}
	})
}
