package provider

import (
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// Each failure reaches the user as an error that names what went wrong.
func TestAccErrors(t *testing.T) {
	cases := []struct {
		name      string
		server    []localhoneyhive.Option
		env       func(srv *testServer) map[string]string // nil: the server's
		provider  string                                  // provider block
		setup     func(srv *testServer)
		config    string
		wantError *regexp.Regexp
		// wantRequests is how many requests must have touched the fixture run
		// (0: not checked; see noRequests).
		wantRequests int
		// noRequests says that no request may reach the server at all.
		noRequests bool
	}{
		{
			name:   "unknown run",
			config: runConfig("run-does-not-exist", ""),
			wantError: messageLike("HoneyHive run not found, or the API key cannot see it", `Run "run-does-not-exist" was not found`, "HTTP 404",
				"Either no such run exists on this deployment, or the API key cannot see it",
				"HoneyHive answers 404, not 401 or 403, for a key that is invalid, revoked or expired",
				"Check the run ID; that HH_API_KEY holds a current key", "and that HH_API_URL is the deployment"),
		},
		{
			name:   "unknown run in a comparison",
			config: comparisonConfig(localhoneyhive.FixtureCandidate, "run-gone"),
			wantError: messageLike("HoneyHive run not found", `The old run "run-gone" (old_run_id) was not found`,
				`while the new run "run-candidate" was read with the same API key`, "Check old_run_id"),
		},
		{
			// Today's HoneyHive answers a key it does not accept with 404.
			name: "rejected key",
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_DATA_PLANE_URL": srv.URL, "HH_PROJECT_API_KEY": "hh_key_from_another_deployment"}
			},
			config: runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("HoneyHive run not found, or the API key cannot see it", `Run "run-baseline" was not found`,
				"HTTP 404", "or the API key cannot see it", "invalid, revoked or expired",
				"that HH_PROJECT_API_KEY holds a current key", "that HH_DATA_PLANE_URL is the deployment"),
		},
		{
			name:   "rejected key on a deployment that answers 401",
			server: []localhoneyhive.Option{localhoneyhive.WithRejectedKeyStatus(401)},
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_API_URL": srv.URL, "HH_API_KEY": "hh_key_from_another_deployment"}
			},
			config: runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("HoneyHive rejected the API key for server_url http://127.0.0.1:", "HTTP 401",
				"check that HH_API_KEY is a key issued by the deployment at HH_API_URL"),
		},
		{
			name: "missing key",
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_API_URL": srv.URL, "HH_PROJECT_API_KEY": "", "HH_API_KEY": " "}
			},
			config: runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("Missing HoneyHive API key", "data_plane_api_key and project_id", "HH_DATA_PLANE_API_KEY",
				"HH_PROJECT_ID", "Settings > Project > API Keys > Data Plane", "api_key", "HH_PROJECT_API_KEY",
				"HH_API_KEY and HONEYHIVE_API_KEY are also read", "read-only one (its prefix is hh_ro_)"),
			noRequests: true,
		},
		{
			name: "ingestion-only key",
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_API_URL": srv.URL, "HH_PROJECT_API_KEY": "hh_ingst_0123456789abcdef"}
			},
			config: runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("HoneyHive API key of the wrong kind",
				"the HoneyHive API key (from HH_PROJECT_API_KEY) is an ingestion-only key (its prefix is hh_ingst_)",
				"cannot read experiment runs", "preferably a read-only one (its prefix is hh_ro_)"),
			noRequests: true,
		},
		{
			name:     "organisation key in api_key",
			provider: `provider "honeyhive" { api_key = "hh_org_0123456789abcdef" }`,
			config:   runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("HoneyHive API key of the wrong kind",
				"the HoneyHive API key (from api_key) is an organisation key (its prefix is hh_org_)"),
			noRequests: true,
		},
		{
			name: "invalid server URL",
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_API_URL": "ftp://example.com", "HH_API_KEY": srv.APIKey()}
			},
			config:    runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("Invalid HoneyHive server URL", "ftp://example.com", "HH_API_URL"),
		},
		{
			name:      "invalid request_timeout",
			provider:  `provider "honeyhive" { request_timeout = "30" }`,
			config:    runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("Invalid duration", "request_timeout", `"30"`),
		},
		{
			name:      "max_retries out of range",
			provider:  `provider "honeyhive" { max_retries = 50 }`,
			config:    runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("max_retries", "between 0 and 20"),
		},
		{
			name: "retries that succeed: 503, then 429 with Retry-After, then the body",
			setup: func(srv *testServer) {
				srv.InjectFaults(localhoneyhive.FixtureBaseline, localhoneyhive.ServerError(503), localhoneyhive.RateLimited("1"))
			},
			config:       runConfig(localhoneyhive.FixtureBaseline, ""),
			wantRequests: 3,
		},
		{
			name:     "retries that give up",
			provider: `provider "honeyhive" { max_retries = 1 }`,
			setup: func(srv *testServer) {
				srv.InjectFaults(localhoneyhive.FixtureBaseline,
					localhoneyhive.ServerError(503), localhoneyhive.ServerError(503), localhoneyhive.ServerError(503))
			},
			config:       runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError:    messageLike("run-baseline", "HTTP 503", "gave up after 2 attempts"),
			wantRequests: 2,
		},
		{
			name:     "HTML 502 from a load balancer",
			provider: `provider "honeyhive" { max_retries = 0 }`,
			setup: func(srv *testServer) {
				srv.InjectFaults(localhoneyhive.FixtureBaseline, localhoneyhive.HTML502())
			},
			config:    runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("HTTP 502", "text/html"),
		},
		{
			name: "garbage body",
			setup: func(srv *testServer) {
				srv.InjectFaults(localhoneyhive.FixtureBaseline, localhoneyhive.MalformedJSON())
			},
			config:       runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError:    messageLike("run-baseline", "HTTP 200", "not a valid run summary"),
			wantRequests: 1,
		},
		{
			name:     "slow response past the request timeout",
			provider: "provider \"honeyhive\" {\n  request_timeout = \"500ms\"\n  max_retries     = 0\n}",
			setup: func(srv *testServer) {
				srv.InjectFaults(localhoneyhive.FixtureBaseline, localhoneyhive.Delay(5*time.Second))
			},
			config:    runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("run-baseline", "request timeout of 500ms"),
		},
		{
			name:     "unreachable server",
			provider: `provider "honeyhive" { max_retries = 1 }`,
			env: func(srv *testServer) map[string]string {
				return map[string]string{"HH_API_URL": "http://" + closedAddress(t), "HH_API_KEY": srv.APIKey()}
			},
			config:    runConfig(localhoneyhive.FixtureBaseline, ""),
			wantError: messageLike("run-baseline", "connection refused", "gave up after 2 attempts"),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t, tc.server...)
			env := srv.env
			if tc.env != nil {
				env = tc.env(srv)
			}
			if tc.setup != nil {
				tc.setup(srv)
			}
			var checks []statecheck.StateCheck
			if tc.wantError == nil {
				checks = append(checks, expect(runAddr, knownvalue.StringExact("completed"), "status"))
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:            tc.provider + "\n" + tc.config,
					ExpectError:       tc.wantError,
					ConfigStateChecks: checks,
				}},
			})
			if tc.noRequests {
				if log := srv.RequestLog(); len(log) != 0 {
					t.Errorf("the server saw %d requests, want none: %v", len(log), log)
				}
			}
			// A successful step reads the data source several times (plan,
			// apply, refresh); the first read is the one that met the faults.
			if tc.wantRequests > 0 {
				if got := srv.Requests(localhoneyhive.FixtureBaseline); tc.wantError != nil && got != tc.wantRequests ||
					tc.wantError == nil && got < tc.wantRequests {
					t.Errorf("the server saw %d requests for the run, want %d", got, tc.wantRequests)
				}
			}
		})
	}
}

