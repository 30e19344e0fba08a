package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

var (
	_ datasource.DataSource              = (*experimentRunDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*experimentRunDataSource)(nil)
)

// NewExperimentRunDataSource returns the honeyhive_experiment_run data source.
func NewExperimentRunDataSource() datasource.DataSource { return &experimentRunDataSource{} }

// experimentRunDataSource reads one run's result summary (the SDK's
// ExperimentResultSummary).
type experimentRunDataSource struct {
	client *honeyhive.Client
}

type experimentRunModel struct {
	RunID               types.String   `tfsdk:"run_id"`
	AggregateFunction   types.String   `tfsdk:"aggregate_function"`
	WaitForCompletion   types.Bool     `tfsdk:"wait_for_completion"`
	IncludeDatapoints   types.Bool     `tfsdk:"include_datapoints"`
	ConfidenceLevel     types.Float64  `tfsdk:"confidence_level"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
	Name                types.String   `tfsdk:"name"`
	Description         types.String   `tfsdk:"description"`
	DatasetID           types.String   `tfsdk:"dataset_id"`
	DatasetName         types.String   `tfsdk:"dataset_name"`
	CreatedAt           types.String   `tfsdk:"created_at"`
	UpdatedAt           types.String   `tfsdk:"updated_at"`
	Metadata            types.String   `tfsdk:"metadata"`
	Status              types.String   `tfsdk:"status"`
	Success             types.Bool     `tfsdk:"success"`
	Error               types.String   `tfsdk:"error"`
	Passed              types.List     `tfsdk:"passed"`
	Failed              types.List     `tfsdk:"failed"`
	PassedCount         types.Int64    `tfsdk:"passed_count"`
	FailedCount         types.Int64    `tfsdk:"failed_count"`
	PassRate            types.Number   `tfsdk:"pass_rate"`
	PassRateCILower     types.Number   `tfsdk:"pass_rate_ci_lower"`
	PassRateCIUpper     types.Number   `tfsdk:"pass_rate_ci_upper"`
	DatapointCount      types.Int64    `tfsdk:"datapoint_count"`
	AggregationFunction types.String   `tfsdk:"aggregation_function"`
	MetricNames         types.List     `tfsdk:"metric_names"`
	Metrics             types.Map      `tfsdk:"metrics"`
	MetricDetails       types.List     `tfsdk:"metric_details"`
	SessionIDs          types.Map      `tfsdk:"session_ids"`
}

func (d *experimentRunDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_experiment_run"
}

func (d *experimentRunDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the result summary of one HoneyHive experiment run: its status, which datapoints " +
			"passed, and every metric aggregated over the run. Assert on it with `postcondition`, `precondition` " +
			"and `check` blocks to gate a deploy on evaluation quality. Values are read on every plan.",
		Attributes: map[string]schema.Attribute{
			"run_id":              runIDAttribute("ID of the experiment run to read."),
			"aggregate_function":  aggregateFunctionAttribute(),
			"wait_for_completion": waitForCompletionAttribute("the run has"),
			"include_datapoints": includeDatapointsAttribute("the `passed` and `failed` ID lists, `session_ids`, and "+
				"each metric's `datapoints.passed`, `datapoints.failed`, `datapoints.values` and `datapoints.values_text`",
				"Counts (`passed_count`, `failed_count`, `datapoint_count`, each metric's `datapoints.passed_count` and "+
					"`datapoints.failed_count`), `pass_rate` and its interval, and the aggregates are computed from the "+
					"full summary either way."),
			"confidence_level": confidenceLevelAttribute("the `pass_rate` interval (`pass_rate_ci_lower`, `pass_rate_ci_upper`)"),
			"name":             stringAttr("The run's name, such as `nightly-main`. Null when it has none."),
			"description":      stringAttr("The run's description. Null when it has none."),
			"dataset_id":       stringAttr("ID of the dataset the run evaluated. Compare it with the baseline's to refuse a comparison across datasets. Null when the run has no dataset."),
			"dataset_name":     stringAttr("Name of that dataset. Null when not known."),
			"created_at":       stringAttr("When the run was created, as HoneyHive reports it (an RFC 3339 timestamp such as `2026-05-01T12:00:00.000Z`)."),
			"updated_at":       stringAttr("When the run last changed, in the same format. Null when never updated."),
			"metadata": stringAttr("The run's metadata object as a JSON string, since its shape is yours: read a " +
				"field with `jsondecode(metadata).git_sha`. Null when the run has none."),
			"status": stringAttr("The run's status: `pending`, `running`, `completed`, `failed` or `cancelled`. " +
				"A status HoneyHive adds later is passed through as it is. Taken from the run object when the " +
				"summary has none; null when neither says. Gate on `status == \"completed\"` before trusting the " +
				"metrics: reading a run that has not completed, or a completed one that lists no metrics, gives a warning."),
			"success": boolAttr("HoneyHive's own verdict that the run succeeded. `false` when the server sends none."),
			"error":   stringAttr("The run's error message, when HoneyHive reports one; otherwise null."),
			"passed": stringListAttr("IDs of the datapoints on which every metric passed. " + nullUnlessIncluded +
				" Null also when the server sent no list."),
			"failed": stringListAttr("IDs of the datapoints on which at least one metric failed. " + nullUnlessIncluded +
				" Null also when the server sent no list."),
			"passed_count": int64Attr("Number of datapoints on which every metric passed (the length of the server's " +
				"`passed` list), whatever `include_datapoints` is. " + idListNote + " Null when the server sent no list."),
			"failed_count": int64Attr("Number of datapoints on which at least one metric failed (the length of the " +
				"server's `failed` list), whatever `include_datapoints` is. " + idListNote + " Null when the server " +
				"sent no list."),
			"pass_rate": numberAttr("Fraction of the judged datapoints that passed, `passed_count / (passed_count + " +
				"failed_count)`, from 0 to 1 (not a percentage). Null when no datapoint was judged."),
			"pass_rate_ci_lower": numberAttr("Lower bound of the Wilson score interval for the pass rate at " +
				"`confidence_level`, from 0 to 1: with a few dozen datapoints the observed `pass_rate` moves by chance, " +
				"so `pass_rate_ci_lower >= 0.8` is a gate that does not flap. Null when no datapoint was judged."),
			"pass_rate_ci_upper": numberAttr("Upper bound of that interval, from 0 to 1. Null when no datapoint was judged."),
			"datapoint_count": int64Attr("Number of datapoints the server sent, whatever `include_datapoints` is, each " +
				"counted once by its ID (its `datapoint_id`, else its session ID); one with neither is skipped, with a " +
				"warning. Null when the server sent no list."),
			"aggregation_function": stringAttr("The aggregation HoneyHive applied, as it reports it (normally " +
				"`aggregate_function`). Null when not sent."),
			"metric_names": stringListAttr("Names of the run's metrics in the server's order, as the SDK's " +
				"`list_metrics()` returns them: a name appears once per event it was computed on."),
			"metrics": schema.MapNestedAttribute{
				MarkdownDescription: "The run's aggregated metrics keyed by metric name, so that " +
					"`metrics[\"accuracy\"].aggregate >= 0.9` works as written. Where a name repeats across events, " +
					"the map holds the first entry, like the SDK's `get_metric()`, and a warning says so; " +
					"`metric_details` has every entry. Reading a name that is not there is an error, so a gate on a " +
					"missing metric fails rather than passes. Both of HoneyHive's formats (the `details` list and " +
					"the legacy per-key object) are read.",
				Computed:     true,
				NestedObject: metricObject,
			},
			"metric_details": schema.ListNestedAttribute{
				MarkdownDescription: "Every aggregated metric entry in the server's order, including repeated names " +
					"(one entry per event), with the same attributes as `metrics`. Each per-datapoint list is stored " +
					"once: those of the entry `metrics` holds under its name are read there and are null here; the " +
					"other entries of a repeated name have theirs here.",
				Computed:     true,
				NestedObject: metricObject,
			},
			"session_ids": schema.MapAttribute{
				MarkdownDescription: "The session (the trace HoneyHive evaluated) of each datapoint, keyed by " +
					"datapoint ID, for the datapoints that have both. " + nullUnlessIncluded + " Null also when " +
					"the server sent no datapoints.",
				Computed:    true,
				ElementType: types.StringType,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *experimentRunDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *experimentRunDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state experimentRunModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setResultDefaults(&state.AggregateFunction, &state.ConfidenceLevel, &state.IncludeDatapoints)

	ctx, cancel, diags := withReadTimeout(ctx, state.Timeouts)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	start := time.Now()
	summary, err := readSummary(ctx, d.client, state.RunID.ValueString(), state.AggregateFunction.ValueString(),
		state.WaitForCompletion.ValueBool(), runDecodeOptions(state.IncludeDatapoints.ValueBool()))
	if err != nil {
		resp.Diagnostics.AddError(readFailureSummary(err, "Could not read HoneyHive experiment run"), sentence(readFailureDetail(err)))
		return
	}
	run := summary.RunObject
	if run == nil {
		// Older deployments leave run_object out of the summary.
		if run, err = d.client.GetRun(ctx, state.RunID.ValueString()); err != nil {
			resp.Diagnostics.AddError(readFailureSummary(err, "Could not read HoneyHive experiment run"), sentence(err.Error()))
			return
		}
	}
	fetched := time.Now()
	if summary.Status == "" {
		summary.Status = run.Status // a summary without a status of its own
	}
	setRunFacts(&state, run)
	resp.Diagnostics.Append(setExperimentRun(&state, summary)...)
	resp.Diagnostics.Append(runResultWarnings(roleRun, summary, state.WaitForCompletion.ValueBool())...)
	resp.Diagnostics.Append(summaryAnomalyWarning(roleRun, summary)...)
	resp.Diagnostics.Append(setStateDirect(ctx, &resp.State, &state)...)
	// Where a read's time goes, for `make bench` and for users of large runs.
	tflog.Debug(ctx, "read HoneyHive experiment run", map[string]any{
		"run_id":              state.RunID.ValueString(),
		"datapoints":          state.DatapointCount.ValueInt64(),
		"include_datapoints":  state.IncludeDatapoints.ValueBool(),
		"fetch_and_decode_ms": fetched.Sub(start).Milliseconds(),
		"build_state_ms":      time.Since(fetched).Milliseconds(),
	})
}

