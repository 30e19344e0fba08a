terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "run_id" {
  type        = string
  description = "The experiment run to read, for example from the pipeline that ran the evaluation."
}

data "honeyhive_experiment_run" "candidate" {
  run_id = var.run_id
}

output "status" {
  value = data.honeyhive_experiment_run.candidate.status
}

output "pass_rate" {
  value = data.honeyhive_experiment_run.candidate.pass_rate
}

# Every metric's aggregate, keyed by name.
output "aggregates" {
  value = { for name, m in data.honeyhive_experiment_run.candidate.metrics : name => m.aggregate }
}
