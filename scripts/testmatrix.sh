#!/usr/bin/env bash
# Run the provider acceptance tests (internal/provider) once per CLI and print
# a summary table. Exits non-zero if any run fails (or a CLI cannot be built).
#
# Usage:
#   scripts/testmatrix.sh [CLI ...]
# where each CLI is one of
#   terraform            the image's Terraform (scripts/ensure-terraform.sh, PATH)
#   terraform@VERSION    Terraform built by scripts/build-cli.sh
#   opentofu@VERSION     OpenTofu built by scripts/build-cli.sh
# Default (or $TESTMATRIX_CLIS, space-separated):
#   terraform terraform@1.5.7 opentofu@1.12.6
#
# Environment:
#   TESTMATRIX_PKGS     packages to test (default ./internal/provider/... ./internal/repocheck/...)
#   TESTMATRIX_TIMEOUT  go test -timeout (default 30m)
#   TESTARGS            extra go test arguments (e.g. -race, -run TestX, -v)
#
# Full go test output of each run: .tools/testmatrix/<cli>-<version>.log
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

PKGS="${TESTMATRIX_PKGS:-./internal/provider/... ./internal/repocheck/...}"
TIMEOUT="${TESTMATRIX_TIMEOUT:-30m}"
read -r -a extra_args <<<"${TESTARGS:-}"
read -r -a pkgs <<<"$PKGS"
if [[ $# -gt 0 ]]; then
  clis=("$@")
else
  read -r -a clis <<<"${TESTMATRIX_CLIS:-terraform terraform@1.5.7 opentofu@1.12.6}"
fi

LOG_DIR="$ROOT/.tools/testmatrix"
mkdir -p "$LOG_DIR"
# An empty CLI config owned by the project: no ~/.terraformrc or
# ~/.tofurc settings (dev_overrides, mirrors) leak into the runs.
CLI_CONFIG="$ROOT/.tools/terraformrc"
[[ -e "$CLI_CONFIG" ]] || : >"$CLI_CONFIG"

log() { echo "testmatrix: $*" >&2; }

rows=()
failed=0

# Resolve a CLI spec to "name version path"; builds on demand.
resolve() {
  local spec="$1" name version bin
  case "$spec" in
    terraform)
      bin="$(env -u TF_ACC_TERRAFORM_PATH bash scripts/ensure-terraform.sh)" || return 1
      name=terraform
      ;;
    terraform@* | opentofu@* | tofu@*)
      name="${spec%%@*}"
      [[ "$name" == tofu ]] && name=opentofu
      bin="$(bash scripts/build-cli.sh "$name" "${spec#*@}")" || return 1
      ;;
    *)
      log "unknown CLI '$spec' (terraform, terraform@VERSION or opentofu@VERSION)"
      return 1
      ;;
  esac
  version="$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$bin" version 2>/dev/null | sed -n '1s/.* v//p')"
  [[ -n "$version" ]] || { log "$bin does not report a version"; return 1; }
  printf '%s %s %s\n' "$name" "$version" "$bin"
}

for spec in "${clis[@]}"; do
  start=$SECONDS
  if ! resolved="$(resolve "$spec")"; then
    rows+=("$spec|?|NO CLI (build failed)|$((SECONDS - start))s|")
    failed=1
    continue
  fi
  read -r name version bin <<<"$resolved"

  # terraform-plugin-testing reattaches the in-process provider under
  # <TF_ACC_PROVIDER_HOST>/<TF_ACC_PROVIDER_NAMESPACE>/honeyhive and gives the
  # tests' inline configurations that source. The examples under examples/
  # declare source = "honeyhiveai/honeyhive", as users copy them, which each
  # CLI reads as <its default registry>/honeyhiveai/honeyhive: Terraform's is
  # registry.terraform.io (the library's default host), OpenTofu's
  # registry.opentofu.org. The namespace is honeyhiveai for every CLI (the
  # provider tests' TestMain also defaults it, and refuses any other).
  # secrets_test.go derives its dev_overrides key from TF_ACC_PROVIDER_HOST.
  run_env=(
    TF_ACC=1
    TF_ACC_TERRAFORM_PATH="$bin"
    TF_CLI_CONFIG_FILE="$CLI_CONFIG"
    CHECKPOINT_DISABLE=1
    TF_IN_AUTOMATION=1
    TF_ACC_PROVIDER_NAMESPACE=honeyhiveai
  )
  unset_env=(-u TF_ACC_PROVIDER_HOST -u TF_ACC_TERRAFORM_VERSION -u TF_ACC_PERSIST_WORKING_DIR)
  if [[ "$name" == opentofu ]]; then
    run_env+=(TF_ACC_PROVIDER_HOST=registry.opentofu.org)
  fi

  logf="$LOG_DIR/$name-$version.log"
  log "== $name $version ($bin): go test -count=1 -timeout $TIMEOUT ${extra_args[*]} $PKGS (log: $logf)"
  start=$SECONDS
  env "${unset_env[@]}" "${run_env[@]}" \
    go test -count=1 -timeout "$TIMEOUT" "${extra_args[@]}" "${pkgs[@]}" >"$logf" 2>&1
  rc=$?
  took=$((SECONDS - start))
  if [[ $rc -eq 0 ]]; then
    result=pass
  else
    result="FAIL (exit $rc)"
    failed=1
    log "$name $version FAILED; failing tests and the end of $logf:"
    grep -E '^\s*--- FAIL' "$logf" >&2 || true
    tail -n 60 "$logf" >&2
  fi
  fails="$(grep -E '^--- FAIL' "$logf" | awk '{print $3}' | paste -sd, - || true)"
  rows+=("$name|$version|$result|${took}s|$fails")
done

echo
printf '%-10s %-10s %-22s %-9s %s\n' CLI VERSION RESULT DURATION "FAILED TESTS"
for row in "${rows[@]}"; do
  IFS='|' read -r c v r d f <<<"$row"
  printf '%-10s %-10s %-22s %-9s %s\n' "$c" "$v" "$r" "$d" "$f"
done
exit "$failed"
