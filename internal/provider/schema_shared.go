package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
)

// aggregateFunctions are the values HoneyHive accepts for aggregate_function.
var aggregateFunctions = []string{"average", "min", "max", "median", "p90", "p95", "p99", "sum", "count"}

const defaultAggregateFunction = "average"

func waitForCompletionAttribute(what string) schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: "Wait until " + what + " finished before reading: poll the run's status (quickly at " +
			"first, then at most every " + honeyhive.DefaultPollMax.String() + ") until it is `completed`, `failed` or " +
			"`cancelled`, and while a completed run's result still lists no metrics (fresh runs briefly do). A failed " +
			"or cancelled run is read, not an error: assert on its status. The wait ends with an error naming the " +
			"run, its last status and how long it waited at `timeouts.read`. Defaults to `false`: read the run as it is.",
		Optional: true,
	}
}

func timeoutsBlock(ctx context.Context) schema.Block {
	return timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: "Time limit for the whole read, waiting included, such as `\"30m\"` (a Go duration: `s`, `m`, `h`). " +
			"Defaults to `\"" + defaultReadTimeout.String() + "\"`.",
	})
}

func confidenceLevelAttribute(what string) schema.Float64Attribute {
	return schema.Float64Attribute{
		MarkdownDescription: "Confidence level of " + what + ", strictly between 0 and 1. Defaults to `0.95`.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.Float64{confidenceLevelValidator{}},
	}
}

func aggregateFunctionAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "How HoneyHive aggregates each metric's per-datapoint values into `aggregate`: one of `" +
			strings.Join(aggregateFunctions, "`, `") + "`. Defaults to `" + defaultAggregateFunction + "`. " +
			"Booleans count as 1 and 0.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{stringvalidator.OneOf(aggregateFunctions...)},
	}
}

func runIDAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " Usually a UUID, but any string HoneyHive accepts is allowed.",
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func stringAttr(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}

func numberAttr(description string) schema.NumberAttribute {
	return schema.NumberAttribute{MarkdownDescription: description, Computed: true}
}

func int64Attr(description string) schema.Int64Attribute {
	return schema.Int64Attribute{MarkdownDescription: description, Computed: true}
}

func boolAttr(description string) schema.BoolAttribute {
	return schema.BoolAttribute{MarkdownDescription: description, Computed: true}
}

func stringListAttr(description string) schema.ListAttribute {
	return schema.ListAttribute{MarkdownDescription: description, Computed: true, ElementType: types.StringType}
}

func numberListAttr(description string) schema.ListAttribute {
	return schema.ListAttribute{MarkdownDescription: description, Computed: true, ElementType: types.NumberType}
}

// attrTypesOf derives a nested object's attribute types from its schema, so the
// schema is the only place an attribute is declared.
func attrTypesOf(o schema.NestedAttributeObject) map[string]attr.Type {
	return o.Type().(types.ObjectType).AttrTypes
}

// metricObject describes one aggregated metric of a run.
var metricObject = schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
	"metric_name": stringAttr("Name of the metric (the evaluator)."),
	"metric_type": stringAttr("Kind of evaluator that produced the metric, such as `PYTHON`, `LLM`, `HUMAN`, " +
		"`COMPOSITE` or `CLIENT_SIDE`. Null when the server does not say."),
	"event_name": stringAttr("Name of the traced event the metric was computed on, such as a chain or tool step. " +
		"Null when the server does not say."),
	"event_type": stringAttr("Type of that event, such as `model`, `tool` or `chain`. Null when the server does not say."),
	"aggregate": numberAttr("The metric aggregated over the run's datapoints with `aggregation_function`, in the " +
		"metric's own unit. Booleans are 1 (true) and 0 (false). Null when the server sent null or a value that is " +
		"not a number (read it in `aggregate_text`), so a gate on it fails rather than passing by accident."),
	"aggregate_text": stringAttr("The aggregate exactly as the server sent it: a number's digits, `true`/`false`, " +
		"a string's text, or JSON for anything else. Null when the server sent null."),
	"passing_range": schema.SingleNestedAttribute{
		MarkdownDescription: "Range of values within which the metric passes a datapoint, in the metric's unit. " +
			"Null when the metric has none.",
		Computed: true,
		Attributes: map[string]schema.Attribute{
			"min": numberAttr("Lowest passing value. Null when unbounded or not a number."),
			"max": numberAttr("Highest passing value. Null when unbounded or not a number."),
		},
	},
	"datapoints": schema.SingleNestedAttribute{
		MarkdownDescription: "This metric's results per datapoint: how many datapoints passed and failed it and, " +
			"with `include_datapoints = true`, which ones and the metric's value on each. Null when the server sent " +
			"no lists of passed and failed datapoints for the metric (and there are no values), so that " +
			"`datapoints.failed_count == 0` cannot pass on missing data.",
		Computed: true,
		Attributes: map[string]schema.Attribute{
			"passed_count": int64Attr("Number of datapoints that passed this metric, whatever `include_datapoints` " +
				"is. " + idListNote + " Null when the server sent no list."),
			"failed_count": int64Attr("Number of datapoints that failed this metric, whatever `include_datapoints` " +
				"is. " + idListNote + " Null when the server sent no list."),
			"passed": stringListAttr("IDs of the datapoints that passed this metric, in the server's order. " +
				runListNote + " Null also when the server sent no list."),
			"failed": stringListAttr("IDs of the datapoints that failed this metric, in the server's order. " +
				runListNote + " Null also when the server sent no list."),
			"values": schema.MapAttribute{
				MarkdownDescription: "The metric's value on each datapoint, keyed by datapoint ID (the session ID for " +
					"a datapoint without one), in the metric's unit: `values[\"dp-07\"]`. Booleans are 1 and 0; a " +
					"value that is null or not a number is null (read a string in `values_text`); a datapoint the " +
					"metric did not run on has no key. This is the one place per-datapoint values are stored. " +
					runListNote + " Null also when the server sent no datapoints.",
				Computed:    true,
				ElementType: types.NumberType,
			},
			"values_text": schema.MapAttribute{
				MarkdownDescription: "The values `values` cannot show, as the server sent them, keyed by datapoint ID: " +
					"strings (a grade such as `\"B\"`) and any other JSON. Numbers, booleans and nulls are not " +
					"repeated here. " + runListNote,
				Computed:    true,
				ElementType: types.StringType,
			},
		},
	},
}}

