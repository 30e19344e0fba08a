package stats

import (
	"math"
	"math/big"
	"testing"
)

// The family interval computes Student-t quantiles far out in the tails:
// 0.95 over 20 metrics is level 0.9975, a tail of 0.00125 on each side. The
// references below come from two independent sources: published tables
// (NIST) and an exact finite series for the t distribution evaluated in
// 256-bit arithmetic in this file, never from gonum.

// refPrec is the precision of the reference computations, in bits.
const refPrec = 256

func bf(x float64) *big.Float { return new(big.Float).SetPrec(refPrec).SetFloat64(x) }

func bfInt(n int) *big.Float { return new(big.Float).SetPrec(refPrec).SetInt64(int64(n)) }

// bigAtanSmall is the Taylor series x − x³/3 + x⁵/5 − … for |x| ≤ 1/4.
func bigAtanSmall(x *big.Float) *big.Float {
	x2 := new(big.Float).SetPrec(refPrec).Mul(x, x)
	term := new(big.Float).SetPrec(refPrec).Set(x) // x^(2k+1)
	sum := new(big.Float).SetPrec(refPrec)
	eps := new(big.Float).SetPrec(refPrec).SetMantExp(bf(1), -refPrec-8)
	for k := 0; ; k++ {
		q := new(big.Float).SetPrec(refPrec).Quo(term, bfInt(2*k+1))
		if k%2 == 0 {
			sum.Add(sum, q)
		} else {
			sum.Sub(sum, q)
		}
		if q.Abs(q).Cmp(eps) < 0 {
			return sum
		}
		term.Mul(term, x2)
	}
}

// bigPi is Machin's formula, π = 16·atan(1/5) − 4·atan(1/239).
func bigPi() *big.Float {
	a := bigAtanSmall(new(big.Float).SetPrec(refPrec).Quo(bf(1), bf(5)))
	b := bigAtanSmall(new(big.Float).SetPrec(refPrec).Quo(bf(1), bf(239)))
	a.Mul(a, bf(16))
	b.Mul(b, bf(4))
	return a.Sub(a, b)
}

// bigAtan is atan(x) for x ≥ 0: the argument is halved with
// atan(x) = 2·atan(x/(1 + √(1 + x²))) until it is below 1/4.
func bigAtan(x *big.Float) *big.Float {
	y := new(big.Float).SetPrec(refPrec).Set(x)
	doublings := 0
	quarter := bf(0.25)
	for y.Cmp(quarter) > 0 {
		r := new(big.Float).SetPrec(refPrec).Mul(y, y)
		r.Add(r, bf(1))
		r.Sqrt(r)
		r.Add(r, bf(1))
		y.Quo(y, r)
		doublings++
	}
	a := bigAtanSmall(y)
	return a.SetMantExp(a, doublings)
}

// tUpperTail returns P(T > t) for t ≥ 0 and T ~ Student's t with nu degrees
// of freedom, from the finite series of Abramowitz & Stegun (1964), Handbook
// of Mathematical Functions, 26.7.3 (nu odd) and 26.7.4 (nu even), for
// A(t|ν) = P(|T| ≤ t), with θ = atan(t/√ν):
//
//	ν odd:  A = (2/π)·(θ + sinθ·(cosθ + (2/3)cos³θ + … + (2·4⋯(ν−3))/(1·3⋯(ν−2))·cos^(ν−2)θ))
//	ν even: A = sinθ·(1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + … + (1·3⋯(ν−3))/(2·4⋯(ν−2))·cos^(ν−2)θ)
//
// and P(T > t) = (1 − A)/2. sinθ = t/√(ν + t²) and cos²θ = ν/(ν + t²) are
// algebraic, so even ν needs no transcendental function at all.
func tUpperTail(t float64, nu int) *big.Float {
	tb := bf(t)
	r := new(big.Float).SetPrec(refPrec).Mul(tb, tb)
	r.Add(r, bfInt(nu)) // ν + t²
	sqrtR := new(big.Float).SetPrec(refPrec).Sqrt(r)
	sin := new(big.Float).SetPrec(refPrec).Quo(tb, sqrtR)
	cos2 := new(big.Float).SetPrec(refPrec).Quo(bfInt(nu), r)
	sum := new(big.Float).SetPrec(refPrec)
	var a *big.Float
	if nu%2 == 0 {
		coef := bf(1)
		pow := bf(1) // cos^(2j)
		for j := 0; j <= (nu-2)/2; j++ {
			if j > 0 {
				coef.Mul(coef, bfInt(2*j-1))
				coef.Quo(coef, bfInt(2*j))
				pow.Mul(pow, cos2)
			}
			sum.Add(sum, new(big.Float).SetPrec(refPrec).Mul(coef, pow))
		}
		a = sum.Mul(sum, sin)
	} else {
		cos := new(big.Float).SetPrec(refPrec).Sqrt(cos2)
		coef := bf(1)
		pow := new(big.Float).SetPrec(refPrec).Set(cos) // cos^(2j+1)
		for j := 0; j <= (nu-3)/2; j++ {
			if j > 0 {
				coef.Mul(coef, bfInt(2*j))
				coef.Quo(coef, bfInt(2*j+1))
				pow.Mul(pow, cos2)
			}
			sum.Add(sum, new(big.Float).SetPrec(refPrec).Mul(coef, pow))
		}
		theta := bigAtan(new(big.Float).SetPrec(refPrec).Quo(tb, new(big.Float).SetPrec(refPrec).Sqrt(bfInt(nu))))
		a = sum.Mul(sum, sin)
		a.Add(a, theta)
		a.Mul(a, bf(2))
		a.Quo(a, bigPi())
	}
	q := new(big.Float).SetPrec(refPrec).Sub(bf(1), a)
	return q.Quo(q, bf(2))
}

