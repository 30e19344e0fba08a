terraform {
  # Provider-defined functions need Terraform 1.8 or later. OpenTofu has them
  # from 1.7, and checks this constraint against its own version.
  required_version = ">= 1.8"
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

# The sign-test p-values of four metrics gated together.
locals {
  p_values = { relevance = 0.01, faithfulness = 0.04, fluency = 0.03, toxicity = 0.005 }
  adjusted = zipmap(keys(local.p_values), provider::honeyhive::holm_adjust(values(local.p_values)))
}

# { faithfulness = 0.06, fluency = 0.06, relevance = 0.03, toxicity = 0.02 }:
# at a family-wise level of 0.05, relevance and toxicity changed.
output "changed" {
  value = [for metric, p in local.adjusted : metric if p <= 0.05]
}

output "adjusted" {
  value = local.adjusted
}
