#!/usr/bin/env bash
# make release-snapshot: the release build of .goreleaser.yml, by goreleaser
# itself (`release --snapshot`), for this machine's platform only, into dist/;
# nothing is published.
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

# `goreleaser release` has no --single-target (only `goreleaser build` has), so
# it runs on a copy of .goreleaser.yml whose goos and goarch lists hold only
# this platform; everything else is the release's configuration.
config="$(mktemp "${TMPDIR:-/tmp}/goreleaser-snapshot.XXXXXX.yml")"
trap 'rm -f "$config"' EXIT
awk -v os="$os" -v arch="$arch" '
  skipping && /^      - / { next }
  { skipping = 0 }
  /^    goos:$/   { print; print "      - " os; skipping = 1; n++; next }
  /^    goarch:$/ { print; print "      - \"" arch "\""; skipping = 1; n++; next }
  { print }
  END { if (n != 2) exit 1 }
' .goreleaser.yml >"$config" \
  || fail "could not restrict .goreleaser.yml to ${os}_${arch}: expected one build with 'goos:' and 'goarch:' lists"

echo "release-snapshot: goreleaser release --snapshot --clean for ${os}_${arch} only, version $version"
start=$SECONDS
SNAPSHOT_VERSION="$version" \
  "$goreleaser" release --snapshot --clean --config "$config" "${skip[@]}"

# A release uploads the manifest from the repository (release.extra_files);
# goreleaser lists it in the checksums but does not copy it into dist/.
cp terraform-registry-manifest.json "dist/${project}_${version}_manifest.json"

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
listed="$(awk '{print $2}' "dist/${project}_${version}_SHA256SUMS" | tr '\n' ' ')"
[[ "$listed" == "${project}_${version}_${os}_${arch}.zip ${project}_${version}_manifest.json " ]] \
  || fail "dist/${project}_${version}_SHA256SUMS lists '$listed'; expected the zip and the manifest only"
if [[ ${#skip[@]} -eq 0 ]]; then
  # Terraform and OpenTofu refuse a release whose checksums do not match
  # their signature.
  gpg --batch --verify "dist/${project}_${version}_SHA256SUMS.sig" "dist/${project}_${version}_SHA256SUMS" 2>"dist/gpg-verify.log" \
    || { cat dist/gpg-verify.log >&2; fail "the signature dist/${project}_${version}_SHA256SUMS.sig does not match the checksums"; }
  echo "release-snapshot: the signature of the checksums verifies (gpg --verify)"
fi

echo "release-snapshot: done in $((SECONDS - start))s; the release files in dist/:"
for f in "${want[@]}"; do
  printf '  dist/%s\n' "$f"
done
echo "release-snapshot: install them from a mirror with: make install-check INSTALL_CHECK_FROM=dist"
