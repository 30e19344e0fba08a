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
	Datapoints          types.List     `tfsdk:"datapoints"`
}

// datapointMetricObject describes one metric's value on one datapoint.
var datapointMetricObject = schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
	"name":       stringAttr("Name of the metric."),
	"event_name": stringAttr("Name of the event the value was computed on. Null when not sent."),
	"event_type": stringAttr("Type of that event. Null when not sent."),
	"value": numberAttr("The metric's value on this datapoint, in the metric's unit; booleans are 1 and 0. " +
		"Null when the value was null or not a number (see `value_text`)."),
	"value_text": stringAttr("The value exactly as the server sent it (see the metrics' `aggregate_text`). Null when null."),
	"passed":     boolAttr("Whether the value is within the metric's passing range. Null when the server does not say."),
}}

// datapointObject describes one datapoint's result.
var datapointObject = schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
	"datapoint_id": stringAttr("ID of the dataset datapoint. Null for datapoints without one (then `session_id` identifies it)."),
	"session_id":   stringAttr("ID of the traced session that evaluated the datapoint."),
	"passed":       boolAttr("Whether every metric passed on this datapoint. Null when the server does not say."),
	"metrics": schema.ListNestedAttribute{
		MarkdownDescription: "The datapoint's metric values. Null when the server sent none.",
		Computed:            true,
		NestedObject:        datapointMetricObject,
	},
}}

