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
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/honeyhiveai/honeyhive"

// Defaults for the provider's retry and timeout settings.
const (
	defaultRequestTimeout = honeyhive.DefaultRequestTimeout
	defaultMaxRetries     = honeyhive.DefaultMaxRetries
	maxMaxRetries         = 20
)

// settingNames are the provider's attribute names, with which the client's
// messages tell the user what to check or change.
var settingNames = honeyhive.Names{
	ServerURL:         "server_url",
	APIKey:            "api_key",
	DataPlaneAPIKey:   "data_plane_api_key",
	ProjectID:         "project_id",
	AggregateFunction: "aggregate_function",
	ReadTimeout:       "timeouts.read",
	CreatedBounds:     "created_after, created_before",
	Block:             `the provider "honeyhive" block`,
}

var (
	_ provider.Provider              = (*HoneyHiveProvider)(nil)
	_ provider.ProviderWithFunctions = (*HoneyHiveProvider)(nil)
)

// HoneyHiveProvider is the honeyhive provider.
type HoneyHiveProvider struct {
	version string
	// getenv reads the environment; tests replace it.
	getenv func(string) string
	// warnedProjectIgnored is set once the warning that project_id is
	// ignored with a classic key was given: Terraform may configure the
	// provider more than once per command, and one warning is enough.
	warnedProjectIgnored atomic.Bool
}

// New returns a constructor for the provider at version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &HoneyHiveProvider{version: version, getenv: os.Getenv}
	}
}

