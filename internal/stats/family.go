package stats

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

// Statistics for a family of m metrics judged together (a gate over several
// metrics). Each metric's own interval holds at its confidence level, so with
// m metrics the chance that at least one of them flags a change that is not
// there grows towards 1 − level^m. The two tools below bound that chance, the
// family-wise error rate (FWER), by α = 1 − confidence level, whatever the
// dependence between the metrics (they are computed on the same datapoints,
// so they are not independent):
//
//   - PairedFamily: Bonferroni simultaneous intervals. Each metric's paired
//     t-interval is computed at level 1 − α/m; by Boole's inequality all m
//     intervals cover their true mean differences together with probability
//     at least 1 − α (each under the usual t-interval assumptions), so the
//     chance that any family verdict says improved or regressed for a metric
//     that did not change is at most α.
//   - HolmAdjust: Holm's step-down adjustment of the metrics' p-values (here
//     the sign tests'). Rejecting the metrics whose adjusted p-value is at
//     most α controls the FWER at α in the strong sense (whichever metrics
//     really changed), and rejects at least everything Bonferroni's α/m
//     threshold rejects.
//
// The two need not agree on a metric: Holm's step-down has no matching
// intervals, and the intervals are t-intervals while the p-values are sign
// tests. Gate on one of them, chosen up front.

// BonferroniLevel returns 1 − (1 − confidenceLevel)/familySize, the level at
// which each of familySize intervals must be computed for all of them to hold
// together at confidenceLevel (see PairedFamily). It is confidenceLevel itself
// when familySize is 1. It returns an error when confidenceLevel is not
// strictly between 0 and 1 or familySize is less than 1.
//
// StudentTInterval and Paired can be called at this level directly: the
// level rounds to a float64 near 1, but 1 − level is then exact, so the tail
// probability the quantile is taken at is off by at most about 6e-17 in
// absolute terms (4e-14 relative for 0.95 over 20 metrics), far below the
// quantile's own error. PairedFamily takes the tail as α/(2m) without the
// round trip.
func BonferroniLevel(confidenceLevel float64, familySize int) (float64, error) {
	if err := validateFamily(confidenceLevel, familySize); err != nil {
		return 0, err
	}
	return 1 - (1-confidenceLevel)/float64(familySize), nil
}

// PairedFamily is Paired for one metric of a family of familySize metrics:
// the same mean, sign-test p-value (unadjusted: see HolmAdjust) and verdict
// rules, with the confidence interval at the Bonferroni level
// 1 − (1 − confidenceLevel)/familySize (BonferroniLevel), so that the
// family's intervals and verdicts hold together at confidenceLevel. With
// familySize 1 it is Paired.
//
// It returns Paired's errors, and an error when familySize is less than 1.
func PairedFamily(differences []float64, skipped int, confidenceLevel float64, familySize int, lowerIsBetter bool) (PairedSummary, error) {
	if err := validateFamily(confidenceLevel, familySize); err != nil {
		return PairedSummary{}, err
	}
	// (1 − level)/(2m) directly: 1 − level is exact for any level near 1.
	tail := (1 - confidenceLevel) / (2 * float64(familySize))
	return pairedAtTail(differences, skipped, tail, lowerIsBetter)
}

func validateFamily(confidenceLevel float64, familySize int) error {
	if err := ValidateConfidenceLevel(confidenceLevel); err != nil {
		return err
	}
	if familySize < 1 {
		return fmt.Errorf("the family must have at least one metric; got %d", familySize)
	}
	return nil
}

// HolmAdjust returns Holm's step-down adjusted p-values (Holm, 1979, "A
// simple sequentially rejective multiple test procedure", Scandinavian
// Journal of Statistics 6:65–70) of a family of m p-values, in input order.
// With the p-values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎,
//
//	adjusted p₍ᵢ₎ = min(1, max over j ≤ i of (m − j + 1)·p₍ⱼ₎)
//
// which is what R's p.adjust(p, "holm") computes. The adjusted p-value of a
// hypothesis is the smallest family-wise level α at which Holm's procedure
// (reject p₍₁₎ ≤ α/m, then p₍₂₎ ≤ α/(m − 1), …, stopping at the first that
// is not) rejects it: rejecting where adjusted p ≤ α controls the FWER at α
// for any dependence between the tests, when each p-value is valid
// (P(p ≤ u) ≤ u under its null hypothesis, as the exact sign test's are).
//
// The adjusted values are at least the raw ones, at most 1, and in the same
// order as them (a smaller p-value never gets a larger adjusted one; tied
// p-values get equal ones). An empty family gives an empty, non-nil slice.
// It returns an error naming the first p-value that is NaN or outside
// [0, 1]. The input is not modified.
//
// Cost: O(m log m) time, two allocations of m.
func HolmAdjust(pValues []float64) ([]float64, error) {
	for i, p := range pValues {
		if !(p >= 0 && p <= 1) { // also true for NaN
			return nil, fmt.Errorf("p-value %d is %s; every p-value must be between 0 and 1",
				i, strconv.FormatFloat(p, 'g', -1, 64))
		}
	}
	m := len(pValues)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	// Stable, so that tied p-values keep their input order (any order gives
	// the same adjusted values).
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(pValues[a], pValues[b]) })
	adjusted := make([]float64, m)
	running := 0.0
	for rank, i := range order {
		running = max(running, min(1, float64(m-rank)*pValues[i]))
		adjusted[i] = running
	}
	return adjusted, nil
}
