# The pipeline that runs this plan started the evaluation moments ago: wait for
# the run to finish (and for its metrics to be listed) before gating on it. A
# run that fails or is cancelled is read, not an error, so the gate says why.

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "candidate_run_id" {
  type = string
}

variable "min_pass_rate" {
  type        = number
  description = "Pass rate the run must clear with 95% confidence, from 0 to 1."
  default     = 0.5
}

data "honeyhive_experiment_run" "candidate" {
  run_id              = var.candidate_run_id
  wait_for_completion = true

  timeouts {
    read = "30m"
  }

  lifecycle {
    postcondition {
      condition     = self.status == "completed"
      error_message = "Evaluation run ${self.run_id} ended ${self.status}: ${coalesce(self.error, "no error message")}."
    }
    postcondition {
      condition     = self.pass_rate_ci_lower >= var.min_pass_rate
      error_message = "The pass rate of run ${self.run_id} may be below ${format("%.1f", var.min_pass_rate * 100)}%: ${self.passed_count} of ${self.passed_count + self.failed_count} datapoints passed (95% interval from ${format("%.3f", self.pass_rate_ci_lower)})."
    }
  }
}
