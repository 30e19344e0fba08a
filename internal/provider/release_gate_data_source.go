package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/policy"
)

var (
	_ datasource.DataSource                   = (*releaseGateDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*releaseGateDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*releaseGateDataSource)(nil)
)

// NewReleaseGateDataSource returns the honeyhive_release_gate data source.
func NewReleaseGateDataSource() datasource.DataSource { return &releaseGateDataSource{} }

// releaseGateDataSource judges the comparison of a new run with an old one
// against a release policy (package policy): the same reads and statistics as
// honeyhive_run_comparison, one verdict, and a report.
type releaseGateDataSource struct {
	client *honeyhive.Client
}

type releaseGateModel struct {
	NewRunID          types.String   `tfsdk:"new_run_id"`
	OldRunID          types.String   `tfsdk:"old_run_id"`
	AggregateFunction types.String   `tfsdk:"aggregate_function"`
	WaitForCompletion types.Bool     `tfsdk:"wait_for_completion"`
	ConfidenceLevel   types.Float64  `tfsdk:"confidence_level"`
	LowerIsBetter     types.Set      `tfsdk:"lower_is_better"`
	Rules             types.List     `tfsdk:"rules"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
	Passed            types.Bool     `tfsdk:"passed"`
	Violations        types.List     `tfsdk:"violations"`
	RuleResults       types.List     `tfsdk:"rule_results"`
	Summary           types.String   `tfsdk:"summary"`
	ReportMarkdown    types.String   `tfsdk:"report_markdown"`
	NewRunStatus      types.String   `tfsdk:"new_run_status"`
	OldRunStatus      types.String   `tfsdk:"old_run_status"`
}

func (d *releaseGateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_release_gate"
}

// kindList is the rule kinds as the documentation spells them.
func kindList() string {
	kinds := make([]string, len(policy.Kinds))
	for i, k := range policy.Kinds {
		kinds[i] = string(k)
	}
	return "`" + strings.Join(kinds, "`, `") + "`"
}

func (d *releaseGateDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Judges a new (candidate) HoneyHive experiment run against an old (baseline) one by a " +
			"release policy: a list of `rules` (thresholds, non-inferiority and superiority margins on the paired " +
			"difference, no new failures, a minimum pass rate, a family of metrics), each failing closed when the " +
			"data cannot show it holds (a missing metric, a run that has not completed, too few pairs). It reads " +
			"what `honeyhive_run_comparison` reads and computes the same statistics, and gives one verdict " +
			"(`passed`), the failed rules (`violations`), a text for a person (`summary`) and a Markdown report " +
			"(`report_markdown`). The whole policy is one postcondition: `condition = self.passed`, " +
			"`error_message = self.summary`. Values are read on every plan.",
		Attributes: map[string]schema.Attribute{
			"new_run_id":          runIDAttribute("ID of the new (candidate) run."),
			"old_run_id":          runIDAttribute("ID of the old (baseline) run to compare against."),
			"aggregate_function":  aggregateFunctionAttribute(),
			"wait_for_completion": waitForCompletionAttribute("both runs have"),
			"confidence_level": confidenceLevelAttribute("every interval the rules read (the paired intervals of " +
				"`non_inferiority`, `superiority` and `family`, the Wilson interval of `min_pass_rate`) and the " +
				"significance level `1 - confidence_level` of `minimum_detectable_difference`"),
			"lower_is_better": schema.SetAttribute{
				MarkdownDescription: "Names of the metrics for which a lower value is better, such as a latency or a " +
					"cost: the paired rules read their interval's upper bound for them (a rise is the regression). " +
					"Every other metric is higher-is-better. A name that is not a metric of the comparison is an " +
					"error that lists the comparison's metrics (and suggests the one meant, where a name is close).",
				Optional:    true,
				ElementType: types.StringType,
			},
			"rules": schema.ListNestedAttribute{
				MarkdownDescription: "The release policy: the rules the comparison must pass, judged in order, all of " +
					"them (at least one). Each rule has a `kind` and the fields that kind takes (see the table in the " +
					"documentation). A rule that cannot be judged as written (an unknown kind, a field its kind does " +
					"not take or lacks, a negative `margin`) is an error at plan time naming the rule's index and " +
					"field, such as `rules[2].margin`; so is a metric the comparison does not have, or a threshold on " +
					"a metric whose values are not numbers, once the comparison is read.",
				Required:     true,
				NestedObject: ruleObject,
				Validators:   []validator.List{listvalidator.SizeAtLeast(1)},
			},
			"passed": boolAttr("Whether every rule passed. A rule that cannot be judged on the data (a missing " +
				"metric, a run that has not completed, too few pairs, no pass/fail lists) fails, so `passed` is " +
				"true only on evidence. Gate on it: `condition = self.passed`, `error_message = self.summary`."),
			"violations": schema.ListNestedAttribute{
				MarkdownDescription: "The rules that failed, in the policy's order: empty when `passed`.",
				Computed:            true,
				NestedObject:        violationObject,
			},
			"rule_results": schema.ListNestedAttribute{
				MarkdownDescription: "Every rule's result, in the policy's order (`rule_results[i]` is `rules[i]`'s), " +
					"with its power where the rule is paired.",
				Computed:     true,
				NestedObject: ruleResultObject,
			},
			"summary": stringAttr("The verdict for a person, several lines: whether the policy passed, then each " +
				"failed rule's message (what it read, what it required, why it failed), then the warnings (rules " +
				"too weak to tell a regression of their margin from noise). Made for `error_message`."),
			"report_markdown": stringAttr("A Markdown report for a pull request or a job summary: a table per " +
				"metric (old, new, difference, interval, verdict, rule, pass/fail), the regressed datapoints (the " +
				"first few, counted), and a text chart of the intervals in a code block, which renders on GitHub " +
				"and GitLab alike."),
			"new_run_status": stringAttr("Status of the new run (`completed`, `running`, ...), as " +
				"`honeyhive_run_comparison` reads it; null when neither its summary nor its run object says. A run " +
				"that has not completed fails every rule (`incomplete_run`)."),
			"old_run_status": stringAttr("Status of the old run, as for `new_run_status`."),
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *releaseGateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *releaseGateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state releaseGateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setStatisticsDefaults(&state.AggregateFunction, &state.ConfidenceLevel)
	var lowerIsBetter []string
	resp.Diagnostics.Append(state.LowerIsBetter.ElementsAs(ctx, &lowerIsBetter, false)...)
	rules, diags := rulesFrom(ctx, state.Rules)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withReadTimeout(ctx, state.Timeouts)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The comparison's own read, without the per-datapoint lists of its body:
	// the rules read the summaries' values and pass/fail lists, as the
	// comparison's statistics do.
	start := time.Now()
	comparison, newRun, oldRun, diags := readRunComparison(ctx, d.client, comparisonRead{
		newRunID: state.NewRunID.ValueString(), oldRunID: state.OldRunID.ValueString(),
		aggregateFunction: state.AggregateFunction.ValueString(), wait: state.WaitForCompletion.ValueBool(),
	})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	fetched := time.Now()
	state.NewRunStatus = optionalStatus(newRun.Status)
	state.OldRunStatus = optionalStatus(oldRun.Status)
	names := comparison.MetricNames()
	resp.Diagnostics.Append(unknownMetricErrors("lower_is_better", lowerIsBetter, names,
		"the metric it means would read as higher-is-better, and a rise in it (a regression, for a latency or "+
			"a cost) as an improvement")...)
	resp.Diagnostics.Append(repeatedMetricErrors(rules, comparison)...)
	if resp.Diagnostics.HasError() {
		return
	}

	input := policyComparison(comparison, newRun, oldRun, state.ConfidenceLevel.ValueFloat64(), lowerIsBetter, rules)
	result, ruleErrors := policy.Evaluate(input, rules)
	if len(ruleErrors) > 0 {
		resp.Diagnostics.Append(evaluationErrors(ruleErrors, rules, names)...)
		return
	}
	for _, w := range result.Warnings {
		resp.Diagnostics.AddWarning("Release gate rule cannot detect its margin", w)
	}
	resp.Diagnostics.Append(setReleaseGate(&state, result)...)
	judged := time.Now()
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	// Where a read's time goes, as the comparison logs it (make bench reads it).
	tflog.Debug(ctx, "read HoneyHive release gate", map[string]any{
		"new_run_id":          state.NewRunID.ValueString(),
		"old_run_id":          state.OldRunID.ValueString(),
		"rules":               len(rules),
		"passed":              result.Passed,
		"fetch_and_decode_ms": fetched.Sub(start).Milliseconds(),
		"pair_and_convert_ms": judged.Sub(fetched).Milliseconds(),
		"build_state_ms":      time.Since(judged).Milliseconds(),
	})
}
