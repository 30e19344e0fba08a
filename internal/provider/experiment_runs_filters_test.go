package provider

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The fixtures' created_at: run-baseline 2026-05-01T12:00:00.000Z, then one
// day later for each of candidate, regressed, legacy, mixed, repeated,
// running, failed and empty-metrics (2026-05-09).

// sentDateRange returns the dateRange bounds of every list request, in order.
func sentDateRange(t *testing.T, srv *testServer) [][2]string {
	t.Helper()
	var out [][2]string
	for _, q := range runsListQueries(t, srv) {
		out = append(out, [2]string{q.Get("dateRange[$gte]"), q.Get("dateRange[$lte]")})
	}
	return out
}

func TestAccExperimentRuns_createdBounds(t *testing.T) {
	srv := acceptance(t)
	var before int
	mark := func() { before = len(runsListQueries(t, srv)) }
	// sent checks the bounds of the requests made since mark.
	sent := func(gte, lte string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got := sentDateRange(t, srv)[before:]
			if len(got) == 0 {
				return fmt.Errorf("no list request since the step began")
			}
			for _, b := range got {
				if b != [2]string{gte, lte} {
					return fmt.Errorf("dateRange sent as %v, want [%s %s]", b, gte, lte)
				}
			}
			return nil
		}
	}
	srv.test(t,
		resource.TestStep{
			// After alone; the bound is inclusive (run-repeated is created
			// at exactly 2026-05-06T12:00:00.000Z).
			PreConfig: mark,
			Config:    runsConfig(`created_after = "2026-05-06T12:00:00Z"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureEmptyMetrics, localhoneyhive.FixtureFailed,
					localhoneyhive.FixtureRunning, localhoneyhive.FixtureRepeated), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(4), "total"),
				expect(runsAddr, knownvalue.StringExact("2026-05-06T12:00:00Z"), "created_after"),
				expect(runsAddr, knownvalue.Null(), "created_before"),
				expect(runsAddr, knownvalue.Null(), "scanned"),
			},
			Check: sent("2026-05-06T12:00:00.000Z", "9999-12-31T23:59:59.999Z"),
		},
		resource.TestStep{
			// Before alone, inclusive too.
			PreConfig: mark,
			Config:    runsConfig(`created_before = "2026-05-02T12:00:00Z"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(2), "total"),
			},
			Check: sent("1970-01-01T00:00:00.000Z", "2026-05-02T12:00:00.000Z"),
		},
		resource.TestStep{
			// Together, with an offset (converted to UTC) and a bound finer
			// than a millisecond (rounded inwards, keeping the same runs).
			PreConfig: mark,
			Config: runsConfig(`
  created_after  = "2026-05-03T14:00:00+02:00"
  created_before = "2026-05-05T12:00:00.0009Z"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureMixed, localhoneyhive.FixtureLegacy, localhoneyhive.FixtureRegressed), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(3), "total"),
			},
			Check: sent("2026-05-03T12:00:00.000Z", "2026-05-05T12:00:00.000Z"),
		},
		resource.TestStep{
			// Computed bounds and the other filters combined: the completed
			// runs of the last three days before 2026-05-09T12:00Z.
			PreConfig: mark,
			Config: runsConfig(`
  dataset_id     = "ds-support-qa"
  status         = "completed"
  created_after  = timeadd("2026-05-09T12:00:00Z", "-72h")
  created_before = "2026-05-09T12:00:00Z"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureEmptyMetrics, localhoneyhive.FixtureRepeated), "ids"),
				expect(runsAddr, knownvalue.StringExact("2026-05-06T12:00:00Z"), "created_after"),
			},
			Check: sent("2026-05-06T12:00:00.000Z", "2026-05-09T12:00:00.000Z"),
		},
		resource.TestStep{
			// Equal bounds: one instant.
			PreConfig: mark,
			Config: runsConfig(`
  created_after  = "2026-05-04T12:00:00Z"
  created_before = "2026-05-04T12:00:00Z"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureLegacy), "ids"),
			},
		},
		resource.TestStep{
			// Before every run: empty, not an error.
			Config: runsConfig(`created_before = "2020-01-01T00:00:00Z"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, knownvalue.ListSizeExact(0), "runs"),
				expect(runsAddr, knownvalue.Int64Exact(0), "total"),
			},
		},
	)
}

