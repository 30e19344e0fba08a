# Many metrics at once: fail when any gated metric regressed, with a 5% chance
# of a false alarm for all of them together rather than for each. Every
# metric's own interval (ci_lower, ci_upper) holds at 95% by itself, so a gate
# over four of them could stop a good candidate up to 1 time in 5; the family
# intervals (family_ci_lower, family_ci_upper) are widened to 1 - 0.05/4 each
# so that all four hold together at 95%.

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

variable "gate_metrics" {
  type        = set(string)
  description = "The metrics gated together; null gates every metric with at least 2 paired datapoints."
  default     = null
}

data "honeyhive_run_comparison" "release" {
  new_run_id      = var.candidate_run_id
  old_run_id      = var.baseline_run_id
  lower_is_better = ["latency_ms"]
  gate_metrics    = var.gate_metrics
}

locals {
  comparison = data.honeyhive_run_comparison.release
  regressed = [
    for name in local.comparison.family_regressed_metrics :
    "${name} (mean paired change ${format("%.3f", local.comparison.metric_deltas[name].mean_difference)}, interval [${format("%.3f", local.comparison.metric_deltas[name].family_ci_lower)}, ${format("%.3f", local.comparison.metric_deltas[name].family_ci_upper)}])"
  ]
}

resource "terraform_data" "promote" {
  input = var.candidate_run_id

  lifecycle {
    precondition {
      condition     = length(local.comparison.family_regressed_metrics) == 0
      error_message = "Run ${var.candidate_run_id} regressed against baseline ${var.baseline_run_id} with 95% confidence over the ${format("%d", local.comparison.family_size)} metrics gated together: ${join("; ", local.regressed)}."
    }
  }
}
