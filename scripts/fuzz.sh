#!/usr/bin/env bash
# Runs every native Go fuzz target of the module, one after the other, each
# for the given duration (default 5s, for CI), and prints per target the
# number of executions. Extra arguments after the duration go to `go test`
# (for example -parallel=1).
#
#   scripts/fuzz.sh            # 5s per target
#   scripts/fuzz.sh 5m         # long run (make fuzz FUZZTIME=5m)
#
# A failing target leaves its crasher under <pkg>/testdata/fuzz/<Target>/
# and makes the script exit non-zero once every target has run.
set -euo pipefail

cd "$(dirname "$0")/.."
duration="${1:-5s}"
shift || true

# Every "func FuzzX(" in a _test.go file, with its package directory.
mapfile -t targets < <(grep -rIl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]+\(' internal | sort |
	while read -r file; do
		sed -nE 's/^func (Fuzz[A-Za-z0-9_]+)\(.*/\1/p' "$file" | while read -r name; do
			echo "./$(dirname "$file") $name"
		done
	done)

if [[ ${#targets[@]} -eq 0 ]]; then
	echo "fuzz: no fuzz targets found" >&2
	exit 1
fi

failed=()
summary=()
for entry in "${targets[@]}"; do
	pkg="${entry% *}"
	name="${entry#* }"
	echo "=== fuzz $name ($pkg) for $duration"
	log="$(mktemp)"
	start=$SECONDS
	status=FAILED
	for try in 1 2; do
		if go test -run='^$' -fuzz="^${name}\$" -fuzztime="$duration" "$@" "$pkg" 2>&1 | tee "$log"; then
			status=ok
			break
		fi
		# Go's fuzzing engine sometimes ends a short run with a bare "context
		# deadline exceeded" when the time runs out while it is handling a new
		# input; that is not a crash (no failing input is written). Run such a
		# target once more; a real crash fails every time.
		if [[ $try -eq 1 ]] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
			echo "fuzz: $name stopped with the engine's deadline flake, not a crash; running it once more"
			continue
		fi
		break
	done
	[[ $status == ok ]] || failed+=("$name")
	# The last progress line: "fuzz: elapsed: 5s, execs: 12345 (2469/sec), new interesting: ..."
	execs="$(grep -oE 'execs: [0-9]+' "$log" | tail -n1 | grep -oE '[0-9]+' || true)"
	if [[ -z "$execs" ]] && grep -q 'gathering baseline coverage' "$log"; then
		execs="0 (the duration ended while gathering baseline coverage)"
	fi
	rm -f "$log"
	line="$(printf '%-40s %-30s %8s  execs=%s  wall=%ss' "$name" "$pkg" "$status" "${execs:-?}" "$((SECONDS - start))")"
	summary+=("$line")
	echo "--- $line"
done

echo
echo "fuzz summary (fuzztime $duration):"
printf '  %s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
	echo "fuzz: failing targets: ${failed[*]} (crashers under <pkg>/testdata/fuzz/<Target>/)" >&2
	exit 1
fi
