package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

var _ function.Function = pairedIntervalFunction{}

// pairedIntervalFunction is provider::honeyhive::paired_interval, over
// stats.Paired.
type pairedIntervalFunction struct{}

// NewPairedIntervalFunction returns the paired_interval function.
func NewPairedIntervalFunction() function.Function { return pairedIntervalFunction{} }

// The result's attributes are named as in honeyhive_run_comparison's
// metric_deltas, so that a gate reads the same either way.
var pairedIntervalAttrTypes = map[string]attr.Type{
	"n":               types.NumberType,
	"mean_difference": types.NumberType,
	"ci_lower":        types.NumberType,
	"ci_upper":        types.NumberType,
	"sd":              types.NumberType,
	"p_value":         types.NumberType,
	"verdict":         types.StringType,
}

func (pairedIntervalFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "paired_interval"
}

func (pairedIntervalFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Confidence interval, sign test and verdict for paired differences",
		MarkdownDescription: "Summarises paired differences `new - old` (one per datapoint both runs share) as " +
			"`honeyhive_run_comparison` summarises each metric, with the same statistics. It returns an object:\n\n" +
			"- `n`: the number of differences.\n" +
			"- `mean_difference`: their mean.\n" +
			"- `ci_lower`, `ci_upper`: the two-sided Student-t confidence interval for the mean difference at " +
			"`confidence_level`, `mean ± t(1 - (1 - level)/2, n - 1) · sd / √n` (sd with divisor n - 1); " +
			"`[mean, mean]` when every difference is equal.\n" +
			"- `sd`: the differences' sample standard deviation (divisor n - 1), which " +
			"`minimum_detectable_difference` takes.\n" +
			"- `p_value`: the exact two-sided sign test p-value over the negative and positive differences (zeros " +
			"dropped; see `sign_test`), 1 when none is non-zero.\n" +
			"- `verdict`: `unchanged` when every difference is 0, `inconclusive` when the interval contains 0, else " +
			"`improved` or `regressed` by the sign of the mean, read in the metric's direction (`lower_is_better`).",
		Parameters: []function.Parameter{
			function.ListParameter{
				Name:        "differences",
				ElementType: types.NumberType,
				MarkdownDescription: "The paired differences `new - old`, at least 2 (an interval needs two). No element " +
					"may be null: drop unpaired datapoints first.",
			},
			confidenceLevelParameter("of the two-sided interval"),
			function.BoolParameter{
				Name: "lower_is_better",
				MarkdownDescription: "Whether a lower value is better for the metric (latency, cost): it flips only " +
					"`verdict`, never the numbers.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: pairedIntervalAttrTypes},
	}
}

func (pairedIntervalFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var differencesArg types.List
	var levelArg types.Number
	var lowerIsBetterArg types.Bool
	if !getArguments(ctx, req, resp, &differencesArg, &levelArg, &lowerIsBetterArg) {
		return
	}
	if anyUnknown(differencesArg, levelArg, lowerIsBetterArg) {
		resp.Error = resp.Result.Set(ctx, types.ObjectUnknown(pairedIntervalAttrTypes))
		return
	}
	differences, funcErr := numberListArgument(0, "differences", differencesArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	if len(differences) < 2 {
		resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf(
			"differences has %d element(s); a confidence interval needs at least 2. Check length(...) first "+
				"to fail with a message of your own", len(differences)))
		return
	}
	level, funcErr := confidenceLevelArgument(1, levelArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	if lowerIsBetterArg.IsNull() {
		resp.Error = function.NewArgumentFuncError(2, "lower_is_better must be true or false, not null")
		return
	}
	s, err := stats.Paired(differences, 0, level, lowerIsBetterArg.ValueBool())
	if err != nil { // unreachable: the arguments were checked above
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, types.ObjectValueMust(pairedIntervalAttrTypes, map[string]attr.Value{
		"n":               functionNumber(float64(s.N)),
		"mean_difference": functionNumber(s.MeanDifference),
		"ci_lower":        functionNumber(s.CILower),
		"ci_upper":        functionNumber(s.CIUpper),
		"sd":              functionNumber(s.SD),
		"p_value":         functionNumber(s.PValue),
		"verdict":         types.StringValue(s.Verdict.String()),
	}))
}
