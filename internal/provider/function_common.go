package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// The provider-defined functions (Terraform 1.8 and later, OpenTofu 1.7 and
// later) expose the statistics of package stats to HCL: each function reads
// its arguments, checks what Terraform's types cannot (whole numbers, ranges,
// null list elements), calls stats and maps the result. None computes a
// statistic of its own. Every argument error names the argument
// (function.NewArgumentFuncError), so Terraform points at it. Error texts end
// without a period: Terraform adds one.

// maxFunctionCount is the largest count a function accepts: the largest
// integer a float64 holds exactly, since stats computes in float64. Far above
// any real number of datapoints; it also keeps below + above from
// overflowing.
const maxFunctionCount = 1 << 53

// confidenceLevelParameter is the confidence_level parameter the functions
// share; of says what the level is of.
func confidenceLevelParameter(of string) function.NumberParameter {
	return function.NumberParameter{
		Name: "confidence_level",
		MarkdownDescription: "Confidence level " + of + ", strictly between 0 and 1, such as `0.95` (the data " +
			"sources' default).",
	}
}

// getArguments reads every argument into targets (types.Number, types.List
// or types.Bool, as the parameters declare).
func getArguments(ctx context.Context, req function.RunRequest, resp *function.RunResponse, targets ...any) bool {
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, targets...))
	return resp.Error == nil
}

// anyUnknown reports whether a value is unknown. Terraform does not call a
// function whose arguments are not wholly known (no parameter allows unknown
// values), so this is a guard for other callers, which get an unknown result.
func anyUnknown(values ...attr.Value) bool {
	for _, v := range values {
		if v.IsUnknown() {
			return true
		}
		if l, ok := v.(types.List); ok {
			for _, e := range l.Elements() {
				if e.IsUnknown() {
					return true
				}
			}
		}
	}
	return false
}

// numberArgument returns the argument at position as a finite float64.
func numberArgument(position int64, name string, v types.Number) (float64, *function.FuncError) {
	if v.IsNull() {
		return 0, function.NewArgumentFuncError(position, fmt.Sprintf("%s must be a number, not null", name))
	}
	f, _ := v.ValueBigFloat().Float64()
	if math.IsInf(f, 0) {
		return 0, function.NewArgumentFuncError(position,
			fmt.Sprintf("%s is %s, beyond the range of a 64-bit floating-point number", name, v.ValueBigFloat().Text('g', 10)))
	}
	return f, nil
}

// countArgument returns the argument at position as a whole number from 0 to
// maxFunctionCount.
func countArgument(position int64, name string, v types.Number) (int, *function.FuncError) {
	if v.IsNull() {
		return 0, function.NewArgumentFuncError(position, fmt.Sprintf("%s must be a whole number, not null", name))
	}
	n := v.ValueBigFloat()
	if !n.IsInt() || n.Sign() < 0 || n.Cmp(big.NewFloat(maxFunctionCount)) > 0 {
		return 0, function.NewArgumentFuncError(position, fmt.Sprintf(
			"%s must be a whole number from 0 to %d (a count); got %s", name, int64(maxFunctionCount), n.Text('g', 17)))
	}
	i, _ := n.Int64()
	return int(i), nil
}

// confidenceLevelArgument returns the argument at position as a confidence
// level, checked by stats.ValidateConfidenceLevel.
func confidenceLevelArgument(position int64, v types.Number) (float64, *function.FuncError) {
	level, funcErr := numberArgument(position, "confidence_level", v)
	if funcErr != nil {
		return 0, funcErr
	}
	if err := stats.ValidateConfidenceLevel(level); err != nil {
		return 0, function.NewArgumentFuncError(position, err.Error())
	}
	return level, nil
}

// numberListArgument returns the elements of the list argument at position,
// refusing null elements (a null is a missing value, which the statistics
// cannot read as a number) and numbers beyond float64.
func numberListArgument(position int64, name string, l types.List) ([]float64, *function.FuncError) {
	if l.IsNull() {
		return nil, function.NewArgumentFuncError(position, fmt.Sprintf("%s must be a list of numbers, not null", name))
	}
	elements := l.Elements()
	values := make([]float64, len(elements))
	for i, e := range elements {
		n, ok := e.(types.Number)
		if !ok {
			return nil, function.NewArgumentFuncError(position, fmt.Sprintf("%s[%d] is a %T, not a number", name, i, e))
		}
		if n.IsNull() {
			return nil, function.NewArgumentFuncError(position, fmt.Sprintf(
				"%s[%d] is null; every element must be a number. Drop the missing values first, for example "+
					"with [for v in list : v if v != null]", name, i))
		}
		f, funcErr := numberArgument(position, fmt.Sprintf("%s[%d]", name, i), n)
		if funcErr != nil {
			return nil, funcErr
		}
		values[i] = f
	}
	return values, nil
}

// functionNumber is a float64 result as a Terraform number (its shortest
// decimal form, as the data sources give it).
func functionNumber(f float64) types.Number { return floatNumber(f, true) }
