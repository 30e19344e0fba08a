package policy

import (
	"math"
	"strconv"
	"strings"
)

// The numbers of messages and summaries are written as a person reads them:
// a few significant decimals, no trailing zeros, an ASCII minus sign, and
// thousands separators, so that "-0.041" and "1,234" can be pasted back into
// a configuration or compared at a glance.

// FormatNumber writes x with at most 3 decimals when |x| ≥ 1 ("1.235",
// "12,345.679") and with 3 significant digits when |x| < 1 ("0.0412",
// "-0.041"), trailing zeros removed ("0.02", "1", never "-0"). Numbers below
// 1e-6 in magnitude are written in scientific notation ("1.23e-09"); NaN and
// infinities as "NaN", "+Inf" and "-Inf".
func FormatNumber(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "+Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	case x == 0:
		return "0"
	}
	abs := math.Abs(x)
	if abs < 1e-6 {
		return strings.Replace(strconv.FormatFloat(x, 'e', 2, 64), ".00e", "e", 1)
	}
	decimals := 3
	if abs < 1 {
		// Digits after the point up to the third significant one: 0.0412 has
		// its first significant digit at the 2nd decimal, so 4 decimals.
		decimals = 2 - int(math.Floor(math.Log10(abs)))
	}
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return groupThousands(s)
}

// FormatPercent writes a proportion (0.875) as a percentage with at most one
// decimal ("87.5%"), or more where one decimal would round a proportion that
// is not 0 or 1 to "0%" or "100%" ("99.96%"), so that a bound never reads as
// certainty it does not have.
func FormatPercent(p float64) string {
	pct := p * 100
	s := strconv.FormatFloat(pct, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if (s == "100" && p != 1) || ((s == "0" || s == "-0") && p != 0) {
		return FormatNumber(pct) + "%"
	}
	if s == "-0" {
		s = "0"
	}
	return groupThousands(s) + "%"
}

// FormatCount writes a count with thousands separators ("12,345").
func FormatCount(n int) string {
	return groupThousands(strconv.Itoa(n))
}

// groupThousands puts a comma between each group of three digits of the
// integer part of a decimal number written by strconv.
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + s
	}
	var b strings.Builder
	head := len(intPart) % 3
	if head > 0 {
		b.WriteString(intPart[:head])
	}
	for i := head; i < len(intPart); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	return sign + b.String() + frac
}

// plural returns noun, with an "s" unless n is 1: "1 pair", "40 pairs".
func plural(n int, noun string) string {
	if n == 1 {
		return FormatCount(n) + " " + noun
	}
	return FormatCount(n) + " " + noun + "s"
}
