package provider

import (
	"context"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The reference values of the functions' tests, here and in
// function_acc_test.go, come from R 4.2.2 (options(digits = 15)), never from
// the code under test; the tests compare within 1e-6 (R prints 15
// significant digits, so the tolerance covers only float64 rounding and
// gonum's quantiles). The same data and calls as internal/stats's
// reference tests (reference_test.go, family_r_test.go):
//
//	d <- with(sleep, extra[group == 1] - extra[group == 2])   # Student's sleep data
//	with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE))$conf.int
//	  # -2.459885763276982 -0.700114236723018, mean difference -1.58
//	with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE, conf.level = 0.90))$conf.int
//	  # -2.293005267029284 -0.866994732970716
//	binom.test(0, 9)$p.value                                   # 0.00390625 (sign test: 9 down, 0 up, 1 tie)
//	prop.test(81, 263, correct = FALSE)$conf.int               # 0.255288519878274 0.366209576982800 (Wilson)
//	prop.test(81, 263, correct = FALSE, conf.level = 0.99)$conf.int  # 0.240136902687608 0.385282502318230
//	prop.test(0, 20, correct = FALSE)$conf.int                 # 0 0.161125158052819
//	prop.test(20, 20, correct = FALSE)$conf.int                # 0.838874841947181 1
//	binom.test(2, 12)$p.value                                  # 0.03857421875
//	binom.test(40, 100)$p.value                                # 0.0568879336409809
//	binom.test(480, 1000)$p.value                              # 0.217448293204141
//	p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")               # 0.03 0.06 0.06 0.02
//	p.adjust(c(0.02, 0.5, 0.001, 0.04, 0.02), "holm")          # 0.08 0.5 0.005 0.08 0.08
//	sd(d)                                                      # 1.22999548327987
//	f <- function(...) power.t.test(..., type = "paired", tol = 1e-13)$delta
//	f(n = 40, sd = 0.1, sig.level = 0.05, power = 0.8)         # 0.0454257487254719
//	f(n = 10, sd = sd(d), sig.level = 0.05, power = 0.8)       # 1.22507827413385
//	f(n = 2, sd = 1, sig.level = 0.05, power = 0.8)            # 11.5498884358661
//	f(n = 1000, sd = 0.3, sig.level = 0.1, power = 0.9)        # 0.0277811360685457
//
// power.t.test's default uniroot tolerance (about 1e-4) leaves its delta off
// by up to that much (0.0454220 for the first); tol = 1e-13 refines the same
// root, as internal/stats/power_r_test.go does.
//
// R's prop.test without continuity correction is the Wilson score interval;
// binom.test's two-sided p-value for p = 1/2 is the exact sign test's.
const referenceTolerance = 1e-6

// functionSleepNew and functionSleepOld are R's datasets::sleep, group 1 and group 2; the
// differences new - old are R's d above.
var (
	functionSleepNew = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	functionSleepOld = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

func functionSleepDifferences() []float64 {
	d := make([]float64, len(functionSleepNew))
	for i := range d {
		d[i] = functionSleepNew[i] - functionSleepOld[i]
	}
	return d
}

func fnNumber(f float64) types.Number { return types.NumberValue(big.NewFloat(f)) }

func fnNumbers(values ...float64) types.List {
	elements := make([]attr.Value, len(values))
	for i, v := range values {
		elements[i] = fnNumber(v)
	}
	return types.ListValueMust(types.NumberType, elements)
}

// runFunction runs f as the framework does: with the arguments' values and a
// result of the definition's return type.
func runFunction(t *testing.T, f function.Function, args ...attr.Value) (attr.Value, *function.FuncError) {
	t.Helper()
	ctx := context.Background()
	var def function.DefinitionResponse
	f.Definition(ctx, function.DefinitionRequest{}, &def)
	result, funcErr := def.Definition.Return.NewResultData(ctx)
	if funcErr != nil {
		t.Fatal(funcErr)
	}
	resp := function.RunResponse{Result: result}
	f.Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData(args)}, &resp)
	return resp.Result.Value(), resp.Error
}

