# The evaluation gate a CI job runs with `terraform plan`: it compares the
# candidate run, which the job's evaluation step created, with the approved
# baseline, and fails the plan with one message per broken rule. It has no
# resources and keeps no state: the plan only reads, with a read-only key.
#
#   export HH_DATA_PLANE_API_KEY=hh_fgdp_... HH_PROJECT_ID=...   # from the CI's secrets and variables
#   # or, until you move to a data-plane key: export HH_PROJECT_API_KEY=hh_ro_...
#   terraform init -input=false
#   terraform plan -input=false -var "candidate_run_id=$CANDIDATE_RUN_ID"
terraform {
  required_providers {
    honeyhive = {
      source  = "honeyhiveai/honeyhive"
      version = "~> 0.1"
    }
  }
}

# Reads the data-plane key and project from HH_DATA_PLANE_API_KEY and
# HH_PROJECT_ID (else a classic key from HH_PROJECT_API_KEY), and a dedicated
# deployment's URL from HH_DATA_PLANE_URL.
provider "honeyhive" {}

data "honeyhive_run_comparison" "gate" {
  new_run_id       = var.candidate_run_id
  old_run_id       = var.baseline_run_id
  confidence_level = var.confidence_level
  lower_is_better  = var.lower_is_better

  # The evaluation step finished moments ago: wait until the run is done and
  # its metrics are listed.
  wait_for_completion = true

  timeouts {
    read = var.wait_timeout
  }
}

locals {
  comparison = data.honeyhive_run_comparison.gate
  level      = format("%g%%", var.confidence_level * 100)

  # A gated metric the comparison lacks fails the gate: no evidence, no pass.
  missing = [for name in keys(var.margins) : name if !can(local.comparison.metric_deltas[name])]
  gated   = { for name, margin in var.margins : name => local.comparison.metric_deltas[name] if !contains(local.missing, name) }

  # The numbers each message shows; "n/a" where a statistic is null (fewer
  # than 2 paired datapoints).
  numbers = {
    for name, d in local.gated : name => {
      mean     = try(format("%+.3f", d.mean_difference), "n/a")
      ci_lower = try(format("%.3f", d.ci_lower), "n/a")
      ci_upper = try(format("%.3f", d.ci_upper), "n/a")
      pairs    = d.paired_count
      verdict  = d.verdict
    }
  }

  too_few_pairs = [for name, d in local.gated : format("%s: %d", name, d.paired_count) if d.paired_count < var.min_pairs]
  decidable     = { for name, d in local.gated : name => d if d.paired_count >= var.min_pairs }

  # Non-inferiority: the end of the interval on the worse side (the lower end
  # where higher is better, the upper end where lower is better) must stay
  # within the margin.
  worse = [
    for name, d in local.decidable : format(
      "%s may be worse than the baseline by more than %.3f: mean paired change %s, %s interval [%s, %s] over %d datapoints.",
      name, var.margins[name], local.numbers[name].mean, local.level,
      local.numbers[name].ci_lower, local.numbers[name].ci_upper, d.paired_count,
    )
    if !(d.lower_is_better ? d.ci_upper <= var.margins[name] : d.ci_lower >= -var.margins[name])
  ]
}

# Shown in the plan's output when the gate passes; its preconditions are the
# gate. Add a rule as another precondition.
output "gate" {
  description = "Per gated metric: the mean paired change (new - old), its interval, the number of pairs, the margin and the verdict."
  value = {
    for name, n in local.numbers : name => format("%s [%s, %s] over %d pairs, margin %.3f: %s", n.mean, n.ci_lower, n.ci_upper, n.pairs, var.margins[name], n.verdict)
  }

  precondition {
    condition     = local.comparison.new_run_status == "completed" && local.comparison.old_run_status == "completed"
    error_message = "Both runs must be completed: candidate ${var.candidate_run_id} is ${coalesce(local.comparison.new_run_status, "without a status")}, baseline ${var.baseline_run_id} is ${coalesce(local.comparison.old_run_status, "without a status")}."
  }
  precondition {
    condition     = length(local.missing) == 0
    error_message = "Gated metrics missing from the comparison: ${join(", ", local.missing)}. Its metrics are: ${length(local.comparison.metric_names) > 0 ? join(", ", local.comparison.metric_names) : "none (have the runs completed?)"}."
  }
  precondition {
    condition     = length(local.too_few_pairs) == 0
    error_message = "Too few paired datapoints (fewer than ${var.min_pairs}) for ${join(", ", local.too_few_pairs)}."
  }
  precondition {
    condition     = length(local.worse) == 0
    error_message = join("\n", local.worse)
  }
}
