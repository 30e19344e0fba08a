package provider

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

const runsAddr = "data.honeyhive_experiment_runs.test"

func runsConfig(args string) string {
	return `
data "honeyhive_experiment_runs" "test" {
  ` + args + `
}
`
}

// The fixtures, newest first: the default order.
var fixturesNewestFirst = []string{
	localhoneyhive.FixtureEmptyMetrics, localhoneyhive.FixtureFailed, localhoneyhive.FixtureRunning,
	localhoneyhive.FixtureRepeated, localhoneyhive.FixtureMixed, localhoneyhive.FixtureLegacy,
	localhoneyhive.FixtureRegressed, localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline,
}

func reversed(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[len(ids)-1-i] = id
	}
	return out
}

// runsListQueries returns the decoded query of every GET /v1/runs the server
// answered, in order.
func runsListQueries(t *testing.T, srv *testServer) []url.Values {
	t.Helper()
	var out []url.Values
	for _, r := range srv.RequestLog() {
		if r.Path != "/v1/runs" {
			continue
		}
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			t.Fatalf("unparsable query %q: %v", r.RawQuery, err)
		}
		out = append(out, q)
	}
	return out
}

// Without arguments: every run, newest first, at most 20, with the defaults
// in state and every attribute of a run object.
func TestAccExperimentRuns_defaults(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runsConfig(""),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runsAddr, knownvalue.StringExact("created_at"), "sort_by"),
			expect(runsAddr, knownvalue.StringExact("desc"), "sort_order"),
			expect(runsAddr, knownvalue.Int64Exact(20), "max_results"),
			expect(runsAddr, knownvalue.Null(), "name"),
			expect(runsAddr, knownvalue.Null(), "run_ids"),
			expect(runsAddr, strs(fixturesNewestFirst...), "ids"),
			expect(runsAddr, knownvalue.Int64Exact(9), "total"),
			expect(runsAddr, knownvalue.ListSizeExact(9), "runs"),
			expect(runsAddr, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"run_id":       knownvalue.StringExact(localhoneyhive.FixtureBaseline),
				"name":         knownvalue.StringExact("nightly-main"),
				"description":  knownvalue.StringExact("Nightly evaluation of the support assistant on the support QA set"),
				"status":       knownvalue.StringExact("completed"),
				"dataset_id":   knownvalue.StringExact("ds-support-qa"),
				"dataset_name": knownvalue.StringExact("support-qa"),
				"created_at":   knownvalue.StringExact("2026-05-01T12:00:00.000Z"),
				"updated_at":   knownvalue.StringExact("2026-05-01T12:17:00.000Z"),
				"metric_names": strs("accuracy", "latency_ms", "relevance"),
				"metadata":     knownvalue.StringExact(`{"branch":"main","build":101,"git_sha":"3f9c2ab","triggered_by":"ci"}`),
			}), "runs", 8),
			// A run still in progress: no description, no update, no metrics.
			expect(runsAddr, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"run_id":       knownvalue.StringExact(localhoneyhive.FixtureRunning),
				"name":         knownvalue.StringExact("nightly-in-progress"),
				"description":  knownvalue.Null(),
				"status":       knownvalue.StringExact("running"),
				"dataset_id":   knownvalue.StringExact("ds-support-qa"),
				"dataset_name": knownvalue.StringExact("support-qa"),
				"created_at":   knownvalue.StringExact("2026-05-07T12:00:00.000Z"),
				"updated_at":   knownvalue.Null(),
				"metric_names": knownvalue.ListSizeExact(0),
				"metadata":     knownvalue.StringExact(`{"branch":"main","build":106,"git_sha":"5e6f7a8","triggered_by":"ci"}`),
			}), "runs", 2),
			// A run without metadata has an empty object, not null.
			expect(runsAddr, knownvalue.StringExact(`{}`), "runs", 3, "metadata"),
			// A run without a dataset.
			expect(runsAddr, knownvalue.Null(), "runs", 4, "dataset_id"),
			expect(runsAddr, knownvalue.StringExact(`{"note":"booleans, strings and nulls where numbers are expected"}`),
				"runs", 4, "metadata"),
		},
	})
	queries := runsListQueries(t, srv)
	want := url.Values{"page": {"1"}, "limit": {"20"}, "sort_by": {"created_at"}, "sort_order": {"desc"}}
	if len(queries) == 0 || !reflect.DeepEqual(queries[0], want) {
		t.Errorf("first list query %v, want %v", queries, want)
	}
}

