package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/policy"
)

// The release gate's rules: their schema, their conversion to policy.Rule,
// and their errors, at plan time (ValidateConfig, from the configuration
// alone) and once the comparison is read (a metric it lacks, a threshold on
// a metric that is not a number), each on the rule's own field.

// ruleObject is one rule of the policy; see policy.Rule for each field.
var ruleObject = schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
	"kind": schema.StringAttribute{
		MarkdownDescription: "The rule's kind: one of " + kindList() + " (see the table in the documentation for " +
			"what each checks and the fields it takes).",
		Required: true,
	},
	"metric": schema.StringAttribute{
		MarkdownDescription: "The metric the rule reads: required by `threshold`, `non_inferiority` and " +
			"`superiority`; optional for `no_new_failures` and `min_pass_rate`, which read the whole datapoint's " +
			"pass/fail without it. A name that is not a metric of the comparison is an error that lists the " +
			"comparison's metrics and suggests the one meant.",
		Optional: true,
	},
	"metrics": schema.ListAttribute{
		MarkdownDescription: "The metrics of a `family` rule (at least one), judged together with Bonferroni " +
			"simultaneous intervals, as `honeyhive_run_comparison`'s `gate_metrics`.",
		Optional:    true,
		ElementType: types.StringType,
	},
	"min": schema.Float64Attribute{
		MarkdownDescription: "`threshold`: the lowest allowed aggregate of the new run, in the metric's unit. " +
			"`min_pass_rate`: the lowest allowed lower bound of the Wilson interval of the new run's pass rate, " +
			"from 0 to 1.",
		Optional: true,
	},
	"max": schema.Float64Attribute{
		MarkdownDescription: "`threshold`: the highest allowed aggregate of the new run, in the metric's unit.",
		Optional:            true,
	},
	"margin": schema.Float64Attribute{
		MarkdownDescription: "In the metric's unit, never negative. `non_inferiority` (required): the largest " +
			"regression allowed, which the interval's bound on the worse side must stay within. `superiority` " +
			"(default 0): the improvement the interval's bound on the worse side must exceed.",
		Optional: true,
	},
	"max_regressed": schema.Int64Attribute{
		MarkdownDescription: "`no_new_failures`: the number of datapoints allowed to pass in the old run and " +
			"fail in the new one. Defaults to 0.",
		Optional: true,
	},
	"min_pairs": schema.Int64Attribute{
		MarkdownDescription: "`non_inferiority`, `superiority`, `family`: the fewest paired datapoints the rule " +
			"accepts; with fewer it fails (`too_few_pairs`). Defaults to 2, the fewest that give an interval.",
		Optional: true,
	},
}}

// ruleModel is a rule as configured.
type ruleModel struct {
	Kind         types.String  `tfsdk:"kind"`
	Metric       types.String  `tfsdk:"metric"`
	Metrics      types.List    `tfsdk:"metrics"`
	Min          types.Float64 `tfsdk:"min"`
	Max          types.Float64 `tfsdk:"max"`
	Margin       types.Float64 `tfsdk:"margin"`
	MaxRegressed types.Int64   `tfsdk:"max_regressed"`
	MinPairs     types.Int64   `tfsdk:"min_pairs"`
}

// known reports whether every field is known (not computed later in the
// plan), so that the rule can be checked now.
func (m ruleModel) known() bool {
	return !m.Kind.IsUnknown() && !m.Metric.IsUnknown() && !m.Metrics.IsUnknown() && !m.Min.IsUnknown() &&
		!m.Max.IsUnknown() && !m.Margin.IsUnknown() && !m.MaxRegressed.IsUnknown() && !m.MinPairs.IsUnknown() &&
		!slices.ContainsFunc(m.Metrics.Elements(), func(v attr.Value) bool { return v.IsUnknown() })
}

// rule converts a known rule.
func (m ruleModel) rule(ctx context.Context) (policy.Rule, diag.Diagnostics) {
	r := policy.Rule{
		Kind:   policy.Kind(m.Kind.ValueString()),
		Metric: m.Metric.ValueString(),
		Min:    m.Min.ValueFloat64Pointer(),
		Max:    m.Max.ValueFloat64Pointer(),
		Margin: m.Margin.ValueFloat64Pointer(),
	}
	var diags diag.Diagnostics
	if !m.Metrics.IsNull() {
		r.Metrics = []string{}
		diags.Append(m.Metrics.ElementsAs(ctx, &r.Metrics, false)...)
	}
	if !m.MaxRegressed.IsNull() {
		n := int(m.MaxRegressed.ValueInt64())
		r.MaxRegressed = &n
	}
	r.MinPairs = int(m.MinPairs.ValueInt64())
	return r, diags
}

// rulesFrom converts the configured rules (all known at read time).
func rulesFrom(ctx context.Context, list types.List) ([]policy.Rule, diag.Diagnostics) {
	var configured []ruleModel
	diags := list.ElementsAs(ctx, &configured, false)
	if diags.HasError() {
		return nil, diags
	}
	rules := make([]policy.Rule, len(configured))
	for i, m := range configured {
		var d diag.Diagnostics
		rules[i], d = m.rule(ctx)
		diags.Append(d...)
	}
	return rules, diags
}

