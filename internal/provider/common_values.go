package provider

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// Attribute values the data sources share: numbers and lists from what the
// API sent, and metric entries keyed by name with their lists placed once.

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

// optionalJSON returns JSON text as the server sent it, null for none.
func optionalJSON(raw []byte) types.String {
	if raw == nil {
		return types.StringNull()
	}
	return types.StringValue(string(raw))
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

// keyByFirstName keys values (one per metric entry) by their entry's name,
// keeping the entry byNameIndex chooses, and warns once per repeated name, in
// order of first appearance. names[i] and eventNames[i] describe values[i].
func keyByFirstName(names []string, eventNames []*string, values []attr.Value, mapAttr, listAttr string) (map[string]attr.Value, diag.Diagnostics) {
	index := byNameIndex(names)
	byName := make(map[string]attr.Value, len(index))
	events := make(map[string][]string)
	var order []string
	for i, name := range names {
		if index[name] == i {
			byName[name] = values[i]
			order = append(order, name)
		}
		events[name] = append(events[name], eventLabel(eventNames[i]))
	}
	var diags diag.Diagnostics
	for _, name := range order {
		if evs := events[name]; len(evs) > 1 {
			diags.AddWarning(repeatedNameWarning(name, evs, mapAttr, listAttr))
		}
	}
	return byName, diags
}

// byNameIndex returns, per metric name, the entry a map keyed by name holds:
// the first entry of the name, as the SDK's get_metric() does.
func byNameIndex(names []string) map[string]int {
	index := make(map[string]int, len(names))
	for i, name := range names {
		if _, seen := index[name]; !seen {
			index[name] = i
		}
	}
	return index
}

// listPlacement says where each metric entry's per-datapoint lists go, so
// that each is stored once: with the entry a map keyed by name holds, in
// the map; with the other entries of a repeated name, in the details list;
// nowhere without include_datapoints.
type listPlacement struct {
	include bool
	inMap   []bool // entry i is the one the map holds under its name
}

func placeDatapointLists(names []string, include bool) listPlacement {
	index := byNameIndex(names)
	inMap := make([]bool, len(names))
	for i, name := range names {
		inMap[i] = name != "" && index[name] == i // unnamed entries are in no map
	}
	return listPlacement{include: include, inMap: inMap}
}

// values returns entry i's value in the details list and in the map (which
// ignores it unless the entry is the one it holds), from build(lists) that
// builds the entry with or without its lists.
func (p listPlacement) values(i int, build func(lists bool) attr.Value) (detail, byName attr.Value) {
	switch {
	case !p.include:
		v := shared(build(false)) // the same value in both places
		return v, v
	case p.inMap[i]:
		return build(false), build(true)
	default:
		v := build(true)
		return v, v
	}
}

// repeatedNameWarning explains which entry a map keyed by metric name holds when
// a name repeats across events.
func repeatedNameWarning(name string, events []string, mapAttr, listAttr string) (summary, detail string) {
	return "Metric name repeats across events",
		fmt.Sprintf("The metric %q appears %d times, for the events %s. %s[%q] holds the first (event %s), as the "+
			"HoneyHive SDK's get_metric() does; every entry is in %s, with its event_name.",
			honeyhive.ServerText(name), len(events), strings.Join(events, ", "), mapAttr, honeyhive.ServerText(name), events[0], listAttr)
}

// eventLabel names an entry's event for messages.
func eventLabel(eventName *string) string {
	if eventName == nil {
		return "(unnamed)"
	}
	return fmt.Sprintf("%q", honeyhive.ServerText(*eventName))
}
