package models

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Null or empty IDs are skipped and repeated ones counted once, in every
// list of a summary and with every way of decoding its datapoints.
func TestSummaryConsistency(t *testing.T) {
	body := `{"passed":["a",null,"b","a",""],"failed":["c","c"],
		"metrics":{"details":[{"metric_name":"acc","datapoints":{"passed":["a",null],"failed":["b","b"]}}]},
		"datapoints":[{"datapoint_id":"a"},{"datapoint_id":null,"session_id":"s"},{"datapoint_id":"","session_id":""},null,{"datapoint_id":"a"}]}`
	wantAnomalies := []Anomaly{
		{Kind: AnomalyMissingIDs, Where: "datapoints", Count: 2},
		{Kind: AnomalyRepeatedIDs, Where: "datapoints", Count: 1},
		{Kind: AnomalyMissingIDs, Where: "passed", Count: 2},
		{Kind: AnomalyRepeatedIDs, Where: "passed", Count: 1},
		{Kind: AnomalyRepeatedIDs, Where: "failed", Count: 1},
		{Kind: AnomalyMissingIDs, Where: `metric "acc" datapoints.passed`, Count: 1},
		{Kind: AnomalyRepeatedIDs, Where: `metric "acc" datapoints.failed`, Count: 1},
	}
	for _, skip := range []bool{false, true} {
		mode := fmt.Sprintf("skip datapoints %v", skip)
		s, err := DecodeExperimentResultSummaryWith("run", []byte(body), SummaryDecodeOptions{SkipDatapoints: skip})
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if !reflect.DeepEqual(s.Passed, []string{"a", "b"}) || !reflect.DeepEqual(s.Failed, []string{"c"}) {
			t.Errorf("%s: passed %q, failed %q", mode, s.Passed, s.Failed)
		}
		acc := s.Metrics.Details[0].Datapoints
		if !reflect.DeepEqual(acc.Passed, []string{"a"}) || !reflect.DeepEqual(acc.Failed, []string{"b"}) {
			t.Errorf("%s: metric lists %q, %q", mode, acc.Passed, acc.Failed)
		}
		if optCount(s.DatapointCount) != "2" {
			t.Errorf("%s: DatapointCount %s, want 2 (a and s)", mode, optCount(s.DatapointCount))
		}
		// The datapoints' anomalies come last; the others are in the lists'
		// order.
		got := s.Anomalies
		got = append(got[len(got)-2:len(got):len(got)], got[:len(got)-2]...)
		if !reflect.DeepEqual(got, wantAnomalies) {
			t.Errorf("%s: anomalies\n%+v\nwant\n%+v", mode, got, wantAnomalies)
		}
	}
	// A clean body has none, and its lists are the decoded slices as they are.
	s := decodeSummary(t, `{"passed":["a"],"failed":["b"],"datapoints":[{"datapoint_id":"a"},{"session_id":"b"}]}`)
	if s.Anomalies != nil || optCount(s.DatapointCount) != "2" {
		t.Errorf("clean body: anomalies %+v, count %s", s.Anomalies, optCount(s.DatapointCount))
	}
}

// An ID both passed and failed is an error naming the lists and the IDs.
func TestSummaryConflict(t *testing.T) {
	tests := []struct {
		name, body, where string
		ids               []string
		count             int
	}{
		{"run", `{"passed":["a","b","c"],"failed":["c","b","d"]}`, "passed and failed", []string{"c", "b"}, 2},
		{"metric", `{"metrics":{"details":[{"metric_name":"acc","datapoints":{"passed":["x"],"failed":["x"]}}]}}`,
			`metric "acc" datapoints.passed and metric "acc" datapoints.failed`, []string{"x"}, 1},
		{"legacy metric", `{"metrics":{"acc":{"datapoints":{"passed":["x"],"failed":["x"]}}}}`,
			`metric "acc" datapoints.passed and metric "acc" datapoints.failed`, []string{"x"}, 1},
		{"many", `{"passed":["1","2","3","4","5","6","7"],"failed":["1","2","3","4","5","6","7"]}`, "passed and failed",
			[]string{"1", "2", "3", "4", "5"}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeExperimentResultSummaryWith("run", []byte(tt.body), SummaryDecodeOptions{SkipDatapoints: true})
			var ce *ConflictError
			if !errors.As(err, &ce) {
				t.Fatalf("error = %v, want a ConflictError", err)
			}
			if ce.Where != tt.where || !reflect.DeepEqual(ce.IDs, tt.ids) || ce.Count != tt.count {
				t.Fatalf("ConflictError = %+v", ce)
			}
			if tt.count > 5 && !strings.Contains(err.Error(), "and 2 more") {
				t.Fatalf("message %q does not say how many more", err)
			}
		})
	}
	// A null or empty ID in both lists is skipped, not a conflict.
	if _, err := DecodeExperimentResultSummary("run", []byte(`{"passed":[null,""],"failed":["",null]}`)); err != nil {
		t.Fatal(err)
	}
}

