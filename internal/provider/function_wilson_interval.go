package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

var _ function.Function = wilsonIntervalFunction{}

// wilsonIntervalFunction is provider::honeyhive::wilson_interval, over
// stats.WilsonInterval.
type wilsonIntervalFunction struct{}

// NewWilsonIntervalFunction returns the wilson_interval function.
func NewWilsonIntervalFunction() function.Function { return wilsonIntervalFunction{} }

var wilsonIntervalAttrTypes = map[string]attr.Type{"lower": types.NumberType, "upper": types.NumberType}

func (wilsonIntervalFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "wilson_interval"
}

func (wilsonIntervalFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Wilson score interval for a pass rate",
		MarkdownDescription: "Returns the Wilson score interval (without continuity correction) for the proportion " +
			"`successes / trials` at `confidence_level`, as an object `{ lower, upper }` with both bounds between 0 " +
			"and 1: the interval `honeyhive_experiment_run` gives a run's pass rate. Unlike the normal " +
			"approximation it stays within [0, 1] and is not empty at 0 or `trials` successes: `lower` is exactly 0 " +
			"with no success, `upper` exactly 1 when every trial succeeded. `lower >= 0.8` says, with that " +
			"confidence, that the true pass rate is at least 80 %.",
		Parameters: []function.Parameter{
			function.NumberParameter{
				Name:                "successes",
				MarkdownDescription: "Number of passing trials: a whole number from 0 to `trials`.",
			},
			function.NumberParameter{
				Name:                "trials",
				MarkdownDescription: "Number of trials (datapoints): a whole number, at least 1.",
			},
			confidenceLevelParameter("of the two-sided interval"),
		},
		Return: function.ObjectReturn{AttributeTypes: wilsonIntervalAttrTypes},
	}
}

func (wilsonIntervalFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var successesArg, trialsArg, levelArg types.Number
	if !getArguments(ctx, req, resp, &successesArg, &trialsArg, &levelArg) {
		return
	}
	if anyUnknown(successesArg, trialsArg, levelArg) {
		resp.Error = resp.Result.Set(ctx, types.ObjectUnknown(wilsonIntervalAttrTypes))
		return
	}
	successes, funcErr := countArgument(0, "successes", successesArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	trials, funcErr := countArgument(1, "trials", trialsArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	level, funcErr := confidenceLevelArgument(2, levelArg)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	switch {
	case trials == 0:
		resp.Error = function.NewArgumentFuncError(1, "trials is 0: a pass rate of no trials has no interval")
		return
	case successes > trials:
		resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf(
			"successes (%d) is more than trials (%d); successes counts the passing trials among them", successes, trials))
		return
	}
	lower, upper, ok := stats.WilsonInterval(successes, trials, level)
	if !ok { // unreachable: every case WilsonInterval refuses was refused above
		resp.Error = function.NewFuncError(fmt.Sprintf("no Wilson interval for %d of %d at %v", successes, trials, level))
		return
	}
	resp.Error = resp.Result.Set(ctx, types.ObjectValueMust(wilsonIntervalAttrTypes, map[string]attr.Value{
		"lower": functionNumber(lower),
		"upper": functionNumber(upper),
	}))
}
