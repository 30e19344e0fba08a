package provider

import (
	"flag"
	"testing"
)

// The Go benchmarks `make bench` runs, run here on small runs so that a
// change that breaks them (a model field the benchmark does not set, say)
// fails `make test` instead of the next benchmark run.
func TestBenchmarksRun(t *testing.T) {
	t.Parallel()
	// One iteration each: the test asks whether they run, not how fast
	// (testing.Benchmark reads -test.benchtime; nothing else here benchmarks).
	benchtime := flag.Lookup("test.benchtime").Value
	savedBenchtime := benchtime.String()
	if err := benchtime.Set("1x"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = benchtime.Set(savedBenchtime) })
	savedRun, savedComparison := benchSizes, comparisonBenchSizes
	benchSizes, comparisonBenchSizes = []int{20}, []int{20}
	t.Cleanup(func() { benchSizes, comparisonBenchSizes = savedRun, savedComparison })
	for name, bench := range map[string]func(*testing.B){
		"ExperimentRun_1Decode":   BenchmarkExperimentRun_1Decode,
		"ExperimentRun_2Convert":  BenchmarkExperimentRun_2Convert,
		"ExperimentRun_3StateSet": BenchmarkExperimentRun_3StateSet,
		"RunComparison_1Decode":   BenchmarkRunComparison_1Decode,
		"RunComparison_2Convert":  BenchmarkRunComparison_2Convert,
		"RunComparison_3StateSet": BenchmarkRunComparison_3StateSet,
	} {
		if r := testing.Benchmark(bench); r.N == 0 {
			t.Errorf("Benchmark%s did not run to completion", name)
		}
	}
}
