package honeyhive

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// The route functions build each path from the project and run IDs; the
// project routes have no aliases.
func TestRoutePaths(t *testing.T) {
	tests := []struct{ got, want string }{
		{runsPath(""), "/v1/runs"},
		{runPath("", "r/1"), "/v1/runs/r%2F1"},
		{summaryPath("", "r"), "/v1/runs/r/summary"},
		{summaryAliasPath("", "r"), "/v1/runs/r/result"},
		{comparePath("", "n", "o"), "/v1/runs/n/compare/o"},
		{compareAliasPath("", "n", "o"), "/v1/runs/n/compare-with/o"},
		{runsPath("p 1"), "/v1/projects/p%201/runs"},
		{runPath("..", "."), "/v1/projects/%2E%2E/runs/%2E"},
		{summaryPath("p/x", "r"), "/v1/projects/p%2Fx/runs/r/summary"},
		{summaryAliasPath("p", "r"), ""},
		{comparePath("p", "n?", "o#"), "/v1/projects/p/runs/n%3F/compare/o%23"},
		{compareAliasPath("p", "n", "o"), ""},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// With a project, every request of every operation goes to the project
// routes with the data-plane key: the summary, the comparison, the run
// object and its polling, and each page of the list.
func TestProjectRoutesEveryOperation(t *testing.T) {
	const project = "proj/7"
	var h hits
	var auth []string
	polls := 0
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r)
		auth = append(auth, r.Header.Get("Authorization"))
		p := r.URL.EscapedPath()
		switch p {
		case "/v1/projects/proj%2F7/runs":
			if r.URL.Query().Get("page") == "1" {
				writeJSON(w, 200, `{"evaluations":[{"run_id":"a"}],"pagination":{"page":1,"limit":1,"total":2,"has_next":true}}`)
			} else {
				writeJSON(w, 200, `{"evaluations":[{"run_id":"b"}],"pagination":{"page":2,"limit":1,"total":2,"has_next":false}}`)
			}
		case "/v1/projects/proj%2F7/runs/r":
			polls++
			status := "running"
			if polls > 1 {
				status = "completed"
			}
			writeJSON(w, 200, `{"evaluation":{"run_id":"r","status":"`+status+`"}}`)
		case "/v1/projects/proj%2F7/runs/r/summary":
			writeJSON(w, 200, summaryJSON)
		case "/v1/projects/proj%2F7/runs/n/compare/o":
			writeJSON(w, 200, comparisonJSON)
		default:
			expressNotFound(w, r)
		}
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.APIKey, cfg.ProjectID = dpKey, project })
	ctx := context.Background()
	if _, err := c.WaitForRunSummary(ctx, "r", "", WaitOptions{PollMin: time.Millisecond, PollMax: time.Millisecond}, models.SummaryDecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CompareRuns(ctx, "n", "o", "median", models.ComparisonDecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	l, err := c.FindRuns(ctx, ListRunsQuery{}, ListLimits{MaxResults: 1 << 10})
	if err != nil || len(l.Runs) != 2 {
		t.Fatalf("list: %+v, %v", l, err)
	}
	want := []string{
		"/v1/projects/proj%2F7/runs/r", "/v1/projects/proj%2F7/runs/r", "/v1/projects/proj%2F7/runs/r/summary",
		"/v1/projects/proj%2F7/runs/n/compare/o",
		"/v1/projects/proj%2F7/runs", "/v1/projects/proj%2F7/runs",
	}
	if got := h.list(); !slices.Equal(got, want) {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, a := range auth {
		if a != "Bearer "+dpKey {
			t.Errorf("Authorization %q, want the data-plane key", a)
		}
	}
}

// A project route the server lacks is an error: the client never falls back
// to a classic route or alias, not even where it learned that the classic
// summary route is missing and its alias works.
func TestProjectRoutesNeverFallBack(t *testing.T) {
	var h hits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r)
		switch r.URL.Path {
		case "/v1/runs/r/result", "/v1/runs/n/compare-with/o":
			if r.URL.Path == "/v1/runs/r/result" {
				writeJSON(w, 200, summaryJSON)
			} else {
				writeJSON(w, 200, comparisonJSON)
			}
		default:
			expressNotFound(w, r)
		}
	})
	ctx := context.Background()
	classic := newTestClient(t, srv.URL)
	if _, err := classic.GetRunSummary(ctx, "r", "", models.SummaryDecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := classic.CompareRuns(ctx, "n", "o", "", models.ComparisonDecodeOptions{}); err != nil {
		t.Fatal(err) // the server is now remembered as alias-first for both
	}
	before := len(h.list())
	project := newTestClient(t, srv.URL, func(cfg *Config) { cfg.APIKey, cfg.ProjectID, cfg.ProjectIDSource = dpKey, "p", "HH_PROJECT_ID" })
	_, err := project.GetRunSummary(ctx, "r", "", models.SummaryDecodeOptions{})
	ae := mustAPIError(t, err)
	if ae.Kind != KindRouteNotFound || ae.ProjectID != "p" {
		t.Errorf("kind %v, project %q", ae.Kind, ae.ProjectID)
	}
	assertContains(t, err.Error(), "has no GET /v1/projects/p/runs/r/summary", "may not serve the project run routes")
	_, err = project.CompareRuns(ctx, "n", "o", "", models.ComparisonDecodeOptions{})
	if ae := mustAPIError(t, err); ae.Kind != KindRouteNotFound {
		t.Errorf("comparison: kind %v, want %v", ae.Kind, KindRouteNotFound)
	}
	_, err = project.GetRun(ctx, "r")
	if ae := mustAPIError(t, err); ae.Kind != KindRouteNotFound {
		t.Errorf("run object: kind %v, want %v", ae.Kind, KindRouteNotFound)
	}
	want := []string{"/v1/projects/p/runs/r/summary", "/v1/projects/p/runs/n/compare/o", "/v1/projects/p/runs/r"}
	if got := h.list()[before:]; !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}

