package provider

import (
	"context"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

var (
	_ datasource.DataSource              = (*experimentRunsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*experimentRunsDataSource)(nil)
)

// The list route's enumerations, as GET /v1/runs accepts them.
var (
	runsListStatuses   = []string{"pending", "running", "completed", "failed", "cancelled"}
	runsListSortFields = []string{"created_at", "updated_at", "name", "status"}
	runsListSortOrders = []string{"asc", "desc"}
)

const (
	defaultRunsSortBy     = "created_at"
	defaultRunsSortOrder  = "desc"
	defaultRunsMaxResults = 20
	// runsListMaxResults caps max_results: ten pages of 100, read on every plan.
	runsListMaxResults = 1000
)

// NewExperimentRunsDataSource returns the honeyhive_experiment_runs data source.
func NewExperimentRunsDataSource() datasource.DataSource { return &experimentRunsDataSource{} }

// experimentRunsDataSource lists run objects (GET /v1/runs), to find runs by
// name, dataset or status rather than by ID.
type experimentRunsDataSource struct {
	client *honeyhive.Client
}

type experimentRunsModel struct {
	Name              types.String   `tfsdk:"name"`
	DatasetID         types.String   `tfsdk:"dataset_id"`
	Status            types.String   `tfsdk:"status"`
	RunIDs            types.List     `tfsdk:"run_ids"`
	CreatedAfter      types.String   `tfsdk:"created_after"`
	CreatedBefore     types.String   `tfsdk:"created_before"`
	Metadata          types.Map      `tfsdk:"metadata"`
	MetadataScanLimit types.Int64    `tfsdk:"metadata_scan_limit"`
	SortBy            types.String   `tfsdk:"sort_by"`
	SortOrder         types.String   `tfsdk:"sort_order"`
	MaxResults        types.Int64    `tfsdk:"max_results"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
	Runs              types.List     `tfsdk:"runs"`
	IDs               types.List     `tfsdk:"ids"`
	Total             types.Int64    `tfsdk:"total"`
	Scanned           types.Int64    `tfsdk:"scanned"`
}

// listedRunObject describes one listed run: what it is, not its results.
var listedRunObject = schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
	"run_id": stringAttr("ID of the run, as `honeyhive_experiment_run` and `honeyhive_run_comparison` take it. " +
		"Null only if the server sent none."),
	"name":        stringAttr("Name of the run. Null when it has none."),
	"description": stringAttr("Description of the run. Null when it has none."),
	"status": stringAttr("The run's status: `pending`, `running`, `completed`, `failed` or `cancelled`; a status " +
		"HoneyHive adds later is passed through as it is. Null when the server sent null."),
	"dataset_id":   stringAttr("ID of the dataset the run evaluated. Null for a run without a dataset."),
	"dataset_name": stringAttr("Name of that dataset. Null when not sent."),
	"created_at": stringAttr("When the run was created, exactly as HoneyHive sends it: normally an ISO 8601 " +
		"timestamp in UTC with milliseconds, such as `2026-05-01T12:00:00.000Z`, which `timecmp()` reads."),
	"updated_at": stringAttr("When the run was last updated, in the same form as `created_at`. Null when never updated."),
	"metric_names": stringListAttr("Names of the metrics the run object lists (the keys of its `metrics`), in the " +
		"server's order. Empty when it lists none, as for a run still in progress. Read the values with " +
		"`honeyhive_experiment_run`."),
	"metadata": stringAttr("The run's metadata, the JSON object your evaluation attached to it, as JSON text exactly " +
		"as the server sent it (read it with `jsondecode()`). Null when the run has none."),
}}

var listedRunAttrTypes = attrTypesOf(listedRunObject)

func (d *experimentRunsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_experiment_runs"
}

func (d *experimentRunsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists HoneyHive experiment runs (their name, dataset, status, timestamps and metadata, " +
			"not their results), filtered and sorted by the server, so a configuration can find a run by name, date " +
			"or metadata instead of hard-coding its ID: for example the newest completed run of a nightly " +
			"evaluation, or the newest completed run on `main` as the baseline, to read with " +
			"`honeyhive_experiment_run` or compare with `honeyhive_run_comparison`. The list is read again on every " +
			"plan. No matching run is an empty `runs` list, not an error: a `precondition` or `postcondition` " +
			"decides what that means for you.",
		Attributes: withAttributes(map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Only runs with this name.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"dataset_id": schema.StringAttribute{
				MarkdownDescription: "Only runs on the dataset with this ID.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Only runs in this status: one of `" + strings.Join(runsListStatuses, "`, `") + "`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(runsListStatuses...)},
			},
			"run_ids": schema.ListAttribute{
				MarkdownDescription: "Only runs with one of these IDs. IDs that match no run are left out of the " +
					"result, not reported; an empty list matches no run (and sends no request).",
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.List{
					listvalidator.NoNullValues(),
					listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"sort_by": schema.StringAttribute{
				MarkdownDescription: "Field the server sorts the runs by: one of `" + strings.Join(runsListSortFields, "`, `") +
					"`. Defaults to `" + defaultRunsSortBy + "`. Runs that tie are ordered as the server decides.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf(runsListSortFields...)},
			},
			"sort_order": schema.StringAttribute{
				MarkdownDescription: "`asc` (oldest or A first) or `desc` (newest or Z first). Defaults to `" +
					defaultRunsSortOrder + "`, so that with the default `sort_by` `runs[0]` is the newest run.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf(runsListSortOrders...)},
			},
			"max_results": schema.Int64Attribute{
				MarkdownDescription: "Largest number of runs to return, from 1 to " + strconv.Itoa(runsListMaxResults) +
					". Defaults to `" + strconv.Itoa(defaultRunsMaxResults) + "`. The server sends at most " +
					strconv.Itoa(honeyhive.MaxListPageSize) + " runs per request, so the provider reads pages until it " +
					"has this many or the server has no more; the cap keeps that to at most ten requests on every plan " +
					"and the state small (with `metadata`, `metadata_scan_limit` bounds the requests instead). To look " +
					"further back, narrow the filters instead. Whatever the server announces, a read makes at most " +
					strconv.Itoa(honeyhive.MaxListRequests) + " requests, retries included, and stops at a page that " +
					"brings no run not seen before: the plan then warns that the list was cut short, and `total` is null.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{int64validator.Between(1, runsListMaxResults)},
			},
			"runs": schema.ListNestedAttribute{
				MarkdownDescription: "The matching runs in the server's order (see `sort_by`, `sort_order`), at most " +
					"`max_results` of them. Empty when no run matches. The list is not a snapshot: a run created while " +
					"the pages are read can push another one into the next page, where the provider skips it when it " +
					"has seen its ID already.",
				Computed:     true,
				NestedObject: listedRunObject,
			},
			"ids": stringListAttr("The `run_id` of every entry of `runs`, in the same order: `ids[0]` is " +
				"`runs[0].run_id`. Named `ids` because `run_ids` is the filter."),
			"total": int64Attr("Number of runs matching the filters, before `max_results`: more than " +
				"`length(runs)` when there are more runs than were read. Without `metadata` it is the server's count, " +
				"null when the server does not report it. With `metadata` only the provider can count the matches, " +
				"so it is known only when the provider checked every run the server's filters match: it is the " +
				"number of matches then, and null when the scan stopped earlier (at `max_results` matches, or at " +
				"`metadata_scan_limit` runs). Null, with a warning, when the provider cut short a list the server " +
				"did not end (see `max_results`): more runs may exist."),
		}, runsFilterAttributes()),
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *experimentRunsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *experimentRunsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state experimentRunsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.SortBy.IsNull() {
		state.SortBy = types.StringValue(defaultRunsSortBy)
	}
	if state.SortOrder.IsNull() {
		state.SortOrder = types.StringValue(defaultRunsSortOrder)
	}
	if state.MaxResults.IsNull() {
		state.MaxResults = types.Int64Value(defaultRunsMaxResults)
	}

	query := honeyhive.ListRunsQuery{
		Name:      state.Name.ValueString(),
		DatasetID: state.DatasetID.ValueString(),
		Status:    state.Status.ValueString(),
		SortBy:    state.SortBy.ValueString(),
		SortOrder: state.SortOrder.ValueString(),
	}
	resp.Diagnostics.Append(state.applyFilters(ctx, &query)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !state.RunIDs.IsNull() {
		query.RunIDs = []string{} // set but empty matches no run
		resp.Diagnostics.Append(state.RunIDs.ElementsAs(ctx, &query.RunIDs, false)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	ctx, cancel, diags := withReadTimeout(ctx, state.Timeouts)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	listing, err := d.client.FindRuns(ctx, query, honeyhive.ListLimits{
		MaxResults: int(state.MaxResults.ValueInt64()),
		ScanLimit:  int(state.MetadataScanLimit.ValueInt64()),
	})
	if err != nil {
		resp.Diagnostics.AddError(readFailureSummary(err, "Could not list HoneyHive experiment runs"), sentence(err.Error()))
		return
	}
	if listing.ScanLimitReached {
		resp.Diagnostics.AddWarning(scanLimitWarning(&state, query, listing))
	}
	if listing.CutShort != honeyhive.ListNotCut {
		resp.Diagnostics.AddWarning(cutShortWarning(&state, listing))
	}
	setExperimentRuns(&state, listing.Runs, listing.Total)
	state.Scanned = types.Int64Null()
	if len(query.Metadata) > 0 {
		state.Scanned = types.Int64Value(int64(listing.Scanned))
	}
	resp.Diagnostics.Append(setStateDirect(ctx, &resp.State, &state)...)
}

// setExperimentRuns fills the computed attributes from the listed runs.
func setExperimentRuns(m *experimentRunsModel, runs []models.Run, total int) {
	elems := make([]attr.Value, len(runs))
	ids := make([]attr.Value, len(runs))
	for i, r := range runs {
		ids[i] = optionalName(r.RunID)
		elems[i] = types.ObjectValueMust(listedRunAttrTypes, map[string]attr.Value{
			"run_id":       ids[i],
			"name":         optionalString(r.Name),
			"description":  optionalString(r.Description),
			"status":       optionalStatus(r.Status),
			"dataset_id":   optionalString(r.DatasetID),
			"dataset_name": optionalString(r.DatasetName),
			"created_at":   optionalString(r.CreatedAt),
			"updated_at":   optionalString(r.UpdatedAt),
			"metric_names": emptyableStringList(r.MetricNames),
			"metadata":     optionalJSON(r.Metadata),
		})
	}
	m.Runs = types.ListValueMust(types.ObjectType{AttrTypes: listedRunAttrTypes}, elems)
	m.IDs = types.ListValueMust(types.StringType, ids)
	m.Total = types.Int64Null()
	if total != honeyhive.TotalUnknown {
		m.Total = types.Int64Value(int64(total))
	}
}
