package honeyhive

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestResolveServerURL(t *testing.T) {
	tests := []struct {
		name       string
		setting    string
		env        map[string]string
		wantURL    string
		wantSource string
		wantErr    []string // fragments of the error; nil means success
		notInErr   string
	}{
		{name: "default", wantURL: DefaultServerURL, wantSource: "default"},
		{name: "setting wins", setting: "https://api.acme.us.honeyhive.ai",
			env:     map[string]string{"HH_API_URL": "https://env.example", "HONEYHIVE_SERVER_URL": "https://other.example"},
			wantURL: "https://api.acme.us.honeyhive.ai", wantSource: "server_url"},
		{name: "HH_DATA_PLANE_URL first",
			env: map[string]string{"HH_DATA_PLANE_URL": "https://dp.example/", "HH_API_URL": "https://env.example",
				"HONEYHIVE_SERVER_URL": "https://other.example"},
			wantURL: "https://dp.example", wantSource: "HH_DATA_PLANE_URL"},
		{name: "empty HH_DATA_PLANE_URL is unset",
			env:     map[string]string{"HH_DATA_PLANE_URL": "", "HH_API_URL": "https://env.example"},
			wantURL: "https://env.example", wantSource: "HH_API_URL"},
		{name: "HH_API_URL before HONEYHIVE_SERVER_URL",
			env:     map[string]string{"HH_API_URL": "https://env.example/", "HONEYHIVE_SERVER_URL": "https://other.example"},
			wantURL: "https://env.example", wantSource: "HH_API_URL"},
		{name: "HONEYHIVE_SERVER_URL", env: map[string]string{"HONEYHIVE_SERVER_URL": "http://localhost:8080"},
			wantURL: "http://localhost:8080", wantSource: "HONEYHIVE_SERVER_URL"},
		{name: "blank env is unset", env: map[string]string{"HH_API_URL": "  ", "HONEYHIVE_SERVER_URL": "https://b.example"},
			wantURL: "https://b.example", wantSource: "HONEYHIVE_SERVER_URL"},
		{name: "trailing slashes and spaces", setting: " https://api.example.com/base// ",
			wantURL: "https://api.example.com/base", wantSource: "server_url"},
		{name: "ftp from env", env: map[string]string{"HH_API_URL": "ftp://x"}, wantSource: "HH_API_URL",
			wantErr: []string{`server_url "ftp://x" (from HH_API_URL) must be an http:// or https:// URL`}},
		{name: "no scheme", setting: "api.honeyhive.ai", wantSource: "server_url",
			wantErr: []string{`server_url "api.honeyhive.ai" must be an http:// or https:// URL`}},
		{name: "host:port without scheme", setting: "localhost:8080",
			wantErr: []string{`server_url "localhost:8080" must be an http:// or https:// URL`}},
		{name: "no host", env: map[string]string{"HONEYHIVE_SERVER_URL": "https://"},
			wantErr: []string{`server_url "https://" (from HONEYHIVE_SERVER_URL)`, "with a host name"}},
		{name: "query", setting: "https://api.example.com?x=1",
			wantErr: []string{`must not have a query or fragment`}},
		{name: "fragment", setting: "https://api.example.com#frag",
			wantErr: []string{`must not have a query or fragment`}},
		{name: "unparsable", setting: "http://[::1",
			wantErr: []string{`server_url "http://[::1" is not a valid URL`}},
		{name: "credentials not echoed", setting: "https://user:s3cr3tpw@api.example.com",
			wantErr: []string{"must not contain a user name or password"}, notInErr: "s3cr3tpw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, src, err := ResolveServerURL(tt.setting, testNames, envOf(tt.env))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("want error, got %q", u)
				}
				assertContains(t, err.Error(), tt.wantErr...)
				if tt.notInErr != "" && strings.Contains(err.Error(), tt.notInErr) {
					t.Errorf("error echoes %q: %v", tt.notInErr, err)
				}
				if tt.wantSource != "" && src != tt.wantSource {
					t.Errorf("source = %q, want %q", src, tt.wantSource)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if u != tt.wantURL || src != tt.wantSource {
				t.Errorf("got (%q, %q), want (%q, %q)", u, src, tt.wantURL, tt.wantSource)
			}
		})
	}

	if u, src, err := ResolveServerURL("", testNames, nil); err != nil || u != DefaultServerURL || src != "default" {
		t.Errorf("nil getenv: got (%q, %q, %v)", u, src, err)
	}
}