// A 404 from a project route names the project and what HoneyHive's 404
// means there; the list's says the same of the project.
func TestProjectNotFoundErrors(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, apiErrorJSON(404, "Evaluation run not found", "NOT_FOUND"))
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.APIKey, cfg.APIKeySource, cfg.ProjectID, cfg.ProjectIDSource = dpKey, "HH_DATA_PLANE_API_KEY", "proj-9", "project_id"
	})
	ctx := context.Background()
	_, err := c.GetRunSummary(ctx, "r1", "", models.SummaryDecodeOptions{})
	if ae := mustAPIError(t, err); ae.Kind != KindNotFound {
		t.Errorf("kind %v, want %v", ae.Kind, KindNotFound)
	}
	assertContains(t, err.Error(), `run "r1" was not found in HoneyHive project "proj-9"`,
		"GET /v1/projects/proj-9/runs/r1/summary", "no such run exists in this project",
		"the data-plane key cannot read it", "carries the permissions chosen when it was created",
		"reading a project's experiment runs needs them", "the project ID (from project_id;",
		"that HH_DATA_PLANE_API_KEY holds a current data-plane key")
	_, err = c.CompareRuns(ctx, "n", "o", "", models.ComparisonDecodeOptions{})
	if ae := mustAPIError(t, err); ae.Kind != KindNotFound {
		t.Errorf("kind %v, want %v", ae.Kind, KindNotFound)
	}
	assertContains(t, err.Error(), `run "n" or run "o" was not found in HoneyHive project "proj-9"`,
		"one of the runs does not exist in this project")
	_, _, err = listRuns(c, ctx, ListRunsQuery{}, 5)
	if ae := mustAPIError(t, err); ae.Kind != KindNotFound {
		t.Errorf("kind %v, want %v", ae.Kind, KindNotFound)
	}
	assertContains(t, err.Error(), `the list of runs of project "proj-9"`, "the project does not exist on this deployment",
		"the data-plane key cannot read its runs", "reading a project's experiment runs needs them")
	if strings.Contains(err.Error(), dpKey) {
		t.Errorf("the error holds the key: %v", err)
	}
}
