package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
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
	_ datasource.DataSource              = (*runComparisonDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*runComparisonDataSource)(nil)
)

// NewRunComparisonDataSource returns the honeyhive_run_comparison data source.
func NewRunComparisonDataSource() datasource.DataSource { return &runComparisonDataSource{} }

// runComparisonDataSource reads the comparison of a new run with an old one (the
// SDK's RunComparisonResult), plus both runs' summaries, which give the
// new-only and old-only datapoint counts the comparison body lacks.
type runComparisonDataSource struct {
	client *honeyhive.Client
}

type runComparisonModel struct {
	NewRunID           types.String   `tfsdk:"new_run_id"`
	OldRunID           types.String   `tfsdk:"old_run_id"`
	AggregateFunction  types.String   `tfsdk:"aggregate_function"`
	WaitForCompletion  types.Bool     `tfsdk:"wait_for_completion"`
	ConfidenceLevel    types.Float64  `tfsdk:"confidence_level"`
	LowerIsBetter      types.Set      `tfsdk:"lower_is_better"`
	IncludeDatapoints  types.Bool     `tfsdk:"include_datapoints"`
	GateMetrics        types.Set      `tfsdk:"gate_metrics"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
	NewRunStatus       types.String   `tfsdk:"new_run_status"`
	OldRunStatus       types.String   `tfsdk:"old_run_status"`
	CommonDatapoints   types.Int64    `tfsdk:"common_datapoints"`
	CommonDatapointIDs types.List     `tfsdk:"common_datapoint_ids"`
	NewOnlyDatapoints  types.Int64    `tfsdk:"new_only_datapoints"`
	OldOnlyDatapoints  types.Int64    `tfsdk:"old_only_datapoints"`
	MetricNames        types.List     `tfsdk:"metric_names"`
	MetricDeltas       types.Map      `tfsdk:"metric_deltas"`
	MetricDeltaDetails types.List     `tfsdk:"metric_delta_details"`
	ImprovedMetrics    types.List     `tfsdk:"improved_metrics"`
	DegradedMetrics    types.List     `tfsdk:"degraded_metrics"`
	// Regressions by datapoint (run_comparison_outcomes.go).
	RegressedCount      types.Int64 `tfsdk:"regressed_count"`
	FixedCount          types.Int64 `tfsdk:"fixed_count"`
	RegressedDatapoints types.List  `tfsdk:"regressed_datapoints"`
	FixedDatapoints     types.List  `tfsdk:"fixed_datapoints"`
	// The family of metrics gated together (run_comparison_family.go).
	FamilySize             types.Int64 `tfsdk:"family_size"`
	FamilyRegressedMetrics types.List  `tfsdk:"family_regressed_metrics"`
}

func (d *runComparisonDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_run_comparison"
}

func (d *runComparisonDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Compares a new (candidate) HoneyHive experiment run with an old (baseline) one: " +
			"per-metric aggregates, their difference, and which datapoints improved or degraded. Pin the baseline's " +
			"run ID in configuration and assert on the comparison to stop regressions from shipping. Values are read " +
			"on every plan.",
		Attributes: withAttributes(map[string]schema.Attribute{
			"new_run_id":          runIDAttribute("ID of the new (candidate) run."),
			"old_run_id":          runIDAttribute("ID of the old (baseline) run to compare against."),
			"aggregate_function":  aggregateFunctionAttribute(),
			"wait_for_completion": waitForCompletionAttribute("both runs have"),
			"confidence_level":    confidenceLevelAttribute("the intervals in `metric_deltas` (`ci_lower`, `ci_upper`)"),
			"lower_is_better": schema.SetAttribute{
				MarkdownDescription: "Names of the metrics for which a lower value is better, such as a latency or a " +
					"cost. It sets the direction `verdict` reads in; every other metric is higher-is-better. The " +
					"numbers stay `new - old` either way, and HoneyHive's own `improved`/`degraded` lists are kept " +
					"as the server sends them. A name that is not a metric of the comparison is an error that lists the " +
					"comparison's metrics (and suggests the one meant, where a name is close), so that a misspelt " +
					"name cannot turn a regression into `improved`.",
				Optional:    true,
				ElementType: types.StringType,
			},
			"include_datapoints": includeDatapointsAttribute("the comparison's per-datapoint lists: "+
				"`common_datapoint_ids`, `regressed_datapoints`, `fixed_datapoints` and, on each metric entry, "+
				"`improved`, `degraded`, `same`, `old_values` and `new_values`", "Every count and statistic "+
				"(`common_datapoints`, `regressed_count`, `improved_count`, `paired_count`, `mean_difference`, "+
				"`verdict`, ...) is computed from the full bodies either way."),
			"new_run_status": stringAttr("Status of the new run (`completed`, `running`, ...), from its summary, " +
				"else its run object; null when neither says. Gate on it: a comparison with a run that has not " +
				"completed compares partial results, and reading one gives a warning (as does a completed run " +
				"that lists no metrics)."),
			"old_run_status": stringAttr("Status of the old run, as for `new_run_status`."),
			"common_datapoints": int64Attr("Number of datapoints present in both runs, as HoneyHive matched them " +
				"(the SDK's `common_datapoints`): the IDs of its `commonDatapoints` list, null or empty ones skipped and " +
				"a repeated one counted once, with a warning. 0 where both runs have datapoints gives a warning: nothing pairs, so every metric's " +
				"`mean_difference`, `ci_lower` and `ci_upper` are null; the baseline may be the wrong run, or a run " +
				"on another dataset (runs on different datasets give a warning of their own, naming both)."),
			"common_datapoint_ids": stringListAttr("IDs of the datapoints present in both runs. " + nullUnlessIncluded),
			"new_only_datapoints": int64Attr("Number of datapoints present only in the new run, computed from the two " +
				"runs' datapoint IDs (the SDK always reports 0 here)."),
			"old_only_datapoints": int64Attr("Number of datapoints present only in the old run, computed from the two " +
				"runs' datapoint IDs (the SDK always reports 0 here)."),
			"metric_names": stringListAttr("Names of the compared metrics, each once, in the server's order. " +
				"Entries without a name are left out, as the SDK drops them (a warning says so); they are in " +
				"`metric_delta_details`."),
			"metric_deltas": schema.MapNestedAttribute{
				MarkdownDescription: "Per-metric comparison keyed by metric name, with every field HoneyHive sends " +
					"(the SDK keeps only some), so that `metric_deltas[\"accuracy\"].difference >= 0` works as " +
					"written. Where a name repeats across events, the map holds the first entry and a warning says " +
					"so; `metric_delta_details` has every entry. Reading a name that is not there is an error.",
				Computed:     true,
				NestedObject: metricDeltaObject,
			},
			"metric_delta_details": schema.ListNestedAttribute{
				MarkdownDescription: "Every per-metric comparison entry in the server's order, including repeated " +
					"names (one entry per event), with the same attributes as `metric_deltas`. Each per-datapoint " +
					"list is stored once: those of the entry `metric_deltas` holds under its name are read there and " +
					"are null here; the other entries of a repeated name have theirs here.",
				Computed:     true,
				NestedObject: metricDeltaObject,
			},
			"improved_metrics": stringListAttr("Names of the metrics on which at least one datapoint improved " +
				"(`improved_count > 0`, which follows the `improved` list), as the SDK's `list_improved_metrics()`, each once in the server's order. " +
				"Where a name repeats across events, every entry counts: the metric is listed when any of them " +
				"improved. A metric can be both improved and degraded."),
			"degraded_metrics": stringListAttr("Names of the metrics on which at least one datapoint degraded " +
				"(`degraded_count > 0`, which follows the `degraded` list: a metric whose count says 0 while it lists " +
				"degraded datapoints is listed), as the SDK's `list_degraded_metrics()`, each once in the server's order. " +
				"Where a name repeats across events, the metric is listed when any of its entries degraded, so " +
				"`length(degraded_metrics) == 0` holds only when no datapoint degraded on any event."),
			"gate_metrics": gateMetricsAttribute,
		}, outcomeAttributes, familyAttributes),
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *runComparisonDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *runComparisonDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state runComparisonModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setResultDefaults(&state.AggregateFunction, &state.ConfidenceLevel, &state.IncludeDatapoints)
	includeDatapoints := state.IncludeDatapoints.ValueBool()
	var lowerIsBetter, gateMetrics []string
	resp.Diagnostics.Append(state.LowerIsBetter.ElementsAs(ctx, &lowerIsBetter, false)...)
	resp.Diagnostics.Append(state.GateMetrics.ElementsAs(ctx, &gateMetrics, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withReadTimeout(ctx, state.Timeouts)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	newID, oldID := state.NewRunID.ValueString(), state.OldRunID.ValueString()
	start := time.Now()
	comparison, newRun, oldRun, readDiags := readRunComparison(ctx, d.client, comparisonRead{
		newRunID: newID, oldRunID: oldID, aggregateFunction: state.AggregateFunction.ValueString(),
		wait: state.WaitForCompletion.ValueBool(), includeDatapoints: includeDatapoints,
	})
	resp.Diagnostics.Append(readDiags...)
	if resp.Diagnostics.HasError() {
		return
	}
	fetched := time.Now()
	state.NewRunStatus = optionalStatus(newRun.Status)
	state.OldRunStatus = optionalStatus(oldRun.Status)
	resp.Diagnostics.Append(setRunComparison(&state, comparison, pairing{
		newRun: newRun, oldRun: oldRun, confidenceLevel: state.ConfidenceLevel.ValueFloat64(), lowerIsBetter: lowerIsBetter,
		gateMetrics: gateMetrics, gateMetricsSet: !state.GateMetrics.IsNull(),
	})...)
	paired := time.Now()
	resp.Diagnostics.Append(setStateDirect(ctx, &resp.State, &state)...)
	// Where a read's time goes, for `make bench` and for users of large runs.
	tflog.Debug(ctx, "read HoneyHive run comparison", map[string]any{
		"new_run_id":          newID,
		"old_run_id":          oldID,
		"common_datapoints":   state.CommonDatapoints.ValueInt64(),
		"include_datapoints":  includeDatapoints,
		"fetch_and_decode_ms": fetched.Sub(start).Milliseconds(),
		"pair_and_convert_ms": paired.Sub(fetched).Milliseconds(),
		"build_state_ms":      time.Since(paired).Milliseconds(),
	})
}

// comparisonRead is what a comparison's reads take: the two runs, the
// aggregate function, whether to wait for both runs, and whether to keep the
// comparison's per-datapoint lists.
type comparisonRead struct {
	newRunID, oldRunID, aggregateFunction string
	wait, includeDatapoints               bool
}

// readRunComparison makes the reads of a comparison of two runs (both
// summaries and the comparison, readComparisonBodies), fails with one error
// when any of them failed, completes what the bodies leave out (new-only and
// old-only counts, a status only the comparison's run objects give), and
// warns of what the runs and bodies say (a run not completed, no metrics,
// runs on different datasets, corrected bodies). The data sources that
// compare two runs (honeyhive_run_comparison, honeyhive_release_gate) read
// through it, so that they read the same data the same way. Diagnostics with
// an error leave the results nil.
func readRunComparison(ctx context.Context, client *honeyhive.Client, r comparisonRead) (
	comparison *models.RunComparisonResult, newRun, oldRun *models.ExperimentResultSummary, diags diag.Diagnostics,
) {
	comparison, newRun, oldRun, errs := readComparisonBodies(ctx, client, r.newRunID, r.oldRunID,
		r.aggregateFunction, r.wait, r.includeDatapoints)
	// One failed read is one error, however many of its requests failed.
	if summary, detail, failed := comparisonFailure(r.newRunID, r.oldRunID, errs.newRun, errs.oldRun, errs.comparison); failed {
		diags.AddError(summary, detail)
		return nil, nil, nil, diags
	}
	comparison.CountExclusiveDatapoints(newRun, oldRun)
	// A summary without a status of its own: the comparison's copies of the
	// run objects say it too.
	if newRun.Status == "" {
		newRun.Status = comparison.NewRunStatus
	}
	if oldRun.Status == "" {
		oldRun.Status = comparison.OldRunStatus
	}
	diags.Append(runResultWarnings(roleNew, newRun, r.wait)...)
	diags.Append(runResultWarnings(roleOld, oldRun, r.wait)...)
	diags.Append(comparisonWarnings(comparison, newRun, oldRun)...)
	diags.Append(summaryAnomalyWarning(roleNew, newRun)...)
	diags.Append(summaryAnomalyWarning(roleOld, oldRun)...)
	diags.Append(comparisonAnomalyWarning(comparison)...)
	return comparison, newRun, oldRun, diags
}

// readErrors are the errors of a comparison's three reads; nil for a read
// that succeeded or was not made.
type readErrors struct {
	newRun, oldRun, comparison error
}

// readComparisonBodies fetches both runs' summaries and their comparison. The
// reads are independent and run together; when waiting, the comparison is
// fetched once both runs are final, so that it compares final results.
// Summaries are decoded as far as the pairing needs (the paired statistics,
// datapoint counts and pass/fail lists); the comparison without its
// per-datapoint lists unless includeDatapoints.
func readComparisonBodies(ctx context.Context, client *honeyhive.Client, newID, oldID, fn string, wait, includeDatapoints bool) (
	comparison *models.RunComparisonResult, newRun, oldRun *models.ExperimentResultSummary, errs readErrors,
) {
	var wg sync.WaitGroup
	compare := func() {
		comparison, errs.comparison = client.CompareRuns(ctx, newID, oldID, fn, comparisonDecodeOptions(includeDatapoints))
	}
	wg.Add(2)
	pairing := pairingDecodeOptions
	go func() { defer wg.Done(); newRun, errs.newRun = readSummary(ctx, client, newID, fn, wait, pairing) }()
	go func() { defer wg.Done(); oldRun, errs.oldRun = readSummary(ctx, client, oldID, fn, wait, pairing) }()
	if wait {
		wg.Wait()
		if errs.newRun == nil && errs.oldRun == nil {
			compare()
		}
	} else {
		compare()
		wg.Wait()
	}
	return comparison, newRun, oldRun, errs
}

// pairingDecodeOptions is what a comparison keeps of each run's summary: its
// datapoints, which the pairing reads, and the rest but each metric's values.
var pairingDecodeOptions = models.SummaryDecodeOptions{SkipMetricValues: true}

// comparisonDecodeOptions is what a comparison keeps of its body: without
// includeDatapoints, not the per-datapoint lists.
func comparisonDecodeOptions(includeDatapoints bool) models.ComparisonDecodeOptions {
	return models.ComparisonDecodeOptions{SkipDatapointLists: !includeDatapoints}
}

// pairing is what the paired statistics of each metric need.
type pairing struct {
	newRun, oldRun  *models.ExperimentResultSummary
	confidenceLevel float64
	lowerIsBetter   []string
	// gateMetrics names the family's metrics when gateMetricsSet; else the
	// family is every metric entry with at least 2 pairs.
	gateMetrics    []string
	gateMetricsSet bool
}

func setRunComparison(m *runComparisonModel, c *models.RunComparisonResult, p pairing) diag.Diagnostics {
	var diags diag.Diagnostics
	includeDatapoints := m.IncludeDatapoints.ValueBool()
	m.CommonDatapoints = types.Int64Value(int64(c.CommonDatapoints))
	m.CommonDatapointIDs = types.ListNull(types.StringType)
	if includeDatapoints {
		m.CommonDatapointIDs = emptyableStringList(c.CommonDatapointIDs)
	}
	m.NewOnlyDatapoints = types.Int64Value(int64(c.NewOnlyDatapoints))
	m.OldOnlyDatapoints = types.Int64Value(int64(c.OldOnlyDatapoints))
	names := c.MetricNames()
	m.MetricNames = emptyableStringList(names)
	m.ImprovedMetrics = emptyableStringList(c.ListImprovedMetrics())
	m.DegradedMetrics = emptyableStringList(c.ListDegradedMetrics())
	// The ID lists are per-datapoint data: null unless include_datapoints.
	setDatapointOutcomes(m, p.newRun, p.oldRun, includeDatapoints)

	// A name the user misspelt fails the read (run_comparison_metric_names.go), both
	// arguments checked so that every such name is reported at once.
	diags.Append(unknownMetricErrors("lower_is_better", p.lowerIsBetter, names,
		"the metric it means would read as higher-is-better, and a rise in it (a regression, for a latency or "+
			"a cost) as improved")...)
	diags.Append(unknownMetricErrors("gate_metrics", p.gateMetrics, names,
		"the metric it means would be left out of the family, and its regression missing from "+
			"family_regressed_metrics")...)
	if diags.HasError() {
		return diags
	}

	deltaNames := make([]string, len(c.MetricDeltas)) // every entry's name, "" for none
	entriesPerName := make(map[string]int, len(c.MetricDeltas))
	for i, delta := range c.MetricDeltas {
		deltaNames[i] = delta.MetricName
		entriesPerName[delta.MetricName]++
	}
	entries := make([]entryStatistics, len(c.MetricDeltas))
	// pairedEvents[i] is the event entry i is paired on: its own where its
	// name repeats, else nil (any event).
	pairedEvents := make([]*string, len(c.MetricDeltas))
	for i, delta := range c.MetricDeltas {
		// Pair on the event too only where the name repeats: datapoint metrics of
		// older deployments carry no event name. An entry without a name pairs
		// with nothing: no datapoint metric can be told to be its.
		if entriesPerName[delta.MetricName] > 1 {
			pairedEvents[i] = delta.EventName
		}
		e := entryStatistics{name: delta.MetricName, lowerIsBetter: slices.Contains(p.lowerIsBetter, delta.MetricName)}
		if delta.MetricName != "" {
			e.differences, e.skipped = models.PairedDifferences(p.newRun, p.oldRun, delta.MetricName, pairedEvents[i])
		}
		var err error
		e.single, err = stats.Paired(e.differences, e.skipped, p.confidenceLevel, e.lowerIsBetter)
		if err != nil {
			diags.AddError("Could not compute paired statistics",
				fmt.Sprintf("Metric %q (event %s): %s", delta.MetricName, eventLabel(delta.EventName), err))
			return diags
		}
		entries[i] = e
	}
	fam, familyDiags := computeFamily(entries, p.gateMetrics, p.gateMetricsSet, p.confidenceLevel)
	diags.Append(familyDiags...)
	if diags.HasError() {
		return diags
	}
	m.FamilySize = types.Int64Value(int64(fam.size))
	m.FamilyRegressedMetrics = emptyableStringList(fam.regressed)

	// Where each entry's lists go; the by-name map takes the named entries
	// only (the SDK drops the others).
	placement := placeDatapointLists(deltaNames, includeDatapoints)
	details := make([]attr.Value, len(c.MetricDeltas))
	var named []attr.Value
	var namedNames []string
	var eventNames []*string
	for i, delta := range c.MetricDeltas {
		e := deltaEntry{delta: delta, stats: entries[i], family: fam.members[i],
			minimumDetectable: minimumDetectableDifference(entries[i].single, p.confidenceLevel)}
		e.regressed, e.fixed = metricOutcomes(p.newRun, p.oldRun, delta.MetricName, pairedEvents[i])
		var byNameValue attr.Value
		details[i], byNameValue = placement.values(i, e.value)
		if delta.MetricName != "" {
			named = append(named, byNameValue)
			namedNames, eventNames = append(namedNames, delta.MetricName), append(eventNames, delta.EventName)
		}
	}
	byName, warnings := keyByFirstName(namedNames, eventNames, named, "metric_deltas", "metric_delta_details")
	objectType := types.ObjectType{AttrTypes: metricDeltaAttrTypes}
	m.MetricDeltaDetails = types.ListValueMust(objectType, details)
	m.MetricDeltas = types.MapValueMust(objectType, byName)
	diags.Append(warnings...)
	if unnamed := c.UnnamedMetricDeltas(); len(unnamed) > 0 {
		diags.AddWarning(unnamedEntriesWarning(c, unnamed))
	}
	return diags
}

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
	"minimum_detectable_difference": numberAttr("The smallest true mean paired difference, in the metric's unit, " +
		"that a two-sided paired t-test at level `1 - confidence_level` detects with 80% power, from the pairs' " +
		"standard deviation and `paired_count`: R's `power.t.test(n = paired_count, sd = sd, sig.level = " +
		"1 - confidence_level, power = 0.8, type = \"paired\")$delta`. A margin below it (`ci_lower >= -margin` " +
		"with a smaller margin) cannot tell a regression of that size from noise: the gate then fails on good " +
		"candidates as often as not. Null when fewer than 2 datapoints paired or every paired difference is the same."),
}, metricDeltaOutcomeAttributes, metricDeltaFamilyAttributes)}