func bigToFloat(x *big.Float) float64 { f, _ := x.Float64(); return f }

// quantileError returns (q − q*)/q*, the relative error of q as the quantile
// at upper tail p, with q* the exact quantile: Q(q) − p divided by the
// density there, −dQ/dq, which a central difference of the series gives.
func quantileError(q float64, nu int, p float64) float64 {
	h := q * 1e-7
	density := new(big.Float).SetPrec(refPrec).Sub(tUpperTail(q-h, nu), tUpperTail(q+h, nu))
	density.Quo(density, bf(2*h))
	diff := new(big.Float).SetPrec(refPrec).Sub(tUpperTail(q, nu), bf(p))
	return bigToFloat(diff.Quo(diff, density)) / q
}

// criticalValue reads t(1 − tail, n − 1) back from StudentTInterval, as in
// TestStudentTQuantiles: n values +1, −1, … (and a 0 when n is odd) have mean
// 0 and a known standard deviation, so the half-width is t times a known
// scale.
func criticalValue(t *testing.T, n int, level float64) float64 {
	t.Helper()
	d := make([]float64, n)
	for i := range d {
		d[i] = float64(2*(i%2) - 1)
	}
	scale := 1 / math.Sqrt(float64(n-1)) // n even: variance n/(n−1), so sd/√n = 1/√(n−1)
	if n%2 == 1 {
		d[n-1] = 0 // (n−1)/2 of each sign and a 0: variance (n−1)/(n−1) = 1
		scale = 1 / math.Sqrt(float64(n))
	}
	lo, hi, ok := StudentTInterval(d, level)
	if !ok || lo != -hi {
		t.Fatalf("StudentTInterval(n=%d, %v) = [%v, %v], %v", n, level, lo, hi, ok)
	}
	return hi / scale
}

// TestSeriesReproducesKnownValues checks the reference series itself before
// it judges anything: against closed forms (ν = 1, 2) and values R prints
// (qt(0.975, 9) = 2.262157 to 7 digits).
func TestSeriesReproducesKnownValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    float64
		nu   int
		want float64
		tol  float64
	}{
		// ν = 1 (Cauchy): P(T > t) = ½ − atan(t)/π.
		{"Cauchy t=3", 3, 1, 0.5 - math.Atan(3)/math.Pi, 1e-15},
		{"Cauchy t=318.3088", 318.3088, 1, 0.5 - math.Atan(318.3088)/math.Pi, 1e-15},
		// ν = 2: P(T > t) = ½ − t/(2√(2 + t²)).
		{"ν=2 t=4.302653", 4.302653, 2, 0.5 - 4.302653/(2*math.Sqrt(2+4.302653*4.302653)), 1e-15},
		// R: pt(2.262157, 9, lower.tail = FALSE) ≈ 0.025 (qt(0.975, 9) = 2.262157).
		{"R qt(0.975, 9)", 2.262157, 9, 0.025, 2e-8},
		// NIST ν = 29, upper tail 0.05 → 1.699 (R: 1.699127).
		{"R qt(0.95, 29)", 1.699127, 29, 0.05, 2e-8},
	} {
		got := bigToFloat(tUpperTail(tc.q, tc.nu))
		if !closeTo(got, tc.want, tc.tol) {
			t.Errorf("%s: series P(T > %v | ν=%d) = %.17g; want %.17g ± %g", tc.name, tc.q, tc.nu, got, tc.want, tc.tol)
		}
	}
	if pi := bigToFloat(bigPi()); pi != math.Pi {
		t.Errorf("π = %.17g", pi)
	}
}