// ValidateConfig checks the rules that are known at plan time, each error on
// the rule's field (rules[2].margin), so that a rule that cannot be judged
// stops the plan before anything is read.
func (d *releaseGateDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var list types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("rules"), &list)...)
	if resp.Diagnostics.HasError() || list.IsNull() || list.IsUnknown() {
		return
	}
	var configured []ruleModel
	resp.Diagnostics.Append(list.ElementsAs(ctx, &configured, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var rules []policy.Rule
	var at []int // at[j] is the index in the configuration of rules[j]
	for i, m := range configured {
		if !m.known() {
			continue // checked when it is known, at the latest when read
		}
		r, diags := m.rule(ctx)
		resp.Diagnostics.Append(diags...)
		rules, at = append(rules, r), append(at, i)
	}
	if len(rules) == 0 || resp.Diagnostics.HasError() {
		return
	}
	for _, e := range policy.Validate(rules) {
		if e.Index >= 0 {
			e.Index = at[e.Index]
		}
		resp.Diagnostics.AddAttributeError(rulePath(e), "Invalid release gate rule", sentence(e.Error()))
	}
}

// rulePath is the attribute a rule error is about: rules[i].field, or a
// top-level attribute for an error that is no single rule's.
func rulePath(e policy.RuleError) path.Path {
	if e.Index < 0 {
		return path.Root(e.Field)
	}
	p := path.Root("rules").AtListIndex(e.Index)
	if e.Field == "" {
		return p
	}
	return p.AtName(e.Field)
}

// evaluationErrors reports the rules that could not be judged on the
// comparison read. A name that is not one of the comparison's metrics (names)
// gets their list and the closest name, as lower_is_better's do; each such
// name once per rule.
func evaluationErrors(errs []policy.RuleError, rules []policy.Rule, names []string) diag.Diagnostics {
	var diags diag.Diagnostics
	type ruleName struct {
		index int
		name  string
	}
	reported := map[ruleName]bool{}
	for _, e := range errs {
		var named []string // the names the erring field holds
		if e.Index >= 0 && e.Index < len(rules) {
			switch e.Field {
			case "metric":
				named = []string{rules[e.Index].Metric}
			case "metrics":
				named = rules[e.Index].Metrics
			}
		}
		unknown := false
		for _, name := range named {
			if slices.Contains(names, name) {
				continue
			}
			unknown = true
			if key := (ruleName{e.Index, name}); !reported[key] {
				reported[key] = true
				diags.AddAttributeError(rulePath(e), "Unknown metric in a release gate rule", unknownRuleMetric(e, name, names))
			}
		}
		if !unknown {
			diags.AddAttributeError(rulePath(e), "Invalid release gate rule", sentence(e.Error()))
		}
	}
	return diags
}

// repeatedMetricErrors refuses a rule on a metric the comparison has on more
// than one event (the same evaluator on two steps of a trace). A rule judges
// one entry per metric name; judging the first, as metric_deltas holds it,
// would let a regression on another event pass unseen, so the gate fails
// instead of choosing.
func repeatedMetricErrors(rules []policy.Rule, c *models.RunComparisonResult) diag.Diagnostics {
	events := map[string][]string{}
	for _, delta := range c.MetricDeltas {
		if delta.MetricName != "" {
			events[delta.MetricName] = append(events[delta.MetricName], eventLabel(delta.EventName))
		}
	}
	var diags diag.Diagnostics
	for i, r := range rules {
		field, names := "metric", []string{r.Metric}
		if r.Kind == policy.Family {
			field, names = "metrics", r.Metrics
		}
		for _, name := range names {
			evs := events[name]
			if len(evs) < 2 {
				continue
			}
			diags.AddAttributeError(path.Root("rules").AtListIndex(i).AtName(field),
				"Release gate rule on a metric of several events",
				fmt.Sprintf("rules[%d].%s names %q, which this comparison has on %d events (%s). A rule judges one "+
					"entry per metric, and judging one of them would let a regression on another pass unseen. Gate "+
					"on each event's entry in honeyhive_run_comparison's metric_delta_details instead.",
					i, field, name, len(evs), strings.Join(evs, ", ")))
		}
	}
	return diags
}

// unknownRuleMetric says that the rule names a metric the comparison lacks,
// which it has, and which of them was likely meant.
func unknownRuleMetric(e policy.RuleError, name string, names []string) string {
	var b strings.Builder
	at := fmt.Sprintf("rules[%d].%s", e.Index, e.Field)
	if len(names) == 0 {
		fmt.Fprintf(&b, "%s names %q, but this comparison lists no metrics at all. The runs may not have "+
			"completed yet (wait_for_completion = true waits for them), or no evaluator has judged them.", at, name)
		return b.String()
	}
	fmt.Fprintf(&b, "%s names %q, which is not a metric of this comparison.", at, name)
	if suggestion := closestName(name, names); suggestion != "" {
		fmt.Fprintf(&b, " Did you mean %q?", suggestion)
	}
	fmt.Fprintf(&b, " The comparison's metrics are: %s. Correct the name, or remove the rule.", strings.Join(names, ", "))
	return b.String()
}