// A comparison's lists are cleaned as a summary's; counts that disagree with
// their lists are replaced by the lists' lengths, with or without the lists
// decoded, and the improved and degraded metrics follow.
func TestComparisonConsistency(t *testing.T) {
	body := `{"commonDatapoints":["a","b","a",null,"c",""],"metrics":[
		{"metric_name":"acc","found_count":3,"improved_count":0,"degraded_count":0,"same_count":1,
		 "improved":["a"],"degraded":["b","b",null],"same":["c"]},
		{"metric_name":"tone","found_count":9,"improved_count":2,"degraded_count":null,"same_count":0,
		 "improved":[],"degraded":[],"same":["a"]},
		{"metric_name":"len","found_count":1,"improved_count":1,"degraded":["a"]}]}`
	want := []Anomaly{
		{Kind: AnomalyMissingIDs, Where: "commonDatapoints", Count: 2},
		{Kind: AnomalyRepeatedIDs, Where: "commonDatapoints", Count: 1},
		{Kind: AnomalyCountMismatch, Where: `metric "acc"`, Field: "improved_count", Reported: 0, Listed: 1},
		{Kind: AnomalyMissingIDs, Where: `metric "acc" degraded`, Count: 1},
		{Kind: AnomalyRepeatedIDs, Where: `metric "acc" degraded`, Count: 1},
		{Kind: AnomalyCountMismatch, Where: `metric "acc"`, Field: "degraded_count", Reported: 0, Listed: 1},
		{Kind: AnomalyCountMismatch, Where: `metric "tone"`, Field: "improved_count", Reported: 2, Listed: 0},
		{Kind: AnomalyCountMismatch, Where: `metric "tone"`, Field: "same_count", Reported: 0, Listed: 1},
		{Kind: AnomalyCountMismatch, Where: `metric "tone"`, Field: "found_count", Reported: 9, Listed: 1},
	}
	for _, skip := range []bool{false, true} {
		r, err := DecodeRunComparisonResultWith("new", "old", []byte(body), ComparisonDecodeOptions{SkipDatapointLists: skip})
		if err != nil {
			t.Fatalf("skip %t: %v", skip, err)
		}
		if r.CommonDatapoints != 3 {
			t.Errorf("skip %t: CommonDatapoints %d, want 3", skip, r.CommonDatapoints)
		}
		if !skip && !reflect.DeepEqual(r.CommonDatapointIDs, []string{"a", "b", "c"}) {
			t.Errorf("CommonDatapointIDs %q", r.CommonDatapointIDs)
		}
		if !reflect.DeepEqual(r.Anomalies, want) {
			t.Errorf("skip %t: anomalies\n%+v\nwant\n%+v", skip, r.Anomalies, want)
		}
		acc := r.MetricDeltas[0]
		if *acc.ImprovedCount != 1 || *acc.DegradedCount != 1 || *acc.SameCount != 1 || *acc.FoundCount != 3 {
			t.Errorf("skip %t: acc counts %d %d %d %d", skip, *acc.ImprovedCount, *acc.DegradedCount, *acc.SameCount, *acc.FoundCount)
		}
		// len: a degraded list with no degraded_count sent takes its length;
		// its found_count stays as sent (not every list is there).
		length := r.MetricDeltas[2]
		if length.DegradedCount == nil || *length.DegradedCount != 1 || *length.FoundCount != 1 || *length.ImprovedCount != 1 {
			t.Errorf("skip %t: len counts %+v", skip, length)
		}
		if got := r.ListDegradedMetrics(); !reflect.DeepEqual(got, []string{"acc", "len"}) {
			t.Errorf("skip %t: degraded metrics %q", skip, got)
		}
		if got := r.ListImprovedMetrics(); !reflect.DeepEqual(got, []string{"acc", "len"}) {
			t.Errorf("skip %t: improved metrics %q", skip, got)
		}
	}
}

func TestAnomalyString(t *testing.T) {
	tests := []struct {
		a    Anomaly
		want string
	}{
		{Anomaly{Kind: AnomalyMissingIDs, Where: "passed", Count: 1}, "passed: 1 null or empty datapoint ID skipped"},
		{Anomaly{Kind: AnomalyRepeatedIDs, Where: "failed", Count: 3}, "failed: 3 repeated datapoint IDs counted once"},
		{Anomaly{Kind: AnomalyCountMismatch, Where: `metric "acc"`, Field: "degraded_count", Reported: 0, Listed: 2},
			`metric "acc": degraded_count is 0 but the list holds 2; 2 is used`},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
