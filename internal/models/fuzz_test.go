package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// summarySeeds are the summary bodies of the tests, for the fuzz corpus.
func summarySeeds(f *testing.F) [][]byte {
	seeds := [][]byte{
		readTestdata(f, "summary_api_example.json"),
		[]byte(legacySummaryBody), []byte(bothFormatsSummaryBody), []byte(emptyDetailsWithLegacyBody),
		[]byte(repeatedMetricSummaryBody), []byte(mixedValuesSummaryBody), []byte(datapointsSummaryBody),
		[]byte(passingRangeSummaryBody),
		[]byte(`{"status":"archived"}`), []byte(`{"metrics":{"details":null}}`), []byte(`{"metrics":{"":{"aggregate":2}}}`),
	}
	for _, c := range append(slices.Clone(nonObjectBodyCases), summaryErrorCases...) {
		seeds = append(seeds, []byte(c.body))
	}
	for _, c := range datapointBodies {
		seeds = append(seeds, []byte(c.body))
	}
	// The bodies that found issue 21: metric entries beyond the limit (here
	// a few, with the limits the target also decodes with), null, empty and
	// repeated IDs, an ID both passed and failed, datapoints without IDs.
	seeds = append(seeds, localhoneyhive.HostileMetricsSummaryBody(3),
		[]byte(localhoneyhive.NullIDsSummaryBody), []byte(localhoneyhive.ContradictorySummaryBody),
		[]byte(`{"passed":["a",null,"","a"],"failed":[null,"b","b"],"datapoints":[null,{},{"datapoint_id":""},{"session_id":"a"},{"datapoint_id":"a"}]}`),
		[]byte(`{"metrics":{"x":{"datapoints":{"passed":["a"],"failed":["a"]}}}}`),
		[]byte(`{"datapoints":[{"datapoint_id":"a"},{"datapoint_id":"b"}],"datapoints":[{}],"datapoints":[null,{"session_id":""}]}`))
	return seeds
}

// fuzzLimits are small enough for the fuzzer to cross.
var fuzzLimits = DecodeLimits{MaxMetrics: 2, MaxDatapoints: 3}

// checkConsistent checks what decoding guarantees of a summary's lists: no
// null or empty ID, no repeat, nothing both passed and failed.
func checkConsistent(t *testing.T, passed, failed []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, list := range [][]string{passed, failed} {
		inList := map[string]bool{}
		for _, id := range list {
			if id == "" || inList[id] {
				t.Fatalf("empty or repeated ID %q in %q", id, list)
			}
			if seen[id] {
				t.Fatalf("ID %q both passed and failed", id)
			}
			inList[id] = true
		}
		for id := range inList {
			seen[id] = true
		}
	}
}

// checkWithinLimits decodes body with fuzzLimits: either a LimitError, or
// the same summary with no list beyond the limits.
func checkWithinLimits(t *testing.T, body []byte) {
	t.Helper()
	for _, skip := range []bool{false, true} {
		mode := fmt.Sprintf("skip datapoints %v", skip)
		s, err := DecodeExperimentResultSummaryWith("run", body, SummaryDecodeOptions{SkipDatapoints: skip, Limits: fuzzLimits})
		var le *LimitError
		if errors.As(err, &le) {
			continue
		}
		if err != nil {
			t.Fatalf("%s: error %v with limits, none without", mode, err)
		}
		entries := s.Metrics.Entries()
		if len(s.Metrics.Details)+len(s.Metrics.Legacy) > fuzzLimits.MaxMetrics || len(s.Passed) > fuzzLimits.MaxDatapoints ||
			len(s.Failed) > fuzzLimits.MaxDatapoints || len(s.Datapoints) > fuzzLimits.MaxDatapoints {
			t.Fatalf("%s: beyond the limits: %+v", mode, s)
		}
		for _, m := range entries {
			if len(m.Values) > fuzzLimits.MaxDatapoints {
				t.Fatalf("%s: %d values", mode, len(m.Values))
			}
		}
	}
}

func FuzzDecodeExperimentResultSummary(f *testing.F) {
	for _, s := range summarySeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := DecodeExperimentResultSummary("run", body)
		if err != nil {
			if s != nil {
				t.Fatalf("error %v along with a summary", err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			checkRejectedAsEncodingJSON(t, body, err)
			return
		}
		// Decoding less (counted or compact datapoints, no metric values)
		// keeps the rest as it is.
		checkDecodeOptionsAgree(t, body, s)
		checkConsistent(t, s.Passed, s.Failed)
		for _, m := range s.Metrics.Entries() {
			if m.Datapoints != nil {
				checkConsistent(t, m.Datapoints.Passed, m.Datapoints.Failed)
			}
		}
		checkWithinLimits(t, body)
		// A decoded summary re-marshals, and its metrics read back the same.
		b, err := json.Marshal(s.Metrics)
		if err != nil {
			t.Fatalf("json.Marshal(metrics): %v", err)
		}
		var back AggregatedMetrics
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-decoding the marshaled metrics %s: %v", b, err)
		}
		checkSameMetrics(t, back, s.Metrics)
		// The whole summary re-decodes too.
		whole, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("json.Marshal(summary): %v", err)
		}
		again, err := DecodeExperimentResultSummary("run", whole)
		if err != nil {
			t.Fatalf("re-decoding the marshaled summary %s: %v", whole, err)
		}
		if again.Status != s.Status || again.Success != s.Success || !slices.Equal(again.DatapointIDs(), s.DatapointIDs()) {
			t.Fatalf("summary changed in a round trip:\n got %+v\nwant %+v", again, s)
		}
		// The accessors agree with each other.
		names := s.Metrics.ListMetrics()
		all := s.Metrics.GetAllMetrics()
		if len(names) != len(s.Metrics.Entries()) {
			t.Fatalf("ListMetrics() has %d names, Entries() %d", len(names), len(s.Metrics.Entries()))
		}
		for _, name := range names {
			if _, ok := s.Metrics.GetMetric(name); !ok {
				t.Fatalf("listed metric %q not found by GetMetric", name)
			}
			if _, ok := all[name]; !ok {
				t.Fatalf("listed metric %q missing from GetAllMetrics", name)
			}
		}
		if len(all) > len(names) {
			t.Fatalf("GetAllMetrics() has %d entries for %d names", len(all), len(names))
		}
	})
}

