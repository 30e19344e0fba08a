package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

var _ function.Function = holmAdjustFunction{}

// holmAdjustFunction is provider::honeyhive::holm_adjust, over
// stats.HolmAdjust.
type holmAdjustFunction struct{}

// NewHolmAdjustFunction returns the holm_adjust function.
func NewHolmAdjustFunction() function.Function { return holmAdjustFunction{} }

func (holmAdjustFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "holm_adjust"
}

func (holmAdjustFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Holm's step-down adjusted p-values",
		MarkdownDescription: "Returns Holm's step-down adjusted p-values of a family of p-values, in the input order: " +
			"with the p-values sorted `p(1) <= ... <= p(m)`, the adjusted `p(i)` is `min(1, max over j <= i of " +
			"(m - j + 1) · p(j))`, what R's `p.adjust(p, \"holm\")` computes. Gating on every adjusted p-value `<= " +
			"1 - confidence_level` keeps the chance that any of the m metrics is flagged by chance at most `1 - " +
			"confidence_level`, however the metrics depend on each other. It is how `honeyhive_run_comparison` " +
			"computes `p_value_holm`. An empty list gives an empty list.",
		Parameters: []function.Parameter{
			function.ListParameter{
				Name:        "p_values",
				ElementType: types.NumberType,
				MarkdownDescription: "The family's p-values, each from 0 to 1, such as the `p_value` of each gated metric " +
					"of `honeyhive_run_comparison` or results of `sign_test`. No element may be null.",
			},
		},
		Return: function.ListReturn{ElementType: types.NumberType},
	}
}

func (holmAdjustFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var pValuesArg types.List
	if !getArguments(ctx, req, resp, &pValuesArg) {
		return
	}
	if anyUnknown(pValuesArg) {
		resp.Error = resp.Result.Set(ctx, types.ListUnknown(types.NumberType))
		return
	}
	pValues, funcErr := numberListArgument(0, "p_values", pValuesArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	adjusted, err := stats.HolmAdjust(pValues)
	if err != nil {
		// The error names the p-value by its index, as p_values[i] does.
		resp.Error = function.NewArgumentFuncError(0, "p_values: "+err.Error())
		return
	}
	elements := make([]attr.Value, len(adjusted))
	for i, p := range adjusted {
		elements[i] = functionNumber(p)
	}
	resp.Error = resp.Result.Set(ctx, types.ListValueMust(types.NumberType, elements))
}
