package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Verdict is the reading of a paired comparison in the metric's direction.
type Verdict string

// The verdicts of a paired comparison, in order of precedence.
const (
	// VerdictInsufficientData: fewer than two pairs, so there is no interval.
	VerdictInsufficientData Verdict = "insufficient_data"
	// VerdictUnchanged: every difference is exactly zero.
	VerdictUnchanged Verdict = "unchanged"
	// VerdictInconclusive: the confidence interval contains zero.
	VerdictInconclusive Verdict = "inconclusive"
	// VerdictImproved: the interval excludes zero on the better side.
	VerdictImproved Verdict = "improved"
	// VerdictRegressed: the interval excludes zero on the worse side.
	VerdictRegressed Verdict = "regressed"
)

// String returns the verdict as it is spelled in Terraform values.
func (v Verdict) String() string { return string(v) }

// PairedSummary summarises the differences new − old of one metric over the
// datapoints two runs share. The numbers are always new − old, whatever the
// metric's direction; only Verdict reads them in that direction.
type PairedSummary struct {
	// N is the number of pairs; Skipped the number of common datapoints left
	// out because a value was null or not numeric (as given to Paired).
	N, Skipped int

	// MeanDifference is the mean of the differences; HasMean is false, and
	// MeanDifference 0, when N == 0.
	MeanDifference float64
	HasMean        bool

	// CILower and CIUpper bound the two-sided Student-t confidence interval
	// for the mean difference; HasInterval is false, and both 0, when N < 2.
	// When every difference is equal the interval is [mean, mean] exactly.
	CILower, CIUpper float64
	HasInterval      bool

	// SD is the sample standard deviation of the differences (divisor
	// N − 1), set when N ≥ 2 and exactly 0 when every difference is equal;
	// 0 when N < 2. MinimumDetectableDifference and PairsNeeded read it.
	SD float64

	// PValue is the exact two-sided sign test p-value (SignTestPValue over
	// the negative and positive differences, zeros dropped); 1 when there is
	// no non-zero difference.
	PValue float64

	Verdict Verdict
}

// Paired summarises the differences (new − old, one per paired datapoint) of
// one metric; skipped is carried into the summary as the count of pairs left
// out. The confidence interval is
//
//	mean ± t(1 − (1 − level)/2, n − 1) · sd / √n
//
// with sd the sample standard deviation (divisor n − 1). The verdict is, in
// order of precedence: insufficient_data when n < 2; unchanged when every
// difference is 0; inconclusive when CILower ≤ 0 ≤ CIUpper; else improved or
// regressed by the sign of the mean, where a positive mean is an improvement
// unless lowerIsBetter (latency, cost, ...), which flips only the verdict.
//
// It returns an error when confidenceLevel is not strictly between 0 and 1,
// when skipped is negative, or when a difference is NaN or infinite.
//
// Cost: O(n) time, two passes over differences, no allocation.
func Paired(differences []float64, skipped int, confidenceLevel float64, lowerIsBetter bool) (PairedSummary, error) {
	if err := ValidateConfidenceLevel(confidenceLevel); err != nil {
		return PairedSummary{}, err
	}
	return pairedAtTail(differences, skipped, upperTail(confidenceLevel), lowerIsBetter)
}

