package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// repeatJSON returns n copies of elem separated by commas.
func repeatJSON(elem string, n int) string {
	return strings.TrimSuffix(strings.Repeat(elem+",", n), ",")
}

// Each list a summary or a comparison decodes is bounded, and a body over a
// limit fails with a LimitError naming the limit and the list, whatever the
// decoding options.
func TestDecodeLimits(t *testing.T) {
	small := DecodeLimits{MaxMetrics: 3, MaxDatapoints: 4}
	wide := DecodeLimits{MaxMetrics: 30, MaxDatapoints: 4}
	details := func(n int) string {
		return fmt.Sprintf(`{"metrics":{"details":[%s]}}`, repeatJSON(`{"metric_name":"m"}`, n))
	}
	ids := func(n int) string { return "[" + repeatJSON(`"x"`, n) + "]" }
	tests := []struct {
		name       string
		comparison bool
		body       string
		limit      string // "" when within the limits
		where      string
	}{
		{"details at the limit", false, details(3), "", ""},
		{"details over", false, details(4), LimitMetrics, "metrics.details"},
		{"legacy keys over", false, `{"metrics":{"aggregation_function":"average","a":{},"b":1,"c":{},"d":{}}}`, LimitMetrics, "metrics"},
		{"details and legacy together", false, `{"metrics":{"a":{},"details":[{},{}],"b":{}}}`, LimitMetrics, "metrics"},
		{"passed over", false, `{"passed":` + ids(5) + `}`, LimitDatapoints, "passed"},
		{"failed at the limit", false, `{"failed":` + ids(4) + `}`, "", ""},
		{"datapoints over", false, `{"datapoints":[` + repeatJSON(`{"datapoint_id":"a"}`, 5) + `]}`, LimitDatapoints, "datapoints"},
		{"metrics of a datapoint over", false, `{"datapoints":[{"metrics":[{},{},{},{}]}]}`, LimitMetrics, "datapoints[].metrics"},
		{"metric values over", false, `{"metrics":{"details":[{"values":[1,2,3,4,5]}]}}`, LimitDatapoints, "metrics.details[0].values"},
		{"metric passed over", false, `{"metrics":{"details":[{},{"datapoints":{"passed":` + ids(5) + `}}]}}`, LimitDatapoints, "metrics.details[1].datapoints.passed"},
		{"legacy metric failed over", false, `{"metrics":{"acc":{"datapoints":{"failed":` + ids(5) + `}}}}`, LimitDatapoints, "metrics.acc.datapoints.failed"},
		// 8 × 4 entries in all; each metric brings 9 (itself and 8 IDs).
		{"all lists together over", false, `{"metrics":{"details":[` +
			repeatJSON(`{"values":[1,2,3,4],"datapoints":{"passed":["a","b","c","d"]}}`, 10) + `]}}`, LimitListEntries, "metrics.details[3].datapoints.passed"},
		{"comparison metrics over", true, `{"metrics":[{},{},{},{}]}`, LimitMetrics, "metrics"},
		{"comparison common over", true, `{"commonDatapoints":` + ids(5) + `}`, LimitDatapoints, "commonDatapoints"},
		{"comparison degraded over", true, `{"metrics":[{"degraded":` + ids(5) + `}]}`, LimitDatapoints, "metrics[0].degraded"},
		{"comparison new values over", true, `{"metrics":[{},{"new_values":[1,2,3,4,5]}]}`, LimitDatapoints, "metrics[1].new_values"},
		{"comparison within", true, `{"commonDatapoints":["a","b"],"metrics":[{"metric_name":"m","improved":["a"],"same":["b"]}]}`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			small := small
			if tt.limit == LimitListEntries {
				small = wide
			}
			var errs []error
			if tt.comparison {
				for _, skip := range []bool{false, true} {
					_, err := DecodeRunComparisonResultWith("new", "old", []byte(tt.body), ComparisonDecodeOptions{SkipDatapointLists: skip, Limits: small})
					errs = append(errs, err)
				}
			} else {
				for _, skip := range []bool{false, true} {
					_, err := DecodeExperimentResultSummaryWith("run", []byte(tt.body), SummaryDecodeOptions{SkipDatapoints: skip, SkipMetricValues: true, Limits: small})
					errs = append(errs, err)
				}
			}
			for _, err := range errs {
				if tt.limit == "" {
					if err != nil {
						t.Fatalf("error within the limits: %v", err)
					}
					continue
				}
				var le *LimitError
				if !errors.As(err, &le) {
					t.Fatalf("error = %v, want a LimitError", err)
				}
				if le.Limit != tt.limit || le.Where != tt.where {
					t.Fatalf("LimitError = %+v, want limit %q at %q", le, tt.limit, tt.where)
				}
				if !strings.Contains(err.Error(), tt.where) {
					t.Fatalf("message %q does not name %s", err, tt.where)
				}
			}
		})
	}
}

// The defaults hold a large real run, and a negative limit is none.
func TestDecodeLimitsDefaults(t *testing.T) {
	body := fmt.Sprintf(`{"metrics":{"details":[%s]}}`, repeatJSON(`{"metric_name":"m"}`, DefaultMaxMetrics+1))
	_, err := DecodeExperimentResultSummary("run", []byte(body))
	var le *LimitError
	if !errors.As(err, &le) || le.Max != DefaultMaxMetrics || le.Limit != LimitMetrics {
		t.Fatalf("error = %v, want the default metrics limit", err)
	}
	want := fmt.Sprintf("metrics.details holds more than %d metric entries", DefaultMaxMetrics)
	if err.Error() != want {
		t.Fatalf("message %q, want %q", err, want)
	}
	if _, err := DecodeExperimentResultSummaryWith("run", []byte(body), SummaryDecodeOptions{Limits: DecodeLimits{MaxMetrics: -1}}); err != nil {
		t.Fatalf("no limit: %v", err)
	}
}

