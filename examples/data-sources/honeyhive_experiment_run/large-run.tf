# Gate a large run on its aggregates without keeping per-datapoint data in
# state: plans stay fast and small however many datapoints the run has. The
# counts and ID lists are still there, so the gate can name what failed (the
# first few: a large run can fail thousands of datapoints).

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "run_id" {
  type = string
}

data "honeyhive_experiment_run" "nightly" {
  run_id             = var.run_id
  include_datapoints = false

  lifecycle {
    postcondition {
      condition     = self.pass_rate >= 0.6
      error_message = "Only ${self.passed_count} of ${self.datapoint_count} datapoints passed run ${self.run_id}; failed: ${join(", ", slice(self.failed, 0, min(5, length(self.failed))))}${length(self.failed) > 5 ? " and ${length(self.failed) - 5} more" : ""}."
    }
    postcondition {
      condition     = self.metrics["accuracy"].aggregate >= 0.5
      error_message = "Accuracy of run ${self.run_id} is ${format("%.3f", self.metrics["accuracy"].aggregate)}, below 0.5."
    }
  }
}
