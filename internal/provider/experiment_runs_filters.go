package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

var _ datasource.DataSourceWithValidateConfig = (*experimentRunsDataSource)(nil)

const (
	// maxMetadataScanLimit caps metadata_scan_limit: a hundred requests of
	// 100 runs on every plan is as far as a filter the server cannot apply
	// should go.
	maxMetadataScanLimit = 10000
	// exampleTimestamp is the timestamp the attribute descriptions and errors
	// show.
	exampleTimestamp = "2026-05-01T00:00:00Z"
)

// runsFilterAttributes are the honeyhive_experiment_runs attributes of the
// created-at bounds (sent to the server) and the metadata filter (applied by
// the provider), with what the metadata scan reports.
func runsFilterAttributes() map[string]schema.Attribute {
	bound := func(side, op string) string {
		return "Only runs created " + side + " this instant (inclusive: a run created exactly then is kept), an " +
			"[RFC 3339](https://www.rfc-editor.org/rfc/rfc3339) timestamp such as `" + exampleTimestamp + "` or `" +
			"2026-05-01T02:00:00+02:00`. HoneyHive applies it (the `dateRange` parameter, `" + op + "`); the " +
			"provider sends it in UTC with milliseconds, like HoneyHive's own timestamps, rounding a finer one " +
			"inwards to the millisecond (which keeps exactly the same runs). For a window relative to now, use " +
			"`timeadd(plantimestamp(), \"-168h\")`: `plantimestamp()` is known at plan time, `timestamp()` is not."
	}
	return map[string]schema.Attribute{
		"created_after": schema.StringAttribute{
			MarkdownDescription: bound("at or after", "$gte"),
			Optional:            true,
			Validators:          []validator.String{rfc3339Validator},
		},
		"created_before": schema.StringAttribute{
			MarkdownDescription: bound("at or before", "$lte") + " Must not be earlier than `created_after`.",
			Optional:            true,
			Validators:          []validator.String{rfc3339Validator},
		},
		"metadata": schema.MapAttribute{
			MarkdownDescription: "Only runs whose metadata (the JSON object your evaluation attached to the run) has " +
				"every one of these keys with exactly this value, compared as text: a string as it is; a number as " +
				"`tostring()` writes it (`3`, `3.0` and `3e0` all match `\"3\"`, `0.10` matches `\"0.1\"`); `true` " +
				"and `false` as `\"true\"` and `\"false\"`; an object or a list as `jsonencode()` writes it (keys " +
				"sorted, no spaces). Keys and values are case-sensitive; a key whose value is null matches nothing. " +
				"HoneyHive cannot filter on metadata, so the provider applies this filter to the runs the server lists " +
				"(after its filters and in its order), reading pages until it has `max_results` matches, the list ends, " +
				"or it has checked `metadata_scan_limit` runs. An empty map filters nothing.",
			Optional:    true,
			ElementType: types.StringType,
			Validators:  []validator.Map{mapvalidator.NoNullValues()},
		},
		"metadata_scan_limit": schema.Int64Attribute{
			MarkdownDescription: "With `metadata`, the largest number of runs the provider reads from HoneyHive and " +
				"checks against it, from 1 to " + strconv.Itoa(maxMetadataScanLimit) + ". Defaults to `" +
				strconv.Itoa(honeyhive.DefaultScanLimit) + "`: at most ten requests of " +
				strconv.Itoa(honeyhive.MaxListPageSize) + " runs (pages of `min(100, metadata_scan_limit)` runs) on " +
				"every plan. When the scan stops here with fewer than `max_results` matches while HoneyHive has more " +
				"runs, the plan shows a warning and `total` is null: narrow the server-side filters (`dataset_id`, " +
				"`status`, `name`, `created_after`, `created_before`) rather than raising the limit. Null without " +
				"`metadata`.",
			Optional: true,
			Computed: true,
			Validators: []validator.Int64{
				int64validator.Between(1, maxMetadataScanLimit),
				int64validator.AlsoRequires(path.MatchRoot("metadata")),
			},
		},
		"scanned": int64Attr("With `metadata`, how many runs the provider read and checked against it: the first " +
			"`scanned` runs matching the server-side filters, in the server's order. Null without `metadata`."),
	}
}

// rfc3339Validator accepts an RFC 3339 timestamp.
var rfc3339Validator = stringValidator{
	description: "value must be an RFC 3339 timestamp such as \"" + exampleTimestamp + "\"",
	check: func(at path.Path, s string) (string, string) {
		if _, err := time.Parse(time.RFC3339, s); err == nil {
			return "", ""
		}
		hint := ""
		if _, err := time.Parse(time.DateOnly, s); err == nil {
			hint = fmt.Sprintf(" A date alone is not a timestamp: add the time and the offset, such as %q.", s+"T00:00:00Z")
		}
		return "Invalid timestamp", fmt.Sprintf("%s must be an RFC 3339 timestamp, with a date, a time and an offset, "+
			"such as %q or \"2026-05-01T02:00:00+02:00\" (timestamp(), plantimestamp() and timeadd() produce them); "+
			"got %q.%s", at, exampleTimestamp, s, hint)
	},
}

