#!/usr/bin/env bash
# make install-check: install the provider the way Terraform users do, from
# release-shaped files, and gate a plan with it. No dev_overrides anywhere.
#
#  1. The release files for this machine's platform, named as .goreleaser.yml
#     names them:
#       terraform-provider-honeyhive_<V>_<os>_<arch>.zip  (the binary
#         terraform-provider-honeyhive_v<V>, LICENSE, README.md, CHANGELOG.md)
#       terraform-provider-honeyhive_<V>_SHA256SUMS       (the zip and the manifest)
#       terraform-provider-honeyhive_<V>_manifest.json
#     By default they are built here with `go build` as goreleaser builds
#     (CGO_ENABLED=0, -trimpath, -ldflags "-s -w -X main.version=<V>": with
#     the same go env, the binary is byte for byte `make release-snapshot`'s)
#     and `zip`, so the check needs no goreleaser and always tests the
#     working tree.
#     INSTALL_CHECK_FROM=dist takes them from goreleaser's dist/ instead (run
#     `make release-snapshot` first).
#  2. The local HoneyHive-compatible server (cmd/honeyhive-local).
#  3. A stand-in for the registry: SHA256SUMS signed with a throwaway GPG key
#     (the arguments of .goreleaser.yml's `signs`; with INSTALL_CHECK_FROM=dist
#     and GPG_FINGERPRINT, goreleaser's own signature and that key), and the
#     provider registry protocol's JSON (versions, protocols from the
#     manifest, download) served as static files by `python3 -m http.server`.
#  4. For Terraform, then OpenTofu: a filesystem mirror in the packed layout
#     <mirror>/<registry host>/honeyhiveai/honeyhive/<zip>, a CLI config whose
#     provider_installation has only that mirror (and `direct` for everything
#     else) and whose `host` block sends the registry host to the stand-in, a
#     configuration requiring source "honeyhiveai/honeyhive", version "~> 0.1";
#     then
#       providers lock -fs-mirror=<mirror> -platform=<os>_<arch>
#           the lock's h1: must equal the one computed here from the zip's
#           contents (a filesystem mirror yields only h1:)
#       providers lock -platform=<os>_<arch>     (from the registry stand-in)
#           the signature must be checked, the lock's zh: must be the
#           archive's SHA-256 as in SHA256SUMS, and h1: unchanged
#       init -lockfile=readonly    (installs from the mirror, checked against the lock)
#       plan with a passing gate   (must succeed; the User-Agent must carry <V>)
#       plan with a failing gate   (must fail with the gate's message)
#
# Environment:
#   INSTALL_CHECK_VERSION  version to package (default: the newest "## X.Y.Z"
#                          heading of CHANGELOG.md)
#   INSTALL_CHECK_FROM     build (default) or dist
#   INSTALL_CHECK_CLIS     "terraform opentofu" (default), or one of them
#   GPG_FINGERPRINT        with INSTALL_CHECK_FROM=dist: the key dist/'s
#                          signature was made with (make release-snapshot)
#   TOFU_VERSION           OpenTofu to build with scripts/build-cli.sh (1.12.6)
#   KEEP_WORK=1            keep the work folder (it is always kept on failure)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

project=terraform-provider-honeyhive
namespace=honeyhiveai
type=honeyhive
from="${INSTALL_CHECK_FROM:-build}"
clis="${INSTALL_CHECK_CLIS:-terraform opentofu}"
tofu_version="${TOFU_VERSION:-1.12.6}"

started=$SECONDS
step() { printf '\n\033[1m== install-check: %s\033[0m (%ss)\n' "$*" "$((SECONDS - started))"; }
ok() { printf '  ok: %s\n' "$*"; }
fail() {
  printf '\ninstall-check: FAIL: %s\n' "$*" >&2
  exit 1
}

version="${INSTALL_CHECK_VERSION:-}"
if [[ -z "$version" ]]; then
  version="$(bash scripts/changelog-version.sh)" || fail "set INSTALL_CHECK_VERSION, or add a '## X.Y.Z' heading to CHANGELOG.md"
fi
version="${version#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] \
  || fail "version '$version' is not X.Y.Z: Terraform's \"~> 0.1\" never selects a pre-release"
os="$(go env GOOS)"
arch="$(go env GOARCH)"
platform="${os}_${arch}"
zip_name="${project}_${version}_${platform}.zip"
sums_name="${project}_${version}_SHA256SUMS"
manifest_name="${project}_${version}_manifest.json"
binary_name="${project}_v${version}"

