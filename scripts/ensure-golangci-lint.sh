#!/usr/bin/env bash
# Print the absolute path of the project's pinned golangci-lint on stdout,
# building it from the Go module proxy into <repo>/.tools/bin when missing or
# of another version (about 1.5-3 minutes on 2 cores with a cold build cache).
#
# Environment:
#   GOLANGCI_LINT_VERSION   version to use (default v2.15.0)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_BIN="$ROOT/.tools/bin"
VERSION="${GOLANGCI_LINT_VERSION:-v2.15.0}"
BIN="$TOOLS_BIN/golangci-lint"
pkg="github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$VERSION"

log() { echo "ensure-golangci-lint: $*" >&2; }
die() {
  echo "ensure-golangci-lint: ERROR: $*" >&2
  exit 1
}

have_pinned() {
  [[ -x "$BIN" ]] && [[ "$("$BIN" version --short 2>/dev/null)" == "${VERSION#v}" ]]
}

build() {
  (cd / && GOBIN="$TOOLS_BIN" GOFLAGS='' go install "$pkg" >&2) || die "'go install $pkg' failed"
}

# shellcheck source=build-once.sh
source "$ROOT/scripts/build-once.sh"
build_once golangci-lint "$TOOLS_BIN" have_pinned build \
  "$pkg; 1.5-3 minutes on 2 cores with a cold Go build cache, once"
have_pinned || die "$BIN does not report version ${VERSION#v}"

log "using $BIN ($VERSION)"
printf '%s\n' "$BIN"
