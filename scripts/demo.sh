#!/usr/bin/env bash
# make demo: build the provider, start the local HoneyHive-compatible server with
# its sample runs, and run Terraform on demo/main.tf twice: once with a candidate
# that passes the gates, once with one that fails them. Exits 0 when the first
# plan succeeds and the second is stopped by the gate's message.
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

section() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

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
export HH_API_URL="$(cat "$work/url")"
export HH_API_KEY=hh_local_demo_key
echo "local HoneyHive server: $HH_API_URL"

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
cp demo/main.tf "$work/main.tf"
cd "$work"

# Runs terraform with its output in $work/last.out and shows it without the
# warning about development overrides (expected here: the provider is a local
# build); returns terraform's exit status.
tf() {
  local status=0
  terraform "$@" -input=false -no-color >"$work/last.out" 2>&1 || status=$?
  # At most 12 lines are dropped, so a reworded warning cannot hide the output.
  awk '/^Warning: Provider development overrides are in effect/ {skip = 12}
       skip > 0 {skip--; if ($0 == "releases.") skip = 0; next}
       {print}' "$work/last.out" | cat -s
  return "$status"
}

section "Gate passing: candidate run-candidate against baseline run-baseline"
tf apply -auto-approve -var candidate_run_id=run-candidate || {
  echo "demo: the plan for run-candidate should pass its gates but failed" >&2
  exit 1
}
echo "result: the gates passed and the deploy step was applied"

section "Gate failing: candidate run-regressed against baseline run-baseline"
status=0
tf plan -var candidate_run_id=run-regressed || status=$?
if [[ $status -eq 0 ]]; then
  echo "demo: the plan for run-regressed should have been stopped by the gate, but it succeeded" >&2
  exit 1
fi
# Terraform wraps long messages: compare with the whitespace squeezed.
flat="$(tr -s ' \n' '  ' <"$work/last.out")"
for message in "Accuracy of run run-regressed is" \
  "Run run-regressed fails 2 datapoints that passed in baseline run-baseline (at most 1 allowed): dp-02, dp-07."; do
  if [[ "$flat" != *"$message"* ]]; then
    echo "demo: the plan failed, but not with the gate's message \"$message\"" >&2
    exit 1
  fi
done
echo "result: the gate stopped the deploy of run-regressed with the message above (terraform exited $status, as a gate should)"

section "Demo finished"
