package models

// Datapoints whose pass/fail outcome changed between two runs, read from the
// summaries' passed and failed lists: the whole datapoint's (the top-level
// lists) or one metric's (that metric's datapoints.passed/failed).
//
// A datapoint is judged in each run as follows:
//
//   - it fails in a run when its ID is in that run's failed list;
//   - it passes when its ID is in the passed list and not in the failed list;
//   - otherwise the run does not judge it (it is not in the run, or it has no
//     decided value).
//
// A decoded summary never lists an ID in both lists (decoding fails with a
// ConflictError, see consistency.go); were one given here, it would count as
// failed in that run, as HoneyHive judges a datapoint failed when any of its
// results failed.

// OutcomeChanges lists the datapoints whose outcome changed between an old
// run and a new one. Both lists hold each ID once.
type OutcomeChanges struct {
	// Regressed are the datapoints that passed in the old run and fail in
	// the new one, in the order of the new run's failed list.
	Regressed []string
	// Fixed are the datapoints that failed in the old run and pass in the new
	// one, in the order of the new run's passed list.
	Fixed []string
}

// DatapointOutcomeChanges compares the two summaries' top-level passed and
// failed lists. ok is false, and the changes empty, when a summary is nil or
// either of its lists is missing (absent or null in the body): the changes
// cannot be told then, and a gate must not read them as none.
func DatapointOutcomeChanges(newRun, oldRun *ExperimentResultSummary) (changes OutcomeChanges, ok bool) {
	if newRun == nil || oldRun == nil {
		return OutcomeChanges{}, false
	}
	return outcomeChanges(newRun.Passed, newRun.Failed, oldRun.Passed, oldRun.Failed)
}

// MetricOutcomeChanges compares one metric's datapoints.passed and
// datapoints.failed lists in the two summaries. The metric's entry in each
// summary is found as PairedDifferences finds a datapoint's metric: the
// first entry named metricName and, when eventName is not nil, whose event
// name equals *eventName (see AggregatedMetrics.FindMetric). ok is false when
// a summary is nil, has no such entry, or the entry lacks either list.
func MetricOutcomeChanges(newRun, oldRun *ExperimentResultSummary, metricName string, eventName *string) (changes OutcomeChanges, ok bool) {
	if newRun == nil || oldRun == nil {
		return OutcomeChanges{}, false
	}
	newMetric, foundNew := newRun.Metrics.FindMetric(metricName, eventName)
	oldMetric, foundOld := oldRun.Metrics.FindMetric(metricName, eventName)
	if !foundNew || !foundOld || newMetric.Datapoints == nil || oldMetric.Datapoints == nil {
		return OutcomeChanges{}, false
	}
	return outcomeChanges(newMetric.Datapoints.Passed, newMetric.Datapoints.Failed,
		oldMetric.Datapoints.Passed, oldMetric.Datapoints.Failed)
}

// FindMetric returns the first entry named metricName and, when eventName is
// not nil, of that event, looking in Details and then in the legacy entries
// (GetMetric is FindMetric with a nil eventName). An entry without an event
// name (legacy entries and older deployments send none) matches only a nil
// eventName.
func (m AggregatedMetrics) FindMetric(metricName string, eventName *string) (MetricDetail, bool) {
	for _, entries := range [][]MetricDetail{m.Details, m.Legacy} {
		for _, d := range entries {
			if d.MetricName != metricName {
				continue
			}
			if eventName != nil && (d.EventName == nil || *d.EventName != *eventName) {
				continue
			}
			return d, true
		}
	}
	return MetricDetail{}, false
}

// outcomeChanges applies the rules above to two runs' lists. Cost: O(n) time
// in the lists' total length, and two maps, one per run.
func outcomeChanges(newPassed, newFailed, oldPassed, oldFailed []string) (OutcomeChanges, bool) {
	if newPassed == nil || newFailed == nil || oldPassed == nil || oldFailed == nil {
		return OutcomeChanges{}, false
	}
	old := outcomeFlags(oldPassed, oldFailed)
	cur := outcomeFlags(newPassed, newFailed)
	changes := OutcomeChanges{Regressed: []string{}, Fixed: []string{}}
	for _, id := range newFailed {
		if cur[id]&listed != 0 {
			continue // a repeat
		}
		cur[id] |= listed
		if old[id]&(inPassed|inFailed) == inPassed {
			changes.Regressed = append(changes.Regressed, id)
		}
	}
	for _, id := range newPassed {
		// Listed already: failed now too, or a repeat.
		if cur[id]&listed != 0 {
			continue
		}
		cur[id] |= listed
		if old[id]&inFailed != 0 {
			changes.Fixed = append(changes.Fixed, id)
		}
	}
	return changes, true
}

// What a run's lists say of an ID, and whether it was listed in the result.
const (
	inPassed uint8 = 1 << iota
	inFailed
	listed
)

func outcomeFlags(passed, failed []string) map[string]uint8 {
	flags := make(map[string]uint8, len(passed)+len(failed))
	for _, id := range passed {
		flags[id] |= inPassed
	}
	for _, id := range failed {
		flags[id] |= inFailed
	}
	return flags
}
