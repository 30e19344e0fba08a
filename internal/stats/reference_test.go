package stats

import (
	"math"
	"math/big"
	"testing"
)

// Every expected number in this file comes from a named source outside this
// package (a published table or worked example, or another tool's documented
// output) and, where possible, is also derived independently in the test
// itself (closed forms, exact rational arithmetic), never from the code under
// test.

// sleepGroup1 and sleepGroup2 are Student's sleep data (Cushny and Peebles,
// 1905; Student, 1908) as shipped in R's datasets::sleep: the extra hours of
// sleep of patients 1..10 under drug 1 and drug 2.
var (
	sleepGroup1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleepGroup2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

// sleepDifferences returns group 1 − group 2, the differences R's paired
// t.test uses; here group 1 plays the new run and group 2 the old one.
func sleepDifferences() []float64 {
	d := make([]float64, len(sleepGroup1))
	for i := range d {
		d[i] = sleepGroup1[i] - sleepGroup2[i]
	}
	return d
}

func closeTo(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// TestPairedSleepData checks the mean difference, the 95% interval and the sign
// test on the sleep data.
//
// Source: R's documented example on datasets::sleep (?sleep, ?t.test),
//
//	with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE))
//
// (equivalently t.test(extra ~ group, data = sleep, paired = TRUE) in older R),
// which prints t = -4.0621, df = 9, "95 percent confidence interval:
// -2.4598858 -0.7001142" and a mean difference of -1.58. R prints the interval
// to 8 significant digits, hence the 1e-7 tolerance.
//
// Sign test: 9 differences are negative, 1 is zero (patient 5) and none is
// positive, so p = 2·P(X ≤ 0), X ~ Binomial(9, ½) = 2·(½)⁹ = 1/256 = 0.00390625
// by hand (what R's binom.test(0, 9) reports as 0.003906).
func TestPairedSleepData(t *testing.T) {
	d := sleepDifferences()
	s, err := Paired(d, 0, 0.95, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 10 || s.Skipped != 0 {
		t.Errorf("N, Skipped = %d, %d; want 10, 0", s.N, s.Skipped)
	}
	if !s.HasMean || !closeTo(s.MeanDifference, -1.58, 1e-12) {
		t.Errorf("mean difference = %v (HasMean %v); want -1.58", s.MeanDifference, s.HasMean)
	}
	if !s.HasInterval || !closeTo(s.CILower, -2.4598858, 1e-7) || !closeTo(s.CIUpper, -0.7001142, 1e-7) {
		t.Errorf("interval = [%.10g, %.10g] (HasInterval %v); want [-2.4598858, -0.7001142]",
			s.CILower, s.CIUpper, s.HasInterval)
	}
	// R's t statistic, mean / (sd/√n) = -4.0621, follows from the interval:
	// half-width = t(0.975, 9)·sd/√n with t(0.975, 9) = 2.262157 (see
	// TestStudentTQuantiles), so t = mean·2.262157/half-width.
	half := (s.CIUpper - s.CILower) / 2
	if tStat := s.MeanDifference * 2.262157 / half; !closeTo(tStat, -4.0621, 5e-5) {
		t.Errorf("implied t statistic = %.6f; want -4.0621", tStat)
	}
	if s.PValue != 0.00390625 {
		t.Errorf("sign test p = %v; want 0.00390625", s.PValue)
	}
	if s.Verdict != VerdictRegressed {
		t.Errorf("verdict = %q; want regressed (the whole interval is below 0)", s.Verdict)
	}
	if s, _ := Paired(d, 0, 0.95, true); s.Verdict != VerdictImproved {
		t.Errorf("lower-is-better verdict = %q; want improved", s.Verdict)
	}
}

// TestStudentTQuantiles checks the critical values the intervals use, read back
// from StudentTInterval on data whose mean and standard deviation are known by
// hand: n values, half +1 and half −1 (n even), have mean 0 and sample variance
// n/(n − 1), so the half-width is t·√(n/(n − 1))/√n = t/√(n − 1).
//
// Sources:
//   - NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2, "Critical
//     values of the Student's t distribution": ν = 1, upper tail 0.025 → 12.706;
//     ν = 2 → 4.303; ν = 9 → 2.262; ν = 29, upper tail 0.05 → 1.699 (3 decimals,
//     tolerance 5e-4).
//   - R's qt: qt(0.975, 9) = 2.262157, qt(0.95, 29) = 1.699127 (7 significant
//     digits, tolerance 5e-7).
//   - Closed forms, computed here without gonum: for ν = 1 (Cauchy)
//     t(p) = tan(π(p − ½)); for ν = 2, t(p) = (2p − 1)/√(2p(1 − p)).
func TestStudentTQuantiles(t *testing.T) {
	cauchy := math.Tan(math.Pi * (0.975 - 0.5))
	nu2 := (2*0.975 - 1) / math.Sqrt(2*0.975*(1-0.975))
	tests := []struct {
		name  string
		n     int
		level float64
		want  float64
		tol   float64
	}{
		{"NIST ν=1 0.975", 2, 0.95, 12.706, 5e-4},
		{"closed form ν=1 0.975", 2, 0.95, cauchy, 1e-11},
		{"NIST ν=2 0.975", 3, 0.95, 4.303, 5e-4}, // n = 3 is odd: handled below
		{"closed form ν=2 0.975", 3, 0.95, nu2, 1e-12},
		{"NIST ν=9 0.975", 10, 0.95, 2.262, 5e-4},
		{"R qt(0.975, 9)", 10, 0.95, 2.262157, 5e-7},
		{"NIST ν=29 0.95", 30, 0.90, 1.699, 5e-4},
		{"R qt(0.95, 29)", 30, 0.90, 1.699127, 5e-7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d []float64
			var scale float64 // half-width = t·scale
			if tt.n%2 == 0 {
				for i := 0; i < tt.n; i++ {
					d = append(d, float64(2*(i%2)-1))
				}
				scale = 1 / math.Sqrt(float64(tt.n-1))
			} else {
				// {−1, 0, 1}: mean 0, sample variance 2/2 = 1, so the
				// half-width is t·1/√3.
				d = []float64{-1, 0, 1}
				scale = 1 / math.Sqrt(3)
			}
			lo, hi, ok := StudentTInterval(d, tt.level)
			if !ok {
				t.Fatal("no interval")
			}
			if lo != -hi {
				t.Errorf("interval [%v, %v] is not symmetric about 0", lo, hi)
			}
			if got := hi / scale; !closeTo(got, tt.want, tt.tol) {
				t.Errorf("t = %.10g; want %.10g ± %g", got, tt.want, tt.tol)
			}
		})
	}
}

// TestSignTestPublished checks SignTestPValue against published values.
//
//   - R: binom.test(2, 12) prints p-value = 0.03857 (5 significant digits);
//     by hand, 2·(C(12,0) + C(12,1) + C(12,2))/2¹² = 2·79/4096 = 0.03857421875.
//   - Sleep data (see TestPairedSleepData): 9 negative, 0 positive →
//     2/2⁹ = 0.00390625.
//   - Equal counts: P(X ≤ n/2) > ½, so p is capped at 1 (R's binom.test(5, 10)
//     reports p-value = 1).
func TestSignTestPublished(t *testing.T) {
	tests := []struct {
		name         string
		below, above int
		want, tol    float64
	}{
		{"R binom.test(2, 12)", 2, 10, 0.03857, 5e-6},
		{"binom.test(2, 12) by hand", 10, 2, 79.0 / 2048, 1e-15},
		{"sleep data", 9, 0, 0.00390625, 1e-16},
		{"R binom.test(5, 10)", 5, 5, 1, 0},
		{"no non-zero difference", 0, 0, 1, 0},
		{"one pair", 1, 0, 1, 0}, // 2·P(X ≤ 0) = 2·½
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SignTestPValue(tt.below, tt.above); !closeTo(got, tt.want, tt.tol) {
				t.Errorf("SignTestPValue(%d, %d) = %.12g; want %.12g ± %g", tt.below, tt.above, got, tt.want, tt.tol)
			}
		})
	}
}