// closedAddress returns a loopback address nothing listens on.
func closedAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Where the provider finds its server and key: HoneyHive's current names,
// HH_DATA_PLANE_URL and HH_PROJECT_API_KEY, come before their deprecated
// aliases (an empty one counts as unset), HONEYHIVE_SERVER_URL and
// HONEYHIVE_API_KEY are the last fallbacks, and settings in the provider
// block win over the environment. other, the deployment every lower-ranked
// setting names, must see no request.
func TestAccProvider_environment(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		env      func(srv, other *testServer) map[string]string
		provider func(srv *testServer) string
	}{
		{
			name: "current names before the deprecated ones",
			env: func(srv, other *testServer) map[string]string {
				return map[string]string{"HH_DATA_PLANE_URL": srv.URL, "HH_PROJECT_API_KEY": srv.APIKey(),
					"HH_API_URL": other.URL, "HH_API_KEY": other.APIKey(), "HONEYHIVE_SERVER_URL": other.URL, "HONEYHIVE_API_KEY": other.APIKey()}
			},
		},
		{
			name: "an empty current name counts as unset",
			env: func(srv, other *testServer) map[string]string {
				return map[string]string{"HH_DATA_PLANE_URL": "", "HH_PROJECT_API_KEY": "", "HH_API_URL": srv.URL, "HH_API_KEY": srv.APIKey(),
					"HONEYHIVE_SERVER_URL": other.URL, "HONEYHIVE_API_KEY": other.APIKey()}
			},
		},
		{
			name: "HONEYHIVE_SERVER_URL and HONEYHIVE_API_KEY as fallbacks",
			env: func(srv, _ *testServer) map[string]string {
				return map[string]string{"HONEYHIVE_SERVER_URL": srv.URL + "/", "HONEYHIVE_API_KEY": srv.APIKey()}
			},
		},
		{
			name: "the provider block over the environment",
			env: func(_, other *testServer) map[string]string {
				return map[string]string{"HH_API_URL": other.URL, "HH_API_KEY": "hh_wrong"}
			},
			provider: func(srv *testServer) string {
				return `
provider "honeyhive" {
  server_url = "` + srv.URL + `"
  api_key    = "` + srv.APIKey() + `"
}
`
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t)
			other := newTestServer(t, localhoneyhive.WithAPIKey("hh_other_deployment"))
			provider := ""
			if tc.provider != nil {
				provider = tc.provider(srv)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(tc.env(srv, other)),
				Steps: []resource.TestStep{{
					Config:            provider + runConfig(localhoneyhive.FixtureBaseline, ""),
					ConfigStateChecks: []statecheck.StateCheck{expect(runAddr, knownvalue.StringExact("completed"), "status")},
				}},
			})
			if n := len(other.RequestLog()); n != 0 {
				t.Errorf("the deployment named by the lower-ranked settings saw %d requests", n)
			}
		})
	}
}

// Numbers keep every digit the server sent, beyond float64's 17.
func TestAccExperimentRun_numberPrecision(t *testing.T) {
	srv := acceptance(t)
	srv.PutRunSummary("run-precise", []byte(`{"status":"completed","success":true,"passed":[],"failed":[],
		"metrics":{"aggregation_function":"average","details":[
			{"metric_name":"score","aggregate":0.123456789012345678901234567,"values":[12345678901234567890123]}]},
		"datapoints":[{"datapoint_id":"d1","metrics":[{"name":"score","value":12345678901234567890123}]}]}`))
	srv.test(t, resource.TestStep{
		Config: runConfig("run-precise", "include_datapoints = true"),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, number(t, "0.123456789012345678901234567"), "metrics", "score", "aggregate"),
			expect(runAddr, number(t, "12345678901234567890123"), "metrics", "score", "datapoints", "values", "d1"),
			expect(runAddr, knownvalue.Null(), "pass_rate"),
		},
	})
}
