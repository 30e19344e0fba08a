package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// What the provider does with a result body that is too big to decode safely
// or contradicts itself (internal/models limits.go and consistency.go): the
// limits are provider settings, a body over them or with a datapoint both
// passed and failed is an error that says which setting or list, and what
// decoding corrected (null or empty IDs, repeats, counts) is a warning.

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

// bodyCheckFailure titles a read that failed on a limit or a contradiction,
// with what to do; ok is false for other errors.
func bodyCheckFailure(err error) (title, hint string, ok bool) {
	var limit *models.LimitError
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &limit):
		setting, what := "max_datapoints", fmt.Sprintf("%d entries per list", limit.Max)
		switch limit.Limit {
		case models.LimitMetrics:
			setting, what = "max_metrics", fmt.Sprintf("%d metric entries", limit.Max)
		case models.LimitListEntries:
			what = fmt.Sprintf("%d list entries in all (8 × max_datapoints)", limit.Max)
		}
		return "HoneyHive result exceeds " + setting,
			fmt.Sprintf("The provider reads at most %s, so that a broken or hostile server cannot exhaust the "+
				"runner's memory. If the run really is this large, raise %s in the provider \"honeyhive\" block "+
				"(each entry costs several times its size in the response in memory); otherwise the server sent a "+
				"broken result.", what, setting), true
	case errors.As(err, &conflict):
		return "HoneyHive result contradicts itself",
			"A datapoint cannot both pass and fail, so the result cannot be trusted: the read fails rather than " +
				"let a gate pass on it. Read the run in HoneyHive, and re-run the evaluation or report the result " +
				"to HoneyHive.", true
	}
	return "", "", false
}

// readFailureDetail is a failed read's message, with what to do when the
// body failed a check.
func readFailureDetail(err error) string {
	if _, hint, ok := bodyCheckFailure(err); ok {
		return strings.TrimSuffix(err.Error(), ".") + ".\n\n" + hint
	}
	return err.Error()
}

// maxAnomalyLines bounds the corrections a warning lists.
const maxAnomalyLines = 10

// anomalyWarning reports what decoding corrected in one body, subject naming
// it ("Run \"x\"", "The comparison of ..."); none when nothing was.
func anomalyWarning(title, subject string, anomalies []models.Anomaly) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(anomalies) == 0 {
		return diags
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: HoneyHive's result is inconsistent, and the provider corrected it: a null or empty "+
		"datapoint ID is skipped (never counted), a repeated ID counts once, and a count that disagrees with its "+
		"list is replaced by the list's length.", subject)
	for i, a := range anomalies {
		if i == maxAnomalyLines {
			fmt.Fprintf(&b, "\n- and %d more", len(anomalies)-i)
			break
		}
		b.WriteString("\n- " + a.String())
	}
	b.WriteString("\n\nGates read the corrected values; check the run in HoneyHive before trusting them.")
	diags.AddWarning(title, b.String())
	return diags
}

// summaryAnomalyWarning reports the corrections of a run's summary.
func summaryAnomalyWarning(role runRole, s *models.ExperimentResultSummary) diag.Diagnostics {
	if s == nil {
		return nil
	}
	return anomalyWarning("HoneyHive "+role.name(s.RunID)+" has inconsistent datapoint lists", role.subject(s.RunID), s.Anomalies)
}

// comparisonAnomalyWarning reports the corrections of a comparison body.
func comparisonAnomalyWarning(c *models.RunComparisonResult) diag.Diagnostics {
	if c == nil {
		return nil
	}
	return anomalyWarning("HoneyHive comparison has inconsistent datapoint lists",
		fmt.Sprintf("The comparison of run %q (new_run_id) with run %q (old_run_id)", c.NewRunID, c.OldRunID), c.Anomalies)
}
