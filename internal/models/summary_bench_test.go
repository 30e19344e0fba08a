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

// BenchmarkDecodeExperimentResultSummaryWith decodes a summary body with each
// way of decoding its datapoints, with and without the metrics' values.
func BenchmarkDecodeExperimentResultSummaryWith(b *testing.B) {
	modes := []struct {
		name string
		mode DatapointDecoding
	}{{"full", DatapointsFull}, {"counted", DatapointsCounted}, {"pairing", DatapointsForPairing}}
	body := benchSummaryBody(b, 10_000)
	for _, m := range modes {
		for _, skip := range []bool{false, true} {
			opts := SummaryDecodeOptions{Datapoints: m.mode, SkipMetricValues: skip}
			b.Run(fmt.Sprintf("datapoints=10000/%s/skip_metric_values=%t", m.name, skip), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := DecodeExperimentResultSummaryWith("bench", body, opts); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDecodeRunComparisonResult decodes the comparison body of two
// synthetic runs of 10,000 datapoints, with and without its per-datapoint
// lists (counted, as the provider's default reads them).
func BenchmarkDecodeRunComparisonResult(b *testing.B) {
	body, err := localhoneyhive.ComparisonBody(localhoneyhive.GenerateRun("new", 10_000, 5, 2),
		localhoneyhive.GenerateRun("old", 10_000, 5, 1), localhoneyhive.AggregateAverage)
	if err != nil {
		b.Fatal(err)
	}
	for _, skip := range []bool{false, true} {
		b.Run(fmt.Sprintf("datapoints=10000/skip_lists=%t", skip), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeRunComparisonResultWith("new", "old", body, ComparisonDecodeOptions{SkipDatapointLists: skip}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