func TestAccExperimentRuns_filters(t *testing.T) {
	srv := acceptance(t)
	srv.test(t,
		resource.TestStep{
			Config: runsConfig(`name = "nightly-main"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureBaseline), "ids"),
				expect(runsAddr, knownvalue.StringExact(localhoneyhive.FixtureBaseline), "runs", 0, "run_id"),
				expect(runsAddr, knownvalue.Int64Exact(1), "total"),
			},
		},
		resource.TestStep{
			// Every fixture but run-mixed, which has no dataset.
			Config: runsConfig(`dataset_id = "ds-support-qa"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(
					localhoneyhive.FixtureEmptyMetrics, localhoneyhive.FixtureFailed, localhoneyhive.FixtureRunning,
					localhoneyhive.FixtureRepeated, localhoneyhive.FixtureLegacy, localhoneyhive.FixtureRegressed,
					localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline,
				), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(8), "total"),
			},
		},
		resource.TestStep{
			Config: runsConfig(`status = "failed"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureFailed), "ids"),
				expect(runsAddr, knownvalue.StringExact("failed"), "runs", 0, "status"),
			},
		},
		resource.TestStep{
			// Unknown IDs are left out; the order is the server's, not the list's.
			Config: runsConfig(`run_ids = ["run-baseline", "no-such-run", "run-failed"]`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureFailed, localhoneyhive.FixtureBaseline), "ids"),
				expect(runsAddr, strs(localhoneyhive.FixtureBaseline, "no-such-run", localhoneyhive.FixtureFailed), "run_ids"),
				expect(runsAddr, knownvalue.Int64Exact(2), "total"),
			},
		},
		resource.TestStep{
			// Filters combine; max_results cuts the list, not total.
			Config: runsConfig(`
  dataset_id  = "ds-support-qa"
  status      = "completed"
  max_results = 2`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureEmptyMetrics, localhoneyhive.FixtureRepeated), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(6), "total"),
			},
		},
	)
	// Every filter reached the server as the API expects it.
	sent := map[string]bool{}
	for _, q := range runsListQueries(t, srv) {
		for key := range q {
			sent[key] = true
		}
		if _, bare := q["run_ids"]; bare {
			t.Errorf("run_ids sent without brackets: %v", q)
		}
	}
	for _, key := range []string{"name", "dataset_id", "status", "run_ids[]"} {
		if !sent[key] {
			t.Errorf("no request carried %s", key)
		}
	}
}

func TestAccExperimentRuns_sorting(t *testing.T) {
	srv := acceptance(t)
	byName := []string{
		localhoneyhive.FixtureMixed,        // awkward-values
		localhoneyhive.FixtureLegacy,       // legacy-format-run
		localhoneyhive.FixtureFailed,       // nightly-broken
		localhoneyhive.FixtureCandidate,    // nightly-candidate
		localhoneyhive.FixtureRunning,      // nightly-in-progress
		localhoneyhive.FixtureEmptyMetrics, // nightly-just-finished
		localhoneyhive.FixtureBaseline,     // nightly-main
		localhoneyhive.FixtureRegressed,    // nightly-regressed
		localhoneyhive.FixtureRepeated,     // rag-two-step
	}
	srv.test(t,
		resource.TestStep{
			Config: runsConfig(`sort_order = "asc"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(reversed(fixturesNewestFirst)...), "ids"),
				expect(runsAddr, knownvalue.StringExact("created_at"), "sort_by"),
			},
		},
		resource.TestStep{
			Config: runsConfig(`
  sort_by    = "created_at"
  sort_order = "desc"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(fixturesNewestFirst...), "ids"),
			},
		},
		resource.TestStep{
			Config: runsConfig(`
  sort_by    = "name"
  sort_order = "asc"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(byName...), "ids"),
				expect(runsAddr, knownvalue.StringExact("awkward-values"), "runs", 0, "name"),
			},
		},
		resource.TestStep{
			// Descending is the default order.
			Config: runsConfig(`sort_by = "name"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(reversed(byName)...), "ids"),
				expect(runsAddr, knownvalue.StringExact("desc"), "sort_order"),
			},
		},
		resource.TestStep{
			Config: runsConfig(`
  sort_by     = "status"
  sort_order  = "desc"
  max_results = 2`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureRunning, localhoneyhive.FixtureFailed), "ids"),
			},
		},
	)
}

// putPagingRuns stores n runs on dataset ds-paging, page-run-000 the oldest,
// a minute apart.
func putPagingRuns(srv *testServer, n int) {
	putMinuteRuns(srv, "page-run", n, nil)
}

// putMinuteRuns stores n empty runs <prefix>-000… of dataset ds-paging, one
// created each minute from 2026-06-01, each after set(i, run) when set is
// not nil.
func putMinuteRuns(srv *testServer, prefix string, n int, set func(i int, run *localhoneyhive.Run)) {
	base := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		run := localhoneyhive.GenerateRun(fmt.Sprintf("%s-%03d", prefix, i), 0, 0, int64(i))
		run.DatasetID = "ds-paging"
		run.CreatedAt = base.Add(time.Duration(i) * time.Minute)
		if set != nil {
			set(i, &run)
		}
		srv.PutRun(run)
	}
}

// 250 runs: max_results 230 takes three pages of 100, the last one trimmed.
func TestAccExperimentRuns_paging(t *testing.T) {
	srv := acceptance(t)
	putPagingRuns(srv, 250)
	var pagesBefore int
	srv.test(t,
		resource.TestStep{
			Config: runsConfig(`
  dataset_id  = "ds-paging"
  max_results = 230`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, knownvalue.ListSizeExact(230), "runs"),
				expect(runsAddr, knownvalue.ListSizeExact(230), "ids"),
				expect(runsAddr, knownvalue.StringExact("page-run-249"), "ids", 0),
				expect(runsAddr, knownvalue.StringExact("page-run-150"), "ids", 99),
				expect(runsAddr, knownvalue.StringExact("page-run-149"), "ids", 100),
				expect(runsAddr, knownvalue.StringExact("page-run-020"), "ids", 229),
				expect(runsAddr, knownvalue.StringExact("page-run-020"), "runs", 229, "run_id"),
				expect(runsAddr, knownvalue.StringExact("synthetic-page-run-020"), "runs", 229, "name"),
				expect(runsAddr, knownvalue.Int64Exact(250), "total"),
			},
		},
		resource.TestStep{
			// More than there are: every run, ascending, and no fourth page.
			PreConfig: func() { pagesBefore = len(runsListQueries(t, srv)) },
			Config: runsConfig(`
  dataset_id  = "ds-paging"
  sort_order  = "asc"
  max_results = 1000`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, knownvalue.ListSizeExact(250), "runs"),
				expect(runsAddr, knownvalue.StringExact("page-run-000"), "ids", 0),
				expect(runsAddr, knownvalue.StringExact("page-run-249"), "ids", 249),
				expect(runsAddr, knownvalue.Int64Exact(250), "total"),
			},
		},
	)

	// Every read made the same three requests: pages 1–3 with one page
	// size, so that pages neither overlap nor skip a run; max_results itself
	// is not sent.
	queries := runsListQueries(t, srv)
	for step, qs := range [][]url.Values{queries[:pagesBefore], queries[pagesBefore:]} {
		if len(qs) < 3 || len(qs)%3 != 0 {
			t.Fatalf("step %d made %d list requests, want reads of three pages", step+1, len(qs))
		}
		for i, q := range qs {
			want := [2]string{strconv.Itoa(i%3 + 1), "100"}
			if got := [2]string{q.Get("page"), q.Get("limit")}; got != want || q.Has("max_results") {
				t.Errorf("step %d, request %d: %v, want (page, limit) %v", step+1, i+1, q, want)
			}
		}
	}
}

// No match is an empty list and a total of 0, not an error.
func TestAccExperimentRuns_empty(t *testing.T) {
	srv := acceptance(t)
	srv.test(t,
		resource.TestStep{
			Config: runsConfig(`
  name   = "nightly-main"
  status = "running"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, knownvalue.ListExact([]knownvalue.Check{}), "runs"),
				expect(runsAddr, knownvalue.ListExact([]knownvalue.Check{}), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(0), "total"),
			},
		},
		resource.TestStep{
			// An empty ID filter matches nothing; it does not mean "no filter".
			Config: runsConfig(`run_ids = []`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, knownvalue.ListExact([]knownvalue.Check{}), "runs"),
				expect(runsAddr, knownvalue.Int64Exact(0), "total"),
			},
		},
	)
	for _, q := range runsListQueries(t, srv) {
		if q.Get("name") == "" {
			t.Errorf("run_ids = [] reached the server: %v", q)
		}
	}
}