// floatOf returns a number result as a float64, failing the test unless v is
// a known number.
func fnFloat(t *testing.T, v attr.Value) float64 {
	t.Helper()
	n, ok := v.(types.Number)
	if !ok || n.IsNull() || n.IsUnknown() {
		t.Fatalf("result %v is not a known number", v)
	}
	f, _ := n.ValueBigFloat().Float64()
	return f
}

func fnAttrs(t *testing.T, v attr.Value) map[string]attr.Value {
	t.Helper()
	o, ok := v.(types.Object)
	if !ok || o.IsNull() || o.IsUnknown() {
		t.Fatalf("result %v is not a known object", v)
	}
	return o.Attributes()
}

func wantNearR(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > referenceTolerance {
		t.Errorf("%s = %.15g; R gives %.15g (tolerance %g)", what, got, want, referenceTolerance)
	}
}

// Every function is served with the parameters and return type Terraform
// shows and documents, each described.
func TestFunctions_definitions(t *testing.T) {
	resp, err := NewServer(New("test")()).GetFunctions(context.Background(), &tfprotov6.GetFunctionsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("diagnostic: %s: %s", d.Summary, d.Detail)
	}
	want := map[string][]string{
		"paired_interval":               {"differences", "confidence_level", "lower_is_better"},
		"wilson_interval":               {"successes", "trials", "confidence_level"},
		"sign_test":                     {"below", "above"},
		"holm_adjust":                   {"p_values"},
		"minimum_detectable_difference": {"sd", "n", "confidence_level", "power"},
	}
	for name, params := range want {
		f, ok := resp.Functions[name]
		if !ok {
			t.Errorf("function %s is missing", name)
			continue
		}
		if f.Summary == "" || f.Description == "" {
			t.Errorf("%s has no summary or description", name)
		}
		var got []string
		for _, p := range f.Parameters {
			got = append(got, p.Name)
			if p.Description == "" {
				t.Errorf("%s's parameter %s has no description", name, p.Name)
			}
			if p.AllowNullValue || p.AllowUnknownValues {
				t.Errorf("%s's parameter %s allows null or unknown values", name, p.Name)
			}
		}
		if strings.Join(got, ",") != strings.Join(params, ",") {
			t.Errorf("%s's parameters are %v, want %v", name, got, params)
		}
	}
	if len(resp.Functions) != len(want) {
		t.Errorf("the provider serves %d functions, want %d", len(resp.Functions), len(want))
	}
}

