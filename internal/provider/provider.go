// Package provider maps the HoneyHive API client and result models to
// Terraform: the provider configuration and the data sources. It holds no HTTP
// or decoding logic of its own.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/honeyhiveai/honeyhive"

// Defaults for the provider's retry and timeout settings.
const (
	defaultRequestTimeout = honeyhive.DefaultRequestTimeout
	defaultMaxRetries     = honeyhive.DefaultMaxRetries
	maxMaxRetries         = 20
)

var _ provider.Provider = (*HoneyHiveProvider)(nil)

// HoneyHiveProvider is the honeyhive provider.
type HoneyHiveProvider struct {
	version string
	// getenv reads the environment; tests replace it.
	getenv func(string) string
}

// New returns a constructor for the provider at version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &HoneyHiveProvider{version: version, getenv: os.Getenv}
	}
}

type providerModel struct {
	APIKey         types.String `tfsdk:"api_key"`
	ServerURL      types.String `tfsdk:"server_url"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	MaxMetrics     types.Int64  `tfsdk:"max_metrics"`
	MaxDatapoints  types.Int64  `tfsdk:"max_datapoints"`
}

// Metadata names the provider.
func (p *HoneyHiveProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "honeyhive"
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *HoneyHiveProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads [HoneyHive](https://www.honeyhive.ai) experiment results so that " +
			"Terraform `precondition`, `postcondition` and `check` blocks can gate deploys on evaluation quality. " +
			"Every setting is optional and falls back to an environment variable.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "HoneyHive API key, sent as `Authorization: Bearer`. Defaults to the `HH_PROJECT_API_KEY` " +
					"environment variable, then `HH_API_KEY`, then `HONEYHIVE_API_KEY` (an empty variable counts as " +
					"unset). Use a read-only project key (it starts with `hh_ro_`): the provider only reads. Keys that " +
					"cannot read experiment runs are refused before any request: ingestion-only (`hh_ingst_`), " +
					"fine-grained data-plane (`hh_fgdp_`), organisation, workspace and control-plane keys (`hh_org_`, " +
					"`hh_ws_`, `hh_cp_`, `hh_fgcp_`). A key belongs to one deployment: it must have been issued by the " +
					"server at `server_url`. Prefer the environment variable to keep the key out of configuration.",
				Optional:  true,
				Sensitive: true,
			},
			"server_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the HoneyHive API (`http` or `https`; a trailing `/` is ignored). Defaults to " +
					"the `HH_DATA_PLANE_URL` environment variable, then `HH_API_URL`, then `HONEYHIVE_SERVER_URL` (an " +
					"empty variable counts as unset), then `" + honeyhive.DefaultServerURL + "`. " +
					"Dedicated tenants use `https://api.<tenant>.us.honeyhive.ai`.",
				Optional: true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit for one HTTP attempt, covering the connection, the server's computation " +
					"and the whole response body, as a Go duration such as `90s` or `2m`. HoneyHive computes results on " +
					"request, so large runs take seconds. Defaults to `" + defaultRequestTimeout.String() + "`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a read is retried after a connection error, an HTTP 429 "+
					"or a 5xx answer (other than 501), with capped exponential backoff and jitter that honours `Retry-After`. "+
					"`0` disables retries. Defaults to `%d`; at most `%d`.", defaultMaxRetries, maxMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
			"max_metrics":    maxMetricsAttribute(),
			"max_datapoints": maxDatapointsAttribute(),
		},
	}
}

// Configure builds the API client shared by every data source.
func (p *HoneyHiveProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"api_key": cfg.APIKey, "server_url": cfg.ServerURL, "request_timeout": cfg.RequestTimeout, "max_retries": cfg.MaxRetries,
		"max_metrics": cfg.MaxMetrics, "max_datapoints": cfg.MaxDatapoints,
	} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown HoneyHive provider setting",
				fmt.Sprintf("The provider cannot read HoneyHive results while %s is unknown. Set it to a value known at plan "+
					"time, or use its environment variable.", name))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	serverURL, source, err := honeyhive.ResolveServerURL(cfg.ServerURL.ValueString(), p.getenv)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("server_url"), "Invalid HoneyHive server URL", err.Error())
	}
	apiKey, keySource := honeyhive.ResolveAPIKey(cfg.APIKey.ValueString(), p.getenv)
	if apiKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing HoneyHive API key",
			fmt.Sprintf("The provider needs a HoneyHive API key. Set api_key in the provider \"honeyhive\" block, or the "+
				"%s environment variable (%s are also read). Use a read-only project key (it starts with %s). The key "+
				"must come from the deployment at %s.", honeyhive.EnvProjectAPIKey,
				strings.Join(honeyhive.APIKeyEnv[1:], " and "), honeyhive.ReadOnlyKeyPrefix, serverURLOrDefault(serverURL)))
	}
	timeout := defaultRequestTimeout
	if s := cfg.RequestTimeout.ValueString(); s != "" {
		timeout, _ = time.ParseDuration(s) // validated by durationValidator
	}
	retries := defaultMaxRetries
	if !cfg.MaxRetries.IsNull() {
		retries = int(cfg.MaxRetries.ValueInt64())
	}
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := honeyhive.NewClient(honeyhive.Config{
		ServerURL:       serverURL,
		ServerURLSource: source,
		APIKey:          apiKey,
		APIKeySource:    keySource,
		UserAgent:       honeyhive.UserAgent(p.version, req.TerraformVersion),
		RequestTimeout:  timeout,
		MaxRetries:      retries,
		Logger:          tflogLogger{},
		DecodeLimits:    decodeLimits(cfg.MaxMetrics, cfg.MaxDatapoints),
	})
	var kindErr *honeyhive.KeyKindError
	switch {
	case errors.As(err, &kindErr):
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "HoneyHive API key of the wrong kind", err.Error())
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not configure the HoneyHive client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured HoneyHive client", map[string]any{
		"server_url": serverURL, "server_url_source": source, "api_key_source": keySource,
		"request_timeout": timeout.String(), "max_retries": retries,
	})
	resp.DataSourceData = client
}

func serverURLOrDefault(u string) string {
	if u == "" {
		return honeyhive.DefaultServerURL
	}
	return u
}

// DataSources lists the provider's data sources.
func (p *HoneyHiveProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewExperimentRunDataSource,
		NewRunComparisonDataSource,
		NewExperimentRunsDataSource,
	}
}

// Resources lists the provider's resources: none; the provider only reads.
func (p *HoneyHiveProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

// tflogLogger sends the client's request logs to Terraform's log at debug level.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

// clientFrom returns the configured client, or reports why there is none.
func clientFrom(providerData any, diags interface {
	AddError(string, string)
}) *honeyhive.Client {
	if providerData == nil {
		// The provider is not configured yet (validation); Read will be called again.
		return nil
	}
	client, ok := providerData.(*honeyhive.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *honeyhive.Client, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	return client
}
