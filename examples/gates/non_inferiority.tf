# Non-inferiority: deploy unless the candidate may be worse than the baseline by
# more than a margin. ci_lower is the lower end of the 95% interval for the mean
# paired difference (new - old, datapoint by datapoint), so the gate holds only
# when the data rule out a drop larger than the margin, and it does not flap
# on noise the way a comparison of two averages does.

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

variable "margin" {
  type        = number
  description = "Largest drop in relevance that is acceptable, in the metric's unit."
  default     = 0.02
}

data "honeyhive_run_comparison" "release" {
  new_run_id       = var.candidate_run_id
  old_run_id       = var.baseline_run_id
  confidence_level = 0.95
}

resource "terraform_data" "deploy" {
  input = var.candidate_run_id

  lifecycle {
    precondition {
      # ci_lower is null with fewer than 2 paired datapoints: the condition is
      # then an error, and the gate fails closed.
      condition     = data.honeyhive_run_comparison.release.metric_deltas["relevance"].ci_lower >= -var.margin
      error_message = "Relevance may have dropped by more than ${var.margin}: the 95% interval of the paired difference is [${format("%.3f", data.honeyhive_run_comparison.release.metric_deltas["relevance"].ci_lower)}, ${format("%.3f", data.honeyhive_run_comparison.release.metric_deltas["relevance"].ci_upper)}] over ${data.honeyhive_run_comparison.release.metric_deltas["relevance"].paired_count} datapoints."
    }
  }
}