work="$(mktemp -d "${TMPDIR:-/tmp}/honeyhive-install-check.XXXXXX")"
server_pid=""
registry_pid=""
cleanup() {
  local rc=$? pid
  for pid in $server_pid $registry_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -d "$work/gnupg" ]]; then
    GNUPGHOME="$work/gnupg" gpgconf --kill gpg-agent 2>/dev/null || true
  fi
  if [[ $rc -ne 0 || "${KEEP_WORK:-0}" == 1 ]]; then
    echo "install-check: work folder kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------
# Hashes, computed here independently of Terraform.

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Terraform's "h1:" hash of a package (golang.org/x/mod/sumdb/dirhash Hash1
# over the archive's files): SHA-256 over the lines "<sha256 hex>  <name>\n"
# of every file, sorted by name, base64-encoded.
h1_of_zip() {
  local zip="$1" name summary hex
  summary="$(unzip -Z1 "$zip" | grep -v '/$' | LC_ALL=C sort | while IFS= read -r name; do
    printf '%s  %s\n' "$(unzip -p "$zip" "$name" | sha256sum | cut -d' ' -f1)" "$name"
  done)"
  hex="$(printf '%s\n' "$summary" | sha256sum | cut -d' ' -f1)"
  # shellcheck disable=SC2059 # the format is the hex digest as \xNN escapes
  printf 'h1:%s\n' "$(printf "$(sed 's/../\\x&/g' <<<"$hex")" | base64 -w0)"
}

# ---------------------------------------------------------------------------
step "release files for $platform, version $version (from: $from)"

pkg="$work/release"
mkdir -p "$pkg"
case "$from" in
  build)
    stage="$work/stage"
    mkdir -p "$stage"
    # The flags of .goreleaser.yml's build.
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$stage/$binary_name" .
    cp LICENSE README.md CHANGELOG.md "$stage/"
    (cd "$stage" && zip -q -X "$pkg/$zip_name" "$binary_name" LICENSE README.md CHANGELOG.md)
    cp terraform-registry-manifest.json "$pkg/$manifest_name"
    (cd "$pkg" && sha256sum "$manifest_name" "$zip_name" | LC_ALL=C sort -k2 >"$sums_name")
    ok "built $zip_name with go build + zip, $sums_name and $manifest_name"
    ;;
  dist)
    for f in "$zip_name" "$sums_name" "$manifest_name"; do
      [[ -f "dist/$f" ]] || fail "dist/$f not found: run 'make release-snapshot' (or unset INSTALL_CHECK_FROM to build the files here)"
      cp "dist/$f" "$pkg/"
    done
    ok "took $zip_name, $sums_name and $manifest_name from dist/"
    ;;
  *) fail "INSTALL_CHECK_FROM must be build or dist, not '$from'" ;;
esac

zip_sha="$(sha256_of "$pkg/$zip_name")"
listed="$(awk -v f="$zip_name" '$2 == f {print $1}' "$pkg/$sums_name")"
[[ "$listed" == "$zip_sha" ]] || fail "$sums_name lists '${listed:-nothing}' for $zip_name, but its SHA-256 is $zip_sha"
ok "$sums_name lists $zip_name with its SHA-256 $zip_sha"
listed="$(awk -v f="$manifest_name" '$2 == f {print $1}' "$pkg/$sums_name")"
[[ -n "$listed" && "$listed" == "$(sha256_of "$pkg/$manifest_name")" ]] \
  || fail "$sums_name does not list $manifest_name with its SHA-256"
cmp -s "$pkg/$manifest_name" terraform-registry-manifest.json || fail "$manifest_name differs from terraform-registry-manifest.json"
grep -q '"protocol_versions": *\[ *"6.0" *\]' "$pkg/$manifest_name" || fail "$manifest_name does not declare protocol 6.0"
ok "$sums_name lists $manifest_name, which declares protocol 6.0"
entries="$(unzip -Z1 "$pkg/$zip_name" | LC_ALL=C sort | tr '\n' ' ')"
[[ "$entries" == "CHANGELOG.md LICENSE README.md $binary_name " ]] \
  || fail "$zip_name holds '$entries'; expected $binary_name, LICENSE, README.md and CHANGELOG.md at its root"
unzip -Z "$pkg/$zip_name" "$binary_name" | grep -q '^-rwx' || fail "$binary_name in $zip_name is not executable"
ok "$zip_name holds the executable $binary_name (and LICENSE, README.md, CHANGELOG.md)"
want_h1="$(h1_of_zip "$pkg/$zip_name")"
ok "expected lock hashes: $want_h1, zh:$zip_sha"

