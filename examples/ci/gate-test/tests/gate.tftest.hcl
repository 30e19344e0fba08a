# The evaluation gate as a test. CI runs
#
#   terraform test -var "candidate_run_id=$CANDIDATE_RUN_ID"
#
# and each run block below is one test case in the report (Terraform 1.11 and
# later write it as JUnit XML with -junit-xml=FILE). `command = plan` only
# reads: nothing is created or destroyed.
#
# Values set in this file take precedence over -var, so the candidate's run
# ID is never set here; the thresholds are, reviewed with the rules.

variables {
  min_pairs = 5
}

run "runs_completed" {
  command = plan

  assert {
    condition     = data.honeyhive_run_comparison.gate.new_run_status == "completed"
    error_message = "Candidate run ${var.candidate_run_id} is ${coalesce(data.honeyhive_run_comparison.gate.new_run_status, "without a status")}, not completed."
  }
  assert {
    condition     = data.honeyhive_run_comparison.gate.old_run_status == "completed"
    error_message = "Baseline run ${var.baseline_run_id} is ${coalesce(data.honeyhive_run_comparison.gate.old_run_status, "without a status")}, not completed."
  }
}

# Non-inferiority: the lower end of the 95% interval of the mean paired
# change (new - old) must not fall below minus the margin. try() makes a
# missing metric or a null interval a failed assertion, not an error.
run "relevance_not_worse" {
  command = plan

  variables {
    margin = 0.02
  }

  assert {
    condition     = try(local.deltas["relevance"].paired_count >= var.min_pairs, false)
    error_message = "relevance has ${try(local.deltas["relevance"].paired_count, 0)} paired datapoints, fewer than ${var.min_pairs}."
  }
  assert {
    condition     = try(local.deltas["relevance"].ci_lower >= -var.margin, false)
    error_message = "relevance may be worse than the baseline by more than ${format("%.3f", var.margin)}: mean paired change ${try(format("%+.3f", local.deltas["relevance"].mean_difference), "n/a")}, 95% interval [${try(format("%.3f", local.deltas["relevance"].ci_lower), "n/a")}, ${try(format("%.3f", local.deltas["relevance"].ci_upper), "n/a")}]."
  }
}

# Lower is better for latency: the upper end of the interval must stay within
# the margin.
run "latency_not_worse" {
  command = plan

  variables {
    margin = 100 # milliseconds
  }

  assert {
    condition     = try(local.deltas["latency_ms"].paired_count >= var.min_pairs, false)
    error_message = "latency_ms has ${try(local.deltas["latency_ms"].paired_count, 0)} paired datapoints, fewer than ${var.min_pairs}."
  }
  assert {
    condition     = try(local.deltas["latency_ms"].ci_upper <= var.margin, false)
    error_message = "latency_ms may be worse than the baseline by more than ${format("%.3f", var.margin)}: mean paired change ${try(format("%+.3f", local.deltas["latency_ms"].mean_difference), "n/a")}, 95% interval [${try(format("%.3f", local.deltas["latency_ms"].ci_lower), "n/a")}, ${try(format("%.3f", local.deltas["latency_ms"].ci_upper), "n/a")}]."
  }
}
