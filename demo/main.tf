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

variable "max_new_failures" {
  type        = number
  description = "How many datapoints that passed in the baseline may fail in the candidate."
  default     = 1
}

data "honeyhive_experiment_run" "candidate" {
  run_id = var.candidate_run_id
}

data "honeyhive_run_comparison" "release" {
  new_run_id      = var.candidate_run_id
  old_run_id      = var.baseline_run_id
  lower_is_better = ["latency_ms"]
  # Keep the datapoint IDs in state, to name the new failures below.
  include_datapoints = true
}

locals {
  new_failures    = data.honeyhive_run_comparison.release.regressed_count
  new_failure_ids = data.honeyhive_run_comparison.release.regressed_datapoints
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
    # No new failures: datapoints that passed in the baseline and fail now.
    precondition {
      condition     = local.new_failures == null ? false : local.new_failures <= var.max_new_failures
      error_message = local.new_failures == null ? "Cannot tell which datapoints fail now: a run has no passed/failed lists." : "Run ${var.candidate_run_id} fails ${format("%d", local.new_failures)} ${local.new_failures == 1 ? "datapoint" : "datapoints"} that passed in baseline ${var.baseline_run_id} (at most ${format("%d", var.max_new_failures)} allowed): ${join(", ", slice(local.new_failure_ids, 0, min(5, length(local.new_failure_ids))))}${length(local.new_failure_ids) > 5 ? " and ${length(local.new_failure_ids) - 5} more" : ""}."
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

output "new_failures" {
  description = "Datapoints that passed in the baseline and fail in the candidate, and the reverse."
  value = {
    regressed = data.honeyhive_run_comparison.release.regressed_datapoints
    fixed     = data.honeyhive_run_comparison.release.fixed_datapoints
  }
}

# Many metrics at once: a summarizer scored on four metrics before and after a
# prompt change (runs the local server serves besides the candidates above).
# Faithfulness regressed at 95% on its own; as one of four metrics judged
# together (Bonferroni intervals at 1 - 0.05/4, Holm-adjusted p-values), the
# data cannot tell.
data "honeyhive_run_comparison" "prompt_change" {
  new_run_id      = "run-summarizer-v2"
  old_run_id      = "run-summarizer-v1"
  lower_is_better = ["latency_ms"]
  gate_metrics    = ["faithfulness", "coverage", "conciseness", "latency_ms"]
}

output "many_metrics_at_once" {
  description = "Each metric's own verdict and interval, and the family's."
  value = {
    family_size              = data.honeyhive_run_comparison.prompt_change.family_size
    family_regressed_metrics = data.honeyhive_run_comparison.prompt_change.family_regressed_metrics
    metrics = {
      for name, d in data.honeyhive_run_comparison.prompt_change.metric_deltas : name => {
        mean_difference = format("%.4f", d.mean_difference)
        verdict         = d.verdict
        ci_95           = [format("%.4f", d.ci_lower), format("%.4f", d.ci_upper)]
        family_verdict  = d.family_verdict
        family_ci       = [format("%.4f", d.family_ci_lower), format("%.4f", d.family_ci_upper)]
        p_value         = d.p_value
        p_value_holm    = d.p_value_holm
      }
    }
  }
}