// The functions' results through Run, against R (see referenceTolerance).
func TestFunction_referenceValues(t *testing.T) {
	t.Run("paired_interval on the sleep data at 0.95 (R t.test, binom.test(0, 9))", func(t *testing.T) {
		v, funcErr := runFunction(t, NewPairedIntervalFunction(), fnNumbers(functionSleepDifferences()...), fnNumber(0.95), types.BoolValue(false))
		if funcErr != nil {
			t.Fatal(funcErr)
		}
		a := fnAttrs(t, v)
		wantNearR(t, "n", fnFloat(t, a["n"]), 10)
		wantNearR(t, "mean_difference", fnFloat(t, a["mean_difference"]), -1.58)
		wantNearR(t, "ci_lower", fnFloat(t, a["ci_lower"]), -2.459885763276982)
		wantNearR(t, "ci_upper", fnFloat(t, a["ci_upper"]), -0.700114236723018)
		wantNearR(t, "sd", fnFloat(t, a["sd"]), 1.22999548327987)
		wantNearR(t, "p_value", fnFloat(t, a["p_value"]), 0.00390625)
		if a["verdict"] != types.StringValue("regressed") {
			t.Errorf("verdict = %v; want regressed (the whole interval is below 0)", a["verdict"])
		}
	})
	t.Run("paired_interval at 0.90, lower is better (R t.test conf.level = 0.90)", func(t *testing.T) {
		v, funcErr := runFunction(t, NewPairedIntervalFunction(), fnNumbers(functionSleepDifferences()...), fnNumber(0.90), types.BoolValue(true))
		if funcErr != nil {
			t.Fatal(funcErr)
		}
		a := fnAttrs(t, v)
		wantNearR(t, "ci_lower", fnFloat(t, a["ci_lower"]), -2.293005267029284)
		wantNearR(t, "ci_upper", fnFloat(t, a["ci_upper"]), -0.866994732970716)
		if a["verdict"] != types.StringValue("improved") {
			t.Errorf("verdict = %v; want improved (lower is better, the whole interval is below 0)", a["verdict"])
		}
	})
	t.Run("paired_interval verdicts without a change", func(t *testing.T) {
		for _, tc := range []struct {
			differences []float64
			verdict     string
		}{
			{[]float64{0, 0, 0}, "unchanged"},
			{[]float64{-1, 1, 0.5}, "inconclusive"},
		} {
			v, funcErr := runFunction(t, NewPairedIntervalFunction(), fnNumbers(tc.differences...), fnNumber(0.95), types.BoolValue(false))
			if funcErr != nil {
				t.Fatal(funcErr)
			}
			if got := fnAttrs(t, v)["verdict"]; got != types.StringValue(tc.verdict) {
				t.Errorf("verdict of %v = %v; want %s", tc.differences, got, tc.verdict)
			}
		}
	})
	for _, tc := range []struct {
		name                     string
		successes, trials, level float64
		lower, upper             float64
	}{
		{"R prop.test(81, 263, correct = FALSE)", 81, 263, 0.95, 0.255288519878274, 0.366209576982800},
		{"R prop.test(81, 263, correct = FALSE, conf.level = 0.99)", 81, 263, 0.99, 0.240136902687608, 0.385282502318230},
		{"R prop.test(0, 20, correct = FALSE)", 0, 20, 0.95, 0, 0.161125158052819},
		{"R prop.test(20, 20, correct = FALSE)", 20, 20, 0.95, 0.838874841947181, 1},
	} {
		t.Run("wilson_interval "+tc.name, func(t *testing.T) {
			v, funcErr := runFunction(t, NewWilsonIntervalFunction(), fnNumber(tc.successes), fnNumber(tc.trials), fnNumber(tc.level))
			if funcErr != nil {
				t.Fatal(funcErr)
			}
			a := fnAttrs(t, v)
			wantNearR(t, "lower", fnFloat(t, a["lower"]), tc.lower)
			wantNearR(t, "upper", fnFloat(t, a["upper"]), tc.upper)
		})
	}
	for _, tc := range []struct {
		name         string
		below, above float64
		want         float64
	}{
		{"R binom.test(2, 12)", 2, 10, 0.03857421875},
		{"R binom.test(40, 100)", 40, 60, 0.0568879336409809},
		{"R binom.test(480, 1000)", 520, 480, 0.217448293204141},
		{"R binom.test(0, 9)", 0, 9, 0.00390625},
		{"no non-zero difference", 0, 0, 1},
	} {
		t.Run("sign_test "+tc.name, func(t *testing.T) {
			v, funcErr := runFunction(t, NewSignTestFunction(), fnNumber(tc.below), fnNumber(tc.above))
			if funcErr != nil {
				t.Fatal(funcErr)
			}
			wantNearR(t, "p", fnFloat(t, v), tc.want)
		})
	}
	for _, tc := range []struct {
		name    string
		p, want []float64
	}{
		{`R p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")`, []float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}},
		{`R p.adjust(c(0.02, 0.5, 0.001, 0.04, 0.02), "holm")`, []float64{0.02, 0.5, 0.001, 0.04, 0.02}, []float64{0.08, 0.5, 0.005, 0.08, 0.08}},
		{"an empty family", []float64{}, []float64{}},
	} {
		t.Run("holm_adjust "+tc.name, func(t *testing.T) {
			v, funcErr := runFunction(t, NewHolmAdjustFunction(), fnNumbers(tc.p...))
			if funcErr != nil {
				t.Fatal(funcErr)
			}
			l, ok := v.(types.List)
			if !ok || l.IsNull() || len(l.Elements()) != len(tc.want) {
				t.Fatalf("result %v; want a list of %d numbers", v, len(tc.want))
			}
			for i, e := range l.Elements() {
				wantNearR(t, "adjusted p", fnFloat(t, e), tc.want[i])
			}
		})
	}
	for _, tc := range []struct {
		name                string
		sd, n, level, power float64
		want                float64
	}{
		{`R f(n = 40, sd = 0.1, sig.level = 0.05, power = 0.8)`, 0.1, 40, 0.95, 0.8, 0.0454257487254719},
		{`R f(n = 10, sd = sd(d), sig.level = 0.05, power = 0.8)`, 1.22999548327987, 10, 0.95, 0.8, 1.22507827413385},
		{`R f(n = 2, sd = 1, sig.level = 0.05, power = 0.8)`, 1, 2, 0.95, 0.8, 11.5498884358661},
		{`R f(n = 1000, sd = 0.3, sig.level = 0.1, power = 0.9)`, 0.3, 1000, 0.90, 0.9, 0.0277811360685457},
		{"no spread", 0, 40, 0.95, 0.8, 0},
	} {
		t.Run("minimum_detectable_difference "+tc.name, func(t *testing.T) {
			v, funcErr := runFunction(t, NewMinimumDetectableDifferenceFunction(), fnNumber(tc.sd), fnNumber(tc.n), fnNumber(tc.level), fnNumber(tc.power))
			if funcErr != nil {
				t.Fatal(funcErr)
			}
			wantNearR(t, "delta", fnFloat(t, v), tc.want)
		})
	}
}

