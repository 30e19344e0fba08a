#!/usr/bin/env bash
# Print the absolute path of the project's pinned goreleaser on stdout,
# building it from the Go module proxy into the ignored
#   <repo>/.tools/goreleaser/<version>/goreleaser
# when it is not there. Everything else goes to stderr.
#
# goreleaser is a large program: a cold build (empty ~/.cache/go-build) takes
# 11 minutes of CPU, 7 minutes on 2 idle cores (40 measured on a busy
# machine); with a warm build cache, seconds. Only
# `make release-snapshot` needs it; the tests and `make install-check` do not.
#
# Environment:
#   GORELEASER_VERSION   version to use (default v2.15.1, as the release workflow)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${GORELEASER_VERSION:-v2.15.1}"
VERSION="v${VERSION#v}"
DEST="$ROOT/.tools/goreleaser/$VERSION"
BIN="$DEST/goreleaser"
pkg="github.com/goreleaser/goreleaser/v2@$VERSION"

log() { echo "ensure-goreleaser: $*" >&2; }
die() {
  echo "ensure-goreleaser: ERROR: $*" >&2
  exit 1
}

# `go install` records the module version in the binary; `goreleaser --version`
# prints it as "GitVersion:    2.15.1".
have_pinned() {
  [[ -x "$BIN" ]] || return 1
  "$BIN" --version 2>/dev/null | grep -Eq "^GitVersion:[[:space:]]+v?${VERSION#v}\$"
}

build() {
  # Outside the project module, so its go.mod and GOFLAGS do not apply.
  (cd / && GOBIN="$DEST" GOFLAGS='' CGO_ENABLED=0 go install "$pkg" >&2) \
    || die "'go install $pkg' failed (see the output above)"
}

# shellcheck source=build-once.sh
source "$ROOT/scripts/build-once.sh"
build_once goreleaser "$DEST" have_pinned build \
  "$pkg; about 7 minutes on 2 idle cores with a cold Go build cache, more on a busy machine, seconds with a warm one; once: later runs reuse the binary"
have_pinned || die "$BIN does not report version ${VERSION#v}: $("$BIN" --version 2>&1 | sed -n 1,12p)"

log "using $BIN"
printf '%s\n' "$BIN"