func TestAccExperimentRuns_validation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, args string
		want       *regexp.Regexp
	}{
		{"status", `status = "done"`, messageLike(`status value must be one of: ["pending" "running" "completed" "failed" "cancelled"], got: "done"`)},
		{"sort_by", `sort_by = "score"`, messageLike(`sort_by value must be one of: ["created_at" "updated_at" "name" "status"], got: "score"`)},
		{"sort_order", `sort_order = "newest"`, messageLike(`sort_order value must be one of: ["asc" "desc"], got: "newest"`)},
		{"max_results zero", `max_results = 0`, messageLike(`max_results value must be between 1 and 1000, got: 0`)},
		{"max_results too many", `max_results = 1001`, messageLike(`max_results value must be between 1 and 1000, got: 1001`)},
		{"empty name", `name = ""`, messageLike(`name string length must be at least 1, got: 0`)},
		{"empty dataset_id", `dataset_id = ""`, messageLike(`dataset_id string length must be at least 1, got: 0`)},
		{"empty run ID", `run_ids = ["run-baseline", ""]`, messageLike(`run_ids[1] string length must be at least 1, got: 0`)},
		{"null run ID", `run_ids = ["run-baseline", null]`, messageLike(`Null List Value`, `This attribute contains a null value.`)},
	} {
		t.Run(tc.name, func(t *testing.T) { expectRejectedAtValidation(t, tc.args, tc.want) })
	}
}

