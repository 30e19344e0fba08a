package provider

import (
	"slices"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/policy"
)

// policyComparison is what the release gate's rules read, from the bodies
// honeyhive_run_comparison reads: per metric name (the first entry of a name
// repeated across events, as metric_deltas holds), the comparison's
// aggregates, the paired differences of the summaries' values
// (models.PairedDifferences, as the comparison's statistics pair them) and
// the pass/fail outcomes of the summaries' lists.
//
// Pass/fail outcomes cost a map per run and metric, so they are read only for
// what a no_new_failures or min_pass_rate rule judges (outcomesFor); for the
// rest they are left unknown, which no other rule reads.
func policyComparison(c *models.RunComparisonResult, newRun, oldRun *models.ExperimentResultSummary,
	confidenceLevel float64, lowerIsBetter []string, rules []policy.Rule,
) policy.Comparison {
	wholeDatapoint, metrics := outcomesFor(rules)
	out := policy.Comparison{
		NewRunID: c.NewRunID, OldRunID: c.OldRunID,
		NewRunStatus: string(newRun.Status), OldRunStatus: string(oldRun.Status),
		ConfidenceLevel: confidenceLevel,
	}
	if wholeDatapoint {
		out.Datapoints = datapointOutcomes(newRun, oldRun)
	}
	entriesPerName := make(map[string]int, len(c.MetricDeltas))
	for _, delta := range c.MetricDeltas {
		entriesPerName[delta.MetricName]++
	}
	seen := make(map[string]bool, len(c.MetricDeltas))
	for _, delta := range c.MetricDeltas {
		name := delta.MetricName
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		// Paired on the event too where the name repeats, as the
		// comparison's entry for the name is (setRunComparison).
		var event *string
		if entriesPerName[name] > 1 {
			event = delta.EventName
		}
		m := policy.Metric{
			Name:          name,
			LowerIsBetter: slices.Contains(lowerIsBetter, name),
			Numeric:       numericMetric(delta, newRun, oldRun, name, event),
			OldAggregate:  aggregate(delta.OldAggregate),
			NewAggregate:  aggregate(delta.NewAggregate),
		}
		if metrics[name] {
			m.Outcomes = metricOutcomesOf(newRun, oldRun, name, event)
		}
		m.Differences, m.Skipped = models.PairedDifferences(newRun, oldRun, name, event)
		out.Metrics = append(out.Metrics, m)
	}
	return out
}

// outcomesFor says which pass/fail outcomes the rules read: the whole
// datapoint's, and those of the metrics named.
func outcomesFor(rules []policy.Rule) (wholeDatapoint bool, metrics map[string]bool) {
	metrics = map[string]bool{}
	for _, r := range rules {
		if r.Kind != policy.NoNewFailures && r.Kind != policy.MinPassRate {
			continue
		}
		if r.Metric == "" {
			wholeDatapoint = true
		} else {
			metrics[r.Metric] = true
		}
	}
	return wholeDatapoint, metrics
}

// numericMetric is false for a metric whose aggregate is a string (or an
// array or object), in the comparison or either run's summary: a grade, say,
// which no threshold or interval can read. A null aggregate is numeric as far
// as anyone can tell; a rule on it fails closed.
func numericMetric(delta models.MetricDelta, newRun, oldRun *models.ExperimentResultSummary, name string, event *string) bool {
	aggregates := []models.Value{delta.OldAggregate, delta.NewAggregate}
	for _, run := range []*models.ExperimentResultSummary{newRun, oldRun} {
		if detail, ok := run.Metrics.FindMetric(name, event); ok {
			aggregates = append(aggregates, detail.Aggregate)
		}
	}
	for _, v := range aggregates {
		if v.Kind() == models.KindString || v.Kind() == models.KindOther {
			return false
		}
	}
	return true
}

// aggregate returns a numeric aggregate (booleans as 1 and 0), nil otherwise.
func aggregate(v models.Value) *float64 {
	if f, ok := v.Float64(); ok {
		return &f
	}
	return nil
}

// datapointOutcomes are the whole datapoints' outcomes, from the summaries'
// top-level lists.
func datapointOutcomes(newRun, oldRun *models.ExperimentResultSummary) policy.Outcomes {
	changes, ok := models.DatapointOutcomeChanges(newRun, oldRun)
	if !ok {
		return policy.Outcomes{}
	}
	passed, judged := passCounts(newRun.Passed, newRun.Failed)
	return policy.Outcomes{Known: true, NewPassed: passed, NewJudged: judged, Regressed: changes.Regressed}
}

// metricOutcomesOf are one metric's outcomes, from its entry's
// datapoints.passed and datapoints.failed lists in the summaries (the entry
// models.MetricOutcomeChanges finds).
func metricOutcomesOf(newRun, oldRun *models.ExperimentResultSummary, name string, event *string) policy.Outcomes {
	changes, ok := models.MetricOutcomeChanges(newRun, oldRun, name, event)
	if !ok {
		return policy.Outcomes{}
	}
	detail, _ := newRun.Metrics.FindMetric(name, event) // found: the changes were told
	passed, judged := passCounts(detail.Datapoints.Passed, detail.Datapoints.Failed)
	return policy.Outcomes{Known: true, NewPassed: passed, NewJudged: judged, Regressed: changes.Regressed}
}

// passCounts counts a run's datapoints that passed and that were judged, each
// ID once, by the rules of models.OutcomeChanges: an ID in the failed list
// failed, one only in the passed list passed.
func passCounts(passed, failed []string) (passedCount, judged int) {
	failedIDs := make(map[string]bool, len(failed))
	for _, id := range failed {
		failedIDs[id] = true
	}
	passedIDs := make(map[string]bool, len(passed))
	for _, id := range passed {
		if !failedIDs[id] {
			passedIDs[id] = true
		}
	}
	return len(passedIDs), len(passedIDs) + len(failedIDs)
}