# ---------------------------------------------------------------------------
step "local HoneyHive server"
go build -o "$work/honeyhive-local" ./cmd/honeyhive-local
"$work/honeyhive-local" -addr 127.0.0.1:0 -ready-file "$work/url" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/url" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the local server did not start"; }
  sleep 0.1
done
[[ -s "$work/url" ]] || fail "the local server did not report its URL"
server_url="$(cat "$work/url")"
api_key="$(sed -n 's/^API key: //p' "$work/server.log")"
[[ -n "$api_key" ]] || fail "the local server did not print its API key: $(cat "$work/server.log")"
ok "listening on $server_url"

# ---------------------------------------------------------------------------
step "registry stand-in: signed SHA256SUMS, the registry protocol as static files"
for tool in gpg python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is needed for the registry stand-in (e.g. apt-get install gnupg python3)"
done
if [[ "$from" == dist && -f "dist/$sums_name.sig" && -n "${GPG_FINGERPRINT:-}" ]]; then
  # goreleaser's own signature, checked by Terraform against the public part
  # of the key it was made with (from your keyring).
  fingerprint="$(gpg --batch --with-colons --list-keys "$GPG_FINGERPRINT" 2>/dev/null | awk -F: '$1 == "fpr" {print $10; exit}')"
  [[ -n "$fingerprint" ]] || fail "GPG_FINGERPRINT=$GPG_FINGERPRINT is not in your GPG keyring"
  cp "dist/$sums_name.sig" "$pkg/"
  ok "using goreleaser's signature dist/$sums_name.sig by key $fingerprint"
else
  # A throwaway key stands in for the release key, used with the arguments
  # of .goreleaser.yml's signs.
  export GNUPGHOME="$work/gnupg"
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-gen-key "install-check <install-check@localhost.invalid>" rsa3072 sign never 2>"$work/gpg.log" \
    || { cat "$work/gpg.log" >&2; fail "gpg could not create a signing key"; }
  fingerprint="$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" {print $10; exit}')"
  gpg --batch --local-user "$fingerprint" --output "$pkg/$sums_name.sig" --detach-sign "$pkg/$sums_name" 2>"$work/gpg.log" \
    || { cat "$work/gpg.log" >&2; fail "gpg could not sign $sums_name"; }
  ok "signed $sums_name with a throwaway key as .goreleaser.yml's signs does (a release is signed by the release key)"
fi
key_id="${fingerprint: -16}"

# What the registry reads from the manifest: the protocols it announces.
protocols="$(tr -d ' \n' <"$pkg/$manifest_name" | sed -n 's/.*"protocol_versions":\[\([^]]*\)\].*/\1/p')"
[[ -n "$protocols" ]] || fail "no protocol_versions in $manifest_name"
registry="$work/registry"
files="$registry/files"
api="$registry/v1/providers/$namespace/$type"
mkdir -p "$files" "$api/$version/download/$os"
cp "$pkg/$zip_name" "$pkg/$sums_name" "$pkg/$sums_name.sig" "$files/"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$registry" >"$work/registry.log" 2>&1 &
registry_pid=$!
registry_url=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/^Serving HTTP on [^ ]* port \([0-9][0-9]*\).*/\1/p' "$work/registry.log")"
  [[ -n "$port" ]] && registry_url="http://127.0.0.1:$port" && break
  kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry.log" >&2; fail "python3 -m http.server did not start"; }
  sleep 0.1
done
[[ -n "$registry_url" ]] || fail "python3 -m http.server did not report its port"
armor="$(gpg --batch --armor --export "$fingerprint" | awk '{printf "%s\\n", $0}')"
cat >"$api/versions" <<JSON
{"versions": [{"version": "$version", "protocols": [$protocols], "platforms": [{"os": "$os", "arch": "$arch"}]}]}
JSON
cat >"$api/$version/download/$os/$arch" <<JSON
{
  "protocols": [$protocols],
  "os": "$os",
  "arch": "$arch",
  "filename": "$zip_name",
  "download_url": "$registry_url/files/$zip_name",
  "shasums_url": "$registry_url/files/$sums_name",
  "shasums_signature_url": "$registry_url/files/$sums_name.sig",
  "shasum": "$zip_sha",
  "signing_keys": {"gpg_public_keys": [{"key_id": "$key_id", "ascii_armor": "$armor"}]}
}
JSON
ok "serving $namespace/$type $version (protocols $protocols) at $registry_url/v1/providers/"

