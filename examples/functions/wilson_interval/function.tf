terraform {
  # Provider-defined functions need Terraform 1.8 or later. OpenTofu has them
  # from 1.7, and checks this constraint against its own version.
  required_version = ">= 1.8"
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

# 81 of 263 datapoints passed: the 95% interval for the true pass rate is
# { lower = 0.2553, upper = 0.3662 }.
output "pass_rate" {
  value = provider::honeyhive::wilson_interval(81, 263, 0.95)
}
