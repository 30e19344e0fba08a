package stats

import (
	"fmt"
	"math"
	"strconv"
)

// DefaultConfidenceLevel is the confidence level used when none is given.
const DefaultConfidenceLevel = 0.95

// ValidateConfidenceLevel reports an error unless level lies strictly between
// 0 and 1. NaN is rejected too.
func ValidateConfidenceLevel(level float64) error {
	if !(level > 0 && level < 1) { // also false for NaN
		return fmt.Errorf("confidence_level must be between 0 and 1 (exclusive), such as 0.95; got %s",
			strconv.FormatFloat(level, 'g', -1, 64))
	}
	return nil
}

// upperTail returns (1 − level)/2, the probability left in each tail of a
// two-sided interval at level. The critical value of a symmetric distribution,
// q(1 − (1 − level)/2), is then computed as −q((1 − level)/2): the same number,
// without rounding 1 − (1 − level)/2 to 1 when level is very close to 1.
func upperTail(level float64) float64 { return (1 - level) / 2 }

// isFinite reports whether x is neither NaN nor ±Inf.
func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
