package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// The metric names a user lists in a comparison's arguments (lower_is_better,
// gate_metrics) must be metrics of the comparison. A misspelt name is an
// error, not a warning: left out, it turns a regression into "improved" or
// drops the metric from the family, and a plan that only warns passes. Gates
// fail closed on the user's own input too.

// unknownMetricErrors returns one error, on the argument attribute, for each
// name in listed that is not among names (the comparison's metric names).
// consequence says what the name would have done had it been accepted.
func unknownMetricErrors(attribute string, listed, names []string, consequence string) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, name := range listed {
		if slices.Contains(names, name) {
			continue
		}
		var b strings.Builder
		if len(names) == 0 {
			// Nothing to check against: a fresh run, or one no evaluator judged.
			fmt.Fprintf(&b, "%s names %q, but this comparison lists no metrics at all, so no name can be "+
				"checked against them. The runs may not have completed yet (wait_for_completion = true waits for "+
				"them), or no evaluator has judged them. The read fails rather than gate on nothing.",
				attribute, name)
		} else {
			fmt.Fprintf(&b, "%s names %q, which is not a metric of this comparison.", attribute, name)
			if suggestion := closestName(name, names); suggestion != "" {
				fmt.Fprintf(&b, " Did you mean %q?", suggestion)
			}
			fmt.Fprintf(&b, " The comparison's metrics are: %s. Were the name ignored, %s: so that a gate "+
				"cannot pass by mistake, the read fails instead. Correct the name, or remove it from %s.",
				strings.Join(names, ", "), consequence, attribute)
		}
		diags.AddAttributeError(path.Root(attribute), "Unknown metric in "+attribute, b.String())
	}
	return diags
}

// closestName returns the name among names that name most likely misspells,
// or "" when none is close. Case is ignored. Close is, first, a Levenshtein
// distance (in runes) of at most max(2, len/3) ("relevence" for "relevance",
// "Accuracy" for "accuracy"); else one name containing the other, of 3 letters or more
// ("latency" for "latency_ms"). Ties go to the first in names' order.
func closestName(name string, names []string) string {
	lower := strings.ToLower(name)
	best, bestDistance := "", -1
	for _, candidate := range names {
		d := levenshtein.ComputeDistance(lower, strings.ToLower(candidate))
		if d <= max(2, len([]rune(name))/3) && (bestDistance < 0 || d < bestDistance) {
			best, bestDistance = candidate, d
		}
	}
	if best != "" {
		return best
	}
	for _, candidate := range names {
		c := strings.ToLower(candidate)
		shorter := min(len([]rune(lower)), len([]rune(c)))
		if shorter >= 3 && (strings.Contains(c, lower) || strings.Contains(lower, c)) {
			return candidate
		}
	}
	return ""
}
