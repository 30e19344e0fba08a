package localhoneyhive

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkGenerateRun50k measures building a 50k-datapoint run.
func BenchmarkGenerateRun50k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		GenerateRun("bench", 50_000, 10, 1)
	}
}

// BenchmarkSummary50k measures computing and encoding a 50k-datapoint
// summary (uncached: a fresh server per iteration).
func BenchmarkSummary50k(b *testing.B) {
	run := GenerateRun("bench", 50_000, 10, 1)
	b.ReportAllocs()
	for b.Loop() {
		srv := New(WithoutFixtures())
		srv.PutRun(run)
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/v1/runs/bench/summary", nil)
		req.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		b.SetBytes(int64(rec.Body.Len()))
	}
}

// BenchmarkCompare50k measures comparing two 50k-datapoint runs
// (uncached).
func BenchmarkCompare50k(b *testing.B) {
	runA := GenerateRun("bench-a", 50_000, 10, 1)
	runB := GenerateRun("bench-b", 50_000, 10, 2)
	b.ReportAllocs()
	for b.Loop() {
		srv := New(WithoutFixtures())
		srv.PutRun(runA)
		srv.PutRun(runB)
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/v1/runs/bench-b/compare/bench-a", nil)
		req.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
