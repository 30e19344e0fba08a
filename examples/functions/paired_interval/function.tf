terraform {
  # Provider-defined functions need Terraform 1.8 or later. OpenTofu has them
  # from 1.7, and checks this constraint against its own version.
  required_version = ">= 1.8"
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "margin" {
  type        = number
  description = "Largest drop that is acceptable, in the metric's unit."
  default     = 2.5
}

# The scores of the same ten datapoints in the new and the old run, in the
# same order (here Student's sleep data, R's datasets::sleep).
locals {
  new_scores = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
  old_scores = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

  differences = [for i, score in local.new_scores : score - local.old_scores[i]]
  score       = provider::honeyhive::paired_interval(local.differences, 0.95, false)
}

# { n = 10, mean_difference = -1.58, ci_lower = -2.46, ci_upper = -0.70,
#   p_value = 0.0039, verdict = "regressed" }
output "score" {
  value = local.score

  # Non-inferiority: the data rule out a drop of more than the margin.
  precondition {
    condition     = local.score.ci_lower >= -var.margin
    error_message = "The score may have dropped by up to ${format("%.2f", abs(local.score.ci_lower))}, more than the margin of ${var.margin}."
  }
}