// exactSignTest computes min(1, 2·Σ_{i≤k} C(n, i)/2ⁿ) in exact rational
// arithmetic: an independent check on gonum's incomplete-beta route.
func exactSignTest(below, above int) float64 {
	n := below + above
	if n == 0 {
		return 1
	}
	k := min(below, above)
	sum := new(big.Int)
	c := big.NewInt(1) // C(n, i)
	for i := 0; i <= k; i++ {
		if i > 0 {
			c.Mul(c, big.NewInt(int64(n-i+1)))
			c.Quo(c, big.NewInt(int64(i)))
		}
		sum.Add(sum, c)
	}
	p := new(big.Rat).SetFrac(new(big.Int).Lsh(sum, 1), new(big.Int).Lsh(big.NewInt(1), uint(n)))
	if p.Cmp(big.NewRat(1, 1)) > 0 {
		return 1
	}
	f, _ := p.Float64()
	return f
}

// TestSignTestExact compares SignTestPValue with exact binomial sums, for every
// split of up to 80 pairs (identical up to 60, where both are correctly
// rounded) and for large samples up to 50,000 pairs.
func TestSignTestExact(t *testing.T) {
	relErr := func(got, want float64) float64 {
		if want == 0 {
			return math.Abs(got)
		}
		return math.Abs(got-want) / want
	}
	for n := 0; n <= 80; n++ {
		for below := 0; below <= n; below++ {
			got, want := SignTestPValue(below, n-below), exactSignTest(below, n-below)
			tol := 1e-12 // gonum's Binomial CDF
			if n <= exactSignTestMax {
				tol = 0 // integer sums, rounded once: correctly rounded
			}
			if relErr(got, want) > tol {
				t.Errorf("SignTestPValue(%d, %d) = %.17g; exact %.17g", below, n-below, got, want)
			}
		}
	}
	large := [][2]int{{400, 600}, {4900, 5100}, {24000, 26000}, {24900, 25100}, {25000, 25000}, {24999, 25001}, {100, 49900}}
	for _, c := range large {
		got, want := SignTestPValue(c[0], c[1]), exactSignTest(c[0], c[1])
		if relErr(got, want) > 1e-9 {
			t.Errorf("SignTestPValue(%d, %d) = %.17g; exact %.17g", c[0], c[1], got, want)
		}
	}
}

