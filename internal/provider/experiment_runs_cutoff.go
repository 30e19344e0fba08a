package provider

import (
	"fmt"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
)

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
