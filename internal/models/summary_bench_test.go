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

// BenchmarkDecodeExperimentResultSummaryWith decodes what the provider
// decodes on the cases users hit: a run's summary by default (without its
// datapoints) and with include_datapoints, and a comparison by default (both
// runs' summaries, the comparison body without its lists, and the paired
// differences of each metric).
func BenchmarkDecodeExperimentResultSummaryWith(b *testing.B) {
	for _, n := range []int{10_000, 50_000} {
		body := benchSummaryBody(b, n)
		b.Run(fmt.Sprintf("run_default/datapoints=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeExperimentResultSummaryWith("bench", body, SummaryDecodeOptions{SkipDatapoints: true, SkipMetricValues: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
		if n == 10_000 {
			b.Run(fmt.Sprintf("run_include_datapoints/datapoints=%d", n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := DecodeExperimentResultSummaryWith("bench", body, SummaryDecodeOptions{SkipMetricValues: true}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		newRun, oldRun := localhoneyhive.GenerateRun("new", n, 5, 2), localhoneyhive.GenerateRun("old", n, 5, 1)
		newBody, err := localhoneyhive.SummaryBody(newRun, localhoneyhive.AggregateAverage)
		if err != nil {
			b.Fatal(err)
		}
		oldBody, err := localhoneyhive.SummaryBody(oldRun, localhoneyhive.AggregateAverage)
		if err != nil {
			b.Fatal(err)
		}
		cmpBody, err := localhoneyhive.ComparisonBody(newRun, oldRun, localhoneyhive.AggregateAverage)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("comparison_default/datapoints=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s1, err := DecodeExperimentResultSummaryWith("new", newBody, SummaryDecodeOptions{SkipMetricValues: true})
				if err != nil {
					b.Fatal(err)
				}
				s2, err := DecodeExperimentResultSummaryWith("old", oldBody, SummaryDecodeOptions{SkipMetricValues: true})
				if err != nil {
					b.Fatal(err)
				}
				c, err := DecodeRunComparisonResultWith("new", "old", cmpBody, ComparisonDecodeOptions{SkipDatapointLists: true})
				if err != nil {
					b.Fatal(err)
				}
				c.CountExclusiveDatapoints(s1, s2)
				for _, d := range c.MetricDeltas {
					PairedDifferences(s1, s2, d.MetricName, nil)
				}
			}
		})
	}
}