type providerModel struct {
	DataPlaneAPIKey types.String `tfsdk:"data_plane_api_key"`
	ProjectID       types.String `tfsdk:"project_id"`
	APIKey          types.String `tfsdk:"api_key"`
	ServerURL       types.String `tfsdk:"server_url"`
	RequestTimeout  types.String `tfsdk:"request_timeout"`
	MaxRetries      types.Int64  `tfsdk:"max_retries"`
	MaxMetrics      types.Int64  `tfsdk:"max_metrics"`
	MaxDatapoints   types.Int64  `tfsdk:"max_datapoints"`
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
			"data_plane_api_key": schema.StringAttribute{
				MarkdownDescription: "HoneyHive fine-grained data-plane key (it starts with `hh_fgdp_`), the kind HoneyHive now " +
					"recommends: with `project_id`, every read goes to the project's routes " +
					"(`/v1/projects/{project_id}/runs...`) with this key, never to a classic route or key. Defaults to the " +
					"`HH_DATA_PLANE_API_KEY` environment variable, HoneyHive's own name (an empty variable counts as unset). " +
					"Create it in HoneyHive under Settings > Project > API Keys > Data Plane with the permissions to read " +
					"the project's experiment runs. A value that is not a whole `hh_fgdp_` key is an error before any " +
					"request; so is a data-plane key without `project_id`. A data-plane key in `api_key` is used as one.",
				Optional:  true,
				Sensitive: true,
			},
			"project_id": schema.StringAttribute{
				MarkdownDescription: "ID of the HoneyHive project whose runs are read on the project routes, with the " +
					"data-plane key. HoneyHive shows it under Settings > Project > API Keys > Data Plane, beside the " +
					"project's data-plane URL. Defaults to the `HH_PROJECT_ID` environment variable, which is this " +
					"provider's own (no HoneyHive client reads one). With only a classic key (`api_key`) it is ignored, " +
					"with a warning, as HoneyHive's SDK ignores it. Must not be empty.",
				Optional:   true,
				Validators: []validator.String{projectIDValidator},
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Classic HoneyHive project key, sent as `Authorization: Bearer` on the classic run routes " +
					"(`/v1/runs...`), which HoneyHive has deprecated in favour of the project routes: prefer " +
					"`data_plane_api_key` and `project_id`. Used only when no data-plane key is set. Defaults to the " +
					"`HH_PROJECT_API_KEY` environment variable, then `HH_API_KEY`, then `HONEYHIVE_API_KEY` (an empty " +
					"variable counts as unset). Use a read-only project key (it starts with `hh_ro_`): the provider only " +
					"reads. A data-plane key (`hh_fgdp_`) here is used as one, on the project routes. Keys that cannot " +
					"read experiment runs are refused before any request: ingestion-only (`hh_ingst_`), organisation, " +
					"workspace and control-plane keys (`hh_org_`, `hh_ws_`, `hh_cp_`, `hh_fgcp_`). A key belongs to one " +
					"deployment: it must have been issued by the server at `server_url`. Prefer the environment variable " +
					"to keep the key out of configuration.",
				Optional:  true,
				Sensitive: true,
			},
			"server_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the HoneyHive API (`http` or `https`; a trailing `/` is ignored). Defaults to " +
					"the `HH_DATA_PLANE_URL` environment variable, then `HH_API_URL`, then `HONEYHIVE_SERVER_URL` (an " +
					"empty variable counts as unset), then `" + honeyhive.DefaultServerURL + "`. " +
					"Dedicated tenants use `https://api.<tenant>.us.honeyhive.ai`. A URL with a user name, password, " +
					"query or fragment is refused, and shown with those parts as `[redacted]`: credentials go in `api_key`.",
				Optional: true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit for one HTTP attempt, covering the connection, the server's computation " +
					"and the whole response body, as a Go duration such as `90s` or `2m`. HoneyHive computes results on " +
					"request, so large runs take seconds. Defaults to `" + defaultRequestTimeout.String() + "`.",
				Optional:   true,
				Validators: []validator.String{durationValidator},
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
		"data_plane_api_key": cfg.DataPlaneAPIKey, "project_id": cfg.ProjectID,
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

	serverURL, source, err := honeyhive.ResolveServerURL(cfg.ServerURL.ValueString(), settingNames, p.getenv)
	switch setting := cfg.ServerURL.ValueString(); {
	case err != nil && honeyhive.RedactURL(setting) != setting:
		// Beside an attribute's error Terraform quotes the configuration's
		// line, credentials and all: this one names server_url instead.
		resp.Diagnostics.AddError("Invalid HoneyHive server URL", err.Error())
	case err != nil:
		resp.Diagnostics.AddAttributeError(path.Root("server_url"), "Invalid HoneyHive server URL", err.Error())
	}
	access, err := honeyhive.ResolveAccess(honeyhive.AccessSettings{
		APIKey: cfg.APIKey.ValueString(), DataPlaneAPIKey: cfg.DataPlaneAPIKey.ValueString(), ProjectID: cfg.ProjectID.ValueString(),
		Names: settingNames,
	}, p.getenv)
	var accessErr *honeyhive.AccessError
	switch {
	case errors.As(err, &accessErr) && accessErr.Setting != "":
		resp.Diagnostics.AddAttributeError(path.Root(accessErr.Setting), accessErr.Title, err.Error()+".")
	case errors.As(err, &accessErr):
		resp.Diagnostics.AddError(accessErr.Title, fmt.Sprintf("%s. The key must come from the deployment at %s.",
			err, honeyhive.RedactURL(serverURLOrDefault(serverURL))))
	case err != nil:
		resp.Diagnostics.AddError("Could not configure the HoneyHive client", err.Error())
	}
	if access.IgnoredProjectIDSource != "" && p.warnedProjectIgnored.CompareAndSwap(false, true) {
		resp.Diagnostics.AddAttributeWarning(path.Root(settingNames.ProjectID),
			"HoneyHive project ID ignored with a classic API key", projectIgnoredWarning(access)+".")
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
		APIKey:          access.APIKey,
		APIKeySource:    access.APIKeySource,
		ProjectID:       access.ProjectID,
		ProjectIDSource: access.ProjectIDSource,
		UserAgent:       userAgent(p.version, req.TerraformVersion),
		RequestTimeout:  timeout,
		MaxRetries:      retries,
		Logger:          tflogLogger{},
		DecodeLimits:    decodeLimits(cfg.MaxMetrics, cfg.MaxDatapoints),
		Names:           settingNames,
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
		"server_url": honeyhive.RedactURL(serverURL), "server_url_source": source, "api_key_source": access.APIKeySource,
		"project_id": access.ProjectID, "project_id_source": access.ProjectIDSource,
		"request_timeout": timeout.String(), "max_retries": retries,
	})
	resp.DataSourceData = client
}

