#!/usr/bin/env bash
# Print the newest version in CHANGELOG.md: the first "## X.Y.Z" heading
# (released or "(Unreleased)"). The version the working tree would be
# released as; `make release-snapshot` and `make install-check` package it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
v="$(sed -n 's/^## \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\)\( .*\)\{0,1\}$/\1/p' "$root/CHANGELOG.md" | sed -n 1p)"
if [[ -z "$v" ]]; then
  echo "changelog-version: no '## X.Y.Z' heading in $root/CHANGELOG.md" >&2
  exit 1
fi
printf '%s\n' "$v"
