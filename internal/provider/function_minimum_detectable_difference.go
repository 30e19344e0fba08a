package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

var _ function.Function = minimumDetectableDifferenceFunction{}

// minimumDetectableDifferenceFunction is
// provider::honeyhive::minimum_detectable_difference, over
// stats.MinimumDetectableDifference.
type minimumDetectableDifferenceFunction struct{}

// NewMinimumDetectableDifferenceFunction returns the
// minimum_detectable_difference function.
func NewMinimumDetectableDifferenceFunction() function.Function {
	return minimumDetectableDifferenceFunction{}
}

func (minimumDetectableDifferenceFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "minimum_detectable_difference"
}

func (minimumDetectableDifferenceFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Smallest mean difference a paired t-test detects with a given power",
		MarkdownDescription: "Returns the smallest true mean difference that a two-sided paired t-test at " +
			"significance `1 - confidence_level` detects with probability `power` from `n` pairs whose differences " +
			"have standard deviation `sd`, in the unit of `sd`: R's `power.t.test(n = n, sd = sd, sig.level = 1 - " +
			"confidence_level, power = power, type = \"paired\")$delta` (with R's default `strict = FALSE`). A " +
			"candidate no worse than the baseline passes a non-inferiority gate (`ci_lower >= -margin`) with a " +
			"margin below it less often than `power`: with that many pairs, the gate fails good candidates on " +
			"noise. It is 0 when `sd` is 0, and scales with `sd`.",
		Parameters: []function.Parameter{
			function.NumberParameter{
				Name: "sd",
				MarkdownDescription: "Standard deviation of the paired differences, at least 0: the `sd` of " +
					"`paired_interval`, or an estimate from an earlier comparison.",
			},
			function.NumberParameter{
				Name:                "n",
				MarkdownDescription: "Number of pairs: a whole number, at least 2.",
			},
			confidenceLevelParameter("of the test: it rejects at significance `1 - confidence_level`"),
			function.NumberParameter{
				Name: "power",
				MarkdownDescription: "Probability of detecting a true difference of the result's size, strictly between " +
					"`(1 - confidence_level)/2` and 1; `0.8` is customary.",
			},
		},
		Return: function.NumberReturn{},
	}
}

func (minimumDetectableDifferenceFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var sdArg, nArg, levelArg, powerArg types.Number
	if !getArguments(ctx, req, resp, &sdArg, &nArg, &levelArg, &powerArg) {
		return
	}
	if anyUnknown(sdArg, nArg, levelArg, powerArg) {
		resp.Error = resp.Result.Set(ctx, types.NumberUnknown())
		return
	}
	sd, funcErr := numberArgument(0, "sd", sdArg)
	if funcErr == nil && sd < 0 {
		funcErr = function.NewArgumentFuncError(0, fmt.Sprintf("sd is %s; a standard deviation is at least 0",
			sdArg.ValueBigFloat().Text('g', 10)))
	}
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	n, funcErr := countArgument(1, "n", nArg)
	if funcErr == nil && n < 2 {
		funcErr = function.NewArgumentFuncError(1, fmt.Sprintf("n is %d; a paired t-test needs at least 2 pairs", n))
	}
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	level, funcErr := confidenceLevelArgument(2, levelArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	power, funcErr := numberArgument(3, "power", powerArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	mdd, err := stats.MinimumDetectableDifference(sd, n, level, power)
	switch {
	case err != nil && strings.HasPrefix(err.Error(), "power "):
		// The other arguments were checked above; stats knows power's range,
		// which depends on confidence_level.
		resp.Error = function.NewArgumentFuncError(3, err.Error())
		return
	case err != nil:
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, functionNumber(mdd))
}
