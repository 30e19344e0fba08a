# Gate a large run on its aggregates and counts. By default
# (include_datapoints = false) state holds no per-datapoint data, so plans stay
# fast and small however many datapoints the run has; the counts are still
# computed from every datapoint.

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "run_id" {
  type = string
}

data "honeyhive_experiment_run" "nightly" {
  run_id = var.run_id

  lifecycle {
    postcondition {
      condition     = self.pass_rate >= 0.6
      error_message = "Only ${self.passed_count} of ${self.datapoint_count} datapoints passed run ${self.run_id} (${self.failed_count} failed)."
    }
    postcondition {
      condition     = self.metrics["accuracy"].aggregate >= 0.5
      error_message = "Accuracy of run ${self.run_id} is ${format("%.3f", self.metrics["accuracy"].aggregate)}, below 0.5 (${self.metrics["accuracy"].datapoints.failed_count} datapoints failed it)."
    }
  }
}
