package commands

import (
	"fmt"
	"time"
)

// shortDuration renders d in its largest whole unit: 365d, 23h, 5m, 30s.
// Days count from 24 hours, so 47 hours read as 1d. d is first rounded to
// the minute (to the second below an hour), so that a one-year token read
// a moment after minting shows 365d rather than 364d.
func shortDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d >= time.Hour {
		d = d.Round(time.Minute)
	} else {
		d = d.Round(time.Second)
	}
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Minute:
		return fmt.Sprintf("%dm", d/time.Minute)
	default:
		return fmt.Sprintf("%ds", d/time.Second)
	}
}

// expiryStatus describes exp relative to now: "expires in 364d" or
// "expired 2h ago".
func expiryStatus(exp, now time.Time) string {
	if !exp.After(now) {
		return "expired " + shortDuration(now.Sub(exp)) + " ago"
	}
	return "expires in " + shortDuration(exp.Sub(now))
}

// issuedStatus describes iat relative to now: "1m ago", or "in 5m" for a
// token issued in the future, which servers reject.
func issuedStatus(iat, now time.Time) string {
	if iat.After(now) {
		return "in " + shortDuration(iat.Sub(now)) + ", in the future"
	}
	return shortDuration(now.Sub(iat)) + " ago"
}

// localTime formats t in the local time zone for people to read.
func localTime(t time.Time) string {
	return t.Local().Format("2006-01-02 15:04:05 MST")
}
