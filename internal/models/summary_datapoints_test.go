package models

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// pairingBodies are summaries whose datapoints are awkward to read by hand:
// escapes, non-ASCII text, keys in other cases, repeated keys (which
// encoding/json merges), nulls where objects go, and every kind of value.
var pairingBodies = []struct {
	name string
	body string
}{
	{"test body", datapointsSummaryBody},
	{"escapes and unicode", `{"datapoints":[{"datapoint_id":"dp\u002d1\n","session_id":"s\u00e9","metrics":[
		{"name":"acc\u0075racy","event_name":"\u6f22","value":0.5},{"name":"\u00e9t\u00e9","value":true},
		{"name":"ok","event_name":"bad\ud800","value":false}]}]}`},
	{"invalid UTF-8", "{\"datapoints\":[{\"datapoint_id\":\"a\xffb\",\"metrics\":[{\"name\":\"n\xfe\",\"value\":1}]}]}"},
	{"keys in other cases", `{"datapoints":[{"DATAPOINT_ID":"a","Session_Id":"s","Metrics":[{"NAME":"x","Event_Name":"e","VALUE":2}]},
		{"datapoint_\u0069d":"b","metrics":[{"name":"x","value":3}]}]}`},
	{"Kelvin and long s", "{\"datapoints\":[{\"\u017fession_id\":\"s\",\"metrics\":[{\"name\":\"x\",\"value\":1}]}]}"},
	{"repeated keys", `{"datapoints":[{"datapoint_id":"a","datapoint_id":null,"session_id":"s","session_id":"t",
		"metrics":[{"name":"x","value":1},{"name":"y","value":2}],"metrics":[{"value":5}],
		"metrics":[{"event_name":"e"},{"name":"z"}]}]}`},
	{"repeated lists", `{"datapoints":[{"datapoint_id":"a","metrics":[{"name":"x","value":1}]},{"datapoint_id":"b"}],
		"datapoints":[{"session_id":"s"}],"datapoints":[null,{"metrics":[{"name":"q","value":7}]}]}`},
	{"empty list replaces", `{"datapoints":[{"datapoint_id":"a"}],"datapoints":[],"datapoints":[{"session_id":"b"}]}`},
	{"null list", `{"datapoints":[{"datapoint_id":"a"}],"datapoints":null}`},
	{"null elements", `{"datapoints":[null,{"metrics":[null,{"name":"x","value":null}]}]}`},
	{"null name keeps the name", `{"datapoints":[{"metrics":[{"name":"x","name":null,"value":1}]}]}`},
	{"values of every kind", `{"datapoints":[{"datapoint_id":"a","metrics":[
		{"name":"int","value":3},{"name":"neg","value":-0.25e-2},{"name":"big","value":1e400},{"name":"tiny","value":1e-400},
		{"name":"t","value":true},{"name":"f","value":false},{"name":"s","value":"0.5"},{"name":"n","value":null},
		{"name":"arr","value":[1,2]},{"name":"obj","value":{"a":1}},{"name":"none"}]}]}`},
	{"other fields skipped", `{"datapoints":[{"datapoint_id":"a","passed":true,"extra":{"deep":[[[{}]]]},"metrics":[
		{"name":"x","event_type":"model","passed":false,"value":1,"more":[null,"\"]"]}]}]}`},
	{"white space", "{\"datapoints\" : [ { \"datapoint_id\" : \"a\" , \"metrics\" : [ { \"name\" : \"x\" , \"value\" : 1 } ] } ] }"},
}

