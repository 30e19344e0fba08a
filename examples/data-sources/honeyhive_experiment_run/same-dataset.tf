# Refuse to deploy when the candidate was evaluated on another dataset than the
# baseline: its scores would not be comparable.

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

data "honeyhive_experiment_run" "baseline" {
  run_id = var.baseline_run_id
}

data "honeyhive_experiment_run" "candidate" {
  run_id = var.candidate_run_id
}

resource "terraform_data" "deploy" {
  input = var.candidate_run_id

  lifecycle {
    precondition {
      condition     = data.honeyhive_experiment_run.candidate.dataset_id == data.honeyhive_experiment_run.baseline.dataset_id
      error_message = "Candidate run ${var.candidate_run_id} was evaluated on dataset ${coalesce(data.honeyhive_experiment_run.candidate.dataset_name, data.honeyhive_experiment_run.candidate.dataset_id, "(none)")}, the baseline on ${coalesce(data.honeyhive_experiment_run.baseline.dataset_name, data.honeyhive_experiment_run.baseline.dataset_id, "(none)")}: their scores are not comparable."
    }
  }
}
