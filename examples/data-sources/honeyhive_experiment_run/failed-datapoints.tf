# Name the datapoints that failed in the gate's message: include_datapoints =
# true keeps the per-datapoint lists in state (the passed and failed IDs, each
# metric's, and every datapoint's values).
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
      error_message = "Accuracy failed on ${self.metrics["accuracy"].datapoints.failed_count} datapoints of run ${self.run_id} (at most ${var.max_failed} allowed): ${join(", ", self.metrics["accuracy"].datapoints.failed)}."
    }
  }
}

# Each datapoint's accuracy, keyed by datapoint ID.
output "accuracy_by_datapoint" {
  value = {
    for dp in data.honeyhive_experiment_run.candidate.datapoints :
    coalesce(dp.datapoint_id, dp.session_id) => one([for m in dp.metrics : m.value if m.name == "accuracy"])
  }
}
