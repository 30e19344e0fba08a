package provider

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The routes of the local server's default project, as the server logs them
// (decoded), and the classic ones.
const (
	projectRoutes = "/v1/projects/" + localhoneyhive.DefaultProjectID + "/runs"
	classicRoutes = "/v1/runs"
)

// dataPlaneEnv is the environment of a provider given the server's
// data-plane key and project, under HoneyHive's current variable names.
func dataPlaneEnv(srv *testServer, extra ...string) map[string]string {
	env := map[string]string{
		"HH_DATA_PLANE_URL":     srv.URL,
		"HH_DATA_PLANE_API_KEY": srv.DataPlaneAPIKey(),
		"HH_PROJECT_ID":         localhoneyhive.DefaultProjectID,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return env
}

// routesSeen checks that every request the server saw went under prefix
// with the key kind wanted, and returns the paths (decoded) in order.
func routesSeen(t *testing.T, srv *testServer, prefix string, key localhoneyhive.KeyKind) []string {
	t.Helper()
	var paths []string
	for _, r := range srv.RequestLog() {
		if r.Path != prefix && !strings.HasPrefix(r.Path, prefix+"/") || r.Key != key {
			t.Errorf("request to %s with key %q; every request must go under %s with the %s key", r.Path, r.Key, prefix, key)
		}
		paths = append(paths, r.Path)
	}
	if len(paths) == 0 {
		t.Errorf("the server saw no request; want requests under %s", prefix)
	}
	return paths
}

// noRequests checks that the server saw no request at all.
func noRequests(t *testing.T, srv *testServer) {
	t.Helper()
	if log := srv.RequestLog(); len(log) != 0 {
		t.Errorf("the server saw %d requests, want none: %+v", len(log), log)
	}
}

// All three data sources over the project routes with a data-plane key:
// the run waited for (its run object polled, then its summary), the
// comparison (its route and both summaries), and the list, three pages of a
// filtered listing. No request goes to a classic route or with the classic key.
func TestAccProjectRoutes_dataSources(t *testing.T) {
	t.Parallel()
	srv := newWrappedTestServer(t, finishesAfter("run-late", 3))
	putPagingRuns(srv, 250)
	config := runConfig("run-late", "wait_for_completion = true") +
		comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline) +
		runsConfig(`
  dataset_id  = "ds-paging"
  sort_order  = "asc"
  max_results = 230`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(dataPlaneEnv(srv)),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runAddr, knownvalue.StringExact("completed"), "status"),
				expect(runAddr, knownvalue.Int64Exact(6), "datapoint_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(7), "common_datapoints"),
				expect(comparisonAddr, knownvalue.Int64Exact(2), "new_only_datapoints"),
				expect(runsAddr, knownvalue.ListSizeExact(230), "runs"),
				expect(runsAddr, knownvalue.StringExact("page-run-000"), "ids", 0),
				expect(runsAddr, knownvalue.StringExact("page-run-229"), "ids", 229),
				expect(runsAddr, knownvalue.Int64Exact(250), "total"),
			},
		}},
	})

	paths := routesSeen(t, srv, projectRoutes, localhoneyhive.KeyDataPlane)
	count := func(path string) int {
		return len(slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return p != path }))
	}
	if n := count(projectRoutes + "/run-late"); n < 3 {
		t.Errorf("the run object was polled %d times on its project route; want at least 3", n)
	}
	for _, path := range []string{
		projectRoutes + "/run-late/summary",
		projectRoutes + "/run-candidate/compare/run-baseline",
	} {
		if count(path) == 0 {
			t.Errorf("no request to %s; requests:\n%s", path, strings.Join(paths, "\n"))
		}
	}
	// The list: pages 1 to 3 of 100 with the filter, on the project route.
	var pages []string
	for _, r := range srv.RequestLog() {
		if r.Path != projectRoutes {
			continue
		}
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil || q.Get("dataset_id") != "ds-paging" || q.Get("sort_order") != "asc" || q.Get("limit") != "100" {
			t.Errorf("list request with query %q", r.RawQuery)
		}
		pages = append(pages, q.Get("page"))
	}
	if len(pages) < 3 || len(pages)%3 != 0 || !slices.Equal(pages[:3], []string{"1", "2", "3"}) {
		t.Errorf("list pages requested %v; want reads of pages 1, 2, 3", pages)
	}
}

