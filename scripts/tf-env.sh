#!/usr/bin/env bash
# Terraform environment for tests, docs generation and demos.
#
# Three ways to use it (bash):
#   source scripts/tf-env.sh          # exports into the current shell
#   scripts/tf-env.sh CMD [ARGS...]   # runs CMD with the environment
#   eval "$(scripts/tf-env.sh)"       # prints `export` lines
#
# It exports:
#   TF_ACC_TERRAFORM_PATH  absolute path from scripts/ensure-terraform.sh
#                          (terraform-plugin-testing would otherwise try to
#                          download Terraform and abort the test binary)
#   PATH                   prefixed with .tools/tfbin, holding a `terraform`
#                          link to that binary, so anything that looks Terraform
#                          up on PATH (tfplugindocs, terraform fmt) uses it
#   TF_CLI_CONFIG_FILE     .tools/terraformrc, an empty project-owned config
#   CHECKPOINT_DISABLE=1   no version-check calls home
#   TF_IN_AUTOMATION=1

_tf_env_main() {
  local root tf shim
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  tf="$(bash "$root/scripts/ensure-terraform.sh")" || {
    echo "tf-env: ERROR: could not find or build a terraform binary" >&2
    return 1
  }

  mkdir -p "$root/.tools/tfbin" || return 1
  shim="$root/.tools/tfbin/terraform"
  if [[ "$tf" != "$shim" ]]; then
    ln -sfn "$tf" "$shim" || return 1
  fi
  [[ -e "$root/.tools/terraformrc" ]] || : >"$root/.tools/terraformrc" || return 1

  export TF_ACC_TERRAFORM_PATH="$tf"
  export TF_CLI_CONFIG_FILE="$root/.tools/terraformrc"
  export CHECKPOINT_DISABLE=1
  export TF_IN_AUTOMATION=1
  case ":$PATH:" in
    *":$root/.tools/tfbin:"*) ;;
    *) export PATH="$root/.tools/tfbin:$PATH" ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced.
  _tf_env_main
  _tf_env_rc=$?
  unset -f _tf_env_main
  return "$_tf_env_rc"
fi

set -euo pipefail
_tf_env_main
if [[ $# -gt 0 ]]; then
  exec "$@"
fi
for _v in TF_ACC_TERRAFORM_PATH TF_CLI_CONFIG_FILE CHECKPOINT_DISABLE TF_IN_AUTOMATION PATH; do
  printf 'export %s=%q\n' "$_v" "${!_v}"
done
