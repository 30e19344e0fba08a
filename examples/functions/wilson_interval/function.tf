# Needs Terraform 1.8 or later (OpenTofu 1.7 or later).
terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

# 81 of 263 datapoints passed: the 95% interval for the true pass rate is
# { lower = 0.2553, upper = 0.3662 }.
output "pass_rate" {
  value = provider::honeyhive::wilson_interval(81, 263, 0.95)
}