// runDecodeOptions is what Read keeps of a summary: never each metric's
// values (state holds per-datapoint values under datapoints only), and
// without includeDatapoints the datapoints' number, not their contents.
func runDecodeOptions(includeDatapoints bool) models.SummaryDecodeOptions {
	return models.SummaryDecodeOptions{SkipDatapoints: !includeDatapoints, SkipMetricValues: true}
}

// setRunFacts fills what the run is, from its run object.
func setRunFacts(m *experimentRunModel, r *models.Run) {
	m.Name = optionalString(r.Name)
	m.Description = optionalString(r.Description)
	m.DatasetID = optionalString(r.DatasetID)
	m.DatasetName = optionalString(r.DatasetName)
	m.CreatedAt = optionalString(r.CreatedAt)
	m.UpdatedAt = optionalString(r.UpdatedAt)
	m.Metadata = optionalJSON(r.Metadata)
}

// setExperimentRun fills the computed attributes from a summary. Warnings about
// repeated metric names are returned as diagnostics.
func setExperimentRun(m *experimentRunModel, s *models.ExperimentResultSummary) diag.Diagnostics {
	m.Status = optionalStatus(s.Status)
	m.Success = types.BoolValue(s.Success)
	m.Error = optionalString(s.Error)
	includeDatapoints := m.IncludeDatapoints.ValueBool()
	m.Passed, m.Failed = types.ListNull(types.StringType), types.ListNull(types.StringType)
	if includeDatapoints {
		m.Passed, m.Failed = stringList(s.Passed), stringList(s.Failed)
	}
	m.PassedCount, m.FailedCount = listLength(s.Passed), listLength(s.Failed)
	m.PassRate, m.PassRateCILower, m.PassRateCIUpper = types.NumberNull(), types.NumberNull(), types.NumberNull()
	if s.Passed != nil || s.Failed != nil {
		judged := len(s.Passed) + len(s.Failed)
		m.PassRate = ratio(len(s.Passed), judged)
		lower, upper, ok := stats.WilsonInterval(len(s.Passed), judged, m.ConfidenceLevel.ValueFloat64())
		m.PassRateCILower, m.PassRateCIUpper = floatNumber(lower, ok), floatNumber(upper, ok)
	}
	m.AggregationFunction = optionalString(s.Metrics.AggregationFunction)
	m.MetricNames = emptyableStringList(s.Metrics.ListMetrics())

	entries := s.Metrics.Entries()
	names := make([]string, len(entries))
	eventNames := make([]*string, len(entries))
	for i, e := range entries {
		names[i], eventNames[i] = e.MetricName, e.EventName
	}
	// Each entry's values keyed by datapoint, when they go in state; the
	// summary was decoded without the datapoints otherwise.
	var values [][]models.DatapointValue
	if includeDatapoints && s.Datapoints != nil {
		values = s.ValuesByDatapoint()
	}
	placement := placeDatapointLists(names, includeDatapoints)
	details := make([]attr.Value, len(entries))
	byNameValues := make([]attr.Value, len(entries))
	for i, e := range entries {
		var entryValues []models.DatapointValue
		if values != nil {
			entryValues = values[i]
		}
		details[i], byNameValues[i] = placement.values(i, func(lists bool) attr.Value {
			return metricValue(e, lists, entryValues) // values are read with lists only
		})
	}
	byName, diags := keyByFirstName(names, eventNames, byNameValues, "metrics", "metric_details")
	m.MetricDetails = types.ListValueMust(types.ObjectType{AttrTypes: metricAttrTypes}, details)
	m.Metrics = types.MapValueMust(types.ObjectType{AttrTypes: metricAttrTypes}, byName)

	m.DatapointCount = types.Int64Null()
	if s.DatapointCount != nil {
		m.DatapointCount = types.Int64Value(int64(*s.DatapointCount))
	}
	m.SessionIDs = types.MapNull(types.StringType)
	if includeDatapoints && s.Datapoints != nil {
		m.SessionIDs = sessionIDs(s.Datapoints)
	}
	return diags
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

var (
	metricAttrTypes       = attrTypesOf(metricObject)
	passingRangeAttrTypes = metricAttrTypes["passing_range"].(types.ObjectType).AttrTypes
	metricDPsAttrTypes    = metricAttrTypes["datapoints"].(types.ObjectType).AttrTypes
)

// metricValue returns one metric entry as a Terraform object. With lists,
// its datapoints carry the entry's per-datapoint ID lists and its values keyed
// by datapoint (values, nil when the summary lists no datapoints); without,
// those are null, and the counts are there either way. Each per-datapoint
// value is stored here only: Terraform formats every number it stores at full
// precision each time it writes state (about 25µs a number), and every
// attribute costs it more than the bytes it takes in the body.
func metricValue(d models.MetricDetail, lists bool, values []models.DatapointValue) attr.Value {
	passingRange := types.ObjectNull(passingRangeAttrTypes)
	if d.PassingRange != nil {
		passingRange = types.ObjectValueMust(passingRangeAttrTypes, map[string]attr.Value{
			"min": numberFromValue(d.PassingRange.Min),
			"max": numberFromValue(d.PassingRange.Max),
		})
	}
	return types.ObjectValueMust(metricAttrTypes, map[string]attr.Value{
		"metric_name":    types.StringValue(d.MetricName),
		"metric_type":    optionalString(d.MetricType),
		"event_name":     optionalString(d.EventName),
		"event_type":     optionalString(d.EventType),
		"aggregate":      numberFromValue(d.Aggregate),
		"aggregate_text": textFromValue(d.Aggregate),
		"passing_range":  passingRange,
		"datapoints":     metricDatapoints(d.Datapoints, lists, values),
	})
}

// metricDatapoints returns a metric entry's datapoints object: null when the
// server sent no ID lists for it and there are no values to hold.
func metricDatapoints(ids *models.MetricDatapoints, lists bool, values []models.DatapointValue) attr.Value {
	if ids == nil && (!lists || values == nil) {
		return types.ObjectNull(metricDPsAttrTypes)
	}
	if ids == nil {
		ids = &models.MetricDatapoints{}
	}
	passed, failed := types.ListNull(types.StringType), types.ListNull(types.StringType)
	byID, texts := types.MapNull(types.NumberType), types.MapNull(types.StringType)
	if lists {
		passed, failed = stringList(ids.Passed), stringList(ids.Failed)
		if values != nil {
			byID, texts = valuesByDatapoint(values)
		}
	}
	return types.ObjectValueMust(metricDPsAttrTypes, map[string]attr.Value{
		"passed":       passed,
		"failed":       failed,
		"passed_count": listLength(ids.Passed),
		"failed_count": listLength(ids.Failed),
		"values":       byID,
		"values_text":  texts,
	})
}

// valuesByDatapoint returns an entry's values keyed by datapoint ID as
// numbers (booleans as 1 and 0, null for anything else), and the text of
// those that are not numbers nor null (strings and other JSON), which the
// numbers cannot show.
func valuesByDatapoint(values []models.DatapointValue) (types.Map, types.Map) {
	numbers := make(map[string]attr.Value, len(values))
	texts := map[string]attr.Value{}
	for _, v := range values {
		numbers[v.DatapointID] = numberFromValue(v.Value)
		if k := v.Value.Kind(); k == models.KindString || k == models.KindOther {
			texts[v.DatapointID] = textFromValue(v.Value)
		}
	}
	return types.MapValueMust(types.NumberType, numbers), types.MapValueMust(types.StringType, texts)
}

// sessionIDs returns each datapoint's session ID keyed by its datapoint ID,
// for the datapoints that have both; the first of a repeated ID counts.
func sessionIDs(datapoints []models.DatapointResult) types.Map {
	ids := make(map[string]attr.Value, len(datapoints))
	for _, dp := range datapoints {
		if dp.DatapointID == nil || dp.SessionID == nil {
			continue
		}
		if _, dup := ids[*dp.DatapointID]; !dup {
			ids[*dp.DatapointID] = types.StringValue(*dp.SessionID)
		}
	}
	return types.MapValueMust(types.StringType, ids)
}
