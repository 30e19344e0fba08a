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

variable "margins" {
  type        = map(number)
  description = "The gated metrics, each with the largest acceptable change for the worse, in the metric's unit."
  default = {
    relevance  = 0.02 # a score from 0 to 1
    latency_ms = 100  # milliseconds
  }

  validation {
    condition     = length(var.margins) > 0 && alltrue([for margin in values(var.margins) : margin >= 0])
    error_message = "margins must name at least one metric, each with a margin of 0 or more."
  }
}

variable "lower_is_better" {
  type        = set(string)
  description = "Metrics for which a lower value is better."
  default     = ["latency_ms"]
}

variable "min_pairs" {
  type        = number
  description = "Fewest datapoints the two runs must share, per gated metric, for the gate to decide."
  default     = 5

  validation {
    condition     = var.min_pairs >= 2
    error_message = "min_pairs must be at least 2: an interval needs two paired datapoints."
  }
}

variable "confidence_level" {
  type        = number
  description = "Confidence level of the intervals the gate reads."
  default     = 0.95
}

variable "wait_timeout" {
  type        = string
  description = "How long to wait for the candidate run to finish, as a duration such as \"20m\"."
  default     = "20m"
}