// userAgent returns "terraform-provider-honeyhive/<providerVersion> (Terraform/<terraformVersion>)",
// without the parenthesised part when terraformVersion is empty. An empty
// providerVersion is reported as "dev".
func userAgent(providerVersion, terraformVersion string) string {
	pv := headerToken(providerVersion)
	if pv == "" {
		pv = "dev"
	}
	ua := "terraform-provider-honeyhive/" + pv
	if tv := headerToken(terraformVersion); tv != "" {
		ua += " (Terraform/" + tv + ")"
	}
	return ua
}

// headerToken trims v and drops characters that cannot appear in a header value
// or would break the User-Agent's product syntax.
func headerToken(v string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f || r == '(' || r == ')' {
			return -1
		}
		return r
	}, strings.TrimSpace(v))
}

// projectIgnoredWarning is the warning for Access.IgnoredProjectIDSource:
// what happens, and how to move to a data-plane key.
func projectIgnoredWarning(a honeyhive.Access) string {
	return fmt.Sprintf("%s is set, but the API key (from %s) is a classic project key, which HoneyHive accepts only on "+
		"the classic run routes (/v1/runs...): the provider reads those and ignores the project ID, as HoneyHive's SDK "+
		"does. HoneyHive has deprecated those routes in favour of /v1/projects/{project_id}/runs..., which take a "+
		"fine-grained data-plane key: create one in HoneyHive under Settings > Project > API Keys > Data Plane, with the "+
		"permissions to read the project's experiment runs, and set it in data_plane_api_key (or %s); with it, the "+
		"provider reads the project routes of %s. Or unset %s to silence this warning",
		a.IgnoredProjectIDSource, settingNames.KeySource(a.APIKeySource), honeyhive.EnvDataPlaneAPIKey,
		a.IgnoredProjectIDSource, a.IgnoredProjectIDSource)
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
		NewReleaseGateDataSource,
	}
}

// Functions lists the provider's functions (Terraform 1.8 and later, OpenTofu
// 1.7 and later; older CLIs do not ask for them and still read the data
// sources).
func (p *HoneyHiveProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		NewPairedIntervalFunction,
		NewWilsonIntervalFunction,
		NewSignTestFunction,
		NewHolmAdjustFunction,
		NewMinimumDetectableDifferenceFunction,
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

// maxLimitSetting bounds max_metrics and max_datapoints: far above any real
// run, it only keeps a typo from disabling the bound.
const maxLimitSetting = 1_000_000_000

func maxMetricsAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("Most metric entries a run's summary or a comparison may hold, and a datapoint's "+
			"`metrics`: a result with more fails with an error naming this setting, before it is read into memory. "+
			"It keeps a broken or hostile server from exhausting the runner's memory. Defaults to `%d`; between 1 "+
			"and %d.", models.DefaultMaxMetrics, maxLimitSetting),
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(1, maxLimitSetting)},
	}
}

func maxDatapointsAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("Most entries of any one list of datapoints, datapoint IDs or per-datapoint "+
			"values in a result (a run's `datapoints`, `passed` and `failed`, each metric's values and passed and "+
			"failed lists; a comparison's `commonDatapoints` and each metric's `improved`, `degraded`, `same` and "+
			"values), and 8 times that for all of a result's lists together: a result with more fails with an "+
			"error naming this setting, before it is read into memory. Defaults to `%d`: ten times a run of 100,000 "+
			"datapoints per list, and 8 million entries in all, more than a real result within the 256 MiB response "+
			"limit holds (about 6.4 million); the worst result these defaults accept peaks at 406 MiB of provider "+
			"memory, and a comparison of two such runs at 938 MiB. Between 1 and %d.",
			models.DefaultMaxDatapoints, maxLimitSetting),
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(1, maxLimitSetting)},
	}
}

// decodeLimits reads the two settings; null takes the models' defaults.
func decodeLimits(maxMetrics, maxDatapoints types.Int64) models.DecodeLimits {
	return models.DecodeLimits{MaxMetrics: int(maxMetrics.ValueInt64()), MaxDatapoints: int(maxDatapoints.ValueInt64())}
}
