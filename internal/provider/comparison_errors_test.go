package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// comparisonMistakes are the mistakes a comparison's three reads (its route
// and both summaries) meet together, and what the one error must say.
var comparisonMistakes = []struct {
	name   string
	server []localhoneyhive.Option
	key    string // "" keeps the server's key
	// env, when set, replaces the server's environment (a data-plane key).
	env        func(*testServer) map[string]string
	setup      func(*testServer)
	newID      string
	oldID      string
	wantTitle  string
	wantDetail []string
}{
	{
		name: "wrong key, answered 404 as today", key: "hh_key_of_another_project",
		newID: localhoneyhive.FixtureCandidate, oldID: localhoneyhive.FixtureBaseline,
		wantTitle: "HoneyHive run not found, or the API key cannot see it",
		wantDetail: []string{`Neither run "run-candidate" (new_run_id) nor run "run-baseline" (old_run_id) was found`,
			"GET /v1/runs/run-candidate/summary?aggregate_function=average, GET /v1/runs/run-baseline/summary?aggregate_function=average and GET /v1/runs/run-candidate/compare/run-baseline?aggregate_function=average answered HTTP 404 Not Found",
			"or the API key cannot see them", "invalid, revoked or expired", "that HH_API_KEY holds a current key"},
	},
	{
		name: "wrong key, answered 401 by an older deployment", key: "hh_key_of_another_deployment",
		server: []localhoneyhive.Option{localhoneyhive.WithRejectedKeyStatus(401)},
		newID:  localhoneyhive.FixtureCandidate, oldID: localhoneyhive.FixtureBaseline,
		wantTitle: "HoneyHive rejected the API key",
		wantDetail: []string{"HoneyHive rejected the API key for server_url", "HTTP 401 Unauthorized",
			"The other reads of this comparison failed the same way (",
			`the old run "run-baseline" (old_run_id): GET /v1/runs/run-baseline/summary?aggregate_function=average; `,
			"the comparison: GET /v1/runs/run-candidate/compare/run-baseline?aggregate_function=average)."},
	},
	{
		name:  "wrong baseline ID",
		newID: localhoneyhive.FixtureCandidate, oldID: "run-gone",
		wantTitle: "HoneyHive run not found, or the API key cannot see it",
		wantDetail: []string{`The old run "run-gone" (old_run_id) was not found on HoneyHive server`,
			"GET /v1/runs/run-gone/summary?aggregate_function=average and GET /v1/runs/run-candidate/compare/run-gone?aggregate_function=average answered HTTP 404",
			`while the new run "run-candidate" was read with the same API key, so the key works`, "Check old_run_id"},
	},
	{
		name:  "wrong candidate ID",
		newID: "run-typo", oldID: localhoneyhive.FixtureBaseline,
		wantTitle:  "HoneyHive run not found, or the API key cannot see it",
		wantDetail: []string{`The new run "run-typo" (new_run_id) was not found`, `while the old run "run-baseline" was read`, "Check new_run_id"},
	},
	{
		// Whichever of the old run's two requests meets the broken body.
		name:  "one request failing alone keeps its own message",
		setup: func(srv *testServer) { srv.InjectFaults("run-empty-metrics", localhoneyhive.MalformedJSON()) },
		newID: localhoneyhive.FixtureCandidate, oldID: localhoneyhive.FixtureEmptyMetrics,
		wantTitle:  "Invalid response from HoneyHive",
		wantDetail: []string{"with HTTP 200 OK, but the body is not a valid run"},
	},
	{
		name:  "different failures are listed in one error",
		setup: func(srv *testServer) { srv.InjectFaults("run-failed", localhoneyhive.MalformedJSON()) },
		newID: "run-typo", oldID: localhoneyhive.FixtureFailed,
		wantTitle: "Could not compare HoneyHive experiment runs",
		wantDetail: []string{"of the reads of this comparison failed", `- the new run "run-typo" (new_run_id): run "run-typo" was not found`,
			"but the body is not a valid run"},
	},
	{
		name:  "wrong baseline ID on the project routes",
		env:   func(srv *testServer) map[string]string { return dataPlaneEnv(srv) },
		newID: localhoneyhive.FixtureCandidate, oldID: "run-gone",
		wantTitle: "HoneyHive run not found",
		wantDetail: []string{`The old run "run-gone" (old_run_id) was not found in HoneyHive project "local-project"`,
			"GET /v1/projects/local-project/runs/run-gone/summary?aggregate_function=average",
			`while the new run "run-candidate" was read from the project with the same data-plane key`, "Check old_run_id"},
	},
	{
		name:  "a project the data-plane key cannot read",
		env:   func(srv *testServer) map[string]string { return dataPlaneEnv(srv, "HH_PROJECT_ID", "proj-other") },
		newID: localhoneyhive.FixtureCandidate, oldID: localhoneyhive.FixtureBaseline,
		wantTitle: "HoneyHive runs not found, or the API key cannot see them",
		wantDetail: []string{`was found in HoneyHive project "proj-other"`, "do not exist in this project",
			"the data-plane key cannot read them", "reading a project's experiment runs needs them",
			"the project ID (from HH_PROJECT_ID;", "that HH_DATA_PLANE_API_KEY holds a current data-plane key"},
	},
}

