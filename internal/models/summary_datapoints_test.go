package models

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// datapointBodies are summaries whose datapoints are awkward to read by hand:
// escapes, non-ASCII text, keys in other cases, repeated keys (which
// encoding/json merges), nulls where objects go, and every kind of value.
var datapointBodies = []struct {
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

func TestDecodeDatapoints(t *testing.T) {
	for _, tc := range datapointBodies {
		t.Run(tc.name, func(t *testing.T) {
			full, err := DecodeExperimentResultSummary("run", []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			checkDecodeOptionsAgree(t, []byte(tc.body), full)
		})
	}
	// Names, event names and event types are kept once, shared by every
	// datapoint.
	s := decodeSummary(t, `{"datapoints":[{"datapoint_id":"a","metrics":[{"name":"acc","event_name":"e","event_type":"model","value":1}]},
		{"datapoint_id":"b","metrics":[{"name":"acc","event_name":"e","event_type":"model","value":2}]}]}`)
	m0, m1 := s.Datapoints[0].Metrics[0], s.Datapoints[1].Metrics[0]
	if m0.EventName != m1.EventName || m0.EventType != m1.EventType || unsafe.StringData(m0.Name) != unsafe.StringData(m1.Name) {
		t.Error("the same name, event name or event type is held twice")
	}
}

// jsonTexts are valid and invalid JSON texts, to check that the summary
// decoder accepts exactly what encoding/json accepts wherever they are.
var jsonTexts = []string{
	`0`, `-0`, `-0.5e+10`, `1E-2`, `123456789012345678901234567890`, `1e400`,
	`""`, `"a\"b\\c\/d\b\f\n\r\t\u00e9\uD834\uDD1E"`, `"\ud800"`, "\"\xff\xfe\"", `"é漢"`,
	`true`, `false`, `null`, `[]`, `{}`, ` [ 1 , [ ] , { } , "x" ] `,
	`{"a":{"b":[1,{"c":null}]},"d":"e"}`, `{"":1}`,
	// Invalid.
	``, ` `, `-`, `01`, `1.`, `.5`, `1e`, `1e+`, `+1`, `0x10`, `NaN`, `Infinity`, `tru`, `nul`, `True`,
	`"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, "\"a\tb\"", "\"a\x00b\"",
	`[`, `]`, `[1,]`, `[,1]`, `[1 2]`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,}`, `{1:2}`, `{"a" 1}`,
	`[1]]`, `{"a":1}}`, `1 2`, `"a" "b"`, "0\x00", "[1]\x00",
	strings.Repeat("[", 9990) + strings.Repeat("]", 9990),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

// Wherever a value is read (past, as a field, as a datapoint's value or ID),
// the summary decoder accepts exactly what encoding/json accepts.
func TestDecodeSummaryAcceptsWhatEncodingJSONAccepts(t *testing.T) {
	for _, text := range jsonTexts {
		for _, body := range []string{
			`{"extra":` + text + `}`,
			`{"datapoints":[{"extra":` + text + `}]}`,
			`{"datapoints":[{"datapoint_id":"a","metrics":[{"name":"x","value":` + text + `}]}]}`,
			`{"metrics":{"details":[{"metric_name":"x","aggregate":` + text + `}]}}`,
			`{"status":"completed"}` + text,
		} {
			for _, skip := range []bool{false, true} {
				_, err := DecodeExperimentResultSummaryWith("run", []byte(body), SummaryDecodeOptions{SkipDatapoints: skip})
				if valid := json.Valid([]byte(body)); valid != (err == nil) {
					t.Fatalf("%.80q (skip datapoints %v): json.Valid = %v, error = %v", body, skip, valid, err)
				}
			}
		}
	}
}

// Bodies whose datapoints have the wrong types: errors, as for
// encoding/json. A list that is not one, or elements that are not objects,
// are errors with SkipDatapoints too (it reads only the IDs of each).
func TestDecodeDatapointsErrors(t *testing.T) {
	for _, tc := range []struct {
		body       string
		skippedToo bool
	}{
		{`{"datapoints":{}}`, true}, {`{"datapoints":[1]}`, true}, {`{"datapoints":["a"]}`, true}, {`{"datapoints":[[]]}`, true},
		{`{"datapoints":[{"datapoint_id":1}]}`, false}, {`{"datapoints":[{"session_id":true}]}`, false},
		{`{"datapoints":[{"passed":"yes"}]}`, false}, {`{"datapoints":[{"metrics":{}}]}`, false},
		{`{"datapoints":[{"metrics":[1]}]}`, false}, {`{"datapoints":[{"metrics":[{"passed":0}]}]}`, false},
		{`{"datapoints":[{"metrics":[{"name":1}]}]}`, false}, {`{"datapoints":[{"metrics":[{"event_name":[]}]}]}`, false},
	} {
		if _, err := DecodeExperimentResultSummary("run", []byte(tc.body)); err == nil {
			t.Errorf("%s: no error", tc.body)
		}
		_, err := DecodeExperimentResultSummaryWith("run", []byte(tc.body), SummaryDecodeOptions{SkipDatapoints: true})
		if (err != nil) != tc.skippedToo {
			t.Errorf("%s: error with SkipDatapoints = %v, want one: %v", tc.body, err, tc.skippedToo)
		}
		var ref struct {
			Datapoints []DatapointResult `json:"datapoints"`
		}
		if err := json.Unmarshal([]byte(tc.body), &ref); err == nil {
			t.Errorf("%s: encoding/json has no error", tc.body)
		}
	}
}

// checkDecodeOptionsAgree checks that body decoded in full, full, holds the
// datapoints encoding/json decodes (cleaned as consistency.go says), and
// that decoding it with each of SummaryDecodeOptions gives full less what the
// option leaves out: without the datapoints, their count; without metric
// values, the rest of each metric.
func checkDecodeOptionsAgree(t *testing.T, body []byte, full *ExperimentResultSummary) {
	t.Helper()
	if (full.DatapointCount == nil) != (full.Datapoints == nil) ||
		(full.DatapointCount != nil && *full.DatapointCount != len(full.Datapoints)) {
		t.Fatalf("full decode: DatapointCount %v for %d datapoints (nil list: %v)",
			optCount(full.DatapointCount), len(full.Datapoints), full.Datapoints == nil)
	}
	var ref struct {
		Datapoints []DatapointResult `json:"datapoints"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(body), &ref); err != nil {
		t.Fatalf("decodes, but not with encoding/json: %v", err)
	}
	if ref.Datapoints != nil {
		ref.Datapoints = (&idLists{}).cleanDatapoints(ref.Datapoints)
	}
	if !reflect.DeepEqual(full.Datapoints, ref.Datapoints) {
		t.Fatalf("datapoints differ from encoding/json's:\n got %+v\nwant %+v", full.Datapoints, ref.Datapoints)
	}
	for _, opts := range []SummaryDecodeOptions{
		{SkipDatapoints: true},
		{SkipMetricValues: true},
		{SkipDatapoints: true, SkipMetricValues: true},
	} {
		got, err := DecodeExperimentResultSummaryWith("run", body, opts)
		if err != nil {
			t.Fatalf("decodes in full but not with %+v: %v", opts, err)
		}
		if optCount(got.DatapointCount) != optCount(full.DatapointCount) {
			t.Fatalf("DatapointCount = %s with %+v, %s in full", optCount(got.DatapointCount), opts, optCount(full.DatapointCount))
		}
		want := *full
		if opts.SkipDatapoints {
			want.Datapoints = nil
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
		if string(gotJSON) != string(wantJSON) || !reflect.DeepEqual(got.RunObject, full.RunObject) ||
			!reflect.DeepEqual(got.Anomalies, full.Anomalies) {
			t.Fatalf("%+v changed the rest of the summary:\n got %s %+v\nwant %s %+v", opts, gotJSON, got.Anomalies, wantJSON, full.Anomalies)
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
