variable "candidate_run_id" {
  type        = string
  description = "Run ID of the candidate's evaluation, from the CI job's evaluation step."

  validation {
    condition     = length(trimspace(var.candidate_run_id)) > 0
    error_message = "candidate_run_id is empty: the evaluation step did not report a run ID."
  }
}

# The approved baseline, pinned: moving it is a reviewed change to this file.
variable "baseline_run_id" {
  type        = string
  description = "Run ID of the approved baseline evaluation."
  default     = "3c9e6f2a-8d41-4b7e-9f0c-2a5d7e1b4c60"

  validation {
    condition     = length(trimspace(var.baseline_run_id)) > 0
    error_message = "baseline_run_id must name the approved baseline run."
  }
}

variable "confidence_level" {
  type        = number
  description = "Confidence level of the intervals the rules read."
  default     = 0.95
}

variable "wait_timeout" {
  type        = string
  description = "How long to wait for the candidate run to finish, as a duration such as \"20m\"."
  default     = "20m"
}