// Bounds relative to the plan's time, as the docs suggest: plantimestamp() is
// known at plan time (a window of a century, so the fixtures are in it).
// Terraform before 1.10 gives plantimestamp() as 0001-01-01 while validating
// (hashicorp/terraform#35898), which the bounds' check refuses; the docs say
// so, and this case runs on the CLIs that evaluate it as the plan's time.
func TestAccExperimentRuns_createdBoundsFromPlanTime(t *testing.T) {
	srv := acceptance(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: srv.factories(),
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(version.Must(version.NewVersion("1.10.0"))),
		},
		Steps: []resource.TestStep{{
			Config: runsConfig(`
  created_after  = timeadd(plantimestamp(), "-876000h")
  created_before = timeadd(plantimestamp(), "876000h")`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(fixturesNewestFirst...), "ids"),
			},
		}},
	})
}
func TestAccExperimentRuns_metadata(t *testing.T) {
	srv := acceptance(t)
	srv.test(t,
		resource.TestStep{
			// Metadata alone: every run is read (one page), three match.
			Config: runsConfig(`metadata = { branch = "main" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureFailed, localhoneyhive.FixtureRunning, localhoneyhive.FixtureBaseline), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(3), "total"),
				expect(runsAddr, knownvalue.Int64Exact(9), "scanned"),
				expect(runsAddr, knownvalue.Int64Exact(1000), "metadata_scan_limit"),
				expect(runsAddr, knownvalue.MapExact(map[string]knownvalue.Check{"branch": knownvalue.StringExact("main")}), "metadata"),
			},
		},
		resource.TestStep{
			// Every key must match; a number written in HCL is the string
			// "101", which matches the JSON number 101.
			Config: runsConfig(`metadata = { branch = "main", build = 101 }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureBaseline), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(1), "total"),
			},
		},
		resource.TestStep{
			// After the server's filters: only its completed runs on the
			// dataset are read.
			Config: runsConfig(`
  dataset_id  = "ds-support-qa"
  status      = "completed"
  metadata    = { branch = "main" }
  max_results = 1`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureBaseline), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(1), "total"),
				expect(runsAddr, knownvalue.Int64Exact(6), "scanned"),
			},
		},
		resource.TestStep{
			// Metadata and dates together.
			Config: runsConfig(`
  metadata      = { triggered_by = "ci" }
  created_after = "2026-05-02T00:00:00Z"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(localhoneyhive.FixtureFailed, localhoneyhive.FixtureRunning,
					localhoneyhive.FixtureRegressed, localhoneyhive.FixtureCandidate), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(8), "scanned"), // all but run-baseline
			},
		},
		resource.TestStep{
			Config: runsConfig(`metadata = { git_sha = "no-such-commit" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, knownvalue.ListSizeExact(0), "runs"),
				expect(runsAddr, knownvalue.Int64Exact(0), "total"),
			},
		},
		resource.TestStep{
			// An empty map filters nothing.
			Config: runsConfig(`metadata = {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs(fixturesNewestFirst...), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(9), "total"),
				expect(runsAddr, knownvalue.Null(), "scanned"),
				expect(runsAddr, knownvalue.Null(), "metadata_scan_limit"),
			},
		},
	)
	// The metadata filter is the provider's: it never reaches the server.
	for _, q := range runsListQueries(t, srv) {
		for key := range q {
			if strings.Contains(strings.ToLower(key), "metadata") || strings.Contains(key, "branch") {
				t.Errorf("the metadata filter was sent: %v", q)
			}
		}
	}
}

// putBranchRuns stores n runs on dataset ds-paging, branch-run-000 the oldest,
// a minute apart; every 25th (000, 025, …) is on branch main.
func putBranchRuns(srv *testServer, n int) {
	putMinuteRuns(srv, "branch-run", n, func(i int, run *localhoneyhive.Run) {
		branch := "feature/x"
		if i%25 == 0 {
			branch = "main"
		}
		run.Metadata = map[string]any{"branch": branch, "build": i}
	})
}

// pagesRequested returns (page, limit) of the list requests since index from.
func pagesRequested(t *testing.T, srv *testServer, from int) [][2]string {
	t.Helper()
	var out [][2]string
	for _, q := range runsListQueries(t, srv)[from:] {
		out = append(out, [2]string{q.Get("page"), q.Get("limit")})
	}
	return out
}

// 250 runs, 10 on main: the provider reads pages of 100 until it has
// max_results matches or the list ends.
func TestAccExperimentRuns_metadataPaging(t *testing.T) {
	srv := acceptance(t)
	putBranchRuns(srv, 250)
	var from int
	pages := func(want ...[2]string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := pagesRequested(t, srv, from); fmt.Sprint(got) != fmt.Sprint(want) {
				return fmt.Errorf("requested (page, limit) %v, want %v", got, want)
			}
			return nil
		}
	}
	srv.test(t,
		resource.TestStep{
			// Newest first: 225, 200, 175, 150, 125 are the first five on
			// main, the last of them on page 2 (runs 149…50).
			PreConfig: func() { from = len(runsListQueries(t, srv)) },
			Config: runsConfig(`
  dataset_id  = "ds-paging"
  metadata    = { branch = "main" }
  max_results = 5`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs("branch-run-225", "branch-run-200", "branch-run-175", "branch-run-150", "branch-run-125"), "ids"),
				// Page 2 was checked to its end; page 3 was not read, so the
				// number of matches is unknown.
				expect(runsAddr, knownvalue.Int64Exact(200), "scanned"),
				expect(runsAddr, knownvalue.Null(), "total"),
			},
			Check: pages([2]string{"1", "100"}, [2]string{"2", "100"}),
		},
		resource.TestStep{
			// More than there are: the whole list, and the exact count.
			PreConfig: func() { from = len(runsListQueries(t, srv)) },
			Config: runsConfig(`
  dataset_id  = "ds-paging"
  metadata    = { branch = "main" }
  max_results = 20
  sort_order  = "asc"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, knownvalue.ListSizeExact(10), "runs"),
				expect(runsAddr, knownvalue.StringExact("branch-run-000"), "ids", 0),
				expect(runsAddr, knownvalue.StringExact("branch-run-225"), "ids", 9),
				expect(runsAddr, knownvalue.Int64Exact(10), "total"),
				expect(runsAddr, knownvalue.Int64Exact(250), "scanned"),
			},
			Check: pages([2]string{"1", "100"}, [2]string{"2", "100"}, [2]string{"3", "100"}),
		},
		resource.TestStep{
			// A build number, compared as text.
			Config: runsConfig(`
  dataset_id = "ds-paging"
  metadata   = { build = "175" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs("branch-run-175"), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(1), "total"),
			},
		},
	)
}

// The scan stops at metadata_scan_limit: the matches among the runs checked,
// total null, and a warning saying how to narrow the search.
func TestAccExperimentRuns_metadataScanLimit(t *testing.T) {
	srv := acceptance(t)
	putBranchRuns(srv, 250)
	var from int
	srv.test(t,
		resource.TestStep{
			// Pages of 60: runs 249…190 hold two on main (225, 200).
			PreConfig: func() { from = len(runsListQueries(t, srv)) },
			Config: runsConfig(`
  dataset_id          = "ds-paging"
  metadata            = { branch = "main" }
  max_results         = 5
  metadata_scan_limit = 60`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, strs("branch-run-225", "branch-run-200"), "ids"),
				expect(runsAddr, knownvalue.Int64Exact(60), "scanned"),
				expect(runsAddr, knownvalue.Int64Exact(60), "metadata_scan_limit"),
				expect(runsAddr, knownvalue.Null(), "total"),
			},
			Check: func(*terraform.State) error {
				if got := pagesRequested(t, srv, from); fmt.Sprint(got) != "[[1 60]]" {
					return fmt.Errorf("requested (page, limit) %v, want one page of 60", got)
				}
				return nil
			},
		},
		resource.TestStep{
			// The postcondition the warning suggests turns it into an error.
			Config: runsConfig(`
  dataset_id          = "ds-paging"
  metadata            = { branch = "main" }
  max_results         = 5
  metadata_scan_limit = 60

  lifecycle {
    postcondition {
      condition     = self.total != null || length(self.runs) == self.max_results
      error_message = "The scan of ${self.scanned} runs stopped before finding ${self.max_results} runs on main."
    }
  }`),
			ExpectError: messageLike("The scan of 60 runs stopped before finding 5 runs on main."),
		},
		resource.TestStep{
			// A limit that is not reached: the list ends first.
			Config: runsConfig(`
  dataset_id          = "ds-paging"
  metadata            = { branch = "main" }
  max_results         = 20
  metadata_scan_limit = 250`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runsAddr, knownvalue.ListSizeExact(10), "runs"),
				expect(runsAddr, knownvalue.Int64Exact(10), "total"),
			},
		},
	)

	// The warning, as Terraform receives it.
	p := &HoneyHiveProvider{version: "test", getenv: func(k string) string { return srv.env[k] }}
	for name, server := range map[string]tfprotov6.ProviderServer{
		"NewServer": NewServer(p), "framework": providerserver.NewProtocol6(p)(),
	} {
		resp, _ := readDataSource(t, server, "honeyhive_experiment_runs", map[string]tftypes.Value{
			"dataset_id":          str("ds-paging"),
			"status":              str("completed"),
			"metadata":            tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"branch": str("main")}),
			"max_results":         tftypes.NewValue(tftypes.Number, 5),
			"metadata_scan_limit": tftypes.NewValue(tftypes.Number, 60),
		})
		if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning {
			t.Fatalf("%s: want one warning, got %v", name, resp.Diagnostics)
		}
		d := resp.Diagnostics[0]
		for _, want := range []string{
			"The provider checked the first 60 runs matching the server-side filters dataset_id = \"ds-paging\", status = \"completed\"",
			`against metadata {branch = "main"} and found 2 of max_results = 5`,
			"raise metadata_scan_limit (now 60, at most 10000)",
			"postcondition { condition = self.total != null || length(self.runs) == self.max_results }",
		} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("%s: warning %q: %q does not say %q", name, d.Summary, d.Detail, want)
			}
		}
		if d.Summary != "HoneyHive run scan stopped at metadata_scan_limit" {
			t.Errorf("%s: summary %q", name, d.Summary)
		}
	}
}

func TestAccExperimentRuns_filterValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, args string
		want       *regexp.Regexp
	}{
		{"date alone", `created_after = "2026-05-01"`, messageLike(`created_after must be an RFC 3339 timestamp`,
			`got "2026-05-01". A date alone is not a timestamp: add the time and the offset, such as "2026-05-01T00:00:00Z".`)},
		{"not a time", `created_before = "yesterday"`, messageLike(`Invalid timestamp`,
			`created_before must be an RFC 3339 timestamp, with a date, a time and an offset, such as "2026-05-01T00:00:00Z"`, `got "yesterday".`)},
		{"no offset", `created_after = "2026-05-01T00:00:00"`, messageLike(`created_after must be an RFC 3339 timestamp`, `got "2026-05-01T00:00:00".`)},
		{"after later than before", `
  created_after  = "2026-05-03T00:00:00Z"
  created_before = "2026-05-02T23:59:59+02:00"`, messageLike("Empty time window",
			"created_after (2026-05-03T00:00:00Z) is later than created_before (2026-05-02T23:59:59+02:00): no run can be created in between")},
		{"null metadata value", `metadata = { branch = null }`, messageLike(`Null Map Value`)},
		{"scan limit without metadata", `metadata_scan_limit = 50`, messageLike(`Attribute "metadata" must be specified when "metadata_scan_limit" is specified`)},
		{"scan limit zero", `
  metadata            = { branch = "main" }
  metadata_scan_limit = 0`, messageLike(`metadata_scan_limit value must be between 1 and 10000, got: 0`)},
		{"scan limit too large", `
  metadata            = { branch = "main" }
  metadata_scan_limit = 10001`, messageLike(`metadata_scan_limit value must be between 1 and 10000, got: 10001`)},
	} {
		t.Run(tc.name, func(t *testing.T) { expectRejectedAtValidation(t, tc.args, tc.want) })
	}
}

// A server that rejects the date range: the error names dateRange and the
// attributes behind it.
func TestAccExperimentRuns_dateRangeRejected(t *testing.T) {
	t.Parallel()
	srv := listRejectingServer(t, func(q url.Values) bool { return q.Has("dateRange[$gte]") }, "Invalid dateRange")
	srv.test(t, resource.TestStep{
		Config: runsConfig(`created_after = "2026-05-02T00:00:00Z"`),
		ExpectError: messageLike("HoneyHive rejected the request", `server said "Invalid dateRange"`,
			`It is about the parameter dateRange, sent as $gte = "2026-05-02T00:00:00.000Z", $lte = "9999-12-31T23:59:59.999Z": check the created-at bounds (created_after, created_before`),
	})
}

// The warning's text, for filters of every kind.
func TestScanLimitWarning(t *testing.T) {
	m := &experimentRunsModel{}
	m.MaxResults = types.Int64Value(3)
	m.MetadataScanLimit = types.Int64Value(200)
	m.CreatedAfter = types.StringValue("2026-05-01T00:00:00Z")
	q := honeyhive.ListRunsQuery{Name: "nightly", RunIDs: []string{"a", "b"}, Metadata: map[string]string{"z": "1", "a": "x"}}
	summary, detail := scanLimitWarning(m, q, &honeyhive.RunListing{Scanned: 200, ScanLimitReached: true})
	if summary != "HoneyHive run scan stopped at metadata_scan_limit" {
		t.Errorf("summary %q", summary)
	}
	for _, want := range []string{
		`the first 200 runs matching the server-side filters name = "nightly", created_after = "2026-05-01T00:00:00Z", 2 run_ids`,
		`against metadata {a = "x", z = "1"} and found 0 of max_results = 3`,
		"(now 200, at most 10000)",
	} {
		if !strings.Contains(detail, want) {
			t.Errorf("%q does not say %q", detail, want)
		}
	}
	m.CreatedAfter = types.StringNull()
	_, detail = scanLimitWarning(m, honeyhive.ListRunsQuery{Metadata: map[string]string{"a": "x"}}, &honeyhive.RunListing{Scanned: 5})
	if !strings.Contains(detail, "the first 5 runs matching no server-side filter") {
		t.Errorf("without filters: %q", detail)
	}
}

// The recipe "the newest completed run on main for this dataset is the
// baseline" (examples/.../baseline-from-main.tf). In the fixtures that is
// run-baseline: the completed runs of ds-support-qa newer than it are on
// other branches or have no branch.
func TestAccExperimentRuns_baselineFromMain(t *testing.T) {
	t.Parallel()
	// withNewerMain adds a completed run on main, newer than every fixture.
	withNewerMain := func(t *testing.T) *testServer {
		srv := newTestServer(t)
		run := nightlyRun("run-main-0512", "completed", 11, 1, 1, 1, 1, 1, 1, 1, 0)
		run.Metadata = map[string]any{"branch": "main", "git_sha": "77aa001", "build": 112}
		srv.PutRun(run)
		return srv
	}
	plain := func(t *testing.T) *testServer { return newTestServer(t) }
	vars := func(candidate string, extra ...string) config.Variables {
		v := config.Variables{
			"candidate_run_id": config.StringVariable(candidate),
			"dataset_id":       config.StringVariable("ds-support-qa"),
		}
		for i := 0; i+1 < len(extra); i += 2 {
			v[extra[i]] = config.StringVariable(extra[i+1])
		}
		return v
	}
	for _, tc := range []struct {
		name    string
		srv     func(t *testing.T) *testServer
		vars    config.Variables
		wantErr *regexp.Regexp
		checks  []statecheck.StateCheck
	}{
		{
			name: "the candidate passes against the newest completed run on main",
			srv:  plain,
			vars: vars(localhoneyhive.FixtureCandidate),
			checks: []statecheck.StateCheck{
				expect("data.honeyhive_experiment_runs.baseline", strs(localhoneyhive.FixtureBaseline), "ids"),
				expect("data.honeyhive_experiment_runs.baseline", knownvalue.Int64Exact(6), "scanned"),
				expect("data.honeyhive_run_comparison.release", knownvalue.StringExact(localhoneyhive.FixtureBaseline), "old_run_id"),
				statecheck.ExpectKnownOutputValue("baseline", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"run_id":     knownvalue.StringExact(localhoneyhive.FixtureBaseline),
					"created_at": knownvalue.StringExact("2026-05-01T12:00:00.000Z"),
					"git_sha":    knownvalue.StringExact("3f9c2ab"),
				})),
			},
		},
		{
			name:    "the candidate regressed",
			srv:     plain,
			vars:    vars(localhoneyhive.FixtureRegressed),
			wantErr: messageLike("Accuracy of candidate run-regressed fell by 0.25 against run-baseline, the newest completed run on main (tolerance 0.02)."),
		},
		{
			// A newer completed run on main moves the baseline forward (its
			// accuracy, 7/8, is better than run-baseline's: the candidate still
			// passes).
			name: "a newer run on main becomes the baseline",
			srv:  withNewerMain,
			vars: vars(localhoneyhive.FixtureCandidate),
			checks: []statecheck.StateCheck{
				expect("data.honeyhive_experiment_runs.baseline", strs("run-main-0512"), "ids"),
				// The first run listed matches, but the page in hand (every
				// completed run of the dataset) is checked to its end.
				expect("data.honeyhive_experiment_runs.baseline", knownvalue.Int64Exact(7), "scanned"),
				expect("data.honeyhive_experiment_runs.baseline", knownvalue.Int64Exact(2), "total"),
				statecheck.ExpectKnownOutputValueAtPath("baseline", jsonPath("git_sha"), knownvalue.StringExact("77aa001")),
			},
		},
		{
			name:    "no completed run on the branch",
			srv:     plain,
			vars:    vars(localhoneyhive.FixtureCandidate, "baseline_branch", "release"),
			wantErr: messageLike("No completed run on release found for dataset ds-support-qa (6 completed runs checked): there is no baseline to compare candidate run-candidate with."),
		},
		{
			name:    "the candidate is the newest run on main",
			srv:     plain,
			vars:    vars(localhoneyhive.FixtureBaseline),
			wantErr: messageLike("Candidate run-baseline is itself the newest completed run on main: it cannot be its own baseline."),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := tc.srv(t)
			srv.test(t, resource.TestStep{
				ConfigFile:        example("data-sources", "honeyhive_experiment_runs", "baseline-from-main.tf"),
				ConfigVariables:   tc.vars,
				ExpectError:       tc.wantErr,
				ConfigStateChecks: tc.checks,
			})
		})
	}
}
