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
  new_run_id = var.candidate_run_id
  old_run_id = var.baseline_run_id
}

output "accuracy_change" {
  value = data.honeyhive_run_comparison.release.metric_deltas["accuracy"].difference
}

output "degraded_metrics" {
  value = data.honeyhive_run_comparison.release.degraded_metrics
}

output "datapoints" {
  value = {
    common   = data.honeyhive_run_comparison.release.common_datapoints
    new_only = data.honeyhive_run_comparison.release.new_only_datapoints
    old_only = data.honeyhive_run_comparison.release.old_only_datapoints
  }
}
