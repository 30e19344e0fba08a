terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

variable "dataset_id" {
  type        = string
  description = "The dataset whose recent evaluations to list."
}

# The five newest completed runs on the dataset (newest first is the default:
# sort_by = "created_at", sort_order = "desc").
data "honeyhive_experiment_runs" "recent" {
  dataset_id  = var.dataset_id
  status      = "completed"
  max_results = 5
}

output "recent_runs" {
  value = [for r in data.honeyhive_experiment_runs.recent.runs : "${r.created_at} ${coalesce(r.name, "(unnamed)")} ${r.run_id}"]
}

output "newest_run_id" {
  value = try(data.honeyhive_experiment_runs.recent.ids[0], null)
}

# How many completed runs the dataset has, of which at most five are listed.
output "completed_runs" {
  value = data.honeyhive_experiment_runs.recent.total
}
