package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// What the data sources share when they read: the read deadline, waiting for
// runs, and the titles of failed reads.

// defaultReadTimeout bounds a read, waiting included, when timeouts.read is unset.
const defaultReadTimeout = 20 * time.Minute

// waitOptions are the polling bounds of wait_for_completion; tests shorten them.
var waitOptions = honeyhive.WaitOptions{PollMin: honeyhive.DefaultPollMin, PollMax: honeyhive.DefaultPollMax}

// withReadTimeout bounds a read, waiting included, by timeouts.read.
func withReadTimeout(ctx context.Context, t timeouts.Value) (context.Context, context.CancelFunc, diag.Diagnostics) {
	readTimeout, diags := t.Read(ctx, defaultReadTimeout)
	if diags.HasError() {
		return ctx, func() {}, diags
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	return ctx, cancel, diags
}

// setResultDefaults sets the defaults of the arguments a run and a comparison
// share, where the configuration leaves them null.
func setResultDefaults(aggregateFunction *types.String, confidenceLevel *types.Float64, includeDatapoints *types.Bool) {
	setStatisticsDefaults(aggregateFunction, confidenceLevel)
	if includeDatapoints.IsNull() {
		*includeDatapoints = types.BoolValue(false)
	}
}

// setStatisticsDefaults sets the defaults of the arguments every data source
// that computes statistics has (the release gate has no include_datapoints).
func setStatisticsDefaults(aggregateFunction *types.String, confidenceLevel *types.Float64) {
	if aggregateFunction.IsNull() {
		*aggregateFunction = types.StringValue(defaultAggregateFunction)
	}
	if confidenceLevel.IsNull() {
		*confidenceLevel = types.Float64Value(stats.DefaultConfidenceLevel)
	}
}

// readSummary reads a run's summary, first waiting for the run to finish when
// wait is set. decode is as for honeyhive.Client.GetRunSummary.
func readSummary(ctx context.Context, client *honeyhive.Client, runID, aggregateFunction string, wait bool, decode models.SummaryDecodeOptions) (*models.ExperimentResultSummary, error) {
	if wait {
		return client.WaitForRunSummary(ctx, runID, aggregateFunction, waitOptions, decode)
	}
	return client.GetRunSummary(ctx, runID, aggregateFunction, decode)
}

// readFailureSummary titles the diagnostic of a failed read by its cause, the
// same whichever data source or request met it: a wait that ran out of time,
// a run not found (or not visible to the key), or the kind of the API's
// answer (honeyhive.APIError.Summary). fallback titles an error of none of
// these sorts, naming what could not be done.
func readFailureSummary(err error, fallback string) string {
	if title, _, ok := bodyCheckFailure(err); ok {
		return title
	}
	var timeout *honeyhive.WaitTimeoutError
	if errors.As(err, &timeout) {
		return "Timed out waiting for a HoneyHive run"
	}
	if honeyhive.IsNotFound(err) {
		return runNotFoundTitle
	}
	if e, ok := honeyhive.AsAPIError(err); ok {
		return e.Summary()
	}
	return fallback
}

// runNotFoundTitle titles every "not found" answer about runs: since about
// 2026-09 HoneyHive answers so for a key that cannot see the run too.
var runNotFoundTitle = (&honeyhive.APIError{Kind: honeyhive.KindNotFound}).Summary()

// sentence makes an error's text a diagnostic's full sentence: a capital
// first letter and a final full stop (Go error texts have neither). A first
// word that is a name (run_id, server_url) keeps its case.
func sentence(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return text
	}
	first, _, _ := strings.Cut(text, " ")
	if strings.IndexFunc(first, func(r rune) bool { return !unicode.IsLower(r) }) < 0 {
		r, size := utf8.DecodeRuneInString(text)
		text = string(unicode.ToUpper(r)) + text[size:]
	}
	if !strings.HasSuffix(text, ".") && !strings.HasSuffix(text, "?") && !strings.HasSuffix(text, "!") {
		text += "."
	}
	return text
}

// A result body that is too big to decode safely or contradicts itself
// (internal/models limits.go and consistency.go) fails the read with an error
// that says which setting (max_metrics, max_datapoints) or list; what decoding
// corrected (null or empty IDs, repeats, counts) is a warning
// (anomalyWarning).

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