func TestDecodePairingDatapoints(t *testing.T) {
	for _, tc := range pairingBodies {
		t.Run(tc.name, func(t *testing.T) {
			full, err := DecodeExperimentResultSummary("run", []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			checkDecodeOptionsAgree(t, []byte(tc.body), full)
		})
	}
}

// What the compact form holds, spelled out for one body.
func TestDecodePairingDatapointsValues(t *testing.T) {
	s, err := DecodeExperimentResultSummaryWith("run", []byte(`{"datapoints":[
		{"datapoint_id":null,"session_id":"s1","metrics":[{"name":"acc","event_name":"e","value":0.75},{"name":"ok","value":true}]},
		{"datapoint_id":"d2","metrics":[{"name":"acc","event_name":"e","value":"high"},{"name":"big","value":1e400}]},
		{}]}`), SummaryDecodeOptions{Datapoints: DatapointsForPairing})
	if err != nil {
		t.Fatal(err)
	}
	e := "e"
	want := []PairingDatapoint{
		{SessionID: "s1", HasSessionID: true, Metrics: []PairingMetric{
			{Name: "acc", EventName: &e, Number: 0.75, Numeric: true}, {Name: "ok", Number: 1, Numeric: true}}},
		{DatapointID: "d2", HasDatapointID: true, Metrics: []PairingMetric{{Name: "acc", EventName: &e}, {Name: "big"}}},
		// The datapoint without an ID is left out.
	}
	if !reflect.DeepEqual(s.PairingDatapoints, want) {
		t.Errorf("PairingDatapoints = %+v\nwant %+v", s.PairingDatapoints, want)
	}
	if s.Datapoints != nil || optCount(s.DatapointCount) != "2" {
		t.Errorf("Datapoints = %v, DatapointCount = %s", s.Datapoints, optCount(s.DatapointCount))
	}
	if got := s.DatapointIDs(); !reflect.DeepEqual(got, []string{"s1", "d2"}) {
		t.Errorf("DatapointIDs() = %q", got)
	}
	// Event names are kept once, shared by every entry.
	if s.PairingDatapoints[0].Metrics[0].EventName != s.PairingDatapoints[1].Metrics[0].EventName {
		t.Error("the same event name is held twice")
	}
}

// Bodies the pairing form rejects: what it reads must have its type.
func TestDecodePairingDatapointsErrors(t *testing.T) {
	for _, body := range []string{
		`{"datapoints":{}}`, `{"datapoints":[1]}`, `{"datapoints":["a"]}`,
		`{"datapoints":[{"datapoint_id":1}]}`, `{"datapoints":[{"session_id":true}]}`,
		`{"datapoints":[{"metrics":{}}]}`, `{"datapoints":[{"metrics":[1]}]}`,
		`{"datapoints":[{"metrics":[{"name":1}]}]}`, `{"datapoints":[{"metrics":[{"event_name":[]}]}]}`,
	} {
		if _, err := DecodeExperimentResultSummaryWith("run", []byte(body), SummaryDecodeOptions{Datapoints: DatapointsForPairing}); err == nil {
			t.Errorf("%s: no error", body)
		}
		if _, err := DecodeExperimentResultSummary("run", []byte(body)); err == nil {
			t.Errorf("%s: the full decode has no error either", body)
		}
	}
}

// checkDecodeOptionsAgree checks that decoding body with each of
// SummaryDecodeOptions gives full (body decoded in full) less what the option
// leaves out: without the datapoints, their count; for pairing, their compact
// form; without metric values, the rest of each metric.
func checkDecodeOptionsAgree(t *testing.T, body []byte, full *ExperimentResultSummary) {
	t.Helper()
	if (full.DatapointCount == nil) != (full.Datapoints == nil) ||
		(full.DatapointCount != nil && *full.DatapointCount != len(full.Datapoints)) {
		t.Fatalf("full decode: DatapointCount %v for %d datapoints (nil list: %v)",
			optCount(full.DatapointCount), len(full.Datapoints), full.Datapoints == nil)
	}
	for _, opts := range []SummaryDecodeOptions{
		{Datapoints: DatapointsCounted},
		{Datapoints: DatapointsForPairing},
		{SkipMetricValues: true},
		{Datapoints: DatapointsCounted, SkipMetricValues: true},
		{Datapoints: DatapointsForPairing, SkipMetricValues: true},
	} {
		got, err := DecodeExperimentResultSummaryWith("run", body, opts)
		if err != nil {
			t.Fatalf("decodes in full but not with %+v: %v", opts, err)
		}
		if optCount(got.DatapointCount) != optCount(full.DatapointCount) {
			t.Fatalf("DatapointCount = %s with %+v, %s in full", optCount(got.DatapointCount), opts, optCount(full.DatapointCount))
		}
		want := *full
		switch opts.Datapoints {
		case DatapointsFull:
			if got.PairingDatapoints != nil {
				t.Fatalf("%+v kept pairing datapoints", opts)
			}
		case DatapointsCounted:
			want.Datapoints = nil
			if got.PairingDatapoints != nil {
				t.Fatalf("%+v kept pairing datapoints", opts)
			}
		case DatapointsForPairing:
			want.Datapoints = nil
			if pairing := full.pairingView(); !reflect.DeepEqual(got.PairingDatapoints, pairing) {
				t.Fatalf("pairing datapoints differ from the full decode's:\n got %+v\nwant %+v", got.PairingDatapoints, pairing)
			}
		}
		if opts.Datapoints != DatapointsFull && got.Datapoints != nil {
			t.Fatalf("%+v kept %d datapoints", opts, len(got.Datapoints))
		}
		if opts.SkipMetricValues {
			want.Metrics = withoutMetricValues(want.Metrics)
		}
		wantJSON, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		gotJSON, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if string(gotJSON) != string(wantJSON) || !reflect.DeepEqual(got.RunObject, full.RunObject) {
			t.Fatalf("%+v changed the rest of the summary:\n got %s\nwant %s", opts, gotJSON, wantJSON)
		}
	}
}

// withoutMetricValues returns m with every entry's Values nil.
func withoutMetricValues(m AggregatedMetrics) AggregatedMetrics {
	noValues := func(ds []MetricDetail) []MetricDetail {
		if ds == nil {
			return nil
		}
		out := slices.Clone(ds)
		for i := range out {
			out[i].Values = nil
		}
		return out
	}
	m.Details, m.Legacy = noValues(m.Details), noValues(m.Legacy)
	return m
}

func TestValuesByDatapoint(t *testing.T) {
	s := decodeSummary(t, `{
	  "metrics": {"details": [
	    {"metric_name": "acc", "event_name": "retriever"},
	    {"metric_name": "acc", "event_name": "generator"},
	    {"metric_name": "grade"},
	    {"metric_name": "absent"}
	  ]},
	  "datapoints": [
	    {"datapoint_id": "d1", "metrics": [{"name": "acc", "event_name": "generator", "value": 0},
	      {"name": "acc", "event_name": "retriever", "value": 1}, {"name": "grade", "value": "B"}]},
	    {"session_id": "s2", "metrics": [{"name": "acc", "event_name": "retriever", "value": true},
	      {"name": "grade", "event_name": "judge", "value": null}, {"name": "grade", "value": "A"}]},
	    {"metrics": [{"name": "acc", "event_name": "retriever", "value": 5}]},
	    {"datapoint_id": "d1", "metrics": [{"name": "acc", "event_name": "retriever", "value": 9}]},
	    {"datapoint_id": "d4", "metrics": null}
	  ]
	}`)
	got := s.ValuesByDatapoint()
	want := [][]DatapointValue{
		// By event where the name repeats; no ID, and a repeated ID, left out.
		{{"d1", Number(1)}, {"s2", Bool(true)}},
		{{"d1", Number(0)}},
		// A unique name: the first entry of the name, whatever its event.
		{{"d1", String("B")}, {"s2", Null()}},
		{},
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if !slices.EqualFunc(got[i], want[i], func(a, b DatapointValue) bool {
			return a.DatapointID == b.DatapointID && a.Value.Equal(b.Value)
		}) {
			t.Errorf("entry %d: %#v, want %#v", i, got[i], want[i])
		}
	}
}
