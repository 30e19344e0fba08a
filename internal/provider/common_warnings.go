package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// Warnings about runs whose results a gate should not trust as they are: a
// run that has not completed, and a completed run that lists no metrics. They
// are warnings, not errors, because reading such a run is legitimate (a gate
// may test its status); they say what to do so that a gate cannot pass by
// accident.
//
// And, for any result body, what decoding corrected in it.

// runRole says which run a warning is about and how the data source exposes
// its status.
type runRole struct {
	// label introduces the run: "Run", "The new run", "The old run".
	label string
	// idAttribute is the argument holding the run ID, for comparisons.
	idAttribute string
	// statusAttribute is the attribute holding the run's status.
	statusAttribute string
	// gated is what a gate on partial results reads.
	gated string
}

var (
	roleRun = runRole{label: "Run", statusAttribute: "status", gated: "a gate on its metrics or pass_rate"}
	roleNew = runRole{label: "The new run", idAttribute: "new_run_id", statusAttribute: "new_run_status",
		gated: "a gate on this comparison's metric_deltas"}
	roleOld = runRole{label: "The old run", idAttribute: "old_run_id", statusAttribute: "old_run_status",
		gated: "a gate on this comparison's metric_deltas"}
)

// name is how the run is named in a warning's summary: `run "x"`, or `new run
// "x"`.
func (r runRole) name(runID string) string {
	prefix := "run"
	if r.idAttribute != "" {
		prefix = strings.ToLower(strings.TrimPrefix(r.label, "The ")) // "new run", "old run"
	}
	return fmt.Sprintf("%s %q", prefix, runID)
}

// subject is the run at the start of a detail: `Run "x"`, or `The new run "x"
// (new_run_id)`.
func (r runRole) subject(runID string) string {
	if r.idAttribute == "" {
		return fmt.Sprintf("%s %q", r.label, runID)
	}
	return fmt.Sprintf("%s %q (%s)", r.label, runID, r.idAttribute)
}

// runResultWarnings warns when the run's status (its summary's, else its run
// object's) is not completed, and when a completed run lists no metrics.
// waited is whether wait_for_completion was set, which changes the remedy.
func runResultWarnings(role runRole, s *models.ExperimentResultSummary, waited bool) diag.Diagnostics {
	var diags diag.Diagnostics
	if s == nil {
		return diags
	}
	gate := fmt.Sprintf("%s == \"completed\"", role.statusAttribute)
	switch status := s.Status; status {
	case models.StatusCompleted:
		if len(s.Metrics.Entries()) == 0 {
			diags.AddWarning("HoneyHive "+role.name(s.RunID)+" has no metrics", noMetricsDetail(role, s, waited))
		}
	case "":
		diags.AddWarning("HoneyHive "+role.name(s.RunID)+" has no status",
			fmt.Sprintf("%s has no status: HoneyHive sent none, in its summary or its run object, so whether it "+
				"completed is unknown and %s can pass or fail by accident. Gate on %s first: %s is null, so such "+
				"a gate fails closed.", role.subject(s.RunID), role.gated, gate, role.statusAttribute))
	default:
		var b strings.Builder
		// The status and the error are the server's text: quoted, and cut to
		// a few hundred characters (a run's error can be a whole log).
		fmt.Fprintf(&b, "%s has status %q, not \"completed\": its results are partial, so %s can pass or fail by accident.",
			role.subject(s.RunID), honeyhive.ServerText(string(status)), role.gated)
		if s.Error != nil && strings.TrimSpace(*s.Error) != "" {
			fmt.Fprintf(&b, " HoneyHive reports the error %q.", honeyhive.ServerText(strings.TrimSpace(*s.Error)))
		}
		switch {
		case status.IsTerminal():
			fmt.Fprintf(&b, " The run has ended and will not complete, so waiting does not help: gate on %s first, "+
				"in a precondition or postcondition, so that the deploy stops.", gate)
		case waited:
			fmt.Fprintf(&b, " Gate on %s first, in a precondition or postcondition, so that the deploy stops.", gate)
		default:
			fmt.Fprintf(&b, " Set wait_for_completion = true to wait until it has finished (bounded by "+
				"timeouts.read), and gate on %s first, in a precondition or postcondition, so that a run that "+
				"fails stops the deploy.", gate)
		}
		diags.AddWarning("HoneyHive "+role.name(s.RunID)+" has not completed", b.String())
	}
	return diags
}

// noMetricsDetail explains a completed run without metrics: nothing judged its
// datapoints, so they pass vacuously.
func noMetricsDetail(role runRole, s *models.ExperimentResultSummary, waited bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s completed, but its result lists no metrics: no evaluator has judged it.", role.subject(s.RunID))
	switch {
	case role.idAttribute != "":
		b.WriteString(" The comparison has nothing of it to compare.")
	case len(s.Passed) > 0 && len(s.Failed) == 0:
		fmt.Fprintf(&b, " Its %d datapoints pass vacuously, so pass_rate is 1 with nothing judged, and a gate on "+
			"pass_rate or passed passes by accident.", len(s.Passed))
	default:
		b.WriteString(" A gate on pass_rate or passed judges nothing.")
	}
	if !waited {
		b.WriteString(" Fresh runs briefly list no metrics while HoneyHive catches up: wait_for_completion = true " +
			"waits for them.")
	}
	b.WriteString(" A run without evaluators never has any. Gate on a metric you expect: reading a metric that " +
		"is not there is an error, so such a gate fails closed.")
	return b.String()
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
