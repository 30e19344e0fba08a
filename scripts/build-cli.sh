#!/usr/bin/env bash
# Build an extra Terraform-compatible CLI from the Go module proxy into
#   <repo>/.tools/cli/<name>-<version>/<binary>
# and print that path on stdout (everything else goes to stderr).
#
# Usage:
#   scripts/build-cli.sh terraform 1.5.7     # -> .tools/cli/terraform-1.5.7/terraform
#   scripts/build-cli.sh opentofu 1.12.6     # -> .tools/cli/opentofu-1.12.6/tofu
#
# Idempotent: nothing is built when the binary is there and `version` reports
# the requested version. Concurrent runs for the same CLI are serialised with
# flock. Only the Go module proxy is used (no releases.hashicorp.com/GitHub).
#
# terraform: `go install github.com/hashicorp/terraform@vX` (about 6-8 min on
#            2 cores with a cold Go build cache).
# opentofu:  its go.mod has `replace` directives, so `go install mod@version`
#            refuses it; instead the module is fetched with `go mod download`,
#            copied to a writable folder and built with `go build ./cmd/tofu`
#            (about 6-7 min on 2 cores with a cold Go build cache).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { echo "build-cli: $*" >&2; }
die() {
  echo "build-cli: ERROR: $*" >&2
  exit 1
}

[[ $# -eq 2 ]] || die "usage: $0 terraform|opentofu VERSION (e.g. terraform 1.5.7)"
name="$1"
version="${2#v}"

case "$name" in
  terraform) bin_name=terraform; module=github.com/hashicorp/terraform ;;
  opentofu | tofu) name=opentofu; bin_name=tofu; module=github.com/opentofu/opentofu ;;
  *) die "unknown CLI '$name' (expected terraform or opentofu)" ;;
esac

dest="$ROOT/.tools/cli/$name-$version"
bin="$dest/$bin_name"

# `terraform version` prints "Terraform v1.5.7", `tofu version` "OpenTofu v1.12.6".
has_version() {
  [[ -x "$bin" ]] || return 1
  local out
  out="$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$bin" version 2>/dev/null | sed -n 1p)" || return 1
  [[ "$out" == *" v$version" ]]
}

build_terraform() {
  # Outside the project module so its go.mod/GOFLAGS (-buildvcs=false is fine,
  # -mod=... is not for go install) do not interfere. GOTOOLCHAIN=local:
  # terraform's go.mod asks for an older Go, which the local toolchain builds.
  (cd / && GOBIN="$dest" GOFLAGS='' GOTOOLCHAIN=local CGO_ENABLED=0 \
    go install "$module@v$version" >&2) || die "'go install $module@v$version' failed"
}

build_opentofu() {
  local json dir src
  json="$(cd / && GOFLAGS='' go mod download -json "$module@v$version")" \
    || die "'go mod download $module@v$version' failed: $json"
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -n "$dir" && -d "$dir" ]] || die "no module folder in: $json"
  src="$dest/src"
  rm -rf "$src"
  mkdir -p "$dest"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  # -mod=mod: the zip has no vendor/ folder; go.sum is complete, so this only
  # reads modules. version.dev=no as in OpenTofu's .goreleaser.yaml: without
  # it the binary reports "v1.12.6-dev". (Their -trimpath is left out so the
  # Go build cache is shared with other builds; it changes no behaviour.)
  (cd "$src" && GOFLAGS='-mod=mod -buildvcs=false' CGO_ENABLED=0 \
    go build -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" \
    -o "$bin" ./cmd/tofu >&2) || die "'go build ./cmd/tofu' in $src failed"
  rm -rf "$src"
}

# shellcheck source=build-once.sh
source "$ROOT/scripts/build-once.sh"
build_once "$name" "$dest" has_version "build_$name" \
  "$name $version; 6-8 minutes on 2 cores with a cold Go build cache"
has_version || die "$bin does not report version v$version: $("$bin" version 2>&1 | sed -n 1p)"

log "using $bin"
printf '%s\n' "$bin"
