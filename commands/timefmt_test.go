package commands

import (
	"testing"
	"time"
)

func TestShortDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{59 * time.Second, "59s"},
		{time.Minute, "1m"},
		{59*time.Minute + 59*time.Second, "59m"},
		{time.Hour, "1h"},
		{23*time.Hour + 59*time.Minute, "23h"},
		{24 * time.Hour, "1d"},
		{364*24*time.Hour + 23*time.Hour, "364d"},
		{365*24*time.Hour - 2*time.Second, "365d"},
		{24*time.Hour - 2*time.Second, "1d"},
		{59*time.Second + 600*time.Millisecond, "1m"},
		{-2 * time.Hour, "2h"},
	}
	for _, tt := range tests {
		if got := shortDuration(tt.d); got != tt.want {
			t.Errorf("shortDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestExpiryStatus(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		exp  time.Time
		want string
	}{
		{"future", now.Add(3 * 24 * time.Hour), "expires in 3d"},
		{"past", now.Add(-2 * time.Hour), "expired 2h ago"},
		{"exactly now", now, "expired 0s ago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := expiryStatus(tt.exp, now); got != tt.want {
				t.Errorf("expiryStatus = %q, want %q", got, tt.want)
			}
		})
	}
}