// A server without pagination, with nulls where the spec allows them, and a
// run without metadata.
func TestAccExperimentRuns_sparseServer(t *testing.T) {
	t.Parallel()
	body := `{"evaluations": [
		{"id": "o1", "run_id": "run-sparse", "name": null, "description": null, "status": null,
		 "metadata": null, "metrics": null, "created_at": "2026-05-01T12:00:00Z", "updated_at": null,
		 "dataset_id": null, "dataset_name": null},
		{"id": "o2", "run_id": "run-other", "name": "n", "status": "archived", "metadata": {"a": [1, 2.50]},
		 "metrics": {"zeta": 1, "alpha": 2}, "created_at": "2026-05-02T12:00:00Z"}
	]}`
	srv := newWrappedTestServer(t, func(s *localhoneyhive.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/runs" {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, body)
				return
			}
			s.ServeHTTP(w, r)
		})
	})
	srv.test(t, resource.TestStep{
		Config: runsConfig(""),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runsAddr, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"run_id":       knownvalue.StringExact("run-sparse"),
				"name":         knownvalue.Null(),
				"description":  knownvalue.Null(),
				"status":       knownvalue.Null(),
				"dataset_id":   knownvalue.Null(),
				"dataset_name": knownvalue.Null(),
				"created_at":   knownvalue.StringExact("2026-05-01T12:00:00Z"),
				"updated_at":   knownvalue.Null(),
				"metric_names": knownvalue.ListSizeExact(0),
				"metadata":     knownvalue.Null(),
			}), "runs", 0),
			// Unknown statuses pass through; metadata is the JSON as sent;
			// metric names keep the server's order.
			expect(runsAddr, knownvalue.StringExact("archived"), "runs", 1, "status"),
			expect(runsAddr, knownvalue.StringExact(`{"a": [1, 2.50]}`), "runs", 1, "metadata"),
			expect(runsAddr, strs("zeta", "alpha"), "runs", 1, "metric_names"),
			// The short page ended the listing, so its length is the total.
			expect(runsAddr, knownvalue.Int64Exact(2), "total"),
		},
	})
}

