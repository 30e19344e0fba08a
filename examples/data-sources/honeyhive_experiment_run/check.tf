# Soft gate: a check block reports a failed assertion as a warning and lets the
# plan go on. Use it for signals worth seeing on every plan that should not
# block a deploy.
#
# A check stays soft only while its expressions can be evaluated: a condition
# or message that fails (comparing a null, reading a metric that is not there)
# is an error that stops the plan. A run that is still running, or that
# failed, has a null pass_rate or lacks metrics, so every condition and message
# below is defined whatever the run holds. Tests for null use `cond ? a : b`,
# which reports errors only from the branch it takes: Terraform 1.11 and older
# evaluate both sides of `&&` and `||`, so `x != null && x >= 0.9` still fails
# on a null x there.

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

locals {
  candidate = data.honeyhive_experiment_run.candidate
  # Null while no datapoint has been judged.
  pass_rate = local.candidate.pass_rate
  # Null when the run has no latency_ms metric (yet) or its aggregate is not a number.
  latency_ms = contains(local.candidate.metric_names, "latency_ms") ? local.candidate.metrics["latency_ms"].aggregate : null
}

check "evaluation_quality" {
  assert {
    condition     = local.candidate.status == "completed"
    error_message = "Run ${var.run_id} has not completed (status ${coalesce(local.candidate.status, "null")}): its results are partial."
  }
  assert {
    condition     = local.pass_rate == null ? false : local.pass_rate >= 0.9
    error_message = local.pass_rate == null ? "No datapoint of run ${var.run_id} has been judged." : "Only ${format("%.1f", local.pass_rate * 100)}% of the datapoints of run ${var.run_id} passed every metric (wanted 90%)."
  }
  assert {
    condition     = local.latency_ms == null ? false : local.latency_ms <= 1500
    error_message = local.latency_ms == null ? "Run ${var.run_id} has no latency_ms aggregate." : "Average latency is ${format("%.0f", local.latency_ms)} ms (budget 1500 ms)."
  }
}
