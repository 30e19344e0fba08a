package policy

import (
	"fmt"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// Power is the power at which minimum detectable differences and the pairs
// needed are computed: the chance the gate's test flags a true regression of
// that size.
const Power = 0.8

// minimumDetectable is stats.MinimumDetectableDifference for the pairs of s at
// level; nil with fewer than 2 pairs or no spread (every difference equal),
// where there is nothing to scale a detectable difference by.
func minimumDetectable(s stats.PairedSummary, level float64) *float64 {
	if s.N < 2 || !(s.SD > 0) {
		return nil
	}
	mdd, err := stats.MinimumDetectableDifference(s.SD, s.N, level, Power)
	if err != nil {
		return nil // the inputs are valid here; an error would be an overflow, with no number to show
	}
	return &mdd
}

// pairsNeeded is about the number of pairs with which the gate's test detects
// a true regression of margin with Power, for differences with the spread of
// s; 0 when no number of pairs does (a margin of 0, or more than
// stats.MaxPairsNeeded).
func pairsNeeded(s stats.PairedSummary, margin, level float64) int {
	if !(margin > 0) {
		return 0
	}
	n, err := stats.PairsNeeded(s.SD, margin, level, Power)
	if err != nil {
		return 0
	}
	return n
}

// underpoweredWarning explains an underpowered non-inferiority rule with n
// pairs (after its label): its margin is below what its pairs can tell from
// noise.
func underpoweredWarning(rr RuleResult, n int, level string) string {
	mg := margin(rr.Rule)
	var need string
	switch {
	case rr.PairsNeeded > 0:
		need = "it needs about " + plural(rr.PairsNeeded, "pair")
	case mg > 0:
		need = "it would need more than " + plural(stats.MaxPairsNeeded, "pair")
	default:
		need = "no number of pairs is enough for a margin of 0"
	}
	return fmt.Sprintf("this gate cannot tell a regression of %s from noise with %s; %s "+
		"(minimum detectable difference %s at %s confidence and %s power)",
		FormatNumber(mg), plural(n, "pair"), need, FormatNumber(*rr.MinimumDetectableDifference), level,
		FormatPercent(Power))
}
