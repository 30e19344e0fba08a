# A release gate that fails closed: it blocks the deploy not only on a
# regression, but whenever the evidence for "no regression" is missing.

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "candidate_run_id" {
  type = string
}

variable "baseline_run_id" {
  type = string
}

variable "gated_metrics" {
  type    = list(string)
  default = ["accuracy", "relevance"]
}

variable "min_pairs" {
  type        = number
  description = "Fewest datapoints the two runs must share for a verdict to count."
  default     = 5
}

data "honeyhive_run_comparison" "release" {
  new_run_id = var.candidate_run_id
  old_run_id = var.baseline_run_id
}

locals {
  comparison = data.honeyhive_run_comparison.release
  missing    = setsubtract(var.gated_metrics, local.comparison.metric_names)
  # try() turns an error (a metric that is not there) into "not ok".
  regressed = [for m in var.gated_metrics : m if try(local.comparison.metric_deltas[m].verdict == "regressed", true)]
  thin      = [for m in var.gated_metrics : m if try(local.comparison.metric_deltas[m].paired_count < var.min_pairs, true)]
}

resource "terraform_data" "deploy" {
  input = var.candidate_run_id

  lifecycle {
    precondition {
      condition     = local.comparison.new_run_status == "completed" && local.comparison.old_run_status == "completed"
      error_message = "Both runs must be completed (candidate: ${local.comparison.new_run_status}, baseline: ${local.comparison.old_run_status})."
    }
    precondition {
      condition     = length(local.missing) == 0
      error_message = "Metrics missing from the comparison: ${join(", ", local.missing)}."
    }
    precondition {
      condition     = length(local.thin) == 0
      error_message = "Too few paired datapoints (under ${var.min_pairs}) for: ${join(", ", local.thin)}."
    }
    precondition {
      condition     = length(local.regressed) == 0
      error_message = "Regressed with 95% confidence: ${join(", ", local.regressed)}."
    }
  }
}
