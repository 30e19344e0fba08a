package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// Polling bounds for WaitForRunSummary: quick first polls, since a pipeline
// often reads a run moments before it finishes, then no more than one request
// per PollMax.
const (
	DefaultPollMin = time.Second
	DefaultPollMax = 15 * time.Second
)

// WaitOptions tunes WaitForRunSummary. Zero values take the defaults.
type WaitOptions struct {
	PollMin, PollMax time.Duration
}

// WaitTimeoutError says that a run did not become final before the deadline.
type WaitTimeoutError struct {
	RunID string
	// LastStatus is the run's last status ("" when never read), and
	// MetricsPending is true when the run had completed but its result listed
	// no metrics yet.
	LastStatus     models.ExperimentRunStatus
	MetricsPending bool
	Waited         time.Duration
	Polls          int
	// readTimeout is the caller's name for the setting that bounds the wait.
	readTimeout string
}

func (e *WaitTimeoutError) Error() string {
	what := fmt.Sprintf("its last status was %q", clip(string(e.LastStatus), ServerTextLimit))
	switch {
	case e.LastStatus == "":
		what = "its status could not be read"
	case e.MetricsPending:
		what = `it had completed, but its result still listed no metrics (fresh runs briefly do; a run without evaluators always does)`
	}
	return fmt.Sprintf("gave up waiting for run %q to finish after %s and %d polls: %s. Raise %s, or check the run in HoneyHive",
		e.RunID, roundForPeople(e.Waited), e.Polls, what, e.readTimeout)
}

// WaitForRunSummary waits until runID is final and returns its summary. It
// polls the run object (GET /v1/runs/{id}) with capped exponential backoff
// until the status is completed, failed or cancelled; for a completed run it
// then polls the summary while its metric list is still empty, because fresh
// runs briefly return none. A failed or cancelled run is returned, not an
// error: its status is there to be asserted on.
//
// ctx bounds the wait: at its deadline the error is a *WaitTimeoutError naming
// the run, its last status and how long it waited; when ctx is cancelled the
// wait stops at once with ctx's error. decode is as for GetRunSummary.
func (c *Client) WaitForRunSummary(ctx context.Context, runID, aggregateFunction string, opts WaitOptions, decode models.SummaryDecodeOptions) (*models.ExperimentResultSummary, error) {
	minWait, maxWait := opts.PollMin, opts.PollMax
	if minWait <= 0 {
		minWait = DefaultPollMin
	}
	if maxWait < minWait {
		maxWait = max(DefaultPollMax, minWait)
	}
	state := &WaitTimeoutError{RunID: runID, readTimeout: c.cfg.Names.ReadTimeout}
	start := time.Now()
	wait := minWait
	// timedOut turns an error met at the deadline into the wait's own error.
	timedOut := func(err error) error {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			// The wait lasted until the deadline; what comes after it is the
			// time taken to notice, which a loaded machine stretches (2s read
			// as 2.1s), so the message states the wait itself.
			state.Waited = time.Since(start)
			if deadline, ok := ctx.Deadline(); ok {
				state.Waited = max(deadline.Sub(start), 0)
			}
			return state
		}
		return err
	}
	for {
		state.Polls++
		summary, done, err := c.pollRun(ctx, runID, aggregateFunction, state, decode)
		if err != nil {
			return nil, timedOut(err)
		}
		if done {
			return summary, nil
		}
		c.debug(ctx, "HoneyHive run not final yet; waiting", map[string]any{
			"run_id": runID, "status": string(state.LastStatus), "metrics_pending": state.MetricsPending, "wait": wait.String(),
		})
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, timedOut(fmt.Errorf("stopped waiting for run %q: %w", runID, ctx.Err()))
		case <-timer.C:
		}
		wait = min(wait*2, maxWait)
	}
}

// pollRun makes one poll: the run object, then the summary once the run is
// final. done reports that summary is the answer.
func (c *Client) pollRun(ctx context.Context, runID, aggregateFunction string, state *WaitTimeoutError, decode models.SummaryDecodeOptions) (summary *models.ExperimentResultSummary, done bool, err error) {
	run, err := c.GetRun(ctx, runID)
	if err != nil {
		return nil, false, err
	}
	state.LastStatus = run.Status
	if !run.Status.IsTerminal() {
		state.MetricsPending = false
		return nil, false, nil
	}
	summary, err = c.GetRunSummary(ctx, runID, aggregateFunction, decode)
	if err != nil {
		return nil, false, err
	}
	state.MetricsPending = summary.Status == models.StatusCompleted && len(summary.Metrics.Entries()) == 0
	return summary, !state.MetricsPending, nil
}

// roundForPeople rounds a wait to what a person reads: 150ms, 2.5s, 20m0s.
// An error's attempts keep roundDuration's finer figures.
func roundForPeople(d time.Duration) time.Duration {
	switch {
	case d < time.Second:
		return d.Round(10 * time.Millisecond)
	case d < time.Minute:
		return d.Round(100 * time.Millisecond)
	default:
		return d.Round(time.Second)
	}
}
