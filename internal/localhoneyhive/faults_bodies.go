package localhoneyhive

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Faults whose answer is a 200 with a result body that a broken or hostile
// deployment could send (issue 21): too many metric entries for the memory
// they expand into, datapoint IDs that are null, repeated or both passed and
// failed, and counts that disagree with their lists. The bodies are
// exported too, for tests that store them (PutRunSummary) or time them.

// OnlyComparisons restricts f to comparison requests: a summary or run
// object request that touches the run leaves it queued. A comparison reads
// both runs' summaries too, in parallel, so a comparison body fault needs it.
func OnlyComparisons(f Fault) Fault {
	f.comparisonsOnly = true
	f.description += " (comparisons only)"
	return f
}

// okBody answers 200 with a JSON body.
func okBody(body []byte, description string) Fault {
	f := StatusFault(http.StatusOK, jsonContentType, string(body))
	f.description = description
	return f
}

// HostileMetricsSummaryBody is a completed run's summary with entries metric
// entries, each with a value and one datapoint passed: about 80 bytes of JSON
// per entry, each decoding into a metric with its lists. 10⁶ entries drove
// the provider past 9 GB before it had limits.
func HostileMetricsSummaryBody(entries int) []byte {
	var b strings.Builder
	b.Grow(entries*80 + 200)
	b.WriteString(`{"status":"completed","success":true,"error":null,"passed":["dp"],"failed":[],` +
		`"metrics":{"aggregation_function":"average","details":[`)
	for i := range entries {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"metric_name":"m`)
		b.WriteString(strconv.Itoa(i))
		b.WriteString(`","metric_type":"PYTHON","aggregate":1,"values":[1],"datapoints":{"passed":["dp"],"failed":[]}}`)
	}
	b.WriteString(`]},"datapoints":[{"datapoint_id":"dp","passed":true,"metrics":[{"name":"m0","value":1}]}]}`)
	return []byte(b.String())
}

// HostileMetricsSummary answers a summary request with
// HostileMetricsSummaryBody(entries).
func HostileMetricsSummary(entries int) Fault {
	return okBody(HostileMetricsSummaryBody(entries), fmt.Sprintf("summary with %d metric entries", entries))
}

// NullIDsSummaryBody is a completed run's summary whose lists hold null and
// empty IDs and repeats: as sent, 4 passed and 2 failed; in truth a, b passed
// and c failed, on datapoints a, b and c (one datapoint has no ID at all).
const NullIDsSummaryBody = `{"status":"completed","success":false,"error":null,
	"passed":["a",null,"b",""],"failed":["c","c"],
	"metrics":{"aggregation_function":"average","details":[
		{"metric_name":"accuracy","metric_type":"PYTHON","aggregate":0.67,"values":[1,1,0],
		 "datapoints":{"passed":["a","b",null],"failed":["c"]}}]},
	"datapoints":[
		{"datapoint_id":"a","passed":true,"metrics":[{"name":"accuracy","value":1}]},
		{"datapoint_id":"b","passed":true,"metrics":[{"name":"accuracy","value":1}]},
		{"datapoint_id":"c","passed":false,"metrics":[{"name":"accuracy","value":0}]},
		{"datapoint_id":null,"session_id":null,"passed":true,"metrics":[{"name":"accuracy","value":1}]}]}`

// NullIDsSummary answers a summary request with NullIDsSummaryBody.
func NullIDsSummary() Fault {
	return okBody([]byte(NullIDsSummaryBody), "summary with null, empty and repeated datapoint IDs")
}

// ContradictorySummaryBody is a completed run's summary that lists datapoint
// b as both passed and failed.
const ContradictorySummaryBody = `{"status":"completed","success":false,"error":null,
	"passed":["a","b"],"failed":["b","c"],
	"metrics":{"aggregation_function":"average","details":[
		{"metric_name":"accuracy","metric_type":"PYTHON","aggregate":0.5,"datapoints":{"passed":["a","b"],"failed":["c"]}}]},
	"datapoints":[{"datapoint_id":"a"},{"datapoint_id":"b"},{"datapoint_id":"c"}]}`

// ContradictorySummary answers a summary request with
// ContradictorySummaryBody.
func ContradictorySummary() Fault {
	return okBody([]byte(ContradictorySummaryBody), "summary with a datapoint both passed and failed")
}

// InconsistentComparisonBody is a comparison whose counts disagree with
// their lists: accuracy says degraded_count 0 but lists a degraded datapoint
// (twice) and improved_count 2 with one listed; commonDatapoints repeats an
// ID and holds a null.
const InconsistentComparisonBody = `{"commonDatapoints":["a","b","c","a",null],"metrics":[
	{"metric_name":"accuracy","metric_type":"PYTHON","old_aggregate":0.5,"new_aggregate":0.5,"difference":0,
	 "percentage_change":0,"found_count":3,"improved_count":2,"degraded_count":0,"same_count":1,
	 "improved":["a"],"degraded":["b","b"],"same":["c"],"old_values":[0,1,1],"new_values":[1,0,1]}],
	"event_details":[],"old_run":null,"new_run":null}`

// InconsistentComparison answers a comparison request with
// InconsistentComparisonBody; summary requests of the run leave it queued.
func InconsistentComparison() Fault {
	return OnlyComparisons(okBody([]byte(InconsistentComparisonBody), "comparison whose counts disagree with its lists"))
}