// Bad arguments are function errors that name the argument (by position, for
// Terraform, and by name in the text; an error about several arguments
// together names none), never a panic or a result.
func TestFunction_argumentErrors(t *testing.T) {
	nullElement := types.ListValueMust(types.NumberType, []attr.Value{fnNumber(1), types.NumberNull(), fnNumber(2)})
	infinite := types.NumberValue(new(big.Float).SetInf(false))
	tests := []struct {
		name     string
		function function.Function
		args     []attr.Value
		position int64 // -1: no argument in particular
		text     string
	}{
		{"paired: empty", NewPairedIntervalFunction(), []attr.Value{fnNumbers(), fnNumber(0.95), types.BoolValue(false)},
			0, "differences has 0 element(s); a confidence interval needs at least 2"},
		{"paired: one difference", NewPairedIntervalFunction(), []attr.Value{fnNumbers(0.5), fnNumber(0.95), types.BoolValue(false)},
			0, "differences has 1 element(s)"},
		{"paired: null element", NewPairedIntervalFunction(), []attr.Value{nullElement, fnNumber(0.95), types.BoolValue(false)},
			0, "differences[1] is null; every element must be a number"},
		{"paired: infinite element", NewPairedIntervalFunction(),
			[]attr.Value{types.ListValueMust(types.NumberType, []attr.Value{fnNumber(1), infinite}), fnNumber(0.95), types.BoolValue(false)},
			0, "differences[1] is +Inf, beyond the range of a 64-bit floating-point number"},
		{"paired: huge element", NewPairedIntervalFunction(),
			[]attr.Value{types.ListValueMust(types.NumberType, []attr.Value{fnNumber(1), types.NumberValue(new(big.Float).SetMantExp(big.NewFloat(1), 2000))}), fnNumber(0.95), types.BoolValue(false)},
			0, "differences[1] is 1.148130695e+602, beyond the range"},
		{"paired: level 1", NewPairedIntervalFunction(), []attr.Value{fnNumbers(1, 2), fnNumber(1), types.BoolValue(false)},
			1, "confidence_level must be between 0 and 1 (exclusive), such as 0.95; got 1"},
		{"paired: level 0", NewPairedIntervalFunction(), []attr.Value{fnNumbers(1, 2), fnNumber(0), types.BoolValue(false)},
			1, "confidence_level must be between 0 and 1 (exclusive), such as 0.95; got 0"},
		{"paired: null direction", NewPairedIntervalFunction(), []attr.Value{fnNumbers(1, 2), fnNumber(0.95), types.BoolNull()},
			2, "lower_is_better must be true or false, not null"},
		{"wilson: fractional successes", NewWilsonIntervalFunction(), []attr.Value{fnNumber(2.5), fnNumber(10), fnNumber(0.95)},
			0, "successes must be a whole number from 0 to 9007199254740992 (a count); got 2.5"},
		{"wilson: negative trials", NewWilsonIntervalFunction(), []attr.Value{fnNumber(0), fnNumber(-3), fnNumber(0.95)},
			1, "trials must be a whole number from 0 to 9007199254740992 (a count); got -3"},
		{"wilson: no trials", NewWilsonIntervalFunction(), []attr.Value{fnNumber(0), fnNumber(0), fnNumber(0.95)},
			1, "trials is 0: a pass rate of no trials has no interval"},
		{"wilson: more successes than trials", NewWilsonIntervalFunction(), []attr.Value{fnNumber(300), fnNumber(263), fnNumber(0.95)},
			0, "successes (300) is more than trials (263)"},
		{"wilson: level above 1", NewWilsonIntervalFunction(), []attr.Value{fnNumber(81), fnNumber(263), fnNumber(95)},
			2, "confidence_level must be between 0 and 1 (exclusive), such as 0.95; got 95"},
		{"wilson: null level", NewWilsonIntervalFunction(), []attr.Value{fnNumber(81), fnNumber(263), types.NumberNull()},
			2, "confidence_level must be a number, not null"},
		{"sign test: fractional count", NewSignTestFunction(), []attr.Value{fnNumber(1), fnNumber(0.5)},
			1, "above must be a whole number from 0 to 9007199254740992 (a count); got 0.5"},
		{"sign test: negative count", NewSignTestFunction(), []attr.Value{fnNumber(-1), fnNumber(5)},
			0, "below must be a whole number from 0 to 9007199254740992 (a count); got -1"},
		{"sign test: more than 10^8 pairs", NewSignTestFunction(), []attr.Value{fnNumber(1e8 - 1000), fnNumber(1e8 + 1000)},
			-1, "below + above is 200000000; sign_test takes at most 100000000 pairs"},
		{"sign test: count beyond 2^53", NewSignTestFunction(), []attr.Value{fnNumber(0), fnNumber(1 << 54)},
			1, "above must be a whole number from 0 to 9007199254740992 (a count); got 18014398509481984"},
		{"holm: p-value above 1", NewHolmAdjustFunction(), []attr.Value{fnNumbers(0.01, 1.5)},
			0, "p_values: p-value 1 is 1.5; every p-value must be between 0 and 1"},
		{"holm: negative p-value", NewHolmAdjustFunction(), []attr.Value{fnNumbers(-0.01)},
			0, "p_values: p-value 0 is -0.01; every p-value must be between 0 and 1"},
		{"holm: null element", NewHolmAdjustFunction(), []attr.Value{nullElement},
			0, "p_values[1] is null"},
		{"mdd: negative sd", NewMinimumDetectableDifferenceFunction(), []attr.Value{fnNumber(-0.1), fnNumber(40), fnNumber(0.95), fnNumber(0.8)},
			0, "sd is -0.1; a standard deviation is at least 0"},
		{"mdd: one pair", NewMinimumDetectableDifferenceFunction(), []attr.Value{fnNumber(0.1), fnNumber(1), fnNumber(0.95), fnNumber(0.8)},
			1, "n is 1; a paired t-test needs at least 2 pairs"},
		{"mdd: fractional pairs", NewMinimumDetectableDifferenceFunction(), []attr.Value{fnNumber(0.1), fnNumber(40.5), fnNumber(0.95), fnNumber(0.8)},
			1, "n must be a whole number"},
		{"mdd: level", NewMinimumDetectableDifferenceFunction(), []attr.Value{fnNumber(0.1), fnNumber(40), fnNumber(1.5), fnNumber(0.8)},
			2, "confidence_level must be between 0 and 1"},
		{"mdd: power 1", NewMinimumDetectableDifferenceFunction(), []attr.Value{fnNumber(0.1), fnNumber(40), fnNumber(0.95), fnNumber(1)},
			3, "power must be between (1 − confidence_level)/2 = 0.025"},
		{"mdd: power below the level's tail", NewMinimumDetectableDifferenceFunction(), []attr.Value{fnNumber(0.1), fnNumber(40), fnNumber(0.95), fnNumber(0.01)},
			3, "power must be between (1 − confidence_level)/2 = 0.025"},
		{"holm: null list", NewHolmAdjustFunction(), []attr.Value{types.ListNull(types.NumberType)},
			0, "p_values must be a list of numbers, not null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, funcErr := runFunction(t, tt.function, tt.args...)
			if funcErr == nil {
				t.Fatalf("no error; result %v", v)
			}
			switch {
			case tt.position < 0 && funcErr.FunctionArgument != nil:
				t.Errorf("error names argument %d, want none (it is about several): %s", *funcErr.FunctionArgument, funcErr.Text)
			case tt.position >= 0 && (funcErr.FunctionArgument == nil || *funcErr.FunctionArgument != tt.position):
				t.Errorf("error names argument %v, want %d: %s", funcErr.FunctionArgument, tt.position, funcErr.Text)
			}
			if !strings.Contains(funcErr.Text, tt.text) {
				t.Errorf("error %q does not contain %q", funcErr.Text, tt.text)
			}
			if strings.HasSuffix(funcErr.Text, ".") {
				t.Errorf("error %q ends with a period; Terraform adds one", funcErr.Text)
			}
		})
	}
}

