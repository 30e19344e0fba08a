# No regression against a pinned baseline. The approved baseline's run ID lives
# in configuration, so moving it takes a reviewed change like any other code.

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "baseline_run_id" {
  type        = string
  description = "Run ID of the approved baseline evaluation."
  default     = "3c9e6f2a-8d41-4b7e-9f0c-2a5d7e1b4c60"

  validation {
    condition     = length(trimspace(var.baseline_run_id)) > 0
    error_message = "baseline_run_id must name the approved baseline run."
  }
}

variable "candidate_run_id" {
  type        = string
  description = "Run ID of the evaluation of the build being deployed."
}

data "honeyhive_run_comparison" "release" {
  new_run_id = var.candidate_run_id
  old_run_id = var.baseline_run_id
}

# Stands in for whatever the pipeline deploys: the precondition blocks it.
resource "terraform_data" "deploy" {
  input = var.candidate_run_id

  lifecycle {
    precondition {
      condition     = data.honeyhive_run_comparison.release.new_run_status == "completed"
      error_message = "Candidate run ${var.candidate_run_id} is ${data.honeyhive_run_comparison.release.new_run_status}; wait for it to complete."
    }
    precondition {
      condition     = data.honeyhive_run_comparison.release.metric_deltas["accuracy"].difference >= -0.02
      error_message = "Accuracy fell by ${format("%.3f", -data.honeyhive_run_comparison.release.metric_deltas["accuracy"].difference)} against baseline ${var.baseline_run_id} (tolerance 0.02)."
    }
  }
}
