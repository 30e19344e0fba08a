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
  # A gated name the comparison lacks (a typo, or an evaluator that did not
  # run) fails the gate below with the names there are, rather than
  # Terraform's bare "Invalid index"; the other checks read only the rest.
  missing   = [for m in var.gated_metrics : m if !contains(local.comparison.metric_names, m)]
  present   = [for m in var.gated_metrics : m if contains(local.comparison.metric_names, m)]
  regressed = [for m in local.present : m if local.comparison.metric_deltas[m].verdict == "regressed"]
  thin      = [for m in local.present : m if local.comparison.metric_deltas[m].paired_count < var.min_pairs]
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
      error_message = "Metrics missing from the comparison: ${join(", ", local.missing)}. Its metrics are: ${length(local.comparison.metric_names) > 0 ? join(", ", local.comparison.metric_names) : "none (have the runs completed?)"}."
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