// checkRejectedAsEncodingJSON checks that a summary body the decoder
// rejected is one encoding/json rejects too, unless it contradicts itself or
// is not an object.
func checkRejectedAsEncodingJSON(t *testing.T, body []byte, err error) {
	t.Helper()
	var conflict *ConflictError
	trimmed := bytes.TrimSpace(body)
	if errors.As(err, &conflict) || len(trimmed) == 0 || trimmed[0] != '{' {
		return
	}
	var ref struct {
		Status     *string           `json:"status"`
		Success    *bool             `json:"success"`
		Error      *string           `json:"error"`
		Passed     []string          `json:"passed"`
		Failed     []string          `json:"failed"`
		Metrics    AggregatedMetrics `json:"metrics"`
		Datapoints []DatapointResult `json:"datapoints"`
	}
	if json.Unmarshal(trimmed, &ref) == nil {
		t.Fatalf("error %v for a body encoding/json decodes: %q", err, body)
	}
}

func FuzzDecodeRunComparisonResult(f *testing.F) {
	f.Add(readTestdata(f, "comparison_api_example.json"))
	for _, body := range []string{
		specOnlyComparisonBody, nullsComparisonBody, listsComparisonBody, mixedValuesComparisonBody,
		`{"metrics":[{"metric_name":"a","found_count":2.5}]}`, `{"metrics":[{"improved_count":-1}]}`,
		`{"metrics":[{"same_count":"3"}]}`, `{"metrics":[{"degraded_count":true}]}`, `{"metrics":[{"found_count":1e400}]}`,
		// Issue 21: counts that disagree with their lists, null and repeated IDs.
		localhoneyhive.InconsistentComparisonBody,
		`{"commonDatapoints":["a",null,"","a"],"metrics":[{"metric_name":"m","degraded_count":0,"degraded":["x","x",null],"improved":[],"same":[""]}]}`,
	} {
		f.Add([]byte(body))
	}
	for _, c := range append(slices.Clone(nonObjectBodyCases), comparisonErrorCases...) {
		f.Add([]byte(c.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeRunComparisonResult("new", "old", body)
		if err != nil {
			if r != nil {
				t.Fatalf("error %v along with a result", err)
			}
			return
		}
		if r.NewRunID != "new" || r.OldRunID != "old" {
			t.Fatalf("run IDs = %q, %q", r.NewRunID, r.OldRunID)
		}
		checkComparisonOptionsAgree(t, body, r)
		if r.CommonDatapoints != len(r.CommonDatapointIDs) {
			t.Fatalf("CommonDatapoints = %d for %d IDs", r.CommonDatapoints, len(r.CommonDatapointIDs))
		}
		checkConsistent(t, r.CommonDatapointIDs, nil)
		// Counts follow their lists.
		for _, d := range r.MetricDeltas {
			for _, c := range []struct {
				ids   []string
				count *int64
			}{{d.Improved, d.ImprovedCount}, {d.Degraded, d.DegradedCount}, {d.Same, d.SameCount}} {
				checkConsistent(t, c.ids, nil)
				if c.ids != nil && (c.count == nil || *c.count != int64(len(c.ids))) {
					t.Fatalf("count %v for the list %q", c.count, c.ids)
				}
			}
		}
		for _, d := range r.MetricDeltas {
			for _, c := range []*int64{d.FoundCount, d.ImprovedCount, d.DegradedCount, d.SameCount} {
				if c != nil && *c < 0 {
					t.Fatalf("negative count in %+v", d)
				}
			}
		}
		names := r.MetricNames()
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Fatalf("MetricNames() repeats %q", n)
			}
			seen[n] = true
			if _, ok := r.GetMetricDelta(n); !ok {
				t.Fatalf("GetMetricDelta(%q) not found", n)
			}
		}
		for _, list := range [][]string{r.ListImprovedMetrics(), r.ListDegradedMetrics()} {
			for _, n := range list {
				if !seen[n] {
					t.Fatalf("listed metric %q is not in MetricNames()", n)
				}
			}
		}
		r.CountExclusiveDatapoints(&ExperimentResultSummary{}, &ExperimentResultSummary{})
		if r.NewOnlyDatapoints != 0 || r.OldOnlyDatapoints != 0 {
			t.Fatalf("empty runs: %d, %d", r.NewOnlyDatapoints, r.OldOnlyDatapoints)
		}
	})
}
