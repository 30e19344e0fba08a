package models

import "testing"

func TestDecodeSummaryRunObject(t *testing.T) {
	s, err := DecodeExperimentResultSummary("r", []byte(`{"status":"completed","metrics":{"details":[]},
		"run_object":{"run_id":"r","name":"nightly","dataset_id":"ds-1","metadata":{"k":1},"metrics":{"a":1}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.RunObject == nil || *s.RunObject.Name != "nightly" || *s.RunObject.DatasetID != "ds-1" ||
		string(s.RunObject.Metadata) != `{"k":1}` || len(s.RunObject.MetricNames) != 1 {
		t.Errorf("run object = %+v", s.RunObject)
	}
	s, err = DecodeExperimentResultSummary("r", []byte(`{"status":"completed","run_object":null}`))
	if err != nil || s.RunObject != nil {
		t.Errorf("null run_object: %+v, %v", s.RunObject, err)
	}
	// An unreadable run_object does not fail the results: it is left out, and
	// callers fetch the run object.
	for _, body := range []string{`{"run_object":{"metrics":[]}}`, `{"run_object":{"id":1}}`, `{"run_object":"x"}`} {
		s, err := DecodeExperimentResultSummary("r", []byte(body))
		if err != nil || s.RunObject != nil {
			t.Errorf("%s: run object %+v, error %v; want nil, nil", body, s.RunObject, err)
		}
	}
}

// A summary without a status of its own takes its run object's, so that a
// gate on status does not read "" from an older body.
func TestDecodeSummaryStatusFallsBackToRunObject(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       ExperimentRunStatus
	}{
		{"summary status wins", `{"status":"running","run_object":{"status":"completed"}}`, StatusRunning},
		{"missing", `{"run_object":{"status":"failed"}}`, StatusFailed},
		{"null", `{"status":null,"run_object":{"status":"completed"}}`, StatusCompleted},
		{"empty", `{"status":"","run_object":{"status":"cancelled"}}`, StatusCancelled},
		{"neither", `{"run_object":{"status":null}}`, ""},
		{"no run object", `{}`, ""},
		{"unreadable run object", `{"run_object":{"id":1,"status":"completed"}}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := DecodeExperimentResultSummary("r", []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if s.Status != tc.want {
				t.Errorf("Status = %q, want %q", s.Status, tc.want)
			}
			for _, skip := range []bool{false, true} {
				opts := SummaryDecodeOptions{SkipDatapoints: skip, SkipMetricValues: true}
				partial, err := DecodeExperimentResultSummaryWith("r", []byte(tc.body), opts)
				if err != nil || partial.Status != tc.want {
					t.Errorf("%+v: Status = %q, %v; want %q", opts, partial.Status, err, tc.want)
				}
			}
		})
	}
}
