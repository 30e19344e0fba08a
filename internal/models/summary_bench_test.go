package models

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// benchSummaryBody returns the summary body the local server sends for a
// synthetic run of n datapoints with 5 metrics.
func benchSummaryBody(b *testing.B, n int) []byte {
	b.Helper()
	srv := localhoneyhive.New(localhoneyhive.WithoutFixtures())
	srv.PutRun(localhoneyhive.GenerateRun("bench", n, 5, 1))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/v1/runs/bench/summary?aggregate_function=average", nil)
	req.Header.Set("Authorization", "Bearer "+localhoneyhive.DefaultAPIKey)
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("summary: status %d", rec.Code)
	}
	return rec.Body.Bytes()
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
