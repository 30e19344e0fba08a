package stats

import (
	"fmt"
	"math"
	"strconv"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// MaxPairsNeeded is the largest count PairsNeeded reports; beyond it the
// difference is treated as undetectable in practice.
const MaxPairsNeeded = 10_000_000

// MinimumDetectableDifference returns the smallest true mean difference that
// a two-sided paired t-test at significance 1 − confidenceLevel detects with
// probability power from n pairs whose differences have standard deviation
// sd: the δ solving
//
//	P(T′ > t(1 − α/2, n − 1)) = power,  T′ ~ noncentral t(n − 1, √n·δ/sd),  α = 1 − confidenceLevel,
//
// which is R's power.t.test(n = n, sd = sd, sig.level = 1 − confidenceLevel,
// power = power, type = "paired")$delta with its default strict = FALSE (the
// chance of rejecting on the other side is not counted). The result is sd
// times a number that depends only on n, the level and the power, so it
// scales exactly with sd; it is 0 when sd is 0.
//
// The power is computed exactly (see noncentralTSurvival). Where R's pt falls
// back on a normal approximation, noncentrality above 37.62 (with power 0.8:
// n = 2 at confidence 0.99 and above) or more than 400,000 pairs,
// power.t.test differs: by 5% for n = 2 at 0.99, negligibly for many pairs
// (3e-13 in power at a million pairs).
//
// It returns an error when n < 2, sd is negative or not finite, the level is
// invalid (see ValidateConfidenceLevel), or power is not strictly between
// (1 − confidenceLevel)/2, the power at δ = 0, and 1.
func MinimumDetectableDifference(sd float64, n int, confidenceLevel, power float64) (float64, error) {
	if n < 2 {
		return 0, fmt.Errorf("the minimum detectable difference needs at least 2 pairs; got %d", n)
	}
	if err := validatePowerInputs(sd, confidenceLevel, power); err != nil {
		return 0, err
	}
	if sd == 0 {
		return 0, nil
	}
	effect, err := minimumDetectableEffect(n, upperTail(confidenceLevel), power)
	if err != nil {
		return 0, err
	}
	mdd := sd * effect
	if !isFinite(mdd) {
		return 0, fmt.Errorf("the minimum detectable difference overflows for sd %s", formatFloat(sd))
	}
	return mdd, nil
}

// PairsNeeded returns the smallest number of pairs n ≥ 2 with which a
// two-sided paired t-test at significance 1 − confidenceLevel detects a true
// mean difference of difference with at least the given power, when the
// differences have standard deviation sd (see MinimumDetectableDifference for
// the test's power). That is R's
// ceiling(power.t.test(delta = difference, sd = sd, sig.level = 1 − confidenceLevel,
// power = power, type = "paired")$n), except that it is never below 2. With
// sd = 0 any two pairs suffice.
//
// It returns an error when difference is not a positive finite number, when
// the other inputs are invalid as for MinimumDetectableDifference, or when
// more than MaxPairsNeeded pairs would be needed.
func PairsNeeded(sd, difference, confidenceLevel, power float64) (int, error) {
	if !(difference > 0) || math.IsInf(difference, 0) {
		return 0, fmt.Errorf("the difference to detect must be a positive finite number; got %s", formatFloat(difference))
	}
	if err := validatePowerInputs(sd, confidenceLevel, power); err != nil {
		return 0, err
	}
	if sd == 0 {
		return 2, nil
	}
	effect := difference / sd
	tail := upperTail(confidenceLevel)
	enough := func(n int) bool { return pairedTTestPower(effect, n, tail) >= power }

	// Power grows with n. Start at the normal approximation, which the t-test
	// needs a few pairs more than; gallop away from it by 1, 2, 4, ... pairs to
	// a bracket lo (not enough) < hi (enough), then bisect on the integers.
	normal := distuv.UnitNormal
	z := (normal.Quantile(1-tail) + normal.Quantile(power)) / effect
	start := MaxPairsNeeded
	if z*z < MaxPairsNeeded {
		start = max(2, int(math.Ceil(z*z)))
	}
	var lo, hi int
	if enough(start) {
		hi = start
		for step := 1; ; step *= 2 {
			if hi == 2 {
				return 2, nil
			}
			lo = max(2, hi-step)
			if !enough(lo) {
				break
			}
			hi = lo
		}
	} else {
		lo = start
		for step := 1; ; step *= 2 {
			if lo == MaxPairsNeeded {
				return 0, fmt.Errorf("detecting a difference of %s with sd %s needs more than %d pairs",
					formatFloat(difference), formatFloat(sd), MaxPairsNeeded)
			}
			hi = min(MaxPairsNeeded, lo+step)
			if enough(hi) {
				break
			}
			lo = hi
		}
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if enough(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, nil
}

func validatePowerInputs(sd, confidenceLevel, power float64) error {
	if !(sd >= 0) || math.IsInf(sd, 0) {
		return fmt.Errorf("the standard deviation must be a finite number ≥ 0; got %s", formatFloat(sd))
	}
	if err := ValidateConfidenceLevel(confidenceLevel); err != nil {
		return err
	}
	if !(power > upperTail(confidenceLevel) && power < 1) {
		return fmt.Errorf("power must be between (1 − confidence_level)/2 = %s and 1 (exclusive), such as 0.8; got %s",
			formatFloat(upperTail(confidenceLevel)), formatFloat(power))
	}
	return nil
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// minimumDetectableEffect solves pairedTTestPower(effect, n, tail) = power for
// the effect (δ/sd). Power is increasing in the effect, equals tail at 0
// (below power, as validated) and tends to 1, so a bracket [lo, hi] is found
// by doubling from the normal approximation and narrowed by the Illinois
// variant of regula falsi, which keeps the bracket and converges
// superlinearly: about ten evaluations of the power instead of fifty for
// bisection.
func minimumDetectableEffect(n int, tail, power float64) (float64, error) {
	df := float64(n - 1)
	critical := -distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(tail)
	rootN := math.Sqrt(float64(n))
	f := func(effect float64) float64 { return noncentralTSurvival(critical, df, rootN*effect) - power }

	normal := distuv.UnitNormal
	guess := (normal.Quantile(1-tail) + normal.Quantile(power)) / rootN
	lo, flo := 0.0, tail-power // f(0): the power at no effect is tail
	hi := max(guess, 1e-3/rootN)
	fhi := f(hi)
	for fhi < 0 {
		if hi > 1e12 {
			return 0, fmt.Errorf("no effect reaches power %s with %d pairs", formatFloat(power), n)
		}
		lo, flo = hi, fhi
		hi *= 2
		fhi = f(hi)
	}
	return solveIncreasing(f, lo, hi, flo, fhi), nil
}

// solveIncreasing returns the root of an increasing f in [lo, hi], given
// flo = f(lo) < 0 ≤ fhi = f(hi), to about 1e-14 relative: Illinois regula
// falsi (the secant through the bracket's ends, halving the value kept at an
// end that has not moved twice in a row), with a bisection step whenever the
// secant point falls outside the bracket.
func solveIncreasing(f func(float64) float64, lo, hi, flo, fhi float64) float64 {
	const maxIterations = 200
	lastMoved := 0 // −1: lo moved last, +1: hi moved last
	for range maxIterations {
		if fhi == 0 || hi-lo <= 1e-14*hi {
			break
		}
		x := hi - fhi*(hi-lo)/(fhi-flo)
		if !(x > lo && x < hi) {
			x = lo + (hi-lo)/2
		}
		fx := f(x)
		if fx < 0 {
			lo, flo = x, fx
			if lastMoved == -1 {
				fhi /= 2
			}
			lastMoved = -1
		} else {
			hi, fhi = x, fx
			if lastMoved == 1 {
				flo /= 2
			}
			lastMoved = 1
		}
	}
	if fhi == 0 {
		return hi
	}
	return lo + (hi-lo)/2
}

// pairedTTestPower is the power of the two-sided paired t-test with n pairs,
// leaving tail = α/2 in each tail, against a true mean difference of effect
// standard deviations, counting rejections on the upper side only (R's
// strict = FALSE): P(T′ > t(1 − tail, n − 1)) with T′ noncentral t with
// n − 1 degrees of freedom and noncentrality √n·effect.
func pairedTTestPower(effect float64, n int, tail float64) float64 {
	df := float64(n - 1)
	critical := -distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(tail)
	return noncentralTSurvival(critical, df, math.Sqrt(float64(n))*effect)
}

// noncentralTSurvival returns P(T′ > t) for T′ = (Z + ncp)/√(V/df), Z standard
// normal and V chi-squared with df ≥ 1 degrees of freedom (integer valued).
// Conditioning on U = √V,
//
//	P(T′ > t) = E[Φ(ncp − t·U/√df)],
//
// an integral of a smooth function against the chi density that adaptive
// Gauss–Legendre quadrature evaluates to about 1e-13. The chi density is taken
// relative to its mode m = √(df − 1),
//
//	g(u) = exp((df − 1)·log(u/m) − (u² − m²)/2),
//
// and the integral divided by ∫g, so no normalising constant (a difference of
// huge log-gamma terms for large df) enters. U lies within m ± 12 (sd ≤ 0.71)
// but for a mass below 1e-30.
//
// Unlike R's pt (Lenth's AS 243 series), it needs no switch to a normal
// approximation for ncp > 37.6 or df > 4e5.
func noncentralTSurvival(t, df, ncp float64) float64 {
	mode := math.Sqrt(df - 1)
	logShape := func(u float64) float64 { return -u * u / 2 }
	if df > 1 {
		logShape = func(u float64) float64 {
			d := u - mode
			return (df-1)*math.Log1p(d/mode) - d*(u+mode)/2
		}
	}
	scale := t / math.Sqrt(df)
	integrand := func(u float64) (weighted, density float64) {
		g := math.Exp(logShape(u))
		return g * standardNormalCDF(ncp-scale*u), g
	}

	const halfWidth = 12.0
	lo, hi := max(0, mode-halfWidth), mode+halfWidth
	// Break the range at the mode, where Φ's argument is 0 (its steepest
	// point, sharp when t/√df is large), and every 2 units.
	breaks := []float64{lo, hi, mode}
	if scale != 0 {
		if u := ncp / scale; u > lo && u < hi {
			breaks = append(breaks, u)
		}
	}
	for u := lo + 2; u < hi; u += 2 {
		breaks = append(breaks, u)
	}
	sortFloats(breaks)

	var weighted, density float64
	for i := 1; i < len(breaks); i++ {
		a, b := breaks[i-1], breaks[i]
		if b <= a {
			continue
		}
		w, d := gaussLegendre(integrand, a, b)
		w, d = adaptiveGaussLegendre(integrand, a, b, w, d, 1e-14, 30)
		weighted += w
		density += d
	}
	return min(1, max(0, weighted/density))
}

func standardNormalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// sortFloats sorts a handful of values in place (insertion sort).
func sortFloats(xs []float64) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// glOrder is the number of nodes of the Gauss–Legendre rule used on each panel.
const glOrder = 12

var glNodes = sync.OnceValues(func() (x, weight []float64) {
	x, weight = make([]float64, glOrder), make([]float64, glOrder)
	quad.Legendre{}.FixedLocations(x, weight, -1, 1)
	return x, weight
})

// gaussLegendre integrates both components of f over [a, b] with one panel.
func gaussLegendre(f func(float64) (float64, float64), a, b float64) (first, second float64) {
	x, weight := glNodes()
	half, mid := (b-a)/2, (a+b)/2
	for i := range x {
		p, q := f(mid + half*x[i])
		first += weight[i] * p
		second += weight[i] * q
	}
	return first * half, second * half
}

// adaptiveGaussLegendre refines the one-panel estimates (first, second) over
// [a, b] by halving the panel until the halves agree with the whole within tol
// (absolute) or depth runs out.
func adaptiveGaussLegendre(f func(float64) (float64, float64), a, b, first, second, tol float64, depth int) (float64, float64) {
	mid := (a + b) / 2
	lf, ls := gaussLegendre(f, a, mid)
	rf, rs := gaussLegendre(f, mid, b)
	if depth <= 0 || (math.Abs(lf+rf-first) <= tol && math.Abs(ls+rs-second) <= tol) {
		return lf + rf, ls + rs
	}
	lf, ls = adaptiveGaussLegendre(f, a, mid, lf, ls, tol, depth-1)
	rf, rs = adaptiveGaussLegendre(f, mid, b, rf, rs, tol, depth-1)
	return lf + rf, ls + rs
}
