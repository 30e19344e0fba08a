# The demo that `make demo` runs against the local HoneyHive-compatible server.
# The server and key come from HH_API_URL and HH_API_KEY, set by scripts/demo.sh.
terraform {
  required_providers {
    honeyhive = {
      source  = "honeyhiveai/honeyhive"
      version = "~> 0.1"
    }
  }
}

provider "honeyhive" {}

variable "baseline_run_id" {
  type        = string
  description = "The approved baseline run: changed only by a reviewed pull request."
  default     = "run-baseline"
}

variable "candidate_run_id" {
  type        = string
  description = "The run of the build being deployed."
  default     = "run-candidate"
}

variable "min_accuracy" {
  type    = number
  default = 0.8
}

data "honeyhive_experiment_run" "candidate" {
  run_id = var.candidate_run_id
}

data "honeyhive_run_comparison" "release" {
  new_run_id      = var.candidate_run_id
  old_run_id      = var.baseline_run_id
  lower_is_better = ["latency_ms"]
}

# The deploy step, gated on the evaluation.
resource "terraform_data" "deploy" {
  input = var.candidate_run_id

  lifecycle {
    precondition {
      condition     = data.honeyhive_experiment_run.candidate.status == "completed"
      error_message = "Run ${var.candidate_run_id} is ${data.honeyhive_experiment_run.candidate.status}, not completed."
    }
    precondition {
      condition     = data.honeyhive_experiment_run.candidate.metrics["accuracy"].aggregate >= var.min_accuracy
      error_message = "Accuracy of run ${var.candidate_run_id} is ${format("%.3f", data.honeyhive_experiment_run.candidate.metrics["accuracy"].aggregate)}, below the required ${var.min_accuracy}."
    }
    precondition {
      condition     = data.honeyhive_run_comparison.release.metric_deltas["accuracy"].difference >= -0.02
      error_message = "Accuracy fell by ${format("%.3f", -data.honeyhive_run_comparison.release.metric_deltas["accuracy"].difference)} against baseline ${var.baseline_run_id}."
    }
  }
}

output "candidate_metrics" {
  description = "Each metric's aggregate on the candidate run."
  value       = { for name, m in data.honeyhive_experiment_run.candidate.metrics : name => m.aggregate }
}

output "candidate_pass_rate" {
  value = {
    observed = data.honeyhive_experiment_run.candidate.pass_rate
    ci_95    = [data.honeyhive_experiment_run.candidate.pass_rate_ci_lower, data.honeyhive_experiment_run.candidate.pass_rate_ci_upper]
  }
}

output "comparison" {
  description = "Candidate against baseline, per metric."
  value = {
    for name, d in data.honeyhive_run_comparison.release.metric_deltas : name => {
      old        = d.old_aggregate
      new        = d.new_aggregate
      difference = d.difference
      improved   = d.improved_count
      degraded   = d.degraded_count
      # Paired statistics over the datapoints both runs share.
      paired          = d.paired_count
      mean_difference = d.mean_difference
      ci_95           = [d.ci_lower, d.ci_upper]
      p_value         = d.p_value
      verdict         = d.verdict
    }
  }
}

output "datapoints" {
  value = {
    common   = data.honeyhive_run_comparison.release.common_datapoints
    new_only = data.honeyhive_run_comparison.release.new_only_datapoints
    old_only = data.honeyhive_run_comparison.release.old_only_datapoints
  }
}
