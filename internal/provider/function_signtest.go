// The file is not function_sign_test.go: that name would make it a test file.

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

var _ function.Function = signTestFunction{}

// signTestFunction is provider::honeyhive::sign_test, over
// stats.SignTestPValue.
type signTestFunction struct{}

// NewSignTestFunction returns the sign_test function.
func NewSignTestFunction() function.Function { return signTestFunction{} }

func (signTestFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "sign_test"
}

func (signTestFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Exact two-sided sign test p-value",
		MarkdownDescription: "Returns the exact two-sided p-value of the sign test for `below` negative and `above` " +
			"positive paired differences (zero differences dropped beforehand): `min(1, 2 · P(X <= min(below, above)))` " +
			"with `X ~ Binomial(below + above, 1/2)`, the chance of a split at least this lopsided if the change made " +
			"no difference. It is the `p_value` of `honeyhive_run_comparison`'s metrics, and 1 when both counts are 0.",
		Parameters: []function.Parameter{
			function.NumberParameter{
				Name:                "below",
				MarkdownDescription: "Number of negative differences (pairs that went down): a whole number, at least 0.",
			},
			function.NumberParameter{
				Name:                "above",
				MarkdownDescription: "Number of positive differences (pairs that went up): a whole number, at least 0.",
			},
		},
		Return: function.NumberReturn{},
	}
}

func (signTestFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var belowArg, aboveArg types.Number
	if !getArguments(ctx, req, resp, &belowArg, &aboveArg) {
		return
	}
	if anyUnknown(belowArg, aboveArg) {
		resp.Error = resp.Result.Set(ctx, types.NumberUnknown())
		return
	}
	below, funcErr := countArgument(0, "below", belowArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	above, funcErr := countArgument(1, "above", aboveArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	resp.Error = resp.Result.Set(ctx, functionNumber(stats.SignTestPValue(below, above)))
}
