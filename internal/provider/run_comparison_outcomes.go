package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// Regressions by datapoint: the datapoints whose pass/fail outcome changed
// between the old run and the new one (models.OutcomeChanges), for the whole
// datapoint on the comparison and for each metric on its entries.

const bothListsRule = "A datapoint listed as both passed and failed in one run (its ID repeats there) counts as " +
	"failed in that run."

// outcomeAttributes are the comparison's own attributes for the changed
// outcomes.
var outcomeAttributes = map[string]schema.Attribute{
	"regressed_count": int64Attr("Number of datapoints that passed in the old run and fail in the new one: " +
		"in the old summary's top-level `passed` list and the new one's `failed` list (a datapoint passes a run " +
		"when none of its metrics failed it). Datapoints in only one run are not counted. " + bothListsRule +
		" Null when either summary lacks its `passed` or `failed` list, so that a gate such as " +
		"`regressed_count <= 2` fails instead of reading 0."),
	"fixed_count": int64Attr("Number of datapoints that failed in the old run and pass in the new one, the " +
		"reverse of `regressed_count`, with the same rules. Null when `regressed_count` is."),
	"regressed_datapoints": stringListAttr("IDs of the datapoints counted in `regressed_count` (datapoint IDs, " +
		"or session IDs where a datapoint has none, as HoneyHive lists them), each once, in the order of the new " +
		"run's `failed` list, so that a gate's message can name them: " +
		"`join(\", \", slice(self.regressed_datapoints, 0, min(5, length(self.regressed_datapoints))))`. " +
		nullUnlessIncluded + " Null also when `regressed_count` is."),
	"fixed_datapoints": stringListAttr("IDs of the datapoints counted in `fixed_count`, each once, in the order " +
		"of the new run's `passed` list. " + nullUnlessIncluded + " Null also when `fixed_count` is."),
}

// metricDeltaOutcomeAttributes are the attributes of each comparison entry
// for its metric's changed outcomes.
var metricDeltaOutcomeAttributes = map[string]schema.Attribute{
	"regressed_count": int64Attr("Number of datapoints that passed this metric in the old run and fail it in " +
		"the new one, from the metric's own `datapoints.passed`/`failed` lists in the two runs' summaries. The " +
		"summaries' entry for this metric is the one the paired statistics read: the first of its name and, " +
		"where the name repeats across events in the comparison, of this entry's event. " + bothListsRule +
		" Null when either summary has no such entry, or the entry lacks either list (as entries of older " +
		"deployments may), and for an entry without a metric name."),
	"fixed_count": int64Attr("Number of datapoints that failed this metric in the old run and pass it in the " +
		"new one, the reverse of `regressed_count`, with the same rules. Null when `regressed_count` is."),
}

// setDatapointOutcomes compares the two summaries' top-level lists. The ID
// lists are null unless includeIDs, which the caller sets from
// include_datapoints (per-datapoint data); the counts are there either way.
func setDatapointOutcomes(m *runComparisonModel, newRun, oldRun *models.ExperimentResultSummary, includeIDs bool) {
	m.RegressedCount, m.FixedCount = types.Int64Null(), types.Int64Null()
	m.RegressedDatapoints, m.FixedDatapoints = types.ListNull(types.StringType), types.ListNull(types.StringType)
	changes, ok := models.DatapointOutcomeChanges(newRun, oldRun)
	if !ok {
		return
	}
	m.RegressedCount = types.Int64Value(int64(len(changes.Regressed)))
	m.FixedCount = types.Int64Value(int64(len(changes.Fixed)))
	if includeIDs {
		m.RegressedDatapoints = emptyableStringList(changes.Regressed)
		m.FixedDatapoints = emptyableStringList(changes.Fixed)
	}
}

// metricOutcomes are one comparison entry's regressed_count and fixed_count,
// null where they cannot be counted. event is the event the entry is paired
// on (nil where its name does not repeat); an entry without a name has none.
func metricOutcomes(newRun, oldRun *models.ExperimentResultSummary, name string, event *string) (regressed, fixed types.Int64) {
	if name == "" {
		return types.Int64Null(), types.Int64Null()
	}
	changes, ok := models.MetricOutcomeChanges(newRun, oldRun, name, event)
	if !ok {
		return types.Int64Null(), types.Int64Null()
	}
	return types.Int64Value(int64(len(changes.Regressed))), types.Int64Value(int64(len(changes.Fixed)))
}