// TestStudentTFarTails checks the critical values the family interval uses:
// at levels 0.99, 0.998 (NIST's two far columns), 0.999 and the Bonferroni
// levels 1 − 0.05/5 = 0.99, 1 − 0.05/20 = 0.9975 and 1 − 0.01/50 = 0.9998, for
// ν from 2 to 1000 (odd and even), StudentTInterval's quantile is within
// 1e-10 (relative) of the exact one from the A&S series.
//
// NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2, "Critical
// values of the Student's t distribution", upper-tail columns 0.005 and 0.001
// (3 decimals, tolerance 5e-4), are checked too, but for the cell ν = 1, 0.001
// (318.313 in our copy), which disagrees with the closed form of the Cauchy
// quantile, tan(π(0.999 − ½)) = 318.3088…, beyond its rounding: that cell is
// checked against the closed form instead, with the other Cauchy quantiles.
func TestStudentTFarTails(t *testing.T) {
	nist := []struct {
		nu        int
		t005, t01 float64 // upper tail 0.005 (level 0.99) and 0.001 (level 0.998); 0: not checked
	}{
		{1, 63.657, 0}, {2, 9.925, 22.327}, {3, 5.841, 10.215}, {4, 4.604, 7.173},
		{5, 4.032, 5.893}, {10, 3.169, 4.144}, {20, 2.845, 3.552}, {30, 2.750, 3.385},
		{100, 2.626, 3.174},
	}
	for _, row := range nist {
		if got := criticalValue(t, row.nu+1, 0.99); !closeTo(got, row.t005, 5e-4) {
			t.Errorf("NIST ν=%d upper tail 0.005: t = %.6f; want %.3f", row.nu, got, row.t005)
		}
		if got := criticalValue(t, row.nu+1, 0.998); row.t01 != 0 && !closeTo(got, row.t01, 5e-4) {
			t.Errorf("NIST ν=%d upper tail 0.001: t = %.6f; want %.3f", row.nu, got, row.t01)
		}
	}
	// ν = 1: t(p) = tan(π(p − ½)), far out (the interval's tail is α/2).
	for _, level := range []float64{0.998, 0.9975, 0.9998} {
		want := math.Tan(math.Pi * (0.5 - (1-level)/2))
		if got := criticalValue(t, 2, level); !closeTo(got, want, 1e-9*want) {
			t.Errorf("Cauchy, level %v: t = %.12g; closed form %.12g", level, got, want)
		}
	}

	levels := []float64{0.99, 0.998, 0.999, 1 - 0.05/20, 1 - 0.01/50}
	dfs := []int{2, 3, 4, 5, 6, 7, 9, 10, 15, 20, 29, 30, 49, 50, 99, 100, 201, 500, 999, 1000}
	worst := 0.0
	for _, level := range levels {
		for _, nu := range dfs {
			q := criticalValue(t, nu+1, level)
			e := quantileError(q, nu, (1-level)/2)
			worst = max(worst, math.Abs(e))
			if math.Abs(e) > 1e-10 {
				t.Errorf("level %v, ν = %d: t = %.15g is off by %.2g (relative) from the exact quantile", level, nu, q, e)
			}
		}
	}
	t.Logf("largest relative error of the t quantile over %d levels × %d degrees of freedom: %.2g", len(levels), len(dfs), worst)
}

