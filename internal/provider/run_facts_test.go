package provider

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// jsonEqual checks a JSON string attribute by meaning, not by key order.
func jsonEqual(want string) knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		var g, w any
		if err := json.Unmarshal([]byte(got), &g); err != nil {
			return fmt.Errorf("not JSON: %q: %v", got, err)
		}
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			return err
		}
		if !reflect.DeepEqual(g, w) {
			return fmt.Errorf("got %s, want %s", got, want)
		}
		return nil
	})
}

// What the run is comes from the summary's run_object; where the summary
// lacks it (run-bare), one GET /v1/runs/{id} fills it in.
func TestAccExperimentRun_runFacts(t *testing.T) {
	const bareAddr = "data.honeyhive_experiment_run.bare"
	srv := acceptance(t)
	srv.PutRunSummary("run-bare", []byte(`{"status":"completed","success":true,"passed":["dp-1"],"failed":[],
		"metrics":{"aggregation_function":"average","details":[{"metric_name":"accuracy","aggregate":1}]},"datapoints":[]}`))
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureBaseline, "") + `
output "git_sha" {
  value = jsondecode(data.honeyhive_experiment_run.test.metadata).git_sha
}

data "honeyhive_experiment_run" "bare" {
  run_id = "run-bare"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, knownvalue.StringExact("nightly-main"), "name"),
			expect(runAddr, knownvalue.StringExact("Nightly evaluation of the support assistant on the support QA set"), "description"),
			expect(runAddr, knownvalue.StringExact("ds-support-qa"), "dataset_id"),
			expect(runAddr, knownvalue.StringExact("support-qa"), "dataset_name"),
			expect(runAddr, knownvalue.StringExact("2026-05-01T12:00:00.000Z"), "created_at"),
			expect(runAddr, knownvalue.StringExact("2026-05-01T12:17:00.000Z"), "updated_at"),
			expect(runAddr, jsonEqual(`{"git_sha": "3f9c2ab", "branch": "main", "build": 101, "triggered_by": "ci"}`), "metadata"),
			statecheck.ExpectKnownOutputValue("git_sha", knownvalue.StringExact("3f9c2ab")),

			expect(bareAddr, knownvalue.StringExact("completed"), "status"),
			expect(bareAddr, knownvalue.Null(), "name"),
			expect(bareAddr, knownvalue.Null(), "dataset_id"),
			expect(bareAddr, jsonEqual(`{}`), "metadata"),
		},
	})
	if n := requestsTo(srv, "/v1/runs/"+localhoneyhive.FixtureBaseline); n != 0 {
		t.Errorf("the run object was fetched %d times although the summary carried it", n)
	}
	if n := requestsTo(srv, "/v1/runs/run-bare"); n < 1 {
		t.Error("the run object was not fetched for a summary without run_object")
	}
}

// requestsTo counts the requests the server answered on exactly path.
func requestsTo(srv *testServer, path string) int {
	n := 0
	for _, r := range srv.RequestLog() {
		if r.Path == path {
			n++
		}
	}
	return n
}

func TestAccGates_sameDataset(t *testing.T) {
	cases := []struct {
		name      string
		candidate string
		wantError []string
	}{
		{"same dataset passes", localhoneyhive.FixtureCandidate, nil},
		{"another dataset is refused", "run-other-dataset", []string{
			"Candidate run run-other-dataset was evaluated on dataset other-set, the baseline on support-qa: their scores are not comparable.",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t)
			other := localhoneyhive.GenerateRun("run-other-dataset", 8, 3, 3)
			other.DatasetID, other.DatasetName = "ds-other", "other-set"
			srv.PutRun(other)
			step := resource.TestStep{
				ConfigFile: example("data-sources", "honeyhive_experiment_run", "same-dataset.tf"),
				ConfigVariables: config.Variables{
					"candidate_run_id": config.StringVariable(tc.candidate),
					"baseline_run_id":  config.StringVariable(localhoneyhive.FixtureBaseline),
				},
			}
			if tc.wantError != nil {
				step.ExpectError = messageLike(tc.wantError...)
			}
			srv.test(t, step)
		})
	}
}
