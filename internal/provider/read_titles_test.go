package provider

import (
	"errors"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
)

// One title per cause: a failed read is titled by what went wrong, the same
// whichever data source or request met it; the fallback only for errors that
// are neither API answers nor waits.
func TestReadFailureSummary_oneTitlePerCause(t *testing.T) {
	notFound := &honeyhive.APIError{Kind: honeyhive.KindNotFound, RunID: "r"}
	badRequestNotFound := &honeyhive.APIError{Kind: honeyhive.KindBadRequest, Message: "Run does not exist"}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"404", notFound, "HoneyHive run not found, or the API key cannot see it"},
		{"400 saying not found", badRequestNotFound, "HoneyHive run not found, or the API key cannot see it"},
		{"other 400", &honeyhive.APIError{Kind: honeyhive.KindBadRequest, Message: "Invalid dateRange"}, "HoneyHive rejected the request"},
		{"401", &honeyhive.APIError{Kind: honeyhive.KindUnauthorized}, "HoneyHive rejected the API key"},
		{"connection refused", &honeyhive.APIError{Kind: honeyhive.KindTransport}, "Could not reach HoneyHive"},
		{"wait", &honeyhive.WaitTimeoutError{RunID: "r"}, "Timed out waiting for a HoneyHive run"},
		{"neither", errors.New("run_id must not be empty"), "the fallback"},
	}
	for _, tc := range tests {
		for _, fallback := range []string{"the fallback"} {
			if got := readFailureSummary(tc.err, fallback); got != tc.want {
				t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
			}
		}
	}
	// The comparison's own not-found explanations carry the same title.
	for name, old := range map[string]error{"one run missing": nil, "both missing": notFound} {
		summary, _, _ := comparisonFailure("a", "b", notFound, old, notFound)
		if summary != runNotFoundTitle {
			t.Errorf("comparison, %s: %q, want %q", name, summary, runNotFoundTitle)
		}
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		`run "x" was not found on HoneyHive server http://h: check it`: `Run "x" was not found on HoneyHive server http://h: check it.`,
		"HoneyHive rejected the API key.":                              "HoneyHive rejected the API key.",
		"run_id must not be empty":                                     "run_id must not be empty.",
		"is it the URL of the HoneyHive API?":                          "Is it the URL of the HoneyHive API?",
		"":                                                             "",
	} {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q, want %q", in, got, want)
		}
	}
}
