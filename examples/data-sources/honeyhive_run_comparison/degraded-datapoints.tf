# Name the datapoints whose accuracy went down against the baseline:
# include_datapoints = true keeps the comparison's per-datapoint lists
# (improved, degraded and same IDs, old and new values) in state.

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
  new_run_id         = var.candidate_run_id
  old_run_id         = var.baseline_run_id
  include_datapoints = true

  lifecycle {
    postcondition {
      condition     = self.metric_deltas["accuracy"].degraded_count == 0
      error_message = "Accuracy went down on ${self.metric_deltas["accuracy"].degraded_count} datapoints against baseline ${self.old_run_id}: ${join(", ", self.metric_deltas["accuracy"].degraded)}."
    }
  }
}
