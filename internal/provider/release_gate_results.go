package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/policy"
)

// The release gate's verdict in state: policy.Result as Terraform values.
// Per-datapoint data stays out of state but for the first few regressed IDs
// the policy keeps, so that state grows with the rules, not the datapoints.

// violationAttributes are what a failed rule says, in violations and
// rule_results alike.
var violationAttributes = map[string]schema.Attribute{
	"rule": int64Attr("Index of the rule in `rules`, from 0."),
	"kind": stringAttr("The rule's kind, as in `rules`."),
	"metric": stringAttr("What the rule judged: its metric, a family's metrics joined with `, `; null for the " +
		"whole datapoint (`no_new_failures` and `min_pass_rate` without a metric)."),
	"reason": stringAttr("Why the rule failed: `violated` (the data show it does not hold), `incomplete_run` (a " +
		"run's status is not `completed`), `missing_metric` (the metric has no data in the comparison), " +
		"`not_numeric`, `too_few_pairs` (fewer paired datapoints than `min_pairs`) or `outcomes_unknown` (the " +
		"runs carry no pass/fail lists). Null for a rule that passed."),
	"observed": numberAttr("The number the rule judged, in the metric's unit: an aggregate (`threshold`), the " +
		"interval's bound on the worse side (`non_inferiority`, `superiority`), the number of regressed members " +
		"(`family`), the number of regressed datapoints (`no_new_failures`), the Wilson lower bound of the pass " +
		"rate (`min_pass_rate`). Null when there is none, as when the rule failed closed."),
	"required": stringAttr("The bound `observed` had to meet, as a person reads it: `>= 0.85`, `<= 0`."),
	"message":  stringAttr("One line that says what the rule read and why it passed or failed, with its numbers."),
}

// ruleResultOnlyAttributes are what every rule's result adds.
var ruleResultOnlyAttributes = map[string]schema.Attribute{
	"passed": boolAttr("Whether the rule passed."),
	"minimum_detectable_difference": numberAttr("For a `non_inferiority` or `superiority` rule with at least 2 " +
		"pairs and some spread: the smallest true mean difference, in the metric's unit, that " +
		"a two-sided paired t-test at level `1 - confidence_level` detects with 80% power, from the pairs' " +
		"standard deviation and count (R's `power.t.test(type = \"paired\")`). A margin below it cannot be told " +
		"from noise. Null otherwise."),
	"underpowered": boolAttr("Whether the rule's margin is below `minimum_detectable_difference`: the gate " +
		"cannot tell a regression of the margin from noise with these pairs, and a warning says so."),
	"pairs_needed": int64Attr("When `underpowered`: about the number of pairs that would detect a true " +
		"difference of the margin with 80% power. Null otherwise."),
	"regressed_count": int64Attr("`no_new_failures`: the number of datapoints that passed in the old run and " +
		"fail in the new one. Null for other kinds, and when the rule failed closed (such as when the runs carry no pass/fail lists)."),
	"regressed_datapoints": stringListAttr("`no_new_failures`: the IDs of the first few of those datapoints, in " +
		"the order of the new run's `failed` list (all of them are counted in `regressed_count`). Null when " +
		"`regressed_count` is."),
}

var (
	violationObject  = schema.NestedAttributeObject{Attributes: withAttributes(map[string]schema.Attribute{}, violationAttributes)}
	ruleResultObject = schema.NestedAttributeObject{Attributes: withAttributes(map[string]schema.Attribute{},
		violationAttributes, ruleResultOnlyAttributes)}
	violationAttrTypes  = attrTypesOf(violationObject)
	ruleResultAttrTypes = attrTypesOf(ruleResultObject)
)

// setReleaseGate stores the verdict in m.
func setReleaseGate(m *releaseGateModel, r policy.Result) diag.Diagnostics {
	m.Passed = types.BoolValue(r.Passed)
	m.Summary = types.StringValue(r.Summary)
	m.ReportMarkdown = types.StringValue(policy.Markdown(r))
	violations := []attr.Value{}
	results := make([]attr.Value, len(r.Rules))
	for i, rr := range r.Rules {
		common := violationValues(rr)
		if !rr.Passed {
			violations = append(violations, types.ObjectValueMust(violationAttrTypes, common))
		}
		all := make(map[string]attr.Value, len(ruleResultAttrTypes))
		for k, v := range common {
			all[k] = v
		}
		all["passed"] = types.BoolValue(rr.Passed)
		all["minimum_detectable_difference"] = optionalFloat(rr.MinimumDetectableDifference)
		all["underpowered"] = types.BoolValue(rr.Underpowered)
		all["pairs_needed"] = types.Int64Null()
		if rr.Underpowered {
			all["pairs_needed"] = types.Int64Value(int64(rr.PairsNeeded))
		}
		all["regressed_count"] = types.Int64Null()
		all["regressed_datapoints"] = types.ListNull(types.StringType)
		// Counted only where the rule was judged, not where it failed closed.
		judged := rr.Reason == "" || rr.Reason == policy.ReasonViolated
		if rr.Rule.Kind == policy.NoNewFailures && judged {
			all["regressed_count"] = types.Int64Value(int64(rr.RegressedCount))
			all["regressed_datapoints"] = emptyableStringList(rr.Regressed)
		}
		results[i] = types.ObjectValueMust(ruleResultAttrTypes, all)
	}
	var diags diag.Diagnostics
	var d diag.Diagnostics
	m.Violations, d = types.ListValue(types.ObjectType{AttrTypes: violationAttrTypes}, violations)
	diags.Append(d...)
	m.RuleResults, d = types.ListValue(types.ObjectType{AttrTypes: ruleResultAttrTypes}, results)
	diags.Append(d...)
	return diags
}

// violationValues are the attributes a rule's result shares with a violation.
func violationValues(rr policy.RuleResult) map[string]attr.Value {
	reason := types.StringNull()
	if rr.Reason != "" {
		reason = types.StringValue(string(rr.Reason))
	}
	metric := types.StringNull()
	if rr.Metric != "" {
		metric = types.StringValue(rr.Metric)
	}
	return map[string]attr.Value{
		"rule":     types.Int64Value(int64(rr.Index)),
		"kind":     types.StringValue(string(rr.Rule.Kind)),
		"metric":   metric,
		"reason":   reason,
		"observed": optionalFloat(rr.Observed),
		"required": types.StringValue(rr.Required),
		"message":  types.StringValue(rr.Message),
	}
}

// optionalFloat is a computed number, null for nil.
func optionalFloat(f *float64) types.Number {
	if f == nil {
		return types.NumberNull()
	}
	return floatNumber(*f, true)
}
