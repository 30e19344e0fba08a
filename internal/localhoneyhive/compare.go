package localhoneyhive

import (
	"math"
	"slices"
)

// metricKey identifies a metric within a run: the same metric name may be
// evaluated on several events.
type metricKey struct {
	name  string
	event string
}

// compareSummaries computes the comparison body from two run summaries, as
// the service does:
//
//   - commonDatapoints: IDs present in both runs, in the new run's order
//     (the ID is the datapoint ID, or the session ID when that is null);
//   - one metrics entry per (metric_name, event_name) of either run, new
//     run's order first, then old-only metrics; a side that lacks the metric
//     has a null aggregate; a metric without event name (legacy bodies)
//     pairs with the same-named metric of the other run;
//   - aggregates are the summaries' aggregates as numbers (booleans as 1/0,
//     anything else null); difference = new − old; percentage_change =
//     difference / |old| × 100, null when old is 0 or either side is null;
//   - per common datapoint with a numeric value on both sides, the value is
//     improved when new > old, degraded when new < old, same otherwise
//     (higher is always "better": the service does not know that lower
//     latency is good); found_count counts those datapoints;
//   - old_values/new_values are each summary's values list for the metric;
//   - event_details: every event of either run with its presence.
func compareSummaries(oldSum, newSum *summaryBody) *comparisonBody {
	_, oldByKey := datapointsByKey(oldSum)
	newKeys, newByKey := datapointsByKey(newSum)
	common := []string{}
	var pairs []datapointPair
	for _, key := range newKeys {
		if oldDP, ok := oldByKey[key]; ok {
			common = append(common, key)
			pairs = append(pairs, datapointPair{id: key, oldDP: oldDP, newDP: newByKey[key]})
		}
	}

	oldDetails := oldSum.Metrics.all()
	newDetails := newSum.Metrics.all()
	matchedOld := make([]bool, len(oldDetails))
	// findOld pairs a new-run metric with an old-run one: the same (name,
	// event) first; failing that, the same name where one side has no event
	// name (legacy bodies carry none).
	findOld := func(nd *metricDetail) *metricDetail {
		fallback := -1
		for i := range oldDetails {
			od := &oldDetails[i]
			if matchedOld[i] || od.MetricName != nd.MetricName {
				continue
			}
			if od.EventName == nd.EventName {
				matchedOld[i] = true
				return od
			}
			if fallback < 0 && (od.EventName == "" || nd.EventName == "") {
				fallback = i
			}
		}
		if fallback >= 0 {
			matchedOld[fallback] = true
			return &oldDetails[fallback]
		}
		return nil
	}

	out := &comparisonBody{
		CommonDatapoints: common,
		Metrics:          []metricComparison{},
		EventDetails:     comparePresence(oldSum.EventDetails, newSum.EventDetails),
		OldRun:           oldSum.RunObject,
		NewRun:           newSum.RunObject,
	}
	seenNew := map[metricKey]bool{}
	for i := range newDetails {
		nd := &newDetails[i]
		k := metricKey{nd.MetricName, nd.EventName}
		if seenNew[k] { // a body listing a metric twice: first one wins
			continue
		}
		seenNew[k] = true
		out.Metrics = append(out.Metrics, compareMetric(findOld(nd), nd, pairs))
	}
	seenOld := map[metricKey]bool{}
	for i := range oldDetails {
		od := &oldDetails[i]
		k := metricKey{od.MetricName, od.EventName}
		if matchedOld[i] || seenOld[k] {
			continue
		}
		seenOld[k] = true
		out.Metrics = append(out.Metrics, compareMetric(od, nil, pairs))
	}
	return out
}

// datapointPair is one common datapoint with its entry in each run (nil
// where a run lists the ID only in passed/failed).
type datapointPair struct {
	id           string
	oldDP, newDP *datapointBody
}

