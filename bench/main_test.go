package main

import (
	"strings"
	"testing"
	"time"
)

// readPhases reads the provider's debug log as the provider writes it (lines
// copied from real TF_LOG_PROVIDER=DEBUG logs, shortened).
func TestReadPhases(t *testing.T) {
	const prefix = `2026-11-25T22:40:01.100Z [DEBUG] provider.terraform-provider-honeyhive: `
	runLog := []byte(strings.Join([]string{
		prefix + `HoneyHive API request: method=GET url=http://127.0.0.1:1/v1/runs/bench-10/summary?aggregate_function=average @module=honeyhive`,
		prefix + `HoneyHive API response: bytes_read=7120928 duration=300ms duration_ms=300 method=GET status_code=200 url=http://127.0.0.1:1/v1/runs/bench-10/summary?aggregate_function=average @module=honeyhive`,
		prefix + `read HoneyHive experiment run: build_state_ms=250 datapoints=10 fetch_and_decode_ms=480 include_datapoints=false run_id=bench-10 @module=honeyhive`,
		prefix + `encoded data source state for Terraform: bytes=5 data_source=honeyhive_experiment_run encode_state_ms=70 @module=honeyhive`,
	}, "\n"))
	p, err := readPhases(runLog, "run", 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := phases{plan: 2 * time.Second, fetch: 300 * time.Millisecond, decode: 180 * time.Millisecond,
		buildState: 250 * time.Millisecond, encodeState: 70 * time.Millisecond, encodeKnown: true}
	if *p != want {
		t.Errorf("phases = %+v, want %+v", *p, want)
	}

	// A comparison: three exchanges at once, the longest counts; no state
	// encoding line (the framework encodes without logging).
	comparisonLog := []byte(strings.Join([]string{
		prefix + `HoneyHive API response: duration_ms=120 method=GET status_code=200 url=http://127.0.0.1:1/v1/runs/n/compare/o?aggregate_function=average @module=honeyhive`,
		prefix + `HoneyHive API response: duration_ms=400 method=GET status_code=200 url=http://127.0.0.1:1/v1/runs/n/summary?aggregate_function=average @module=honeyhive`,
		prefix + `HoneyHive API response: duration_ms=350 method=GET status_code=200 url=http://127.0.0.1:1/v1/runs/o/result @module=honeyhive`,
		prefix + `read HoneyHive run comparison: build_state_ms=3 common_datapoints=10 fetch_and_decode_ms=650 include_datapoints=false new_run_id=n old_run_id=o pair_and_convert_ms=90 @module=honeyhive`,
	}, "\n"))
	p, err = readPhases(comparisonLog, "comparison", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want = phases{plan: time.Second, fetch: 400 * time.Millisecond, decode: 250 * time.Millisecond,
		pair: 90 * time.Millisecond, buildState: 3 * time.Millisecond}
	if *p != want {
		t.Errorf("comparison phases = %+v, want %+v", *p, want)
	}

	// A log without the provider's lines is an error, not zeros.
	for _, kind := range []string{"run", "comparison"} {
		if _, err := readPhases([]byte("nothing here"), kind, time.Second); err == nil {
			t.Errorf("%s: no error for a log without the provider's lines", kind)
		}
	}
	if _, err := readPhases(runLog, "comparison", time.Second); err == nil {
		t.Error("a run's log read as a comparison's: no error")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 50000: "50,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// goBenchRatios reads ns/op from go test -bench lines (GOMAXPROCS suffix
// dropped) and sets each stage against the decoding of the same bodies.
func TestGoBenchRatios(t *testing.T) {
	out := strings.Join([]string{
		"BenchmarkExperimentRun_1Decode/datapoints=10000/include_datapoints=false-2        \t       3\t  100 ns/op\t 282.06 MB/s\t 5508808 B/op",
		"BenchmarkExperimentRun_2Convert/datapoints=10000/include_datapoints=false-2       \t       3\t  150 ns/op",
		"BenchmarkExperimentRun_3StateSet/datapoints=10000/include_datapoints=false-2      \t       1\t  400 ns/op",
		"BenchmarkRunComparison_1Decode/datapoints=50000/include_datapoints=true           \t       3\t  200 ns/op",
	}, "\n")
	got := goBenchRatios(out)
	for _, row := range []string{
		"| run | 10,000 | false | 0.50 | 3.00 |",
		"| comparison | 50,000 | true | n/a | n/a |",
	} {
		if !strings.Contains(got, row+"\n") {
			t.Errorf("no row %q in\n%s", row, got)
		}
	}
	if strings.Contains(got, "| run | 10,000 | true |") {
		t.Errorf("a row for stages that did not run:\n%s", got)
	}
}
