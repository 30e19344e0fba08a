# No new failures: no datapoint that passed in the baseline may fail in the
# candidate, except at most max_new_failures of them (an LLM judge flips on a
# borderline answer now and then). A datapoint passes a run when none of its
# metrics failed it. The message names the first five new failures
# (include_datapoints = true keeps the IDs in state), or gives their number
# alone with name_datapoints = false, which keeps state small on large runs.

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

variable "name_datapoints" {
  type        = bool
  description = "Name the new failures in the message (keeps per-datapoint data in state)."
  default     = true
}

variable "max_new_failures" {
  type        = number
  description = "How many datapoints that passed in the baseline may fail in the candidate."
  default     = 1
}

data "honeyhive_run_comparison" "release" {
  new_run_id         = var.candidate_run_id
  old_run_id         = var.baseline_run_id
  include_datapoints = var.name_datapoints
}

locals {
  comparison = data.honeyhive_run_comparison.release
  # Null when a run's summary has no passed/failed lists: the gate then fails
  # rather than reading "no new failures".
  new_failures = local.comparison.regressed_count
  # The IDs, in the candidate's order; null when the comparison leaves them out.
  ids       = local.comparison.regressed_datapoints
  first_ids = local.ids == null ? "" : ": ${join(", ", slice(local.ids, 0, min(5, length(local.ids))))}"
  more_ids  = local.ids == null ? "" : (length(local.ids) > 5 ? " and ${length(local.ids) - 5} more" : "")
}

resource "terraform_data" "promote" {
  input = var.candidate_run_id

  lifecycle {
    precondition {
      condition     = local.new_failures == null ? false : local.new_failures <= var.max_new_failures
      error_message = local.new_failures == null ? "Cannot tell which datapoints fail now: run ${var.candidate_run_id} or baseline ${var.baseline_run_id} has no passed/failed lists (has it completed?)." : "Run ${var.candidate_run_id} fails ${format("%d", local.new_failures)} ${local.new_failures == 1 ? "datapoint" : "datapoints"} that passed in baseline ${var.baseline_run_id} (at most ${format("%d", var.max_new_failures)} allowed)${local.first_ids}${local.more_ids}."
    }
  }
}