// One failed comparison read is one error diagnostic, whatever the mistake,
// at the protocol level (what Terraform receives from Read).
func TestComparisonRead_oneErrorPerMistake(t *testing.T) {
	for _, tc := range comparisonMistakes {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t, tc.server...)
			if tc.key != "" {
				srv.env = map[string]string{"HH_API_URL": srv.URL, "HH_API_KEY": tc.key}
			}
			if tc.env != nil {
				srv.env = tc.env(srv)
			}
			if tc.setup != nil {
				tc.setup(srv)
			}
			server := NewServer(&HoneyHiveProvider{version: "test", getenv: func(k string) string { return srv.env[k] }})
			resp, _ := readDataSource(t, server, "honeyhive_run_comparison", map[string]tftypes.Value{
				"new_run_id": str(tc.newID), "old_run_id": str(tc.oldID),
			})
			var errs []*tfprotov6.Diagnostic
			for _, d := range resp.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					errs = append(errs, d)
				}
			}
			if len(errs) != 1 {
				t.Fatalf("want one error, got %d: %v", len(errs), resp.Diagnostics)
			}
			t.Logf("%s: %s", errs[0].Summary, errs[0].Detail)
			if !strings.HasPrefix(errs[0].Summary, tc.wantTitle) {
				t.Errorf("summary %q, want %q", errs[0].Summary, tc.wantTitle)
			}
			for _, want := range tc.wantDetail {
				if !strings.Contains(errs[0].Detail, want) {
					t.Errorf("detail does not say %q:\n%s", want, errs[0].Detail)
				}
			}
		})
	}
}

// Under real Terraform, a wrong key, on today's HoneyHive or an older one,
// and a wrong baseline ID each print one error, not one per request.
func TestAccRunComparison_oneErrorPerMistake(t *testing.T) {
	for _, tc := range comparisonMistakes[:3] {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t, tc.server...)
			env := srv.env
			if tc.key != "" {
				env = map[string]string{"HH_API_URL": srv.URL, "HH_API_KEY": tc.key}
			}
			result := planDiagnostics(t, env, comparisonConfig(tc.newID, tc.oldID), nil)
			errs := result.withSeverity("error")
			if result.Succeeded || len(errs) != 1 {
				t.Fatalf("want the plan to fail with one error, got %d: %v", len(errs), result.Diagnostics)
			}
			if errs[0].Summary != tc.wantTitle {
				t.Errorf("summary %q, want %q", errs[0].Summary, tc.wantTitle)
			}
			for _, want := range tc.wantDetail {
				if !strings.Contains(strings.Join(strings.Fields(errs[0].Detail), " "), want) {
					t.Errorf("error does not say %q:\n%s", want, errs[0].Detail)
				}
			}
		})
	}
}

// Failures that are not API errors (a wait that timed out on both runs) are
// listed in one error, titled by the timeout.
func TestComparisonFailure_waitTimeouts(t *testing.T) {
	newErr := &honeyhive.WaitTimeoutError{RunID: "a", LastStatus: "running"}
	oldErr := errors.New("stopped waiting for run \"b\": context canceled")
	summary, detail, failed := comparisonFailure("a", "b", newErr, oldErr, nil)
	if !failed || summary != "Timed out waiting for a HoneyHive run" {
		t.Fatalf("got %q, %v", summary, failed)
	}
	for _, want := range []string{"2 of the reads of this comparison failed", `- the new run "a" (new_run_id): gave up waiting for run "a"`,
		`- the old run "b" (old_run_id): stopped waiting`} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail does not say %q:\n%s", want, detail)
		}
	}
	if _, _, failed := comparisonFailure("a", "b", nil, nil, nil); failed {
		t.Error("no error reported as a failure")
	}
}
