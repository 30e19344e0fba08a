#!/usr/bin/env bash
# Print the absolute path of a usable Terraform CLI on stdout.
#
# Lookup order:
#   1. $TF_ACC_TERRAFORM_PATH, if set and executable
#   2. `terraform` on $PATH
#   3. <repo>/.tools/bin/terraform, if a previous run built it
#   4. build it from the Go module proxy into <repo>/.tools/bin
#      (`go install github.com/hashicorp/terraform@$TERRAFORM_BUILD_VERSION`,
#      roughly 6-8 minutes on 2 cores)
#
# Terraform is never downloaded from releases.hashicorp.com: this machine and
# CI can only reach the Go module proxy.
#
# Everything except the final path goes to stderr, so callers can do
#   tf="$(scripts/ensure-terraform.sh)"
#
# Options / environment:
#   --dry-run | ENSURE_TERRAFORM_DRY_RUN=1   say what would be built, build nothing
#   TERRAFORM_BUILD_VERSION                  version to build (default v1.8.5)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_BIN="$ROOT/.tools/bin"
BUILD_VERSION="${TERRAFORM_BUILD_VERSION:-v1.8.5}"
DRY_RUN="${ENSURE_TERRAFORM_DRY_RUN:-0}"

for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    -h|--help)
      sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
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

# 3. A previous project-local build.
if usable "$TOOLS_BIN/terraform"; then
  emit "$TOOLS_BIN/terraform" "project-local build"
fi

# 4. Build it from the Go module proxy.
pkg="github.com/hashicorp/terraform@$BUILD_VERSION"
if [[ "$DRY_RUN" == "1" ]]; then
  log "DRY RUN: no terraform found; would run: GOBIN=$TOOLS_BIN go install $pkg"
  printf '%s\n' "$TOOLS_BIN/terraform"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "no terraform found and no 'go' on PATH to build one"
mkdir -p "$TOOLS_BIN"

build() {
  # Another process may have finished the build while we waited for the lock.
  if usable "$TOOLS_BIN/terraform"; then
    return 0
  fi
  log "no terraform found; building $pkg into $TOOLS_BIN (about 6-8 minutes on 2 cores)"
  local start=$SECONDS
  # Run outside the project module so its go.mod/GOFLAGS do not interfere.
  if ! (cd / && GOBIN="$TOOLS_BIN" GOFLAGS='' go install "$pkg" >&2); then
    die "'go install $pkg' failed (see output above)"
  fi
  log "built terraform in $((SECONDS - start))s"
}

if command -v flock >/dev/null 2>&1; then
  # Serialise concurrent builds (e.g. `make -j`).
  exec 9>"$TOOLS_BIN/.terraform-build.lock"
  flock 9
  build
  flock -u 9
else
  build
fi

usable "$TOOLS_BIN/terraform" || die "built $TOOLS_BIN/terraform but it does not run"
emit "$TOOLS_BIN/terraform" "built from $pkg"