// Which key and routes each combination of settings reads with, and the
// combinations that fail before any request.
func TestAccProjectRoutes_keyMatrix(t *testing.T) {
	t.Parallel()
	const runOnly = `data "honeyhive_experiment_run" "test" {
  run_id = "run-baseline"
}
`
	cases := []struct {
		name      string
		env       func(srv *testServer) map[string]string
		provider  string
		wantError *regexp.Regexp
		// prefix and key are where every request must go, and with which
		// key, when the read succeeds.
		prefix string
		key    localhoneyhive.KeyKind
	}{
		{
			name: "classic key only",
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_DATA_PLANE_URL": srv.URL, "HH_PROJECT_API_KEY": srv.APIKey()}
			},
			prefix: classicRoutes, key: localhoneyhive.KeyClassic,
		},
		{
			name:   "data-plane key and project ID only",
			env:    func(srv *testServer) map[string]string { return dataPlaneEnv(srv) },
			prefix: projectRoutes, key: localhoneyhive.KeyDataPlane,
		},
		{
			name: "both keys and the project ID",
			env: func(srv *testServer) map[string]string {
				return dataPlaneEnv(srv, "HH_PROJECT_API_KEY", srv.APIKey(), "HH_PROJECT_ID", "")
			},
			provider: `provider "honeyhive" { project_id = "` + localhoneyhive.DefaultProjectID + `" }`,
			prefix:   projectRoutes, key: localhoneyhive.KeyDataPlane,
		},
		{
			name: "data-plane key in api_key",
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_DATA_PLANE_URL": srv.URL}
			},
			provider: `provider "honeyhive" {
  api_key    = "` + localhoneyhive.DefaultDataPlaneAPIKey + `"
  project_id = "` + localhoneyhive.DefaultProjectID + `"
}`,
			prefix: projectRoutes, key: localhoneyhive.KeyDataPlane,
		},
		{
			name: "data-plane key in the deprecated HH_API_KEY",
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_API_URL": srv.URL, "HH_API_KEY": srv.DataPlaneAPIKey(),
					"HH_PROJECT_ID": localhoneyhive.DefaultProjectID}
			},
			prefix: projectRoutes, key: localhoneyhive.KeyDataPlane,
		},
		{
			name: "classic key with a project ID",
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_DATA_PLANE_URL": srv.URL, "HH_PROJECT_API_KEY": srv.APIKey(),
					"HH_PROJECT_ID": localhoneyhive.DefaultProjectID}
			},
			prefix: classicRoutes, key: localhoneyhive.KeyClassic,
		},
		{
			name: "data-plane key without a project ID, classic key beside it",
			env: func(srv *testServer) map[string]string {
				return dataPlaneEnv(srv, "HH_PROJECT_ID", "", "HH_PROJECT_API_KEY", srv.APIKey())
			},
			wantError: messageLike("Missing HoneyHive project ID", "set in HH_DATA_PLANE_API_KEY is a fine-grained data-plane key",
				"set project_id", "HH_PROJECT_ID", "Settings > Project > API Keys > Data Plane"),
		},
		{
			name: "data-plane key in api_key without a project ID",
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_DATA_PLANE_URL": srv.URL, "HH_PROJECT_API_KEY": srv.DataPlaneAPIKey()}
			},
			wantError: messageLike("Missing HoneyHive project ID", "set in HH_PROJECT_API_KEY", "HH_PROJECT_ID"),
		},
		{
			name: "malformed data-plane key",
			env: func(srv *testServer) map[string]string {
				return dataPlaneEnv(srv, "HH_PROJECT_API_KEY", srv.APIKey())
			},
			provider:  `provider "honeyhive" { data_plane_api_key = "hh_fgdp_..." }`,
			wantError: messageLike("Invalid HoneyHive data-plane key", "set in data_plane_api_key is not a whole"),
		},
		{
			name: "a classic key in data_plane_api_key",
			env: func(srv *testServer) map[string]string {
				return dataPlaneEnv(srv, "HH_DATA_PLANE_API_KEY", srv.APIKey())
			},
			wantError: messageLike("Invalid HoneyHive data-plane key", "HH_DATA_PLANE_API_KEY", "does not start with hh_fgdp_"),
		},
		{
			name:      "empty project_id",
			env:       func(srv *testServer) map[string]string { return dataPlaneEnv(srv) },
			provider:  `provider "honeyhive" { project_id = "" }`,
			wantError: messageLike("Empty HoneyHive project ID", "project_id is set but empty", "HH_PROJECT_ID"),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t)
			var checks []statecheck.StateCheck
			if tc.wantError == nil {
				checks = append(checks, expect(runAddr, knownvalue.StringExact("completed"), "status"))
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(tc.env(srv)),
				Steps: []resource.TestStep{{
					Config:            tc.provider + "\n" + runOnly,
					ExpectError:       tc.wantError,
					ConfigStateChecks: checks,
				}},
			})
			if tc.wantError != nil {
				noRequests(t, srv)
				return
			}
			routesSeen(t, srv, tc.prefix, tc.key)
		})
	}
}

