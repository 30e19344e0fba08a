# Hard gate on the run itself: the plan fails unless the run completed and its
# accuracy clears the bar. The message names the value that failed.

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "run_id" {
  type = string
}

variable "min_accuracy" {
  type    = number
  default = 0.8
}

data "honeyhive_experiment_run" "candidate" {
  run_id = var.run_id

  lifecycle {
    postcondition {
      condition     = self.status == "completed"
      error_message = "Run ${self.run_id} is ${self.status}, not completed: its metrics are not final."
    }
    postcondition {
      # A metric that is missing makes this expression an error, so the gate fails closed.
      condition     = self.metrics["accuracy"].aggregate >= var.min_accuracy
      error_message = "Accuracy of run ${self.run_id} is ${format("%.3f", self.metrics["accuracy"].aggregate)}, below the required ${var.min_accuracy}."
    }
  }
}
