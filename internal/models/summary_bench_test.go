package models

import (
	"fmt"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// benchSummaryBody returns the summary body the local server sends for a
// synthetic run of n datapoints with 5 metrics.
func benchSummaryBody(b *testing.B, n int) []byte {
	b.Helper()
	body, err := localhoneyhive.SummaryBody(localhoneyhive.GenerateRun("bench", n, 5, 1), localhoneyhive.AggregateAverage)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkDecodeExperimentResultSummary decodes a whole summary body.
func BenchmarkDecodeExperimentResultSummary(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("datapoints=%d", n), func(b *testing.B) {
			body := benchSummaryBody(b, n)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeExperimentResultSummary("bench", body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