// ValidateConfig rejects bounds that select no instant at all.
func (d *experimentRunsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var after, before types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("created_after"), &after)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("created_before"), &before)...)
	if resp.Diagnostics.HasError() || !isKnown(after) || !isKnown(before) {
		return
	}
	from, err1 := time.Parse(time.RFC3339, after.ValueString())
	to, err2 := time.Parse(time.RFC3339, before.ValueString())
	if err1 != nil || err2 != nil || !from.After(to) {
		return // a malformed bound is the attribute validator's to report
	}
	resp.Diagnostics.AddAttributeError(path.Root("created_before"), "Empty time window",
		fmt.Sprintf("created_after (%s) is later than created_before (%s): no run can be created in between, so the "+
			"list would always be empty. Swap them, or leave one side open.", after.ValueString(), before.ValueString()))
}

func isKnown(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

// applyFilters sets the created-at bounds and the metadata filter of q from
// the configuration (already validated), and metadata_scan_limit's default.
func (m *experimentRunsModel) applyFilters(ctx context.Context, q *honeyhive.ListRunsQuery) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, b := range []struct {
		name  string
		value types.String
		into  *time.Time
	}{
		{"created_after", m.CreatedAfter, &q.CreatedAfter},
		{"created_before", m.CreatedBefore, &q.CreatedBefore},
	} {
		if b.value.IsNull() {
			continue
		}
		t, err := time.Parse(time.RFC3339, b.value.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root(b.name), "Invalid timestamp", err.Error())
			continue
		}
		*b.into = t
	}
	if !m.Metadata.IsNull() && len(m.Metadata.Elements()) > 0 { // an empty map filters nothing
		var filter map[string]string
		diags.Append(m.Metadata.ElementsAs(ctx, &filter, false)...)
		q.Metadata = models.MetadataFilter(filter)
		if m.MetadataScanLimit.IsNull() {
			m.MetadataScanLimit = types.Int64Value(honeyhive.DefaultScanLimit)
		}
	}
	return diags
}

// scanLimitWarning explains a metadata scan that stopped at its limit.
func scanLimitWarning(m *experimentRunsModel, q honeyhive.ListRunsQuery, l *honeyhive.RunListing) (summary, detail string) {
	var filters []string
	for _, f := range []struct{ name, value string }{
		{"dataset_id", q.DatasetID}, {"status", q.Status}, {"name", q.Name},
		{"created_after", m.CreatedAfter.ValueString()}, {"created_before", m.CreatedBefore.ValueString()},
	} {
		if f.value != "" {
			filters = append(filters, fmt.Sprintf("%s = %q", f.name, f.value))
		}
	}
	if q.RunIDs != nil {
		filters = append(filters, fmt.Sprintf("%d run_ids", len(q.RunIDs)))
	}
	server := "no server-side filter"
	if len(filters) > 0 {
		server = "the server-side filters " + strings.Join(filters, ", ")
	}
	var wanted []string
	for _, k := range slices.Sorted(maps.Keys(q.Metadata)) {
		wanted = append(wanted, fmt.Sprintf("%s = %q", k, q.Metadata[k]))
	}
	return "HoneyHive run scan stopped at metadata_scan_limit",
		fmt.Sprintf("The provider checked the first %d runs matching %s (in the server's order) against metadata "+
			"{%s} and found %d of max_results = %d, but HoneyHive has more runs, which were not checked: `runs` holds "+
			"the matches among the runs checked, and more may exist. `total` is null because the number of matches "+
			"is unknown. Narrow the server-side filters (dataset_id, status, name, created_after, created_before) so "+
			"that fewer runs need checking, or raise metadata_scan_limit (now %d, at most %d). To fail instead of "+
			"warning, add to the data source: postcondition { condition = self.total != null || length(self.runs) == "+
			"self.max_results }.",
			l.Scanned, server, strings.Join(wanted, ", "), len(l.Runs), m.MaxResults.ValueInt64(),
			m.MetadataScanLimit.ValueInt64(), maxMetadataScanLimit)
}

// cutShortWarning explains a listing that stopped while the server still
// announced more runs (honeyhive.RunListing.CutShort): what was read, why it
// stopped, and how to make a gate fail on it. It is a warning, like the scan
// limit's, because the runs read are real and in the server's order; total is
// null so that no count reads the result as complete.
func cutShortWarning(m *experimentRunsModel, l *honeyhive.RunListing) (summary, detail string) {
	return "HoneyHive run list cut short",
		fmt.Sprintf("The provider read %d %s of GET /v1/runs in %d %s (retries included) and stopped because %s. "+
			"`runs` holds the %d matching runs read (max_results = %d), but the server announced more, so more may "+
			"exist; `total` is null because their number is unknown. A HoneyHive server ends its list: one that does "+
			"not is misbehaving, or something in front of it is (a proxy or cache that ignores the page parameter), "+
			"so check server_url. A read makes at most %d requests. To fail instead of warning, add to the data "+
			"source: postcondition { condition = self.total != null || length(self.runs) == self.max_results }.",
			l.Pages, pluralWord(l.Pages, "page"), l.Requests, pluralWord(l.Requests, "request"),
			l.CutShort.Reason(l.Pages), len(l.Runs), m.MaxResults.ValueInt64(), honeyhive.MaxListRequests)
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
