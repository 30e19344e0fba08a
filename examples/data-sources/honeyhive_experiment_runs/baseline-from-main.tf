# Gate a candidate against the newest completed run on main for the same
# dataset: the baseline moves forward with main, and no run ID has to be kept
# up to date. Your evaluation records the branch in the run's metadata, e.g.
# metadata={"branch": "main", "git_sha": "..."} in the HoneyHive SDK.

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}
variable "candidate_run_id" {
  type        = string
  description = "Run ID of the evaluation to gate, from the pipeline's evaluation step."
}

variable "dataset_id" {
  type        = string
  description = "The dataset the candidate evaluated; the baseline must have evaluated it too."
}

variable "baseline_branch" {
  type        = string
  description = "Branch whose newest completed run is the baseline, as the runs' metadata names it."
  default     = "main"
}

# Newest first is the default order, so the first match is the newest.
# HoneyHive filters on the dataset and the status; the provider then checks
# the metadata of the runs it lists (at most metadata_scan_limit of them).
data "honeyhive_experiment_runs" "baseline" {
  dataset_id  = var.dataset_id
  status      = "completed"
  metadata    = { branch = var.baseline_branch }
  max_results = 1
}

locals {
  baseline = data.honeyhive_experiment_runs.baseline
}

data "honeyhive_run_comparison" "release" {
  new_run_id = var.candidate_run_id
  old_run_id = local.baseline.ids[0]

  lifecycle {
    # Checked before old_run_id is evaluated: without it no baseline would fail
    # with "Invalid index" instead of this message.
    precondition {
      condition     = length(local.baseline.ids) == 1
      error_message = "No completed run on ${var.baseline_branch} found for dataset ${var.dataset_id} (${local.baseline.scanned} completed runs checked): there is no baseline to compare candidate ${var.candidate_run_id} with."
    }
    precondition {
      condition     = try(local.baseline.ids[0], "") != var.candidate_run_id
      error_message = "Candidate ${var.candidate_run_id} is itself the newest completed run on ${var.baseline_branch}: it cannot be its own baseline."
    }
    postcondition {
      condition     = self.metric_deltas["accuracy"].difference >= -0.02
      error_message = "Accuracy of candidate ${self.new_run_id} fell by ${- self.metric_deltas["accuracy"].difference} against ${self.old_run_id}, the newest completed run on ${var.baseline_branch} (tolerance 0.02)."
    }
  }
}

# try() keeps the precondition's message the only error when nothing was found.
output "baseline" {
  value = try({
    run_id     = local.baseline.runs[0].run_id
    created_at = local.baseline.runs[0].created_at
    git_sha    = jsondecode(local.baseline.runs[0].metadata).git_sha
  }, null)
}

output "accuracy_change" {
  value = data.honeyhive_run_comparison.release.metric_deltas["accuracy"].difference
}
