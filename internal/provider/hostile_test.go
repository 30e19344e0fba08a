package provider

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// A hostile or broken server, under real Terraform: each case ends in a
// clear error or warning, quickly, without leaking a secret.

const endlessRunsConfig = `
data "honeyhive_experiment_runs" "all" {
  max_results = 1000
}
`

// gatedEndlessRunsConfig is endlessRunsConfig with the postcondition the cut-short warning
// recommends.
const gatedEndlessRunsConfig = `
data "honeyhive_experiment_runs" "all" {
  max_results = 1000
  lifecycle {
    postcondition {
      condition     = self.total != null || length(self.runs) == self.max_results
      error_message = "The run list is incomplete."
    }
  }
}
`

func TestAccHostile_endlessRunList(t *testing.T) {
	for _, tc := range []struct {
		name         string
		fault        localhoneyhive.Fault
		config       string
		wantRequests int
		wantError    bool
		want         []string
	}{
		{"the same run on every page", localhoneyhive.EndlessListSameRun(), endlessRunsConfig, 2, false,
			[]string{"HoneyHive run list cut short", "read 2 pages of GET /v1/runs in 2 requests",
				"page 2 brought no run that the earlier pages had not", "`total` is null", "at most 200 requests"}},
		{"pages of runs already seen", localhoneyhive.EndlessListSamePage(), endlessRunsConfig, 2, false,
			[]string{"HoneyHive run list cut short", "page 2 brought no run"}},
		{"a new run on every page, for ever", localhoneyhive.EndlessListFreshRuns(), endlessRunsConfig, honeyhive.MaxListRequests, false,
			[]string{"HoneyHive run list cut short", "read 200 pages of GET /v1/runs in 200 requests",
				"it reached the budget of 200 requests per read", "`runs` holds the 200 matching runs read (max_results = 1000)"}},
		{"the recommended postcondition fails the plan", localhoneyhive.EndlessListSameRun(), gatedEndlessRunsConfig, 2, true,
			[]string{"The run list is incomplete."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t)
			srv.InjectListFaults(localhoneyhive.Repeat(tc.fault, 3*honeyhive.MaxListRequests)...)
			start := time.Now()
			result := planDiagnostics(t, srv.env, tc.config, nil)
			if took := time.Since(start); took > 30*time.Second {
				t.Errorf("the plan took %v", took)
			}
			if got := srv.ListRequests(); got != tc.wantRequests {
				t.Errorf("the server saw %d list requests, want %d", got, tc.wantRequests)
			}
			if result.Succeeded == tc.wantError {
				t.Fatalf("plan succeeded: %v, want %v: %v", result.Succeeded, !tc.wantError, result.Diagnostics)
			}
			severity := "warning"
			if tc.wantError {
				severity = "error"
			}
			diags := result.withSeverity(severity)
			if len(diags) == 0 {
				t.Fatalf("no %s: %v", severity, result.Diagnostics)
			}
			text := diags[0].Summary + ": " + diags[0].Detail
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the %s does not say %q:\n%s", severity, w, text)
				}
			}
		})
	}
}