// The hostile body that found the bug (10⁶ metric entries, issue 21) fails
// after reading the first thousand, and quickly.
func TestDecodeLimitsHostileMetrics(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"status":"completed","metrics":{"details":[`)
	for i := range 1_000_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"metric_name":"m%d","aggregate":1}`, i)
	}
	b.WriteString(`]}}`)
	_, err := DecodeExperimentResultSummaryWith("run", []byte(b.String()), SummaryDecodeOptions{SkipDatapoints: true, SkipMetricValues: true})
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitMetrics {
		t.Fatalf("error = %v, want a LimitError", err)
	}
}

// limitOrderBodies are summaries whose limits the decoders count in their
// own walk: over a limit in several places, after an error the decoder
// reports, across repeated or case-folded keys, behind white space.
var limitOrderBodies = []string{
	`{"datapoints":[{"metrics":5}],"passed":["a","b","c","d","e"]}`,
	`{"datapoints":[7],"failed":["a","b","c","d","e"]}`,
	`{"datapoints":{},"metrics":{"details":[{},{},{},{}]}}`,
	`{"metrics":{"details":[{},{}]},"metrics":{"details":[{},{}]}}`,
	`{"Passed":["a","b","c"],"DATAPOINTS":[{"Metrics":[{},{}]},{"metrics":[{},{},{},{}]}]}`,
	`{"passed":["a","b","c","d"],"failed":["a","b","c","d"],"datapoints":[{"metrics":[{},{},{}]},{"metrics":[{},{},{}]},{"metrics":[{},{},{}]}]}`,
	`{"datapoints":[null,{"metrics":null},{"metrics":[null,{},{}]}],"metrics":{"a":{"values":[1,2,3,4,5]}}}`,
	`{"datapoints":[{"datapoint_id":1}],"metrics":{"details":[{"values":[1,2,3,4,5]}]}}`,
	`{"metrics":{"details":[{"values":[1,2]}],"x":{"datapoints":{"failed":[1,2,3,4,5]}}},"status":}`,
	"\f{\"passed\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}\v",
	`{"status":"completed","run_object":{"passed":[1,2,3,4,5,6]},"datapoints":[]}`,
}

// checkLimitsAgree decodes body in each mode that counts in its own walk
// and checks that it fails with the LimitError a check before decoding
// gives, and with no LimitError when that check finds none.
func checkLimitsAgree(t *testing.T, body []byte, lim DecodeLimits) {
	t.Helper()
	want := checkSummaryLimits(body, lim)
	for _, skipDatapoints := range []bool{false, true} {
		for _, skip := range []bool{false, true} {
			mode := fmt.Sprintf("skip datapoints %v", skipDatapoints)
			_, err := DecodeExperimentResultSummaryWith("run", body, SummaryDecodeOptions{SkipDatapoints: skipDatapoints, SkipMetricValues: skip, Limits: lim})
			var got *LimitError
			errors.As(err, &got)
			switch {
			case want == nil && got != nil:
				t.Fatalf("%s, skip values %v: %v, but checkSummaryLimits finds no limit in %q", mode, skip, err, body)
			case want != nil && (got == nil || *got != *want.(*LimitError)):
				t.Fatalf("%s, skip values %v: error %v, want %v for %q", mode, skip, err, want, body)
			}
		}
	}
}

// The decoders that count in their own walk fail as a check before decoding
// did: with the same LimitError, found first in body order, even past an
// error of their own.
func TestDecodeLimitsInTheDecodersWalk(t *testing.T) {
	small := DecodeLimits{MaxMetrics: 3, MaxDatapoints: 4}
	// 2 × 8 entries in all.
	fewTotal := DecodeLimits{MaxMetrics: 30, MaxDatapoints: 2}
	for _, body := range limitOrderBodies {
		over := checkSummaryLimits([]byte(body), small) != nil || checkSummaryLimits([]byte(body), fewTotal) != nil
		if over == strings.Contains(body, "run_object") { // run_object is not a summary's list
			t.Fatalf("seed %q: over a limit = %v", body, over)
		}
		checkLimitsAgree(t, []byte(body), small)
		checkLimitsAgree(t, []byte(body), fewTotal)
	}
}

func FuzzSummaryLimitsAgree(f *testing.F) {
	for _, s := range summarySeeds(f) {
		f.Add(s)
	}
	for _, s := range limitOrderBodies {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkLimitsAgree(t, body, DecodeLimits{MaxMetrics: 3, MaxDatapoints: 4})
		checkLimitsAgree(t, body, DecodeLimits{MaxMetrics: 30, MaxDatapoints: 2})
	})
}

// Object keys select fields as encoding/json selects them: exactly, or equal
// under Unicode case folding (K is the Kelvin sign, ſ the long s).
func TestKeyIs(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{"session_id", true}, {"SESSION_ID", true}, {"Session_Id", true}, {"\u017fession_id", true},
		{"session_id ", false}, {"sessionid", false}, {"", false},
	} {
		if got := keyIs([]byte(tc.key), "session_id"); got != tc.want {
			t.Errorf("keyIs(%q, session_id) = %v", tc.key, got)
		}
		var v struct {
			SessionID *string `json:"session_id"`
		}
		body, _ := json.Marshal(map[string]string{tc.key: "x"})
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		if (v.SessionID != nil) != tc.want {
			t.Errorf("encoding/json disagrees on %q", tc.key)
		}
	}
	if !keyIs([]byte("\u212a"), "k") {
		t.Error("the Kelvin sign does not fold to k")
	}
}