// A request the server rejects fails the read with the server's message and
// the parameter it is about.
func TestAccExperimentRuns_serverRejects(t *testing.T) {
	t.Parallel()
	srv := listRejectingServer(t, func(url.Values) bool { return true }, "dataset_id must be a valid ObjectId")
	srv.test(t, resource.TestStep{
		Config: runsConfig(`dataset_id = "support-qa"`),
		ExpectError: messageLike("HoneyHive rejected the request",
			"HoneyHive rejected the request for the list of runs (HTTP 400 Bad Request from GET /v1/runs?dataset_id=support-qa&limit=20",
			`server said "dataset_id must be a valid ObjectId"`,
			`It is about the parameter dataset_id, sent as "support-qa"`),
	})
}

// nightlyRun is a support-QA run named like the nightly evaluation, on the
// baseline's datapoints dp-01 … dp-08, with the given accuracy values.
func nightlyRun(id, status string, day int, accuracy ...float64) localhoneyhive.Run {
	run := localhoneyhive.Run{
		ID:          id,
		Name:        "nightly-main",
		Status:      status,
		DatasetID:   "ds-support-qa",
		DatasetName: "support-qa",
		CreatedAt:   time.Date(2026, 5, 1+day, 12, 0, 0, 0, time.UTC),
		Metrics: []localhoneyhive.Metric{{
			Name: "accuracy", Type: "CLIENT_SIDE", EventName: "predictor", EventType: "chain",
			PassingRange: &localhoneyhive.PassingRange{Min: 1, Max: 1},
		}},
	}
	for i, a := range accuracy {
		run.Datapoints = append(run.Datapoints, localhoneyhive.Datapoint{
			ID: fmt.Sprintf("dp-%02d", i+1), Values: []localhoneyhive.Value{localhoneyhive.Number(a)},
		})
	}
	return run
}

