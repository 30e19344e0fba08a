package provider

import (
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// Many metrics at once: the family of metric entries a gate reads together,
// with Bonferroni simultaneous intervals (stats.PairedFamily) and Holm's
// adjustment of the sign tests' p-values (stats.HolmAdjust), so that the
// chance of any false alarm over the family stays at 1 − confidence_level.

// gateMetricsAttribute is the argument that chooses the family.
var gateMetricsAttribute = schema.SetAttribute{
	MarkdownDescription: "Names of the metrics a gate reads together: the family over which `family_ci_lower`, " +
		"`family_ci_upper`, `family_verdict` and `p_value_holm` hold jointly at `confidence_level`. Each metric's " +
		"own interval (`ci_lower`, `ci_upper`) holds at `confidence_level` by itself, so a gate over several of " +
		"them raises a false alarm more often than `1 - confidence_level`; the family values bound that chance " +
		"for the whole family. Defaults to every metric entry with at least 2 paired datapoints " +
		"(`paired_count >= 2`). Where a name repeats across events, each of its entries is one member of the " +
		"family (one hypothesis each) and counts in `family_size`. A named metric is in the family whatever its " +
		"number of pairs (with fewer than 2, its `family_verdict` is `insufficient_data`). A name that is not a " +
		"metric of the comparison is an error that lists the comparison's metrics (and suggests the one meant, " +
		"where a name is close), so that a misspelt name cannot drop a regressed metric from the family. An empty " +
		"set makes an empty family.",
	Optional:    true,
	ElementType: types.StringType,
}

// familyAttributes are the comparison's own attributes for the family.
var familyAttributes = map[string]schema.Attribute{
	"family_size": int64Attr("Number of metric entries in the family (`m`): the entries named in `gate_metrics`, " +
		"or by default every entry with `paired_count >= 2`. 0 for an empty family, whose members' family values " +
		"are all null."),
	"family_regressed_metrics": stringListAttr("Names of the family's metrics whose `family_verdict` is " +
		"`regressed`, each once in the server's order (a name repeated across events is listed when any of its " +
		"entries regressed). Empty when none did: `length(family_regressed_metrics) == 0` is a gate over every " +
		"metric of the family at once, with a chance of a false alarm of at most `1 - confidence_level`."),
}

// metricDeltaFamilyAttributes are each comparison entry's family values.
var metricDeltaFamilyAttributes = map[string]schema.Attribute{
	"family_ci_lower": numberAttr("Lower bound of this metric's simultaneous interval for the mean paired " +
		"difference, in the metric's unit: the paired Student-t interval of `ci_lower`, at level " +
		"`1 - (1 - confidence_level) / family_size` (Bonferroni), so that the intervals of all the family's " +
		"metrics hold together with probability at least `confidence_level`. Wider than `ci_lower`..`ci_upper` " +
		"whenever the family has more than one member. Null outside the family (see `gate_metrics`) and when " +
		"fewer than 2 datapoints paired."),
	"family_ci_upper": numberAttr("Upper bound of that simultaneous interval, in the metric's unit. Null when " +
		"`family_ci_lower` is."),
	"family_verdict": stringAttr("The verdict of the simultaneous interval, with the values and rules of " +
		"`verdict`: `improved` or `regressed` when it excludes 0 (in the metric's direction, see " +
		"`lower_is_better`), `inconclusive` when it contains 0, `unchanged` when every paired difference is 0, " +
		"`insufficient_data` when fewer than 2 datapoints paired. It can be `inconclusive` where `verdict` is " +
		"not: that is the family's protection against chance. Null outside the family."),
	"p_value_holm": numberAttr("`p_value` (the sign test) adjusted by Holm's step-down method over the family's " +
		"`family_size` p-values, from 0 to 1: rejecting \"no change\" for the metrics whose `p_value_holm` is at " +
		"most `1 - confidence_level` keeps the chance of any false rejection in the family at most " +
		"`1 - confidence_level`. At least `p_value`. Null outside the family."),
}

// entryStatistics is what the family needs of one comparison entry.
type entryStatistics struct {
	name          string // "" for an entry without a metric name
	differences   []float64
	skipped       int
	lowerIsBetter bool
	single        stats.PairedSummary // at confidence_level, alone
}

// familyMember is one entry's family values; in is false outside the family.
type familyMember struct {
	in      bool
	summary stats.PairedSummary // at the Bonferroni level
	holm    float64
}

// family is the family's values, members one per entry in entry order.
type family struct {
	size      int
	members   []familyMember
	regressed []string
}

// computeFamily chooses the family among entries (the names in gate when
// gateSet, else every named entry with at least 2 pairs) and computes its
// values at confidenceLevel. A name in gate that no entry has makes no member:
// the caller has refused such names already (unknownMetricErrors).
func computeFamily(entries []entryStatistics, gate []string, gateSet bool, confidenceLevel float64) (family, diag.Diagnostics) {
	var diags diag.Diagnostics
	f := family{members: make([]familyMember, len(entries)), regressed: []string{}}
	var at []int // the members' entry indexes, in entry order
	for i, e := range entries {
		if e.name == "" {
			continue // nothing names it, so nothing can gate on it
		}
		if (gateSet && slices.Contains(gate, e.name)) || (!gateSet && e.single.N >= 2) {
			at = append(at, i)
		}
	}
	f.size = len(at)
	if f.size == 0 {
		return f, diags
	}
	pValues := make([]float64, len(at))
	for k, i := range at {
		e := entries[i]
		s, err := stats.PairedFamily(e.differences, e.skipped, confidenceLevel, f.size, e.lowerIsBetter)
		if err != nil {
			diags.AddError("Could not compute the family's statistics", fmt.Sprintf("Metric %q: %s", e.name, err))
			return f, diags
		}
		f.members[i] = familyMember{in: true, summary: s}
		pValues[k] = e.single.PValue
	}
	adjusted, err := stats.HolmAdjust(pValues)
	if err != nil {
		diags.AddError("Could not compute the family's statistics", err.Error())
		return f, diags
	}
	regressed := make(map[string]bool)
	for k, i := range at {
		f.members[i].holm = adjusted[k]
		if f.members[i].summary.Verdict == stats.VerdictRegressed {
			regressed[entries[i].name] = true
		}
	}
	// Each name once, in order of its first entry, as degraded_metrics.
	for _, e := range entries {
		if regressed[e.name] && !slices.Contains(f.regressed, e.name) {
			f.regressed = append(f.regressed, e.name)
		}
	}
	return f, diags
}

// values are an entry's family attributes (family_ci_lower, family_ci_upper,
// family_verdict, p_value_holm): null outside the family.
func (m familyMember) values() (ciLower, ciUpper types.Number, verdict types.String, holm types.Number) {
	if !m.in {
		return types.NumberNull(), types.NumberNull(), types.StringNull(), types.NumberNull()
	}
	s := m.summary
	return floatNumber(s.CILower, s.HasInterval), floatNumber(s.CIUpper, s.HasInterval),
		types.StringValue(s.Verdict.String()), floatNumber(m.holm, true)
}
