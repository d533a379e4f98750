#!/usr/bin/env bash
# One run, one machine: pabutools 1.2.3 times and our criterion benchmarks on the same inputs.
#
#   pb-rules/benches/compare_pabutools.sh
#
# Inputs: the election with the most voters in PABULIB_DIR (default <repo>/../shared/pabulib)
# and the synthetic 100,000 x 200 election (written to a .pb file for pabutools). Uses the
# virtual environment made by pb-rules/crosscheck/run.sh. Prints pabutools' times, then runs
# `cargo bench -p pb-rules --bench rules`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
pabulib="${PABULIB_DIR:-$repo/../shared/pabulib}"
python="${PB_VENV:-$repo/.venv-pabutools}/bin/python"
[ -x "$python" ] || { echo "run pb-rules/crosscheck/run.sh first (it creates the venv)"; exit 1; }

synthetic="$(mktemp -d)/synthetic_100k_x_200.pb"
(cd "$repo" && cargo run --quiet --release -p pb-rules --example write_synthetic -- "$synthetic" 100000 200)

largest="$(grep -l -m1 '^num_votes' "$pabulib"/*.pb | while read -r f; do
    printf '%s %s\n' "$(grep -m1 '^num_votes;' "$f" | cut -d';' -f2)" "$f"; done | sort -n | tail -1 | cut -d' ' -f2-)"

for file in "$largest" "$synthetic"; do
    echo "pabutools 1.2.3 on $(basename "$file"):"
    "$python" "$here/../crosscheck/pabutools_outcome.py" --text "$file" greedy mes
done

cd "$repo" && cargo bench -p pb-rules --bench rules
