package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
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

// readSummary reads a run's summary, first waiting for the run to finish when
// wait is set. opts are as for honeyhive.Client.GetRunSummary.
func readSummary(ctx context.Context, client *honeyhive.Client, runID, aggregateFunction string, wait bool, opts ...honeyhive.SummaryOption) (*models.ExperimentResultSummary, error) {
	if wait {
		return client.WaitForRunSummary(ctx, runID, aggregateFunction, waitOptions, opts...)
	}
	return client.GetRunSummary(ctx, runID, aggregateFunction, opts...)
}

// readFailureSummary titles the diagnostic of a failed read.
func readFailureSummary(err error, fallback string) string {
	if title, _, ok := bodyCheckFailure(err); ok {
		return title
	}
	var timeout *honeyhive.WaitTimeoutError
	if errors.As(err, &timeout) {
		return "Timed out waiting for a HoneyHive run"
	}
	return fallback
}
