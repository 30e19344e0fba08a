package main

import (
	"strings"
	"testing"
	"time"
)

// readPhases reads the provider's debug log as the provider writes it (lines
// copied from a real TF_LOG_PROVIDER=DEBUG log, shortened).
func TestReadPhases(t *testing.T) {
	log := []byte(strings.Join([]string{
		`2026-11-25T22:40:01.100Z [DEBUG] provider.terraform-provider-honeyhive: HoneyHive API request: method=GET url=http://127.0.0.1:1/v1/runs/bench-10/summary?aggregate_function=average @module=honeyhive`,
		`2026-11-25T22:40:01.400Z [DEBUG] provider.terraform-provider-honeyhive: HoneyHive API response: bytes_read=7120928 duration=300ms duration_ms=300 method=GET status_code=200 url=http://127.0.0.1:1/v1/runs/bench-10/summary?aggregate_function=average @module=honeyhive`,
		`2026-11-25T22:40:01.900Z [DEBUG] provider.terraform-provider-honeyhive: read HoneyHive experiment run: build_state_ms=250 datapoints=10 fetch_and_decode_ms=480 include_datapoints=false run_id=bench-10 @module=honeyhive`,
		`2026-11-25T22:40:02.000Z [DEBUG] provider.terraform-provider-honeyhive: encoded data source state for Terraform: bytes=5 data_source=honeyhive_experiment_run encode_state_ms=70 @module=honeyhive`,
	}, "\n"))
	p, err := readPhases(log, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := phases{plan: 2 * time.Second, fetch: 300 * time.Millisecond, decode: 180 * time.Millisecond,
		buildState: 250 * time.Millisecond, encodeState: 70 * time.Millisecond}
	if *p != want {
		t.Errorf("phases = %+v, want %+v", *p, want)
	}
	// A log without the provider's lines is an error, not zeros.
	if _, err := readPhases([]byte("nothing here"), time.Second); err == nil {
		t.Error("no error for a log without the provider's lines")
	}
}