func TestAccHostile_answerForAnotherRun(t *testing.T) {
	base, cand, failed := localhoneyhive.FixtureBaseline, localhoneyhive.FixtureCandidate, localhoneyhive.FixtureFailed
	for _, tc := range []struct {
		name   string
		faults []localhoneyhive.Fault
		config string
		want   []string
	}{
		{"a run's summary", []localhoneyhive.Fault{localhoneyhive.AnswerForRun(cand)}, runConfig(base, ""),
			[]string{`asked for run "run-baseline", the body is run "run-candidate" (its run_object.run_id)`}},
		// The new run's summary may take the first fault (and is then the
		// right one): the comparison takes the next.
		{"a comparison's old run", localhoneyhive.Repeat(localhoneyhive.AnswerForOldRun(failed), 3), comparisonConfig(base, cand),
			[]string{`asked for old run "run-candidate", the body's old run is "run-failed" (its old_run.run_id)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t)
			srv.InjectFaults(base, tc.faults...)
			result := planDiagnostics(t, srv.env, tc.config, nil)
			errs := result.withSeverity("error")
			if result.Succeeded || len(errs) != 1 {
				t.Fatalf("want one error, got %v", result.Diagnostics)
			}
			if errs[0].Summary != "HoneyHive answered with another run's data" {
				t.Errorf("summary %q", errs[0].Summary)
			}
			for _, w := range append(tc.want, "it was not used", "HTTP 200") {
				if !strings.Contains(errs[0].Detail, w) {
					t.Errorf("the error does not say %q:\n%s", w, errs[0].Detail)
				}
			}
		})
	}
}

// A run whose error is a megabyte: the warning quotes 300 characters of it
// and says how many it left out.
func TestAccHostile_hugeRunError(t *testing.T) {
	srv := acceptance(t)
	srv.InjectFaults(localhoneyhive.FixtureBaseline, localhoneyhive.HugeRunError(1<<20))
	result := planDiagnostics(t, srv.env, runConfig(localhoneyhive.FixtureBaseline, ""), nil)
	warnings := result.withSeverity("warning")
	if !result.Succeeded || len(warnings) != 1 {
		t.Fatalf("want one warning, got %v", result.Diagnostics)
	}
	w := warnings[0]
	for _, part := range []string{`has status "failed"`, `HoneyHive reports the error "Traceback (most recent call last): xxx`,
		`… (1,048,276 more characters)"`} {
		if !strings.Contains(w.Detail, part) {
			t.Errorf("the warning does not say %q:\n%.2000s", part, w.Detail)
		}
	}
	if n := len(w.Detail); n > 2000 {
		t.Errorf("the warning is %d bytes long", n)
	}
	if n := len(result.Output); n > 64<<10 {
		t.Errorf("the plan's output is %d bytes long", n)
	}
}

// Credentials in server_url, from the provider block or the environment, in a
// URL that parses or not: the error names server_url and shows neither the
// user nor the password, in the output or in the CLI's TRACE log.
func TestAccHostile_credentialsInServerURL(t *testing.T) {
	const password = "s3cr3tPassw0rd"
	for _, tc := range []struct {
		name, provider, envURL string
		want                   []string
	}{
		// As terraform fmt writes it: an error about the attribute would make
		// Terraform quote its line; one about the provider quotes the first.
		{"provider block", "provider \"honeyhive\" {\n  server_url = \"https://alice:" + password + "@api.example.test\"\n}", "",
			[]string{`server_url "https://[redacted]@api.example.test" must not contain a user name or password`}},
		{"environment, user name alone", "", "https://" + password + "@api.example.test",
			[]string{`"https://[redacted]@api.example.test" (from HH_API_URL) must not contain a user name`}},
		{"environment, does not parse", "", "https://alice:" + password[:5] + "?" + password[5:] + "@api.example.test",
			[]string{`"https://[redacted]@api.example.test" (from HH_API_URL) is not a valid URL`}},
		{"environment, query", "", "https://api.example.test?token=" + password,
			[]string{`"https://api.example.test?[redacted]" (from HH_API_URL) must not have a query`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t)
			env := map[string]string{"HH_API_KEY": srv.APIKey(), "HH_API_URL": srv.URL}
			if tc.envURL != "" {
				env["HH_API_URL"] = tc.envURL
			}
			logPath := filepath.Join(t.TempDir(), "terraform.log")
			result := planDiagnosticsLogged(t, env, tc.provider+"\n"+runConfig(localhoneyhive.FixtureBaseline, ""), nil, logPath)
			errs := result.withSummary("Invalid HoneyHive server URL")
			if result.Succeeded || len(errs) != 1 {
				t.Fatalf("want the server URL error, got %v", result.Diagnostics)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs[0].Detail, w) {
					t.Errorf("the error does not say %q:\n%s", w, errs[0].Detail)
				}
			}
			logText := readFile(t, logPath)
			if !strings.Contains(logText, "Invalid HoneyHive server URL") {
				t.Fatal("the TRACE log does not hold the diagnostic: the search below proves nothing")
			}
			for name, text := range map[string]string{"output": result.Output, "TRACE log": logText} {
				for _, part := range []string{password[:5], password[5:], "alice"} {
					if i := strings.Index(text, part); i >= 0 {
						t.Errorf("the %s shows %q: %s", name, part, text[max(i-300, 0):min(i+100, len(text))])
					}
				}
			}
			if n := len(srv.RequestLog()); n != 0 {
				t.Errorf("%d requests reached a server", n)
			}
		})
	}
}
