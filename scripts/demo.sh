#!/usr/bin/env bash
# make demo: build the provider, start the local HoneyHive-compatible server with
# its sample runs, and run Terraform on demo/main.tf twice, each in a folder and
# state of its own: once with a candidate that passes the gates, once with one
# that fails them. Exits 0 when the first plan succeeds and the second is
# stopped by the gates' messages. No colour codes unless standard output is a
# terminal (Terraform runs with -no-color throughout, so its messages can be
# checked and its override warning dropped).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/tf-env.sh
source scripts/tf-env.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/honeyhive-demo.XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -t 1 ]]; then
  section() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }
else
  section() { printf '\n== %s ==\n' "$*"; }
fi

section "Building the provider and the local HoneyHive server"
mkdir -p "$work/bin"
go build -o "$work/bin/terraform-provider-honeyhive" .
go build -o "$work/honeyhive-local" ./cmd/honeyhive-local

"$work/honeyhive-local" -addr 127.0.0.1:0 -ready-file "$work/url" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/url" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "demo: the local server did not start" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$work/url" ]] || { echo "demo: the local server did not report its URL" >&2; exit 1; }
export HH_DATA_PLANE_URL="$(cat "$work/url")"
# The data-plane key and project, as HoneyHive now recommends: every read goes
# to /v1/projects/local-project/runs... (the server's classic key,
# hh_local_demo_key in HH_PROJECT_API_KEY, would read the classic routes).
export HH_DATA_PLANE_API_KEY=hh_fgdp_local_demo_key HH_PROJECT_ID=local-project
echo "local HoneyHive server: $HH_DATA_PLANE_URL (project $HH_PROJECT_ID, data-plane key)"

# Use the provider just built, without a registry.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/honeyhiveai/honeyhive" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
# Each case is its own configuration folder with its own state, so the failing
# plan is not shown as a change from the passing run's outputs.
mkdir -p "$work/passing" "$work/failing"
cp demo/main.tf "$work/passing/main.tf"
cp demo/main.tf "$work/failing/main.tf"

# Runs terraform with its output in $work/last.out and shows it without the
# warning about development overrides (expected here: the provider is a local
# build); returns terraform's exit status.
tf() {
  local dir="$1" status=0
  shift
  terraform -chdir="$work/$dir" "$@" -input=false -no-color >"$work/last.out" 2>&1 || status=$?
  # At most 12 lines are dropped, so a reworded warning cannot hide the output.
  # With show_from set, and terraform successful, only the lines from the
  # first one that starts with show_from.
  local from="${show_from:-}"
  [[ $status -eq 0 ]] || from=""
  awk -v from="$from" '
       from != "" && !shown { if (index($0, from) == 1) shown = 1; else next }
       /^Warning: Provider development overrides are in effect/ {skip = 12}
       skip > 0 {skip--; if ($0 == "releases.") skip = 0; next}
       {print}' "$work/last.out" | cat -s
  return "$status"
}

section "Gate passing: candidate run-candidate against baseline run-baseline"
cat <<'TEXT'
The deploy step (terraform_data.deploy in demo/main.tf) has four gates, its
preconditions: 1. the candidate run completed; 2. its accuracy is at least 0.8;
3. its accuracy is down by at most 0.02 against the baseline; 4. at most one
datapoint that passed in the baseline fails in the candidate. The output
"gates" shows the value each one was decided on.
TEXT
# The apply's plan repeats the outputs: show what was applied, from its summary on.
show_from="Apply complete!" tf passing apply -auto-approve -var candidate_run_id=run-candidate || {
  echo "demo: the plan for run-candidate should pass its gates but failed" >&2
  exit 1
}
cat <<'TEXT'

result: the four gates passed and the deploy step was applied.

How to read "comparison" and "many_metrics_at_once": they are information, not
gates. Each verdict reads the 95% interval of the mean paired change in the
metric's better direction (lower is better for latency_ms): "improved" when the
whole interval is better, "regressed" when the whole interval is worse,
"inconclusive" when it includes no change. So latency_ms "regressed" means the
candidate is slower, with 95% confidence; no gate of this deploy limits latency
(the gate in examples/ci/gate allows 100 ms), so it does not stop the deploy.
"judged with the other three" is the verdict when the four summarizer metrics
are judged together: faithfulness regressed on its own, but not beyond what
four tries at once can show by chance.
TEXT

section "Gate failing: candidate run-regressed against baseline run-baseline"
cat <<'TEXT'
The same configuration in a folder and state of its own, planned for
run-regressed: three of the four gates fail, each with its own message.
TEXT
status=0
tf failing plan -var candidate_run_id=run-regressed || status=$?
if [[ $status -eq 0 ]]; then
  echo "demo: the plan for run-regressed should have been stopped by the gate, but it succeeded" >&2
  exit 1
fi
# Terraform wraps long messages: compare with the whitespace squeezed.
flat="$(tr -s ' \n' '  ' <"$work/last.out")"
for message in "Accuracy of run run-regressed is 0.375, below the required 0.8." \
  "Accuracy fell by 0.250 against baseline run-baseline." \
  "Run run-regressed fails 2 datapoints that passed in baseline run-baseline (at most 1 allowed): dp-02, dp-07."; do
  if [[ "$flat" != *"$message"* ]]; then
    echo "demo: the plan failed, but not with the gate's message \"$message\"" >&2
    exit 1
  fi
done
if grep -qE '^ +~ ' "$work/last.out"; then
  echo "demo: the failing plan shows changes from an earlier state; it should have a state of its own" >&2
  exit 1
fi
echo
echo "result: gates 2, 3 and 4 stopped the deploy of run-regressed with the messages above (terraform exited $status, as a gate should)."

section "One policy, one verdict: honeyhive_release_gate"
cat <<'TEXT'
The same gates as one release policy (examples/gates/release_policy.tf): five
rules, one postcondition (condition = self.passed, error_message = self.summary).
Planned for run-regressed, it stops the plan with a summary that names every
failed rule and its numbers.
TEXT
mkdir -p "$work/policy" "$work/report"
cp examples/gates/release_policy.tf "$work/policy/main.tf"
status=0
tf policy plan -var candidate_run_id=run-regressed -var baseline_run_id=run-baseline || status=$?
flat="$(tr -s ' \n' '  ' <"$work/last.out")"
if [[ $status -eq 0 || "$flat" != *"Release gate FAILED: 3 of 5 rules failed"* ]]; then
  echo "demo: the release policy should have failed 3 of its 5 rules for run-regressed" >&2
  exit 1
fi
cat <<'TEXT'

Its report, as a CI job posts it to the pull request (report_markdown): the
same policy without the postcondition, applied, so that Terraform records the
outputs (examples/ci/release-gate does the same, then fails the job on
`passed`).
TEXT
# The policy without its lifecycle block, whose postcondition would stop
# Terraform before it records any output.
awk '/^  lifecycle \{$/ {skip = 1} !skip {print} skip && /^  \}$/ {skip = 0}' \
  examples/gates/release_policy.tf >"$work/report/main.tf"
if grep -q 'postcondition {' "$work/report/main.tf"; then
  echo "demo: could not take the postcondition out of examples/gates/release_policy.tf" >&2
  exit 1
fi
tf report apply -auto-approve -var candidate_run_id=run-regressed -var baseline_run_id=run-baseline >/dev/null || {
  echo "demo: the release policy's report configuration failed to apply" >&2
  cat "$work/last.out" >&2
  exit 1
}
terraform -chdir="$work/report" output -raw report
echo
echo "result: the policy failed 3 of its 5 rules: one summary stopped the plan, one report names what failed."

section "Demo finished"