// pairedAtTail is Paired with the interval's level given as the probability
// left in each tail, (1 − level)/2, strictly between 0 and ½.
func pairedAtTail(differences []float64, skipped int, tail float64, lowerIsBetter bool) (PairedSummary, error) {
	if skipped < 0 {
		return PairedSummary{}, fmt.Errorf("skipped count must not be negative; got %d", skipped)
	}
	below, above := 0, 0
	for i, d := range differences {
		if !isFinite(d) {
			return PairedSummary{}, fmt.Errorf("difference %d is %v; every difference must be a finite number", i, d)
		}
		switch {
		case d < 0:
			below++
		case d > 0:
			above++
		}
	}

	s := PairedSummary{
		N:       len(differences),
		Skipped: skipped,
		PValue:  SignTestPValue(below, above),
	}
	if s.N >= 1 {
		mean, sd := meanAndSD(differences)
		s.MeanDifference, s.HasMean = mean, true
		if s.N >= 2 {
			s.CILower, s.CIUpper = tInterval(mean, sd, s.N, tail)
			s.HasInterval = true
			s.SD = sd
		}
	}

	switch {
	case s.N < 2:
		s.Verdict = VerdictInsufficientData
	case below == 0 && above == 0:
		s.Verdict = VerdictUnchanged
	case s.CILower <= 0 && 0 <= s.CIUpper:
		s.Verdict = VerdictInconclusive
	case (s.MeanDifference > 0) != lowerIsBetter:
		s.Verdict = VerdictImproved
	default:
		s.Verdict = VerdictRegressed
	}
	return s, nil
}

// StudentTInterval returns the two-sided Student-t confidence interval for the
// mean of differences at confidenceLevel (see Paired). ok is false, and the
// bounds 0, when there are fewer than two differences, when a difference is
// NaN or infinite, or when the confidence level is invalid.
//
// The bounds may be ±Inf only when the differences approach the float64 range
// (around 1e308), where the half-width itself overflows.
func StudentTInterval(differences []float64, confidenceLevel float64) (lower, upper float64, ok bool) {
	if len(differences) < 2 || ValidateConfidenceLevel(confidenceLevel) != nil {
		return 0, 0, false
	}
	for _, d := range differences {
		if !isFinite(d) {
			return 0, 0, false
		}
	}
	mean, sd := meanAndSD(differences)
	lower, upper = tInterval(mean, sd, len(differences), upperTail(confidenceLevel))
	return lower, upper, true
}

// tInterval computes the interval from the mean and sample standard deviation
// of count ≥ 2 values, leaving tail (in (0, ½)) in each tail: (1 − level)/2
// for a level.
func tInterval(mean, sd float64, count int, tail float64) (lower, upper float64) {
	if sd == 0 {
		return mean, mean
	}
	n := float64(count)
	// t(1 − α/2, n − 1) = −t(α/2, n − 1) by symmetry; see upperTail.
	t := -distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(tail)
	half := t * sd / math.Sqrt(n)
	return mean - half, mean + half
}

// meanAndSD returns the mean and the sample standard deviation (divisor n − 1;
// 0 when n == 1) of at least one finite value.
//
// When every value is equal it returns that value and exactly 0, so that the
// interval collapses to the mean instead of a rounding-noise width. Otherwise
// the values are scaled by a power of two (exact) so that the largest magnitude
// lies in [0.5, 1), which keeps sums and squares from overflowing; the mean is
// a compensated (Neumaier) sum divided by n, and the variance the corrected
// two-pass formula (Σ(x − m)² − (Σ(x − m))²/n) / (n − 1) of Chan, Golub and
// LeVeque, which cancels most of the rounding error left in the mean.
func meanAndSD(xs []float64) (mean, sd float64) {
	first := xs[0]
	constant := true
	maxAbs := 0.0
	for _, x := range xs {
		if x != first {
			constant = false
		}
		maxAbs = max(maxAbs, math.Abs(x))
	}
	if constant {
		return first, 0
	}
	_, exp := math.Frexp(maxAbs) // maxAbs > 0 here: the values are not all equal
	n := float64(len(xs))

	var sum, comp float64 // Neumaier compensated summation
	for _, x := range xs {
		x = math.Ldexp(x, -exp)
		t := sum + x
		if math.Abs(sum) >= math.Abs(x) {
			comp += (sum - t) + x
		} else {
			comp += (x - t) + sum
		}
		sum = t
	}
	m := (sum + comp) / n

	var dev, sq float64
	for _, x := range xs {
		d := math.Ldexp(x, -exp) - m
		dev += d
		sq += d * d
	}
	v := max(0, (sq-dev*dev/n)/(n-1))
	return math.Ldexp(m, exp), math.Ldexp(math.Sqrt(v), exp)
}
