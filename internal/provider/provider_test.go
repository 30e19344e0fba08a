package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestMain runs the unit tests as they are and, with TF_ACC set, fails the
// whole package loudly when the acceptance tests cannot run, instead of
// letting terraform-plugin-testing try a download. Without TF_ACC the
// acceptance tests skip, as terraform-plugin-testing's own do.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") != "" {
		if _, err := findTerraform(); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		if err := useProviderNamespace(); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
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

// findTerraform is the CLI under test: TF_ACC_TERRAFORM_PATH, else terraform
// on PATH.
func findTerraform() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("TF_ACC_TERRAFORM_PATH: %w", err)
		}
		return p, nil
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, "terraform")
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (make test does)")
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

// The provider configuration example initialises and plans as written: its
// attributes exist and its source resolves to the provider under test.
func TestAccExamples_provider(t *testing.T) {
	srv := acceptance(t)
	resource.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			// At the step's level: the library counts a configuration with
			// provider blocks as the step's own providers.
			ProtoV6ProviderFactories: srv.factories(),
			ConfigFile:               example("provider", "provider.tf"),
			ConfigVariables: config.Variables{
				"honeyhive_data_plane_api_key": config.StringVariable("hh_fgdp_example_key"),
				"honeyhive_project_id":         config.StringVariable("example-project"),
			},
			PlanOnly: true,
		}},
	})
}
