# One release policy, one verdict: every rule a release manager states, judged
# by the provider on the paired datapoints of the candidate and the baseline.
# A rule fails closed when the data cannot show it holds (a missing metric, a
# run that has not completed, too few pairs), and the postcondition stops the
# plan with a summary that names each failed rule and its numbers.

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

variable "relevance_margin" {
  type        = number
  description = "Largest drop in relevance that is acceptable, in the metric's unit."
  default     = 0.05
}

data "honeyhive_release_gate" "release" {
  new_run_id      = var.candidate_run_id
  old_run_id      = var.baseline_run_id
  lower_is_better = ["latency_ms"]

  rules = [
    # The candidate's own accuracy clears a bar.
    { kind = "threshold", metric = "accuracy", min = 0.8 },
    # Relevance is no worse than the baseline's by more than the margin, on
    # at least 5 paired datapoints.
    { kind = "non_inferiority", metric = "relevance", margin = var.relevance_margin, min_pairs = 5 },
    # Latency (lower is better) stays under 2 seconds on average.
    { kind = "threshold", metric = "latency_ms", max = 2000 },
    # At most one datapoint that passed in the baseline fails now.
    { kind = "no_new_failures", max_regressed = 1 },
    # With 95% confidence, at least 45% of the candidate's datapoints pass.
    { kind = "min_pass_rate", min = 0.45 },
  ]

  lifecycle {
    postcondition {
      condition     = self.passed
      error_message = self.summary
    }
  }
}

# A Markdown report for the pull request or the job summary: a table per
# metric, the regressed datapoints, and a chart of the intervals.
output "report" {
  value = data.honeyhive_release_gate.release.report_markdown
}