// TestWilsonNewcombe checks WilsonInterval against Newcombe, R. G. (1998)
// "Two-sided confidence intervals for the single proportion: comparison of
// seven methods", Statistics in Medicine 17:857–872, method 3 (score interval
// without continuity correction), 95% limits printed to 4 decimals (tolerance
// 5e-5). The same figures follow from the formula with z = 1.959964 by hand.
func TestWilsonNewcombe(t *testing.T) {
	tests := []struct {
		successes, trials int
		lower, upper      float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0.0000, 0.1611},
		{1, 29, 0.0061, 0.1718},
	}
	for _, tt := range tests {
		lo, hi, ok := WilsonInterval(tt.successes, tt.trials, 0.95)
		if !ok || !closeTo(lo, tt.lower, 5e-5) || !closeTo(hi, tt.upper, 5e-5) {
			t.Errorf("WilsonInterval(%d, %d) = [%.5f, %.5f] ok=%v; want [%.4f, %.4f]",
				tt.successes, tt.trials, lo, hi, ok, tt.lower, tt.upper)
		}
	}
}

// TestWilsonExtremesClosedForm checks the ends of the scale against closed
// forms derived by hand from the Wilson formula: with no successes the upper
// limit is z²/(n + z²), with n of n it is lower = n/(n + z²). z = 1.959963984540054
// is the standard normal 0.975 quantile (R: qnorm(0.975); NIST/SEMATECH
// e-Handbook §1.3.6.7.1 tabulates 1.960).
func TestWilsonExtremesClosedForm(t *testing.T) {
	const z = 1.959963984540054
	for _, n := range []int{1, 2, 5, 20, 100, 12345} {
		nf := float64(n)
		lo, hi, ok := WilsonInterval(0, n, 0.95)
		if !ok || lo != 0 || !closeTo(hi, z*z/(nf+z*z), 1e-13) {
			t.Errorf("WilsonInterval(0, %d) = [%v, %v] ok=%v; want [0, %v]", n, lo, hi, ok, z*z/(nf+z*z))
		}
		lo, hi, ok = WilsonInterval(n, n, 0.95)
		if !ok || hi != 1 || !closeTo(lo, nf/(nf+z*z), 1e-13) {
			t.Errorf("WilsonInterval(%d, %d) = [%v, %v] ok=%v; want [%v, 1]", n, n, lo, hi, ok, nf/(nf+z*z))
		}
	}
}
