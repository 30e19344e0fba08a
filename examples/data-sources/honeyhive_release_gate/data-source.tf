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

data "honeyhive_release_gate" "release" {
  new_run_id = var.candidate_run_id
  old_run_id = var.baseline_run_id

  rules = [
    { kind = "non_inferiority", metric = "relevance", margin = 0.05 },
    { kind = "no_new_failures", metric = "accuracy", max_regressed = 1 },
  ]

  lifecycle {
    postcondition {
      condition     = self.passed
      error_message = self.summary
    }
  }
}

output "violations" {
  value = data.honeyhive_release_gate.release.violations
}

output "power" {
  value = {
    for r in data.honeyhive_release_gate.release.rule_results :
    r.rule => r.minimum_detectable_difference if r.minimum_detectable_difference != null
  }
}