# ---------------------------------------------------------------------------
# The configuration a user writes: the provider by its registry address and a
# version range, a gate on the run's accuracy. Settings come from variables so
# the check does not depend on the provider's environment variable names.
write_config() {
  cat >"$1/main.tf" <<'HCL'
terraform {
  required_providers {
    honeyhive = {
      source  = "honeyhiveai/honeyhive"
      version = "~> 0.1"
    }
  }
}

variable "server_url" { type = string }
variable "api_key" {
  type      = string
  sensitive = true
}
variable "run_id" { type = string }

provider "honeyhive" {
  server_url = var.server_url
  api_key    = var.api_key
}

data "honeyhive_experiment_run" "candidate" {
  run_id = var.run_id
}

resource "terraform_data" "deploy" {
  input = var.run_id
  lifecycle {
    precondition {
      condition     = data.honeyhive_experiment_run.candidate.status == "completed"
      error_message = "install-check gate: run ${var.run_id} is ${data.honeyhive_experiment_run.candidate.status}."
    }
    precondition {
      condition     = data.honeyhive_experiment_run.candidate.metrics["accuracy"].aggregate >= 0.8
      error_message = "install-check gate: accuracy of run ${var.run_id} is ${format("%.3f", data.honeyhive_experiment_run.candidate.metrics["accuracy"].aggregate)}, below 0.800."
    }
  }
}
HCL
}

# check_lock LOCKFILE HOST WANT_ZH: the lock pins version <V> of
# HOST/honeyhiveai/honeyhive with exactly the h1: computed above; every zh: is
# a SHA-256 listed in SHA256SUMS (Terraform records one per line, the
# manifest's too); with WANT_ZH=yes the archive's must be among them.
check_lock() {
  local lock="$1" host="$2" want_zh="$3" block hashes h
  [[ -f "$lock" ]] || fail "no lock file $lock"
  block="$(awk -v p="provider \"$host/$namespace/$type\" {" '$0 == p {on = 1} on {print} on && /^}/ {exit}' "$lock")"
  [[ -n "$block" ]] || fail "$lock has no block for $host/$namespace/$type:"$'\n'"$(cat "$lock")"
  grep -q "^  version *= \"$version\"\$" <<<"$block" || fail "$lock does not pin version $version:"$'\n'"$block"
  hashes="$(grep -o '"[a-z0-9]*:[^"]*"' <<<"$block" | tr -d '"')"
  grep -qxF "$want_h1" <<<"$hashes" \
    || fail "$lock has no h1: hash equal to the archive's $want_h1 (it has: $(tr '\n' ' ' <<<"$hashes"))"
  while IFS= read -r h; do
    case "$h" in
      h1:*) [[ "$h" == "$want_h1" ]] || fail "$lock has $h, which is not the archive's $want_h1" ;;
      zh:*) grep -q "^${h#zh:}  " "$pkg/$sums_name" || fail "$lock has $h, which $sums_name does not list (the archive's SHA-256 is $zip_sha)" ;;
      *) fail "$lock has an unexpected hash $h" ;;
    esac
  done <<<"$hashes"
  if grep -qxF "zh:$zip_sha" <<<"$hashes"; then
    ok "lock: version $version, $want_h1, zh:$zip_sha (the archive's SHA-256 in $sums_name)"
  elif [[ "$want_zh" == yes ]]; then
    fail "$lock has no zh:$zip_sha, the archive's SHA-256 in the signed $sums_name:"$'\n'"$block"
  else
    ok "lock: version $version, $want_h1 (no zh: hash: a filesystem mirror yields only h1:)"
  fi
}

# check_with CLI-NAME BINARY REGISTRY-HOST
check_with() {
  local name="$1" cli="$2" host="$3" dir="$work/$1" status
  local mirror="$dir/mirror" cfg="$dir/config"
  step "$name ($(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$cli" version 2>/dev/null | grep -m1 -E "^(Terraform|OpenTofu) v" || true)): install from a filesystem mirror under $host"
  mkdir -p "$mirror/$host/$namespace/$type" "$cfg"
  cp "$pkg/$zip_name" "$mirror/$host/$namespace/$type/"
  cat >"$dir/cli.tfrc" <<RC
# No dev_overrides: the provider comes from the mirror, as from a registry.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["$host/$namespace/$type"]
  }
  direct {
    exclude = ["$host/$namespace/$type"]
  }
}