var (
	datapointAttrTypes       = attrTypesOf(datapointObject)
	datapointMetricAttrTypes = attrTypesOf(datapointMetricObject)
)

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
			"include_datapoints":  includeDatapointsAttribute(),
			"confidence_level":    confidenceLevelAttribute("the `pass_rate` interval (`pass_rate_ci_lower`, `pass_rate_ci_upper`)"),
			"name":                stringAttr("The run's name, such as `nightly-main`. Null when it has none."),
			"description":         stringAttr("The run's description. Null when it has none."),
			"dataset_id":          stringAttr("ID of the dataset the run evaluated. Compare it with the baseline's to refuse a comparison across datasets. Null when the run has no dataset."),
			"dataset_name":        stringAttr("Name of that dataset. Null when not known."),
			"created_at":          stringAttr("When the run was created, as HoneyHive reports it (an RFC 3339 timestamp such as `2026-05-01T12:00:00.000Z`)."),
			"updated_at":          stringAttr("When the run last changed, in the same format. Null when never updated."),
			"metadata": stringAttr("The run's metadata object as a JSON string, since its shape is yours: read a " +
				"field with `jsondecode(metadata).git_sha`. Null when the run has none."),
			"status": stringAttr("The run's status: `pending`, `running`, `completed`, `failed` or `cancelled`. " +
				"A status HoneyHive adds later is passed through as it is. Gate on `status == \"completed\"` before " +
				"trusting the metrics."),
			"success":      boolAttr("HoneyHive's own verdict that the run succeeded. `false` when the server sends none."),
			"error":        stringAttr("The run's error message, when HoneyHive reports one; otherwise null."),
			"passed":       stringListAttr("IDs of the datapoints on which every metric passed. Null when the server sent no list."),
			"failed":       stringListAttr("IDs of the datapoints on which at least one metric failed. Null when the server sent no list."),
			"passed_count": int64Attr("Number of entries in `passed`. Null when `passed` is null."),
			"failed_count": int64Attr("Number of entries in `failed`. Null when `failed` is null."),
			"pass_rate": numberAttr("Fraction of the judged datapoints that passed, `passed_count / (passed_count + " +
				"failed_count)`, from 0 to 1 (not a percentage). Null when no datapoint was judged."),
			"pass_rate_ci_lower": numberAttr("Lower bound of the Wilson score interval for the pass rate at " +
				"`confidence_level`, from 0 to 1: with a few dozen datapoints the observed `pass_rate` moves by chance, " +
				"so `pass_rate_ci_lower >= 0.8` is a gate that does not flap. Null when no datapoint was judged."),
			"pass_rate_ci_upper": numberAttr("Upper bound of that interval, from 0 to 1. Null when no datapoint was judged."),
			"datapoint_count":    int64Attr("Number of datapoints the server sent, also when `include_datapoints` is `false`. Null when the server sent no list."),
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
					"(one entry per event), with the same attributes as `metrics`.",
				Computed:     true,
				NestedObject: metricObject,
			},
			"datapoints": schema.ListNestedAttribute{
				MarkdownDescription: "Per-datapoint results in the server's order. Null when the server sent no list, " +
					"or when `include_datapoints` is `false`.",
				Computed:     true,
				NestedObject: datapointObject,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

// includeDatapointsAttribute is the switch that leaves the per-datapoint list
// out of state for large runs.
func includeDatapointsAttribute() schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: "Whether to keep per-datapoint results in state: the `datapoints` list and each " +
			"metric's `values` and `values_text`. Defaults to `true`. Set it to `false` for large runs gated on " +
			"aggregates: those attributes are then null, which keeps plans fast and state small (a run of tens " +
			"of thousands of datapoints otherwise puts every datapoint's metric values in state, several times " +
			"over, on every plan), while everything else is kept as it is: `datapoint_count`, the aggregates " +
			"(`aggregate`, `passing_range`, `pass_rate`, ...) and the ID lists (`passed`, `failed` and each " +
			"metric's `datapoints`).",
		Optional: true,
		Computed: true,
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
	if state.AggregateFunction.IsNull() {
		state.AggregateFunction = types.StringValue(defaultAggregateFunction)
	}
	if state.ConfidenceLevel.IsNull() {
		state.ConfidenceLevel = types.Float64Value(stats.DefaultConfidenceLevel)
	}
	if state.IncludeDatapoints.IsNull() {
		state.IncludeDatapoints = types.BoolValue(true)
	}

	ctx, cancel, diags := withReadTimeout(ctx, state.Timeouts)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	start := time.Now()
	summary, err := readSummary(ctx, d.client, state.RunID.ValueString(), state.AggregateFunction.ValueString(),
		state.WaitForCompletion.ValueBool(), honeyhive.SummaryDecode(runDecodeOptions(state.IncludeDatapoints.ValueBool())))
	if err != nil {
		resp.Diagnostics.AddError(readFailureSummary(err, "Could not read HoneyHive experiment run"), err.Error())
		return
	}
	run := summary.RunObject
	if run == nil {
		// Older deployments leave run_object out of the summary.
		if run, err = d.client.GetRun(ctx, state.RunID.ValueString()); err != nil {
			resp.Diagnostics.AddError("Could not read HoneyHive experiment run", err.Error())
			return
		}
	}
	fetched := time.Now()
	setRunFacts(&state, run)
	resp.Diagnostics.Append(setExperimentRun(&state, summary)...)
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

// runDecodeOptions is what Read keeps of a summary: without
// includeDatapoints, the datapoints' number, not their contents.
func runDecodeOptions(includeDatapoints bool) models.SummaryDecodeOptions {
	if includeDatapoints {
		return models.SummaryDecodeOptions{}
	}
	return models.SummaryDecodeOptions{Datapoints: models.DatapointsCounted}
}

// setRunFacts fills what the run is, from its run object.
func setRunFacts(m *experimentRunModel, r *models.Run) {
	m.Name = optionalString(r.Name)
	m.Description = optionalString(r.Description)
	m.DatasetID = optionalString(r.DatasetID)
	m.DatasetName = optionalString(r.DatasetName)
	m.CreatedAt = optionalString(r.CreatedAt)
	m.UpdatedAt = optionalString(r.UpdatedAt)
	m.Metadata = types.StringNull()
	if r.Metadata != nil {
		m.Metadata = types.StringValue(string(r.Metadata))
	}
}

// setExperimentRun fills the computed attributes from a summary. Warnings about
// repeated metric names are returned as diagnostics.
func setExperimentRun(m *experimentRunModel, s *models.ExperimentResultSummary) diag.Diagnostics {
	m.Status = types.StringValue(s.Status.String())
	m.Success = types.BoolValue(s.Success)
	m.Error = optionalString(s.Error)
	m.Passed = stringList(s.Passed)
	m.Failed = stringList(s.Failed)
	m.PassedCount, m.FailedCount = types.Int64Null(), types.Int64Null()
	m.PassRate, m.PassRateCILower, m.PassRateCIUpper = types.NumberNull(), types.NumberNull(), types.NumberNull()
	if s.Passed != nil {
		m.PassedCount = types.Int64Value(int64(len(s.Passed)))
	}
	if s.Failed != nil {
		m.FailedCount = types.Int64Value(int64(len(s.Failed)))
	}
	if s.Passed != nil || s.Failed != nil {
		judged := len(s.Passed) + len(s.Failed)
		m.PassRate = ratio(len(s.Passed), judged)
		lower, upper, ok := stats.WilsonInterval(len(s.Passed), judged, m.ConfidenceLevel.ValueFloat64())
		m.PassRateCILower, m.PassRateCIUpper = floatNumber(lower, ok), floatNumber(upper, ok)
	}
	m.AggregationFunction = optionalString(s.Metrics.AggregationFunction)
	m.MetricNames = emptyableStringList(s.Metrics.ListMetrics())

	includeDatapoints := m.IncludeDatapoints.IsNull() || m.IncludeDatapoints.ValueBool()
	entries := s.Metrics.Entries()
	details := make([]attr.Value, len(entries))
	names := make([]string, len(entries))
	eventNames := make([]*string, len(entries))
	for i, e := range entries {
		details[i], names[i], eventNames[i] = shared(metricValue(e, includeDatapoints)), e.MetricName, e.EventName
	}
	byName, diags := keyByFirstName(names, eventNames, details, "metrics", "metric_details")
	m.MetricDetails = types.ListValueMust(types.ObjectType{AttrTypes: metricAttrTypes}, details)
	m.Metrics = types.MapValueMust(types.ObjectType{AttrTypes: metricAttrTypes}, byName)

	m.DatapointCount = types.Int64Null()
	if s.DatapointCount != nil {
		m.DatapointCount = types.Int64Value(int64(*s.DatapointCount))
	}
	// Without includeDatapoints the summary was usually decoded without them
	// (honeyhive.SkipDatapoints), but whether it was or not, none go in state.
	m.Datapoints = types.ListNull(types.ObjectType{AttrTypes: datapointAttrTypes})
	if includeDatapoints && s.Datapoints != nil {
		dps := make([]attr.Value, len(s.Datapoints))
		for i, dp := range s.Datapoints {
			dps[i] = datapointValue(dp)
		}
		m.Datapoints = types.ListValueMust(types.ObjectType{AttrTypes: datapointAttrTypes}, dps)
	}

	return diags
}

// metricValue returns one metric entry as a Terraform object. Without
// perDatapoint its per-datapoint values (values, values_text) are null: they
// hold one number per datapoint, and Terraform formats every such number at
// full precision each time it writes state (about 25µs a number), which made
// up most of a large plan's time before include_datapoints = false left them out.
func metricValue(d models.MetricDetail, perDatapoint bool) attr.Value {
	passingRange := types.ObjectNull(passingRangeAttrTypes)
	if d.PassingRange != nil {
		passingRange = types.ObjectValueMust(passingRangeAttrTypes, map[string]attr.Value{
			"min": numberFromValue(d.PassingRange.Min),
			"max": numberFromValue(d.PassingRange.Max),
		})
	}
	datapoints := types.ObjectNull(metricDPsAttrTypes)
	if d.Datapoints != nil {
		datapoints = types.ObjectValueMust(metricDPsAttrTypes, map[string]attr.Value{
			"passed": stringList(d.Datapoints.Passed),
			"failed": stringList(d.Datapoints.Failed),
		})
	}
	values, valuesText := types.ListNull(types.NumberType), types.ListNull(types.StringType)
	if perDatapoint {
		values, valuesText = numberList(d.Values), textList(d.Values)
	}
	return types.ObjectValueMust(metricAttrTypes, map[string]attr.Value{
		"metric_name":    types.StringValue(d.MetricName),
		"metric_type":    optionalString(d.MetricType),
		"event_name":     optionalString(d.EventName),
		"event_type":     optionalString(d.EventType),
		"aggregate":      numberFromValue(d.Aggregate),
		"aggregate_text": textFromValue(d.Aggregate),
		"values":         values,
		"values_text":    valuesText,
		"passing_range":  passingRange,
		"datapoints":     datapoints,
	})
}

func datapointValue(dp models.DatapointResult) attr.Value {
	metricType := types.ObjectType{AttrTypes: datapointMetricAttrTypes}
	metrics := types.ListNull(metricType)
	if dp.Metrics != nil {
		elems := make([]attr.Value, len(dp.Metrics))
		for i, m := range dp.Metrics {
			elems[i] = types.ObjectValueMust(datapointMetricAttrTypes, map[string]attr.Value{
				"name":       types.StringValue(m.Name),
				"event_name": optionalString(m.EventName),
				"event_type": optionalString(m.EventType),
				"value":      numberFromValue(m.Value),
				"value_text": textFromValue(m.Value),
				"passed":     optionalBool(m.Passed),
			})
		}
		metrics = types.ListValueMust(metricType, elems)
	}
	return types.ObjectValueMust(datapointAttrTypes, map[string]attr.Value{
		"datapoint_id": optionalString(dp.DatapointID),
		"session_id":   optionalString(dp.SessionID),
		"passed":       optionalBool(dp.Passed),
		"metrics":      metrics,
	})
}
