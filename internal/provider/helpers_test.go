package provider

import (
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// acceptance starts an acceptance test on a local server of its own, in
// parallel with the package's other tests.
func acceptance(t *testing.T, opts ...localhoneyhive.Option) *testServer {
	t.Helper()
	t.Parallel()
	return newTestServer(t, opts...)
}

// test runs steps with the provider served in process against s. Without
// TF_ACC it skips, as terraform-plugin-testing's acceptance tests do.
func (s *testServer) test(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: s.factories(), Steps: steps})
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

// messageLike matches an error that contains each part in order. Terraform
// wraps diagnostics at its terminal width, so any space may be a line break.
func messageLike(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// approxWithin checks a number within tolerance of want.
func approxWithin(want, tolerance float64) knownvalue.Check {
	return knownvalue.NumberFunc(func(v *big.Float) error {
		got, _ := v.Float64()
		if d := got - want; d > tolerance || d < -tolerance {
			return fmt.Errorf("got %v, want %v ± %g", got, want, tolerance)
		}
		return nil
	})
}

// terraformPath is the CLI under test, for tests that run it themselves:
// they skip without TF_ACC, as terraform-plugin-testing's acceptance tests do
// (TestMain fails the package when TF_ACC is set and no CLI is found).
func terraformPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs the Terraform CLI: set TF_ACC=1 (make test does)")
	}
	p, err := findTerraform()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
