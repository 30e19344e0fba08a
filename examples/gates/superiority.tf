# Superiority: promote the candidate only when it is better than the baseline
# with 95% confidence. For a metric where lower is better (latency, cost), list
# it in lower_is_better: the verdict then reads "improved" when it went down.

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

data "honeyhive_run_comparison" "release" {
  new_run_id      = var.candidate_run_id
  old_run_id      = var.baseline_run_id
  lower_is_better = ["latency_ms"]
}

locals {
  relevance = data.honeyhive_run_comparison.release.metric_deltas["relevance"]
}

resource "terraform_data" "promote" {
  input = var.candidate_run_id

  lifecycle {
    precondition {
      condition     = local.relevance.verdict == "improved"
      error_message = "Relevance is ${local.relevance.verdict}, not improved: mean paired change ${format("%.3f", local.relevance.mean_difference)}, 95% interval [${format("%.3f", local.relevance.ci_lower)}, ${format("%.3f", local.relevance.ci_upper)}], sign test p = ${format("%.4f", local.relevance.p_value)}."
    }
  }
}
