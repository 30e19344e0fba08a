# Name the datapoints that failed in the gate's message: include_datapoints =
# true keeps the per-datapoint data in state (the passed and failed IDs, each
# metric's, and each metric's value on every datapoint). The message names the
# first five: a large run can fail thousands.

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "run_id" {
  type = string
}

variable "max_failed" {
  type        = number
  description = "Most datapoints that may fail accuracy."
  default     = 0
}

data "honeyhive_experiment_run" "candidate" {
  run_id             = var.run_id
  include_datapoints = true

  lifecycle {
    postcondition {
      condition     = self.metrics["accuracy"].datapoints.failed_count <= var.max_failed
      error_message = "Accuracy failed on ${self.metrics["accuracy"].datapoints.failed_count} datapoints of run ${self.run_id} (at most ${var.max_failed} allowed): ${join(", ", slice(self.metrics["accuracy"].datapoints.failed, 0, min(5, length(self.metrics["accuracy"].datapoints.failed))))}${length(self.metrics["accuracy"].datapoints.failed) > 5 ? " and ${length(self.metrics["accuracy"].datapoints.failed) - 5} more" : ""}."
    }
  }
}

# The accuracy of each datapoint that failed it, keyed by datapoint ID.
output "failed_accuracy" {
  value = {
    for id in data.honeyhive_experiment_run.candidate.metrics["accuracy"].datapoints.failed :
    id => data.honeyhive_experiment_run.candidate.metrics["accuracy"].datapoints.values[id]
  }
}
