#!/usr/bin/env bash
# Print the absolute path of a usable Terraform CLI on stdout.
#
# Lookup order:
#   1. $TF_ACC_TERRAFORM_PATH, if set and executable
#   2. `terraform` on $PATH
#   3. Terraform $TERRAFORM_BUILD_VERSION (default 1.5.7, the oldest version
#      of the test matrix, see DEVELOPERS.md) built from the Go module proxy by
#      scripts/build-cli.sh into <repo>/.tools/cli/terraform-<version>/, or
#      reused from there (6-8 minutes on 2 cores the first time, with a cold
#      Go build cache; `make testmatrix` shares the build)
#
# Terraform is never downloaded from releases.hashicorp.com: this machine and
# CI can only reach the Go module proxy. The fallback is a version the test
# matrix covers; the newest Terraform releases cannot be built with
# `go install` (their go.mod has replace directives).
#
# Everything except the final path goes to stderr, so callers can do
#   tf="$(scripts/ensure-terraform.sh)"
#
# Options / environment:
#   --dry-run | ENSURE_TERRAFORM_DRY_RUN=1   say what would be built, build nothing
#   TERRAFORM_BUILD_VERSION                  version to build (default 1.5.7)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_VERSION="${TERRAFORM_BUILD_VERSION:-1.5.7}"
BUILD_VERSION="${BUILD_VERSION#v}"
DRY_RUN="${ENSURE_TERRAFORM_DRY_RUN:-0}"

for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    -h|--help)
      sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
      exit 0
      ;;
    *)
      echo "ensure-terraform: unknown argument: $arg" >&2
      exit 2
      ;;
  esac
done

log() { echo "ensure-terraform: $*" >&2; }
die() {
  echo "ensure-terraform: ERROR: $*" >&2
  exit 1
}

# Make a path absolute without resolving symlinks.
abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")" ;;
  esac
}

# A candidate is usable when it is an executable regular file (or a link to
# one) that answers `terraform version`.
usable() {
  local tf="$1"
  [[ -f "$tf" && -x "$tf" ]] || return 1
  CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$tf" version >/dev/null 2>&1
}

emit() {
  local tf
  tf="$(abspath "$1")"
  log "using $tf ($2)"
  printf '%s\n' "$tf"
  exit 0
}

# 1. Explicit override.
if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
  if usable "$TF_ACC_TERRAFORM_PATH"; then
    emit "$TF_ACC_TERRAFORM_PATH" "from TF_ACC_TERRAFORM_PATH"
  fi
  log "WARNING: TF_ACC_TERRAFORM_PATH=$TF_ACC_TERRAFORM_PATH is not a usable terraform; looking elsewhere"
fi

# 2. PATH.
if tf="$(command -v terraform 2>/dev/null)" && [[ -n "$tf" ]]; then
  if usable "$tf"; then
    emit "$tf" "found on PATH"
  fi
  log "WARNING: $tf (on PATH) does not run; looking elsewhere"
fi

# 3. Terraform $BUILD_VERSION, built once into .tools/cli/ by build-cli.sh
#    (which reuses it when it is there and reports that version).
built="$ROOT/.tools/cli/terraform-$BUILD_VERSION/terraform"
if [[ "$DRY_RUN" == "1" ]] && ! usable "$built"; then
  log "DRY RUN: no terraform found; would run: bash scripts/build-cli.sh terraform $BUILD_VERSION"
  printf '%s\n' "$built"
  exit 0
fi
if ! usable "$built"; then
  log "no terraform on PATH: building Terraform $BUILD_VERSION from the Go module proxy (6-8 minutes on 2 cores with a cold Go build cache, once)"
fi
built="$(bash "$ROOT/scripts/build-cli.sh" terraform "$BUILD_VERSION")" \
  || die "no terraform on PATH, and building Terraform $BUILD_VERSION failed (see above)"
usable "$built" || die "built $built but it does not run"
emit "$built" "Terraform $BUILD_VERSION built by scripts/build-cli.sh"