// The API key is the setting, else the first of its variables set.
func TestResolveAccessAPIKey(t *testing.T) {
	tests := []struct {
		name, setting string
		env           map[string]string
		key, source   string
	}{
		{"setting", "hh_a", map[string]string{"HH_API_KEY": "hh_b"}, "hh_a", "api_key"},
		{"HH_PROJECT_API_KEY first", "", map[string]string{"HH_PROJECT_API_KEY": "hh_p", "HH_API_KEY": "hh_b",
			"HONEYHIVE_API_KEY": "hh_c"}, "hh_p", "HH_PROJECT_API_KEY"},
		{"empty HH_PROJECT_API_KEY is unset", "", map[string]string{"HH_PROJECT_API_KEY": "", "HH_API_KEY": "hh_b"}, "hh_b", "HH_API_KEY"},
		{"blank HH_PROJECT_API_KEY is unset", "", map[string]string{"HH_PROJECT_API_KEY": " \n", "HONEYHIVE_API_KEY": "hh_c"}, "hh_c", "HONEYHIVE_API_KEY"},
		{"HH_API_KEY before HONEYHIVE_API_KEY", "", map[string]string{"HH_API_KEY": "hh_b", "HONEYHIVE_API_KEY": "hh_c"}, "hh_b", "HH_API_KEY"},
		{"HONEYHIVE_API_KEY", "", map[string]string{"HONEYHIVE_API_KEY": "hh_c"}, "hh_c", "HONEYHIVE_API_KEY"},
		{"trailing newline from file()", "hh_a\n", nil, "hh_a", "api_key"},
		{"blank setting falls through", "  ", map[string]string{"HH_API_KEY": "hh_b"}, "hh_b", "HH_API_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ResolveAccess(AccessSettings{APIKey: tt.setting, Names: testNames}, envOf(tt.env))
			if err != nil || a.APIKey != tt.key || a.APIKeySource != tt.source {
				t.Errorf("got (%q, %q, %v), want (%q, %q)", a.APIKey, a.APIKeySource, err, tt.key, tt.source)
			}
		})
	}
}

func TestNewClientValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"bad url", Config{ServerURL: "ftp://x", APIKey: testKey}, `server_url "ftp://x" must be an http:// or https:// URL`},
		{"no key", Config{ServerURL: DefaultServerURL}, "no HoneyHive API key: set api_key in the provider \"honeyhive\" block, or the HH_PROJECT_API_KEY environment variable (HH_API_KEY and HONEYHIVE_API_KEY are also read)"},
		{"key with a space, from a variable", Config{ServerURL: DefaultServerURL, APIKey: testKey + " x", APIKeySource: "HH_API_KEY"},
			"contains spaces or control characters; check HH_API_KEY"},
		{"blank key", Config{ServerURL: DefaultServerURL, APIKey: " \n"}, "no HoneyHive API key"},
		{"key with inner space", Config{ServerURL: DefaultServerURL, APIKey: testKey + " x"}, "contains spaces or control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Names = testNames
			_, err := NewClient(tt.cfg)
			if err == nil {
				t.Fatal("want error")
			}
			assertContains(t, err.Error(), tt.want)
			assertNoKey(t, "error", err.Error())
		})
	}
}

func TestNewClientDefaults(t *testing.T) {
	c, err := NewClient(Config{Names: testNames, ServerURL: "https://api.example.com/", APIKey: " " + testKey + "\n", MaxRetries: -3})
	if err != nil {
		t.Fatal(err)
	}
	if c.ServerURL() != "https://api.example.com" {
		t.Errorf("ServerURL() = %q", c.ServerURL())
	}
	if c.cfg.APIKey != testKey {
		t.Errorf("key not trimmed")
	}
	if c.cfg.RequestTimeout != DefaultRequestTimeout || c.cfg.MaxRetries != 0 || c.maxResponseBytes != maxResponseBytes {
		t.Errorf("defaults: timeout %v retries %d max bytes %d", c.cfg.RequestTimeout, c.cfg.MaxRetries, c.maxResponseBytes)
	}
	if c.waitMin != retryWaitMin || c.waitMax != retryWaitMax {
		t.Errorf("default waits: %v..%v", c.waitMin, c.waitMax)
	}
	if c.cfg.UserAgent != "" {
		t.Errorf("user agent %q", c.cfg.UserAgent)
	}
	if c.httpClient == nil || c.httpClient == http.DefaultClient {
		t.Errorf("want a client of our own")
	}
	if _, ok := c.httpClient.Transport.(*http.Transport); !ok || c.httpClient.Transport == http.DefaultTransport {
		t.Errorf("want a cloned transport, got %T", c.httpClient.Transport)
	}
}

