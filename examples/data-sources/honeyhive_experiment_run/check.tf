# Soft gate: a check block reports a warning and lets the plan go on. Use it for
# signals worth seeing on every plan that should not block a deploy.

terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "run_id" {
  type = string
}

data "honeyhive_experiment_run" "candidate" {
  run_id = var.run_id
}

check "evaluation_quality" {
  assert {
    condition     = data.honeyhive_experiment_run.candidate.pass_rate >= 0.9
    error_message = "Only ${data.honeyhive_experiment_run.candidate.pass_rate * 100}% of the datapoints of run ${var.run_id} passed every metric (wanted 90%)."
  }
  assert {
    condition     = data.honeyhive_experiment_run.candidate.metrics["latency_ms"].aggregate <= 1500
    error_message = "Average latency is ${data.honeyhive_experiment_run.candidate.metrics["latency_ms"].aggregate} ms (budget 1500 ms)."
  }
}