// TestFamilyInterval checks PairedFamily against the same exact series on the
// sleep data (see TestPairedSleepData), for a family of 20 metrics at 0.95:
// the interval is mean ± t·sd/√n with t the exact 1 − 0.05/40 quantile of t(9),
// and StudentTInterval at BonferroniLevel(0.95, 20) gives the same interval.
func TestFamilyInterval(t *testing.T) {
	d := sleepDifferences()
	s, err := PairedFamily(d, 0, 0.95, 20, false)
	if err != nil {
		t.Fatal(err)
	}
	// The standard error sd/√n, exactly: the differences are tenths, so
	// their sum of squared deviations is a rational computed here by hand.
	sum, sumSq := new(big.Rat), new(big.Rat)
	for i := range sleepGroup1 {
		// group 1 − group 2 in tenths, from the data's one-decimal values
		x := big.NewRat(int64(math.Round(sleepGroup1[i]*10))-int64(math.Round(sleepGroup2[i]*10)), 10)
		sum.Add(sum, x)
		sumSq.Add(sumSq, new(big.Rat).Mul(x, x))
	}
	n := big.NewRat(10, 1)
	ss := new(big.Rat).Sub(sumSq, new(big.Rat).Quo(new(big.Rat).Mul(sum, sum), n)) // Σx² − (Σx)²/n
	variance := new(big.Rat).Quo(ss, big.NewRat(9*10, 1))                          // s²/n
	se := new(big.Float).SetPrec(refPrec).SetRat(variance)
	se.Sqrt(se)
	half := (s.CIUpper - s.CILower) / 2
	tFamily := half / bigToFloat(se)
	if e := quantileError(tFamily, 9, 0.05/40); math.Abs(e) > 1e-10 {
		t.Errorf("family half-width %v implies t = %v, off by %.2g from the exact quantile", half, tFamily, e)
	}
	if mean, _ := new(big.Rat).Quo(sum, n).Float64(); mean != -1.58 {
		t.Fatalf("exact mean %v", mean)
	}
	if !closeTo((s.CIUpper+s.CILower)/2, -1.58, 1e-12) || s.N != 10 || s.PValue != 0.00390625 {
		t.Errorf("summary %+v", s)
	}
	// Alone at 95% the sleep data say regressed (TestPairedSleepData); as one
	// of 20 metrics judged together, the interval reaches above 0.
	if s.Verdict != VerdictInconclusive || s.CIUpper <= 0 {
		t.Errorf("verdict %q, interval [%v, %v]; want inconclusive", s.Verdict, s.CILower, s.CIUpper)
	}
	level, err := BonferroniLevel(0.95, 20)
	if err != nil || !closeTo(level, 0.9975, 1e-16) {
		t.Fatalf("BonferroniLevel(0.95, 20) = %v, %v", level, err)
	}
	lo, hi, ok := StudentTInterval(d, level)
	if !ok || !closeTo(lo, s.CILower, 1e-12*math.Abs(lo)) || !closeTo(hi, s.CIUpper, 1e-12*math.Abs(hi)) {
		t.Errorf("StudentTInterval at %v = [%.17g, %.17g]; PairedFamily [%.17g, %.17g]", level, lo, hi, s.CILower, s.CIUpper)
	}
	// Wider than the single 95% interval, which is the point.
	single, _ := Paired(d, 0, 0.95, false)
	if !(s.CILower < single.CILower && s.CIUpper > single.CIUpper) {
		t.Errorf("family interval [%v, %v] is not wider than [%v, %v]", s.CILower, s.CIUpper, single.CILower, single.CIUpper)
	}
}

// A family of one is the metric's own interval; the family verdict can be
// inconclusive where the single one is not.
func TestPairedFamilyRules(t *testing.T) {
	d := []float64{0.1, 0.2, 0.15, 0.12, 0.3, 0.05, 0.18, 0.2}
	one, err := PairedFamily(d, 1, 0.9, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	single, _ := Paired(d, 1, 0.9, false)
	if one != single {
		t.Errorf("family of one %+v; Paired %+v", one, single)
	}
	// A mean of 0.1625 with sd ≈ 0.078 over 8 pairs: clearly above 0 at 90%,
	// but not at 1 − 0.1/100000, where t(7) is about 15.
	wide, _ := PairedFamily(d, 0, 0.9, 100000, false)
	if single.Verdict != VerdictImproved || wide.Verdict != VerdictInconclusive {
		t.Errorf("verdicts %q (single), %q (family of 100000)", single.Verdict, wide.Verdict)
	}
	for _, tc := range []struct {
		level float64
		m     int
		want  string
	}{
		{0.95, 0, "the family must have at least one metric; got 0"},
		{1, 3, "confidence_level must be between 0 and 1 (exclusive), such as 0.95; got 1"},
		{math.NaN(), 3, "confidence_level must be between 0 and 1 (exclusive), such as 0.95; got NaN"},
	} {
		_, err1 := PairedFamily(d, 0, tc.level, tc.m, false)
		_, err2 := BonferroniLevel(tc.level, tc.m)
		for _, err := range []error{err1, err2} {
			if err == nil || err.Error() != tc.want {
				t.Errorf("level %v, m %d: %v; want %q", tc.level, tc.m, err, tc.want)
			}
		}
	}
	if _, err := PairedFamily([]float64{1, math.Inf(1)}, 0, 0.95, 2, false); err == nil {
		t.Error("an infinite difference was accepted")
	}
	if l, _ := BonferroniLevel(0.95, 1); l != 0.95 {
		t.Errorf("BonferroniLevel(0.95, 1) = %v", l)
	}
}