// A classic key with a project ID reads the classic routes and warns once
// per plan, however many data sources there are; the warning says how to
// move to a data-plane key.
func TestAccProjectRoutes_classicKeyWarnsOnce(t *testing.T) {
	srv := acceptance(t)
	env := map[string]string{"HH_DATA_PLANE_URL": srv.URL, "HH_PROJECT_API_KEY": srv.APIKey(),
		"HH_PROJECT_ID": localhoneyhive.DefaultProjectID}
	config := runConfig(localhoneyhive.FixtureBaseline, "") +
		comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline) +
		runsConfig(`max_results = 3`)
	result := planDiagnostics(t, env, config, nil)
	if !result.Succeeded {
		t.Fatalf("plan failed:\n%s", result.Output)
	}
	warnings := result.withSummary("HoneyHive project ID ignored with a classic API key")
	if len(warnings) != 1 {
		t.Fatalf("%d warnings about the project ID, want 1:\n%v", len(warnings), result.Diagnostics)
	}
	for _, want := range []string{"HH_PROJECT_ID is set", "from HH_PROJECT_API_KEY", "ignores the project ID",
		"Settings > Project > API Keys > Data Plane", "data_plane_api_key (or HH_DATA_PLANE_API_KEY)"} {
		if !strings.Contains(warnings[0].Detail, want) {
			t.Errorf("the warning lacks %q: %s", want, warnings[0].Detail)
		}
	}
	routesSeen(t, srv, classicRoutes, localhoneyhive.KeyClassic)
}

// A project the key cannot read: each data source fails once, with an error
// that names the project and what HoneyHive's 404 means on a project route;
// nothing is sent to a classic route.
func TestAccProjectRoutes_notFoundInProject(t *testing.T) {
	srv := acceptance(t)
	env := dataPlaneEnv(srv, "HH_PROJECT_ID", "proj-other")
	config := runConfig(localhoneyhive.FixtureBaseline, "") +
		comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline) +
		runsConfig(`max_results = 3`)
	result := planDiagnostics(t, env, config, nil)
	if result.Succeeded {
		t.Fatalf("plan succeeded:\n%s", result.Output)
	}
	errs := result.withSeverity("error")
	if len(errs) != 3 {
		t.Fatalf("%d errors, want one per data source:\n%v", len(errs), errs)
	}
	for _, d := range errs {
		for _, want := range []string{`project "proj-other"`, "data-plane key", "permissions",
			"reading a project's experiment runs needs them"} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("error lacks %q: %s", want, d)
			}
		}
	}
	routesSeen(t, srv, "/v1/projects/proj-other/runs", localhoneyhive.KeyDataPlane)
}