// runListNote says when a run's metric entry holds its per-datapoint data.
const runListNote = nullUnlessIncluded + " In `metric_details`, null for the entry `metrics` holds (read it there)."

// idListNote says how a list of passed or failed datapoint IDs is counted
// (internal/models consistency.go).
const idListNote = "Null or empty IDs are skipped and a repeated ID counts once, with a warning; an ID in both " +
	"the passed and the failed list is an error."

// countsFollowListsNote says what a comparison entry's counts are when the
// server's lists disagree with them (internal/models consistency.go).
const countsFollowListsNote = "The length of the server's list when it sends one, whatever `include_datapoints` " +
	"is (null or empty IDs skipped, a repeated ID counted once); a count that disagrees with its list is " +
	"replaced by the list's length, with a warning. Else the count as sent; null when neither is sent."

// deltaListNote says when a comparison entry's per-datapoint list is there.
const deltaListNote = nullUnlessIncluded + " In `metric_delta_details`, null for the entry `metric_deltas` holds " +
	"(read it there). Null also when not sent."

// metricDeltaObject describes one metric's comparison between two runs.
var metricDeltaObject = schema.NestedAttributeObject{Attributes: withAttributes(map[string]schema.Attribute{
	"metric_name": stringAttr("Name of the metric (the evaluator). Null for an entry HoneyHive sent without a " +
		"name, which only `metric_delta_details` holds."),
	"metric_type": stringAttr("Kind of evaluator, such as `PYTHON`, `LLM` or `CLIENT_SIDE`. Null when not sent."),
	"event_name":  stringAttr("Name of the traced event the metric was computed on. Null when not sent."),
	"event_type":  stringAttr("Type of that event, such as `model` or `tool`. Null when not sent."),
	"old_aggregate": numberAttr("The old (baseline) run's aggregate, in the metric's unit. Booleans are 1 and 0. " +
		"Null when HoneyHive sends none (such as for a metric the old run lacks) or sends one that is not a number."),
	"new_aggregate": numberAttr("The new (candidate) run's aggregate, in the metric's unit. Booleans are 1 and 0. " +
		"Null when HoneyHive sends none (such as for a metric the new run lacks) or sends one that is not a number."),
	"difference": numberAttr("`new_aggregate - old_aggregate` as computed by HoneyHive, in the metric's unit: " +
		"positive means the value went up, whether or not that is better for this metric. Null when HoneyHive " +
		"sends none or sends one that is not a number, such as when either aggregate is missing. It compares the " +
		"aggregates even when the runs share no datapoint (`common_datapoints` is 0, which a warning reports)."),
	"percentage_change": numberAttr("`difference` as a percentage of the old aggregate (`6.25` means +6.25 %). " +
		"Null when HoneyHive sends none, such as when the old aggregate is 0."),
	"found_count": int64Attr("Number of common datapoints on which HoneyHive found the metric in both runs: " +
		"`improved_count + degraded_count + same_count` when the server sends all three lists, else as sent. " +
		countsFollowListsNote),
	"improved_count": int64Attr("Number of datapoints whose value went up in the new run, as HoneyHive judges it. " +
		countsFollowListsNote),
	"degraded_count": int64Attr("Number of datapoints whose value went down in the new run. " + countsFollowListsNote),
	"same_count":     int64Attr("Number of datapoints whose value did not change. " + countsFollowListsNote),
	"improved":       stringListAttr("IDs of the datapoints counted in `improved_count`. " + deltaListNote),
	"degraded":       stringListAttr("IDs of the datapoints counted in `degraded_count`. " + deltaListNote),
	"same":           stringListAttr("IDs of the datapoints counted in `same_count`. " + deltaListNote),
	"old_values": numberListAttr("The old run's per-datapoint values as HoneyHive sends them, in the server's " +
		"order, not keyed by datapoint (the paired statistics pair values by datapoint themselves). Booleans are " +
		"1 and 0; an element is null where the value was null or not a number. " + deltaListNote),
	"new_values": numberListAttr("The new run's per-datapoint values, likewise. " + deltaListNote),
	"lower_is_better": boolAttr("Whether the metric is listed in the `lower_is_better` argument, which sets the " +
		"direction `verdict` reads in."),
	"paired_count": int64Attr("Number of datapoints paired by `datapoint_id` across the two runs' summaries with a " +
		"numeric value (booleans as 1 and 0) on both sides: the `n` of the statistics below."),
	"skipped_count": int64Attr("Number of common datapoints left out of the pairing because the value was null, " +
		"not a number, or missing on one side."),
	"mean_difference": numberAttr("Mean of the paired differences `new - old`, in the metric's unit. Unlike " +
		"`difference`, which compares two aggregates over possibly different datapoints, it compares each datapoint " +
		"with itself. Null when no datapoint paired (`paired_count` is 0): the runs share no datapoint " +
		"(`common_datapoints` is 0, which a warning reports), or none has a numeric value on both sides."),
	"ci_lower": numberAttr("Lower bound of the two-sided Student-t confidence interval for the mean paired difference " +
		"at `confidence_level`, in the metric's unit: `mean ± t(1 - (1 - level)/2, n - 1) · sd / √n`. " +
		"`ci_lower >= -0.02` says, with that confidence, the new run is not worse than the old by more than 0.02 " +
		"(for a higher-is-better metric). Null when fewer than 2 datapoints paired (`paired_count < 2`), as when the " +
		"runs share no datapoint. A condition on a null value fails with Terraform's \"argument must not be null\": " +
		"gate on `paired_count` (or `common_datapoints`) first for a message that says why."),
	"ci_upper": numberAttr("Upper bound of that interval, in the metric's unit. For a lower-is-better metric, " +
		"`ci_upper <= margin` is the non-inferiority gate. Null when `ci_lower` is."),
	"p_value": numberAttr("Two-sided p-value, from 0 to 1, of an exact sign test on the pairs (ties dropped): the " +
		"chance of a split between ups and downs at least this lopsided if the change made no difference. " +
		"Never null: 1 when no pair changed, and so also when nothing paired (check `paired_count`)."),
	"verdict": stringAttr("`improved` or `regressed` when the confidence interval excludes 0 (read in the metric's " +
		"direction, see `lower_is_better`); `inconclusive` when it contains 0; `unchanged` when every paired " +
		"difference is 0; `insufficient_data` when fewer than 2 datapoints paired."),
}, metricDeltaOutcomeAttributes, metricDeltaFamilyAttributes)}

