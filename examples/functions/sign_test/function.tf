terraform {
  # Provider-defined functions need Terraform 1.8 or later. OpenTofu has them
  # from 1.7, and checks this constraint against its own version.
  required_version = ">= 1.8"
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

# Of 12 datapoints whose score changed, 2 went down and 10 went up: a split
# this lopsided happens by chance with probability 0.0386.
output "p_value" {
  value = provider::honeyhive::sign_test(2, 10)
}
