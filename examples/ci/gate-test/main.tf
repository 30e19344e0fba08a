# The module the evaluation gate's test file (tests/gate.tftest.hcl) plans:
# the comparison of the candidate run with the approved baseline, and nothing
# else. The rules are the test file's assert blocks, so a CI job gets a test
# report, one test case per rule, instead of a failed plan.
#
#   export HH_DATA_PLANE_API_KEY=hh_fgdp_... HH_PROJECT_ID=...   # from the CI's secrets and variables
#   # or, until you move to a data-plane key: export HH_PROJECT_API_KEY=hh_ro_...
#   terraform init -input=false
#   terraform test -var "candidate_run_id=$CANDIDATE_RUN_ID"
terraform {
  required_providers {
    honeyhive = {
      source  = "honeyhiveai/honeyhive"
      version = "~> 0.1"
    }
  }
}

# Reads the data-plane key and project from HH_DATA_PLANE_API_KEY and
# HH_PROJECT_ID (else a classic key from HH_PROJECT_API_KEY), and a dedicated
# deployment's URL from HH_DATA_PLANE_URL.
provider "honeyhive" {}

data "honeyhive_run_comparison" "gate" {
  new_run_id      = var.candidate_run_id
  old_run_id      = var.baseline_run_id
  lower_is_better = ["latency_ms"]

  # The evaluation step finished moments ago: wait until the run is done and
  # its metrics are listed.
  wait_for_completion = true

  timeouts {
    read = var.wait_timeout
  }
}

locals {
  # Per-metric comparison, keyed by metric name, for the assertions.
  deltas = data.honeyhive_run_comparison.gate.metric_deltas
}