// compareMetric builds one metrics entry; either side may be nil.
func compareMetric(od, nd *metricDetail, pairs []datapointPair) metricComparison {
	mc := metricComparison{
		Improved:  []string{},
		Degraded:  []string{},
		Same:      []string{},
		OldValues: []Value{},
		NewValues: []Value{},
	}
	for _, d := range []*metricDetail{od, nd} { // new side wins
		if d == nil {
			continue
		}
		mc.MetricName = d.MetricName
		if d.EventName != "" {
			mc.EventName = d.EventName
		}
		if d.MetricType != "" {
			mc.MetricType = d.MetricType
		}
		if d.EventType != "" {
			mc.EventType = d.EventType
		}
	}
	if od != nil {
		mc.OldAggregate = numericPtr(od.Aggregate)
		if od.Values != nil {
			mc.OldValues = od.Values
		}
	}
	if nd != nil {
		mc.NewAggregate = numericPtr(nd.Aggregate)
		if nd.Values != nil {
			mc.NewValues = nd.Values
		}
	}
	if mc.OldAggregate != nil && mc.NewAggregate != nil {
		diff := *mc.NewAggregate - *mc.OldAggregate
		mc.Difference = &diff
		if *mc.OldAggregate != 0 {
			pct := diff / math.Abs(*mc.OldAggregate) * 100
			mc.PercentageChange = &pct
		}
	}
	if od == nil || nd == nil {
		return mc
	}
	oldKey := metricKey{od.MetricName, od.EventName}
	newKey := metricKey{nd.MetricName, nd.EventName}
	for _, pair := range pairs {
		oldValue, okOld := datapointValue(pair.oldDP, oldKey)
		newValue, okNew := datapointValue(pair.newDP, newKey)
		if !okOld || !okNew {
			continue
		}
		id := pair.id
		mc.FoundCount++
		switch {
		case newValue > oldValue:
			mc.ImprovedCount++
			mc.Improved = append(mc.Improved, id)
		case newValue < oldValue:
			mc.DegradedCount++
			mc.Degraded = append(mc.Degraded, id)
		default:
			mc.SameCount++
			mc.Same = append(mc.Same, id)
		}
	}
	return mc
}

// numericPtr returns the numeric view of v, or nil.
func numericPtr(v Value) *float64 {
	if n, ok := v.Numeric(); ok {
		return &n
	}
	return nil
}

// datapointValue finds the numeric value of metric k in one datapoint's
// metric list: an exact (name, event) match first, else a same-name entry
// that carries no event name (older bodies omit it).
func datapointValue(dp *datapointBody, k metricKey) (float64, bool) {
	if dp == nil {
		return 0, false
	}
	fallback := -1
	for i := range dp.Metrics {
		m := &dp.Metrics[i]
		if m.Name != k.name {
			continue
		}
		if m.EventName == k.event {
			return m.Value.Numeric()
		}
		if m.EventName == "" && fallback < 0 {
			fallback = i
		}
	}
	if fallback >= 0 {
		return dp.Metrics[fallback].Value.Numeric()
	}
	return 0, false
}

// datapointsByKey lists a summary's datapoint IDs in order and maps each to
// its first datapoint. Bodies without a datapoints list (some legacy ones)
// fall back to passed then failed, whose IDs map to nil.
func datapointsByKey(sum *summaryBody) ([]string, map[string]*datapointBody) {
	byKey := make(map[string]*datapointBody, len(sum.Datapoints))
	if len(sum.Datapoints) == 0 {
		keys := slices.Concat(sum.Passed, sum.Failed)
		for _, key := range keys {
			byKey[key] = nil
		}
		return keys, byKey
	}
	keys := make([]string, 0, len(sum.Datapoints))
	for i := range sum.Datapoints {
		key := sum.Datapoints[i].key()
		keys = append(keys, key)
		if _, dup := byKey[key]; !dup {
			byKey[key] = &sum.Datapoints[i]
		}
	}
	return keys, byKey
}

// comparePresence merges two event lists, new run's order first.
func comparePresence(oldEvents, newEvents []eventDetail) []eventPresence {
	inOld := make(map[eventDetail]bool, len(oldEvents))
	for _, ev := range oldEvents {
		inOld[ev] = true
	}
	inNew := make(map[eventDetail]bool, len(newEvents))
	out := []eventPresence{}
	for _, ev := range newEvents {
		if inNew[ev] {
			continue
		}
		inNew[ev] = true
		presence := "new"
		if inOld[ev] {
			presence = "both"
		}
		out = append(out, eventPresence{EventName: ev.EventName, EventType: ev.EventType, Presence: presence})
	}
	emitted := map[eventDetail]bool{}
	for _, ev := range oldEvents {
		if inNew[ev] || emitted[ev] {
			continue
		}
		emitted[ev] = true
		out = append(out, eventPresence{EventName: ev.EventName, EventType: ev.EventType, Presence: "old"})
	}
	return out
}
