// The file is not function_sign_test.go: that name would make it a test file.

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

var _ function.Function = signTestFunction{}

// maxSignTestPairs bounds below + above. Beyond about 10⁸ pairs the binomial
// CDF stats.SignTestPValue takes from gonum drifts from R's pbinom (by 3e-3
// at 2·10⁸, 5e-4 at 2.5·10¹⁰), while up to 10⁸ it agrees within 2e-8:
// refusing is better than a p-value that looks exact and is not.
const maxSignTestPairs = 100_000_000

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
			"no difference. It is the `p_value` of `honeyhive_run_comparison`'s metrics, and 1 when both counts are 0. " +
			"`below + above` may be at most 100,000,000.",
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
	if below+above > maxSignTestPairs {
		resp.Error = function.NewFuncError(fmt.Sprintf("below + above is %d; sign_test takes at most %d pairs, "+
			"beyond which its binomial tail is not accurate enough", below+above, maxSignTestPairs))
		return
	}
	resp.Error = resp.Result.Set(ctx, functionNumber(stats.SignTestPValue(below, above)))
}
