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
  description = "Largest drop the non-inferiority gate accepts, in the metric's unit."
  default     = 0.05
}

# The paired differences of the last comparison had a standard deviation of
# 0.1 over 40 datapoints (the sd of paired_interval). At 95% confidence and
# 80% power, 40 pairs detect a true drop of 0.0454 or more.
locals {
  detectable = provider::honeyhive::minimum_detectable_difference(0.1, 40, 0.95, 0.8)
}

output "minimum_detectable_difference" {
  value = local.detectable

  # A margin below it would fail good candidates on noise.
  precondition {
    condition     = var.margin >= local.detectable
    error_message = "A margin of ${var.margin} is below what 40 pairs can detect (${format("%.4f", local.detectable)}): evaluate on more datapoints or widen the margin."
  }
}
