package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
)

// A comparison reads three things at once: its own route and both runs'
// summaries. One mistake (a wrong key, a wrong baseline ID) usually fails
// several of them with the same answer; the user gets one error that explains
// it once and names every request that failed, not one error per request.

// comparisonRequest is one of a comparison's reads and how it went.
type comparisonRequest struct {
	// what names the read in a list of failures.
	what string
	// title is the diagnostic's summary when it is the only failure.
	title string
	err   error
}

// comparisonFailure turns the failures of a comparison's reads into one error
// diagnostic's summary and detail; ok is false when nothing failed. A nil
// error is a read that succeeded, or one not made (when waiting, the
// comparison is fetched only once both runs are final).
func comparisonFailure(newRunID, oldRunID string, newErr, oldErr, compareErr error) (summary, detail string, ok bool) {
	requests := []comparisonRequest{
		{fmt.Sprintf("the new run %q (new_run_id)", newRunID), "Could not read the new HoneyHive run", newErr},
		{fmt.Sprintf("the old run %q (old_run_id)", oldRunID), "Could not read the old HoneyHive run", oldErr},
		{"the comparison", "Could not compare HoneyHive experiment runs", compareErr},
	}
	var failed []comparisonRequest
	for _, r := range requests {
		if r.err != nil {
			failed = append(failed, r)
		}
	}
	switch {
	case len(failed) == 0:
		return "", "", false
	case len(failed) == 1:
		return readFailureSummary(failed[0].err, failed[0].title), sentence(readFailureDetail(failed[0].err)), true
	case allFailures(failed, honeyhive.IsNotFound):
		summary, detail = runsNotFound(newRunID, oldRunID, newErr, oldErr, failed)
		return summary, detail, true
	case sameAnswer(failed) && !anyBodyCheckFailure(failed):
		return sameAnswerFailure(failed)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of the reads of this comparison failed:", len(failed))
	for _, f := range failed {
		fmt.Fprintf(&b, "\n\n- %s: %s", f.what, readFailureDetail(f.err))
	}
	// One cause (every read over a limit, say) keeps its own title; different
	// causes get the comparison's, unless a wait ran out.
	title := "Could not compare HoneyHive experiment runs"
	if own := readFailureSummary(failed[0].err, ""); own != "" &&
		allFailures(failed, func(err error) bool { return readFailureSummary(err, "") == own }) {
		title = own
	}
	var timeout *honeyhive.WaitTimeoutError
	if errors.As(firstTimeout(failed), &timeout) {
		title = readFailureSummary(timeout, title)
	}
	return title, b.String(), true
}

// anyBodyCheckFailure reports whether a failure is a body over the limits or
// contradicting itself: each is told in full, with its remedy.
func anyBodyCheckFailure(failed []comparisonRequest) bool {
	for _, f := range failed {
		if _, _, ok := bodyCheckFailure(f.err); ok {
			return true
		}
	}
	return false
}

func allFailures(failed []comparisonRequest, test func(error) bool) bool {
	for _, f := range failed {
		if !test(f.err) {
			return false
		}
	}
	return true
}

// sameAnswer reports whether every failure is an *APIError of the same kind
// and status: one cause, such as a key the server rejects or a server down.
func sameAnswer(failed []comparisonRequest) bool {
	first, ok := honeyhive.AsAPIError(failed[0].err)
	if !ok {
		return false
	}
	return allFailures(failed, func(err error) bool {
		e, ok := honeyhive.AsAPIError(err)
		return ok && e.Kind == first.Kind && e.StatusCode == first.StatusCode
	})
}

// sameAnswerFailure explains the first failure in full and names the other
// requests that got the same answer.
func sameAnswerFailure(failed []comparisonRequest) (summary, detail string, ok bool) {
	first, _ := honeyhive.AsAPIError(failed[0].err)
	others := make([]string, 0, len(failed)-1)
	for _, f := range failed[1:] {
		e, _ := honeyhive.AsAPIError(f.err)
		others = append(others, f.what+": "+e.RequestLine())
	}
	detail = fmt.Sprintf("%s\n\nThe other reads of this comparison failed the same way (%s).",
		sentence(first.Error()), strings.Join(others, "; "))
	return readFailureSummary(failed[0].err, first.Summary()), detail, true
}

// runsNotFound explains failures that all say "not found". When one run's
// summary was read, the key works, so the other run is the one missing; when
// neither was, the runs are unknown or the key cannot see them.
func runsNotFound(newRunID, oldRunID string, newErr, oldErr error, failed []comparisonRequest) (summary, detail string) {
	answers := make([]string, len(failed))
	var server string
	var keySource, serverSource, project, projectSource string
	for i, f := range failed {
		var e *honeyhive.APIError
		if errors.As(f.err, &e) {
			answers[i] = e.RequestLine()
			server, keySource, serverSource = e.ServerURL, e.KeySource, e.ServerSource
			project, projectSource = e.ProjectID, e.ProjectSource
		}
	}
	first, _ := honeyhive.AsAPIError(failed[0].err)
	answered := fmt.Sprintf("%s answered %s", joinWords(answers), first.Answer())
	// When one run was read, the other is the one missing.
	missing, missingID, missingAttr, found, foundID := "old", oldRunID, "old_run_id", "new", newRunID
	if oldErr == nil {
		missing, missingID, missingAttr, found, foundID = "new", newRunID, "new_run_id", "old", oldRunID
	}
	switch {
	case project != "" && (newErr == nil || oldErr == nil):
		return "HoneyHive run not found",
			fmt.Sprintf("The %s run %q (%s) was not found in HoneyHive project %q on server %s: %s, while the %s run %q "+
				"was read from the project with the same data-plane key, so the key can read the project's runs. Check "+
				"%s: the run may have been deleted, or belong to another project or deployment than the %s run.",
				missing, missingID, missingAttr, project, server, answered, found, foundID, missingAttr, found)
	case project != "":
		return "HoneyHive runs not found, or the API key cannot see them",
			fmt.Sprintf("Neither run %q (new_run_id) nor run %q (old_run_id) was found in HoneyHive project %q on server "+
				"%s: %s. On a project route this means either that the runs do not exist in this project, or that the "+
				"data-plane key cannot read them: %s. Check new_run_id and old_run_id; the project ID (from %s; %s); "+
				"and that %s holds a current data-plane key of this deployment with permission to read the project's runs.",
				newRunID, oldRunID, project, server, answered, honeyhive.DataPlaneKeyAnswers404,
				settingNames.ProjectSource(projectSource), honeyhive.ProjectIDWhere, settingNames.KeySource(keySource))
	case newErr == nil || oldErr == nil:
		return runNotFoundTitle,
			fmt.Sprintf("The %s run %q (%s) was not found on HoneyHive server %s: %s, while the %s run %q was read "+
				"with the same API key, so the key works. Check %s: the run may have been deleted, or belong to "+
				"another project or deployment than the %s run.",
				missing, missingID, missingAttr, server, answered, found, foundID, missingAttr, found)
	default:
		return runNotFoundTitle,
			fmt.Sprintf("Neither run %q (new_run_id) nor run %q (old_run_id) was found on HoneyHive server %s: %s. "+
				"Either the runs do not exist on this deployment, or the API key cannot see them: %s. Check "+
				"new_run_id and old_run_id; that %s holds a current key of this deployment with access to the "+
				"project; and that %s is the deployment the runs were created on.",
				newRunID, oldRunID, server, answered, honeyhive.BadKeyAnswers404,
				settingNames.KeySource(keySource), settingNames.ServerURLSource(serverSource))
	}
}

// firstTimeout returns the first failure that is a wait timeout, else the
// first failure, for the diagnostic's title.
func firstTimeout(failed []comparisonRequest) error {
	for _, f := range failed {
		var timeout *honeyhive.WaitTimeoutError
		if errors.As(f.err, &timeout) {
			return f.err
		}
	}
	return failed[0].err
}

// joinWords joins "a", "b" and "c" as "a, b and c".
func joinWords(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
