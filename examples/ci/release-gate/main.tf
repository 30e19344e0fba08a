# The release gate a CI job runs and reports: one data source judges the
# candidate run, which the job's evaluation step created, against the approved
# baseline by the rules below, and hands the job its verdict and a Markdown
# report. It has no resources: `terraform apply` only reads, with a read-only
# key, and records the outputs in a local state file the job throws away.
#
#   export HH_DATA_PLANE_API_KEY=hh_fgdp_... HH_PROJECT_ID=...   # from the CI's secrets and variables
#   # or, until you move to a data-plane key: export HH_PROJECT_API_KEY=hh_ro_...
#   terraform init -input=false
#   terraform apply -auto-approve -input=false -var "candidate_run_id=$CANDIDATE_RUN_ID"
#   terraform output -raw report_markdown > report.md
#   test "$(terraform output -raw passed)" = true
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

data "honeyhive_release_gate" "gate" {
  new_run_id       = var.candidate_run_id
  old_run_id       = var.baseline_run_id
  confidence_level = var.confidence_level
  lower_is_better  = ["latency_ms"]

  # The policy: each rule fails closed when the data cannot show it holds (a
  # run that has not completed, a missing metric, fewer pairs than min_pairs).
  # Changing it is a reviewed change to this file.
  rules = [
    # Relevance (0 to 1) no worse than the baseline's by more than 0.02.
    { kind = "non_inferiority", metric = "relevance", margin = 0.02, min_pairs = 5 },
    # Latency (lower is better) no worse by more than 100 ms.
    { kind = "non_inferiority", metric = "latency_ms", margin = 100, min_pairs = 5 },
  ]

  # The evaluation step finished moments ago: wait until the run is done and
  # its metrics are listed.
  wait_for_completion = true

  timeouts {
    read = var.wait_timeout
  }

  # No `postcondition { condition = self.passed }` here, unlike a gate that
  # only plans: a failed postcondition stops Terraform before it records any
  # output, and the job would have no report to post. The job fails on
  # `passed` itself, after writing the report.
}

output "passed" {
  description = "Whether every rule passed: the job fails when this is false."
  value       = data.honeyhive_release_gate.gate.passed
}

output "summary" {
  description = "The verdict in a few lines, for the job's log: each failed rule with its numbers, and the power warnings."
  value       = data.honeyhive_release_gate.gate.summary
}

output "report_markdown" {
  description = "The report for the pull request and the job summary: the metrics, the rules, the regressed datapoints and a chart of the intervals."
  value       = data.honeyhive_release_gate.gate.report_markdown
}
