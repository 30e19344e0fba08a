# Gate the newest completed run of the nightly evaluation against the approved
# baseline, without the pipeline having to pass the candidate's run ID along.

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "nightly_name" {
  type        = string
  description = "Name the nightly evaluation gives its runs."
  default     = "nightly-main"
}

variable "baseline_run_id" {
  type        = string
  description = "Run ID of the approved baseline evaluation, pinned by a reviewed change."
}

# Newest first (the default order), completed runs only, just the first.
data "honeyhive_experiment_runs" "candidate" {
  name        = var.nightly_name
  status      = "completed"
  max_results = 1
}

locals {
  candidate = data.honeyhive_experiment_runs.candidate
}

data "honeyhive_run_comparison" "release" {
  new_run_id = local.candidate.runs[0].run_id
  old_run_id = var.baseline_run_id

  lifecycle {
    # Checked before new_run_id is evaluated: without it an empty list would
    # fail with "Invalid index" instead of this message.
    precondition {
      condition     = length(local.candidate.runs) > 0
      error_message = "No completed run named \"${var.nightly_name}\" found: there is no candidate to compare with baseline ${var.baseline_run_id}."
    }
    # The baseline may itself be the newest run of that name; compared with
    # itself it would pass with a change of 0.
    precondition {
      condition     = try(local.candidate.runs[0].run_id, "") != var.baseline_run_id
      error_message = "The newest completed run named \"${var.nightly_name}\" is baseline ${var.baseline_run_id} itself: there is no newer candidate, and a run compared with itself passes with a change of 0."
    }
    postcondition {
      condition     = self.metric_deltas["accuracy"].difference >= -0.02
      error_message = "Accuracy of the newest nightly run ${self.new_run_id} fell by ${format("%.3f", -self.metric_deltas["accuracy"].difference)} against baseline ${var.baseline_run_id} (tolerance 0.02)."
    }
  }
}

# try() keeps the precondition's message the only error when nothing was found.
output "candidate" {
  value = try({
    run_id     = local.candidate.runs[0].run_id
    created_at = local.candidate.runs[0].created_at
  }, null)
}

output "accuracy_change" {
  value = data.honeyhive_run_comparison.release.metric_deltas["accuracy"].difference
}
