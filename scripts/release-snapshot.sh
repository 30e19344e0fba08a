#!/usr/bin/env bash
# make release-snapshot: the release build of .goreleaser.yml, by goreleaser
# itself, for this machine's platform only, into dist/; nothing is published.
#
# goreleaser (pinned, as in .github/workflows/release.yml) is built once from
# the Go module proxy into .tools/goreleaser/ by scripts/ensure-goreleaser.sh:
# about 15 minutes on 2 cores with a cold Go build cache.
#
# The snapshot is versioned as the newest "## X.Y.Z" heading of CHANGELOG.md
# (SNAPSHOT_VERSION overrides), so its files carry a release's names and
# `make install-check INSTALL_CHECK_FROM=dist` can install them under
# `version = "~> 0.1"`.
#
# The checksums are signed when GPG_FINGERPRINT names a secret key in the
# local keyring (as the release workflow does); otherwise signing is skipped
# and the script says so.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

project=terraform-provider-honeyhive
fail() {
  echo "release-snapshot: FAIL: $*" >&2
  exit 1
}

goreleaser="$(bash scripts/ensure-goreleaser.sh)"
version="${SNAPSHOT_VERSION:-$(bash scripts/changelog-version.sh)}"
version="${version#v}"
os="$(go env GOOS)"
arch="$(go env GOARCH)"

skip=()
if [[ -n "${GPG_FINGERPRINT:-}" ]]; then
  gpg --batch --list-secret-keys "$GPG_FINGERPRINT" >/dev/null 2>&1 \
    || fail "GPG_FINGERPRINT=$GPG_FINGERPRINT is not a secret key in the local GPG keyring"
  echo "release-snapshot: signing the checksums with GPG key $GPG_FINGERPRINT"
else
  skip=(--skip=sign)
  echo "release-snapshot: NOTE: GPG_FINGERPRINT is not set, so the checksums are NOT signed (no ${project}_${version}_SHA256SUMS.sig);"
  echo "release-snapshot:       set it to a key in your keyring to sign as the release workflow does"
fi

echo "release-snapshot: goreleaser release --snapshot --clean --single-target for ${os}_${arch}, version $version"
start=$SECONDS
# --single-target builds for GOOS/GOARCH only; GOFLAGS is cleared so a
# developer's go env (e.g. -mod=vendor) cannot change the release build.
SNAPSHOT_VERSION="$version" GOOS="$os" GOARCH="$arch" GOFLAGS='' \
  "$goreleaser" release --snapshot --clean --single-target "${skip[@]}"

# What a release uploads for this platform, by name.
want=("${project}_${version}_${os}_${arch}.zip" "${project}_${version}_SHA256SUMS" "${project}_${version}_manifest.json")
[[ ${#skip[@]} -eq 0 ]] && want+=("${project}_${version}_SHA256SUMS.sig")
for f in "${want[@]}"; do
  [[ -f "dist/$f" ]] || fail "goreleaser did not write dist/$f"
done
grep -q "  ${project}_${version}_manifest.json\$" "dist/${project}_${version}_SHA256SUMS" \
  || fail "dist/${project}_${version}_SHA256SUMS does not list the manifest"
(cd dist && sha256sum --check --quiet "${project}_${version}_SHA256SUMS") \
  || fail "dist/${project}_${version}_SHA256SUMS does not match the files"

echo "release-snapshot: done in $((SECONDS - start))s; the release files in dist/:"
for f in "${want[@]}"; do
  printf '  dist/%s\n' "$f"
done
echo "release-snapshot: install them from a mirror with: make install-check INSTALL_CHECK_FROM=dist"
