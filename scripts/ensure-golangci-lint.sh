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

if ! have_pinned; then
  command -v go >/dev/null 2>&1 || die "no 'go' on PATH to build golangci-lint"
  mkdir -p "$TOOLS_BIN"
  exec 9>"$TOOLS_BIN/.golangci-lint-build.lock"
  command -v flock >/dev/null 2>&1 && flock 9
  if ! have_pinned; then
    log "building $pkg into $TOOLS_BIN (1.5-3 minutes on 2 cores with a cold Go build cache, once)"
    start=$SECONDS
    (cd / && GOBIN="$TOOLS_BIN" GOFLAGS='' go install "$pkg" >&2) || die "'go install $pkg' failed"
    log "built golangci-lint in $((SECONDS - start))s"
  fi
  have_pinned || die "$BIN does not report version ${VERSION#v}"
fi

log "using $BIN ($VERSION)"
printf '%s\n' "$BIN"