// Keys of the kinds that cannot read runs are refused by NewClient, before any
// request, with a message naming the kind (by its prefix, never the key) and
// the kind to use; any other key is sent as it is.
func TestNewClientKeyKinds(t *testing.T) {
	refused := []struct{ prefix, kind string }{
		{"hh_ingst_", "an ingestion-only key"},
		{"hh_org_", "an organisation key"},
		{"hh_ws_", "a workspace key"},
		{"hh_cp_", "a control-plane key"},
		{"hh_fgcp_", "a fine-grained control-plane key"},
	}
	for _, tc := range refused {
		t.Run(tc.prefix, func(t *testing.T) {
			key := tc.prefix + "SECRETPART0123456789"
			for _, source := range []string{"", "api_key", "HH_PROJECT_API_KEY"} {
				c, err := NewClient(Config{Names: testNames, ServerURL: DefaultServerURL, APIKey: key, APIKeySource: source})
				var kindErr *KeyKindError
				if c != nil || !errors.As(err, &kindErr) {
					t.Fatalf("source %q: got client %v, error %v; want a *KeyKindError", source, c, err)
				}
				if kindErr.Prefix != tc.prefix || kindErr.Kind != tc.kind || kindErr.Source != source {
					t.Errorf("KeyKindError %+v", kindErr)
				}
				want := []string{"is " + tc.kind + " (its prefix is " + tc.prefix + ")", "so it cannot read experiment runs",
					"Use a fine-grained data-plane key (its prefix is hh_fgdp_) with the project's ID in project_id, or a classic project API key, preferably a read-only one (its prefix is hh_ro_)"}
				if source != "" {
					want = append(want, "the HoneyHive API key (from "+source+") is")
				}
				assertContains(t, err.Error(), want...)
				if strings.Contains(err.Error(), "SECRETPART") {
					t.Errorf("the error holds the key: %v", err)
				}
			}
		})
	}
	t.Run("fine-grained data-plane keys need a project", func(t *testing.T) {
		_, err := NewClient(Config{Names: testNames, ServerURL: DefaultServerURL, APIKey: "hh_fgdp_x", APIKeySource: "api_key"})
		assertContains(t, err.Error(), "set in api_key is a fine-grained data-plane key", "only on the project routes",
			"set project_id", "HH_PROJECT_ID", "Settings > Project > API Keys > Data Plane")
	})
	t.Run("project routes need a data-plane key", func(t *testing.T) {
		_, err := NewClient(Config{Names: testNames, ServerURL: DefaultServerURL, APIKey: "hh_ro_SECRETPART", ProjectID: "p"})
		assertContains(t, err.Error(), `project "p"`, "accept only a fine-grained data-plane key")
		if strings.Contains(err.Error(), "SECRETPART") {
			t.Errorf("the error holds the key: %v", err)
		}
	})
	t.Run("ingestion keys only ingest", func(t *testing.T) {
		_, err := NewClient(Config{Names: testNames, ServerURL: DefaultServerURL, APIKey: "hh_ingst_x"})
		assertContains(t, err.Error(), "refuses it on every read route")
	})

	// Project keys, read-only ones, and keys of shapes this client does not
	// know are sent as they are.
	for _, key := range []string{"hh_ro_abc", "hh_abc", "hh_ingst", "HH_INGST_abc", "sk-abc", "hh_roster_key", "hh_wsx"} {
		t.Run("sent "+key, func(t *testing.T) {
			var got string
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				got = r.Header.Get("Authorization")
				writeJSON(w, 200, `{"evaluation":{"run_id":"r"}}`)
			})
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.APIKey = key })
			if _, err := c.GetRun(context.Background(), "r"); err != nil {
				t.Fatal(err)
			}
			if got != "Bearer "+key {
				t.Errorf("Authorization = %q", got)
			}
		})
	}
}

func TestSourceNames(t *testing.T) {
	for _, tc := range []struct{ source, key, url string }{
		{"", "api_key (or HH_PROJECT_API_KEY)", "server_url (or HH_DATA_PLANE_URL)"},
		{"default", "default", "server_url (or HH_DATA_PLANE_URL)"},
		{"HH_API_KEY", "HH_API_KEY", "HH_API_KEY"},
		{"api_key", "api_key", "api_key"},
	} {
		if got := testNames.KeySource(tc.source); tc.source != "default" && got != tc.key {
			t.Errorf("KeySourceName(%q) = %q, want %q", tc.source, got, tc.key)
		}
		if got := testNames.ServerURLSource(tc.source); tc.source != "HH_API_KEY" && tc.source != "api_key" && got != tc.url {
			t.Errorf("ServerURLSourceName(%q) = %q, want %q", tc.source, got, tc.url)
		}
	}
}

// Errors name the setting or variable the key and the URL were read from.
func TestErrorsNameTheSources(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		status := 401
		if strings.HasSuffix(r.URL.Path, "/summary") {
			status = 404
		}
		writeJSON(w, status, apiErrorJSON(status, "nope", ""))
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.APIKeySource, cfg.ServerURLSource = "HH_API_KEY", "HH_DATA_PLANE_URL"
	})
	_, err := c.GetRun(context.Background(), "r")
	assertContains(t, err.Error(), "check that HH_API_KEY is a key issued by the deployment at HH_DATA_PLANE_URL")
	_, err = c.GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{})
	assertContains(t, err.Error(), "that HH_API_KEY holds a current key", "and that HH_DATA_PLANE_URL is the deployment")
	if strings.Contains(err.Error(), "HH_PROJECT_API_KEY") || strings.Contains(err.Error(), "api_key") {
		t.Errorf("the error names a setting the key did not come from: %v", err)
	}
}
