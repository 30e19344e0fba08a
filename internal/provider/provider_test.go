package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// TestMain fails the whole package loudly when acceptance tests cannot run,
// instead of letting terraform-plugin-testing skip them or try a download.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		os.Stderr.WriteString("provider tests run Terraform: set TF_ACC=1 (make test does)\n")
		os.Exit(1)
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			os.Stderr.WriteString("TF_ACC_TERRAFORM_PATH: " + err.Error() + "\n")
			os.Exit(1)
		}
	} else if _, err := lookPath("terraform"); err != nil {
		os.Stderr.WriteString("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (make test does)\n")
		os.Exit(1)
	}
	if err := useProviderNamespace(); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	// Poll quickly: the waits under test take a few polls, not minutes.
	waitOptions.PollMin, waitOptions.PollMax = 50*time.Millisecond, 200*time.Millisecond
	os.Exit(m.Run())
}

// providerNamespace is the namespace of the provider's source address,
// honeyhiveai/honeyhive, as the examples' required_providers name it.
const providerNamespace = "honeyhiveai"

// useProviderNamespace makes terraform-plugin-testing reattach the in-process
// provider as <host>/honeyhiveai/honeyhive (its default is hashicorp): the
// examples under examples/ declare that source, as users copy them, and the
// library gives the tests' inline configurations the same source. Any other
// namespace would leave the examples' provider unresolved, so it is refused.
func useProviderNamespace() error {
	const name = "TF_ACC_PROVIDER_NAMESPACE"
	switch v := os.Getenv(name); v {
	case "":
		return os.Setenv(name, providerNamespace)
	case providerNamespace:
		return nil
	default:
		return fmt.Errorf("%s=%s: the examples declare source = %q, so the provider tests need %s=%s (or unset)",
			name, v, providerNamespace+"/honeyhive", name, providerNamespace)
	}
}

func lookPath(name string) (string, error) {
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", os.ErrNotExist
}

// testServer is a local HoneyHive-compatible server for one test, and the
// environment a provider under test reads its settings from.
type testServer struct {
	*localhoneyhive.Server
	URL string
	env map[string]string
}

func newTestServer(t *testing.T, opts ...localhoneyhive.Option) *testServer {
	t.Helper()
	return newWrappedTestServer(t, nil, opts...)
}

// newWrappedTestServer serves the local server through wrap, for tests that
// change runs as requests arrive.
func newWrappedTestServer(t *testing.T, wrap func(*localhoneyhive.Server) http.Handler, opts ...localhoneyhive.Option) *testServer {
	t.Helper()
	srv := localhoneyhive.New(opts...)
	var handler http.Handler = srv
	if wrap != nil {
		handler = wrap(srv)
	}
	ts := httptest.NewServer(handler)
	t.Cleanup(ts.Close)
	return &testServer{
		Server: srv,
		URL:    ts.URL,
		env:    map[string]string{"HH_API_URL": ts.URL, "HH_API_KEY": srv.APIKey()},
	}
}

// factories serves the provider in-process, reading its environment from env
// rather than the process's, so tests can run in parallel against their own
// servers and keys.
func factories(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"honeyhive": func() (tfprotov6.ProviderServer, error) {
			return NewServer(&HoneyHiveProvider{
				version: "test",
				getenv:  func(k string) string { return env[k] },
			}), nil
		},
	}
}

func (s *testServer) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return factories(s.env)
}

// number is an exact check of a Terraform number against its decimal text.
func number(t *testing.T, text string) knownvalue.Check {
	t.Helper()
	f, err := models.ParseNumber(text)
	if err != nil {
		t.Fatalf("bad number %q: %v", text, err)
	}
	return knownvalue.NumberExact(f)
}

func strs(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

// expect is statecheck.ExpectKnownValue with the path written as steps:
// strings are attribute names or map keys, ints list indexes.
func expect(address string, check knownvalue.Check, steps ...any) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, jsonPath(steps...), check)
}

func jsonPath(steps ...any) tfjsonpath.Path {
	p := tfjsonpath.New(steps[0].(string))
	for _, s := range steps[1:] {
		switch s := s.(type) {
		case string:
			p = p.AtMapKey(s)
		case int:
			p = p.AtSliceIndex(s)
		}
	}
	return p
}

// example is a tested example file under examples/.
func example(parts ...string) config.TestStepConfigFunc {
	return config.StaticFile(filepath.Join(append([]string{"..", "..", "examples"}, parts...)...))
}

func TestProviderSchemaIsValid(t *testing.T) {
	p := New("test")()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(p)()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	for _, name := range []string{"honeyhive_experiment_run", "honeyhive_run_comparison"} {
		if _, ok := resp.DataSourceSchemas[name]; !ok {
			t.Errorf("data source %s is missing", name)
		}
	}
	for _, a := range resp.Provider.Block.Attributes {
		if a.Name == "api_key" && !a.Sensitive {
			t.Error("api_key must be sensitive")
		}
		if a.Description == "" {
			t.Errorf("provider attribute %s has no description", a.Name)
		}
	}
	for name, s := range resp.DataSourceSchemas {
		if s.Block.Description == "" {
			t.Errorf("%s has no description", name)
		}
		checkDescribed(t, name, s.Block.Attributes)
	}
}

// checkDescribed fails for every attribute, nested ones included, that has no
// description: the generated docs would show a bare name.
func checkDescribed(t *testing.T, prefix string, attrs []*tfprotov6.SchemaAttribute) {
	t.Helper()
	for _, a := range attrs {
		name := prefix + "." + a.Name
		if a.Description == "" {
			t.Errorf("%s has no description", name)
		}
		if a.NestedType != nil {
			checkDescribed(t, name, a.NestedType.Attributes)
		}
	}
}