// Unknown arguments (Terraform does not call a function with them; other
// callers may) give an unknown result of the return type, not an error.
func TestFunction_unknownArguments(t *testing.T) {
	unknownElement := types.ListValueMust(types.NumberType, []attr.Value{fnNumber(1), types.NumberUnknown()})
	for name, run := range map[string]func() (attr.Value, *function.FuncError){
		"paired_interval": func() (attr.Value, *function.FuncError) {
			return runFunction(t, NewPairedIntervalFunction(), unknownElement, fnNumber(0.95), types.BoolValue(false))
		},
		"wilson_interval": func() (attr.Value, *function.FuncError) {
			return runFunction(t, NewWilsonIntervalFunction(), fnNumber(1), types.NumberUnknown(), fnNumber(0.95))
		},
		"sign_test": func() (attr.Value, *function.FuncError) {
			return runFunction(t, NewSignTestFunction(), types.NumberUnknown(), fnNumber(1))
		},
		"holm_adjust": func() (attr.Value, *function.FuncError) {
			return runFunction(t, NewHolmAdjustFunction(), types.ListUnknown(types.NumberType))
		},
		"minimum_detectable_difference": func() (attr.Value, *function.FuncError) {
			return runFunction(t, NewMinimumDetectableDifferenceFunction(), fnNumber(0.1), types.NumberUnknown(), fnNumber(0.95), fnNumber(0.8))
		},
	} {
		v, funcErr := run()
		if funcErr != nil || !v.IsUnknown() {
			t.Errorf("%s: result %v, error %v; want an unknown result", name, v, funcErr)
		}
	}
}
