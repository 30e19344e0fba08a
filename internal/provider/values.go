package provider

import (
	"math"
	"math/big"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// numberFromValue returns a metric value as a Terraform number: numbers from
// their JSON text, booleans as 1 and 0, null for anything else (its text stays
// readable in the matching *_text attribute).
func numberFromValue(v models.Value) types.Number {
	switch v.Kind() {
	case models.KindNumber:
		text, _ := v.Text()
		// From the JSON text, as jsondecode reads the same body.
		if f, err := models.ParseNumber(text); err == nil {
			return types.NumberValue(f)
		}
	case models.KindBool:
		f, _ := v.Float64()
		return types.NumberValue(new(big.Float).SetPrec(models.NumberPrecision).SetFloat64(f))
	}
	return types.NumberNull()
}

// textFromValue returns a metric value as the API sent it, in words: a number's
// JSON text, "true"/"false", a string's content, or JSON for anything else.
func textFromValue(v models.Value) types.String {
	if t, ok := v.Text(); ok {
		return types.StringValue(t)
	}
	return types.StringNull()
}

// ratio returns num/den, or null when den is 0 (see floatNumber).
func ratio(num, den int) types.Number {
	if den == 0 {
		return types.NumberNull()
	}
	return floatNumber(float64(num)/float64(den), true)
}

// floatNumber returns a computed float64 as the shortest decimal that
// identifies it, or null when !ok: readable in plans (7/9 is
// 0.7777777777777778, not 155 digits) and exactly the literal users compare it
// with where one exists (7/10 is 0.7).
func floatNumber(f float64, ok bool) types.Number {
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return types.NumberNull()
	}
	text := strconv.FormatFloat(f, 'g', -1, 64)
	n, err := models.ParseNumber(text)
	if err != nil {
		return types.NumberNull() // unreachable for a finite float64
	}
	return types.NumberValue(n)
}

func numberList(values []models.Value) types.List {
	if values == nil {
		return types.ListNull(types.NumberType)
	}
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = numberFromValue(v)
	}
	return types.ListValueMust(types.NumberType, elems)
}

// stringList returns ids as a list; a missing list (nil) is null so that a gate
// on it fails closed instead of reading "no failures".
func stringList(ids []string) types.List {
	if ids == nil {
		return types.ListNull(types.StringType)
	}
	return emptyableStringList(ids)
}

// emptyableStringList returns ids as a list, an empty list for nil.
func emptyableStringList(ids []string) types.List {
	elems := make([]attr.Value, len(ids))
	for i, id := range ids {
		elems[i] = types.StringValue(id)
	}
	return types.ListValueMust(types.StringType, elems)
}

// listLength returns the length of a list, or null for a missing (nil) one.
func listLength[T any](list []T) types.Int64 {
	if list == nil {
		return types.Int64Null()
	}
	return types.Int64Value(int64(len(list)))
}

func optionalString(s *string) types.String {
	if s == nil {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// optionalName returns a metric name, null for an entry without one.
func optionalName(name string) types.String {
	if name == "" {
		return types.StringNull()
	}
	return types.StringValue(name)
}

// optionalStatus returns a run status, null when the server sent none.
func optionalStatus(s models.ExperimentRunStatus) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s.String())
}

func optionalInt64(n *int64) types.Int64 {
	if n == nil {
		return types.Int64Null()
	}
	return types.Int64Value(*n)
}