# Only "providers lock" without -fs-mirror asks the registry: the stand-in.
host "$host" {
  services = {
    "providers.v1" = "$registry_url/v1/providers/"
  }
}
RC
  write_config "$cfg"

  # run LOG ARGS...: the CLI in the configuration folder, with only our CLI
  # config, output to $dir/LOG; returns the CLI's exit status.
  run() {
    local log="$dir/$1"
    shift
    (cd "$cfg" && env -u TF_REATTACH_PROVIDERS -u TF_PLUGIN_CACHE_DIR -u TOFU_CLI_CONFIG_FILE \
      TF_CLI_CONFIG_FILE="$dir/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
      TF_VAR_server_url="$server_url" TF_VAR_api_key="$api_key" \
      "$cli" "$@" -no-color >"$log" 2>&1)
  }
  show_fail() {
    sed 's/^/    | /' "$dir/$1" >&2
    fail "$2"
  }

  run lock-mirror.log providers lock -fs-mirror="$mirror" -platform="$platform" \
    || show_fail lock-mirror.log "$name providers lock -fs-mirror failed"
  ok "$name providers lock -fs-mirror=<mirror> -platform=$platform"
  check_lock "$cfg/.terraform.lock.hcl" "$host" no

  run lock-registry.log providers lock -platform="$platform" \
    || show_fail lock-registry.log "$name providers lock from the registry stand-in failed"
  grep -q "signed, key ID $key_id" "$dir/lock-registry.log" \
    || show_fail lock-registry.log "$name providers lock did not report checking the signature by key ID $key_id"
  ok "$name providers lock -platform=$platform from the registry: the signature of $sums_name checked (key ID $key_id)"
  check_lock "$cfg/.terraform.lock.hcl" "$host" yes
  cp "$cfg/.terraform.lock.hcl" "$dir/lock.after-providers-lock"

  run init.log init -input=false -lockfile=readonly || show_fail init.log "$name init failed"
  grep -q "Installed $namespace/$type v$version" "$dir/init.log" \
    || show_fail init.log "$name init did not report installing $namespace/$type v$version"
  if grep -qi "development overrides" "$dir/init.log"; then
    show_fail init.log "$name init reports development overrides; the check must install without them"
  fi
  cmp -s "$cfg/.terraform.lock.hcl" "$dir/lock.after-providers-lock" || fail "$name init -lockfile=readonly changed the lock file"
  ok "$name init installed $namespace/$type v$version from the mirror, matching the lock"
  run version.log version || show_fail version.log "$name version failed"
  grep -q "provider $host/$namespace/$type v$version" "$dir/version.log" \
    || show_fail version.log "$name version does not list provider $host/$namespace/$type v$version"
  ok "$name version lists provider $host/$namespace/$type v$version"

  # The provider logs each request's headers (Authorization redacted) at DEBUG.
  TF_LOG_PROVIDER=DEBUG TF_LOG_PATH="$dir/plan-pass.debug.log" \
    run plan-pass.log plan -input=false -var run_id=run-candidate \
    || show_fail plan-pass.log "$name plan with a passing gate (run-candidate) failed"
  ok "$name plan with a passing gate (run-candidate, accuracy 0.889 >= 0.8) succeeded"
  grep -q "terraform-provider-honeyhive/$version (" "$dir/plan-pass.debug.log" \
    || fail "the provider's requests do not carry User-Agent terraform-provider-honeyhive/$version (see $dir/plan-pass.debug.log)"
  ok "requests carry User-Agent terraform-provider-honeyhive/$version (the version set at build time)"
  if grep -qF "$api_key" "$dir/plan-pass.debug.log"; then
    fail "the API key appears in the provider's debug log $dir/plan-pass.debug.log"
  fi

  status=0
  run plan-fail.log plan -input=false -var run_id=run-regressed || status=$?
  [[ $status -ne 0 ]] || show_fail plan-fail.log "$name plan with a failing gate (run-regressed) succeeded"
  grep -q "install-check gate: accuracy of run run-regressed is 0.375, below 0.800." "$dir/plan-fail.log" \
    || show_fail plan-fail.log "$name plan failed, but not with the gate's message"
  ok "$name plan with a failing gate (run-regressed) failed with: install-check gate: accuracy of run run-regressed is 0.375, below 0.800."
}

for cli_name in $clis; do
  case "$cli_name" in
    terraform)
      tf="$(bash scripts/ensure-terraform.sh)"
      check_with terraform "$tf" registry.terraform.io
      ;;
    opentofu | tofu)
      step "OpenTofu $tofu_version (scripts/build-cli.sh; several minutes the first time)"
      tofu="$(bash scripts/build-cli.sh opentofu "$tofu_version")"
      check_with opentofu "$tofu" registry.opentofu.org
      ;;
    *) fail "unknown CLI '$cli_name' in INSTALL_CHECK_CLIS (terraform, opentofu)" ;;
  esac
done

step "passed: $zip_name installs from a mirror and gates plans under: $clis"
