package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// WilsonInterval returns the Wilson score interval (without continuity
// correction) for a proportion of successes out of trials at confidenceLevel:
//
//	(p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n),
//
// with p̂ = successes/trials and z the standard normal quantile at
// 1 − (1 − level)/2. The bounds lie in [0, 1]; the lower bound is exactly 0 when
// there are no successes and the upper bound exactly 1 when every trial
// succeeded.
//
// ok is false, and the bounds are 0, when trials ≤ 0 (a pass rate of no
// datapoints has no interval), successes is outside [0, trials], or the
// confidence level is invalid (see ValidateConfidenceLevel).
func WilsonInterval(successes, trials int, confidenceLevel float64) (lower, upper float64, ok bool) {
	if trials <= 0 || successes < 0 || successes > trials || ValidateConfidenceLevel(confidenceLevel) != nil {
		return 0, 0, false
	}
	z := -distuv.UnitNormal.Quantile(upperTail(confidenceLevel))
	n := float64(trials)
	p := float64(successes) / n
	z2 := z * z
	denom := 1 + z2/n
	center := (p + z2/(2*n)) / denom
	half := z / denom * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	lower, upper = center-half, center+half
	if successes == 0 {
		lower = 0 // center == half in exact arithmetic
	}
	if successes == trials {
		upper = 1 // center + half == 1 in exact arithmetic
	}
	return min(1, max(0, lower)), min(1, max(0, upper)), true
}
