# The demo that `make demo` runs against the local HoneyHive-compatible server.
# The server, key and project come from HH_DATA_PLANE_URL, HH_DATA_PLANE_API_KEY
# and HH_PROJECT_ID, set by scripts/demo.sh.
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

output "gates" {
  description = "The deploy step's four gates (its preconditions), each with the value it was decided on; a gate that fails stops the plan with its own message."
  value = {
    "1. status is completed"                                 = data.honeyhive_experiment_run.candidate.status
    "2. accuracy >= ${var.min_accuracy}"                     = format("%.3f", data.honeyhive_experiment_run.candidate.metrics["accuracy"].aggregate)
    "3. accuracy change against the baseline >= -0.02"       = format("%+.3f", data.honeyhive_run_comparison.release.metric_deltas["accuracy"].difference)
    "4. newly failing datapoints <= ${var.max_new_failures}" = local.new_failures == null ? "unknown" : format("%d (%s)", local.new_failures, join(", ", local.new_failure_ids))
  }
}

output "comparison" {
  description = "Each metric, candidate against baseline: the averages, then the mean change over the datapoints both runs share with its 95% interval, and what the interval says (verdict), in the metric's better direction. Information, not gates."
  value = {
    for name, d in data.honeyhive_run_comparison.release.metric_deltas : name => format(
      "%s -> %s; paired change %+.3f, 95%% interval [%.3f, %.3f] over %d datapoints: %s",
      format("%.3f", d.old_aggregate), format("%.3f", d.new_aggregate),
      d.mean_difference, d.ci_lower, d.ci_upper, d.paired_count, d.verdict
    )
  }
}

output "datapoints" {
  description = "Datapoints both runs share, and those only one of them has."
  value = {
    common   = data.honeyhive_run_comparison.release.common_datapoints
    new_only = data.honeyhive_run_comparison.release.new_only_datapoints
    old_only = data.honeyhive_run_comparison.release.old_only_datapoints
  }
}

output "new_failures" {
  description = "Datapoints that passed in the baseline and fail in the candidate (regressed), and the reverse (fixed)."
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
  description = "Each metric's own verdict, then the family's: the verdict when the four metrics are judged together (intervals at 1 - 0.05/4), so that one false alarm in four tries stays at 5%."
  value = {
    for name, d in data.honeyhive_run_comparison.prompt_change.metric_deltas : name => format(
      "paired change %+.4f, 95%% interval [%.4f, %.4f]: %s; judged with the other three: %s",
      d.mean_difference, d.ci_lower, d.ci_upper, d.verdict, d.family_verdict
    )
  }
}
