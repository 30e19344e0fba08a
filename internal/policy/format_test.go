package policy

import (
	"math"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{1, "1"},
		{-1, "-1"},
		{0.02, "0.02"},
		{-0.02, "-0.02"},
		{-0.041, "-0.041"},
		{0.0414006106, "0.0414"}, // 3 significant digits below 1
		{0.123456, "0.123"},
		{0.99996, "1"},         // rounds up to the next power of ten
		{-0.0000004, "-4e-07"}, // below 1e-6: scientific
		{0.00000123456, "0.00000123"},
		{1.2, "1.2"},
		{12.34567, "12.346"}, // 3 decimals from 1 up
		{-1234.5, "-1,234.5"},
		{1234567.891, "1,234,567.891"},
		{1000, "1,000"},
		{999.9996, "1,000"},
		{-0.0004, "-0.0004"},
		{-0.00000001, "-1e-08"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
	}
	for _, c := range cases {
		if got := FormatNumber(c.in); got != c.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0%"},
		{1, "100%"},
		{0.875, "87.5%"},
		{0.9, "90%"},
		{0.95, "95%"},
		{0.975, "97.5%"},
		{0.8421, "84.2%"},
		{0.9996, "99.96%"}, // not "100%": a bound below 1 never reads as certain
		{0.99999, "99.999%"},
		{0.0004, "0.04%"}, // not "0%"
		{0.123456, "12.3%"},
		{12.5, "1,250%"},
	}
	for _, c := range cases {
		if got := FormatPercent(c.in); got != c.want {
			t.Errorf("FormatPercent(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	cases := []struct {
		in   int
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {12345, "12,345"}, {-1234567, "-1,234,567"},
		{100000, "100,000"},
	}
	for _, c := range cases {
		if got := FormatCount(c.in); got != c.want {
			t.Errorf("FormatCount(%d) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := plural(1, "pair"); got != "1 pair" {
		t.Errorf("plural(1) = %q", got)
	}
	if got := plural(1500, "pair"); got != "1,500 pairs" {
		t.Errorf("plural(1500) = %q", got)
	}
}