var metricDeltaAttrTypes = attrTypesOf(metricDeltaObject)

// deltaEntry is what one comparison entry's object is built from.
type deltaEntry struct {
	delta             models.MetricDelta
	stats             entryStatistics
	family            familyMember
	regressed, fixed  types.Int64 // the metric's changed outcomes (metricOutcomes)
	minimumDetectable types.Number
}

// detectionPower is the power at which minimum_detectable_difference is
// given, the usual 80% of sample size planning.
const detectionPower = 0.8

// minimumDetectableDifference is an entry's minimum_detectable_difference:
// null with fewer than 2 pairs, or none of them different (sd 0), where no
// test detects anything.
func minimumDetectableDifference(s stats.PairedSummary, confidenceLevel float64) types.Number {
	if s.N < 2 || s.SD == 0 {
		return types.NumberNull()
	}
	mdd, err := stats.MinimumDetectableDifference(s.SD, s.N, confidenceLevel, detectionPower)
	return floatNumber(mdd, err == nil)
}

// value returns the entry as a Terraform object, with its per-datapoint lists
// when lists is set (else they are null).
func (e deltaEntry) value(lists bool) attr.Value {
	d, s := e.delta, e.stats.single
	improved, degraded, same := types.ListNull(types.StringType), types.ListNull(types.StringType), types.ListNull(types.StringType)
	oldValues, newValues := types.ListNull(types.NumberType), types.ListNull(types.NumberType)
	if lists {
		improved, degraded, same = stringList(d.Improved), stringList(d.Degraded), stringList(d.Same)
		oldValues, newValues = numberList(d.OldValues), numberList(d.NewValues)
	}
	familyLower, familyUpper, familyVerdict, holm := e.family.values()
	return types.ObjectValueMust(metricDeltaAttrTypes, map[string]attr.Value{
		"metric_name":                   optionalName(d.MetricName),
		"metric_type":                   optionalString(d.MetricType),
		"event_name":                    optionalString(d.EventName),
		"event_type":                    optionalString(d.EventType),
		"old_aggregate":                 numberFromValue(d.OldAggregate),
		"new_aggregate":                 numberFromValue(d.NewAggregate),
		"difference":                    numberFromValue(d.Difference),
		"percentage_change":             numberFromValue(d.PercentageChange),
		"found_count":                   optionalInt64(d.FoundCount),
		"improved_count":                optionalInt64(d.ImprovedCount),
		"degraded_count":                optionalInt64(d.DegradedCount),
		"same_count":                    optionalInt64(d.SameCount),
		"improved":                      improved,
		"degraded":                      degraded,
		"same":                          same,
		"old_values":                    oldValues,
		"new_values":                    newValues,
		"lower_is_better":               types.BoolValue(e.stats.lowerIsBetter),
		"paired_count":                  types.Int64Value(int64(s.N)),
		"skipped_count":                 types.Int64Value(int64(s.Skipped)),
		"mean_difference":               floatNumber(s.MeanDifference, s.HasMean),
		"ci_lower":                      floatNumber(s.CILower, s.HasInterval),
		"ci_upper":                      floatNumber(s.CIUpper, s.HasInterval),
		"p_value":                       floatNumber(s.PValue, true),
		"verdict":                       types.StringValue(s.Verdict.String()),
		"minimum_detectable_difference": e.minimumDetectable,
		"regressed_count":               e.regressed,
		"fixed_count":                   e.fixed,
		"family_ci_lower":               familyLower,
		"family_ci_upper":               familyUpper,
		"family_verdict":                familyVerdict,
		"p_value_holm":                  holm,
	})
}

// unnamedEntriesWarning reports comparison entries without a metric name,
// which the by-name attributes leave out. indexes are positions in
// metric_delta_details.
func unnamedEntriesWarning(c *models.RunComparisonResult, indexes []int) (summary, detail string) {
	positions := make([]string, len(indexes))
	events := make([]string, len(indexes))
	for i, at := range indexes {
		positions[i] = fmt.Sprint(at)
		events[i] = eventLabel(c.MetricDeltas[at].EventName)
	}
	entries := "entry"
	if len(indexes) > 1 {
		entries = "entries"
	}
	return "Comparison entries without a metric name",
		fmt.Sprintf("HoneyHive sent %d comparison %s without a metric_name (at index %s of metric_delta_details, for "+
			"the events %s). Like the HoneyHive SDK, which drops them, the provider leaves them out of metric_names, "+
			"metric_deltas, improved_metrics and degraded_metrics, so a gate on those does not see them; they are "+
			"kept in metric_delta_details, with a null metric_name.",
			len(indexes), entries, strings.Join(positions, ", "), strings.Join(events, ", "))
}