var (
	metricAttrTypes       = attrTypesOf(metricObject)
	metricDeltaAttrTypes  = attrTypesOf(metricDeltaObject)
	passingRangeAttrTypes = metricAttrTypes["passing_range"].(types.ObjectType).AttrTypes
	metricDPsAttrTypes    = metricAttrTypes["datapoints"].(types.ObjectType).AttrTypes
)

// withAttributes returns attributes with those of each of more added; a name
// declared twice is a bug, and panics at start-up.
func withAttributes(attributes map[string]schema.Attribute, more ...map[string]schema.Attribute) map[string]schema.Attribute {
	for _, m := range more {
		for name, a := range m {
			if _, dup := attributes[name]; dup {
				panic("provider: attribute " + name + " declared twice")
			}
			attributes[name] = a
		}
	}
	return attributes
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

// nullUnlessIncluded ends the description of every per-datapoint attribute.
const nullUnlessIncluded = "Null unless `include_datapoints = true`."

// includeDatapointsAttribute is the switch that keeps per-datapoint lists
// (what) in state. stays says what is there either way.
func includeDatapointsAttribute(what, stays string) schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: "Whether to keep per-datapoint data in state: " + what + ". Defaults to `false`: " +
			"those attributes are then null, and state holds what gates read (counts, aggregates, statistics), " +
			"which keeps plans fast and state small however many datapoints the runs have. Set it to `true` to " +
			"name datapoints in messages or to compute your own statistics; each per-datapoint value is then " +
			"stored once (see the data source's documentation). " + stays,
		Optional: true,
		Computed: true,
	}
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
