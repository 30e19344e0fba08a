package provider

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// finishesAfter serves runID as running until its run object has been polled
// polls times (on the classic or a project route), then as completed with
// metrics: a run the pipeline started moments before the plan.
func finishesAfter(runID string, polls int32) func(*localhoneyhive.Server) http.Handler {
	return func(srv *localhoneyhive.Server) http.Handler {
		done := localhoneyhive.GenerateRun(runID, 6, 2, 7)
		running := done
		running.Status = "running"
		srv.PutRun(running)
		var seen atomic.Int32
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/runs/"+runID) && seen.Add(1) == polls {
				srv.PutRun(done)
			}
			srv.ServeHTTP(w, r)
		})
	}
}

func TestAccWait_runCompletesAfterPolls(t *testing.T) {
	t.Parallel()
	srv := newWrappedTestServer(t, finishesAfter("run-late", 3))
	srv.test(t, resource.TestStep{
		Config: runConfig("run-late", "wait_for_completion = true"),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, knownvalue.StringExact("completed"), "status"),
			expect(runAddr, knownvalue.ListSizeExact(2), "metric_names"),
			expect(runAddr, knownvalue.Int64Exact(6), "datapoint_count"),
		},
	})
	if n := srv.Requests("run-late"); n < 4 {
		t.Errorf("the run was requested %d times; the wait should have polled it at least 3 times before reading", n)
	}
}

// Without wait_for_completion the same run is read as it is: running.
func TestAccWait_offByDefault(t *testing.T) {
	t.Parallel()
	srv := newWrappedTestServer(t, finishesAfter("run-late", 1000))
	srv.test(t, resource.TestStep{
		Config:            runConfig("run-late", ""),
		ConfigStateChecks: []statecheck.StateCheck{expect(runAddr, knownvalue.StringExact("running"), "status")},
	})
}

func TestAccWait_runStaysRunningPastTheTimeout(t *testing.T) {
	srv := acceptance(t)
	start := time.Now()
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureRunning, `wait_for_completion = true
  timeouts {
    read = "2s"
  }`),
		ExpectError: messageLike("Timed out waiting for a HoneyHive run",
			`Gave up waiting for run "run-running" to finish after`, `its last status was "running"`, "timeouts.read"),
	})
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("the 2s read timeout took %s to end the test", elapsed)
	}
}

// A failed run is an answer to assert on, not an error.
func TestAccWait_failedRunIsRead(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureFailed, "wait_for_completion = true") + `
output "gate" {
  value = data.honeyhive_experiment_run.test.status == "completed" ? "deploy" : "hold"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, knownvalue.StringExact("failed"), "status"),
			expect(runAddr, knownvalue.StringExact("Evaluator 'relevance' failed: upstream LLM provider timed out after 300s"), "error"),
			statecheck.ExpectKnownOutputValue("gate", knownvalue.StringExact("hold")),
		},
	})
}

// The comparison waits for both runs, then compares their final results.
func TestAccWait_comparisonWaitsForBothRuns(t *testing.T) {
	t.Parallel()
	srv := newWrappedTestServer(t, finishesAfter("run-late", 2))
	srv.test(t, resource.TestStep{
		Config: `
data "honeyhive_run_comparison" "test" {
  new_run_id          = "run-late"
  old_run_id          = "run-baseline"
  wait_for_completion = true
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			expect(comparisonAddr, knownvalue.StringExact("completed"), "new_run_status"),
			expect(comparisonAddr, knownvalue.StringExact("completed"), "old_run_status"),
		},
	})
}

func TestAccWait_invalidTimeout(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureBaseline, `timeouts {
    read = "soon"
  }`),
		ExpectError: messageLike("read", "soon"),
	})
}