func TestAccExperimentRuns_examples(t *testing.T) {
	t.Parallel()
	newest := func(t *testing.T, candidateAccuracy ...float64) *testServer {
		srv := newTestServer(t)
		// Older good run, the newest completed one, and a newer one still running.
		srv.PutRun(nightlyRun("run-nightly-0510", "completed", 9, 1, 1, 1, 1, 1, 1, 1, 1))
		srv.PutRun(nightlyRun("run-nightly-0511", "completed", 10, candidateAccuracy...))
		srv.PutRun(nightlyRun("run-nightly-0512", "running", 11))
		return srv
	}
	plainServer := func(t *testing.T) *testServer { return newTestServer(t) }
	file := func(name string) config.TestStepConfigFunc {
		return example("data-sources", "honeyhive_experiment_runs", name)
	}
	baseline := config.Variables{"baseline_run_id": config.StringVariable(localhoneyhive.FixtureBaseline)}
	for _, tc := range []struct {
		name    string
		srv     func(t *testing.T) *testServer
		file    string
		vars    config.Variables
		wantErr *regexp.Regexp
		checks  []statecheck.StateCheck
	}{
		{
			name: "data source example lists the newest completed runs of a dataset",
			srv:  plainServer,
			file: "data-source.tf",
			vars: config.Variables{"dataset_id": config.StringVariable("ds-support-qa")},
			checks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("newest_run_id", knownvalue.StringExact(localhoneyhive.FixtureEmptyMetrics)),
				statecheck.ExpectKnownOutputValue("completed_runs", knownvalue.Int64Exact(6)),
				statecheck.ExpectKnownOutputValue("recent_runs", knownvalue.ListSizeExact(5)),
				statecheck.ExpectKnownOutputValueAtPath("recent_runs", tfjsonpath.New(3),
					knownvalue.StringExact("2026-05-03T12:00:00.000Z nightly-regressed run-regressed")),
			},
		},
		{
			name: "data source example on a dataset without runs",
			srv:  plainServer,
			file: "data-source.tf",
			vars: config.Variables{"dataset_id": config.StringVariable("ds-none")},
			checks: []statecheck.StateCheck{
				// newest_run_id is null, and Terraform keeps no null output.
				expect("data.honeyhive_experiment_runs.recent", knownvalue.ListSizeExact(0), "ids"),
				statecheck.ExpectKnownOutputValue("completed_runs", knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownOutputValue("recent_runs", knownvalue.ListSizeExact(0)),
			},
		},
		{
			// 7/8 against the baseline's 5/8: the newest completed run passes.
			name: "newest candidate passes against the baseline",
			srv:  func(t *testing.T) *testServer { return newest(t, 1, 1, 1, 1, 0, 1, 1, 1) },
			file: "newest-candidate.tf",
			vars: baseline,
			checks: []statecheck.StateCheck{
				expect("data.honeyhive_experiment_runs.candidate", strs("run-nightly-0511"), "ids"),
				expect("data.honeyhive_run_comparison.release", knownvalue.StringExact("run-nightly-0511"), "new_run_id"),
				statecheck.ExpectKnownOutputValueAtPath("candidate", jsonPath("run_id"), knownvalue.StringExact("run-nightly-0511")),
				statecheck.ExpectKnownOutputValue("accuracy_change", number(t, "0.25")),
			},
		},
		{
			// 3/8 against 5/8: the newest completed run regressed, however good
			// the older one was.
			name:    "newest candidate regressed",
			srv:     func(t *testing.T) *testServer { return newest(t, 1, 0, 0, 1, 0, 1, 0, 0) },
			file:    "newest-candidate.tf",
			vars:    baseline,
			wantErr: messageLike("Accuracy of the newest nightly run run-nightly-0511 fell by 0.250 against baseline run-baseline (tolerance 0.02)."),
		},
		{
			name: "no completed run of that name",
			srv:  plainServer,
			file: "newest-candidate.tf",
			vars: config.Variables{
				"baseline_run_id": config.StringVariable(localhoneyhive.FixtureBaseline),
				"nightly_name":    config.StringVariable("nightly-in-progress"),
			},
			wantErr: messageLike(`No completed run named "nightly-in-progress" found: there is no candidate to compare with baseline run-baseline.`),
		},
		{
			// The newest completed run of the name is the baseline itself.
			name: "the baseline is the newest run of the name",
			srv:  func(t *testing.T) *testServer { return newest(t, 1, 1, 1, 1, 0, 1, 1, 1) },
			file: "newest-candidate.tf",
			vars: config.Variables{"baseline_run_id": config.StringVariable("run-nightly-0511")},
			wantErr: messageLike(`The newest completed run named "nightly-main" is baseline run-nightly-0511 itself: ` +
				"there is no newer candidate, and a run compared with itself passes with a change of 0."),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := tc.srv(t)
			srv.test(t, resource.TestStep{
				ConfigFile:        file(tc.file),
				ConfigVariables:   tc.vars,
				ExpectError:       tc.wantErr,
				ConfigStateChecks: tc.checks,
			})
		})
	}
}

// expectRejectedAtValidation plans honeyhive_experiment_runs with args and
// expects the error want before any request reaches the server.
func expectRejectedAtValidation(t *testing.T, args string, want *regexp.Regexp) {
	t.Helper()
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config:      runsConfig(args),
		PlanOnly:    true,
		ExpectError: want,
	})
	if n := len(runsListQueries(t, srv)); n != 0 {
		t.Errorf("an invalid configuration reached the server %d times; it must fail at validation", n)
	}
}

// listRejectingServer is the local server, except that it answers a list of
// runs whose query satisfies rejects with a 400 and HoneyHive's JSON error
// carrying message.
func listRejectingServer(t *testing.T, rejects func(url.Values) bool, message string) *testServer {
	t.Helper()
	return newWrappedTestServer(t, func(s *localhoneyhive.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/runs" && rejects(r.URL.Query()) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"statusCode":400,"message":%q,"success":false}`, message)
				return
			}
			s.ServeHTTP(w, r)
		})
	})
}
